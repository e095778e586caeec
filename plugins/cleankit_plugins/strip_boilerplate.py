"""Step ``strip_boilerplate``: keep the article, remove the page furniture around it.

Three kinds of evidence decide, line by line:

* rules: named patterns for the usual furniture (newsletter prompts, share lines,
  teaser headers, notices, footers, sign-offs), kept as data (``DEFAULT_RULES``); the
  ``extra_patterns`` option adds more, and so can any plugin through the
  ``cleankit_register_patterns`` hook (kind ``"boilerplate"``). A rule that looks for a keyword anywhere in a line
  (``cookie``, ``©``, ``subscribe``) never removes a line that reads as a sentence of
  prose: inside the article such a line stays, outside it the article stretch decides;
* prose features: long lines that end like sentences and are full of function words are
  article text; runs of short title-like lines are menus and teaser lists. The article is
  the stretch of lines with the most prose weight (a maximum-sum run), so a menu above it
  and a footer below it fall away while a short line inside it stays;
* the corpus: short lines that recur in many documents of one folder are template text
  (counted in the scan phase, with a bounded table of stable hashes).

A doubtful line inside the article is kept: losing prose is worse than keeping a menu
item. A guard flags documents that would lose more than a set share of their text.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, NamedTuple

import regex

from cleankit import ConfigError, Document, PluginError, Step, hookimpl, option
from cleankit.lines import Line, Removal, delete_lines, split_lines
from cleankit.literals import tree_pattern
from cleankit.plugins import get_registry
from cleankit.prose import (
    LineFeatures,
    best_stretch,
    could_be_prose,
    line_features,
    paragraph_features,
    prose_score,
    weigh_isolated,
    wrapped_prose_lines,
)
from cleankit_plugins.line_counts import LineCounts

try:  # the standard library's reader of regular expressions (for the rules' screens)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse


@dataclass(frozen=True)
class Rule:
    """A named pattern for one kind of furniture line.

    ``pattern`` is matched (case-insensitively, with the ``regex`` module) against the
    stripped line. Lines with more than ``max_words`` words never match, so that a
    paragraph that merely mentions a newsletter stays. An ``end`` rule marks the end of
    the article: what follows it is removed too unless it reads as prose.
    """

    name: str
    pattern: str
    max_words: int = 12
    end: bool = False
    #: Remove a matching line even when it reads as a sentence (phrases no article uses).
    decisive: bool = False
    #: Furniture that sits between an article's paragraphs (ads, link lines): it does not
    #: break the article's run of prose.
    inline: bool = False
    #: With ``end``: the article ends here whatever follows (a wire sign-off), instead of
    #: only when no more prose follows (an author box).
    final: bool = False
    #: An appeal to the reader (donate, subscribe, get the app): a sentence that matches
    #: but does not speak to the reader ("visitors are asked for a donation") is prose.
    appeal: bool = False

    @property
    def anchored(self) -> bool:
        """Whether the pattern describes the line's shape (from its start) rather than
        looking for a keyword anywhere in it; such rules (and decisive ones) remove a line
        that reads as a sentence, too."""
        return self.decisive or self.pattern.startswith("^")


# Patterns describe shapes of furniture found on many sites, never one site's wording.
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(
        "newsletter",
        r"\b(sign[ -]?up|subscribe|register)\b.{0,80}\b(newsletters?|e-?mails?|updates|alerts?|digest|briefing)\b",
        25,
        appeal=True,
    ),
    Rule("newsletter", r"^(subscribe|sign[ -]?up|join)( now| today| here| for free)?\b", 10),
    Rule("newsletter", r"\b(newsletters?|inbox)\b.{0,40}$", 10),
    Rule(
        "share",
        r"^(share|tweet|pin( it)?|e-?mail|print|save|copy link|share (this|the) (article|story|page|on \w+)|follow us( on \w+)?|like us on \w+)\b",
        6,
    ),
    Rule(
        "share",
        r"^(facebook|twitter|linkedin|whatsapp|reddit|pinterest|telegram|flipboard|messenger|sms)([ ,|/]+(facebook|twitter|linkedin|whatsapp|reddit|pinterest|telegram|email|print|flipboard|messenger|sms))*$",
        12,
    ),
    Rule("share", r"\bshar(e|ing)\b|\b(facebook|twitter|linkedin|whatsapp|pinterest)\b", 6),
    Rule(
        "account",
        r"\b(log ?(in|out)|sign ?(in|out|up)|my account|account settings|edit profile|settings|notifications?)\b",
        5,
    ),
    Rule("tags", r"^(filed (to|under)|tagged|topics?|categories|category)\s*:", 8),
    Rule(
        "advertisement", r"^advertise\b|\bexternal links?\b.{0,40}(new window|not responsible)", 12
    ),
    Rule(
        "comments",
        r"^(\d+\s+)?comments?$|^(leave|post|add|view|show|read|see|join) (a |the |all |\d+ )?(comments?|conversation|discussion)\b|^comments? (are|have been) (closed|disabled)",
        10,
    ),
    Rule(
        "related",
        r"^(related( (articles?|stories|coverage|content|links|topics|news|posts?))?|read more|more (from|on|in|about|news|stories|coverage)\b.*|see also|recommended( for you| reading| stories)?|you (may|might) also (like|be interested in)|most (read|popular|viewed|shared)|trending( now| stories)?|top stories|latest( news| stories| headlines)?|popular( now| stories)?|further reading|also read|read also|don'?t miss|editor'?s picks?|what to read next|up next|more to explore)\W*$",
        8,
    ),
    Rule(
        "link_line",
        r"^(more news|read also|read more|also read|also see|see also|related|recommended|watch|listen|more|previously|next|read next|read the full story|click here)\s*[:>»|\-–—]\s*\S",
        40,
        inline=True,
    ),
    Rule(
        "advertisement",
        r"^(advertisement|advertising|ad|ads by \w+|sponsored( content| links)?|promoted( content)?|paid (content|post)|partner content|story continues below( advertisement)?|continue reading( (the )?(main )?story)?( below)?|article continues below)\W*$",
        6,
        inline=True,
    ),
    Rule(
        "paywall",
        r"\b(already a (subscriber|member)|subscribe to (continue|read|get)|(log|sign) ?in to (continue|read|comment)|create (an|a free) account|register (now |for free )?to (continue|read)|subscribers only|premium (content|article)|start (your|a) free trial|unlimited (digital )?access)\b",
        30,
        decisive=True,
    ),
    Rule(
        "donation",
        r"\b(donate|donation|support (our|independent|quality|local) (journalism|reporting|newsroom)|become a (member|supporter|patron|subscriber)|make a contribution|chip in)\b",
        30,
        appeal=True,
    ),
    Rule(
        "cookie_notice",
        r"\b(cookies?|privacy (policy|notice|settings)|terms (of|and) (use|service|conditions)|ad ?choices|do not sell my)\b",
        30,
    ),
    Rule("copyright", r"(©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved)", 30),
    Rule(
        "navigation",
        r"^(home|menu|search|skip to (main )?(content|navigation)|back to top|go to top|next|previous|close|open|toggle navigation|main menu|sections?|log ?in|sign ?in|sign ?out|log ?out|register|my account|subscribe|contact( us)?|about( us)?|careers|jobs|help|faq|sitemap|rss|advertise( with us)?|accessibility|view all|see all|show more|load more|more)\W*$",
        4,
    ),
    Rule(
        "tags",
        r"^(tags?|topics?|filed under|categories|category|posted in|keywords?|related topics)\s*[:|]",
        25,
    ),
    Rule(
        "timestamp",
        r"^(published|updated|posted|last (updated|modified)|first published)\b.{0,60}\d",
        14,
    ),
    Rule(
        "timestamp",
        r"^(\d+|an?|one)\s*(s|m|h|d|w|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?)\.? ago\b",
        12,
    ),
    Rule("timestamp", r"^(yesterday|today|just now)\b.{0,20}$", 5),
    Rule(
        "timestamp",
        r"^((mon|tue|wed|thu|fri|sat|sun)[a-z]*,? )?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(st|nd|rd|th)?(,? \d{4})?(,? (at )?\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?( [A-Z]{2,4})?)?$",
        10,
    ),
    Rule("timestamp", r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(,? \d{1,2}:\d{2}(\s*[ap]m)?)?$", 6),
    Rule(
        "rating",
        r"^(rating|votes?|score|likes?|reply|replies|report|flag|upvote|downvote|helpful)\b\W*\d*\W*(votes?|points?)?$",
        5,
    ),
    Rule(
        "video",
        r"^(video|watch( now| live| video)?|play( video)?|replay|loading|now playing|your browser does not support\b.*|this video (is|has)\b.*|click to (play|enlarge|expand|watch)|image \d+ of \d+|\d+ of \d+|(photo )?gallery|enlarge( this)? (image|photo)|embed|autoplay)\W*$",
        10,
    ),
    Rule(
        "app_promo",
        r"\b(download|get) (the|our) (\w+ )?app\b|\bapp store\b|\bgoogle play\b",
        20,
        appeal=True,
    ),
    Rule(
        "author_box",
        r"^(about the author|about the reporter|author bio|more by this author|contact the author|follow the author)\b",
        8,
        end=True,
    ),
    Rule("sign_off", r"^[a-z]{2,6}(?:/[a-z]{2,6}){1,6}$", 7, end=True, final=True),
    Rule(
        "end_of_article",
        r"^(end of (article|story)|#{3,}|-30-|\*{3,}\s*end\s*\*{3,})$",
        4,
        end=True,
        final=True,
    ),
)

# Second person, first person plural and imperatives: how appeals talk to the reader.
_ADDRESSES_READER = regex.compile(
    r"\b(you|your|yours|we|our|us)\b|^\W*(please|support|donate|help|subscribe|sign|join|give|become|click|read|accept|register|chip|make)\b",
    regex.IGNORECASE,
)

_FRAME = " \t[](){}<>|•·*»«›‹>-–—:;,"


_NAV_SEPARATORS = re.compile(r"\s[|•·»›>]\s|\s/\s")


# -- screens: cheap tests that rule out most lines before the rules' patterns run --------
#
# Most lines match no rule, and running some thirty patterns over each costs more than
# all else the step does. Screens derived from the patterns themselves say which patterns
# cannot match a line: a pattern anchored at the line's start must find it starting with
# one of a few strings ("subscribe", "sign", "join"); another pattern may need one of a
# few strings anywhere ("cookie", "privacy "), and one search for all those strings
# rules most lines out of every such pattern at once. A pattern the standard library
# cannot read (syntax only ``regex`` knows, flags of its own) gets no screen and always
# runs, so the screens never change which rule names a line.

_REPEATS = frozenset(
    {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}
)
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", object())  # Python 3.11 on
_ASCII = bytes(range(128))
_MAX_CLASS = 64  # a character class of more characters starts no screen string
_SEEN_LINES = 8192  # verdicts kept for lines met again
_BRACES = frozenset(map(ord, "{}"))


def _parse(pattern: str) -> list[tuple[Any, Any]] | None:
    """The items of ``pattern`` as the standard library reads it (with the flag rules are
    compiled with), or None when it cannot, or when the pattern sets flags of its own."""
    try:
        with warnings.catch_warnings():
            # It warns where ``regex`` reads otherwise: "[[:alpha:]]", "[a--b]".
            warnings.simplefilter("error")
            parsed = _sre_parse.parse(pattern, re.IGNORECASE)
    except Exception:  # re.error, a warning, the limits of its reader (recursion, size)
        return None
    if parsed.state.flags & ~(re.IGNORECASE | re.UNICODE):
        return None
    items = list(parsed)
    for op, av in _walk(items):
        if op is _sre.SUBPATTERN and (av[1] or av[2]):
            return None  # (?i:...), (?-i:...)
        if op is _sre.LITERAL and av in _BRACES:
            return None  # a brace it takes as a character may be ``regex`` syntax: {e<=1}
    return items


def _walk(items: Any) -> Iterator[tuple[Any, Any]]:
    """Every (op, argument) of a parsed pattern, nested ones too."""
    for op, av in items:
        yield op, av
        if op is _sre.SUBPATTERN:
            yield from _walk(av[3])
        elif op is _sre.BRANCH:
            for alternative in av[1]:
                yield from _walk(alternative)
        elif op in _REPEATS:
            yield from _walk(av[2])
        elif op is _ATOMIC:
            yield from _walk(av)
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            yield from _walk(av[1])
        elif op is _sre.GROUPREF_EXISTS:
            for branch in av[1:]:
                if branch is not None:
                    yield from _walk(branch)


def _plain_char(code: int) -> str | None:
    """The character of a literal, lowercased, if a screen can look for it: ASCII, or a
    character without case."""
    char = chr(code)
    if char.isascii():
        return char.lower()
    return char if char.lower() == char == char.upper() else None


def _class_chars(members: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The characters of a parsed class ``[...]``, lowercased, when it lists a few plain
    characters and ranges of them."""
    codes: list[int] = []
    for op, av in members:
        if op is _sre.LITERAL:
            codes.append(av)
        elif op is _sre.RANGE and av[1] - av[0] < _MAX_CLASS:
            codes.extend(range(av[0], av[1] + 1))
        else:
            return None  # a category (\d, \w), a negation, a big range
    chars = [_plain_char(code) for code in codes]
    if len(chars) > _MAX_CLASS or None in chars:
        return None
    return frozenset(chars)  # type: ignore[arg-type]


def _starts(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """Lowercase strings one of which every text the parsed items match starts with, or
    None when no such set is known (or the items can match nothing at all)."""
    run: list[str] = []
    for i, (op, av) in enumerate(items):
        char = _plain_char(av) if op is _sre.LITERAL else None
        if char is not None:
            run.append(char)
            continue
        if run:
            return frozenset({"".join(run)})
        if op is _sre.AT:  # ^, \b and the like take no characters
            continue
        if op is _sre.SUBPATTERN:
            return _starts(list(av[3]))
        if op is _sre.BRANCH:
            return _union([_starts(list(alternative)) for alternative in av[1]])
        if op is _sre.IN:
            return _class_chars(av)
        if op in _REPEATS:
            least, most, item = av
            if most == 0:
                continue
            if least >= 1:
                return _starts(list(item))
            return _union([_starts(list(item)), _starts(items[i + 1 :])])
        return None  # any character, a category, a lookaround, a reference...
    return frozenset({"".join(run)}) if run else None


def _needed(items: Any) -> frozenset[str] | None:
    """Lowercase strings one of which is in every text the parsed pattern matches (the
    most telling such set), or None when no such set is known."""
    best: frozenset[str] | None = None
    run: list[str] = []
    for op, av in [*items, (None, None)]:  # a sentinel ends the last run of literals
        char = _plain_char(av) if op is _sre.LITERAL else None
        if char is not None:
            run.append(char)
            continue
        if run:
            best = _more_telling(best, frozenset({"".join(run)}))
            run = []
        if op is _sre.SUBPATTERN:
            best = _more_telling(best, _needed(av[3]))
        elif op is _sre.BRANCH:
            best = _more_telling(best, _union([_needed(a) for a in av[1]]))
        elif op in _REPEATS and av[0] >= 1:
            best = _more_telling(best, _needed(av[2]))
        elif op is _ATOMIC:
            best = _more_telling(best, _needed(av))
        # Anything else (classes, anchors, lookarounds, references) needs no literal.
    return best


def _union(sets: list[frozenset[str] | None]) -> frozenset[str] | None:
    """One string of one of the sets (None when one of them is unknown)."""
    if any(s is None or "" in s for s in sets):
        return None
    return frozenset().union(*sets)  # type: ignore[arg-type]


def _more_telling(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """Of two sets of needed strings, the one whose shortest string is longer."""
    if a is None or b is None:
        return a if b is None else b
    return a if min(map(len, a)) >= min(map(len, b)) else b


def _any_of(
    strings: frozenset[str], made: dict[frozenset[str], re.Pattern[str]]
) -> re.Pattern[str]:
    """One pattern that finds any of ``strings`` (as a tree of their common beginnings,
    which the standard library's engine runs fast); ``made`` keeps those made before."""
    if strings not in made:
        made[strings] = re.compile(tree_pattern(strings))
    return made[strings]


@dataclass(frozen=True, eq=False)
class _Check:
    position: int
    rule: Rule
    pattern: Any
    #: For a pattern anchored at the start: the (lowercase) line starts with one of these.
    starts: tuple[str, ...] | None
    #: Else, maybe: the lowercase line holds one of these.
    needs: frozenset[str] | None


class _RuleChecks:
    """The rules in order, with the screens that say which of them to try on a line.

    Everything is kept per number of words a line has (a rule allows lines of up to
    ``max_words`` words), so a line only meets the rules that allow it.
    """

    def __init__(self, compiled: list[tuple[Rule, Any]]) -> None:
        checks = [self._check(i, rule, pattern) for i, (rule, pattern) in enumerate(compiled)]
        most = max((c.rule.max_words for c in checks), default=-1)
        self._by_words = [[c for c in checks if n <= c.rule.max_words] for n in range(most + 1)]
        self._always = [
            [c for c in allowed if c.starts is None and c.needs is None]
            for allowed in self._by_words
        ]
        self._by_start = [_by_first_char(allowed) for allowed in self._by_words]
        self._needing = [[c for c in allowed if c.needs] for allowed in self._by_words]
        searches: dict[frozenset[str], re.Pattern[str]] = {}
        self._any_need = [
            _any_of(needs, searches) if needs else None
            for needs in (
                frozenset().union(*(c.needs or () for c in needing)) for needing in self._needing
            )
        ]
        # A line with a character beyond ASCII that matches another character of the
        # screens' strings when case is ignored (the Kelvin sign for "k") skips them.
        strings = [s for c in checks for s in (*(c.needs or ()), *(c.starts or ()))]
        self._chars = frozenset("".join(strings))
        self._aliases: dict[str, bool] = {}
        self._seen: dict[tuple[str, int], Rule | None] = {}

    @staticmethod
    def _check(position: int, rule: Rule, pattern: Any) -> _Check:
        items = _parse(rule.pattern)
        if items is None or regex.DEFAULT_VERSION != regex.VERSION0:
            return _Check(position, rule, pattern, None, None)
        if items[:1] == [(_sre.AT, _sre.AT_BEGINNING)]:
            # The reader puts first a ^ that begins every alternative: every match starts
            # at the start of the line.
            starts = _starts(items)
            if starts is not None:
                return _Check(position, rule, pattern, tuple(sorted(starts)), None)
        return _Check(position, rule, pattern, None, _needed(items))

    def first(self, stripped: str, core: str, words: int) -> Rule | None:
        """The first rule whose pattern finds ``stripped`` or its unframed ``core``, of
        those that allow ``words`` words."""
        key = (stripped, words)
        if key in self._seen:  # menus and footers recur from page to page
            return self._seen[key]
        rule = self._first(stripped, core, words)
        if len(self._seen) >= _SEEN_LINES:
            self._seen.clear()
        self._seen[key] = rule
        return rule

    def _first(self, stripped: str, core: str, words: int) -> Rule | None:
        framed = core != stripped
        if self._screenable(stripped):
            checks = self._screened(stripped.lower(), core.lower() if framed else None, words)
        else:
            checks = self._by_words[words]
        for check in checks:
            pattern = check.pattern
            if pattern.search(stripped) or (framed and pattern.search(core)):
                return check.rule
        return None

    def _screened(self, lowered: str, core: str | None, words: int) -> list[_Check]:
        """The checks a line passes the screens of (``lowered``: the line in lowercase,
        ``core``: its unframed core in lowercase if that differs), in rule order."""
        by_start = self._by_start[words]
        found = [
            c
            for c in by_start.get(lowered[:1], ())
            if lowered.startswith(c.starts) or (core is not None and core.startswith(c.starts))  # type: ignore[arg-type]
        ]
        if core is not None and core[:1] != lowered[:1]:
            found += [
                c
                for c in by_start.get(core[:1], ())
                if core.startswith(c.starts) and c not in found  # type: ignore[arg-type]
            ]
        # The core is part of the line: a string in the core is in the line.
        search = self._any_need[words]
        if search is not None and search.search(lowered):
            found += [
                c
                for c in self._needing[words]
                if any(map(lowered.__contains__, c.needs))  # type: ignore[arg-type]
            ]
        found += self._always[words]
        if len(found) > 1:
            found.sort(key=_position)
        return found

    def _screenable(self, line: str) -> bool:
        """Whether no character of ``line`` beyond ASCII matches a character of the
        screens' strings other than itself when case is ignored."""
        if line.isascii():
            return True
        beyond = line.encode("utf-8", "surrogatepass").translate(None, _ASCII)
        for char in set(beyond.decode("utf-8", "surrogatepass")):
            alias = self._aliases.get(char)
            if alias is None:
                if len(self._aliases) >= _SEEN_LINES:
                    self._aliases.clear()
                others = "".join(regex.escape(c) for c in self._chars if c != char)
                alias = self._aliases[char] = bool(
                    others and regex.fullmatch(f"[{others}]", char, regex.IGNORECASE)
                )
            if alias:
                return False
        return True


@lru_cache(maxsize=16)
def _rule_checks(compiled: tuple[tuple[Rule, Any], ...]) -> _RuleChecks:
    """The checks of these rules (reading the patterns takes a while: steps with the same
    rules share them)."""
    return _RuleChecks(list(compiled))


def _position(check: _Check) -> int:
    return check.position


def _by_first_char(checks: list[_Check]) -> dict[str, list[_Check]]:
    """The checks with start strings, under each first character of those strings."""
    by_char: dict[str, list[_Check]] = {}
    for check in checks:
        for first in sorted({s[0] for s in check.starts or ()}):
            by_char.setdefault(first, []).append(check)
    return by_char


@dataclass(frozen=True)
class StripBoilerplateOptions:
    """Options of ``strip_boilerplate``.

    ``aggressiveness`` moves every threshold at once: ``gentle`` removes only what rules
    and the corpus name; ``normal`` also removes what lies outside the article's stretch
    of prose; ``strict`` also removes short non-sentence lines inside it.
    """

    aggressiveness: Literal["gentle", "normal", "strict"] = option(
        "normal", "gentle: rules and corpus only; normal: also outside the article; strict: more"
    )
    rules: bool = option(True, "use the named patterns (built-in and those plugins register)")
    disabled_rules: tuple[str, ...] = option((), "rule names to switch off")
    extra_patterns: tuple[str, ...] = option(
        (), "more rules, each 'name=regex' (case-insensitive, lines of up to 25 words)"
    )
    min_article_weight: float = option(
        40.0, "prose weight a stretch needs to count as the article (else only rules apply)"
    )
    template_min_documents: int = option(
        5, "a short line in at least this many documents of a folder is template text"
    )
    template_min_share: float = option(
        0.02, "... and in at least this share of that folder's documents"
    )
    template_max_entries: int = option(
        2_000_000, "bound on the corpus table of line hashes (memory)"
    )
    max_removed_share: float = option(
        0.95, "flag a document when more than this share of its text would go"
    )
    on_excess: Literal["flag", "keep"] = option(
        "flag", "flag: remove and flag in meta; keep: also leave the document untouched"
    )


@dataclass
class TemplateCounts:
    """Scan state: per folder, how many documents, and in how many each line hash appears."""

    documents: Counter[str]
    lines: LineCounts

    def prune(self, max_entries: int) -> None:
        """Forget the rarest line hashes once the table is over its bound."""
        self.lines.prune(max_entries)


class _Judged(NamedTuple):
    line: Line
    features: LineFeatures
    rule: Rule | None
    template: bool
    score: float


class StripBoilerplate(Step):
    """Remove site furniture around and inside the article, each line with its reason.

    >>> page = "\\n".join([
    ...     "Home", "News", "Sport",
    ...     "The council voted on Tuesday to close the old bridge for a year of repairs.",
    ...     "Drivers will be sent through the town centre, which the council expects to be busy.",
    ...     "Work on the new deck starts in the spring and should be finished by next winter.",
    ...     "Share this article", "Copyright 2024 The Daily Example",
    ... ])
    >>> print(StripBoilerplate().clean(page).text)
    The council voted on Tuesday to close the old bridge for a year of repairs.
    Drivers will be sent through the town centre, which the council expects to be busy.
    Work on the new deck starts in the spring and should be finished by next winter.
    """

    name = "strip_boilerplate"
    Options = StripBoilerplateOptions
    default_order = 40
    rewrites = False
    # Its scan counts lines: one that an earlier step removes is never looked up.
    scan_needs_removals = False

    def __init__(self, options: StripBoilerplateOptions | None = None, **values: Any) -> None:
        super().__init__(options, **values)
        o = self.options
        if not 0 < o.max_removed_share <= 1:
            raise ConfigError(f"step {self.name!r}: max_removed_share must be in (0, 1]")
        rules = [*DEFAULT_RULES, *contributed_rules()] if o.rules else []
        for text in o.extra_patterns:
            name, sep, pattern = text.partition("=")
            if not sep or not name.strip() or not pattern:
                raise ConfigError(
                    f"step {self.name!r}: extra_patterns entries look like 'name=regex', got {text!r}"
                )
            rules.append(Rule(name.strip(), pattern, 25))
        known = {r.name for r in rules}
        unknown = sorted(set(o.disabled_rules) - known)
        if unknown:
            raise ConfigError(
                f"step {self.name!r}: unknown rule(s) in disabled_rules: {', '.join(unknown)}; "
                f"rules are: {', '.join(sorted(known))}"
            )
        self.rules = [r for r in rules if r.name not in o.disabled_rules]
        try:
            self._compiled = [(r, regex.compile(r.pattern, regex.IGNORECASE)) for r in self.rules]
        except regex.error as exc:
            raise ConfigError(
                f"step {self.name!r}: a rule pattern does not compile: {exc}"
            ) from None
        self._max_rule_words = max((r.max_words for r in self.rules), default=-1)
        self._checks = _rule_checks(tuple(self._compiled))
        self._templates: dict[str, set[bytes]] = {}

    # -- the corpus scan -----------------------------------------------------------------

    def new_scan_state(self) -> TemplateCounts:
        return TemplateCounts(Counter(), LineCounts())

    def scan(self, doc: Document, state: TemplateCounts) -> TemplateCounts:
        folder = _folder(doc)
        state.documents[folder] += 1
        lines = doc.text.split("\n")
        wrapped = wrapped_prose_lines(lines)
        keys = {
            _line_key(line)
            for i, line in enumerate(lines)
            if i not in wrapped and _template_candidate(line)
        }
        state.lines.add_document(folder, keys)
        state.prune(self.options.template_max_entries)
        return state

    def merge_scan_states(self, a: TemplateCounts, b: TemplateCounts) -> TemplateCounts:
        # Added into ``a`` in place: a new table per merge would copy the growing merged
        # table once per shard, quadratic in the number of shards.
        a.documents.update(b.documents)
        a.lines.update(b.lines)
        a.prune(self.options.template_max_entries)
        return a

    def use_scan_state(self, state: TemplateCounts) -> None:
        o = self.options
        # A line is template text of its folder when seen in at least this many documents.
        floors = {
            folder: max(o.template_min_documents, o.template_min_share * docs)
            for folder, docs in state.documents.items()
        }
        self._templates = state.lines.keys_at_least(floors)

    # -- applying ------------------------------------------------------------------------

    def judge(self, doc: Document) -> tuple[list[_Judged], dict[int, Removal]]:
        """Judge every non-blank line; return the judgements and the lines to remove."""
        judged, removals, _ = self._judge(doc)
        return judged, removals

    def _judge(self, doc: Document) -> tuple[list[_Judged], dict[int, Removal], list[Line]]:
        """:meth:`judge`, and every line of the text (for :func:`delete_lines`)."""
        lines = split_lines(doc.text)
        templates = self._templates.get(_folder(doc), set())
        measured = paragraph_features([line.text for line in lines])
        content, measures, rules, templated, scores = [], [], [], [], []
        for line, features in zip(lines, measured, strict=True):
            if not features.chars:
                continue  # a blank line
            text = line.text
            rule = self.furniture_rule(text, features)
            template = (
                bool(templates)
                and _template_candidate(text, features)
                and _line_key(text) in templates
            )
            score = prose_score(features)
            if features.function_share < 0.2 and _NAV_SEPARATORS.search(text):
                score = min(score, -2.0)
            if rule is not None or template:
                score = -(3.0 + features.words)
            if rule is not None and not rule.anchored and features.prose_like:
                # A keyword in a sentence is evidence, not a verdict: the line keeps its
                # furniture weight but goes only if it falls outside the article's stretch.
                # An appeal that does not speak to the reader is plain prose.
                if rule.appeal and not _ADDRESSES_READER.search(text):
                    score = prose_score(features)
                rule = None
            content.append(line)
            measures.append(features)
            rules.append(rule)
            templated.append(template)
            scores.append(score)
        # Lines a rule removes anyway are not neighbours: a link line inside the article
        # must not leave the paragraph after it looking isolated.
        plain = [i for i, rule in enumerate(rules) if rule is None or not rule.inline]
        weights = weigh_isolated(
            [scores[i] for i in plain], [measures[i].prose_like for i in plain]
        )
        for i, weight in zip(plain, weights, strict=True):
            scores[i] = weight
        rows = list(map(_Judged, content, measures, rules, templated, scores))
        return rows, self._removals(rows), lines

    def apply(self, doc: Document) -> None:
        judged, removals, lines = self._judge(doc)
        if not removals:
            return
        removed = sum(j.line.end - j.line.start for j in judged if j.line.index in removals)
        total = sum(j.line.end - j.line.start for j in judged) or 1
        share = removed / total
        if share > self.options.max_removed_share:
            doc.meta["boilerplate_guard"] = {
                "removed_share": round(share, 3),
                "limit": self.options.max_removed_share,
                "action": "kept" if self.options.on_excess == "keep" else "removed",
            }
            if self.options.on_excess == "keep":
                return
        delete_lines(doc, lines, removals)

    def furniture_rule(self, text: str, features: LineFeatures) -> Rule | None:
        """The first rule that names ``text`` as furniture (``features`` measure it)."""
        if features.words > self._max_rule_words:
            return None
        stripped = text.strip()
        # "[ 12 comments ]", "• Share", "» Read more": rules see the line without its frame.
        return self._checks.first(stripped, stripped.strip(_FRAME), features.words)

    def _removals(self, judged: list[_Judged]) -> dict[int, Removal]:
        o = self.options
        removals: dict[int, Removal] = {}
        for j in judged:
            if j.rule is not None:
                removals[j.line.index] = Removal("boilerplate", f"rule {j.rule.name}")
            elif j.template:
                removals[j.line.index] = Removal(
                    "boilerplate", "template line repeated across the corpus"
                )
        if o.aggressiveness == "gentle" or not judged:
            return removals
        first, last, weight = best_stretch([j.score for j in judged])
        if weight < o.min_article_weight:
            return removals  # no clear article here: only rules and the corpus speak
        last = self._cut_at_end_mark(judged, first, last)
        for i, j in enumerate(judged):
            index = j.line.index
            if index in removals:
                continue
            if i < first:
                removals[index] = Removal("boilerplate", "before the article")
            elif i > last:
                removals[index] = Removal("boilerplate", "after the article")
            elif o.aggressiveness == "strict" and j.score < 0 and j.features.words <= 3:
                removals[index] = Removal("boilerplate", "short line inside the article")
        return removals

    def _cut_at_end_mark(self, judged: list[_Judged], first: int, last: int) -> int:
        """The article ends at an end mark unless real prose follows it."""
        for i in range(first, last + 1):
            rule = judged[i].rule
            if rule is not None and rule.end:
                prose_after = sum(j.features.prose_like for j in judged[i + 1 : last + 1])
                if rule.final or prose_after < 2:
                    return i - 1
        return last


def contributed_rules() -> list[Rule]:
    """Rules other plugins registered with ``register("boilerplate", name, pattern, ...)``."""
    rules = []
    for contributed in get_registry().patterns_of("boilerplate"):
        try:
            rules.append(
                Rule(contributed.name, contributed.pattern, **dict(contributed.attributes))
            )
        except TypeError:
            known = "max_words, end, final, decisive, inline, appeal"
            given = ", ".join(k for k, _ in contributed.attributes)
            raise PluginError(
                f"{contributed.origin} registered boilerplate pattern {contributed.name!r} with "
                f"attributes {given}; the attributes strip_boilerplate knows are: {known}"
            ) from None
    return rules


def _folder(doc: Document) -> str:
    doc_id = doc.id or ""
    return doc_id.rsplit("/", 1)[0] if "/" in doc_id else ""


_DIGITS = re.compile(r"\d+")


def _template_candidate(line: str, features: LineFeatures | None = None) -> bool:
    """Only short lines that are not prose can be template text (a repeated paragraph is
    a duplicate, not furniture). ``features`` are measured here if not given."""
    stripped = line.strip()
    if not 0 < len(stripped) <= 200:
        return False
    if features is None and not could_be_prose(stripped):
        return True  # no need to measure it
    return not (features or line_features(stripped)).prose_like


def _line_key(line: str) -> bytes:
    """A stable hash of a line, the same in every process (so shards merge)."""
    key = _keys_seen.get(line)
    if key is None:
        # Runs of spaces become one: the line is stripped, so splitting and joining does it.
        normal = " ".join(_DIGITS.sub("0", line.strip().lower()).split())
        key = hashlib.blake2b(normal.encode("utf-8"), digest_size=8).digest()
        if len(_keys_seen) >= _SEEN_LINES:
            _keys_seen.clear()
        _keys_seen[line] = key
    return key


# Keys of lines met before: template lines recur in every document of a folder.
_keys_seen: dict[str, bytes] = {}


@hookimpl
def cleankit_register_steps(register):
    register(StripBoilerplate)
