"""The shapes captions and photo credits take in scraped news text.

:class:`CaptionFinder` looks at one line (a paragraph) and returns the captions in it,
each with its offsets in the line, its text, its credit and its date. It knows:

* credits: a news or photo agency (``AFP``, ``Reuters``, ``Getty Images``, ...; the list is
  data, :data:`AGENCIES`), ``Name/Agency`` and ``Agency/Name``, ``X via Agency``,
  ``(AP Photo/Name)``, ``(Source via Agency)``, ``Photo: …``, ``Credit: …``, ``© …``;
* dated caption runs: ``3 November 2017: text CREDIT`` repeated, glued to each other, to
  their credits and to the prose without spaces or line breaks;
* caption lines: ``Image caption …``, ``Media caption …``, and lines that are only a credit
  (``Image copyright Getty Images``);
* caption paragraphs: a short paragraph that ends in a credit; a credit that could also be
  the end of a sentence (``(Reuters)``, a bare agency name) counts only when the paragraph
  speaks of a picture (``photo``, ``image``, ``frame grab``, ``shows``, ...);
* video leftovers: a short title line ending in a duration (``… strongholds 1:13``).

Prose that mentions an agency ("…, Reuters reported.", "told AFP on Friday", "the
AP-NORC poll") has no credit at its end and is never a caption.

Most lines hold no caption: :meth:`CaptionFinder.lines_to_search` names, from a few
literal searches over a whole text, the lines worth looking at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from cleankit.dates import parse_date
from cleankit.literals import tree_pattern

#: News and photo agencies whose names credit a picture. Extend with the step's
#: ``extra_agencies`` option or a ``caption_credit`` pattern from a plugin.
AGENCIES: tuple[str, ...] = (
    "AFP",
    "Agence France-Presse",
    "Reuters",
    "AP",
    "Associated Press",
    "Getty Images",
    "Getty",
    "EPA",
    "EPA-EFE",
    "EFE",
    "Anadolu Agency",
    "Anadolu",
    "Xinhua",
    "Bloomberg",
    "Shutterstock",
    "Alamy",
    "PA Images",
    "PA Wire",
    "PA",
    "dpa",
    "DPA",
    "ANSA",
    "Kyodo",
    "Kyodo News",
    "Yonhap",
    "TASS",
    "Sputnik",
    "SANA",
    "UPI",
    "ZUMA Press",
    "ZUMA Wire",
    "Zuma",
    "SIPA",
    "Sipa USA",
    "NurPhoto",
    "AAP",
    "Corbis",
    "iStock",
    "iStockphoto",
    "WireImage",
    "Pool",
    "Handout",
    "AFPTV",
    "Reuters TV",
    "Polaris",
    "Redux",
    "ABACA",
    "Imago",
    "ANP",
    "Belga",
    "NTB",
    "Ritzau Scanpix",
    "Scanpix",
    "TT News Agency",
    "Lusa",
    "IRNA",
    "Tasnim",
    "WAM",
    "KCNA",
    "Planet Labs",
    "Maxar Technologies",
    "Press Association",
    "Canadian Press",
    "The Canadian Press",
    "PA Media",
    "PTI",
    "ANI",
    "IANS",
    "Jiji Press",
    "Antara",
    "Bernama",
    "Yonhap News Agency",
    "Xinhua News Agency",
    "Sportsfile",
    "Inpho",
    "Gallo Images",
    "Rex Features",
    "Splash News",
    "BACKGRID",
    "NASA",
    "ESA",
    "ESO",
    "NOAA",
)

_PARTICLE = r"(?:al|el|ad|as|ash|bin|ibn|abu|de|da|di|du|del|della|der|den|dos|das|van|von|le|la)"
_CAP = r"\p{Lu}[\p{L}'’.\-]*"
_NAME_TOKEN = rf"(?:{_CAP}|{_PARTICLE}[\-’']{_CAP})"
#: A person's name of up to three tokens (``Amira el-Haddad``, ``Tomas McAllister``).
_NAME = rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN}){{0,2}}"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
#: ``3 November 2017:`` or ``November 3, 2017:`` opening a caption (digits may be glued
#: to the credit before them, so no word boundary is asked for).
_DATED = (
    rf"(?<!\d)(?P<date>\d{{1,2}}\s+{_MONTH}\.?,?\s+\d{{4}}|{_MONTH}\.?\s+\d{{1,2}},?\s+\d{{4}})"
    r"\s*[:\-–—]\s+"
)
_PICTURE = (
    r"\b(?:photo(?:graph)?s?|pictures?|pictured|images?|frame ?grab|screen ?grab|still|footage"
    r"|video|handout|undated|file photo|in this|(?:is|are) seen|poses?|posing|shows?|showing"
    r"|released by|provided by|taken|smoke rises)\b"
)
_CREDIT_WORDS = r"(?:Photo(?:graph)?s?|Pictures?|Images?|Credit|Photo credit|Image credit|Picture credit|Image copyright|Image source|Copyright|Source|Photography)"
# On a line of its own, "Photos: …" heads a gallery and "Source: …" signs a chart.
_LINE_CREDIT_WORDS = r"(?:Photo(?:graph)?|Picture|Image|Credit|Photo credit|Image credit|Picture credit|Image copyright|Image source|Copyright|Photography)"
_MARKER_WORDS = rf"(?i:\b(?:{_CREDIT_WORDS}|courtesy|via)\b)"
_SENTENCE_END = regex.compile(r"""[.!?…]["'”’)\]]*$""")
_DURATION_LINE = regex.compile(
    r"^(?P<title>\S.{2,150}?)\s*[-–—|]?\s*\(?(?P<duration>\d{1,2}:\d{2}(?::\d{2})?)\)?$"
)
# A clip's running time: up to 12 minutes as m:ss, or h:mm:ss.
_SHORT_CLIP = regex.compile(r"(?:0?\d|1[0-2]):[0-5]\d|\d{1,2}:[0-5]\d:[0-5]\d")
_CLOCK = regex.compile(r"\d:\d\d")
_NOT_A_VIDEO_TITLE = regex.compile(
    r"\b(?:at|from|to|until|till|by|before|after|between|and|or|since|around|about|kick-?off|"
    r"doors|starts?|ends?|[ap]\.?m\.?|gmt|utc|e[sd]t|p[sd]t|c[e]?s?t|bst|ist)\W*$"
    rf"|\b(?:published|updated|posted|time|remaining|elapsed|duration)\b|\b{_MONTH}\.?\s+\d"
    rf"|\d\s+{_MONTH}\b|^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b",
    regex.IGNORECASE,
)
#: The name of the named list of agency names in the credit patterns.
_AGENCY_LIST = "agency_names"

# Words after which an agency's name is the object of a sentence, not a credit.
_LEADS_TO_NAME = r"from|by|to|of|at|with|for|told|and|the|via|said|says|according to"
_AFTER_SENTENCE = regex.compile(r"""[.!?…]["'”’)]?\s+$""")
_GLUED_SENTENCE_END = regex.compile(r"[.!?][\"”’)]?(?=\p{Lu})")
# Longest stretch at the end of a text that a credit can take.
_CREDIT_WINDOW = 160
# Text that ends like a sentence (but not like "(AP Photo)." or "Jr."): no credit there.
_PROSE_END = regex.compile(r"""(?<![)\p{Lu}]|\bJr|\bSr)[.!?…]["'”’]?\s*$|["'”’]\s*$""")
# A site's copyright notice: a year after the sign, or the legal formula.
_COPYRIGHT = regex.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}|\w+\s+\d{4})|all rights reserved", regex.IGNORECASE
)
# The words the marker looks for in any case, as they read in case-folded text.
_FOLDED_WORDS = re.compile("photo|picture|image|credit|copyright|source|courtesy|via")
# Credit words as the case-sensitive credit shapes write them (each alternative of
# _CREDIT_WORDS starts with one).
_CASED_CREDIT_WORDS = ("Photo", "Picture", "Image", "Credit", "Copyright", "Source")
# The other literal text of credit shapes, each searched alone: stdlib ``re`` skips fast
# to a lone literal, not to a choice of them.
_CREDIT_LITERALS = tuple(re.compile(text) for text in ("/", "©", "via", "courtesy"))
# A line that ends in a clip's running time has a colon among its last nine characters
# (trailing spaces aside; ``re``'s ``\s`` is what ``str.strip`` strips).
_COLON_AT_END = re.compile(r":[^\n]{0,8}?[^\S\n]*$", re.MULTILINE)


# The letters beyond ASCII that a case-insensitive ``regex`` pattern reads as ASCII ones.
_OTHER_CASES = {"i": "\u0130", "k": "\u212a", "s": "\u017f"}


def _any_case(word: str) -> str:
    """A pattern for stdlib ``re`` matching the ASCII ``word`` in any case, as a
    case-insensitive ``regex`` pattern does.

    >>> _any_case("ski")
    '[Ssſ][KkK][Iiİ]'
    """
    return "".join(f"[{c.upper()}{c}{_OTHER_CASES.get(c, '')}]" for c in word)


# The first word of a caption line or of a credit line (matched without regard to case
# at the start of the stripped line), after a line break and spaces.
_OPENING_WORD = re.compile(
    "\n[^\\S\n]*(?:"
    + "|".join(
        _any_case(w)
        for w in ("photo", "picture", "image", "credit", "copyright", "media", "video", "caption")
    )
    + ")"
)
# Capitalised prefixes that are part of one name token, not a glue point ("McAllister").
_NAME_PREFIXES = frozenset({"Mc", "Mac", "Fitz", "De", "Di", "Da", "Du", "Le", "La", "Van", "Von"})


@dataclass(frozen=True)
class Found:
    """One caption in a line: ``line[start:end]`` is the whole caption (date and credit
    included); ``text`` is the caption itself."""

    start: int
    end: int
    text: str
    credit: str | None
    date: str | None
    rule: str
    duration: str | None = None


@dataclass(frozen=True)
class Credit:
    """A credit found at the end of a piece of text."""

    start: int  #: where the credit begins in the piece
    text: str  #: the credit without brackets or lead word
    strong: bool  #: a shape that only ever credits a picture


class CaptionFinder:
    """Finds captions in lines of text; agency names and extra credit patterns are data.

    >>> finder = CaptionFinder()
    >>> [(f.text, f.credit, f.date) for f in finder.find(
    ...     "3 November 2017: Police advance towards the townJane Roe/Reuters")]
    [('Police advance towards the town', 'Jane Roe/Reuters', '2017-11-03')]
    >>> finder.find("The minister resigned on Friday, Reuters reported.")
    []
    """

    def __init__(
        self,
        agencies: Iterable[str] = AGENCIES,
        extra_credit_patterns: Iterable[str] = (),
        max_words: int = 80,
    ) -> None:
        names = {n for n in agencies if n}
        names |= {n.upper() for n in names if len(n) > 3}
        # Two spellings of the names. The patterns that search a whole line for a name
        # have them as a prefix tree, which fails at the first letter where no name
        # starts. The credit shapes have them as a named list, which ``regex`` matches as
        # a set of strings, the longest first (as the tree does), and parses at once:
        # spelt out in all ten shapes, the names took 0.1 s more of each run's start.
        lists = {_AGENCY_LIST: names} if names else {}

        def compile_(pattern: str) -> regex.Pattern[str]:
            """A pattern that holds ``agency``, with the names it lists."""
            return regex.compile(pattern, **lists)

        extra = [f"(?:{p})" for p in extra_credit_patterns]

        def agency_pattern(names_pattern: str) -> str:
            alternatives = [names_pattern] if names else []
            alternatives += extra
            return (
                rf"(?<!\p{{Lu}})(?:{'|'.join(alternatives)})"
                r"(?:\s+(?:Photos?|Images|Pictures|TV|Video))?(?!\p{Ll})"
            )

        searched = agency_pattern(tree_pattern(names, regex.escape))
        agency = agency_pattern(rf"\L<{_AGENCY_LIST}>")
        source = rf"(?:{agency}|{_NAME})"
        self._agency_in = regex.compile(searched)
        # Every credit shape holds one of these; most lines hold none, so one search
        # spares the others. (:meth:`_has_marker` finds the same, faster.)
        self._marker = regex.compile(rf"{searched}|[©/]|{_MARKER_WORDS}")
        self._marker_word = regex.compile(_MARKER_WORDS)
        # The agency names as literal text, for stdlib ``re``, which finds literals many
        # times faster than ``regex`` finds the marker; None when a credit pattern is
        # more than literal text.
        self._agency_literal: re.Pattern[str] | None = None
        self._credit_literal: re.Pattern[str] | None = None
        if names and not extra:
            self._agency_literal = re.compile(tree_pattern(names))
            self._credit_literal = re.compile(tree_pattern(names | set(_CASED_CREDIT_WORDS)))
        self.max_words = max_words
        # Credits that end a piece of text; each captures ``credit``. A bracketed credit
        # is whole as it stands; the others may have a name glued to the text before.
        self._bracketed = compile_(
            rf"[(\[]\s*(?P<credit>[^()\[\]]{{0,60}}\bvia\s+[^()\[\]]{{2,40}}|{agency}\s+Photos?(?:\s*/\s*[^()\[\]]{{2,40}})?"
            rf"|{_CREDIT_WORDS}\s*(?::|by\b)\s*[^()\[\]]{{2,60}}|{_NAME}\s*/\s*{agency}[^()\[\]]{{0,30}}"
            rf"|{agency}\s*/\s*[^()\[\]]{{2,40}}|courtesy (?:of )?[^()\[\]]{{2,60}})\s*[)\]]\.?$"
        )
        self._lead_word = regex.compile(
            rf"(?:^|(?<=[\s.;,|–—\-\p{{Ll}}]))(?P<credit>(?:{_CREDIT_WORDS}\s*(?::|by\b|©)|©)\s*(?:[^.!?:]|(?<=\b\p{{Lu}})\.){{2,60}}?)\s*$"
        )
        self._strong_end = [
            self._bracketed,
            self._lead_word,
            compile_(rf"(?P<credit>{source}\s+via\s+{agency})$"),
            compile_(
                rf"(?P<credit>(?:{_NAME}\s*/\s*{agency}|{agency}\s*/\s*(?:{agency}|{_NAME}))(?:\s*(?:/|via)\s*{agency})*)$"
            ),
        ]
        # Text each of those shapes holds: looking for it is much quicker than trying
        # the shape at every position.
        self._strong_end_needs = ("", "", "via", "/")
        # A bracketed credit with prose after it on the same line.
        self._bracketed_inside = compile_(
            self._bracketed.pattern.removesuffix(r"\.?$") + r"(?=\s*\p{Lu})"
        )
        self._weak_end = [
            compile_(rf"[(\[]\s*(?P<credit>{agency})\s*[)\]]\.?$"),
            compile_(rf"(?<!\b(?i:{_LEADS_TO_NAME})\s+)(?P<credit>{agency})$"),
        ]
        # A photographer's credit with prose glued after it ("…Jo Park/AFPThe army …").
        self._slash_then_text = compile_(
            rf"(?P<credit>(?:{_NAME}\s*/\s*{agency}|{agency}\s*/\s*{_NAME})(?:\s*(?:/|via)\s*{agency})*)(?=\p{{Lu}}\p{{Ll}})"
        )
        # A strong credit with prose glued after it ("…/AFPThe army said …").
        self._credit_then_text = compile_(
            rf"(?P<credit>(?:{_NAME}\s*/\s*{agency}|{agency}\s*/\s*{_NAME}|{agency}))(?=\p{{Lu}}\p{{Ll}})"
        )
        self._dated = regex.compile(_DATED)
        self._picture = regex.compile(_PICTURE, regex.IGNORECASE)
        self._caption_line = regex.compile(
            r"^(?:(?:image|media|photo|video|picture) caption|caption)\b\s*:?\s*(?P<text>\S.*)$",
            regex.IGNORECASE,
        )
        self._copyright_then_caption = regex.compile(
            r"^(?:image copyright|image source|copyright)\s*(?P<credit>\S.{1,60}?)\s*"
            r"(?:image|media|photo|video|picture) caption\s*:?\s*(?P<text>\S.*)$",
            regex.IGNORECASE,
        )
        self._credit_line = [
            regex.compile(
                rf"^(?:{_LINE_CREDIT_WORDS}\s*(?::|by\b|©)|Image copyright|Image source|Photo credit|©)\s*(?P<credit>\S.{{1,60}})$",
                regex.IGNORECASE,
            ),
            compile_(
                rf"^\(?(?P<credit>{_NAME}\s*/\s*{agency}|{agency}\s*/\s*(?:{agency}|{_NAME})|{agency}|{source}\s+via\s+{agency})\)?$"
            ),
        ]

    def lines_to_search(self, text: str) -> set[int] | None:
        """Indices of the lines of ``text`` (split at ``\\n``) that may hold a caption or
        a credit; :meth:`find` and :meth:`credit_line` give nothing for any other line.

        None when every line may (a credit pattern that is more than literal text).

        >>> CaptionFinder().lines_to_search("Prose.\\nA view of the port (Photo: AFP)\\nMore.")
        {1}
        """
        if self._credit_literal is None:
            return None
        lines: set[int] = set()
        # Past the marker (which only rules credits out), every credit shape is
        # case-sensitive and holds an agency's name, a credit word as written, a sign,
        # "via" or "courtesy"; the shapes that ignore case open the line with their
        # word; video titles end in a running time.
        for literal in (self._credit_literal, *_CREDIT_LITERALS):
            _add_lines_matching(literal, text, lines)
        # With a line break put first, the line that breaks before a word is that
        # word's line in ``text``.
        _add_lines_matching(_OPENING_WORD, "\n" + text, lines)
        _add_lines_matching(_COLON_AT_END, text, lines)
        return lines

    def _has_marker(self, text: str, pos: int = 0) -> bool:
        """Whether ``self._marker.search(text, pos)`` finds a match: its alternatives one
        at a time, each after a literal test that rules most text out."""
        if text.find("/", pos) >= 0 or text.find("©", pos) >= 0:
            return True
        literal = self._agency_literal
        if (literal is None or literal.search(text, pos)) and self._agency_in.search(text, pos):
            return True
        return (
            _FOLDED_WORDS.search(_fold(text[pos:])) is not None
            and self._marker_word.search(text, pos) is not None
        )

    # -- credits -------------------------------------------------------------------------

    def credit_at_end(self, piece: str, weak: bool = True) -> Credit | None:
        """The credit that ends ``piece``, if any (``weak`` allows shapes that can also end
        a sentence, such as a bare agency name)."""
        if _PROSE_END.search(piece):
            return None  # a sentence ends here; no credit shape ends in a full stop
        # Credits are short: look only at the end of the piece (lookbehinds still see
        # the text before ``pos``).
        window = max(0, len(piece) - _CREDIT_WINDOW)
        if not self._has_marker(piece, window):
            return None
        # Of the strong shapes, the one that starts first is the whole credit
        # ("Photo: Jo Park/AFP", not "Jo Park/AFP").
        found = [
            m
            for p, needs in zip(self._strong_end, self._strong_end_needs, strict=True)
            if (not needs or piece.find(needs, window) >= 0) and (m := p.search(piece, window))
        ]
        strong = bool(found)
        if not found and weak:
            found = [m for m in (p.search(piece, window) for p in self._weak_end) if m]
        if not found:
            return None
        match = min(found, key=lambda m: m.start())
        start, credit = match.start(), match.group("credit").strip()
        if _COPYRIGHT.search(credit):
            return None  # a site's copyright notice, not a picture's credit
        if credit.startswith("©") and not self._agency_in.search(credit):
            strong = False  # "© Jane Roe" could end a footer as well as a caption
        whole = match.re is self._bracketed or match.re is self._lead_word
        if not whole and ("/" in credit or " via " in credit):
            start, credit = _unglue_name(piece, match.start("credit"), credit)
        return Credit(start, _clean_credit(credit), strong or _glued(piece, match.start()))

    def credit_line(self, line: str) -> Credit | None:
        """The credit when the whole line is one (``Image copyright Reuters``).

        It is ``strong`` when its shape only ever credits a picture (``Photo: …``,
        ``Name/Agency``); a bare agency name or ``© Name`` also sits under teaser
        headlines and in footers.
        """
        stripped = line.strip()
        if len(stripped.split()) > 10 or not self._has_marker(stripped):
            return None
        if _COPYRIGHT.search(stripped):
            return None
        for pattern in self._credit_line:
            match = pattern.match(stripped)
            if match:
                credit = _clean_credit(match.group("credit"))
                bare = self._agency_in.fullmatch(stripped.strip("()[] ")) is not None
                signed = stripped.startswith("©") and not self._agency_in.search(credit)
                return Credit(0, credit, not (bare or signed))
        return None

    def speaks_of_picture(self, text: str) -> bool:
        """Whether ``text`` talks about a picture or video ("photo", "frame grab", ...)."""
        return self._picture.search(text) is not None

    # -- captions in a line -------------------------------------------------------------

    def find(self, line: str) -> list[Found]:
        """The captions in one line (offsets into ``line``), in order."""
        stripped = line.strip()
        if not stripped:
            return []
        lead = len(line) - len(line.lstrip())
        end = lead + len(stripped)
        dated = self._dated_run(line, lead, end)
        if dated:
            return dated
        match = self._copyright_then_caption.match(stripped)
        if match:
            credit = _clean_credit(match.group("credit"))
            return [Found(lead, end, match.group("text"), credit, None, "caption_line")]
        match = self._caption_line.match(stripped)
        if match:
            text = match.group("text")
            credit = self.credit_at_end(text)
            body = text[: credit.start].rstrip(" -–—|,;:") if credit else text
            return [Found(lead, end, body, credit.text if credit else None, None, "caption_line")]
        if len(stripped.split()) > self.max_words:
            return []
        video = self._video_title(stripped)
        if video is not None:
            title, duration = video
            return [Found(lead, end, title, None, None, "video_title", duration)]
        return self._credited_paragraph(stripped, lead)

    def _dated_run(self, line: str, lead: int, end: int) -> list[Found]:
        starts = []
        for match in self._dated.finditer(line, lead, end):
            at = match.start()
            glued = at > lead and not line[at - 1].isspace()
            after_credit = at > lead and self.credit_at_end(line[lead:at].rstrip()) is not None
            if at == lead or glued or after_credit:
                starts.append(match)
        if not starts:
            return []
        found: list[Found] = []
        first = starts[0].start()
        if first > lead:  # a caption whose date is not in this line, ending in a credit
            before = self._undated_piece(line, lead, first)
            if before is not None:
                found.append(before)
        for i, match in enumerate(starts):
            stop = starts[i + 1].start() if i + 1 < len(starts) else end
            body_start = match.end()
            piece = line[body_start:stop].rstrip()
            date = parse_date(match.group("date").replace(".", ""))
            last = i + 1 == len(starts)
            credit = self.credit_at_end(piece)
            tail_prose = False
            if last and credit is None:
                glued = self._credit_then_text.search(piece)
                if glued is not None:
                    credit = Credit(glued.start(), _clean_credit(glued.group("credit")), True)
                    stop = body_start + glued.end()
                    tail_prose = True
            text = (piece[: credit.start] if credit else piece).rstrip(" -–—|,;:")
            if last and credit is None and len(text.split()) > 50:
                break  # a long run of words after a date is prose, not a caption
            caption_end = stop if tail_prose else body_start + len(piece)
            found.append(
                Found(
                    match.start(),
                    caption_end,
                    text,
                    credit.text if credit else None,
                    date,
                    "dated_caption",
                )
            )
        if not any(f.credit for f in found):
            return []  # dated lines without a single credit are a timeline, not a gallery
        return found

    def _undated_piece(self, line: str, lead: int, stop: int) -> Found | None:
        piece = line[lead:stop].rstrip()
        credit = self.credit_at_end(piece)
        if credit is None:
            return None
        start = _caption_start(piece[: credit.start])
        text = piece[start : credit.start].rstrip(" -–—|,;:")
        if not text or len(text.split()) > 50:
            return None
        return Found(lead + start, lead + len(piece), text, credit.text, None, "dated_caption")

    def _bracketed_then_prose(self, stripped: str, lead: int) -> list[Found]:
        """A caption ending in a credit with prose after it on the same line: a bracketed
        credit, or a ``Name/Agency`` credit glued to the text after it."""
        # Both shapes need a bracket or a slash: most lines have neither.
        match = None
        if ("(" in stripped or "[" in stripped) and self._has_marker(stripped):
            match = self._bracketed_inside.search(stripped)
        if match is None and "/" in stripped:
            match = self._slash_then_text.search(stripped)
        if match is None or _COPYRIGHT.search(match.group("credit")):
            return []
        credit_start, credit = match.start(), match.group("credit")
        if match.re is self._slash_then_text:
            credit_start, credit = _unglue_name(stripped, credit_start, credit)
        start = _caption_start(stripped[:credit_start])
        text = stripped[start:credit_start].rstrip(" -–—|,;:")
        if not 4 <= len(text.split()) <= self.max_words:
            return []
        credit = _clean_credit(credit)
        return [Found(lead + start, lead + match.end(), text, credit, None, "credited_paragraph")]

    def _video_title(self, stripped: str) -> tuple[str, str] | None:
        match = _DURATION_LINE.match(stripped)
        if match is None:
            return None
        if not _SHORT_CLIP.fullmatch(match.group("duration")):
            return None  # "17:30" is a time of day more likely than a clip's length
        if match.group("title").rstrip().endswith(":") or _CLOCK.search(match.group("title")):
            return None  # "Opening hours: 08:00", "first tram 05:40, last tram 23:10"
        title = match.group("title").rstrip(" -–—|:")
        words = title.split()
        if not 3 <= len(words) <= 15 or _SENTENCE_END.search(title):
            return None
        if _NOT_A_VIDEO_TITLE.search(title) or parse_date(title) or not title[:1].isupper():
            return None
        return title, match.group("duration")

    def _credited_paragraph(self, stripped: str, lead: int) -> list[Found]:
        credit = self.credit_at_end(stripped)
        if credit is None:
            return self._bracketed_then_prose(stripped, lead)
        text = stripped[: credit.start].rstrip(" -–—|,;:")
        if len(text.split()) < 4:
            return []
        if not credit.strong and not self._picture.search(text):
            return []
        return [
            Found(
                lead,
                lead + len(stripped),
                text,
                credit.text,
                None,
                "credited_paragraph",
            )
        ]


def _fold(text: str) -> str:
    """``text`` case-folded so that whatever a case-insensitive ``regex`` pattern of
    ASCII letters matches reads as those letters (``İ`` folds to ``i`` and a dot above,
    which goes).

    >>> _fold("IMAGE ſource \u0130mage")
    'image source image'
    """
    return text.casefold().replace("\u0307", "")


def _add_lines_matching(pattern: re.Pattern[str], text: str, lines: set[int]) -> None:
    """Add to ``lines`` the index of every line of ``text`` where ``pattern`` starts a
    match (one search per such line; the text between them is scanned in C)."""
    at, index = 0, 0  # the start of line ``index``
    while True:
        match = pattern.search(text, at)
        if match is None:
            return
        hit = match.start()
        index += text.count("\n", at, hit)
        lines.add(index)
        at = text.find("\n", hit) + 1
        if not at:
            return
        index += 1


def _caption_start(piece: str) -> int:
    """Where a caption that ends ``piece`` starts: after the last sentence glued to it
    ("…ended.Smoke rises"), or at the start."""
    start = 0
    for boundary in _GLUED_SENTENCE_END.finditer(piece):
        start = boundary.end()
    return start


def _glued(piece: str, at: int) -> bool:
    """Whether the credit at ``at`` is glued to the word before it ("StateAFP")."""
    return at > 0 and piece[at - 1].isalpha() and piece[at - 1].islower()


_SPACES = regex.compile(r"\s+")
# Where a name glued to the text before it starts: a capital after a lower-case letter
# or a sentence's end.
_NAME_GLUE = regex.compile(r"(?<=\p{Ll}|[.!?,;:)\]\"”’])(?=\p{Lu})")
_CREDIT_LEAD = regex.compile(
    rf"^(?:{_CREDIT_WORDS}\s*(?::|by\b)|Image copyright|Image source|©)\s*", regex.IGNORECASE
)


def _clean_credit(credit: str) -> str:
    """The credit without its lead word ("Photo: ", "© ") and spaces made single."""
    credit = _SPACES.sub(" ", credit).strip(" ()-–—|,;:")
    return _CREDIT_LEAD.sub("", credit).strip(" ()-–—|,;:") or credit


def _unglue_name(piece: str, credit_start: int, credit: str) -> tuple[int, str]:
    """Where a ``Name/Agency`` credit really begins, and its text from there.

    Scraped captions glue the photographer's name to the caption ("…of the harbourAmira
    el-Haddad/AFP", "…above the quay.Jo Park/AP"): the name starts at a change
    from a lower-case letter or a full stop to a capital (not the one in "McAllister").
    Without one, a name that follows a sentence's end (or nothing) is kept whole, and
    one that follows other words keeps at most two capitalised words.
    """
    cut = min(p for p in (credit.find("/"), credit.find(" via ")) if p >= 0)
    name_part = credit[:cut]
    for match in _NAME_GLUE.finditer(name_part):
        token_start = name_part.rfind(" ", 0, match.start()) + 1
        if name_part[token_start : match.start()] in _NAME_PREFIXES:
            continue
        return credit_start + match.start(), credit[match.start() :]
    before = piece[:credit_start]
    if not before.strip() or _AFTER_SENTENCE.search(before) or not before[-1:].isspace():
        return credit_start, credit
    tokens = name_part.split()
    capitalised = [i for i, t in enumerate(tokens) if t[:1].isupper() or "-" in t]
    if len(capitalised) > 2:
        skip = len(" ".join(tokens[: capitalised[-2]])) + 1
        return credit_start + skip, credit[skip:]
    return credit_start, credit
