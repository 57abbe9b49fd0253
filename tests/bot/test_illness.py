"""Being ill, as a runner lives it: "I'm ill" typed (or /pause illness), a silent outbox while
ill, the morning check-in, the plan back after Better, and a first week back one step easier;
and the messages that sound ill but belong to the pain check still reach it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.illness_prompt import CHECKIN
from bot.plans import plan_for
from bot.reminders import dispatch_due, extend_horizons
from core import pain_content as content
from tests.bot.conftest import Clock, Coach
from tests.bot.test_progress import steps
from tests.bot.test_reminders import LONDON, at, coach_at, next_due, onboard, stored

MONDAY = dt.date(2026, 11, 30)  # the runner joins on this Monday morning
WED, THU, FRI, SAT, SUN = (MONDAY + dt.timedelta(days=n) for n in range(2, 7))
UTC = dt.UTC


async def live(coach: Coach, clock: Clock, until: dt.datetime) -> list[tuple[str, str]]:
    """Let time pass to `until` with the real dispatcher (and the nightly horizon job): what
    the runner received, as (local time, first line)."""
    got: list[tuple[str, str]] = []
    now = clock.now
    while True:
        due = await next_due(coach, now)
        midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=UTC)
        stop = min(t for t in (due, midnight, until) if t is not None)
        if stop >= until and (due is None or due > until):
            stop = until
        clock.now = stop
        before = len(coach.standin.sent_to(42))
        if stop == midnight and stop != due:
            await extend_horizons(coach.app, now=stop)
        await dispatch_due(coach.app, now=stop)
        local = stop.astimezone(ZoneInfo(LONDON))
        for message in coach.standin.sent_to(42)[before:]:
            first = str(message.get("text", "")).split("\n")[0]
            got.append((f"{local:%a %H:%M}", first))
        now = stop
        if stop >= until:
            return got


async def joined(coach: Coach, clock: Clock) -> None:
    clock.now = at(MONDAY, "08:00")
    await onboard(coach, 42, LONDON)
    runner = await stored(coach, 42)
    assert [d.date for d in plan_for(runner, MONDAY).sessions] == [WED, SUN]


async def test_ill_till_thursday_is_quiet_then_asks_and_restarts_after_better(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await joined(coach, clock)
        clock.now = at(MONDAY, "12:00")
        await coach.send("ill till thursday")
        said = coach.last()
        assert "reminders are off until Thursday 03 December" in said
        assert "On Thursday morning I'll ask how you feel" in said

        # Nothing at all while ill: no morning message, no Wednesday strength reminder.
        assert await live(coach, clock, at(THU, "06:59")) == []
        # Thursday 07:00: the check-in, and nothing else.
        assert await live(coach, clock, at(THU, "12:00")) == [("Thu 07:00", CHECKIN)]
        assert coach.labels() == ["Better", "Still ill"]

        await coach.tap("Still ill")
        assert "I'll ask again tomorrow morning" in coach.last()
        assert await live(coach, clock, at(FRI, "08:00")) == [("Fri 07:00", CHECKIN)]

        clock.now = at(FRI, "09:00")
        await coach.send("better")
        assert coach.last().startswith("Glad you're feeling better!")
        runner = await stored(coach, 42)
        assert runner.pause_reason is None

        # The plan is back: the mornings, Sunday's session, and the summary that steps down.
        got = await live(coach, clock, at(SUN, "20:00"))
        firsts = [line for _, line in got]
        assert [when for when, _ in got if when.startswith("Sat")] == ["Sat 07:00"]
        assert any(line.startswith("💪 Time for") for line in firsts)
        summary = next(line for when, line in got if line.startswith("Your week in numbers"))
        assert summary
        weekly = [
            m.get("text", "")
            for m in coach.standin.sent_to(42)
            if str(m.get("text", "")).startswith("Your week in numbers")
        ]
        assert (
            "Next week: one step easier (a rep fewer, holds 5 s shorter, a set fewer) — "
            "you were unwell" in weekly[-1]
        )
        assert await steps(coach) == [(MONDAY, 0, -1)]
        runner = await stored(coach, 42)
        assert runner.level == -1  # the week back is drawn one level lower

        # The week back done in full: the step is taken from the level before the illness.
        for day in (d.date for d in plan_for(runner, MONDAY + dt.timedelta(days=7)).sessions):
            clock.now = at(day, "21:00")
            await coach.send("done")
        await live(coach, clock, at(SUN + dt.timedelta(days=7), "20:00"))
        assert (await steps(coach))[-1] == (MONDAY + dt.timedelta(days=7), 0, 1)


async def test_a_cold_without_a_length_stops_everything_and_asks_how_long(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await joined(coach, clock)
        clock.now = at(MONDAY, "12:00")
        await coach.send("got a cold")
        assert coach.texts()[-2].startswith("Sorry you're unwell. Strength and run reminders")
        assert coach.labels() == ["2 days", "3 days", "A week", "Not sure"]
        await coach.send("no idea when")  # not a length: said so, and asked again
        assert coach.last().startswith("I couldn't read that as a day")
        await coach.send("3 days")
        assert "until Wednesday 02 December" in coach.last()
        # Silent until Wednesday's check-in; the session that day is not reminded.
        got = await live(coach, clock, at(WED, "23:00"))
        assert got == [("Wed 06:30", CHECKIN)]  # half an hour before the early run


async def test_pause_illness_is_the_same_illness_and_asks_each_morning(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await joined(coach, clock)
        clock.now = at(MONDAY, "12:00")
        await coach.send("/pause")
        await coach.send("illness")
        assert coach.labels() == ["2 days", "3 days", "A week", "Not sure"]
        await coach.tap("Not sure")
        assert coach.last() == "Tomorrow morning I'll ask how you feel before anything restarts."
        got = await live(coach, clock, at(WED, "07:00"))
        assert got == [("Tue 07:00", CHECKIN), ("Wed 06:30", CHECKIN)]
        await coach.tap("Better")
        assert coach.last().startswith("Glad you're feeling better!")
        # Better before the run: that day's session is reminded after it, once.
        got = await live(coach, clock, at(WED, "23:00"))
        assert [when for when, line in got if line.startswith("💪 Time for")] == ["Wed 07:55"]


async def test_the_ill_button_under_pause_is_the_same_illness(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await joined(coach, clock)
        clock.now = at(MONDAY, "12:00")
        await coach.send("/pause")
        await coach.tap("🤒 I'm ill")
        assert coach.labels() == ["2 days", "3 days", "A week", "Not sure"]
        await coach.tap("Not sure")
        assert coach.last() == "Tomorrow morning I'll ask how you feel before anything restarts."
        got = await live(coach, clock, at(MONDAY + dt.timedelta(days=1), "23:00"))
        assert got == [("Tue 07:00", CHECKIN)]  # nothing but the check-in while ill


@pytest.mark.parametrize(
    "text", ["I'm ill", "sick this week", "flu, off until friday", "ill for 2 days"]
)
async def test_illness_as_runners_type_it(db_url, text):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await joined(coach, clock)
        await coach.send(text)
        assert any(t.startswith("Sorry you're unwell.") for t in coach.texts()[-2:])
        assert (await stored(coach, 42)).pause_reason == "illness"


SOUNDS_ILL_BUT_PAIN = [
    "felt sick after the race",
    "sick and dizzy",
    "chest pain",
    "fever and calf swelling",
    "ill with a sore knee",
]


@pytest.mark.parametrize("ill_already", [False, True])
@pytest.mark.parametrize("text", SOUNDS_ILL_BUT_PAIN)
async def test_what_belongs_to_the_pain_check_still_reaches_it(db_url, text, ill_already):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await joined(coach, clock)
        if ill_already:
            await coach.send("ill till thursday")
        before = len(coach.texts())
        await coach.send(text)
        said = coach.texts()[before:]
        assert said, "no answer"
        assert not any(t.startswith("Sorry you're unwell") for t in said)
        pain_texts = (texts.PAIN_START, *content.SCREEN_TEXTS.values())
        assert any(
            t == content.MAYBE_CHECK or any(p in t for p in pain_texts) or "999" in t for t in said
        ), said


async def test_an_escalated_pain_pause_is_never_lifted_by_better(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await joined(coach, clock)
        await coach.send("chest pain")  # an emergency sign: escalation, everything paused
        assert (await stored(coach, 42)).pause_reason == "injury"
        await coach.send("I'm ill")
        assert coach.last().startswith("Sorry you're unwell. Your reminders are already paused")
        await coach.send("better")
        runner = await stored(coach, 42)
        assert runner.pause_reason == "injury"
        assert not coach.last().startswith("Glad you're feeling better")


async def test_resume_ends_the_illness_so_only_its_week_is_an_ill_week(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await joined(coach, clock)
        await coach.send("I'm ill")
        await coach.tap("Not sure")
        clock.now = at(MONDAY + dt.timedelta(days=1), "09:00")
        await coach.send("/resume")
        assert (await stored(coach, 42)).pause_reason is None
        await live(coach, clock, at(SUN + dt.timedelta(days=7), "20:00"))
        weekly = [
            str(m.get("text", ""))
            for m in coach.standin.sent_to(42)
            if str(m.get("text", "")).startswith("Your week in numbers")
        ]
        assert len(weekly) == 2
        assert "you were unwell" in weekly[0] and "you were unwell" not in weekly[1]
        # The week back is planned a level lower; its own step starts from the level before.
        assert await steps(coach) == [
            (MONDAY, 0, -1),
            (MONDAY + dt.timedelta(days=7), 0, -1),  # nothing done in the week back: one down
        ]


def _line(overview: str, day: str) -> str:
    return next(line for line in overview.splitlines() if line.startswith(day))


async def test_while_ill_the_plan_and_today_hold_no_training_and_nothing_moves(db_url):
    """/plan and /today while ill show rest on the ill days (no session to tick off), and
    after Better the days left are as they were: Wednesday's missed session is not moved
    onto Thursday or Friday."""
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await joined(coach, clock)
        clock.now = at(MONDAY, "12:00")
        await coach.send("ill till thursday")
        clock.now = at(WED, "09:00")
        await coach.send("/today")
        today = coach.last()
        assert "unwell" in today and "Strength" not in today
        assert "✅ Done" not in coach.labels() and "📅 Move" not in coach.labels()
        await coach.send("/plan")
        overview = coach.last()
        assert _line(overview, "Wed 02") == "Wed 02 · rest day"  # its easy run and session
        assert _line(overview, "Sun 06") == "Sun 06 · rest day"  # until they are better
        assert "💪" not in overview.split("\n\n", 1)[1].split("Tap")[0]

        clock.now = at(THU, "09:00")
        await coach.send("better")
        await coach.send("/plan")
        overview = coach.last()
        assert _line(overview, "Wed 02") == "Wed 02 · rest day"  # past and ill: stays so
        assert _line(overview, "Thu 03").startswith("Thu 03 · tempo run 18:00")
        assert "💪" not in _line(overview, "Thu 03") + _line(overview, "Fri 04")
        assert "💪 Strength" in _line(overview, "Sun 06")  # the usual day, as before
