"""Step ``extract_metadata``: move title, byline, dateline and date from the text to ``meta``.

The article is found as the stretch of lines with the most prose weight (see
:func:`cleankit.prose.article_stretch`). Just above it, and in its first lines, sit the
title, the byline (``By …``), a dateline line (``CITY (AGENCY) Mon DD, YYYY``) and a date
line; a wire dateline can also open the first paragraph (``CITY, Month DD (Agency) -``).
Each one found is removed from the text as an ``extract`` span and stored in ``meta``
with its raw offsets. Section subheadings inside the article stay and are labelled
``heading``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import regex

from cleankit import Document, Step, hookimpl, option
from cleankit.dates import DATE, iso_date, parse_date
from cleankit.lines import Line, Removal, delete_lines
from cleankit.prose import LineFeatures, article_stretch, paragraph_features
from cleankit_plugins.strip_boilerplate import StripBoilerplate

_NAME = r"(?:\p{Lu}[\w'’.-]*|(?:de|da|del|der|di|du|van|von|bin|al|el|la|le|ibn)\b[\w'’-]*)"
_NAMES = rf"{_NAME}(?:\s+{_NAME}){{0,4}}"
BYLINE = regex.compile(
    rf"^(?:[Bb]y|BY|[Ww]ritten by|[Ww]ords by|[Ss]tory by|[Rr]eporting by)\s+(?P<names>{_NAMES}(?:\s*(?:,|and|&)\s*{_NAMES})*)"
    r"(?:\s*(?:[|,–—-]|\bin\b)\s*(?P<rest>.{0,80}))?$"
)
DATELINE_LINE = regex.compile(
    r"^(?P<city>\p{Lu}[\w .'’-]{1,40}?)\s*\((?P<agency>\p{L}[\w .&-]{1,30})\)\s*[-–—,:]?\s*(?P<date>.{0,40})$"
)
# CITY, Month DD (Agency) -   /   CITY (Agency) —   /   CITY, State (Agency) -
DATELINE_PREFIX = regex.compile(
    r"^(?P<city>\p{Lu}[\p{Lu}.'’-]+(?:[ -]\p{Lu}[\p{Lu}.'’-]+){0,3}(?:,\s*\p{Lu}[\p{L}.]{1,15})?)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
    r"\s*(?:\((?P<agency>[^()\n]{2,30})\))?\s*[-–—]{1,2}\s+(?=\S)"
)
DATE_PREFIX = regex.compile(
    r"^(?:published|updated|posted|last updated|date)?\s*(?:on|:)?\s*", regex.IGNORECASE
)
_DIGIT = re.compile(r"\d")
_TIME = regex.compile(
    r"^\s*(?:[|,-]|at)?\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,5})?\s*$",
    regex.IGNORECASE,
)


@dataclass(frozen=True)
class ExtractMetadataOptions:
    """Options of ``extract_metadata``; each field can be switched off on its own."""

    title: bool = option(True, "move the article's title to meta['title']")
    byline: bool = option(True, "move a 'By …' line to meta['byline'] (with 'authors')")
    dateline: bool = option(True, "move a 'CITY (AGENCY) date' line or prefix to meta['dateline']")
    date: bool = option(True, "move a line that only states a date to meta['published']")
    headings: bool = option(True, "label subheadings inside the article (they stay in the text)")
    search_lines: int = option(8, "lines above the article searched for title, byline and date")
    title_gap: int = option(3, "other lines that may stand between the title and the article")


class ExtractMetadata(Step):
    """Move the title, byline, dateline and publication date into ``meta``.

    >>> doc = ExtractMetadata().clean(
    ...     "Council approves new bridge\\n"
    ...     "By Jane Example\\n"
    ...     "The city council approved the new bridge on Tuesday after a long debate about costs.\\n"
    ...     "Work will begin in the spring, and the old crossing will stay open until then."
    ... )
    >>> doc.meta["title"]["text"], doc.meta["byline"]["authors"]
    ('Council approves new bridge', ['Jane Example'])
    >>> doc.text.startswith("The city council")
    True
    """

    name = "extract_metadata"
    Options = ExtractMetadataOptions
    default_order = 30
    rewrites = False

    def __init__(self, options: ExtractMetadataOptions | None = None, **values: Any) -> None:
        super().__init__(options, **values)
        self._furniture = StripBoilerplate()

    def apply(self, doc: Document) -> None:
        texts = doc.text.split("\n")
        every = paragraph_features(texts)
        content = [i for i, f in enumerate(every) if f.chars]  # the non-blank lines
        measured = [every[i] for i in content]
        stretch = article_stretch(measured, min_weight=20.0)
        if stretch is None:  # a short text: the article runs from its first to last sentence
            prose = [i for i, f in enumerate(measured) if f.prose_like]
            if not prose:
                return
            stretch = (prose[0], prose[-1])
        first, last = stretch
        # Only the lines around the article's start can be metadata: only they become
        # Line objects (with offsets).
        lines = _Lines(texts)
        removals: dict[int, Removal] = {}
        window = content[max(0, first - self.options.search_lines) : first + 2]
        for index in window:
            self._classify(doc, lines[index], removals)
        if self.options.title:
            above = content[max(0, first - self.options.search_lines) : first]
            self._find_title(doc, [lines[i] for i in above], every, removals)
        if self.options.dateline and "dateline" not in doc.meta:
            self._dateline_prefix(doc, lines[content[first]], removals)
        if self.options.headings:
            self._label_headings(doc, lines, content[first : last + 1], every, removals)
        if removals:
            # delete_lines sees each removed run with the non-blank lines next to it (or
            # the text's start or end where there is none): the lines from the one before
            # the first removal to the one after the last are all it needs.
            below = bisect_left(content, min(removals))
            above = bisect_right(content, max(removals))
            start = content[below - 1] if below else 0
            end = content[above] if above < len(content) else len(texts) - 1
            delete_lines(doc, [lines[i] for i in range(start, end + 1)], removals)

    # -- what each line is ---------------------------------------------------------------

    def _classify(self, doc: Document, line: Line, removals: dict[int, Removal]) -> None:
        text = line.text.strip()
        o = self.options
        if o.byline and "byline" not in doc.meta:
            match = BYLINE.match(text)
            if match and _looks_like_names(match.group("names")):
                authors = [
                    a.strip() for a in _AUTHOR_SEPARATOR.split(match.group("names")) if a.strip()
                ]
                self._take(doc, line, "byline", removals, text=text, authors=authors)
                return
        if o.dateline and "dateline" not in doc.meta and "(" in text:  # "(AGENCY)"
            match = DATELINE_LINE.match(text)
            date = parse_date(match.group("date")) if match else None
            if match and (date or not match.group("date").strip()):
                self._take(
                    doc,
                    line,
                    "dateline",
                    removals,
                    text=text,
                    city=match.group("city").strip(),
                    agency=match.group("agency").strip(),
                    date=date,
                )
                if date:
                    doc.meta.setdefault("published", {"date": date, "from": "dateline"})
                return
        if o.date and "date_line" not in doc.meta and _DIGIT.search(text):  # dates have one
            rest = DATE_PREFIX.sub("", text, count=1)
            match = DATE.match(rest)
            tail = rest[match.end() :] if match else ""
            if match and (not tail.strip() or _TIME.match(tail)):
                date = iso_date(match)
                if date:
                    self._take(doc, line, "date_line", removals, text=text, date=date)
                    doc.meta["published"] = {"date": date, "from": "date line"}

    def _find_title(
        self,
        doc: Document,
        above: list[Line],
        features: list[LineFeatures],
        removals: dict[int, Removal],
    ) -> None:
        skipped = 0
        for line in reversed(above):  # nearest to the article first
            if line.index in removals:
                continue  # a byline or date between title and article
            text = line.text.strip()
            f = features[line.index]
            if _title_like(text, f) and self._furniture.furniture_rule(text, f) is None:
                self._take(doc, line, "title", removals, text=text)
                return
            skipped += 1
            if skipped > self.options.title_gap:
                return

    def _dateline_prefix(self, doc: Document, line: Line, removals: dict[int, Removal]) -> None:
        match = DATELINE_PREFIX.match(line.text)
        if (
            line.index in removals
            or not match
            or not (match.group("agency") or _all_caps(match.group("city")))
        ):
            return
        start, end = doc.raw_range(line.start, line.start + match.end())
        date = parse_date(match.group("date") or "")
        doc.meta["dateline"] = {
            "text": match.group(0).strip(),
            "city": match.group("city"),
            "agency": match.group("agency"),
            "date": date,
            "start": start,
            "end": end,
        }
        doc.extract(
            line.start,
            line.start + match.end(),
            label="dateline",
            reason="dateline opening the first paragraph",
        )

    def _label_headings(
        self,
        doc: Document,
        lines: _Lines,
        article: list[int],
        features: list[LineFeatures],
        removals: dict[int, Removal],
    ) -> None:
        """Label the short title-like lines between paragraphs (``article``: the indexes
        of the article's non-blank lines)."""
        for before, index, after in zip(article, article[1:], article[2:], strict=False):
            f = features[index]
            if (
                2 <= f.words <= 12
                and not f.sentence_end
                and index not in removals
                and features[after].prose_like
                and features[before].words >= 8
                and lines.text(index).strip()[:1].isupper()
            ):
                line = lines[index]
                doc.annotate(
                    line.start,
                    line.end,
                    label="heading",
                    reason="short title-like line between paragraphs",
                )

    def _take(
        self, doc: Document, line: Line, field: str, removals: dict[int, Removal], **value: Any
    ) -> None:
        start, end = doc.raw_range(line.start, line.end)
        doc.meta[field] = {**value, "start": start, "end": end}
        removals[line.index] = Removal(
            field.removesuffix("_line"),
            f"{field.replace('_', ' ')} moved to meta",
            {"field": field},
            extract=True,
        )


class _Lines:
    """The lines of a text as :class:`Line` objects, each made when first asked for."""

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts
        # Line i starts after the text and line break of every line before it.
        self._ends = list(accumulate(map(len, texts)))
        self._made: dict[int, Line] = {}

    def text(self, index: int) -> str:
        return self._texts[index]

    def __getitem__(self, index: int) -> Line:
        line = self._made.get(index)
        if line is None:
            start = (self._ends[index - 1] if index else 0) + index
            text = self._texts[index]
            line = self._made[index] = Line(index, start, start + len(text), text)
        return line


_AUTHOR_SEPARATOR = regex.compile(r"\s*(?:,|\band\b|&)\s*")
_NAME_WORD = regex.compile(r"[\w'’.-]+")


def _looks_like_names(names: str) -> bool:
    words = _NAME_WORD.findall(names)
    return 0 < len(words) <= 12 and sum(w[0].isupper() for w in words) >= len(words) * 0.6


def _all_caps(text: str) -> bool:
    letters = "".join(filter(str.isalpha, text.split(",")[0]))
    return len(letters) >= 2 and all(map(str.isupper, letters))


_NOT_IN_TITLES = regex.compile(r"[|@/\\#]|https?:|www\.|:$")


def _title_like(text: str, f: LineFeatures) -> bool:
    if not 3 <= f.words <= 25 or (f.sentence_end and not text.endswith(("?", "!"))):
        return False
    if not text[:1].isupper() or _all_caps(text) or f.digits_share > 0.1:
        return False
    letters = sum(map(str.isalpha, text))
    if letters < 0.7 * len(text.replace(" ", "")):
        return False
    return not _NOT_IN_TITLES.search(text) and DATE.search(text) is None


@hookimpl
def cleankit_register_steps(register):
    register(ExtractMetadata)
