"""Figure 2: the reminder dispatcher on a clustered 07:00.

Every seeded runner has a morning message due at 07:00 on the same day.

(a) Limiter off, stand-in answering at once: how fast the dispatcher claims, composes, sends
    and records rows (`dispatch_due` called back to back until nothing is due). Ceiling: the
    same PTB bot sending through the same stand-in with no database and no composing.
(b) Limiter on (`rate_limit_per_second=30`, PTB's AIORateLimiter), a stand-in that allows 30
    sends a second in all and 1 a second per chat and answers 429 beyond, and the real job
    queue (the repeating dispatcher job, as in production) on a real-time clock for 60 s.
    Ceiling: Telegram's 30 a second.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from bench.common import Row
from bench.seed import DAY, SEVEN
from bot.app import build_application, shut_down
from bot.keyboards import strength_reminder
from bot.reminders import dispatch_due
from bot.settings import Settings
from bot.standin import TOKEN, BotApiStandIn, RateLimits
from storage.db import make_engine
from storage.tables import Reminder

SAMPLE_TEXT = (
    "Good morning! Today: rest day.\n"
    "No strength today: rest and recovery count too.\n\n"
    "Any pain or niggles after yesterday?"
)


@dataclass
class Sends:
    """Every message the stand-in delivered: when, and to whom."""

    times: list[float] = field(default_factory=list)
    chats: Counter[int] = field(default_factory=Counter)
    first: asyncio.Event = field(default_factory=asyncio.Event)

    def listener(self, event: str, message: dict[str, Any]) -> None:
        if event == "sent":
            self.times.append(time.monotonic())
            self.chats[message["chat"]["id"]] += 1
            self.first.set()

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.chats.values() if n > 1)


PAID_RATE = 1000  # Telegram's limit with paid broadcast (part c)


def _settings(url: str, rate: float) -> Settings:
    return Settings(
        database_url=url,
        rate_limit_per_second=rate,
        paid_broadcast=rate > 30,  # figure 2c: Telegram's paid broadcast, up to 1,000/s
        flood_max_updates=100_000,
        _env_file=None,
    )


_REMINDER: sa.Table = Reminder.__table__  # type: ignore[attr-defined]
_CLUSTER = sa.and_(_REMINDER.c.kind == "morning", _REMINDER.c.local_date == DAY)


async def reset_mornings(url: str) -> int:
    """Put the clustered 07:00 back to pending (before each part of the figure)."""
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(
                sa.update(_REMINDER)
                .where(_CLUSTER)
                .values(
                    status="pending",
                    attempts=0,
                    claimed_at=None,
                    sent_at=None,
                    retry_at=None,
                    last_error=None,
                )
            )
            changed = int(result.rowcount)
        async with engine.connect() as conn:
            if engine.dialect.name == "sqlite":  # start from a checkpointed write-ahead log
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return changed
    finally:
        await engine.dispose()


async def status_counts(url: str) -> Counter[str]:
    """The clustered rows by status, as stored."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            result = await conn.execute(
                sa.select(_REMINDER.c.status, sa.func.count())
                .where(_CLUSTER)
                .group_by(_REMINDER.c.status)
            )
            return Counter({str(status): int(n) for status, n in result.all()})
    finally:
        await engine.dispose()


async def unlimited(url: str, *, ceiling_sends: int, budget: float) -> tuple[list[Row], list[str]]:
    """Part (a): rate limiter off, every answer instant. Drains the backlog for at most
    `budget` seconds (all of it if that is quicker): the rate is what is measured. With the
    sends in flight of paid broadcast (150, what part (c) derives at 1,000/s), whose CPU
    headroom this part measures: the outcomes are written in groups of 75, not of 4 (the
    default 8 in flight with the limiter off)."""
    standin = BotApiStandIn(record_calls=False, keep_transcript=False)
    sends = Sends()
    standin.add_listener(sends.listener)
    now = SEVEN + dt.timedelta(minutes=1)
    in_flight = _settings(url, PAID_RATE).in_flight
    settings = _settings(url, 0).model_copy(update={"dispatch_in_flight": in_flight})
    app = build_application(
        settings, token=TOKEN, request=standin, clock=lambda: now, migrate=False
    )
    standin.bind(app)
    due = await reset_mornings(url)
    await app.initialize()
    try:
        batches = 0
        outcomes: Counter[str] = Counter()
        started = time.perf_counter()
        while time.perf_counter() - started < budget:
            report = await dispatch_due(app, now=now)
            handled = (
                report.sent
                + report.expired
                + report.deferred
                + report.cancelled
                + report.unknown
                + report.failed
            )
            if handled == 0:
                break
            batches += 1
            outcomes.update(
                sent=report.sent,
                deferred=report.deferred,
                cancelled=report.cancelled,
                expired=report.expired,
                failed=report.failed,
                unknown=report.unknown,
            )
        seconds = time.perf_counter() - started
        stored = await status_counts(url)
        rate = stored["sent"] / seconds if seconds else 0.0

        # Ceiling: the same bot and stand-in, sending a morning message with buttons, no
        # database and nothing to compose.
        markup = strength_reminder(DAY)
        started = time.perf_counter()
        for i in range(ceiling_sends):
            await app.bot.send_message(5_000_000 + i, SAMPLE_TEXT, reply_markup=markup)
        ceiling = ceiling_sends / (time.perf_counter() - started)
    finally:
        await app.shutdown()
        await shut_down(app)
    details = [
        f"2a: {due:,} rows due at 07:00; {stored['sent']:,} recorded as sent in {seconds:.1f} s "
        f"over {batches} batches of 200, {in_flight} sends in flight (the whole backlog "
        f"would take {due / rate if rate else float('inf'):.0f} s); "
        f"duplicates {sends.duplicates}; "
        f"other outcomes "
        f"{dict((k, v) for k, v in outcomes.items() if k != 'sent' and v)}; "
        f"ceiling = {ceiling_sends:,} bare `send_message` calls through the same stand-in.",
    ]
    rows = [
        Row(
            "2a Reminder dispatch, limiter off",
            rate,
            ceiling,
            "msg/s",
            "≥ 0.8 × ceiling (issue 19)",
            rate >= 0.8 * ceiling and sends.duplicates == 0,
            ceiling_label="bare PTB send_message, same stand-in",
        )
    ]
    return rows, details


async def limited(
    url: str, *, seconds: float, latency: float, rate: int = 30
) -> tuple[list[Row], list[str]]:
    """Part (b): PTB's AIORateLimiter at 30/s against a stand-in enforcing Telegram's limits
    and taking `latency` seconds per round trip, as Telegram does, with the dispatcher run
    by the job queue on the real clock. Part (c), issue 19: the same at `rate` = 1,000/s with
    PAID_BROADCAST (the sends in flight derived from the rate, 100)."""
    limits = RateLimits(total_per_second=rate, per_chat_per_second=1, clock=time.monotonic)
    standin = BotApiStandIn(
        record_calls=False, keep_transcript=False, rate_limits=limits, latency=latency
    )
    sends = Sends()
    standin.add_listener(sends.listener)
    origin = time.monotonic()
    start_at = SEVEN + dt.timedelta(seconds=5)

    def clock() -> dt.datetime:
        return start_at + dt.timedelta(seconds=time.monotonic() - origin)

    app = build_application(
        _settings(url, rate), token=TOKEN, request=standin, clock=clock, migrate=False
    )
    standin.bind(app)
    # PTB logs every 429 it passes on with a traceback; the count is reported instead.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    due = await reset_mornings(url)
    await app.initialize()
    try:
        started = time.monotonic()
        await app.start()  # the job queue: the dispatcher runs as in production
        # The window opens at the first send, however long the first tick takes to come:
        # run it out in full.
        await asyncio.wait_for(sends.first.wait(), timeout=30)
        await asyncio.sleep(max(0.0, sends.times[0] + seconds + 0.5 - time.monotonic()))
        await app.stop()
    finally:
        await app.shutdown()
        await shut_down(app)
    stored = await status_counts(url)
    first = sends.times[0] if sends.times else started
    window = [t for t in sends.times if first <= t < first + seconds]
    sent_rate = len(window) / seconds
    gaps = sorted(((b - a, a - first) for a, b in itertools.pairwise(window)), reverse=True)[:3]
    idle = max(
        (b - a for a, b in itertools.pairwise(window)),
        default=0.0,
    )
    part = "2b" if rate == 30 else "2c"
    in_flight = app.bot_data["runtime"].settings.in_flight
    details = [
        f"{part}: {due:,} rows due at 07:00; limit {rate:,}/s, up to {in_flight} sends in "
        f"flight; every call to the stand-in took "
        f"{latency * 1000:.0f} ms there and back; first send {first - started:.2f} s after start; "
        f"{len(window)} sent in the {seconds:.0f} s after it; 429 answers "
        f"{standin.rejected_429}; duplicates {sends.duplicates}; longest gap between sends "
        f"{idle:.2f} s (longest: "
        f"{', '.join(f'{g:.2f} s at {t:.1f} s' for g, t in gaps)}); rows marked sent "
        f"{stored['sent']} (stand-in delivered {len(sends.times)}).",
    ]
    goal = 0.95 * rate
    label = "Telegram's limit" if rate == 30 else "Telegram's paid broadcast limit"
    rows = [
        Row(
            f"{part} Reminder dispatch, limiter {rate:,}/s, {latency * 1000:.0f} ms round trips",
            sent_rate,
            float(rate),
            "msg/s",
            f"≥ {goal:,.1f} msg/s, 0 × 429, 0 duplicates",
            sent_rate >= goal and standin.rejected_429 == 0 and sends.duplicates == 0,
            ceiling_label=label,
            notes=f"429s: {standin.rejected_429}, duplicates: {sends.duplicates}",
        )
    ]
    return rows, details
