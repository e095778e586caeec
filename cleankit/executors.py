"""Executors run one function over many shards and give the results back in shard order.

The boundary is deliberately small (:meth:`Executor.map`), so that a distributed engine
can be added as another executor without touching steps, readers or writers.
:class:`RayExecutor` is one: Ray is imported only when it is used, so the core never
needs it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from cleankit.errors import ConfigError, ExecutorError
from cleankit.options import unknown_name_message

T = TypeVar("T")
R = TypeVar("R")

_context: Any = None


def _set_context(context: Any) -> None:
    global _context
    _context = context
    _exit_with_parent(os.getppid())


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    """Make this worker process exit once ``parent`` is gone (killed with SIGKILL, say),
    instead of living on as an orphan that holds memory and CPU."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="cleankit-parent-watch", daemon=True).start()


def _call(fn: Callable[[Any, T], R], item: T) -> R:
    return fn(_context, item)


class Executor:
    """Runs ``fn(context, item)`` for every item; results come back in input order.

    ``local_plugins`` says whether ``fn`` runs where plugins registered in this process
    exist (this process, or a fork of it); when it is false, workers load the installed
    plugins themselves. An executor that holds resources between :meth:`map` calls (a
    connection to a cluster) releases them in :meth:`close`; executors are also context
    managers that close on exit.
    """

    workers = 1
    local_plugins = True
    #: The name ``make_executor`` knows it by (recorded in ``report.json``).
    name = "local"

    def start(self) -> None:
        """Get ready to run (connect to a cluster, say), so that a run fails before it
        writes anything; nothing for the local executors."""

    def map(self, fn: Callable[[Any, T], R], items: Iterable[T], context: Any) -> Iterator[R]:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the executor holds; nothing for the local executors."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SerialExecutor(Executor):
    """Everything in this process, one shard after another."""

    def map(self, fn: Callable[[Any, T], R], items: Iterable[T], context: Any) -> Iterator[R]:
        for item in items:
            yield fn(context, item)


class ProcessExecutor(Executor):
    """Local worker processes.

    ``context`` (the pipeline, the reader) reaches each worker once, when it starts.
    At most ``window`` shards are in flight, so memory stays bounded however large the
    corpus, and results are yielded in shard order, so output does not depend on which
    worker finished first.
    """

    def __init__(self, workers: int, window: int | None = None) -> None:
        if workers < 1:
            raise ValueError(f"workers must be 1 or more, got {workers}")
        self.workers = workers
        self.window = window or workers * 2
        methods = multiprocessing.get_all_start_methods()
        # fork starts fast and shares plugins registered in this process (tests, notebooks).
        self._mp = multiprocessing.get_context("fork" if "fork" in methods else "spawn")

    @property
    def forks(self) -> bool:
        return self._mp.get_start_method() == "fork"

    @property
    def local_plugins(self) -> bool:
        return self.forks

    def map(self, fn: Callable[[Any, T], R], items: Iterable[T], context: Any) -> Iterator[R]:
        with ProcessPoolExecutor(
            self.workers, mp_context=self._mp, initializer=_set_context, initargs=(context,)
        ) as pool:
            pending: deque[Future[R]] = deque()
            for item in items:
                pending.append(pool.submit(_call, fn, item))
                if len(pending) >= self.window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()


#: Executor names for ``make_executor`` (and ``cleankit run --executor``).
EXECUTORS = ("local", "ray")
RAY_INSTALL = "pip install 'cleankit[ray]'"

#: Environment variables that choose plugins; a Ray job's workers get the driver's values.
_PLUGIN_VARIABLES = ("CLEANKIT_LOAD_PLUGINS", "CLEANKIT_DISABLE_PLUGINS")

#: In a Ray worker: the context of the map call it last ran a task of, as
#: ``(object id, (fn, context))``, so each worker unpickles a context once, not per shard.
_ray_job: tuple[str, tuple[Any, Any]] | None = None


def _ray_task(job: list[Any], item: Any) -> Any:
    """One shard, in a Ray worker. ``job`` holds the object-store reference of
    ``(fn, context, cwd)``, inside a list so that Ray hands over the reference itself."""
    global _ray_job
    import ray

    (ref,) = job
    key = ref.hex()
    if _ray_job is None or _ray_job[0] != key:
        _ray_job = None  # let the previous map's context go before loading this one
        fn, context, cwd = ray.get(ref)
        # Relative input paths mean on every node what they mean to the driver, wherever
        # the driver's folder exists (a shared filesystem).
        if cwd != os.getcwd() and os.path.isdir(cwd):
            os.chdir(cwd)
        _ray_job = (key, (fn, context))
    fn, context = _ray_job[1]
    return fn(context, item)


def _check_reachable(address: str, where: str) -> None:
    """Fail at once when nothing listens at a ``HOST:PORT`` address: Ray itself would keep
    retrying for minutes. Other forms (``auto``, ``ray://...``) are left to Ray."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or "/" in address:
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=10).close()
    except OSError as exc:
        raise ExecutorError(
            f"cannot {where}: {exc.strerror or exc}; check the address, and that the cluster's "
            "head node was started there (ray start --head)"
        ) from None


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ExecutorError(
            f"the ray executor needs Ray, which is not installed; install it with {RAY_INSTALL}"
        ) from None
    return ray


class RayExecutor(Executor):
    """Shards as Ray tasks, one task per shard, on a local Ray instance or a cluster.

    With ``address`` (``HOST:PORT`` of a running cluster, or ``"auto"``) the executor
    connects to that cluster and ``workers`` defaults to its CPU count; without it, a local
    Ray instance is started with ``workers`` CPUs (all of this machine's by default). If
    Ray is already initialised in this process, that instance is used as it is.

    Each :meth:`map` puts ``context`` into the object store once (``ray.put``); a worker
    unpickles it once per map call, not once per shard. At most ``window`` shards
    (``2 * workers`` by default) are in flight, and results are yielded in shard order.
    Workers load the installed plugins themselves (plugins registered only in this process
    do not exist there), with this process's ``CLEANKIT_LOAD_PLUGINS`` and
    ``CLEANKIT_DISABLE_PLUGINS``. Ray's logging is kept to errors, and the output of workers
    is not forwarded. :meth:`close` stops a local instance this executor started, and
    disconnects from a cluster without stopping it.
    """

    local_plugins = False
    name = "ray"

    def __init__(
        self, workers: int | None = None, address: str | None = None, window: int | None = None
    ) -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be 1 or more, got {workers}")
        if window is not None and window < 1:
            raise ValueError(f"window must be 1 or more, got {window}")
        self._ray = _import_ray()
        self.address = address
        self._workers = workers
        self._window = window
        self._task: Any = None
        self._connected = False  # by this executor, which then disconnects in close()

    @property
    def workers(self) -> int:
        if self._workers is None:
            self._connect()
            cpus = self._ray.cluster_resources().get("CPU", 1)
            self._workers = max(1, int(cpus))
        return self._workers

    @property
    def window(self) -> int:
        return self._window or 2 * self.workers

    def start(self) -> None:
        """Start the local Ray instance, or connect to the cluster."""
        self._connect()

    def _connect(self) -> None:
        ray = self._ray
        if ray.is_initialized():
            return
        options: dict[str, Any] = {
            "log_to_driver": False,
            "configure_logging": True,
            "logging_level": logging.ERROR,
        }
        env = {name: os.environ[name] for name in _PLUGIN_VARIABLES if name in os.environ}
        if env:
            options["runtime_env"] = {"env_vars": env}
        if self.address is None:
            options.update(address="local", num_cpus=self._workers, include_dashboard=False)
            where = "start a local Ray instance"
        else:
            options["address"] = self.address
            where = f"connect to the Ray cluster at {self.address!r}"
            _check_reachable(self.address, where)
        try:
            ray.init(**options)
        except Exception as exc:
            raise ExecutorError(f"cannot {where}: {type(exc).__name__}: {exc}") from exc
        self._connected = True

    def map(self, fn: Callable[[Any, T], R], items: Iterable[T], context: Any) -> Iterator[R]:
        ray = self._ray
        self._connect()
        if self._task is None:
            self._task = ray.remote(_ray_task)
        job = [ray.put((fn, context, os.getcwd()))]
        window = self.window
        pending: deque[Any] = deque()
        try:
            for item in items:
                pending.append(self._task.remote(job, item))
                if len(pending) >= window:
                    yield ray.get(pending.popleft())
            while pending:
                yield ray.get(pending.popleft())
        finally:
            for ref in pending:  # the run stopped early: do not leave its shards running
                ray.cancel(ref)

    def close(self) -> None:
        """Stop the local Ray instance this executor started, or disconnect from the
        cluster; a Ray instance that was running before is left alone."""
        if self._connected:
            self._connected = False
            self._ray.shutdown()


def make_executor(
    workers: int | None = 1, kind: str = "local", address: str | None = None
) -> Executor:
    """The executor named ``kind`` (one of :data:`EXECUTORS`).

    ``"local"``: this process for one worker, local worker processes for more.
    ``"ray"``: Ray tasks, on a local instance with ``workers`` CPUs or on the cluster at
    ``address``. ``workers=None`` means 1, except on a cluster, where it means the
    cluster's CPU count. ``address`` is only for ``"ray"``.
    """
    if kind not in EXECUTORS:
        raise ConfigError(unknown_name_message("executor", kind, list(EXECUTORS)))
    if address is not None and kind != "ray":
        raise ConfigError(
            f"an address ({address!r}) names a Ray cluster and is only used by the ray "
            'executor; add --executor ray (executor = "ray" in a config file), or leave '
            "the address out"
        )
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be 1 or more, got {workers}")
    if kind == "ray":
        return RayExecutor(1 if workers is None and address is None else workers, address)
    workers = workers or 1
    return SerialExecutor() if workers == 1 else ProcessExecutor(workers)
