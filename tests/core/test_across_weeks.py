"""P5 and the 48-hour rule across the turn of the week (docs/coaching.md, "Heavy sessions"):
a gym week put heavy sessions on Sunday 06 and Monday 07. Pure, over consecutive weeks."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest

from core.models import (
    Day,
    DayKind,
    Equipment,
    LiftingExperience,
    Plan,
    Profile,
    SessionKind,
    Week,
    WeekChanges,
    Weekday,
)
from core.planner import plan_week

MONDAY = dt.date(2026, 11, 30)
WEEK = dt.timedelta(days=7)
T = dt.time
K = DayKind
GYM = Profile(
    sessions_per_week=3,
    minutes=45,
    equipment=frozenset({Equipment.GYM}),
    lifting=LiftingExperience.EXPERIENCED,
)
BLOCK_START = MONDAY - 4 * WEEK  # well into the heavy block: full heavy sessions
LEGS_FREE = (SessionKind.LIGHT, SessionKind.MOBILITY)

# Three sessions fit on Monday, Wednesday and Sunday: Sunday's is followed by next Monday's.
SUNDAY_AND_MONDAY = Week(
    days=(
        Day(kind=K.EASY, start=T(7)),
        Day(kind=K.EASY, start=T(18)),
        Day(kind=K.EASY, start=T(7)),
        Day(kind=K.LONG, start=T(8)),
        Day(kind=K.REST),
        Day(kind=K.INTERVALS, start=T(18)),
        Day(kind=K.EASY, start=T(18)),
    )
)
# Monday's heavy session is fine after a rest Sunday, not after a long run moved to Sunday.
REST_SUNDAY = Week(
    days=(
        Day(kind=K.EASY, start=T(7)),
        Day(kind=K.REST),
        Day(kind=K.EASY, start=T(18)),
        Day(kind=K.TEMPO, start=T(18)),
        Day(kind=K.EASY, start=T(7)),
        Day(kind=K.LONG, start=T(8)),
        Day(kind=K.REST),
    )
)


def weeks(usual: Week, count: int, first_changes: WeekChanges | None = None) -> list[Plan]:
    """`count` consecutive weeks, each planned with the one before it, as the bot does."""
    plans: list[Plan] = []
    for n in range(count):
        start = MONDAY + n * WEEK
        plans.append(
            plan_week(
                GYM,
                usual,
                start,
                block_start=BLOCK_START,
                changes=first_changes if n == 0 else None,
                previous=plans[-1] if plans else None,
            )
        )
    return plans


def legs_days(plans: list[Plan]) -> list[dt.date]:
    return [
        d.date
        for p in plans
        for d in p.days
        if d.session is not None and d.session.kind not in LEGS_FREE
    ]


def test_no_two_leg_sessions_in_a_row_across_the_turn_of_the_week() -> None:
    plans = weeks(SUNDAY_AND_MONDAY, 4)
    days = legs_days(plans)
    assert all((b - a).days > 1 for a, b in pairwise(days)), days
    for later in plans[1:]:
        monday = later.days[0]
        assert monday.session is not None and monday.session.kind is SessionKind.LIGHT
        assert "Sunday had a session too" in monday.reason
    # Planned on its own (no week before it known), the week is taken to repeat: the same.
    alone = plan_week(GYM, SUNDAY_AND_MONDAY, MONDAY + WEEK, block_start=BLOCK_START)
    assert alone.days == plans[1].days


def test_no_heavy_legs_the_monday_after_last_weeks_sunday_long_run() -> None:
    # Last week only, the long run moved from Saturday to Sunday.
    moved = WeekChanges(
        week_start=MONDAY,
        days=(
            (Weekday.SAT, Day(kind=K.EASY, start=T(8))),
            (Weekday.SUN, Day(kind=K.LONG, start=T(8))),
        ),
    )
    last, this = weeks(REST_SUNDAY, 2, first_changes=moved)
    assert last.days[6].day.kind is K.LONG
    monday = this.days[0]
    assert monday.session is not None and monday.session.kind is not SessionKind.HEAVY
    assert "yesterday was your long run" in monday.reason
    # A usual week after a usual week keeps its heavy Monday: only the real Sunday counts.
    _, usual_this = weeks(REST_SUNDAY, 2)
    assert usual_this.days[0].session is not None
    assert usual_this.days[0].session.kind is SessionKind.HEAVY


def test_a_week_before_that_is_not_the_week_before_is_ignored() -> None:
    # Its Sunday held a heavy session; given as this week's "previous", it would lighten Monday.
    two_back = plan_week(GYM, SUNDAY_AND_MONDAY, MONDAY - 2 * WEEK, block_start=BLOCK_START)
    alone = plan_week(GYM, REST_SUNDAY, MONDAY, block_start=BLOCK_START)
    assert plan_week(GYM, REST_SUNDAY, MONDAY, block_start=BLOCK_START, previous=two_back) == alone


# The README's worked week: Wednesday is light before the tempo, Sunday follows the long run.
WORKED = Week(
    days=(
        Day(kind=K.REST),
        Day(kind=K.INTERVALS, start=T(18)),
        Day(kind=K.EASY, start=T(7)),
        Day(kind=K.TEMPO, start=T(18)),
        Day(kind=K.REST),
        Day(kind=K.LONG, start=T(8)),
        Day(kind=K.EASY, start=T(9)),
    )
)


@pytest.mark.parametrize("lifting", [None, *LiftingExperience])
def test_the_heavy_blocks_note_describes_the_sessions_of_its_week(
    lifting: LiftingExperience | None,
) -> None:
    runner = GYM.model_copy(update={"sessions_per_week": 2, "minutes": 25, "lifting": lifting})
    plan = plan_week(runner, WORKED, MONDAY)  # week 1 of the heavy block
    kinds = {d.session.kind for d in plan.sessions if d.session is not None}
    assert SessionKind.HEAVY not in kinds
    note = next(n for n in plan.notes if n.startswith("Heavy block, week 1"))
    assert "light weights" not in note and "heavy lifts" not in note and "main lift" not in note
    assert "no session is heavy this week" in note
    # A week that holds a heavy session keeps the note about it.
    heavy = plan_week(runner, SUNDAY_AND_MONDAY.model_copy(), MONDAY + WEEK, block_start=MONDAY)
    assert any(
        d.session is not None and d.session.kind is SessionKind.HEAVY for d in heavy.sessions
    )
    assert "no session is heavy" not in " ".join(heavy.notes)
