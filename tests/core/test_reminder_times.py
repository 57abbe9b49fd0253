"""When reminders are due (core/reminders.py): pure, local wall-clock times, DST-correct."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.models import (
    HARD_KINDS,
    Day,
    DayKind,
    Phase,
    Plan,
    PlannedDay,
    Profile,
    Session,
    SessionKind,
    Week,
)
from core.planner import plan_week, week_start_of
from core.reminders import (
    STALE_AFTER,
    ReminderKind,
    ReminderSettings,
    ReminderSpec,
    is_stale,
    local_to_utc,
    reminders_for,
    snooze_until,
    strength_due,
)

UTC = dt.UTC
LONDON, SYDNEY, NEW_YORK = "Europe/London", "Australia/Sydney", "America/New_York"
SESSION = Session(name="Strength A", kind=SessionKind.STANDARD, minutes=25, exercises=())
MORNING, STRENGTH, WEEKLY = ReminderKind.MORNING, ReminderKind.STRENGTH, ReminderKind.WEEKLY
# The summary's photos come with it (docs/pictures.md): next week's picture every Sunday, the
# progress chart on a month's first Sunday.
PICTURES = {ReminderKind.WEEKLY_PICTURE, ReminderKind.MONTHLY_PROGRESS}
FAR_PAST = dt.datetime(2000, 1, 1, tzinfo=UTC)
REST = Day()


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def run(kind: DayKind, start: str | None = None, minutes: int | None = None) -> Day:
    return Day(kind=kind, start=t(start) if start else None, minutes=minutes)


def plan(monday: dt.date, days: list[tuple[Day, bool]]) -> Plan:
    """A week from (day, has strength) pairs, Monday first; missing days are rest."""
    days = days + [(REST, False)] * (7 - len(days))
    return Plan(
        week_start=monday,
        phase=Phase.BUILD,
        days=tuple(
            PlannedDay(
                date=monday + dt.timedelta(days=i),
                day=day,
                session=SESSION if strength else None,
                reason="test",
            )
            for i, (day, strength) in enumerate(days)
        ),
        sessions_requested=2,
    )


def specs_of(
    plans: list[Plan], settings: ReminderSettings, *, after: dt.datetime = FAR_PAST
) -> list[ReminderSpec]:
    last = max(d.date for p in plans for d in p.days)
    return reminders_for(plans, settings, after=after, until=last)


def one(specs: list[ReminderSpec], kind: ReminderKind, day: dt.date) -> ReminderSpec:
    found = [s for s in specs if s.kind is kind and s.local_date == day]
    assert len(found) == 1, f"{len(found)} {kind} reminders on {day}: {specs}"
    return found[0]


def local(instant: dt.datetime, zone: str) -> str:
    return f"{instant.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}"


# The worked week, as the planner places it: strength Wednesday and Sunday.
WORKED = Week(
    days=(
        REST,
        run(DayKind.INTERVALS, "18:00"),
        run(DayKind.EASY, "07:00"),
        run(DayKind.TEMPO, "18:00"),
        REST,
        run(DayKind.LONG, "08:00"),
        run(DayKind.EASY, "09:00"),
    )
)
WORKED_PROFILE = Profile(sessions_per_week=2, placement="after-runs")
MON = dt.date(2026, 11, 23)  # an ordinary week, no clock change anywhere near


def worked_plan(monday: dt.date = MON) -> Plan:
    return plan_week(WORKED_PROFILE, WORKED, monday)


# --- what is due when ----------------------------------------------------------------------


def test_the_worked_week_in_london():
    worked = worked_plan()
    assert [d.weekday.title for d in worked.sessions] == ["Wednesday", "Sunday"]
    specs = specs_of([worked], ReminderSettings(time_zone=LONDON))
    wed, sun = MON + dt.timedelta(days=2), MON + dt.timedelta(days=6)
    # after the run: start + the run's usual length (easy: 40 min) + the delay (15 min)
    assert local(one(specs, STRENGTH, wed).due_at, LONDON) == f"{wed} 07:55"
    assert local(one(specs, STRENGTH, sun).due_at, LONDON) == f"{sun} 09:55"
    assert local(one(specs, WEEKLY, sun).due_at, LONDON) == f"{sun} 19:00"
    assert [s.local_date for s in specs if s.kind is WEEKLY] == [sun]
    assert [s.local_date for s in specs if s.kind is STRENGTH] == [wed, sun]
    mornings = [s for s in specs if s.kind is MORNING]
    assert [s.local_date for s in mornings] == [MON + dt.timedelta(days=i) for i in range(7)]
    for spec in mornings:
        if spec.local_date != wed:  # Wednesday's 07:00 run: see the test below
            assert local(spec.due_at, LONDON) == f"{spec.local_date} 07:00"
    for spec in specs:
        assert spec.due_at.utcoffset() == dt.timedelta(0)


def test_strength_due_uses_the_runs_own_length_and_the_delay():
    settings = ReminderSettings(time_zone=SYDNEY, delay_minutes=30)
    week = plan(
        MON,
        [
            (run(DayKind.EASY, "06:15", minutes=50), True),  # 06:15 + 50 + 30
            (run(DayKind.RECOVERY, "12:00"), True),  # recovery's usual 30 min
            (run(DayKind.HILLS, "17:30"), True),  # hills' usual 50 min
            (run(DayKind.EASY, "23:30", minutes=60), True),  # ends after midnight
        ],
    )
    specs = specs_of([week], settings)
    days = [MON + dt.timedelta(days=i) for i in range(4)]
    assert local(one(specs, STRENGTH, days[0]).due_at, SYDNEY) == f"{days[0]} 07:35"
    assert local(one(specs, STRENGTH, days[1]).due_at, SYDNEY) == f"{days[1]} 13:00"
    assert local(one(specs, STRENGTH, days[2]).due_at, SYDNEY) == f"{days[2]} 18:50"
    next_day = days[3] + dt.timedelta(days=1)
    assert local(one(specs, STRENGTH, days[3]).due_at, SYDNEY) == f"{next_day} 01:00"
    zone = ZoneInfo(SYDNEY)
    for entry in week.days[:4]:
        assert strength_due(entry, settings, zone) == one(specs, STRENGTH, entry.date).due_at


def test_a_strength_day_without_a_run_is_at_the_strength_time():
    settings = ReminderSettings(time_zone=NEW_YORK, strength_time=t("17:45"))
    week = plan(
        MON,
        [
            (REST, True),
            (run(DayKind.OFF), True),
            (run(DayKind.EASY), True),  # a run with no time
            (run(DayKind.CROSS, "17:00"), True),  # cross-training is not a run
        ],
    )
    specs = specs_of([week], settings)
    for i in range(4):  # all fall back to the strength time
        day = MON + dt.timedelta(days=i)
        assert local(one(specs, STRENGTH, day).due_at, NEW_YORK) == f"{day} 17:45"
    default = specs_of([week], ReminderSettings(time_zone=NEW_YORK))
    assert local(one(default, STRENGTH, MON).due_at, NEW_YORK) == f"{MON} 18:00"


def test_morning_at_the_morning_time_or_half_an_hour_before_an_earlier_run():
    settings = ReminderSettings(time_zone=LONDON)
    week = plan(
        MON,
        [
            (run(DayKind.EASY, "06:00"), False),
            (run(DayKind.LONG, "05:10"), False),
            (run(DayKind.EASY, "00:20"), False),  # half an hour before is the day before
            (run(DayKind.TEMPO, "08:00"), False),  # later than 07:00: the morning time
            (run(DayKind.INTERVALS, "18:00"), False),
            (REST, False),
        ],
    )
    specs = specs_of([week], settings)
    expected = ["05:30", "04:40", "00:00", "07:00", "07:00", "07:00", "07:00"]
    for i, at in enumerate(expected):
        day = MON + dt.timedelta(days=i)
        assert local(one(specs, MORNING, day).due_at, LONDON) == f"{day} {at}"
    later = specs_of([week], ReminderSettings(time_zone=LONDON, morning_time=t("09:30")))
    assert local(one(later, MORNING, MON + dt.timedelta(days=3)).due_at, LONDON).endswith("07:30")
    assert local(one(later, MORNING, MON + dt.timedelta(days=5)).due_at, LONDON).endswith("09:30")


def test_a_run_at_the_morning_time_gets_its_message_half_an_hour_before():
    """Issue 4: the morning message comes 30 minutes before the first run when that run starts
    no later than the morning time, so a 07:00 run (the worked week's Wednesday) gets it at
    06:30, not as the runner heads out of the door."""
    week = plan(MON, [(run(DayKind.EASY, "07:00"), True), (run(DayKind.EASY, "07:20"), True)])
    specs = specs_of([week], ReminderSettings(time_zone=LONDON))
    assert local(one(specs, MORNING, MON).due_at, LONDON) == f"{MON} 06:30"


def test_the_pain_check_in_only_the_morning_after_a_demanding_day():
    settings = ReminderSettings(time_zone=LONDON)
    days: list[tuple[Day, bool]] = [
        (run(DayKind.INTERVALS, "18:00"), False),  # hard
        (run(DayKind.EASY, "07:00"), False),
        (run(DayKind.LONG, "08:00"), False),  # long
        (run(DayKind.RECOVERY, "07:00"), False),
        (REST, True),  # strength on a rest day
        (run(DayKind.CROSS, "12:00"), False),
        (run(DayKind.HILLS, "09:00"), False),  # hard
    ]
    second = [
        (run(DayKind.TEMPO, "18:00"), False),
        (run(DayKind.RACE, "09:00"), False),
        (run(DayKind.EASY, "07:00"), True),
        (REST, False),
    ]
    weeks = [plan(MON, days), plan(MON + dt.timedelta(days=7), second)]
    specs = specs_of(weeks, settings)
    checkins = {s.local_date for s in specs if s.kind is MORNING and s.checkin}
    demanding = {
        d.date + dt.timedelta(days=1)
        for w in weeks
        for d in w.days
        if d.day.kind in HARD_KINDS or d.day.kind is DayKind.LONG or d.session is not None
    }
    assert checkins == demanding - {MON + dt.timedelta(days=14)}
    assert MON not in checkins  # the day before the first plan counts as not demanding
    assert {(d - MON).days for d in checkins} == {1, 3, 5, 7, 8, 9, 10}
    # only morning messages carry the question
    assert not any(s.checkin for s in specs if s.kind is not MORNING)


def test_no_check_in_across_a_gap_between_weeks():
    long_sunday = [(REST, False)] * 6 + [(run(DayKind.LONG, "08:00"), False)]
    weeks = [plan(MON, long_sunday), plan(MON + dt.timedelta(days=14), [])]
    specs = specs_of(weeks, ReminderSettings())
    after_gap = one(specs, MORNING, MON + dt.timedelta(days=14))
    assert not after_gap.checkin


def test_weekly_summary_on_sunday_evening_only():
    settings = ReminderSettings(time_zone=SYDNEY)
    weeks = [worked_plan(), worked_plan(MON + dt.timedelta(days=7))]
    specs = specs_of(weeks, settings)
    weekly = [s for s in specs if s.kind is WEEKLY]
    assert [local(s.due_at, SYDNEY) for s in weekly] == ["2026-11-29 19:00", "2026-12-06 19:00"]
    custom = specs_of(weeks, ReminderSettings(time_zone=SYDNEY, weekly_time=t("20:15")))
    assert local(one(custom, WEEKLY, dt.date(2026, 11, 29)).due_at, SYDNEY).endswith("20:15")


@pytest.mark.parametrize(
    ("off", "left"),
    [
        ({MORNING}, {STRENGTH, WEEKLY, ReminderKind.WEEKLY_PICTURE}),
        ({STRENGTH}, {MORNING, WEEKLY, ReminderKind.WEEKLY_PICTURE}),
        ({WEEKLY}, {MORNING, STRENGTH}),
        ({MORNING, STRENGTH, WEEKLY}, set()),
    ],
)
def test_kinds_turned_off_produce_nothing(off, left):
    specs = specs_of([worked_plan()], ReminderSettings(time_zone=LONDON, off=frozenset(off)))
    assert {s.kind for s in specs} == left


def test_after_filters_out_what_is_already_past():
    worked = worked_plan()
    settings = ReminderSettings(time_zone=LONDON)
    everything = specs_of([worked], settings)
    wed_strength = one(everything, STRENGTH, MON + dt.timedelta(days=2)).due_at
    later = specs_of([worked], settings, after=wed_strength)
    assert all(s.due_at > wed_strength for s in later)  # strictly after: not sent twice
    assert later == [s for s in everything if s.due_at > wed_strength]
    assert one(later, MORNING, MON + dt.timedelta(days=3))
    assert specs_of([worked], settings, after=dt.datetime(2027, 1, 1, tzinfo=UTC)) == []


def test_until_stops_at_the_horizon():
    weeks = [worked_plan(), worked_plan(MON + dt.timedelta(days=7))]
    until = MON + dt.timedelta(days=9)
    specs = reminders_for(weeks, ReminderSettings(), after=FAR_PAST, until=until)
    assert max(s.local_date for s in specs) == until


# --- clock changes -------------------------------------------------------------------------

DST_SUNDAYS = [
    (LONDON, dt.date(2027, 3, 28), dt.timedelta(hours=1)),  # GMT -> BST
    (LONDON, dt.date(2026, 10, 25), dt.timedelta(hours=-1)),  # BST -> GMT
    (SYDNEY, dt.date(2026, 10, 4), dt.timedelta(hours=1)),  # AEST -> AEDT
    (SYDNEY, dt.date(2027, 4, 4), dt.timedelta(hours=-1)),  # AEDT -> AEST
    (NEW_YORK, dt.date(2027, 3, 14), dt.timedelta(hours=1)),  # EST -> EDT
    (NEW_YORK, dt.date(2026, 11, 1), dt.timedelta(hours=-1)),  # EDT -> EST
]


@pytest.mark.parametrize(("zone", "sunday", "change"), DST_SUNDAYS)
def test_a_7am_run_stays_at_7am_on_the_day_the_clocks_change(zone, sunday, change):
    monday = week_start_of(sunday)
    easy7 = run(DayKind.EASY, "07:00")
    # Saturday, the Sunday of the change and the Monday after: a 07:00 run with strength.
    weeks = [
        plan(monday, [(REST, False)] * 5 + [(easy7, True), (easy7, True)]),
        plan(monday + dt.timedelta(days=7), [(easy7, True)]),
    ]
    settings = ReminderSettings(time_zone=zone, morning_time=t("06:00"))
    specs = specs_of(weeks, settings)
    days = [sunday - dt.timedelta(days=1), sunday, sunday + dt.timedelta(days=1)]
    for day in days:
        assert local(one(specs, STRENGTH, day).due_at, zone) == f"{day} 07:55"
        assert local(one(specs, MORNING, day).due_at, zone) == f"{day} 06:00"
    assert local(one(specs, WEEKLY, sunday).due_at, zone) == f"{sunday} 19:00"
    sat, sun, mon = (one(specs, STRENGTH, d).due_at for d in days)
    # The same wall time, so the UTC instants are a day minus (or plus) the change apart.
    assert sun - sat == dt.timedelta(days=1) - change
    assert mon - sun == dt.timedelta(days=1)
    tz = ZoneInfo(zone)
    assert sun.astimezone(tz).utcoffset() - sat.astimezone(tz).utcoffset() == change
    # The morning message on the day of the change is at 06:00 too, the weekly at 19:00.
    sunday_morning = one(specs, MORNING, sunday).due_at.astimezone(tz)
    assert sunday_morning.utcoffset() == sun.astimezone(tz).utcoffset()


@pytest.mark.parametrize(("zone", "sunday", "change"), DST_SUNDAYS)
def test_the_default_morning_time_across_the_change(zone, sunday, change):
    """No run: the morning message is at 07:00 local on Saturday, Sunday and Monday."""
    monday = week_start_of(sunday)
    weeks = [plan(monday, []), plan(monday + dt.timedelta(days=7), [])]
    specs = specs_of(weeks, ReminderSettings(time_zone=zone))
    days = [sunday - dt.timedelta(days=1), sunday, sunday + dt.timedelta(days=1)]
    instants = [one(specs, MORNING, d).due_at for d in days]
    assert [local(i, zone) for i in instants] == [f"{d} 07:00" for d in days]
    assert instants[1] - instants[0] == dt.timedelta(days=1) - change


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected"),
    [
        (LONDON, dt.date(2027, 3, 28), "01:30", "2027-03-28 02:30"),
        (LONDON, dt.date(2027, 3, 28), "01:00", "2027-03-28 02:00"),
        (NEW_YORK, dt.date(2027, 3, 14), "02:15", "2027-03-14 03:15"),
        (SYDNEY, dt.date(2026, 10, 4), "02:45", "2026-10-04 03:45"),
        ("Australia/Lord_Howe", dt.date(2026, 10, 4), "02:10", "2026-10-04 02:40"),  # 30 min
    ],
)
def test_a_time_inside_the_spring_forward_gap_moves_forward_by_the_gap(zone, day, wall, expected):
    settings = ReminderSettings(time_zone=zone, strength_time=t(wall), morning_time=t(wall))
    week = plan(week_start_of(day), [(REST, d == day.weekday()) for d in range(7)])
    specs = specs_of([week], settings)
    assert local(one(specs, STRENGTH, day).due_at, zone) == expected
    assert local(one(specs, MORNING, day).due_at, zone) == expected
    assert local_to_utc(day, t(wall), ZoneInfo(zone)) == one(specs, STRENGTH, day).due_at


@pytest.mark.parametrize(
    ("zone", "day", "wall", "utc"),
    [
        (LONDON, dt.date(2026, 10, 25), "01:30", "2026-10-25 00:30"),  # BST, the first one
        (NEW_YORK, dt.date(2026, 11, 1), "01:30", "2026-11-01 05:30"),  # EDT, the first one
        (SYDNEY, dt.date(2027, 4, 4), "02:30", "2027-04-03 15:30"),  # AEDT, the first one
    ],
)
def test_a_time_that_happens_twice_is_the_first_one(zone, day, wall, utc):
    assert f"{local_to_utc(day, t(wall), ZoneInfo(zone)):%Y-%m-%d %H:%M}" == utc


def test_a_run_across_the_change_is_reminded_after_it_really_ends():
    """Start + length is elapsed time: a 00:30 run of 90 min on the night the clocks go back
    ends at 01:00 GMT (after 02:00 BST came round to 01:00 again), so the reminder is at 01:15."""
    day = dt.date(2026, 10, 25)
    week = plan(week_start_of(day), [(REST, False)] * 6 + [(run(DayKind.LONG, "00:30"), True)])
    specs = specs_of([week], ReminderSettings(time_zone=LONDON))
    due = one(specs, STRENGTH, day).due_at
    assert f"{due:%H:%M}" == "01:15"  # UTC
    assert due - local_to_utc(day, t("00:30"), ZoneInfo(LONDON)) == dt.timedelta(minutes=105)


# --- staleness and snoozing ----------------------------------------------------------------

DUE = dt.datetime(2027, 1, 6, 7, 55, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)
SECOND = dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("kind", "limit"),
    [
        (ReminderKind.STRENGTH, 3 * HOUR),
        (ReminderKind.SNOOZE, 3 * HOUR),
        (ReminderKind.MORNING, 4 * HOUR),
        (ReminderKind.WEEKLY, 12 * HOUR),
    ],
)
def test_is_stale_per_kind(kind, limit):
    long_grace = 24 * HOUR  # an operator who allows a day: each kind's own limit decides
    assert not is_stale(kind, DUE, DUE + limit, long_grace)
    assert is_stale(kind, DUE, DUE + limit + SECOND, long_grace)
    # the default grace window of 2 h is shorter than every kind's limit
    grace = 2 * HOUR
    assert not is_stale(kind, DUE, DUE, grace)
    assert not is_stale(kind, DUE, DUE + grace, grace)
    assert is_stale(kind, DUE, DUE + grace + SECOND, grace)
    assert not is_stale(kind, DUE, DUE - HOUR, grace)  # early is never stale


def test_every_kind_has_a_staleness_limit():
    assert set(STALE_AFTER) == set(ReminderKind)
    for kind in ReminderKind:
        is_stale(kind, DUE, DUE, 2 * HOUR)  # never a KeyError in the dispatcher


@pytest.mark.parametrize(
    ("choice", "now", "zone", "expected_local"),
    [
        ("30", "2027-01-06 07:56", LONDON, "2027-01-06 08:26"),
        ("120", "2027-01-06 07:56", LONDON, "2027-01-06 09:56"),
        ("evening", "2027-01-06 07:56", LONDON, "2027-01-06 19:00"),
        ("evening", "2027-01-06 18:31", LONDON, "2027-01-06 19:01"),  # at least 30 min on
        ("evening", "2027-01-06 21:00", LONDON, "2027-01-06 21:30"),
        ("evening", "2027-01-06 23:00", SYDNEY, "2027-01-07 19:00"),  # 10:00 in Sydney
        ("evening", "2027-03-28 09:00", LONDON, "2027-03-28 19:00"),  # the day of the change
        ("120", "2027-03-28 00:30", LONDON, "2027-03-28 03:30"),  # elapsed, across the gap
    ],
)
def test_snooze_until(choice, now, zone, expected_local):
    at = dt.datetime.fromisoformat(now).replace(tzinfo=UTC)
    settings = ReminderSettings(time_zone=zone)
    until = snooze_until(choice, at, settings)
    assert local(until, zone) == expected_local
    assert until > at


def test_snoozing_this_evening_is_seven_pm_local_in_summer_and_winter():
    settings = ReminderSettings(time_zone=LONDON)
    winter = snooze_until("evening", dt.datetime(2027, 1, 6, 12, tzinfo=UTC), settings)
    summer = snooze_until("evening", dt.datetime(2027, 7, 6, 12, tzinfo=UTC), settings)
    assert (f"{winter:%H:%M}", f"{summer:%H:%M}") == ("19:00", "18:00")  # UTC


# --- property: local wall times are what the runner asked for --------------------------------

ZONES = [
    LONDON,
    SYDNEY,
    NEW_YORK,
    "Australia/Lord_Howe",  # a 30-minute change
    "America/Santiago",  # changes at midnight
    "America/Havana",
    "Pacific/Chatham",  # +12:45 / +13:45
    "Europe/Dublin",
    "Asia/Kolkata",  # never changes
    "UTC",
]
FIRST_MONDAY = dt.date(2026, 1, 5)
MORNING_LEAD = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Change:
    """One change of the zone's clocks: the local day, and the wall time it happens at."""

    day: dt.date
    wall: dt.datetime  # local wall time, in the old offset, when the clocks change
    size: dt.timedelta  # positive: clocks go forward (a gap); negative: back (a repeat)


@cache
def clock_changes(zone: str) -> list[Change]:
    """Every change of the zone's clocks in 2026-2028 (found by the day, hour, then minute)."""
    tz = ZoneInfo(zone)
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)

    def offset(instant: dt.datetime) -> dt.timedelta:
        value = instant.astimezone(tz).utcoffset()
        assert value is not None
        return value

    def first_change(instant: dt.datetime, step: dt.timedelta, count: int) -> dt.datetime:
        before = offset(instant)
        return next(
            instant + step * i for i in range(1, count + 1) if offset(instant + step * i) != before
        )

    changes: list[Change] = []
    day, hour, minute = dt.timedelta(days=1), dt.timedelta(hours=1), dt.timedelta(minutes=1)
    for n in range(3 * 366):
        instant = start + day * n
        before = offset(instant)
        if offset(instant + day) == before:
            continue
        at = first_change(first_change(instant, hour, 24) - hour, minute, 60)
        wall = (at + before).replace(tzinfo=None)
        changes.append(Change(wall.date(), wall, offset(at) - before))
    return changes


def wall_of(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def gap_shift(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.timedelta:
    """How far a wall time moves when it does not exist that day (0 when it does)."""
    wall = dt.datetime.combine(day, at)
    shift = wall_of(wall.replace(tzinfo=zone).astimezone(UTC), zone) - wall
    if shift:
        # inside a gap: the shift is exactly the size of the change
        before = wall.replace(tzinfo=zone, fold=0).utcoffset()
        after = wall.replace(tzinfo=zone, fold=1).utcoffset()
        assert before is not None and after is not None
        assert shift == abs(after - before) and dt.timedelta(0) < shift <= dt.timedelta(hours=1)
    return shift


minute_times = st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))
kinds = st.sampled_from(list(DayKind))
lengths = st.one_of(st.none(), st.integers(5, 240))
offs = st.sets(st.sampled_from([MORNING, STRENGTH, WEEKLY]), max_size=2)


@cache
def times_near(change: Change | None) -> st.SearchStrategy[dt.time]:
    """Any time, or (often) one from half an hour before the change to half an hour after."""
    if change is None:
        return minute_times
    near = st.integers(-30, int(abs(change.size).total_seconds()) // 60 + 30).map(
        lambda m: (change.wall + dt.timedelta(minutes=m)).time()
    )
    return st.one_of(near, near, minute_times)


@cache
def weeks_of(times: st.SearchStrategy[dt.time]) -> st.SearchStrategy[list[tuple[Day, bool]]]:
    day = st.tuples(kinds, st.one_of(st.none(), times), lengths, st.booleans())
    return st.lists(day, min_size=7, max_size=7).map(
        lambda drawn: [
            (
                Day(kind=k, start=at if k.is_run or k is DayKind.CROSS else None, minutes=n),
                strength,
            )
            for k, at, n, strength in drawn
        ]
    )


def clear_of_morning(day: Day, morning: dt.time) -> Day:
    """Runs starting in the half hour from the morning time are left to the dedicated test
    above (what the morning time means then); they move to just after it."""
    if day.start is None:
        return day
    base = dt.date(2027, 1, 4)
    start, at = dt.datetime.combine(base, day.start), dt.datetime.combine(base, morning)
    if at <= start < at + MORNING_LEAD:
        return day.model_copy(update={"start": (at + MORNING_LEAD).time()})
    return day


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[Plan], ReminderSettings]:
    zone = draw(st.sampled_from(ZONES))
    changes = clock_changes(zone)
    forward = [c for c in changes if c.size > dt.timedelta(0)]
    change = (
        draw(st.one_of(st.none(), st.sampled_from(forward), st.sampled_from(changes)))
        if changes
        else None
    )
    if change is None:
        monday = FIRST_MONDAY + dt.timedelta(weeks=draw(st.integers(0, 150)))
    else:  # the week of the change, or the week before it (then two weeks)
        monday = week_start_of(change.day) - dt.timedelta(weeks=draw(st.integers(0, 1)))
    times = times_near(change)
    settings = ReminderSettings(
        time_zone=zone,
        delay_minutes=draw(st.integers(0, 240)),
        morning_time=draw(times),
        strength_time=draw(times),
        weekly_time=draw(times),
        off=frozenset(draw(offs)),
    )
    two = change is not None and week_start_of(change.day) != monday
    plans = [
        plan(
            monday + dt.timedelta(weeks=w),
            [(clear_of_morning(d, settings.morning_time), s) for d, s in draw(weeks_of(times))],
        )
        for w in range(2 if two or draw(st.booleans()) else 1)
    ]
    return plans, settings


@hypothesis_settings(max_examples=200)
@given(cases())
def test_property_every_reminder_is_at_the_intended_local_wall_time(case):
    plans, settings = case
    zone = ZoneInfo(settings.time_zone)
    entries = {d.date: d for p in plans for d in p.days}
    specs = specs_of(plans, settings)
    for spec in specs:
        entry = entries[spec.local_date]
        run_day = entry.day
        wall = wall_of(spec.due_at, zone)
        assert spec.due_at.utcoffset() == dt.timedelta(0)
        assert spec.kind not in settings.off
        if spec.kind is MORNING:
            at = settings.morning_time
            if run_day.kind.is_run and run_day.start is not None and run_day.start < at:
                early = dt.datetime.combine(spec.local_date, run_day.start) - MORNING_LEAD
                at = early.time() if early.date() == spec.local_date else dt.time(0, 0)
            intended = dt.datetime.combine(spec.local_date, at)
            assert wall == intended + gap_shift(spec.local_date, at, zone)
        elif spec.kind is WEEKLY:
            assert spec.local_date.weekday() == 6
            at = settings.weekly_time
            intended = dt.datetime.combine(spec.local_date, at)
            assert wall == intended + gap_shift(spec.local_date, at, zone)
        elif spec.kind in PICTURES:  # a minute or two after the summary, on its day
            summary = one(specs, WEEKLY, spec.local_date).due_at
            assert dt.timedelta(0) < spec.due_at - summary <= dt.timedelta(minutes=2)
        else:
            assert spec.kind is STRENGTH and entry.session is not None
            if run_day.kind.is_run and run_day.start is not None:
                start = dt.datetime.combine(spec.local_date, run_day.start)
                length = dt.timedelta(minutes=run_day.usual_minutes + settings.delay_minutes)
                begun = start + gap_shift(spec.local_date, run_day.start, zone)
                # elapsed time after the run: the wall clock differs from start + length only
                # by a change of clocks between the start and the reminder
                began_at = begun.replace(tzinfo=zone).astimezone(UTC)
                moved = (
                    spec.due_at.astimezone(zone).utcoffset()
                    - began_at.astimezone(zone).utcoffset()
                )
                assert spec.due_at == began_at + length
                assert wall == begun + length + moved
                assert abs(moved) <= dt.timedelta(hours=1)
            else:
                at = settings.strength_time
                intended = dt.datetime.combine(spec.local_date, at)
                assert wall == intended + gap_shift(spec.local_date, at, zone)
    # exactly one of each wanted kind per day, none for kinds turned off
    for day, entry in entries.items():
        kinds = [s.kind for s in specs if s.local_date == day]
        assert kinds.count(MORNING) == (MORNING not in settings.off)
        assert kinds.count(STRENGTH) == (
            entry.session is not None and STRENGTH not in settings.off
        )
        assert kinds.count(WEEKLY) == (day.weekday() == 6 and WEEKLY not in settings.off)
