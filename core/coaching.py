"""Coach and physio mode, the pure rules: a runner's colour on the coach's roster, the
roster's order and its pages (docs/coaching_mode.md).

- green: on plan, and no pain of 4 or more lately;
- amber: a missed session (this week, or last week short), or pain of 4 or 5;
- red: pain of 6 or more, a red flag, or two weeks in a row short of the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from core.models import Frozen

RECENT_PAIN = dt.timedelta(days=14)  # pain older than this no longer colours the roster
PAGE_SIZE = 10


class Colour(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def dot(self) -> str:
        return {"red": "🔴", "amber": "🟠", "green": "🟢"}[self.value]


ORDER = (Colour.RED, Colour.AMBER, Colour.GREEN)


class WeekTally(Frozen):
    """One week of a runner's plan: its Monday, sessions planned and done."""

    monday: dt.date
    planned: int
    done: int

    @property
    def short(self) -> bool:
        return self.done < self.planned


class PainMark(Frozen):
    """One pain report as a coach sees it: score, area, tier and date; never free text."""

    day: dt.date
    score: int
    area: str
    tier: str | None = None  # the red-flag tier, when one was raised


class RosterFacts(Frozen):
    """What the roster knows of one runner who shared with the coach."""

    runner_id: int
    name: str
    planned: int  # this week
    done: int
    missed: int  # this week's planned sessions already past and not done
    streak: int  # weeks in a row with every planned session done
    last_weeks: tuple[WeekTally, ...] = ()  # the finished weeks before this one, latest first
    last_pain: PainMark | None = None  # the latest pain report (not a "no pain" check-in)


def recent(pain: PainMark | None, today: dt.date) -> PainMark | None:
    """The pain report if it is recent enough to colour the roster."""
    if pain is None or today - pain.day > RECENT_PAIN:
        return None
    return pain


def colour(facts: RosterFacts, today: dt.date) -> Colour:
    """Red, amber or green, by the rules in the module's docstring."""
    pain = recent(facts.last_pain, today)
    two_short = len(facts.last_weeks) >= 2 and all(w.short for w in facts.last_weeks[:2])
    if pain is not None and (pain.score >= 6 or pain.tier is not None):
        return Colour.RED
    if two_short:
        return Colour.RED
    last_short = bool(facts.last_weeks) and facts.last_weeks[0].short
    if facts.missed > 0 or last_short or (pain is not None and pain.score >= 4):
        return Colour.AMBER
    return Colour.GREEN


def sort_roster(rows: Sequence[RosterFacts], today: dt.date) -> list[tuple[Colour, RosterFacts]]:
    """Red first, then amber, then green; by name (then id) within a colour."""
    coloured = [(colour(r, today), r) for r in rows]
    return sorted(
        coloured, key=lambda c: (ORDER.index(c[0]), c[1].name.casefold(), c[1].runner_id)
    )


def page_of(count: int, page: int, size: int = PAGE_SIZE) -> tuple[int, int, int]:
    """The page actually shown (clamped), and its first and end index."""
    pages = max(1, -(-count // size))
    page = min(max(page, 0), pages - 1)
    return page, page * size, min(count, (page + 1) * size)


def pages(count: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-count // size))
