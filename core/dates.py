"""Dates as runners type them: "2027-04-25", "25 April", "April 25th 2027", "25/4"."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
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


def _number(word: str) -> bool:
    """Plain ASCII digits only: int() refuses look-alikes such as superscript digits."""
    return word.isascii() and word.isdecimal()


class DateParseError(ValueError):
    """Text that is not a date we can read; the message says what we expected."""


def parse_date(text: str, today: dt.date) -> dt.date:
    """A calendar date; without a year, the next such date on or after `today`."""
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip().lower()).replace(",", " ")
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        pass
    day = month = year = None
    words = cleaned.split()
    if len(words) in (2, 3):
        if _number(words[0]) and words[1] in MONTHS:  # 25 april [2027]
            day, month = int(words[0]), MONTHS[words[1]]
        elif words[0] in MONTHS and _number(words[1]):  # april 25 [2027]
            day, month = int(words[1]), MONTHS[words[0]]
        if len(words) == 3 and day is not None:
            year = int(words[2]) if words[2].isdecimal() and words[2].isascii() else None
            if year is None:
                day = None
            elif year < 100:
                year += 2000
    else:
        m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?", cleaned)
        if m:  # day first, as most of the world writes it
            day, month = int(m[1]), int(m[2])
            year = int(m[3]) if m[3] else None
            if year is not None and year < 100:
                year += 2000
    if day is None or month is None:
        raise DateParseError(f'"{text.strip()}" is not a date I can read')
    try:
        if year is not None:
            return dt.date(year, month, day)
        candidate = dt.date(today.year, month, day)
        if candidate < today:
            candidate = dt.date(today.year + 1, month, day)
        return candidate
    except ValueError:
        raise DateParseError(f'"{text.strip()}" is not a real date') from None
