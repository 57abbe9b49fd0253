"""Hard days hard, as properties of the planner (docs/coaching.md, "Hard days hard"): a short
session after a hard run only with consent, never after the long run, never the day before
(or of, or after) a race, never next to another strength day."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from core.models import (
    HIGH_VOLUME_KINDS,
    STRENGTH_ALLOWED_KINDS,
    Day,
    DayKind,
    PlacementPreference,
    Profile,
    Week,
)
from core.planner import HARD_DAY_MINUTES, plan_week, sessions_room

MONDAY = dt.date(2026, 11, 30)

weeks = st.lists(st.sampled_from(list(DayKind)), min_size=7, max_size=7).map(
    lambda ks: Week(days=tuple(Day(kind=k) for k in ks))
)
# No race, or a race from three weeks before this week to twenty weeks after it.
races = st.none() | st.integers(-21, 140).map(lambda d: MONDAY + dt.timedelta(days=d))
profiles = st.builds(
    Profile,
    sessions_per_week=st.integers(2, 4),
    placement=st.sampled_from(list(PlacementPreference)),
    hard_day_sessions=st.booleans(),
    race_date=races,
)


@settings(max_examples=400, deadline=None)
@given(profile=profiles, week=weeks)
def test_a_session_after_a_hard_run_keeps_its_limits(profile: Profile, week: Week) -> None:
    plan = plan_week(profile, week, MONDAY)
    placed = {d.date.weekday() for d in plan.days if d.session is not None}
    kinds = {MONDAY + dt.timedelta(days=i): day.kind for i, day in enumerate(week.days)}
    for d in plan.days:
        if d.session is None or d.day.kind in STRENGTH_ALLOWED_KINDS:
            continue
        # Only with consent, only after a hard run, and short.
        assert profile.hard_day_sessions and d.day.kind.is_hard
        assert d.session.minutes <= HARD_DAY_MINUTES
        # Never straight after the long run (the usual week repeats: Monday follows Sunday).
        yesterday = kinds.get(d.date - dt.timedelta(days=1), week.days[6].kind)
        assert yesterday not in HIGH_VOLUME_KINDS
        # Never on, the day before or the day after the race.
        if profile.race_date is not None:
            assert abs((profile.race_date - d.date).days) > 1
        # Never two strength days in a row around it (the week repeats: Sunday, Monday).
        i = d.date.weekday()
        assert (i - 1) % 7 not in placed and (i + 1) % 7 not in placed


@settings(max_examples=200, deadline=None)
@given(profile=profiles, week=weeks)
def test_without_consent_nothing_goes_after_a_hard_run(profile: Profile, week: Week) -> None:
    asked = profile.model_copy(update={"hard_day_sessions": False})
    plan = plan_week(asked, week, MONDAY)
    assert all(d.day.kind in STRENGTH_ALLOWED_KINDS for d in plan.days if d.session is not None)
    room = sessions_room(profile, week, MONDAY)
    assert room.sessions <= room.with_hard_days <= 4
