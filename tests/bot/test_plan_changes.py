"""What a changed setting says: the plan's changes in a few lines, from real plans."""

from __future__ import annotations

import datetime as dt

from bot import texts
from bot.plan_changes import days_changed, describe_change, zone_change
from core.models import Equipment, Goal, PlacementPreference, Profile
from core.planner import plan_week
from core.weekparse import parse_week
from tests.bot.conftest import WORKED_WEEK

MONDAY = dt.date(2026, 11, 23)
PROFILE = Profile(
    goal=Goal.NONE,
    sessions_per_week=2,
    minutes=25,
    placement=PlacementPreference.AFTER_RUNS,
    equipment=frozenset({Equipment.NONE}),
)


def plan(week: str = WORKED_WEEK, **changes: object):
    return plan_week(PROFILE.model_copy(update=changes), parse_week(week), MONDAY)


def test_nothing_changed_says_so():
    same = plan()
    assert describe_change(same, plan()) == texts.PLAN_UNCHANGED
    assert not days_changed(same, plan())


def test_a_moved_day_names_both_days_and_the_session():
    moved = plan(WORKED_WEEK.replace("Sun easy 09:00", "Sun rest").replace("Fri rest", "Fri easy"))
    said = describe_change(plan(), moved)
    assert said.startswith("Strength moves from Sunday to Friday (Strength B")
    assert days_changed(plan(), moved) and "Why here" not in said


def test_longer_sessions_say_the_minutes_per_day():
    longer = plan(minutes=40)
    said = describe_change(plan(), longer)
    wed, sun = (d.session.minutes for d in longer.sessions if d.session)
    assert wed > 25 and sun > 25
    assert (
        f"Wednesday: now Strength A (light), {wed} min (was Strength A (light), 25 min)." in said
    )
    assert f"Sunday: now Strength B, {sun} min (was Strength B, 25 min)." in said
    assert "strength session" not in said  # the count did not change


def test_more_sessions_asked_than_fit_gives_the_reason_once():
    said = describe_change(plan(), plan(sessions_per_week=3))
    assert "Still 2 strength sessions this week." in said
    assert said.count("You asked for 3 sessions, but only 2 fit this week") == 1
    back = describe_change(plan(sessions_per_week=3), plan())
    assert "All 2 sessions you asked for fit now." in back


def test_a_new_zone_says_the_next_reminder_in_it():
    now = dt.datetime(2026, 11, 27, 20, 0)
    due = dt.datetime(2026, 11, 28, 7, 0)
    said = zone_change("Australia/Sydney", now, due, "morning")
    assert said == (
        "Your time zone is now Australia/Sydney (it's 20:00 there). "
        "Next: Morning message, Sat 28 Nov 07:00."
    )
    assert zone_change("America/New_York", now, None, "").endswith(texts.ZONE_NO_REMINDER)
    assert "New York" in zone_change("America/New_York", now, None, "")
