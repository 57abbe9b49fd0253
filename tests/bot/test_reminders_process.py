"""Reminders from `runcoach run` as a separate process, checked from outside only.

The acceptance check of the reminders issue: the bot runs as a subprocess against the Bot API
stand-in over real HTTP, is killed with SIGKILL at random moments while reminders are flowing,
and is restarted each time. Then the stand-in's transcript and the database must show that
every due message arrived once (those in flight at a kill once more for each such kill), never
before it was due, that nothing stale was sent, and that nothing due later was sent early.

Once on SQLite and once on PostgreSQL (the `db_url` fixture of tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot import texts
from bot.reminders import IN_FLIGHT
from bot.standin import BotApiStandIn
from storage.db import make_engine, make_sessionmaker
from storage.tables import Reminder, Runner
from tests.bot.http_standin import HttpStandIn

TOKEN = "123456:AAH" + "x7Kq2Lm9Np4Rs8Tv1Wy5Zb3Cd6Fg0H"
SEED = int(os.environ.get("RUNCOACH_TEST_SEED", "11"))  # another seed, other moments
RUNNERS = 150
DUE_DAYS = 2  # due morning messages per runner: today and tomorrow
FIRST_CHAT = 700_000
WINDOW = 5.0  # seconds of real time over which the due rows fall due
# REMINDER_LEASE_SECONDS: how soon rows claimed by a killed process are claimed again. The
# default two minutes would outlast the test; one process runs at a time here, so one second
# cannot let a live dispatcher's rows be taken over.
LEASE_SECONDS = 1.0
DISPATCH_SECONDS = 0.2  # REMINDER_DISPATCH_SECONDS
DEADLINE = 60.0  # seconds, for everything the test waits on the bot processes
TRIGGER_WAIT = 4.0  # seconds a kill waits for its moment before it kills anyway
# Seconds a message may arrive after it was due: the restarts, the lease and the backlog after
# each restart on a busy two-core box. A sanity bound; the product's own limit is the grace
# (two hours), after which a row expires instead of being sent.
LATE = 45.0
POLL = 0.05  # seconds between looks at what the other process has done so far
MORNING = texts.MORNING_TODAY.split("{", 1)[0]  # "Good morning! Today: "
FINAL = {"sent", "expired", "cancelled", "unknown", "failed"}

Key = tuple[int, str | None]  # (chat id, the local date in the message's buttons, if any)
Message = dict[str, Any]


def _env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The parent's environment without any Telegram/runcoach settings, plus `overrides`."""
    own = {"TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "DATABASE_URL", "DATA_DIR", "LOG_LEVEL"}
    env = {
        k: v
        for k, v in os.environ.items()
        if k.upper() not in own and not k.upper().startswith("REMINDER_")
    }
    env.update(DATA_DIR=str(tmp_path / "data"), PTB_TIMEDELTA="1", PYTHONUNBUFFERED="1")
    env.update(overrides)
    return env


def _key(message: Message) -> Key:
    """Which reminder a message is: its chat, and the date its buttons carry (`t:ok:<date>`);
    today's morning message, without the check-in, has no buttons."""
    data = [d for row in BotApiStandIn.buttons(message) for _, d in row if d]
    return message["chat"]["id"], data[0].rsplit(":", 1)[-1] if data else None


@dataclass
class Outbox:
    """The rows the test wrote, by what the runner would see."""

    runner_ids: dict[int, int] = field(default_factory=dict)  # chat id -> runner id
    due: dict[Key, tuple[int, float]] = field(default_factory=dict)  # -> (row id, due time)
    stale: set[int] = field(default_factory=set)
    future: set[int] = field(default_factory=set)


@dataclass
class Arrival:
    at: float  # time.time() when the stand-in received the sendMessage
    message: Message


class Bots:
    """Starts, kills and restarts `runcoach run`; the stand-in's listener can kill in flight."""

    def __init__(self, tmp_path: Path, server: HttpStandIn, db_url: str) -> None:
        self.tmp_path = tmp_path
        self.server = server
        self.env = _env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_BASE_URL=server.base_url,
            DATABASE_URL=db_url,
            LOG_LEVEL="INFO",
            REMINDER_DISPATCH_SECONDS=str(DISPATCH_SECONDS),
            REMINDER_LEASE_SECONDS=str(LEASE_SECONDS),
            MORNING_EARLY_MINUTES="0",  # "never before it was due": the early window aside
        )
        self.deadline = asyncio.get_running_loop().time() + DEADLINE
        self.process: asyncio.subprocess.Process | None = None
        self.logs: list[Path] = []
        self.arrivals: list[Arrival] = []
        self.sent_by_this_process = 0
        self.kill_at_send: int | None = None  # kill as this process sends its n-th message
        self.killed_in_flight = 0
        server.standin.add_listener(self._on_event)

    def _on_event(self, event: str, message: Message) -> None:
        if event != "sent":
            return
        self.arrivals.append(Arrival(time.time(), message))
        self.sent_by_this_process += 1
        if self.kill_at_send is not None and self.sent_by_this_process >= self.kill_at_send:
            # The stand-in has the message, the bot has no answer yet: killed in flight.
            assert self.process is not None and self.process.returncode is None
            os.kill(self.process.pid, signal.SIGKILL)
            self.kill_at_send = None
            self.killed_in_flight += 1

    def output(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()}" for log in self.logs)

    def time_left(self) -> float:
        return self.deadline - asyncio.get_running_loop().time()

    async def wait_for(self, what: str, done: Callable[[], bool]) -> None:
        """Poll `done()` until true; fail on the deadline, or if the bot exits meanwhile."""
        while not done():
            self.still_waiting(what)
            await asyncio.sleep(POLL)

    def still_waiting(self, what: str) -> None:
        """Fail if the deadline has passed or the bot exited while the test waits for `what`."""
        if self.process is not None and self.process.returncode is not None:
            pytest.fail(
                f"the bot exited ({self.process.returncode}) while waiting for {what}:\n"
                f"{self.output()}"
            )
        if self.time_left() <= 0:
            pytest.fail(f"timed out waiting for {what}:\n{self.output()}")

    async def start(self) -> None:
        """Start a bot process and wait until it polls for updates (its jobs are running)."""
        log = self.tmp_path / f"bot-{len(self.logs)}.log"
        self.logs.append(log)
        calls = self.server.standin.calls
        calls_before = len(calls)
        self.sent_by_this_process = 0
        with log.open("wb") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self.tmp_path,  # no stray .env is read
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )
        await self.wait_for(
            "the bot to poll", lambda: any(m == "getUpdates" for m, _ in calls[calls_before:])
        )

    async def kill(self, rng: random.Random) -> str:
        """SIGKILL the bot at a random moment while it sends; returns how it was chosen."""
        process = self.process
        assert process is not None and process.returncode is None
        loop = asyncio.get_running_loop()
        how = rng.choice(["in flight", "after a delay"])
        flowing = self.sent_by_this_process
        if how == "in flight":
            self.kill_at_send = flowing + rng.randint(1, 30)
        give_up = loop.time() + min(TRIGGER_WAIT, max(self.time_left(), 0.0))
        while process.returncode is None and loop.time() < give_up:
            if how == "after a delay" and self.sent_by_this_process > flowing:
                await asyncio.sleep(rng.uniform(0.0, 0.6))  # messages are flowing now
                break
            await asyncio.sleep(POLL)
        else:
            if process.returncode is None:
                how += ", when nothing more was sent"
        self.kill_at_send = None
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
        code = await asyncio.wait_for(process.wait(), timeout=max(self.time_left(), 1.0))
        assert code == -signal.SIGKILL, self.output()
        return how

    async def close(self) -> None:
        """After a failure: no bot process outlives the test."""
        process = self.process
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()

    async def stop(self) -> int:
        """SIGTERM, as systemd or Docker would; the bot must exit on its own, cleanly."""
        process = self.process
        assert process is not None
        if process.returncode is not None:
            return process.returncode
        process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(15):
                return await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()
            pytest.fail(f"the bot did not exit within 15 s of SIGTERM:\n{self.output()}")


async def _add_runners(db_url: str, today: dt.date, now: dt.datetime) -> Outbox:
    """RUNNERS set-up runners (the default all-rest week, UTC) with stale and far-future
    reminders; the due ones are added once the bot runs (`_add_due`)."""
    outbox = Outbox()
    yesterday, later = today - dt.timedelta(days=1), today + dt.timedelta(days=DUE_DAYS)
    engine = make_engine(db_url)
    try:
        async with make_sessionmaker(engine).begin() as db:
            runners = [
                Runner(
                    telegram_user_id=FIRST_CHAT + i,
                    chat_id=FIRST_CHAT + i,
                    first_name=f"Runner {i}",
                    onboarded=True,
                    active=True,
                    # Their outbox is built through next month, so the horizon job (5 s after
                    # each start) leaves the test's hand-made rows alone.
                    reminders_until=today + dt.timedelta(days=40),
                )
                for i in range(RUNNERS)
            ]
            db.add_all(runners)
            await db.flush()
            stale: list[Reminder] = []
            future: list[Reminder] = []
            for i, runner in enumerate(runners):
                assert runner.id is not None
                outbox.runner_ids[runner.chat_id] = runner.id
                # Yesterday's morning message, 5 hours late; its check-in buttons would carry
                # yesterday's date if it were ever sent.
                stale.append(
                    Reminder(
                        runner_id=runner.id,
                        kind="morning",
                        local_date=yesterday,
                        due_at=now - dt.timedelta(hours=5),
                        payload={"checkin": True},
                    )
                )
                if i % 3 == 0:  # a strength reminder 3 hours after it was due
                    stale.append(
                        Reminder(
                            runner_id=runner.id,
                            kind="strength",
                            local_date=today,
                            due_at=now - dt.timedelta(hours=3),
                        )
                    )
                future.append(
                    Reminder(
                        runner_id=runner.id,
                        kind="morning",
                        local_date=later,
                        due_at=now + dt.timedelta(hours=2),
                        payload={"checkin": True},
                    )
                )
            db.add_all([*stale, *future])
            await db.flush()
            outbox.stale = {r.id for r in stale if r.id is not None}
            outbox.future = {r.id for r in future if r.id is not None}
    finally:
        await engine.dispose()
    return outbox


async def _add_due(db_url: str, today: dt.date, outbox: Outbox) -> None:
    """DUE_DAYS morning messages per runner, due one after another over the next WINDOW
    seconds of real time: today's without the check-in (no buttons), the next days' with it."""
    start = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=0.3)
    chats = sorted(outbox.runner_ids)
    count = len(chats) * DUE_DAYS
    made: list[tuple[Key, Reminder]] = []
    for n in range(count):
        chat, days_ahead = chats[n % len(chats)], n // len(chats)
        day = today + dt.timedelta(days=days_ahead)
        row = Reminder(
            runner_id=outbox.runner_ids[chat],
            kind="morning",
            local_date=day,
            due_at=start + dt.timedelta(seconds=WINDOW * n / count),
            payload={"checkin": days_ahead > 0},
        )
        made.append(((chat, day.isoformat() if days_ahead else None), row))
    engine = make_engine(db_url)
    try:
        async with make_sessionmaker(engine).begin() as db:
            db.add_all([row for _, row in made])
            await db.flush()
    finally:
        await engine.dispose()
    for key, row in made:
        assert row.id is not None
        outbox.due[key] = (row.id, row.due_at.timestamp())


async def _statuses(db_url: str) -> dict[int, str]:
    engine = make_engine(db_url)
    try:
        async with make_sessionmaker(engine)() as db:
            rows = (await db.exec(select(Reminder))).all()
            return {r.id: r.status for r in rows if r.id is not None}
    finally:
        await engine.dispose()


async def _kill_and_restart(
    bots: Bots, rng: random.Random, db_url: str, today: dt.date, outbox: Outbox
) -> tuple[list[str], int]:
    """Start the bot, add the due rows, kill and restart it 3-5 times, wait until every due
    and stale row is final, and stop it: (how each kill was timed, the last exit code)."""
    await bots.start()
    await _add_due(db_url, today, outbox)

    moments: list[str] = []
    for _ in range(rng.randint(3, 5)):
        moments.append(await bots.kill(rng))
        # What the killed process had claimed is claimable again REMINDER_LEASE_SECONDS
        # later; the test touches nothing in the database between a kill and the restart.
        await bots.start()

    # Until everything due has arrived (cheap to look at), then until the database says
    # every due and stale row is final.
    def missing() -> set[Key]:
        return set(outbox.due) - {_key(a.message) for a in bots.arrivals}

    while left := missing():
        bots.still_waiting(f"{len(left)} due messages, e.g. {sorted(left, key=str)[:3]}")
        await asyncio.sleep(POLL)
    watched = [row_id for row_id, _ in outbox.due.values()] + sorted(outbox.stale)
    statuses = await _statuses(db_url)
    while not all(statuses[row_id] in FINAL for row_id in watched):
        bots.still_waiting("every due and stale row to reach a final state")
        await asyncio.sleep(POLL)
        statuses = await _statuses(db_url)
    return moments, await bots.stop()


@pytest.fixture
async def server() -> AsyncIterator[HttpStandIn]:
    async with HttpStandIn() as running:
        yield running


async def test_every_due_reminder_arrives_once_through_kill_9(
    tmp_path: Path, server: HttpStandIn, db_url: str
) -> None:
    rng = random.Random(SEED)
    now = dt.datetime.now(dt.UTC)
    outbox = await _add_runners(db_url, now.date(), now)
    bots = Bots(tmp_path, server, db_url)
    try:
        moments, code = await _kill_and_restart(bots, rng, db_url, now.date(), outbox)
    finally:
        await bots.close()
    statuses = await _statuses(db_url)

    arrivals: dict[Key, list[float]] = {}
    for arrival in bots.arrivals:
        arrivals.setdefault(_key(arrival.message), []).append(arrival.at)
    late = [min(arrivals.get(key, [due])) - due for key, (_, due) in outbox.due.items()]
    counts = Counter({key: len(times) for key, times in arrivals.items()})
    print(  # shown with -s, and with the output of a failure
        f"seed {SEED}, kills: {moments}; in flight: {bots.killed_in_flight}; "
        f"sendMessage calls: {len(bots.arrivals)} for {len(outbox.due)} due rows; "
        f"late by {sorted(late)[len(late) // 2]:.2f} s (median), at most {max(late):.2f} s; "
        f"messages by arrivals: {sorted(Counter(counts.values()).items())}"
    )

    # Every due message arrived in its runner's chat, and only the messages in flight at a
    # kill came again (sends overlap: up to IN_FLIGHT of them per kill).
    assert all(a.message["text"].startswith(MORNING) for a in bots.arrivals)
    unexpected = sorted(set(arrivals) - set(outbox.due), key=str)
    assert unexpected == [], f"messages nobody was due (stale ones?): {unexpected[:10]}"
    missing = sorted(set(outbox.due) - set(arrivals), key=str)
    assert missing == [], f"{len(missing)} due messages never arrived: {missing[:10]}"
    # Not "at most twice": a message comes again when the process that sent it was killed
    # before it wrote the outcome, and the next one claims the row once the lease has passed.
    # The rows a kill leaves claimed are the oldest due, so the next process sends them first,
    # and a kill soon after that restart finds them in flight again (likely on a loaded box,
    # where answers and commits are slow; with 0.4 s answers nine rows came 3-5 times). A
    # process sends a row at most once, so a message arrives at most once per process: once,
    # plus once for each kill.
    assert max(counts.values()) <= 1 + len(moments), counts.most_common(5)
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= len(moments) * IN_FLIGHT, (duplicates, moments)
    assert bots.killed_in_flight >= 1, f"no kill hit a message in flight: {moments}"

    # At the right time: never before it was due, and late only by the kills and restarts.
    for key, (_, due) in outbox.due.items():
        first = min(arrivals[key])
        assert first >= due, f"{key} arrived {due - first:.3f} s before it was due"
        assert first - due < LATE, f"{key} arrived {first - due:.1f} s late"

    # The database agrees: due rows sent, stale ones expired, later ones untouched.
    due_statuses = Counter(statuses[row_id] for row_id, _ in outbox.due.values())
    assert due_statuses == {"sent": len(outbox.due)}, due_statuses
    assert Counter(statuses[row_id] for row_id in outbox.stale) == {"expired": len(outbox.stale)}
    assert Counter(statuses[row_id] for row_id in outbox.future) == {"pending": len(outbox.future)}
    assert code == 0, bots.output()
    assert "Traceback" not in bots.output(), bots.output()
