"""Sending windows and paid broadcast (issue 19), with the clock moved by hand.

A morning message may leave up to MORNING_EARLY_MINUTES before its time, silently; every other
kind keeps its exact time; open rows are claimed earliest deadline first. With PAID_BROADCAST
the dispatcher keeps about a hundred sends in flight, still one message a second per chat,
still stopping at a 429.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import col

from bot.pace import Pace
from bot.reminders import dispatch_due
from bot.reminders.sending import write_group
from bot.settings import Settings
from bot.standin import BotApiStandIn
from core.reminders import ReminderKind, sending_window
from storage import repo
from storage.tables import Reminder
from tests.bot.conftest import Clock, Coach
from tests.bot.test_reminders import LONDON, START, SUN, at, rows_of, runners, stored

EARLY = dt.timedelta(minutes=30)
SUNDAY_0700 = at(SUN, "07:00")  # London is on GMT: 07:00 UTC


def test_only_the_morning_message_has_an_early_window_and_its_deadline_is_as_late():
    due = SUNDAY_0700
    morning = sending_window(ReminderKind.MORNING, due, EARLY)
    assert (morning.opens, morning.deadline) == (due - EARLY, due + EARLY)
    for kind in ReminderKind:
        if kind is not ReminderKind.MORNING:
            window = sending_window(kind, due, EARLY)
            assert (window.opens, window.deadline) == (due, due)
    assert sending_window(ReminderKind.MORNING, due, dt.timedelta(0)).opens == due


def sends(coach: Coach) -> list[dict[str, Any]]:
    return coach.standin.calls_to("sendMessage")


def mornings(coach: Coach) -> list[dict[str, Any]]:
    return [c for c in sends(coach) if str(c.get("text", "")).startswith("Good morning")]


async def test_a_morning_message_waits_for_its_window_then_leaves_early_and_silent(db_url):
    clock = Clock(START)
    async with Coach(db_url, clock, morning_early_minutes=30) as coach:
        await runners(coach, {1001: LONDON, 1002: LONDON})
        await dispatch_due(coach.app, now=SUNDAY_0700 - EARLY - dt.timedelta(hours=12))
        before = len(mornings(coach))
        clock.now = SUNDAY_0700 - EARLY - dt.timedelta(seconds=1)
        report = await dispatch_due(coach.app, now=clock.now)
        assert report.claimed == 0 and len(mornings(coach)) == before  # not open yet
        clock.now = SUNDAY_0700 - EARLY  # 06:30: the window opens
        report = await dispatch_due(coach.app, now=clock.now)
        early = mornings(coach)[before:]
        assert report.sent == 2 and len(early) == 2
        # Half an hour before its time: it arrives without a sound.
        assert all(call.get("disable_notification") is True for call in early)
        # Sunday's post-run strength reminder (09:55) has no early window.
        strength_due = at(SUN, "09:55")
        clock.now = strength_due - dt.timedelta(seconds=1)
        assert (await dispatch_due(coach.app, now=clock.now)).sent == 0
        clock.now = strength_due
        count = len(sends(coach))
        assert (await dispatch_due(coach.app, now=clock.now)).sent == 2
        on_time = sends(coach)[count:]
        assert all("disable_notification" not in call for call in on_time)  # it rings
        assert all("allow_paid_broadcast" not in call for call in sends(coach))


async def test_a_morning_message_sent_at_or_after_its_time_rings(db_url):
    clock = Clock(START)
    async with Coach(db_url, clock, morning_early_minutes=30) as coach:
        await runners(coach, {1001: LONDON})
        await dispatch_due(coach.app, now=SUNDAY_0700 - dt.timedelta(hours=12))
        before = len(mornings(coach))
        clock.now = SUNDAY_0700 + dt.timedelta(minutes=5)  # the bot was down from 06:00
        assert (await dispatch_due(coach.app, now=clock.now)).sent == 1
        assert "disable_notification" not in mornings(coach)[before]


async def test_post_run_reminders_go_before_morning_messages_whose_deadline_is_later(db_url):
    """07:20: the 07:00 morning messages (deadline 07:30) still wait behind a backlog; the
    strength reminders due at 07:20 (deadline 07:20) are claimed first."""
    clock = Clock(START)
    chats = {c: LONDON for c in range(1001, 1007)}
    async with Coach(db_url, clock, morning_early_minutes=30) as coach:
        await runners(coach, chats)
        await dispatch_due(coach.app, now=SUNDAY_0700 - dt.timedelta(hours=12))
        post_run = at(SUN, "07:20")
        rt = coach.app.bot_data["runtime"]
        async with rt.sessions() as db, db.begin():
            await db.exec(  # type: ignore[call-overload]
                sa.update(Reminder)
                .where(col(Reminder.kind) == "strength", col(Reminder.local_date) == SUN)
                .values(due_at=post_run)
            )
        # Just before 07:20: only morning messages are open, earliest deadline first.
        clock.now = post_run - dt.timedelta(seconds=1)
        assert (await dispatch_due(coach.app, now=clock.now, limit=2)).sent == 2
        first = sends(coach)[-2:]
        assert all(str(c["text"]).startswith("Good morning") for c in first)
        # 07:20: four mornings still wait, but the six strength reminders come first.
        clock.now = post_run
        count = len(sends(coach))
        assert (await dispatch_due(coach.app, now=clock.now, limit=6)).sent == 6
        batch = sends(coach)[count:]
        assert not any(str(c["text"]).startswith("Good morning") for c in batch)
        assert sorted(int(c["chat_id"]) for c in batch) == sorted(chats)
        clock.now = post_run + dt.timedelta(seconds=5)
        assert (await dispatch_due(coach.app, now=clock.now)).sent == 4  # then the mornings
        rows = [
            r
            for r in await rows_of(coach)
            if r.local_date == SUN and r.kind in ("morning", "strength")  # not the summary's
        ]
    assert Counter(r.status for r in rows) == {repo.SENT: 12}


# --- paid broadcast -----------------------------------------------------------------------


def test_a_rate_above_30_needs_paid_broadcast():
    with pytest.raises(ValueError, match="PAID_BROADCAST=true"):
        Settings(rate_limit_per_second=100, _env_file=None)  # type: ignore[call-arg]
    paid = Settings(rate_limit_per_second=1000, paid_broadcast=True, _env_file=None)  # type: ignore[call-arg]
    assert paid.in_flight == 150  # 150 ms round trips at 1,000 a second (100 ms and room)
    assert Settings(_env_file=None).in_flight == 8  # type: ignore[call-arg]
    fixed = Settings(dispatch_in_flight=20, _env_file=None)  # type: ignore[call-arg]
    assert fixed.in_flight == 20
    # Answered sends wait for a group write, counted as in flight: the rest still cover a
    # 100 ms round trip at the rate (100 of the 150 at 1,000 a second), else half.
    assert write_group(150, 1000) == 50
    assert write_group(8, 30) == 4 and write_group(150, 0) == 75 and write_group(1, 30) == 1


class Gated(BotApiStandIn):
    """A stand-in whose sendMessage answers wait until the test opens the gate, so the test
    sees how many sends the dispatcher has under way at once."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.gate = asyncio.Event()
        self.waiting = 0
        self.most_waiting = 0
        self.changed = asyncio.Event()

    async def do_request(self, url: str, method: str, *args: Any, **kw: Any) -> tuple[int, bytes]:
        if url.endswith("/sendMessage"):
            self.waiting += 1
            self.most_waiting = max(self.most_waiting, self.waiting)
            self.changed.set()
            try:
                await self.gate.wait()
            finally:
                self.waiting -= 1
        return await super().do_request(url, method, *args, **kw)


class Ticks:
    """The pace's monotonic clock, moved by its own sleeps and by the test."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)
        await asyncio.sleep(0)


async def until(standin: Gated, waiting: int) -> None:
    """Until `waiting` sends are held at the gate (the database work before each send runs in
    other threads or over the network, so this waits on the stand-in, not on a count of turns)."""
    async with asyncio.timeout(60):
        while standin.waiting < waiting:
            standin.changed.clear()
            await standin.changed.wait()


RUNNERS = 130


async def paid_coach(db_url: str, clock: Clock, standin: BotApiStandIn) -> tuple[Coach, Ticks]:
    coach = Coach(
        db_url,
        clock,
        standin,
        rate_limit_per_second=1000,
        paid_broadcast=True,
        morning_early_minutes=0,
        # The derived 150 would need more runners than these tests set up: the bound on
        # what is in flight is what they check, at 100.
        dispatch_in_flight=100,
    )
    ticks = Ticks()
    rt = coach.app.bot_data["runtime"]
    rt.pace = Pace(1000, clock=ticks, sleep=ticks.sleep)  # Telegram's pace on a test clock
    rt.sender.pace = rt.pace.reply_turn
    return coach, ticks


async def test_paid_broadcast_keeps_a_hundred_in_flight_and_each_chat_one_a_second(db_url):
    clock = Clock(START)
    standin = Gated()
    standin.gate.set()
    coach, ticks = await paid_coach(db_url, clock, standin)
    chats = {c: LONDON for c in range(3001, 3001 + RUNNERS)}
    async with coach:
        await runners(coach, chats)
        await dispatch_due(coach.app, now=SUNDAY_0700 - dt.timedelta(hours=12))
        # A second message due at 07:00 to ten of the chats (a snoozed strength reminder
        # beside the morning message): Telegram allows one a second per chat.
        rt = coach.app.bot_data["runtime"]
        twice = list(chats)[:10]
        async with rt.sessions() as db, db.begin():
            for chat in twice:
                runner = await stored(coach, chat)
                assert runner.id is not None
                db.add(
                    Reminder(
                        runner_id=runner.id, kind="snooze", local_date=SUN, due_at=SUNDAY_0700
                    )
                )
        standin.gate.clear()
        ticks.t += 3600.0  # the setup's replies were long ago
        count = len(sends(coach))
        clock.now = SUNDAY_0700
        task = asyncio.create_task(dispatch_due(coach.app, now=SUNDAY_0700, drain=lambda: True))
        await until(standin, 100)
        for _ in range(200):  # the dispatcher has room for no more
            await asyncio.sleep(0)
        assert (
            standin.waiting == 100 and not task.done()
        )  # as many as a 100 ms round trip holds at 1,000/s
        standin.gate.set()
        report = await task
        assert report.sent == RUNNERS and report.deferred == 10
        first = sends(coach)[count:]
        assert all(call.get("allow_paid_broadcast") is True for call in first)
        assert sorted(int(c["chat_id"]) for c in first) == sorted(chats)  # once each
        ticks.t += 1.1
        clock.now = SUNDAY_0700 + dt.timedelta(seconds=1)
        assert (await dispatch_due(coach.app, now=clock.now)).sent == 10  # a second later
    assert standin.most_waiting == 100


async def test_a_429_among_a_hundred_in_flight_stops_new_sends_and_loses_none(db_url):
    clock = Clock(START)
    standin = Gated()
    standin.gate.set()
    coach, ticks = await paid_coach(db_url, clock, standin)
    chats = {c: LONDON for c in range(4001, 4001 + RUNNERS)}
    async with coach:
        await runners(coach, chats)
        await dispatch_due(coach.app, now=SUNDAY_0700 - dt.timedelta(hours=12))
        standin.gate.clear()
        ticks.t += 3600.0  # the setup's replies were long ago
        count = len(sends(coach))
        clock.now = SUNDAY_0700
        task = asyncio.create_task(dispatch_due(coach.app, now=SUNDAY_0700, drain=lambda: True))
        await until(standin, 100)
        standin.fail_next("sendMessage", kind="retry_after", retry_after=7)
        standin.gate.set()
        report = await task
        # The one answered 429 and the thirty never started wait for retry_after; the 99
        # others in flight were delivered; nothing started after the 429 came back.
        assert report.sent == 99 and report.deferred == RUNNERS - 99
        assert report.paused_until == SUNDAY_0700 + dt.timedelta(seconds=7)
        assert len(sends(coach)) - count == 100
        clock.now = SUNDAY_0700 + dt.timedelta(seconds=6)
        assert (await dispatch_due(coach.app, now=clock.now)).claimed == 0
        clock.now = SUNDAY_0700 + dt.timedelta(seconds=7)
        ticks.t += 7.0
        assert (await dispatch_due(coach.app, now=clock.now)).sent == RUNNERS - 99
        rows = [r for r in await rows_of(coach) if r.local_date == SUN and r.kind == "morning"]
    assert standin.rejected_429 == 1
    # What the chats show (the call answered 429 is not in them).
    delivered = Counter(
        chat
        for chat in chats
        for m in coach.standin.sent_to(chat)
        if str(m.get("text", "")).startswith("Good morning")
    )
    # Each runner got this morning's message once: the 429's row was sent again, no other.
    assert delivered == Counter(list(chats)) and len(rows) == RUNNERS
    assert {r.status for r in rows} == {repo.SENT}
