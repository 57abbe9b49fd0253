"""A crash in the middle of a hundred sends in flight (issue 19, paid broadcast): `runcoach
run` as a separate process with PAID_BROADCAST at 1,000 a second, killed with SIGKILL while
about a hundred sends await Telegram's answer, then restarted. What the kill can repeat is
bounded by what was in flight, and nothing is lost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.standin import BotApiStandIn
from storage.db import make_engine, make_sessionmaker
from storage.tables import Reminder
from tests.bot.http_standin import HttpStandIn
from tests.bot.test_reminders_process import (
    FINAL,
    MORNING,
    RUNNERS,
    Bots,
    _add_runners,
    _statuses,
)

IN_FLIGHT = 150  # derived from RATE_LIMIT_PER_SECOND=1000 (Settings.in_flight)
ROUND_TRIP = 0.6  # seconds: every send waits its answer long enough to be caught in flight
KILL_AT = 60  # the kill comes as the 60th message reaches Telegram, none answered yet


@pytest.fixture
async def slow_server() -> AsyncIterator[HttpStandIn]:
    async with HttpStandIn(BotApiStandIn(latency=ROUND_TRIP)) as running:
        yield running


async def _due_now(db_url: str, runner_ids: dict[int, int], today: dt.date) -> dict[int, int]:
    """Today's morning message for every runner, due now: chat -> row id."""
    due = dt.datetime.now(dt.UTC)
    rows = {
        chat: Reminder(runner_id=runner_id, kind="morning", local_date=today, due_at=due)
        for chat, runner_id in runner_ids.items()
    }
    engine = make_engine(db_url)
    try:
        async with make_sessionmaker(engine).begin() as db:
            db.add_all(rows.values())
            await db.flush()
    finally:
        await engine.dispose()
    return {chat: row.id for chat, row in rows.items() if row.id is not None}


async def test_a_kill_with_a_hundred_in_flight_repeats_at_most_those_and_loses_none(
    tmp_path: Path, slow_server: HttpStandIn, db_url: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    outbox = await _add_runners(db_url, now.date(), now)
    bots = Bots(tmp_path, slow_server, db_url)
    bots.env.update(PAID_BROADCAST="true", RATE_LIMIT_PER_SECOND="1000")
    try:
        await bots.start()
        bots.kill_at_send = KILL_AT
        due = await _due_now(db_url, outbox.runner_ids, now.date())
        process = bots.process
        assert process is not None
        await bots.wait_for("the kill in flight", lambda: process.returncode is not None)
        assert process.returncode == -signal.SIGKILL
        # Requests the killed process had already sent still reach Telegram: let them land.
        await asyncio.sleep(ROUND_TRIP)
        before_restart = Counter(a.message["chat"]["id"] for a in bots.arrivals)
        await bots.start()  # a new process; the killed one's claims come back after the lease

        def missing() -> set[int]:
            return set(due) - {a.message["chat"]["id"] for a in bots.arrivals}

        while left := missing():
            bots.still_waiting(f"{len(left)} due messages")
            await asyncio.sleep(0.05)
        statuses = await _statuses(db_url)
        while not all(statuses[row] in FINAL for row in due.values()):
            bots.still_waiting("every due row to reach a final state")
            await asyncio.sleep(0.05)
            statuses = await _statuses(db_url)
        assert await bots.stop() == 0
    finally:
        await bots.close()
    morning = [a for a in bots.arrivals if a.message["text"].startswith(MORNING)]
    counts = Counter(a.message["chat"]["id"] for a in morning)
    repeated = sorted(chat for chat, n in counts.items() if n > 1)
    print(f"delivered before the kill: {sum(before_restart.values())}; repeated: {len(repeated)}")
    # None lost: every runner got today's message, and every row is final and sent.
    assert set(counts) == set(due) and len(due) == RUNNERS
    assert {statuses[row] for row in due.values()} == {"sent"}
    # What repeats is what the killed process had delivered but not yet recorded: at most
    # the sends in flight, each at most once more.
    assert max(counts.values()) <= 2
    assert set(repeated) <= set(before_restart)
    assert 0 < len(repeated) <= IN_FLIGHT
    assert sum(before_restart.values()) >= KILL_AT
