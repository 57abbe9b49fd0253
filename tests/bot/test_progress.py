"""The end-of-week step as runners live it: sessions logged through the bot, the Sunday
summary sent by the real reminder dispatcher on an injected clock, and the level it sets."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from bot.plans import plan_for
from bot.progress import take_missed_steps
from bot.reminders import dispatch_due
from bot.reminders.compose import _weekly
from bot.runtime import runtime
from storage import repo
from tests.bot.conftest import Clock, Coach
from tests.bot.test_reminders import LONDON, at, change_runner, coach_at, onboard, stored

# The Sunday line's words for a step from level 0 or 1 (core.progression.what_changes).
UP = "one step up (a rep more, holds 5 s longer) —"
BACK = "one step back (a rep fewer, holds 5 s shorter, a set fewer) —"


MONDAY = dt.date(2026, 11, 30)  # the runner joins on this Monday morning
SUNDAY = MONDAY + dt.timedelta(days=6)


async def joined(coach: Coach, clock: Clock) -> list[dt.date]:
    """The runner onboarded on Monday morning; the days of this week's sessions."""
    await onboard(coach, 42, LONDON)
    runner = await stored(coach, 42)
    days = [d.date for d in plan_for(runner, MONDAY).sessions]
    assert len(days) == 2  # Wednesday and Sunday, after the easy runs
    return days


async def typed_on(coach: Coach, clock: Clock, day: dt.date, text: str) -> None:
    clock.now = at(day, "12:00")
    await coach.send(text, 42)


async def sunday_summary(coach: Coach, clock: Clock) -> str:
    """What the runner reads at 19:00 on Sunday, from the dispatcher."""
    clock.now = at(SUNDAY, "19:00")
    before = len(coach.standin.sent_to(42))
    await dispatch_due(coach.app, now=clock.now)
    weekly = [
        str(m.get("text", ""))
        for m in coach.standin.sent_to(42)[before:]
        if str(m.get("text", "")).startswith("Your week in numbers")
    ]
    assert len(weekly) == 1, weekly
    return weekly[0]


async def steps(coach: Coach) -> list[tuple[dt.date, int, int]]:
    runner = await stored(coach, 42)
    assert runner.id is not None
    async with coach.app.bot_data["runtime"].sessions() as db:
        rows = await repo.week_steps(db, runner_id=runner.id)
    return [(r.week_start, r.level_before, r.level_after) for r in rows]


async def test_every_session_done_steps_up_and_says_so(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        for day in await joined(coach, clock):
            await typed_on(coach, clock, day, "done")
        summary = await sunday_summary(coach, clock)
        runner = await stored(coach, 42)
        assert await steps(coach) == [(MONDAY, 0, 1)]
    assert f"Next week: {UP} you did both sessions without pain." in summary
    assert runner.level == 1 and runner.last_step_week == MONDAY


async def test_pain_of_four_steps_back_even_with_everything_done(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        for day in await joined(coach, clock):
            await typed_on(coach, clock, day, "done")
        runner = await stored(coach, 42)
        assert runner.id is not None
        async with coach.app.bot_data["runtime"].sessions() as db, db.begin():
            await repo.add_pain_report(
                db,
                runner_id=runner.id,
                now=at(MONDAY + dt.timedelta(days=3), "20:00"),
                area="knee",
                score=4,
                timing="after",
                red_flag=None,
                advice_level="amber",
            )
        summary = await sunday_summary(coach, clock)
        runner = await stored(coach, 42)
    assert f"Next week: {BACK} you reported pain of 4/10." in summary
    assert runner.level == -1


async def test_half_the_sessions_missed_steps_back(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        wednesday, _ = await joined(coach, clock)
        await typed_on(coach, clock, wednesday, "skip")
        summary = await sunday_summary(coach, clock)
        runner = await stored(coach, 42)
    assert f"Next week: {BACK} you did 0 of 2 sessions." in summary
    assert runner.level == -1


async def test_a_paused_week_holds_the_level(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        wednesday, _ = await joined(coach, clock)
        await typed_on(coach, clock, wednesday, "done")
        # Away from Thursday to Saturday: Sunday's summary still comes.
        await change_runner(
            coach, 42, pause_reason="holiday", paused_until=MONDAY + dt.timedelta(days=5)
        )
        summary = await sunday_summary(coach, clock)
        runner = await stored(coach, 42)
        assert await steps(coach) == [(MONDAY, 0, 0)]
    assert "Next week: the same level — training was paused, so the week does not count." in (
        summary
    )
    assert runner.level == 0


async def test_the_step_is_taken_once_however_often_the_summary_is_composed(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        for day in await joined(coach, clock):
            await typed_on(coach, clock, day, "done")
        first = await sunday_summary(coach, clock)
        # The summary job again, and two dispatchers composing it at once: no second step.
        again = await _weekly(coach.app, await stored(coach, 42), SUNDAY)
        both = await asyncio.gather(
            _weekly(coach.app, await stored(coach, 42), SUNDAY),
            _weekly(coach.app, await stored(coach, 42), SUNDAY),
        )
        runner = await stored(coach, 42)
        assert await steps(coach) == [(MONDAY, 0, 1)]
    line = f"Next week: {UP} you did both sessions without pain."
    assert all(line in text for text in (first, again, *both))
    assert runner.level == 1


# --- how it felt -----------------------------------------------------------------------------


async def done_and_felt(coach: Coach, clock: Clock, day: dt.date, feel: str) -> None:
    """Done typed on the day, then the feel tapped under "How did it feel?"."""
    await typed_on(coach, clock, day, "done")
    assert coach.last().startswith("How did it feel?")
    assert coach.labels() == ["😌 Easy", "👌 About right", "🥵 Hard"]
    await coach.tap(feel)


async def feels(coach: Coach) -> list[tuple[dt.date, str, str | None]]:
    runner = await stored(coach, 42)
    assert runner.id is not None
    async with coach.app.bot_data["runtime"].sessions() as db:
        logs = await repo.session_logs(db, runner_id=runner.id, since=MONDAY)
    return [(log.date, log.status, log.feel) for log in logs]


async def test_the_feel_is_asked_after_done_and_kept_tapped_or_typed(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        wednesday, sunday = await joined(coach, clock)
        await done_and_felt(coach, clock, wednesday, "🥵 Hard")
        assert coach.last() == "Noted: it felt hard."
        # The question's buttons are gone once answered.
        question = coach.standin.chats[42][-2]
        assert question["text"].endswith("→ Hard") and coach.standin.buttons(question) == []
        # Sunday: done, the question ignored, then "easy" typed right after.
        await typed_on(coach, clock, sunday, "done")
        await coach.send("Easy!", 42)
        assert coach.last() == "Noted: it felt easy."
        exported = await _exported(coach)
        assert await feels(coach) == [(wednesday, "done", "hard"), (sunday, "done", "easy")]
    assert [row["feel"] for row in exported["session_log"]] == ["hard", "easy"]


async def _exported(coach: Coach) -> dict[str, object]:
    runner = await stored(coach, 42)
    assert runner.id is not None
    async with coach.app.bot_data["runtime"].sessions() as db:
        return await repo.export_runner(db, runner_id=runner.id)


async def test_a_feel_typed_before_the_session_is_done_is_asked_for_later(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        wednesday, _ = await joined(coach, clock)
        await typed_on(coach, clock, wednesday, "hard")
        assert coach.last().startswith("I'll ask how it felt once today's session is marked done")
        await typed_on(coach, clock, wednesday, "skip")
        await coach.send("easy", 42)  # a skipped session has no feel either
        assert coach.last().startswith("I'll ask how it felt once")
        assert await feels(coach) == [(wednesday, "skipped", None)]


async def test_a_hard_week_alone_still_steps_up_but_two_in_a_row_hold(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        for day in await joined(coach, clock):
            await done_and_felt(coach, clock, day, "🥵 Hard")
        first = await sunday_summary(coach, clock)
        runner = await stored(coach, 42)
        week_two = [d.date for d in plan_for(runner, MONDAY + dt.timedelta(weeks=1)).sessions]
        assert len(week_two) == 2
        for day in week_two:
            await done_and_felt(coach, clock, day, "🥵 Hard")
        clock.now = at(SUNDAY + dt.timedelta(weeks=1), "19:00")
        before = len(coach.standin.sent_to(42))
        await dispatch_due(coach.app, now=clock.now)
        second = [
            str(m.get("text", ""))
            for m in coach.standin.sent_to(42)[before:]
            if str(m.get("text", "")).startswith("Your week in numbers")
        ]
        runner = await stored(coach, 42)
        assert await steps(coach) == [(MONDAY, 0, 1), (MONDAY + dt.timedelta(weeks=1), 1, 1)]
    assert f"Next week: {UP} you did both sessions without pain." in first
    assert len(second) == 1
    assert (
        "Next week: the same level — you did both sessions, but they felt hard two weeks running."
        in second[0]
    )
    assert runner.level == 1


async def test_sessions_before_the_runner_joined_are_not_counted_as_missed(db_url):
    thursday = MONDAY + dt.timedelta(days=3)
    clock = Clock(at(thursday, "08:00"))  # joins after Wednesday's session
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON)
        await typed_on(coach, clock, SUNDAY, "done")
        summary = await sunday_summary(coach, clock)
        runner = await stored(coach, 42)
    assert f"Next week: {UP} you did your session without pain." in summary
    assert runner.level == 1


async def test_with_the_summary_turned_off_the_hourly_job_steps_the_ended_week(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        for day in await joined(coach, clock):
            await typed_on(coach, clock, day, "done")
        await change_runner(coach, 42, reminders_off=["weekly"])
        clock.now = at(SUNDAY, "19:00")
        await dispatch_due(coach.app, now=clock.now)
        assert not any("Your week in numbers" in t for t in coach.texts())
        # Sunday 23:30 in London: the week has not ended there yet.
        assert await take_missed_steps(coach.app, now=at(SUNDAY, "23:30")) == 0
        assert await steps(coach) == []
        next_monday = MONDAY + dt.timedelta(days=7)
        assert await take_missed_steps(coach.app, now=at(next_monday, "00:30")) == 1
        assert await take_missed_steps(coach.app, now=at(next_monday, "01:30")) == 0  # once
        runner = await stored(coach, 42)
        assert await steps(coach) == [(MONDAY, 0, 1)]
        assert runner.level == 1 and runner.last_step_week == MONDAY


async def test_a_summary_sent_leaves_nothing_for_the_hourly_job(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        for day in await joined(coach, clock):
            await typed_on(coach, clock, day, "done")
        await sunday_summary(coach, clock)
        next_monday = MONDAY + dt.timedelta(days=7)
        assert await take_missed_steps(coach.app, now=at(next_monday, "06:00")) == 0
        assert await steps(coach) == [(MONDAY, 0, 1)]


async def test_the_feel_the_step_and_an_illness_are_in_export_and_gone_after_delete(db_url):
    """Every new answer of the block (how it felt, the week's step, an illness) is in the
    /export file the runner gets, and /delete erases it with the rest."""
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        wednesday, sunday = await joined(coach, clock)
        await done_and_felt(coach, clock, wednesday, "🥵 Hard")
        await done_and_felt(coach, clock, sunday, "👌 About right")
        await sunday_summary(coach, clock)
        clock.now = at(SUNDAY + dt.timedelta(days=1), "09:00")
        await coach.send("ill till wednesday", 42)
        runner = await stored(coach, 42)
        assert runner.id is not None
        await coach.send("/export", 42)
        data = json.loads(coach.standin.documents[-1]["data"])
        assert [r["feel"] for r in data["session_log"]] == ["hard", "about-right"]
        [step] = data["week_steps"]
        assert (step["week_start"], step["level_after"]) == (MONDAY.isoformat(), 1)
        assert step["outcome"]["feels"] == ["hard", "about-right"]
        [spell] = [kv for kv in data["conversation"] if kv["namespace"] == "illness"]
        assert spell["value"] == {
            "since": (SUNDAY + dt.timedelta(days=1)).isoformat(),
            "better": None,
        }
        assert data["runner"]["pause_reason"] == "illness"

        await coach.send("/delete", 42)
        await coach.send("yes", 42)
        assert coach.last().startswith("Done: everything about you is erased.")
        async with coach.app.bot_data["runtime"].sessions() as db:
            assert await repo.get_runner(db, telegram_user_id=42) is None
            assert await repo.week_steps(db, runner_id=runner.id) == []
            assert await repo.session_logs(db, runner_id=runner.id, since=MONDAY) == []
            assert await repo.get_kv(db, namespace="illness", key=str(runner.chat_id)) is None


async def test_the_hourly_job_reads_no_runner_who_joined_this_week(db_url):
    """A club that joins this week has no ended week to step: the hourly job does not read
    those runners every hour (only runners whose ended week may lack a step)."""
    tuesday = MONDAY + dt.timedelta(days=1)
    clock = Clock(at(tuesday, "08:00"))
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON)
        last_monday, next_monday = MONDAY - dt.timedelta(days=7), MONDAY + dt.timedelta(days=7)
        async with runtime(coach.app).sessions() as db:
            this_week = await repo.runners_behind_on_steps(db, before=last_monday)
            last_week = await repo.runners_behind_on_steps(db, before=MONDAY)
        assert this_week == []  # no week of theirs has ended anywhere: nothing to read
        assert [r.telegram_user_id for r in last_week] == [42]  # their first week's step
        assert await take_missed_steps(coach.app, now=at(next_monday, "00:30")) == 1


async def test_progress_after_the_sunday_step_says_the_level_of_next_week(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        for day in await joined(coach, clock):
            await typed_on(coach, clock, day, "done")
        summary = await sunday_summary(coach, clock)
        assert f"Next week: {UP}" in summary
        clock.now = at(SUNDAY, "19:30")
        await coach.send("/progress", 42)
        caption = coach.standin.photos[-1]["caption"]
        # As the Sunday line said: one step up, so level 1 from next week.
        assert "Level 0 now" not in caption
        assert "Level 0 this week, level 1 from next week" in caption
        # Next week, the level trained at is simply the level now.
        clock.now = at(SUNDAY + dt.timedelta(days=1), "09:00")
        await coach.send("/progress", 42)
        assert "Level 1 now" in coach.standin.photos[-1]["caption"]


async def test_skip_at_how_did_it_feel_skips_the_question_not_the_session(db_url):
    clock = Clock(at(MONDAY, "08:00"))
    async with coach_at(db_url, clock) as coach:
        wednesday, sunday = await joined(coach, clock)
        await typed_on(coach, clock, wednesday, "done")
        assert coach.last().startswith("How did it feel?")
        sent = len(coach.texts(42))
        await coach.send("skip", 42)
        replies = coach.texts(42)[sent:]
        assert replies == ["Fine, no feel noted: the session stays done."]  # one line
        assert await feels(coach) == [(wednesday, "done", None)]
        # Once answered, "skip" is about the session again (asked before it changes).
        await coach.send("skip", 42)
        assert "skipped" in coach.last().lower() and await feels(coach) == [
            (wednesday, "done", None)
        ]
        # A feel tapped closes the question too: "skip" then is about the session.
        await done_and_felt(coach, clock, sunday, "😌 Easy")
        await coach.send("skip", 42)
        assert coach.last() != "Fine, no feel noted: the session stays done."
        assert await feels(coach) == [(wednesday, "done", None), (sunday, "done", "easy")]
