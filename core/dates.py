"""Dates as runners type them: "2027-04-25", "25 April", "April 25th 2027", "25/4".

`parse_date` is the strict day-first reader used today; `read_date` also reads relative dates
("next friday", "in 2 weeks"), typos, and numeric dates in the runner's own order (month first
in US zones), flagging the ambiguous ones so the caller can echo them for confirmation.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser
from dateutil.parser import ParserError
from dateutil.relativedelta import relativedelta

from core.answers import read_number
from core.countries import country_of
from core.fuzzy import guess

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


# --- Typed dates with the runner's order of day and month -------------------------------------

# Countries that write the month first in numeric dates (05/01/2027 is 1 May there). Everyone
# else in `core.countries` writes the day first. Canada mixes both; it is listed with the US
# because its English speakers most often write the month first, and an ambiguous date is
# always echoed for confirmation anyway.
MONTH_FIRST_COUNTRIES = frozenset({"US", "CA", "PH"})
_MONTH_FIRST_ZONES = frozenset({"Asia/Manila", "America/Puerto_Rico", "Pacific/Guam"})

_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_WORDS = {
    **{name: i for i, name in enumerate(_WEEKDAYS)},
    **{name[:3]: i for i, name in enumerate(_WEEKDAYS)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?")
_IN = re.compile(r"(?:in\s+)?(.+?)\s+(day|days|week|weeks|month|months|fortnight|fortnights)")


def day_first(zone: str | None) -> bool:
    """Whether numeric dates are day first for a runner in this IANA zone (None: yes)."""
    if zone is None:
        return True
    if zone in _MONTH_FIRST_ZONES:
        return False
    return country_of(zone) not in MONTH_FIRST_COUNTRIES


@dataclass(frozen=True)
class DateReading:
    """A typed date as read, and whether to echo it back before using it.

    `ambiguous` is True when the text could also mean `alternative` ("05/01/2027": 5 January
    or 1 May; "next friday": this week's or next week's), so the caller asks "Did you mean
    Wednesday 5 January 2027?".
    """

    date: dt.date
    ambiguous: bool = False
    alternative: dt.date | None = None


def _fix_words(text: str) -> str:
    words = []
    for word in text.split():
        if word.isalpha() and word not in MONTHS and word not in _WEEKDAY_WORDS:
            found = guess(word, (*_MONTH_NAMES, *_WEEKDAYS), min_length=4)
            if found is not None and found.sure:
                word = found.word
        words.append(word)
    return " ".join(words)


def _amount(text: str) -> int | None:
    if text in ("a", "an", "one"):
        return 1
    number = read_number(text)
    return number.value if number is not None else None


def _relative(said: str, today: dt.date) -> DateReading | None:
    if said in ("today", "now", "tonight"):
        return DateReading(today)
    if said in ("tomorrow", "tmrw", "tmr", "tomoz"):
        return DateReading(today + dt.timedelta(days=1))
    if said in ("day after tomorrow", "the day after tomorrow"):
        return DateReading(today + dt.timedelta(days=2))
    if said == "next week":
        return DateReading(today + dt.timedelta(days=7 - today.weekday()))
    if said == "next month":
        return DateReading(today + relativedelta(months=1))
    match = re.fullmatch(r"(next|this|on|coming|this coming)?\s*(\w+)", said)
    if match and match[2] in _WEEKDAY_WORDS:
        ahead = (_WEEKDAY_WORDS[match[2]] - today.weekday() - 1) % 7 + 1
        coming = today + dt.timedelta(days=ahead)
        if match[1] == "next" and coming.weekday() > today.weekday():
            # "next friday" on a Monday: this Friday or the one after? Echo to confirm.
            return DateReading(coming, True, coming + dt.timedelta(days=7))
        return DateReading(coming)
    match = _IN.fullmatch(said)
    if match and (said.startswith("in ") or match[1][0].isdigit()):
        amount = _amount(match[1].removeprefix("in ").strip())
        if amount is None or not 0 < amount <= 104:
            return None
        unit = match[2].rstrip("s")
        if unit == "day":
            return DateReading(today + dt.timedelta(days=amount))
        if unit == "week":
            return DateReading(today + dt.timedelta(weeks=amount))
        if unit == "fortnight":
            return DateReading(today + dt.timedelta(weeks=2 * amount))
        return DateReading(today + relativedelta(months=amount))
    return None


def read_date(text: str, today: dt.date, zone: str | None = None) -> DateReading:
    """A typed date: "15 march", "march 15th", "05/01/2027", "2027-05-01", "next friday",
    "in 2 weeks", "tomorrow", with typos in month and day names ("febuary").

    Numeric dates are read day first or month first from the runner's zone (`day_first`);
    when both readings are real dates the reading is `ambiguous`. A date without a year is
    the next one on or after `today`. Raises DateParseError for anything else.
    """
    said = re.sub(r"\s+", " ", text.strip().lower().rstrip(".!")).replace(",", " ")
    said = re.sub(r"^(?:on|until|till|til|by|from|the)\s+", "", said).strip()
    said = _fix_words(said)
    if not said:
        raise DateParseError("no date given")
    relative = _relative(said, today)
    if relative is not None:
        return relative
    numeric = _NUMERIC.fullmatch(said)
    said = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", said)
    named = any(word in MONTHS for word in re.split(r"[\s/.\-]", said))
    iso = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", said)
    if iso:  # year first is never ambiguous: 2027-05-01 is 1 May everywhere
        try:
            return DateReading(dt.date(int(iso[1]), int(iso[2]), int(iso[3])))
        except ValueError:
            raise DateParseError(f'"{text.strip()}" is not a real date') from None
    if not (numeric or named):
        raise DateParseError(f'"{text.strip()}" is not a date I can read')
    first = day_first(zone)
    has_year = numeric is not None and numeric[3] is not None
    has_year = has_year or bool(re.search(r"\b\d{4}\b|'\d{2}\b", said))
    default = dt.datetime(today.year, today.month, today.day)
    try:
        when = parser.parse(said, dayfirst=first, default=default).date()
    except (ParserError, ValueError, OverflowError):
        raise DateParseError(f'"{text.strip()}" is not a real date') from None
    if not has_year and when < today:
        when = when.replace(year=when.year + 1)
    if numeric is None:
        return DateReading(when)
    a, b = int(numeric[1]), int(numeric[2])
    if a == b or a > 12 or b > 12:
        return DateReading(when)
    try:
        other = when.replace(month=when.day, day=when.month)
    except ValueError:
        return DateReading(when)
    if not has_year and other < today:
        other = other.replace(year=other.year + 1)
    return DateReading(when, True, other)
