"""Travel, as a runner lives it: a shared location (through the Bot API stand-in) becomes a
"Switch to ...?" question, and Yes moves the reminders to the new local time from the next
one on; through the real dispatcher on an injected clock, nothing arrives twice or at night
across the change."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from bot import texts
from bot.reminders import dispatch_due, extend_horizons
from storage import repo
from tests.bot.conftest import SETUP_ANSWERS, Clock, Coach
from tests.bot.test_reminders import LONDON, at, coach_at, next_due, onboard, rows_of, stored

TOKYO = "Asia/Tokyo"
TOKYO_STATION = (35.681, 139.767)
LONDON_EYE = (51.503, -0.119)
MONDAY = dt.date(2026, 11, 30)
WED, THU = MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=3)
UTC = dt.UTC


async def share(coach: Coach, where: tuple[float, float]) -> None:
    await coach.deliver(coach.standin.location_update(42, *where, 42))


async def live(coach: Coach, clock: Clock, until: dt.datetime) -> list[tuple[dt.datetime, str]]:
    """Let time pass to `until` with the real dispatcher and the nightly horizon job: what
    arrived, as (UTC time, first line)."""
    got: list[tuple[dt.datetime, str]] = []
    now = clock.now
    while now < until:
        due = await next_due(coach, now)
        midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=UTC)
        stop = min(t for t in (due, midnight, until) if t is not None)
        clock.now = stop
        before = len(coach.standin.sent_to(42))
        if stop == midnight and stop != due:
            await extend_horizons(coach.app, now=stop)
        await dispatch_due(coach.app, now=stop)
        got += [
            (stop, str(m.get("text", "")).split("\n")[0])
            for m in coach.standin.sent_to(42)[before:]
        ]
        now = stop
    return got


def awake(got: list[tuple[dt.datetime, str]], zone: str) -> None:
    """Every message arrived between 06:00 and 22:00 where the runner is."""
    for when, line in got:
        local = when.astimezone(ZoneInfo(zone))
        assert dt.time(6) <= local.time() <= dt.time(22), (f"{local:%a %H:%M}", line)


async def test_a_shared_location_asks_to_switch_and_yes_switches(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON)
        clock.now = at(MONDAY, "12:00")
        await share(coach, TOKYO_STATION)
        assert coach.last() == (
            "Switch to Asia/Tokyo? It's 21:00 there. Your reminders would follow its local time."
        )
        assert coach.labels() == ["Yes", "No"]
        await coach.tap("Yes")
        assert (await stored(coach, 42)).time_zone == TOKYO
        said = coach.last()
        assert said.startswith("Your time zone is now Asia/Tokyo (it's 21:00 there).")
        # The next reminder, named at its time in Tokyo: Tuesday's morning message.
        assert "Tue 01 Dec 07:00" in said


async def test_no_keeps_the_zone_and_the_sea_has_none(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON)
        await share(coach, LONDON_EYE)
        assert coach.last() == "You're already on Europe/London time. Nothing changes."
        await share(coach, (0.0, -30.0))  # the middle of the Atlantic
        assert coach.last().startswith("I couldn't tell the time zone of that place.")
        await share(coach, TOKYO_STATION)
        await coach.tap("No")
        assert coach.last() == "Kept Europe/London. Your reminders stay on its time."
        assert (await stored(coach, 42)).time_zone == LONDON


async def test_flying_east_mid_week_follows_tokyo_time_from_the_next_reminder(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON)
        before = await live(coach, clock, at(WED, "12:00"))
        assert [f"{t:%a %H:%M}" for t, _ in before] == [
            "Tue 07:00",  # London is on UTC in winter
            "Wed 06:30",
            "Wed 07:55",
        ]
        await share(coach, TOKYO_STATION)  # Wednesday 21:00 in Tokyo
        await coach.tap("Yes")
        after = await live(coach, clock, at(THU, "23:00"))
        awake(after, TOKYO)
        # Thursday's morning message at 07:00 Tokyo (Wednesday 22:00 in London); Wednesday's
        # messages, sent in London, are not sent again in Tokyo.
        local = [(f"{t.astimezone(ZoneInfo(TOKYO)):%a %H:%M}", line) for t, line in after]
        assert local[0] == ("Thu 07:00", local[0][1]) and local[0][1].startswith("Good morning")
        rows = await rows_of(coach, 42)
        sent = Counter((r.kind, r.local_date) for r in rows if r.status == repo.SENT)
        assert sent[("morning", WED)] == 1 and sent[("strength", WED)] == 1
        assert all(n == 1 for n in sent.values())


async def test_flying_west_after_the_morning_message_does_not_send_it_again(db_url):
    clock = Clock(at(MONDAY, "08:00", TOKYO))
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, TOKYO)
        got = await live(coach, clock, at(THU, "08:00", TOKYO))  # Thursday's morning has come
        thursday = [line for t, line in got if t.astimezone(ZoneInfo(TOKYO)).date() == THU]
        assert len(thursday) == 1 and thursday[0].startswith("Good morning")
        await share(coach, LONDON_EYE)  # Wednesday 23:00 in London
        await coach.tap("Yes")
        assert (await stored(coach, 42)).time_zone == LONDON
        after = await live(coach, clock, at(THU, "23:00", LONDON))
        awake(after, LONDON)
        mornings = [t for t, line in after if line.startswith("Good morning")]
        # London's Thursday morning was Tokyo's, already read: the next one is Friday's.
        assert mornings == []
        rows = await rows_of(coach, 42)
        sent = Counter((r.kind, r.local_date) for r in rows if r.status == repo.SENT)
        assert sent[("morning", THU)] == 1
        assert all(n == 1 for n in sent.values())


async def test_a_location_shared_at_the_time_zone_question_answers_it(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await share(coach, TOKYO_STATION)  # before setup: nothing to switch yet
        assert coach.last() == texts.NO_PLAN_YET
        answers = iter(SETUP_ANSWERS)
        for said in answers:
            if said == LONDON:
                break
            await coach.send(said)
        asked = coach.last()
        assert asked.startswith(texts.ASK_TIMEZONE)
        await share(coach, (0.0, -30.0))  # at sea: no zone, the same question again
        assert coach.texts()[-2].startswith("I couldn't tell the time zone of that place.")
        assert coach.last() == asked
        await share(coach, TOKYO_STATION)
        assert coach.last().startswith(texts.ASK_NIGGLES)
        for said in answers:
            await coach.send(said)
        runner = await stored(coach, 42)
        assert (runner.time_zone, runner.onboarded) == (TOKYO, True)
