"""Finding and parsing the dates news text writes in words ("Nov 17, 2017", "3 November 2017")."""

from __future__ import annotations

import datetime as _dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
#: A date written in words or ISO form; named groups say which parts were found.
DATE = re.compile(
    rf"""\b{_WEEKDAY}(?:
        (?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})
      | (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})\.?,?\s+(?P<y2>\d{{4}})
      | (?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601 (``YYYY-MM-DD``), or None.

    >>> parse_date("Baghdad (AFP) Nov 17, 2017")
    '2017-11-17'
    >>> parse_date("3 November 2017: police advance")
    '2017-11-03'
    >>> parse_date("no date here") is None
    True
    """
    match = DATE.search(text)
    if match is None:
        return None
    return iso_date(match)


def iso_date(match: re.Match[str]) -> str | None:
    """ISO form of a :data:`DATE` match, or None when it names no real day."""
    g = match.groupdict()
    if g["y3"]:
        year, month, day = int(g["y3"]), int(g["m3"]), int(g["d3"])
    else:
        name = (g["m1"] or g["m2"]).lower().rstrip(".")
        month = _MONTHS.get(name) or _MONTHS[name[:3]]
        day, year = int(g["d1"] or g["d2"]), int(g["y1"] or g["y2"])
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None
