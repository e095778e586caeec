"""A synthetic, news-like corpus for benchmarking cleankit.

Every document is built from a seeded :class:`random.Random`, so the same ``seed`` and
document number always give the same bytes, and a corpus of ``4 * N`` documents starts
with the ``N`` documents of the smaller one.

Documents hold 2-8 KB of English-like prose: a headline, a byline, a dateline and
paragraphs of sentences built from the word lists below. Like real scraped news, most
documents use correct typography (curly quotes and apostrophes, em and en dashes,
accented names, the euro sign) and some carry damage that cleankit is meant to repair:

* mojibake: a few non-ASCII words encoded as UTF-8 and decoded as Windows-1252
  (``errors="replace"``, so bytes cp1252 lacks become U+FFFD, as in real lossy damage);
* CRLF line ends, trailing spaces and tabs, runs of blank lines;
* no-break spaces (U+00A0) in place of ordinary ones;
* paragraphs hard-wrapped at a column, as in text pasted from e-mail or PDF;
* page furniture, as scraped pages carry it: a menu of section names at the top and some
  of a newsletter prompt, a share line, a list of teaser headlines under a "related"
  header, advertisement markers between paragraphs and a copyright footer. Each section
  is a site of its own (masthead, menu, wording, a pool of "most read" headlines), so the
  same lines recur across the documents of a section, as templates do; each document
  shows a varying part of it, and now and then another wording of the same site;
* a repeated paragraph: one paragraph, most often the first, printed again further down,
  sometimes with a word changed or dropped;
* photo and video captions between the paragraphs: a gallery run of dated captions glued
  to each other and to their credits, a caption paragraph ending in ``(AP Photo/Name)``,
  a video title with its running time, or an ``Image copyright`` / ``Image caption`` pair.

A few documents (:data:`NORMALIZED_RATE`, 2 %) are instead a normalised copy of an earlier
document of the corpus, as another pipeline would have left it: lower-cased, stopwords
and punctuation dropped, lemmatised (:class:`cleankit_plugins.normalizer.Normalizer`), one
sentence or one paragraph per line. ``restore_stopwords`` finds their originals.

The shares of :data:`DAMAGE_RATES` (and ``normalized``) can be overridden with ``rates``.
A corpus is either a number of documents or a byte target: documents are generated
until their UTF-8 bytes reach it, so a 1 GB corpus begins with the 10 MB one.

Command line::

    python benchmarks/corpus.py OUT_DIR --docs 3000 --seed 0
    python benchmarks/corpus.py OUT_DIR --size 100MB --jobs 2
    python benchmarks/corpus.py OUT_DIR --size 20MB --layout section  # a folder per site
    python benchmarks/corpus.py OUT_DIR --size 50MB --one-document   # OUT_DIR/document.txt
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import random
import re
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# -- vocabulary (written for this benchmark) ----------------------------------------------

# Typography of correct news text, named so the source stays readable.
LSQUO, RSQUO, LDQUO, RDQUO = "\u2018", "\u2019", "\u201c", "\u201d"
NDASH, MDASH, ELLIPSIS, NBSP = "\u2013", "\u2014", "\u2026", "\u00a0"


def _words(text: str) -> list[str]:
    return text.split()


DETERMINERS = ["the", "the", "the", "a", "this", "that", "each", "every", "one", "another"]
ADJECTIVES = _words("""
    local regional national public private senior junior former new old early late
    quiet busy rural urban coastal northern southern eastern western central modest
    large small major minor sudden gradual annual monthly weekly recent final initial
    independent official careful rapid slow cautious bold narrow broad heavy light
    """)
NOUNS = _words("""
    council committee minister mayor resident farmer teacher nurse driver engineer
    company factory market bank budget report survey study plan proposal decision
    bridge road railway station harbour airport school hospital library museum park
    river valley village town district province border coast forest field harvest
    storm flood drought season winter summer election campaign vote debate hearing
    court judge lawyer witness union strike contract wage price tax fund grant loan
    festival concert exhibition team season match coach player league stadium crowd
    network service system website platform device battery engine vehicle
    """)
VERBS = _words("""
    approved rejected announced delayed reviewed expanded reduced questioned praised
    criticised funded opened closed visited inspected described confirmed denied
    welcomed challenged postponed completed launched supported opposed examined
    replaced repaired measured reported recorded predicted estimated surveyed
    """)
ADVERBS = _words("""
    quickly slowly firmly briefly openly quietly largely partly mostly finally
    again already still recently reportedly apparently formally unanimously
    """)
PREPOSITIONS = [
    "in",
    "near",
    "after",
    "before",
    "during",
    "across",
    "under",
    "without",
    "despite",
    "beyond",
    "around",
    "along",
]
CONJUNCTIONS = ["and", "but", "while", "although", "because", "after", "since", "so"]
CONNECTORS = [
    "However,",
    "Meanwhile,",
    "Earlier,",
    "Later,",
    "In addition,",
    "By contrast,",
    "Last year,",
    "On Tuesday,",
    "On Friday,",
    "Since then,",
]
SPEECH_VERBS = ["said", "said", "said", "added", "told reporters", "explained", "warned"]

FIRST_NAMES = [
    "Anna",
    "Tom",
    "Maria",
    "David",
    "Sarah",
    "James",
    "Elena",
    "Peter",
    "Grace",
    "Omar",
    "Lucy",
    "Hugo",
    "Nadia",
    "Ravi",
    "Claire",
    "Ben",
    # accented names: correct here, the usual victims of mojibake
    "José",
    "Zoë",
    "Chloé",
    "Renée",
    "François",
    "Björn",
    "Łukasz",
    "Søren",
    "Inês",
    "Mónica",
    "Jürgen",
    "Noémie",
]
LAST_NAMES = [
    "Walker",
    "Hughes",
    "Patel",
    "Moreno",
    "Carter",
    "Lindqvist",
    "Okafor",
    "Brennan",
    "Fischer",
    "Novak",
    "Reid",
    "Sutton",
    "Kowalski",
    "Ahmed",
    "Müller",
    "Núñez",
    "Lefèvre",
    "Åström",
    "Gonçalves",
    "Dvořák",
    "Öztürk",
    f"O{RSQUO}Neill",
    f"D{RSQUO}Souza",
    "García",
    "Schäfer",
]
PLACES = [
    "Bristol",
    "Leeds",
    "Porto",
    "Lyon",
    "Dublin",
    "Utrecht",
    "Gdańsk",
    "Malmö",
    "Zürich",
    "Montréal",
    "São Paulo",
    "Málaga",
    "Kraków",
    "Köln",
    "Besançon",
    "Reykjavík",
    "Tromsø",
    "Bogotá",
    "Aberdeen",
    "Cork",
]
ORGANISATIONS = [
    "the city council",
    "the health authority",
    "the transport agency",
    "the port authority",
    f"the farmers{RSQUO} union",
    f"the teachers{RSQUO} association",
    "the regional assembly",
    "the environment ministry",
    "the central bank",
    "the Café Rouge chain",
    "the Société Générale branch",
    "the Fête de la Musique",
]
LOANWORDS = [
    "café",
    "résumé",
    "naïve",
    "façade",
    "déjà vu",
    "rôle",
    "entrée",
    f"coup d{RSQUO}état",
    "fiancée",
    "crème brûlée",
    "piñata",
    "über-fan",
    "protégé",
    "vis-à-vis",
]
SECTIONS = ["world", "politics", "business", "science", "sport", "culture", "local"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# -- page furniture (written for this benchmark) ---------------------------------------------
# Each section of the corpus is a site of its own, with its own masthead, menu and
# wording; ``{site}``, ``{desk}`` (the section's name) and ``{year}`` are filled in.

MASTHEADS = [
    "The Harbour Gazette",
    "Northfield Courier",
    "The Evening Ledger",
    "Riverside Chronicle",
    "The Coastline Herald",
    "Midland Observer",
    "The Daily Lantern",
    "Valley Record",
    "The Morning Bulletin",
]
MENU_ITEMS = _words("""
    News World Politics Business Markets Money Science Technology Health Climate Sport
    Football Cricket Culture Film Books Music Opinion Local Weather Travel Food Podcasts
    Video Puzzles Obituaries Lifestyle Education Property Motoring
    """)
MENU_OPENERS = ["Home", "Menu", "Sections", "Latest"]
NEWSLETTER_TEMPLATES = [
    "Sign up for the {desk} briefing, in your inbox every weekday morning",
    "Get our free {desk} newsletter",
    "Subscribe to {site} email updates",
    "Never miss a story: join the {site} morning digest",
    "Want more {desk}? Sign up to our weekly newsletter",
    "Enter your email address to get {desk} alerts",
    "Sign up to The {desk} Week, our Friday round-up",
]
SHARE_TEMPLATES = [
    "Share this article",
    "Share this story",
    "Share on Facebook | Twitter | Email",
    "Facebook Twitter WhatsApp Email",
    "Share: Facebook · X · LinkedIn · Copy link",
    "Tweet Share Email Print",
    "Share",
]
RELATED_TEMPLATES = [
    "Related stories",
    "Read more",
    "More from {desk}",
    "You might also like",
    "Most read in {desk}",
    "Related coverage",
    "More on this story",
]
ADVERT_TEMPLATES = [
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Sponsored content",
    "- Advertisement -",
]
FOOTER_TEMPLATES = [
    "© {year} {site}. All rights reserved.",
    "Copyright {year} {site} | Terms of use | Privacy policy",
    f"{{site}} {{year}} {MDASH} Terms & Conditions · Privacy · Cookie settings",
    "All content © {site} {year}. Reproduction without permission is prohibited.",
    "© {site} Ltd {year} | Contact us | Advertise with us",
]
# Kinds of furniture besides the menu, as they are placed on a page.
FURNITURE_KINDS = ["newsletter", "share", "related", "advert", "footer"]

# Share of documents carrying each kind of damage (independently drawn).
DAMAGE_RATES = {
    "mojibake": 0.04,
    "crlf": 0.25,
    "trailing_space": 0.30,
    "blank_runs": 0.20,
    "nbsp": 0.15,
    "hard_wrap": 0.15,
    "furniture": 0.60,
    "repeated_paragraph": 0.10,
    "captions": 0.20,
}

#: Share of documents that are a normalised copy of an earlier document. Drawn apart from
#: the damage, so every other document is the same whatever this share.
NORMALIZED_RATE = 0.02
#: How far back the original of a normalised copy may be, in documents.
NORMALIZED_LOOKBACK = 1000
#: The pipelines that make normalised copies, in the names of
#: :mod:`cleankit_plugins.normalizer`: (stopword list, lemmatiser).
NORMALIZERS = [
    ("cleankit", "simplemma"),
    ("stop-words", "snowball"),
    ("iso", "simplemma"),
    ("cleankit", "none"),
]

_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
# Where one generated sentence ends and the next begins (the generator writes no
# abbreviations, and a decimal point is never followed by a space).
_SENTENCE_BREAK = re.compile(f"(?<=[.?{ELLIPSIS}]) (?=\\S)")
# Words a reworded paragraph may trade for another of the same kind.
_WORD_KIND = {word: kind for kind in (ADJECTIVES, NOUNS, VERBS, ADVERBS) for word in kind}


@dataclass(frozen=True)
class SyntheticDoc:
    """One generated document: where it goes, its text, and the damage it carries."""

    path: str
    text: str
    damage: tuple[str, ...]
    #: For a normalised copy, the path of the document it was made from.
    original: str | None = None


# -- building prose -------------------------------------------------------------------------


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _noun_phrase(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return rng.choice(ORGANISATIONS)
    if roll < 0.13:
        return f"the {rng.choice(LOANWORDS)}"
    words = [rng.choice(DETERMINERS)]
    if rng.random() < 0.5:
        words.append(rng.choice(ADJECTIVES))
    words.append(rng.choice(NOUNS))
    if rng.random() < 0.3:
        words.append(f"{rng.choice(PREPOSITIONS)} {rng.choice(PLACES)}")
    return " ".join(words)


def _figure(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return f"€{rng.randint(2, 950)}{rng.choice(['', '.5'])} million"
    if roll < 0.45:
        return f"£{rng.randint(10, 9000):,}"
    if roll < 0.65:
        return f"{rng.randint(1, 99)} per cent"
    if roll < 0.8:
        year = rng.randint(1995, 2023)
        return f"{year}{NDASH}{year + rng.randint(1, 6)}"
    if roll < 0.9:
        return f"{rng.randint(-5, 38)}°C"
    return f"{rng.randint(2, 400)} people"


def _clause(rng: random.Random) -> str:
    subject = rng.choice([_person(rng), _noun_phrase(rng), _noun_phrase(rng)])
    parts = [subject]
    if rng.random() < 0.25:
        parts.append(rng.choice(ADVERBS))
    parts.append(rng.choice(VERBS))
    parts.append(_noun_phrase(rng))
    if rng.random() < 0.35:
        parts.append(f"{rng.choice(PREPOSITIONS)} {_noun_phrase(rng)}")
    if rng.random() < 0.2:
        parts.append(f"worth {_figure(rng)}")
    return " ".join(parts)


def _sentence(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:  # quoted speech with curly quotes and an apostrophe
        quote = _clause(rng)
        if rng.random() < 0.5:
            quote = quote.replace(" the ", f" the town{RSQUO}s ", 1)
        return (
            f"{LDQUO}{quote[0].upper()}{quote[1:]},{RDQUO} "
            f"{rng.choice(SPEECH_VERBS)} {_person(rng)}."
        )
    if roll < 0.25:  # an aside between em dashes
        text = (
            f"{_clause(rng)} {MDASH} {_noun_phrase(rng)} among them {MDASH} "
            f"{rng.choice(CONJUNCTIONS)} {_clause(rng)}"
        )
    elif roll < 0.5:
        text = f"{_clause(rng)}, {rng.choice(CONJUNCTIONS)} {_clause(rng)}"
    elif roll < 0.6:
        text = f"{rng.choice(CONNECTORS)} {_clause(rng)}"
    elif roll < 0.65:
        text = (
            f"{_person(rng)} said the figure was {_figure(rng)}, "
            f"{LSQUO}well above{RSQUO} the estimate{ELLIPSIS}"
        )
    else:
        text = _clause(rng)
    end = "?" if rng.random() < 0.04 else "."
    return text[0].upper() + text[1:] + ("" if text.endswith(ELLIPSIS) else end)


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))


def _headline(rng: random.Random) -> str:
    words = [
        rng.choice(NOUNS).capitalize(),
        rng.choice(VERBS).capitalize(),
        rng.choice(PREPOSITIONS),
        rng.choice(PLACES),
    ]
    if rng.random() < 0.4:
        words += [MDASH, rng.choice(ADJECTIVES).capitalize(), rng.choice(NOUNS).capitalize()]
    return " ".join(words)


# -- page furniture -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Site:
    """What one section's pages carry around the article: the site's own wording."""

    name: str
    desk: str
    menu: tuple[str, ...]
    newsletter: str
    share: str
    related: str
    advert: str
    footer: str
    most_read: tuple[str, ...]

    def fill(self, template: str, year: int) -> str:
        return template.format(site=self.name, desk=self.desk, year=year)


@functools.cache
def _site(section: str, seed: int) -> _Site:
    """The site of ``section``: the same for every document of that section and seed."""
    rng = random.Random(f"site {seed} {section}")
    desk = section.capitalize()
    items = [desk, *rng.sample([m for m in MENU_ITEMS if m != desk], 6)]
    rng.shuffle(items)
    return _Site(
        name=rng.choice(MASTHEADS),
        desk=desk,
        menu=(rng.choice(MENU_OPENERS), *items),
        newsletter=rng.choice(NEWSLETTER_TEMPLATES),
        share=rng.choice(SHARE_TEMPLATES),
        related=rng.choice(RELATED_TEMPLATES),
        advert=rng.choice(ADVERT_TEMPLATES),
        footer=rng.choice(FOOTER_TEMPLATES),
        most_read=tuple(_headline(rng) for _ in range(8)),
    )


def _furnish(
    rng: random.Random, site: _Site, year: int, header: list[str], blocks: list[str | list[str]]
) -> list[str]:
    """Add ``site``'s furniture to a page: lines go into ``header`` and, as lists of lines,
    between and after the paragraphs in ``blocks``. Returns the menu for the top."""

    def wording(own: str, templates: list[str]) -> str:
        # Mostly the site's own line; sometimes another page template of the same site.
        return site.fill(own if rng.random() < 0.8 else rng.choice(templates), year)

    def gap() -> int:  # a place between two paragraphs
        return rng.randint(1, len(blocks) - 1)

    menu = list(site.menu[: rng.randint(4, len(site.menu))])
    kinds = set(rng.sample(FURNITURE_KINDS, rng.randint(2, len(FURNITURE_KINDS))))
    tail: list[list[str]] = []
    if "share" in kinds:
        line = wording(site.share, SHARE_TEMPLATES)
        if rng.random() < 0.5:
            header.insert(3, line)  # under the date line
        else:
            tail.append([line])
    if "advert" in kinds and len(blocks) > 1:
        for _ in range(rng.randint(1, 2)):
            blocks.insert(gap(), [wording(site.advert, ADVERT_TEMPLATES)])
    if "newsletter" in kinds:
        line = wording(site.newsletter, NEWSLETTER_TEMPLATES)
        if len(blocks) > 2 and rng.random() < 0.6:
            blocks.insert(gap(), [line])
        else:
            tail.append([line])
    if "related" in kinds:
        n = rng.randint(3, 5)
        recurring = rng.randint(1, n)
        teasers = rng.sample(site.most_read, recurring)
        teasers += [_headline(rng) for _ in range(n - recurring)]
        rng.shuffle(teasers)
        tail.insert(0, [wording(site.related, RELATED_TEMPLATES), *teasers])
    if "footer" in kinds:
        tail.append([wording(site.footer, FOOTER_TEMPLATES)])
    blocks.extend(tail)
    return menu


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CREDIT_AGENCIES = ["AFP", "Reuters", "AP", "Getty Images", "EPA", "Anadolu Agency", "Xinhua"]
CAPTION_VERBS = [
    "gather near",
    "wait outside",
    "walk past",
    "stand beside",
    "look at",
    "arrive at",
    "are seen near",
    "queue outside",
]


def _caption(rng: random.Random) -> str:
    subject = _noun_phrase(rng)
    subject = subject[0].upper() + subject[1:]
    return f"{subject} {rng.choice(CAPTION_VERBS)} {_noun_phrase(rng)} in {rng.choice(PLACES)}"


def _credit(rng: random.Random) -> str:
    agency = rng.choice(CREDIT_AGENCIES)
    return agency if rng.random() < 0.4 else f"{_person(rng)}/{agency}"


def _caption_block(rng: random.Random, year: int) -> list[str]:
    """Photo or video captions as scraped pages leave them: a glued gallery run of dated
    captions, a caption paragraph ending in its credit, a video title with its running
    time, or an image credit and caption pair."""
    kind = rng.randrange(4)
    if kind == 0:
        run = []
        for _ in range(rng.randint(2, 4)):
            date = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year}"
            run.append(f"{date}: {_caption(rng)}{_credit(rng)}")
        return ["".join(run)]
    if kind == 1:
        return [f"{_caption(rng)} on {rng.choice(WEEKDAYS)}. (AP Photo/{_person(rng)})"]
    if kind == 2:
        return [f"{_headline(rng)} {rng.randint(0, 9)}:{rng.randint(0, 59):02d}"]
    return [f"Image copyright {rng.choice(CREDIT_AGENCIES)}", f"Image caption {_caption(rng)}"]


def _repeat_paragraph(rng: random.Random, paragraphs: list[str]) -> None:
    """Print one paragraph, most often the first, again further down; sometimes reworded."""
    source = 0 if rng.random() < 0.6 else rng.randrange(len(paragraphs))
    copy = paragraphs[source]
    if source == 0 and rng.random() < 0.5:
        copy = copy.split(f" {MDASH} ", 1)[1]  # the lede again, without its dateline
    words = copy.split(" ")
    roll = rng.random()
    if roll < 0.3 and len(words) > 8:
        del words[rng.randrange(1, len(words) - 1)]  # a word dropped
    elif roll < 0.6:
        swappable = [i for i, word in enumerate(words) if word in _WORD_KIND]
        if swappable:  # a word changed for another of its kind
            i = rng.choice(swappable)
            words[i] = rng.choice(_WORD_KIND[words[i]])
    at = rng.randint(min(source + 2, len(paragraphs)), len(paragraphs))
    paragraphs.insert(at, " ".join(words))


# -- damage -----------------------------------------------------------------------------------


def mojibake(word: str) -> str:
    """``word`` as it looks after UTF-8 bytes are read as Windows-1252."""
    return word.encode("utf-8").decode("cp1252", errors="replace")


def _damage_words(rng: random.Random, text: str, share: float) -> str:
    def maybe(match: re.Match[str]) -> str:
        return mojibake(match.group()) if rng.random() < share else match.group()

    return _NON_ASCII_WORD.sub(maybe, text)


def _nbsp(rng: random.Random, line: str) -> str:
    spaces = [i for i, c in enumerate(line) if c == " "]
    if not spaces:
        return line
    chars = list(line)
    for i in rng.sample(spaces, k=min(len(spaces), rng.randint(1, 4))):
        chars[i] = NBSP
    return "".join(chars)


def _typeset(rng: random.Random, para: str, damage: tuple[str, ...]) -> list[str]:
    """The lines of one prose paragraph, with the damage its document carries."""
    if "mojibake" in damage:
        para = _damage_words(rng, para, rng.choice([0.2, 0.5, 1.0]))
    if "nbsp" in damage and rng.random() < 0.5:
        para = _nbsp(rng, para)
    if "hard_wrap" in damage:
        return textwrap.wrap(
            para,
            width=rng.choice([68, 72, 76]),
            break_long_words=False,
            break_on_hyphens=False,
        )
    return [para]


# -- documents --------------------------------------------------------------------------------


def resolve_rates(rates: Mapping[str, float] | None = None) -> dict[str, float]:
    """:data:`DAMAGE_RATES` and ``normalized`` (:data:`NORMALIZED_RATE`), with ``rates``
    overriding some of them."""
    resolved = {**DAMAGE_RATES, "normalized": NORMALIZED_RATE}
    for kind, share in (rates or {}).items():
        if kind not in resolved:
            raise ValueError(f"unknown kind {kind!r}; the kinds are: {', '.join(resolved)}")
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"the share of {kind!r} must be between 0 and 1, got {share}")
        resolved[kind] = share
    return resolved


def make_document(
    index: int, seed: int = 0, rates: Mapping[str, float] | None = None
) -> SyntheticDoc:
    """Document number ``index`` of the corpus with this ``seed`` (and ``rates``)."""
    return _make(index, seed, resolve_rates(rates))


def _make(index: int, seed: int, rates: Mapping[str, float]) -> SyntheticDoc:
    if index and _is_normalized_copy(index, seed, rates["normalized"]):
        return _normalized_copy(index, seed, rates)
    return _compose(index, seed, rates)[0]


def _compose(
    index: int, seed: int, rates: Mapping[str, float]
) -> tuple[SyntheticDoc, str, list[str]]:
    """Document ``index`` as generated, with its headline and prose paragraphs."""
    rng = random.Random(seed * 1_000_003 + index)
    damage = tuple(kind for kind in DAMAGE_RATES if rng.random() < rates[kind])
    target = rng.randint(2000, 8000)  # bytes, roughly
    section = rng.choice(SECTIONS)  # the site, whose furniture recurs on its pages

    place = rng.choice(PLACES)
    day, month, year = rng.randint(1, 28), rng.randrange(12), rng.randint(2015, 2024)
    header = [
        _headline(rng),
        f"By {_person(rng)}",
        f"Published {day} {MONTHS[month]} {year}",
        "",
    ]
    paragraphs = [f"{place.upper()} {MDASH} {_paragraph(rng)}"]
    size = sum(len(line) for line in header) + len(paragraphs[0])
    while size < target:
        paragraphs.append(_paragraph(rng))
        size += len(paragraphs[-1]) + 2

    prose = list(paragraphs)
    if "repeated_paragraph" in damage:
        _repeat_paragraph(rng, paragraphs)
    blocks: list[str | list[str]] = list(paragraphs)  # a paragraph, or lines as they are
    if "captions" in damage:
        for _ in range(rng.randint(1, 3)):
            blocks.insert(rng.randint(0, len(blocks)), _caption_block(rng, year))
    lines = []
    if "furniture" in damage:
        lines.extend(_furnish(rng, _site(section, seed), year, header, blocks))
        if rng.random() < 0.5:
            lines.append("")
    lines.extend(header)
    for i, block in enumerate(blocks):
        if isinstance(block, list):  # furniture: a line each, as it is
            if "mojibake" in damage:
                share = rng.choice([0.2, 0.5, 1.0])
                block = [_damage_words(rng, line, share) for line in block]
            lines.extend(block)
        else:
            lines.extend(_typeset(rng, block, damage))
        if i < len(blocks) - 1:
            lines.extend(
                [""] * (rng.randint(2, 5) if "blank_runs" in damage and rng.random() < 0.4 else 1)
            )

    if "trailing_space" in damage:
        lines = [
            line + rng.choice([" ", "  ", "\t", "   "]) if rng.random() < 0.3 else line
            for line in lines
        ]
    text = "\n".join(lines) + "\n"
    if "crlf" in damage:
        text = text.replace("\n", "\r\n")

    path = f"{section}/{year}/{month + 1:02d}/story-{index:06d}.txt"
    return SyntheticDoc(path, text, damage), header[0], prose


def _is_normalized_copy(index: int, seed: int, share: float) -> bool:
    """Whether document ``index`` is a normalised copy (document 0 never is)."""
    return index > 0 and share > 0 and random.Random(f"normalized {seed} {index}").random() < share


@functools.cache
def _normalizer(stopwords: str, lemmatizer: str):
    from cleankit_plugins.normalizer import Normalizer

    return Normalizer(stopwords, lemmatizer)


def warm_up() -> None:
    """Load what normalised copies need (stopword lists, lemmatiser data: tens of MB), so
    that a measurement of memory over generated documents does not count it."""
    for stopwords, lemmatizer in NORMALIZERS:
        _normalizer(stopwords, lemmatizer).normalize("The councils approved the plans.")


def _normalized_copy(index: int, seed: int, rates: Mapping[str, float]) -> SyntheticDoc:
    """Document ``index`` as a normalised copy of an earlier document that is not one: its
    headline and paragraphs, one sentence or one paragraph per line, by one of
    :data:`NORMALIZERS`. The copy keeps the path of document ``index``."""
    rng = random.Random(f"normalized copy {seed} {index}")
    source = index - 1 - rng.randrange(min(index, NORMALIZED_LOOKBACK))
    while _is_normalized_copy(source, seed, rates["normalized"]):
        source -= 1
    original, headline, prose = _compose(source, seed, rates)
    normalizer = _normalizer(*rng.choice(NORMALIZERS))
    by_sentence = rng.random() < 0.5
    units = [headline]
    for paragraph in prose:
        units.extend(_SENTENCE_BREAK.split(paragraph) if by_sentence else [paragraph])
    lines = [line for line in map(normalizer.normalize, units) if line]
    path = _compose(index, seed, rates)[0].path
    return SyntheticDoc(path, "\n".join(lines) + "\n", ("normalized",), original.path)


def iter_documents(
    n_docs: int | None = None,
    seed: int = 0,
    *,
    max_bytes: int | None = None,
    rates: Mapping[str, float] | None = None,
) -> Iterator[SyntheticDoc]:
    """The first ``n_docs`` documents of the corpus with this ``seed``, or the first
    documents up to the one whose UTF-8 bytes reach ``max_bytes`` in all (or both
    bounds; with neither, documents without end)."""
    resolved = resolve_rates(rates)
    total, index = 0, 0
    while n_docs is None or index < n_docs:
        doc = _make(index, seed, resolved)
        yield doc
        index += 1
        if max_bytes is not None:
            total += len(doc.text.encode("utf-8"))
            if total >= max_bytes:
                return


def paragraphs(n_paragraphs: int, seed: int = 0) -> Iterator[str]:
    """Prose paragraphs alone (2-6 sentences each), without documents around them."""
    rng = random.Random(seed)
    for _ in range(n_paragraphs):
        yield _paragraph(rng)


def texts(
    n_docs: int | None = None,
    seed: int = 0,
    *,
    max_bytes: int | None = None,
    rates: Mapping[str, float] | None = None,
) -> list[str]:
    """Just the texts, for in-memory benchmarks (bounds as in :func:`iter_documents`)."""
    if n_docs is None and max_bytes is None:
        raise ValueError("give n_docs or max_bytes")
    return [d.text for d in iter_documents(n_docs, seed, max_bytes=max_bytes, rates=rates)]


def one_document(n_bytes: int, seed: int = 0, rates: Mapping[str, float] | None = None) -> str:
    """One long document of about ``n_bytes`` UTF-8 bytes: the corpus's documents one
    after the other (``\\n`` line ends), a blank line between two, as one text. For
    checking that cleaning time grows linearly with a document's length."""
    parts = []
    size = 0
    for doc in iter_documents(seed=seed, rates=rates):
        text = doc.text.replace("\r\n", "\n")
        parts.append(text)
        size += len(text.encode("utf-8")) + 1
        if size >= n_bytes:
            break
    return "\n".join(parts)


@dataclass
class Written:
    """What :func:`write_corpus` wrote."""

    documents: int
    bytes: int
    seconds: float
    damage: Counter[str] = field(default_factory=Counter)

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0


_CHUNK = 250  # documents one generating process makes at a time


def _make_chunk(
    job: tuple[int, int, int, dict[str, float]],
) -> list[tuple[str, bytes, tuple[str, ...]]]:
    start, stop, seed, rates = job
    return [
        (doc.path, doc.text.encode("utf-8"), doc.damage)
        for doc in (_make(index, seed, rates) for index in range(start, stop))
    ]


def _encoded(
    n_docs: int | None, seed: int, rates: dict[str, float], jobs: int
) -> Iterator[tuple[str, bytes, tuple[str, ...]]]:
    """Documents in order as (path, UTF-8 bytes, damage), made by ``jobs`` processes."""
    limit = sys.maxsize if n_docs is None else n_docs
    if jobs <= 1:
        for index in range(limit):
            doc = _make(index, seed, rates)
            yield doc.path, doc.text.encode("utf-8"), doc.damage
        return
    with multiprocessing.Pool(jobs) as pool:
        start = 0
        while start < limit:
            batch = []
            while len(batch) < 4 * jobs and start < limit:
                stop = min(start + _CHUNK, limit)
                batch.append((start, stop, seed, rates))
                start = stop
            for chunk in pool.imap(_make_chunk, batch):
                yield from chunk


#: How :func:`write_corpus` lays out the files: a folder per month of each section (a
#: handful of documents each, as an archive is often kept), or one folder per section, so
#: that the lines each site repeats recur across one folder's documents (what
#: ``strip_boilerplate`` learns as template text).
LAYOUTS = ("month", "section")


def _laid_out(path: str, layout: str) -> str:
    """``path`` (``section/year/month/name``) in ``layout``.

    >>> _laid_out("sport/2019/04/story-000012.txt", "section")
    'sport/story-000012.txt'
    """
    if layout == "month":
        return path
    section, *_, name = path.split("/")
    return f"{section}/{name}"


def write_corpus(
    folder: Path,
    n_docs: int | None = None,
    seed: int = 0,
    *,
    max_bytes: int | None = None,
    rates: Mapping[str, float] | None = None,
    jobs: int = 1,
    layout: str = "month",
) -> Written:
    """Write the corpus as UTF-8 ``.txt`` files under ``folder``, in nested
    ``section/year/month/`` folders (``layout="section"``: ``section/`` folders):
    ``n_docs`` documents, or documents until their bytes reach ``max_bytes``. ``jobs``
    processes generate them (the same bytes for any number)."""
    if n_docs is None and max_bytes is None:
        raise ValueError("give n_docs or max_bytes")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    folder = Path(folder)
    written = Written(0, 0, 0.0)
    made: set[Path] = set()
    started = time.perf_counter()
    documents = _encoded(n_docs, seed, resolve_rates(rates), jobs)
    try:
        for relative, data, damage in documents:
            path = folder / _laid_out(relative, layout)
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_bytes(data)  # bytes, so CRLF line ends stay as generated
            written.documents += 1
            written.bytes += len(data)
            written.damage.update(damage or ("clean",))
            if max_bytes is not None and written.bytes >= max_bytes:
                break
    finally:
        documents.close()  # stops the generating processes
    written.seconds = time.perf_counter() - started
    return written


def generate(
    folder: Path,
    n_docs: int | None = None,
    seed: int = 0,
    damage: Counter[str] | None = None,
    *,
    max_bytes: int | None = None,
    rates: Mapping[str, float] | None = None,
    jobs: int = 1,
    layout: str = "month",
) -> int:
    """Write the corpus as :func:`write_corpus` does; return the bytes written. When
    ``damage`` is given it is updated with how many documents carry each kind of damage
    (``clean``: none; ``normalized``: a normalised copy)."""
    written = write_corpus(
        folder, n_docs, seed, max_bytes=max_bytes, rates=rates, jobs=jobs, layout=layout
    )
    if damage is not None:
        damage.update(written.damage)
    return written.bytes


_UNITS = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9}


def parse_size(text: str) -> int:
    """Bytes in a size such as ``10MB``, ``1GB`` or ``500KB`` (decimal: 1 MB = 10^6 bytes).

    >>> parse_size("1GB"), parse_size("2.5MB")
    (1000000000, 2500000)
    """
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?B?)\s*", text.upper())
    if not found:
        raise ValueError(f"not a size: {text!r} (try 10MB or 1GB)")
    size = round(float(found.group(1)) * _UNITS[found.group(2).rstrip("B")])
    if size < 1:
        raise ValueError(f"a size must be 1 byte or more, got {text!r}")
    return size


def _rate(text: str) -> tuple[str, float]:
    kind, _, share = text.partition("=")
    try:
        return kind.strip(), float(share)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected KIND=SHARE, got {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to write the corpus into")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--docs", type=int, help="number of documents (3000 without --size)")
    size.add_argument("--size", help="byte target instead: 1MB, 10MB, 100MB, 1GB, ...")
    size.add_argument("--mb", type=float, help="byte target in MB (10^6 bytes)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument(
        "--rate",
        type=_rate,
        action="append",
        default=[],
        metavar="KIND=SHARE",
        help="override a share, e.g. --rate mojibake=0.25 --rate normalized=0.05",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes generating documents (1); same bytes"
    )
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="month",
        help="folders: section/year/month/ (month, the default) or section/ (section: each "
        "site's repeated lines recur within one folder, as template text does)",
    )
    parser.add_argument(
        "--one-document",
        action="store_true",
        help="write one long document of --size/--mb bytes, OUT_DIR/document.txt",
    )
    args = parser.parse_args(argv)
    try:
        rates = dict(args.rate)
        resolve_rates(rates)
        max_bytes = (
            parse_size(args.size)
            if args.size
            else (parse_size(f"{args.mb}MB") if args.mb is not None else None)
        )
    except ValueError as exc:
        parser.error(str(exc))
    if args.docs is not None and args.docs < 1:
        parser.error("--docs must be 1 or more")
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    if args.one_document:
        if max_bytes is None:
            parser.error("--one-document needs --size or --mb")
        if args.layout != "month":
            parser.error("--layout applies to a corpus of files, not to --one-document")
        started = time.perf_counter()
        text = one_document(max_bytes, args.seed, rates)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (args.out_dir / "document.txt").write_bytes(data)
        seconds = time.perf_counter() - started
        print(
            f"wrote one document, {len(data) / 1e6:.2f} MB, in {seconds:.1f} s, "
            f"into {args.out_dir / 'document.txt'}"
        )
        return 0
    n_docs = args.docs if args.docs is not None or max_bytes is not None else 3000
    written = write_corpus(
        args.out_dir,
        n_docs,
        args.seed,
        max_bytes=max_bytes,
        rates=rates,
        jobs=args.jobs,
        layout=args.layout,
    )
    projection = (
        f"; 1 GB would take about {1000 / written.mb_per_s / 60:.1f} min at this speed"
        if written.bytes >= 5e6  # smaller runs are mostly start-up
        else ""
    )
    print(
        f"wrote {written.documents} documents, {written.bytes / 1e6:.2f} MB, into "
        f"{args.out_dir} in {written.seconds:.1f} s ({written.mb_per_s:.2f} MB/s{projection})"
    )
    print(
        "documents with damage: " + ", ".join(f"{k} {v}" for k, v in sorted(written.damage.items()))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
