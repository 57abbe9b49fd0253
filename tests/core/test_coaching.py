"""The roster's rules (core/coaching.py): each runner's colour, red first, pages."""

from __future__ import annotations

import datetime as dt

import pytest

from core.coaching import (
    Colour,
    PainMark,
    RosterFacts,
    WeekTally,
    colour,
    page_of,
    pages,
    sort_roster,
)
from core.reminders import ReminderKind, is_stale

TODAY = dt.date(2026, 12, 3)  # a Thursday
MONDAY = dt.date(2026, 11, 30)


def week(back: int, planned: int, done: int) -> WeekTally:
    return WeekTally(monday=MONDAY - dt.timedelta(weeks=back), planned=planned, done=done)


def facts(
    name: str = "Ann",
    *,
    missed: int = 0,
    pain: PainMark | None = None,
    weeks: tuple[WeekTally, ...] = (week(1, 2, 2), week(2, 2, 2)),
    runner_id: int = 1,
) -> RosterFacts:
    return RosterFacts(
        runner_id=runner_id,
        name=name,
        planned=2,
        done=1,
        missed=missed,
        streak=2,
        last_weeks=weeks,
        last_pain=pain,
    )


def pain(score: int, days_ago: int = 1, tier: str | None = None) -> PainMark:
    return PainMark(day=TODAY - dt.timedelta(days=days_ago), score=score, area="calf", tier=tier)


@pytest.mark.parametrize(
    ("runner", "expected"),
    [
        (facts(), Colour.GREEN),  # on plan, no pain
        (facts(pain=pain(3)), Colour.GREEN),  # pain under 4 does not colour
        (facts(missed=1), Colour.AMBER),  # a missed session this week
        (facts(weeks=(week(1, 2, 1), week(2, 2, 2))), Colour.AMBER),  # last week short
        (facts(pain=pain(4)), Colour.AMBER),
        (facts(pain=pain(5)), Colour.AMBER),
        (facts(pain=pain(6)), Colour.RED),
        (facts(pain=pain(2, tier="same-day")), Colour.RED),  # a red flag, whatever the score
        (facts(weeks=(week(1, 2, 0), week(2, 3, 1))), Colour.RED),  # two missed weeks
        (facts(pain=pain(8, days_ago=20)), Colour.GREEN),  # old pain no longer colours
        (facts(weeks=(week(1, 2, 0),)), Colour.AMBER),  # one week since joining: not two
    ],
)
def test_colours(runner: RosterFacts, expected: Colour) -> None:
    assert colour(runner, TODAY) is expected


def test_red_first_then_amber_then_green_by_name() -> None:
    rows = [
        facts("zoe", runner_id=1),
        facts("Bob", missed=1, runner_id=2),
        facts("Cat", pain=pain(7), runner_id=3),
        facts("amy", runner_id=4),
        facts("Al", pain=pain(2, tier="emergency"), runner_id=5),
    ]
    order = [(c, f.name) for c, f in sort_roster(rows, TODAY)]
    assert order == [
        (Colour.RED, "Al"),
        (Colour.RED, "Cat"),
        (Colour.AMBER, "Bob"),
        (Colour.GREEN, "amy"),
        (Colour.GREEN, "zoe"),
    ]


def test_pages_of_ten_clamped() -> None:
    assert pages(0) == 1 and pages(10) == 1 and pages(205) == 21
    assert page_of(205, 0) == (0, 0, 10)
    assert page_of(205, 20) == (20, 200, 205)
    assert page_of(205, 99) == (20, 200, 205)  # a stale page number shows the last page
    assert page_of(205, -3) == (0, 0, 10)
    assert page_of(0, 0) == (0, 0, 0)


def test_a_coach_s_alert_is_sent_late_rather_than_never() -> None:
    due = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
    grace = dt.timedelta(hours=2)
    late = due + dt.timedelta(hours=5)  # after an outage longer than the grace window
    assert not is_stale(ReminderKind.COACH_FLAG, due, late, grace)
    assert not is_stale(ReminderKind.COACH_PHYSIO, due, late, grace)
    assert is_stale(ReminderKind.COACH_FLAG, due, due + dt.timedelta(days=3), grace)
    assert is_stale(ReminderKind.STRENGTH, due, late, grace)
    assert is_stale(ReminderKind.COACH_DIGEST, due, late, grace)  # keeps the grace window
