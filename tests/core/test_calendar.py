"""The calendar feed's content (core/calendar.py): the plan's runs and strength sessions at
their local times in the runner's zone, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar

from bot.texts import CALENDAR_FEED_WORDS
from core.calendar import (
    FeedWords,
    PainPause,
    Pause,
    feed_events,
    render_calendar,
    stamps_for,
    week_starts,
)
from core.models import Day, DayKind, PlacementPreference, Profile, Week
from core.planner import plan_week
from core.reminders import ReminderSettings

WORDS = FeedWords.model_validate(CALENDAR_FEED_WORDS)
LONDON = ZoneInfo("Europe/London")
# Easy 07:00 Mon, Wed, Fri, Sun (45 min); intervals Tue 18:00; long Sat, no fixed time.
WEEK = Week(
    days=(
        Day(kind=DayKind.EASY, start=dt.time(7, 0), minutes=45),
        Day(kind=DayKind.INTERVALS, start=dt.time(18, 0), minutes=60),
        Day(kind=DayKind.EASY, start=dt.time(7, 0), minutes=45),
        Day(kind=DayKind.REST),
        Day(kind=DayKind.EASY, start=dt.time(7, 0), minutes=45),
        Day(kind=DayKind.LONG, minutes=100),
        Day(kind=DayKind.EASY, start=dt.time(7, 0), minutes=45),
    )
)
PROFILE = Profile(sessions_per_week=3, minutes=25, placement=PlacementPreference.AFTER_RUNS)
SETTINGS = ReminderSettings(time_zone="Europe/London", delay_minutes=20)


def build(today: dt.date, **kw: object) -> tuple[list[icalendar.Event], bytes]:
    plans = [plan_week(PROFILE, WEEK, w) for w in week_starts(today)]
    events = feed_events(
        plans,
        SETTINGS,
        feed_id="f00d",
        today=today,
        words=WORDS,
        **kw,  # type: ignore[arg-type]
    )
    now = dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC)
    body = render_calendar(
        events, stamps_for(events, {}, now), time_zone="Europe/London", words=WORDS
    )
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT")), body


def by_uid(events: list[icalendar.Event]) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in events}


def test_runs_keep_their_local_time_across_the_spring_change():
    # The clocks go forward in London on Sunday 28 March 2027.
    events, body = build(dt.date(2027, 3, 22))
    runs = by_uid(events)
    saturday_easy = runs["2027-03-27-run-f00d@runcoach"]  # not a run day: long, all day
    assert saturday_easy["DTSTART"].dt == dt.date(2027, 3, 27)
    before = runs["2027-03-26-run-f00d@runcoach"]["DTSTART"].dt  # Friday, GMT
    after = runs["2027-03-28-run-f00d@runcoach"]["DTSTART"].dt  # Sunday, BST
    assert (before.hour, before.minute) == (after.hour, after.minute) == (7, 0)
    assert before.utcoffset() == dt.timedelta(0) and after.utcoffset() == dt.timedelta(hours=1)
    assert str(before.tzinfo) == "Europe/London"
    assert b"TZID=Europe/London" in body and b"BEGIN:VTIMEZONE" in body
    zones = list(icalendar.Calendar.from_ical(body).walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/London"]


def test_strength_sits_after_the_run_plus_the_delay_with_its_exercises():
    events, _ = build(dt.date(2027, 10, 25))  # London goes back on 31 October 2027
    strength = [e for e in events if "-strength-" in str(e["UID"])]
    assert strength
    runs = by_uid(events)
    for session in strength:
        day = session["DTSTART"].dt.date()
        run = runs.get(f"{day.isoformat()}-run-f00d@runcoach")
        assert run is not None and isinstance(run["DTSTART"].dt, dt.datetime)
        assert session["DTSTART"].dt == run["DTEND"].dt + dt.timedelta(minutes=20)
        minutes = (session["DTEND"].dt - session["DTSTART"].dt).total_seconds() / 60
        assert f"({minutes:.0f} min)" in str(session["SUMMARY"])
        description = str(session["DESCRIPTION"])
        assert " × " in description and "Why this day:" in description
    # The sessions after the change are still after the 07:00 run, in GMT now.
    late = [s for s in strength if s["DTSTART"].dt.date() > dt.date(2027, 10, 31)]
    assert late and all(s["DTSTART"].dt.utcoffset() == dt.timedelta(0) for s in late)


def test_rest_days_have_no_event_and_the_feed_starts_today():
    events, _ = build(dt.date(2027, 3, 25))  # a Thursday, a rest day
    starts = sorted(
        (e["DTSTART"].dt.date() if isinstance(e["DTSTART"].dt, dt.datetime) else e["DTSTART"].dt)
        for e in events
    )
    assert starts[0] == dt.date(2027, 3, 26)  # Thursday has nothing, the days before are gone
    assert starts[-1] == dt.date(2027, 4, 11)  # the Sunday of the week after next
    assert dt.date(2027, 4, 1) not in starts  # the next Thursday: rest


def test_a_pause_empties_its_days_and_shows_one_all_day_event():
    today = dt.date(2027, 3, 22)
    events, _ = build(today, pause=Pause(until=dt.date(2027, 3, 30)))
    paused = [e for e in events if str(e["SUMMARY"]) == "Paused"]
    assert len(paused) == 1
    assert paused[0]["DTSTART"].dt == today and paused[0]["DTEND"].dt == dt.date(2027, 3, 31)
    others = [e for e in events if e is not paused[0]]
    firsts = [e["DTSTART"].dt for e in others]
    days = [d.date() if isinstance(d, dt.datetime) else d for d in firsts]
    assert min(days) == dt.date(2027, 3, 31)


def test_running_paused_by_pain_shows_the_pause():
    events, _ = build(dt.date(2027, 3, 22), pain=PainPause.RUNNING)
    assert [str(e["SUMMARY"]) for e in events if "pain" in str(e["UID"])] == [
        "Running paused (pain)"
    ]


def test_an_unchanged_event_keeps_its_stamp_and_a_changed_one_moves_on():
    today = dt.date(2027, 3, 22)
    plans = [plan_week(PROFILE, WEEK, w) for w in week_starts(today)]
    first = feed_events(plans, SETTINGS, feed_id="f", today=today, words=WORDS)
    t0 = dt.datetime(2027, 3, 22, 9, tzinfo=dt.UTC)
    stamps = stamps_for(first, {}, t0)
    later = SETTINGS.model_copy(update={"delay_minutes": 40})
    second = feed_events(plans, later, feed_id="f", today=today, words=WORDS)
    t1 = t0 + dt.timedelta(hours=1)
    again = stamps_for(second, stamps, t1)
    for event in second:
        if event.kind.value == "strength" and event.start is not None:
            assert again[event.uid].sequence == 1 and again[event.uid].modified == t1
        elif event.kind.value == "run":
            assert again[event.uid] == stamps[event.uid]
