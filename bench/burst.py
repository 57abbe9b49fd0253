"""Figure 1b (issue 19): 100,000 morning messages due at 07:00 and 5,000 post-run reminders due
at 07:20, beside the physical bound.

At 30 messages a second the last of 105,000 messages leaves almost an hour after the first,
whatever the bot does: that is the bound. What the bot decides is the order (earliest
deadline first: the 07:20 strength reminders before the morning messages still waiting then)
and the start (a morning message may leave MORNING_EARLY_MINUTES before its time, silently,
and nothing leaves before its window opens).

An hour of Telegram's pace is simulated, not waited for: the real dispatcher (`dispatch_due`,
the real claim on the seeded SQLite outbox, compose, PTB's `send_message` through the
in-process stand-in) runs on a virtual clock that only the pace's waits move (`Pace` with an
injected clock and sleep), and the dispatcher job is called every 5 virtual seconds as the job
queue would. The stand-in enforces Telegram's 30 a second and 1 a second per chat on the same
virtual clock, so a pace that let 31 through in a second would be answered 429. CPU time does
not move the clock: at 30 a second the dispatcher uses a few percent of a core (figure 2a), so
the figure is what the order and the windows give, at the pace's own rate.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from bench.common import Figure, Row, percentile
from bench.dispatch import reset_mornings
from bench.seed import DAY, SEVEN
from bot.app import build_application, shut_down
from bot.pace import PACE_WINDOW, Pace
from bot.reminders import dispatch_due
from bot.reminders.dispatcher import batch_size
from bot.settings import Settings
from bot.standin import TOKEN, BotApiStandIn, RateLimits
from storage.db import make_engine
from storage.tables import Reminder, Runner

POST_RUN = SEVEN + dt.timedelta(minutes=20)
TICK = 5.0  # REMINDER_DISPATCH_SECONDS
_REMINDER: sa.Table = Reminder.__table__  # type: ignore[attr-defined]
_RUNNER: sa.Table = Runner.__table__  # type: ignore[attr-defined]


class SlotPace(Pace):
    """The pace, noting the moment of each slot it gives (virtual seconds)."""

    slots: list[float]

    async def turn(self) -> None:
        await super().turn()
        self.slots.append(self.clock())


def busiest_second(slots: list[float]) -> int:
    """The most slots in any one second."""
    most, first = 0, 0
    for last, at in enumerate(slots):
        while at - slots[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


class Virtual:
    """Seconds since `origin`, moved by the pace's sleeps and the job ticks only."""

    def __init__(self, origin: dt.datetime) -> None:
        self.origin = origin
        self.t = 0.0

    def now(self) -> dt.datetime:
        return self.origin + dt.timedelta(seconds=self.t)

    def mono(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)
        await asyncio.sleep(0)


@dataclass
class Arrivals:
    """When (virtual seconds from 07:00) each message reached the stand-in, by kind."""

    clock: Virtual
    morning: list[float] = field(default_factory=list)
    post_run: list[float] = field(default_factory=list)
    chats: Counter[tuple[int, bool]] = field(default_factory=Counter)

    def listener(self, event: str, message: dict[str, Any]) -> None:
        if event != "sent":
            return
        at = self.clock.now()
        morning = str(message.get("text", "")).startswith("Good morning")
        (self.morning if morning else self.post_run).append((at - SEVEN).total_seconds())
        self.chats[(message["chat"]["id"], morning)] += 1


async def _post_run_rows(url: str, count: int) -> int:
    """Move `count` of the day's strength reminders to 07:20 (runners with a session that
    day, so there is something to say): the post-run reminders of the figure."""
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            ids = (
                await conn.execute(
                    sa.select(_REMINDER.c.id)
                    .where(_REMINDER.c.kind == "strength", _REMINDER.c.local_date == DAY)
                    .order_by(_REMINDER.c.id)
                    .limit(count)
                )
            ).scalars()
            chosen = list(ids)
            # The seeded runners joined today (the real date), after DAY: the days before
            # joining are not planned, and a strength reminder with no session says nothing.
            # These runners joined on DAY itself.
            owners = sa.select(_REMINDER.c.runner_id).where(_REMINDER.c.id.in_(chosen))
            await conn.execute(
                sa.update(_RUNNER)
                .where(_RUNNER.c.id.in_(owners))
                .values(created_at=dt.datetime.combine(DAY, dt.time(), tzinfo=dt.UTC))
            )
            await conn.execute(
                sa.update(_REMINDER)
                .where(_REMINDER.c.id.in_(chosen))
                .values(status="pending", due_at=POST_RUN, attempts=0, claimed_at=None)
            )
            return len(chosen)
    finally:
        await engine.dispose()


async def _retire_post_run(url: str) -> None:
    """The moved rows are not the other figures' business."""
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                sa.update(_REMINDER)
                .where(_REMINDER.c.kind == "strength", _REMINDER.c.due_at == POST_RUN)
                .values(status="cancelled")
            )
    finally:
        await engine.dispose()


async def run(url: str, *, post_run: int, rate: float = 30.0, early_minutes: int = 30) -> Figure:
    begin = time.perf_counter()
    figure = Figure("1b. The 07:00 burst at the physical bound (issue 19)")
    early = dt.timedelta(minutes=early_minutes)
    clock = Virtual(SEVEN - early - dt.timedelta(minutes=5))
    # Telegram's one a second per chat, on the virtual clock. The 30 a second in all is checked
    # on the pace's slots (`busiest_second`): a send reaches the stand-in a few virtual slots
    # after its own (its claim check runs in the database's thread while the pace moves on).
    limits = RateLimits(total_per_second=10**9, per_chat_per_second=1, clock=clock.mono)
    standin = BotApiStandIn(record_calls=False, keep_transcript=False, rate_limits=limits)
    arrivals = Arrivals(clock)
    standin.add_listener(arrivals.listener)
    settings = Settings(
        database_url=url,
        # Telegram's pace is the virtual one below; 0 keeps PTB's real-time limiter out.
        rate_limit_per_second=0,
        morning_early_minutes=early_minutes,
        flood_max_updates=100_000,
        _env_file=None,  # type: ignore[call-arg]
    )
    app = build_application(settings, token=TOKEN, request=standin, clock=clock.now, migrate=False)
    standin.bind(app)
    rt = app.bot_data["runtime"]
    rt.pace = pace = SlotPace(rate, clock=clock.mono, sleep=clock.sleep)
    pace.slots = []
    rt.sender.pace = rt.pace.reply_turn
    batch = batch_size(rate, Settings(rate_limit_per_second=rate, _env_file=None).in_flight)  # type: ignore[call-arg]
    mornings = await reset_mornings(url)
    posts = await _post_run_rows(url, post_run)
    total = mornings + posts
    await app.initialize()
    cpu = time.perf_counter()
    try:
        horizon = 4 * 3600.0
        next_tick = 0.0
        while len(arrivals.morning) + len(arrivals.post_run) < total and clock.t < horizon:
            clock.t = max(clock.t, next_tick)
            # The batch production uses at this rate (the limiter's real-time pace is off here).
            await dispatch_due(app, drain=lambda: True, limit=batch)
            next_tick = (int(clock.t // TICK) + 1) * TICK
        cpu = time.perf_counter() - cpu
    finally:
        await app.shutdown()
        await shut_down(app)
        await _retire_post_run(url)
    opens = -early.total_seconds()
    before_window = sum(1 for t in arrivals.morning if t < opens) + sum(
        1 for t in arrivals.post_run if t < (POST_RUN - SEVEN).total_seconds()
    )
    lateness = [max(0.0, t) for t in arrivals.morning] + [
        max(0.0, t - 1200.0) for t in arrivals.post_run
    ]
    p50, p99, worst = (percentile(lateness, q) for q in (50, 99, 100))
    paced = rate / PACE_WINDOW  # our pace: 0.5 % under Telegram's, for the network's jitter
    # The post-run reminders' own drain is a bound too (they cannot all leave at 07:20).
    bound = max(0.0, total / rate - early.total_seconds(), posts / rate)
    bound_paced = max(0.0, total / paced - early.total_seconds(), posts / paced)
    bound_mornings = max(0.0, mornings / rate - early.total_seconds())
    post_bound = posts / rate
    post_late = [max(0.0, t - 1200.0) for t in arrivals.post_run]
    on_time = sum(1 for x in post_late if x <= posts / paced + 1.0)
    share = on_time / posts if posts else 1.0
    duplicates = sum(n - 1 for n in arrivals.chats.values() if n > 1)
    sent = len(arrivals.morning) + len(arrivals.post_run)
    early_sent = sum(1 for t in arrivals.morning if t < 0)
    busiest = busiest_second(pace.slots)
    met = (
        worst <= bound * 1.02
        and busiest <= rate
        and share >= 0.99
        and before_window == 0
        and standin.rejected_429 == 0
        and sent == total
    )
    figure.rows.append(
        Row(
            f"1b 07:00 burst ({mornings:,} + {posts:,} post-run at 07:20): max lateness",
            worst / 60,
            bound / 60,
            "min",
            "≤ 1.02 × bound, post-run on time, 0 before their window",
            met,
            ceiling_label=f"the physical bound, N ÷ {rate:g}/s − window; at our pace's "
            f"{paced:.2f}/s {bound_paced / 60:.1f} min",
            notes=f"p50 {p50 / 60:.1f}, p99 {p99 / 60:.1f} min; {before_window} before their "
            f"window; busiest second {busiest}; 429s {standin.rejected_429}",
        )
    )
    figure.rows.append(
        Row(
            "1b 07:20 post-run reminders within their own bound",
            share * 100,
            100.0,
            "%",
            "all (they have the nearest deadlines)",
            share >= 0.99,
            ceiling_label="all of them",
            notes=f"latest {max(post_late, default=0):.0f} s after 07:20 "
            f"(their own bound {post_bound:.0f} s)",
        )
    )
    figure.details.append(
        f"1b: {mornings:,} morning messages due at 07:00 (window from "
        f"{early_minutes} min before, deadline as far after) and {posts:,} post-run strength "
        f"reminders due at 07:20 (window and deadline at 07:20), one dispatcher, pace "
        f"{rate:g}/s (spaced {PACE_WINDOW}/{rate:g} s), batches of {batch}, every send "
        f"through the stand-in on a virtual clock (the dispatcher job every {TICK:g} "
        f"virtual s; {cpu:.0f} s of real time for {sent:,} sends). Sent {sent:,} of "
        f"{total:,}; first at {min(arrivals.morning, default=0) / 60:+.1f} min, last at "
        f"{max(arrivals.morning + arrivals.post_run, default=0) / 60:+.1f} min from 07:00; "
        f"{early_sent:,} morning messages before 07:00 (sent silently, "
        f"tests/bot/test_reminder_windows.py); lateness = sent − due time (0 when early), "
        f"over every message: p50 {p50:.0f} s, p99 {p99:.0f} s, max {worst:.0f} s. Bound: every "
        f"message of the burst shares the slots from 06:30, so the last leaves no sooner than "
        f"{total:,} ÷ {rate:g}/s after it (and the post-run ones no sooner than {posts:,} ÷ "
        f"{rate:g}/s after 07:20): {bound:.0f} s after 07:00 at Telegram's "
        f"{rate:g}/s, {bound_paced:.0f} s at our pace's {paced:.2f}/s (the "
        f"{(PACE_WINDOW - 1) * 100:.1f} % left for the network's jitter); without the "
        f"post-run reminders, "
        f"max(0, {mornings:,} ÷ {rate:g} − {early.total_seconds():.0f} s) = "
        f"{bound_mornings:.0f} s. Post-run reminders: {on_time:,} of {posts:,} within "
        f"their own bound ({posts:,} ÷ {paced:.2f}/s + 1 s) of 07:20; busiest second of the "
        f"pace {busiest} sends (Telegram's limit {rate:g}); 429s for a chat's one a second "
        f"{standin.rejected_429}; duplicates {duplicates}; sent before their window "
        f"{before_window}."
    )
    figure.seconds = time.perf_counter() - begin
    return figure
