"""A second instance started by mistake, or a standby, never doubles a message (issue 6)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

from sqlalchemy import insert
from sqlmodel import select
from telegram.ext import CallbackContext

from bot.reminders import DispatchReport, dispatch_due, dispatch_job
from bot.reminders.jobs import _leading as leading
from bot.standin import BotApiStandIn
from storage.tables import Reminder, Runner
from tests.bot.conftest import Clock, Coach

RUNNERS = 120


async def test_two_dispatchers_on_one_database_send_each_reminder_once(db_url, clock: Clock):
    standin = BotApiStandIn()  # both instances talk to the same "Telegram"
    now = clock.now
    async with Coach(db_url, clock, standin) as first, Coach(db_url, clock, standin) as second:
        async with first.app.bot_data["runtime"].sessions() as db, db.begin():
            db.add_all(
                Runner(
                    telegram_user_id=5000 + i,
                    chat_id=5000 + i,
                    onboarded=True,
                    reminders_until=(now + dt.timedelta(days=30)).date(),
                )
                for i in range(RUNNERS)
            )
            await db.flush()
            ids = list((await db.exec(select(Runner.id))).all())
            await db.exec(  # type: ignore[call-overload]
                insert(Reminder).values(
                    [
                        {
                            "runner_id": rid,
                            "kind": "morning",
                            "local_date": now.date(),
                            "due_at": now - dt.timedelta(minutes=1),
                            "payload": {"checkin": False},
                            "status": "pending",
                            "attempts": 0,
                            "created_at": now,
                        }
                        for rid in ids
                    ]
                )
            )
        # Both claim and send at the same moment, in small batches, until nothing is left.
        for _ in range(RUNNERS):
            reports = await asyncio.gather(
                dispatch_due(first.app, now=now, limit=7),
                dispatch_due(second.app, now=now, limit=7),
                return_exceptions=True,
            )
            failed = [r for r in reports if isinstance(r, BaseException)]
            assert failed == []  # neither dispatcher fails because the other one runs
            if all(isinstance(r, DispatchReport) and r.sent == 0 for r in reports):
                break
    per_chat = Counter(
        chat for chat, messages in standin.chats.items() for _ in messages if chat >= 5000
    )
    assert len(per_chat) == RUNNERS
    assert set(per_chat.values()) == {1}  # every runner once, nobody twice


async def test_on_postgresql_one_process_at_a_time_sends_reminders(postgres_url, clock: Clock):
    """Two processes each keeping Telegram's 30 a second would send 60: on PostgreSQL the
    dispatcher of only one of them runs at a time (an advisory lock)."""
    standin = BotApiStandIn()
    now = clock.now
    async with (
        Coach(postgres_url, clock, standin) as one,
        Coach(postgres_url, clock, standin) as two,
    ):
        async with one.app.bot_data["runtime"].sessions() as db, db.begin():
            runner = Runner(telegram_user_id=7000, chat_id=7000, onboarded=True)
            db.add(runner)
            await db.flush()
            db.add(
                Reminder(
                    runner_id=runner.id,
                    kind="morning",
                    local_date=now.date(),
                    due_at=now - dt.timedelta(minutes=1),
                    payload={"checkin": False},
                )
            )
        async with leading(one.app) as first_leads:
            assert first_leads
            await dispatch_job(CallbackContext(two.app))  # the other process's tick
            assert standin.sent_to(7000) == []
        await dispatch_job(CallbackContext(two.app))  # the lock is free again
        assert len(standin.sent_to(7000)) == 1
