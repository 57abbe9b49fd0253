"""The partial first week: a runner who joins mid-week is planned from that day on
(docs/coaching.md, "The partial first week")."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.models import (
    STRENGTH_ALLOWED_KINDS,
    Day,
    DayKind,
    PlacementPreference,
    Profile,
    Week,
)
from core.planner import plan_week
from core.reminders import ReminderSettings, reminders_for

MONDAY = dt.date(2026, 11, 30)
T = dt.time

WORKED = Week(
    days=(
        Day(kind=DayKind.REST),
        Day(kind=DayKind.INTERVALS, start=T(18)),
        Day(kind=DayKind.EASY, start=T(7)),
        Day(kind=DayKind.TEMPO, start=T(18)),
        Day(kind=DayKind.REST),
        Day(kind=DayKind.LONG, start=T(8)),
        Day(kind=DayKind.EASY, start=T(9)),
    )
)
EASY_WEEK = Week(days=tuple(Day(kind=DayKind.EASY, start=T(7)) for _ in range(7)))


def session_days(plan) -> list[dt.date]:
    return [d.date for d in plan.sessions]


def test_joining_on_tuesday_plans_nothing_on_the_past_monday():
    tuesday = MONDAY + dt.timedelta(days=1)
    plan = plan_week(Profile(sessions_per_week=3), EASY_WEEK, MONDAY, starts_on=tuesday)
    monday = plan.days[0]
    assert monday.session is None
    assert monday.reason == "Before you joined."
    assert plan.first_day == tuesday
    assert all(d >= tuesday for d in session_days(plan))
    assert len(plan.sessions) == 3  # Tue to Sun still holds three, spread out


def test_joining_on_monday_or_before_plans_the_whole_week():
    whole = plan_week(Profile(), WORKED, MONDAY)
    assert plan_week(Profile(), WORKED, MONDAY, starts_on=MONDAY) == whole
    earlier = plan_week(Profile(), WORKED, MONDAY, starts_on=MONDAY - dt.timedelta(days=9))
    assert earlier == whole
    assert whole.first_day == MONDAY


def test_a_late_join_says_why_fewer_sessions_fit():
    # The worked example from Friday: only Sunday is left (Saturday is the long run).
    friday = MONDAY + dt.timedelta(days=4)
    plan = plan_week(Profile(sessions_per_week=2), WORKED, MONDAY, starts_on=friday)
    assert [d.weekday.title for d in plan.sessions] == ["Sunday"]
    assert plan.shortfall is not None
    assert "Your first week starts on Friday" in plan.shortfall
    assert "full plan starts next week" in plan.shortfall
    assert [d.reason for d in plan.days[:4]] == ["Before you joined."] * 4


def test_joining_on_sunday_with_a_long_run_that_day_gets_no_session_and_says_so():
    sunday = MONDAY + dt.timedelta(days=6)
    week = Week(days=(*EASY_WEEK.days[:6], Day(kind=DayKind.LONG, start=T(8))))
    plan = plan_week(Profile(), week, MONDAY, starts_on=sunday)
    assert plan.sessions == ()
    assert plan.shortfall is not None and "no day left" in plan.shortfall
    assert plan.days[6].reason.startswith("Long run")


def test_no_reminders_before_the_joining_day():
    thursday = MONDAY + dt.timedelta(days=3)
    plan = plan_week(Profile(), EASY_WEEK, MONDAY, starts_on=thursday)
    joined_at = dt.datetime.combine(thursday, T(6, 30), tzinfo=dt.UTC)
    specs = reminders_for(
        [plan],
        ReminderSettings(time_zone="Europe/London"),
        after=joined_at,
        until=MONDAY + dt.timedelta(days=6),
    )
    assert specs
    assert min(s.local_date for s in specs) == thursday
    strength = [s.local_date for s in specs if s.kind.value == "strength"]
    assert strength and min(strength) >= thursday


kinds = st.sampled_from(list(DayKind))
weeks = st.lists(kinds, min_size=7, max_size=7).map(
    lambda ks: Week(days=tuple(Day(kind=k) for k in ks))
)
profiles = st.builds(
    Profile,
    sessions_per_week=st.integers(2, 4),
    placement=st.sampled_from(list(PlacementPreference)),
    hard_day_sessions=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(profile=profiles, week=weeks, offset=st.integers(0, 6))
def test_placement_holds_over_a_partial_week(profile: Profile, week: Week, offset: int):
    starts_on = MONDAY + dt.timedelta(days=offset)
    plan = plan_week(profile, week, MONDAY, starts_on=starts_on)
    placed = [d for d in plan.days if d.session is not None]
    # Nothing before the joining day.
    assert all(d.date >= starts_on for d in placed)
    for d in plan.days[:offset]:
        assert d.session is None and d.reason == "Before you joined."
    # Never more than asked, never two in a row unless four were asked (then one is light).
    assert len(placed) <= profile.sessions_per_week
    indexes = [d.date.weekday() for d in placed]
    back_to_back = sum(1 for a, b in pairwise(indexes) if b - a == 1)
    if profile.sessions_per_week < 4:
        assert back_to_back == 0
    # Hard-day rules: strength only on days that allow it, or after a hard run with consent
    # (then short).
    for d in placed:
        if d.day.kind not in STRENGTH_ALLOWED_KINDS:
            assert profile.hard_day_sessions and d.day.kind.is_hard
            assert d.session is not None and d.session.minutes <= 20
    # A rest day or a long run never takes strength, whatever day the week starts.
    assert all(d.day.kind not in (DayKind.REST, DayKind.LONG) for d in placed)


@pytest.mark.parametrize("offset", range(7))
def test_the_first_day_is_the_joining_day(offset: int):
    starts_on = MONDAY + dt.timedelta(days=offset)
    plan = plan_week(Profile(), EASY_WEEK, MONDAY, starts_on=starts_on)
    assert plan.first_day == starts_on
    assert plan.sessions  # an easy week always has room, even on the last day
