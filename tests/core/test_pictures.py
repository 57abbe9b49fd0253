"""What the week picture and the progress chart show, from real plans (core/pictures.py)."""

from __future__ import annotations

import datetime as dt

from core.models import Day, DayKind, Profile, Week
from core.pain import Restrictions, adapt_plan
from core.pictures import PainMark, level_in, week_picture
from core.planner import plan_week
from core.reminders import ReminderKind, ReminderSettings, reminders_for

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


def test_the_picture_holds_each_day_of_the_plan_with_its_run_and_session() -> None:
    plan = plan_week(Profile(sessions_per_week=2), WORKED, MONDAY)
    picture = week_picture(plan, today=MONDAY + dt.timedelta(days=2))
    assert [d.date for d in picture.days] == [d.date for d in plan.days]
    assert [d.kind for d in picture.days] == [d.day.kind for d in plan.days]
    assert [d.date for d in picture.strength_days] == [d.date for d in plan.sessions]
    for tile, day in zip(picture.days, plan.days, strict=True):
        assert tile.start == day.day.start
        assert tile.strength == (day.session.name if day.session else None)
    assert [d.today for d in picture.days] == [False, False, True, False, False, False, False]
    assert not any(d.pain or d.paused for d in picture.days)


def test_days_before_joining_are_not_planned_and_paused_days_are_marked() -> None:
    thursday = MONDAY + dt.timedelta(days=3)
    plan = plan_week(Profile(sessions_per_week=2), WORKED, MONDAY, starts_on=thursday)
    picture = week_picture(plan, today=thursday, paused=[MONDAY + dt.timedelta(days=6)])
    assert [d.planned for d in picture.days] == [False] * 3 + [True] * 4
    assert [d.paused for d in picture.days] == [False] * 6 + [True]


def test_a_pain_pause_of_running_shows_the_runs_it_paused() -> None:
    usual = plan_week(Profile(sessions_per_week=2), WORKED, MONDAY)
    adapted = adapt_plan(usual, Restrictions(running_paused=True))
    picture = week_picture(adapted, today=MONDAY, usual=usual, pain=True)
    paused = [d.date for d in picture.days if d.run_paused]
    assert paused == [d.date for d in usual.days if d.day.kind.is_run]
    # The run keeps its kind and time in the picture (drawn faded, "run paused (pain)").
    tuesday = picture.days[1]
    assert tuesday.kind is DayKind.INTERVALS and tuesday.start == T(18)


def test_rest_until_seen_shows_the_sessions_it_removed() -> None:
    usual = plan_week(Profile(sessions_per_week=2), WORKED, MONDAY)
    adapted = adapt_plan(usual, Restrictions(no_exercise=True))
    picture = week_picture(adapted, today=MONDAY, usual=usual, pain=True)
    removed = [d.date for d in picture.days if d.pain is PainMark.SESSION_REMOVED]
    assert removed == [d.date for d in usual.sessions] and removed
    # Every run stops too, on the session days as well.
    assert [d.date for d in picture.days if d.run_paused] == [
        d.date for d in usual.days if d.day.kind.is_run
    ]


def test_the_level_of_a_week_comes_from_the_steps_around_it() -> None:
    weeks = [MONDAY - dt.timedelta(weeks=n) for n in (3, 2, 1)]
    steps = [(weeks[0], 1, 2), (weeks[1], 2, 2), (weeks[2], 2, 3)]
    assert level_in(weeks[0], steps, current=3) == 1  # planned before its own step
    assert level_in(weeks[1], steps, current=3) == 2
    assert level_in(MONDAY, steps, current=3) == 3
    assert level_in(MONDAY, [], current=4) == 4


def test_the_summarys_pictures_come_after_it_and_are_off_with_it() -> None:
    first_sunday = dt.date(2026, 12, 6)  # the month's first Sunday: the chart too
    plans = [
        plan_week(Profile(sessions_per_week=2), WORKED, MONDAY + dt.timedelta(weeks=w))
        for w in (0, 1)
    ]
    after = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    until = MONDAY + dt.timedelta(days=13)
    specs = reminders_for(plans, ReminderSettings(), after=after, until=until)
    sunday_kinds = {(s.local_date, s.kind): s.due_at for s in specs if s.local_date.weekday() == 6}
    summary = sunday_kinds[(first_sunday, ReminderKind.WEEKLY)]
    assert sunday_kinds[(first_sunday, ReminderKind.WEEKLY_PICTURE)] > summary
    assert (first_sunday, ReminderKind.MONTHLY_PROGRESS) in sunday_kinds
    second = first_sunday + dt.timedelta(days=7)
    assert (second, ReminderKind.WEEKLY_PICTURE) in sunday_kinds
    assert (second, ReminderKind.MONTHLY_PROGRESS) not in sunday_kinds
    off = ReminderSettings(off=frozenset({ReminderKind.WEEKLY}))
    kinds = {s.kind for s in reminders_for(plans, off, after=after, until=until)}
    assert not kinds & {
        ReminderKind.WEEKLY,
        ReminderKind.WEEKLY_PICTURE,
        ReminderKind.MONTHLY_PROGRESS,
    }
