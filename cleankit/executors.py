"""Executors run one function over many shards and give the results back in shard order.

The boundary is deliberately small (:meth:`Executor.map`), so that a distributed engine
can be added as another executor without touching steps, readers or writers.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_context: Any = None


def _set_context(context: Any) -> None:
    global _context
    _context = context


def _call(fn: Callable[[Any, T], R], item: T) -> R:
    return fn(_context, item)


class Executor:
    """Runs ``fn(context, item)`` for every item; results come back in input order."""

    workers = 1

    def map(self, fn: Callable[[Any, T], R], items: Iterable[T], context: Any) -> Iterator[R]:
        raise NotImplementedError


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


def make_executor(workers: int) -> Executor:
    """A serial executor for one worker, local processes for more."""
    if workers < 1:
        raise ValueError(f"workers must be 1 or more, got {workers}")
    return SerialExecutor() if workers == 1 else ProcessExecutor(workers)
