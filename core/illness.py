"""Being ill (docs/coaching.md, "Illness"): reading "I'm ill" and the morning answer, and which
mornings ask how the runner feels.

The reader is strict on purpose: a message is read as illness only when every word of it is
an illness word, a filler word or the length ("until friday", "this week"). Anything else
("felt sick after the race", "ill with a sore knee") is left to the pain check, which the
caller asks first (docs/safety.md, "Order").
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from core.dates import DateParseError, read_date
from core.models import Frozen, Weekday

# Pause reasons that mean the runner is unwell (/pause illness, "I'm ill").
ILL_REASONS = frozenset({"illness", "ill", "sick"})

ILL_WORDS = frozenset(
    {"ill", "sick", "unwell", "poorly", "cold", "flu", "covid", "virus", "bug", "lurgy"}
)
FILLER = frozenset(
    {
        "i", "im", "i'm", "am", "ive", "i've", "got", "have", "has", "caught", "a", "the",
        "with", "down", "feeling", "feel", "bit", "off", "so", "no", "training", "sorry",
        "really", "quite", "very", "bad", "been", "and", "still", "me", "it's", "its", "is",
        "just", "head", "heavy", "stinking", "nasty", "coach",
    }
)  # fmt: skip
# "head cold" is a cold; any other word sends the message to the pain check instead.
_LENGTH = re.compile(
    r"\b(?:for\s+)?(?P<n>\d+|a\s+couple\s+of|a\s+few|few|two|three|four|five)\s+days?\b"
)
_WEEK = re.compile(r"\b(?:for\s+)?(?:this|the)\s+week\b")
_UNTIL = re.compile(r"\b(?:until|till|til|untill|through|thru)\s+(?P<date>.+)$")
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "a couple of": 2, "a few": 3, "few": 3}


class IllnessReading(Frozen):
    """A message read as "I'm ill": until when (the last ill day), if they said."""

    until: dt.date | None = None


def _clean(text: str) -> str:
    said = text.lower().replace("’", "'").replace("‘", "'")
    said = re.sub(r"[,.!;:()]+", " ", said)
    return re.sub(r"\s+", " ", said).strip()


def read_illness(text: str, today: dt.date, zone: str | None = None) -> IllnessReading | None:
    """ "I'm ill", "sick this week", "flu, off until friday", "ill till thursday": illness,
    with its last day when given; None for anything that is not plainly illness."""
    said = _clean(text)
    until: dt.date | None = None
    match = _UNTIL.search(said)
    if match is not None:
        try:
            until = read_date(match["date"], today, zone).date
        except DateParseError:
            return None
        if until < today:
            return None
        said = said[: match.start()]
    elif (length := _LENGTH.search(said)) is not None:
        n = length["n"]
        days = int(n) if n.isdecimal() else _NUMBERS[re.sub(r"\s+", " ", n)]
        if not 1 <= days <= 28:
            return None
        until = today + dt.timedelta(days=days - 1)
        said = said[: length.start()] + said[length.end() :]
    elif (week := _WEEK.search(said)) is not None:
        until = today + dt.timedelta(days=6 - today.weekday())
        said = said[: week.start()] + said[week.end() :]
    words = said.split()
    if not any(w in ILL_WORDS for w in words):
        return None
    if any(w not in ILL_WORDS and w not in FILLER for w in words):
        return None
    return IllnessReading(until=until)


class Feeling(StrEnum):
    """The morning answer while ill."""

    BETTER = "better"
    STILL_ILL = "still"


_BETTER = frozenset(
    {"better", "feeling better", "i'm better", "im better", "much better", "i feel better",
     "better thanks", "better thank you", "all good", "recovered", "fine now", "i'm fine now"}
)  # fmt: skip
_STILL = frozenset(
    {"still ill", "still sick", "still unwell", "not better", "not yet", "still poorly",
     "i'm still ill", "im still ill", "i'm still sick", "no still ill", "worse"}
)  # fmt: skip


def read_feeling(text: str) -> Feeling | None:
    """ "Better" or "Still ill", typed; None for anything else."""
    said = _clean(text)
    if said in _BETTER:
        return Feeling.BETTER
    if said in _STILL:
        return Feeling.STILL_ILL
    return None


def is_ill(reason: str | None) -> bool:
    """A pause that means the runner is unwell."""
    return reason in ILL_REASONS


def checkin_day(reason: str | None, until: dt.date | None, day: dt.date) -> bool:
    """The morning of `day` asks how an ill runner feels: each morning from the last ill day
    they gave (each morning when they gave none) until they say they are better. Nothing
    restarts before they do."""
    if not is_ill(reason):
        return False
    return until is None or day >= until


def ill_in_week(since: dt.date, better: dt.date | None, monday: dt.date) -> bool:
    """An illness from `since` (better on `better`, or not yet) reached into the week of
    `monday`."""
    return since <= monday + dt.timedelta(days=6) and (better is None or better > monday)


def ill_weekdays(
    since: dt.date, better: dt.date | None, ill_now: bool, monday: dt.date
) -> frozenset[Weekday]:
    """The days of the week of `monday` the runner was or is unwell, with no training: from
    `since` to the day before `better`; while they are still ill (no Better yet), every day
    from `since` on, since nothing restarts before the check-in. An illness whose pause has
    given way to another (no longer ill, never better) marks no day."""
    if better is None and not ill_now:
        return frozenset()
    days = (monday + dt.timedelta(days=i) for i in range(7))
    return frozenset(
        Weekday(d.weekday()) for d in days if d >= since and (better is None or d < better)
    )
