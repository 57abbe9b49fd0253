"""Figures 5 and 6: runners talking to the bot at Telegram's pace, through the inbox.

The stand-in answers every call in 100 ms there and back, as Telegram does, and counts
Telegram's limits (30 sends a second in all, 1 a second per chat) when a call arrives; the
Application runs as in production (`rate_limit_per_second=30`, the job queue and the inbox's
sweep started). Every update goes in as the webhook takes it, `inbox.accept(...)`, and is
handled by the inbox worker; a reply counts when the stand-in receives it, which is when the
runner sees it.

Runners are *seats*: a seat types the next message of the script (`SCRIPT`: the whole setup,
then /plan and /today) once its previous message is answered and its next turn has come
(every `period` seconds on average, jittered); a seat that finished the script is taken by a
new runner, who starts with /start. Latency is from `accept` (the update arriving) to the
last reply of that turn reaching the runner.

5. Conversations at Telegram's pace.
   (a) Backlog: `runners` (2,000) new runners all start within the same minute, far more
       than 30 replies a second can serve: the figure is the replies a second sustained over
       a window once the backlog has formed (and how long a runner waits then).
   (b) Just below the limit: seats whose offered load is `offered` replies a second (25, of
       Telegram's 30), their runners spread over every step of the script (each seat's first
       runner was brought to its step beforehand, limiter off): p50/p99 latency.
6. Replies during a 07:00 burst: the 100,000 seeded runners' morning messages all due, the
   dispatcher draining them as in figure 2b, while a few seats talk (3 updates a second):
   reply latency, and the burst's drain rate against what the pace leaves after the replies.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from bench.common import Figure, Row, percentile
from bench.conversations import NOW, SCRIPT
from bench.dispatch import reset_mornings, status_counts
from bench.seed import FIRST_USER_ID, SEVEN
from bot.app import build_application, shut_down, start_up
from bot.inbox import Inbox
from bot.pace import PACE_WINDOW
from bot.runtime import runtime
from bot.settings import Settings
from bot.standin import TOKEN, BotApiStandIn, RateLimits
from bot.texts import SOMETHING_WENT_WRONG
from storage.db import make_engine
from storage.tables import Runner

App = Any
_RUNNER: sa.Table = Runner.__table__  # type: ignore[attr-defined]
RATE = 30  # Telegram's limit, and `rate_limit_per_second`
READING = 0.5  # a runner reads the answer before the next message, at the least
FIRST_CHAT = 3_000_000  # new runners; the seeded ones are 1,000,000 + i


@dataclass
class Sent:
    at: float
    chat: int


class Limits(RateLimits):
    """Telegram's limits, counting which one each 429 was for."""

    __slots__ = ("over_chat", "over_total")

    def __init__(self) -> None:
        super().__init__(total_per_second=RATE, per_chat_per_second=1)
        self.over_chat = 0
        self.over_total = 0

    def admit(self, chat_id: int, at: float | None = None) -> int:
        now = self.clock() if at is None else at
        recent = [t for t in self._per_chat.get(chat_id, ()) if now - t < 1.0]
        wait = super().admit(chat_id, at)
        if wait:
            if len(recent) >= self.per_chat_per_second:
                self.over_chat += 1
            else:
                self.over_total += 1
        return wait


class Watcher:
    """What the runners received, as the stand-in delivered it; wakes a seat once its
    turn's replies are all in."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.count: dict[int, int] = {}
        self.errors = 0
        self._waiting: dict[int, tuple[int, asyncio.Future[float]]] = {}
        self.marked: Callable[[int], bool] = lambda chat: False
        self.first_marked = asyncio.Event()  # the first send to a chat `marked` picks

    def listener(self, event: str, message: dict[str, Any]) -> None:
        if event != "sent":
            return
        now = time.monotonic()
        chat = int(message["chat"]["id"])
        self.sent.append(Sent(now, chat))
        n = self.count[chat] = self.count.get(chat, 0) + 1
        if message.get("text") == SOMETHING_WENT_WRONG:
            self.errors += 1
        if self.marked(chat):
            self.first_marked.set()
        waiting = self._waiting.get(chat)
        if waiting is not None and n >= waiting[0] and not waiting[1].done():
            waiting[1].set_result(now)

    async def until(self, chat: int, count: int) -> float:
        """When chat `chat` had received `count` messages (waits for it)."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[chat] = (count, future)
        try:
            if self.count.get(chat, 0) >= count:
                return time.monotonic()
            return await future
        finally:
            self._waiting.pop(chat, None)

    def between(self, start: float, end: float, chats: Callable[[int], bool]) -> int:
        return sum(1 for s in self.sent if start <= s.at < end and chats(s.chat))


@dataclass
class Turn:
    step: int
    accepted: float  # monotonic, when the update was handed to the inbox
    answered: float  # when its last reply reached the runner

    @property
    def latency(self) -> float:
        return self.answered - self.accepted


@dataclass
class Seats:
    """Runners typing the script, each message once the previous one is answered."""

    inbox: Inbox
    standin: BotApiStandIn
    watcher: Watcher
    counts: list[int]  # replies each step of the script gets
    next_chat: Callable[[], int]
    period: float  # seconds between one seat's messages, on average
    start_spread: float  # the seats' first messages, spread over this long
    stop_at: float  # monotonic: no message is typed after this
    rng: random.Random
    turns: list[Turn] = field(default_factory=list)
    typed: int = 0

    async def seat(self, origin: float, chat: int, step: int) -> None:
        due = origin + self.rng.uniform(0, self.start_spread)
        n = len(SCRIPT)
        while True:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            if time.monotonic() >= self.stop_at:
                return
            data = self.standin.text_update_data(chat, SCRIPT[step], chat)
            need = self.watcher.count.get(chat, 0) + self.counts[step]
            accepted = time.monotonic()
            self.typed += 1
            await self.inbox.accept(data)
            answered = await self.watcher.until(chat, need)
            self.turns.append(Turn(step, accepted, answered))
            step += 1
            if step == n:
                chat, step = self.next_chat(), 0
            due = max(due + self.rng.uniform(0.5, 1.5) * self.period, time.monotonic() + READING)


def _settings(url: str, rate: float) -> Settings:
    return Settings(
        database_url=url,
        rate_limit_per_second=rate,
        flood_max_updates=100_000,
        _env_file=None,
    )


def _realtime(start_at: dt.datetime) -> Callable[[], dt.datetime]:
    origin = time.monotonic()

    def clock() -> dt.datetime:
        return start_at + dt.timedelta(seconds=time.monotonic() - origin)

    return clock


def _inbox(app: App) -> Inbox:
    inbox = runtime(app).inbox
    assert inbox is not None
    return inbox


def _quiet() -> None:
    # A 429 is logged with a traceback by PTB and as a warning by the sender; the stand-in
    # counts them instead.
    for name in ("telegram.ext.AIORateLimiter", "bot.turns", "bot.inbox", "bot.handlers"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


async def free_chats(url: str) -> int:
    """The first chat id above every runner the database holds: the seats' runners must be
    new (a runner already set up answers /start differently)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            result = await conn.execute(sa.select(sa.func.max(_RUNNER.c.telegram_user_id)))
            highest = result.scalar()
    finally:
        await engine.dispose()
    return max(FIRST_CHAT, int(highest or 0) + 1)


async def prepare(
    url: str,
    standin: BotApiStandIn,
    starts: list[tuple[int, int]],
    start_at: dt.datetime,
    warm: int,
) -> list[int]:
    """Limiter off and answers at once: learn how many replies each step gets (a warm-up
    runner in chat `warm`), and bring each (chat, step) runner up to its step. Returns the
    counts."""
    latency, limits = standin.latency, standin.rate_limits
    standin.latency, standin.rate_limits = 0.0, None
    counter = Watcher()
    standin.add_listener(counter.listener)
    app = build_application(
        _settings(url, 0), token=TOKEN, request=standin, clock=lambda: start_at, migrate=False
    )
    standin.bind(app)
    await app.initialize()
    await start_up(app, migrate=False)
    inbox = _inbox(app)
    counts: list[int] = []
    try:
        for text in SCRIPT:
            before = counter.count.get(warm, 0)
            await inbox.accept(standin.text_update_data(warm, text, warm))
            await inbox.idle()
            counts.append(counter.count.get(warm, 0) - before)
        for k in range(len(SCRIPT)):
            batch = [
                standin.text_update_data(chat, SCRIPT[k], chat)
                for chat, step in starts
                if step > k
            ]
            if batch:
                await inbox.accept_many(batch)
                await inbox.idle()
    finally:
        await app.shutdown()
        await shut_down(app)
        standin._listeners.remove(counter.listener)
        standin.latency, standin.rate_limits = latency, limits
    return counts


@dataclass
class Run:
    """One measured run: the seats' turns and what the stand-in delivered."""

    turns: list[Turn]
    watcher: Watcher
    rejected_429: int
    window: tuple[float, float]
    typed: int
    origin: float
    extra: dict[str, Any] = field(default_factory=dict)

    def in_window(self) -> list[Turn]:
        start, end = self.window
        return [t for t in self.turns if start <= t.accepted < end]

    def replies_per_second(self, chats: Callable[[int], bool] = lambda c: True) -> float:
        start, end = self.window
        return self.watcher.between(start, end, chats) / (end - start)


async def talk(
    app: App,
    standin: BotApiStandIn,
    watcher: Watcher,
    counts: list[int],
    starts: list[tuple[int, int]],
    *,
    period: float,
    start_spread: float,
    window: tuple[float, float],
    grace: float,
    seed: int,
    first_new_chat: int,
) -> tuple[Seats, float]:
    """Run the seats on a started Application: messages are typed until the window ends
    (seconds after the start), then the turns under way get `grace` seconds to be answered.
    Returns the seats and the monotonic origin."""
    chats = iter(range(first_new_chat, first_new_chat + 10_000_000))
    origin = time.monotonic()
    seats = Seats(
        inbox=_inbox(app),
        standin=standin,
        watcher=watcher,
        counts=counts,
        next_chat=lambda: next(chats),
        period=period,
        start_spread=start_spread,
        stop_at=origin + window[1],
        rng=random.Random(seed),
    )
    tasks = [asyncio.ensure_future(seats.seat(origin, chat, step)) for chat, step in starts]
    await asyncio.wait(tasks, timeout=window[1] + grace)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return seats, origin


async def stop(app: App) -> None:
    """Stop the Application, dropping turns still waiting (a backlog would take minutes)."""
    inbox = _inbox(app)
    drains = list(inbox._drains.values())  # the bench ends a backlog: nothing else does
    for task in drains:
        task.cancel()
    await asyncio.gather(*drains, return_exceptions=True)
    await inbox.stop()
    await app.stop()


PERIOD = 9.0  # seconds between one seat's messages, on average (figure 5)


async def _measured(
    url: str,
    standin: BotApiStandIn,
    counts: list[int],
    starts: list[tuple[int, int]],
    *,
    period: float,
    start_spread: float,
    window: tuple[float, float],
    grace: float,
    seed: int,
    first_new_chat: int,
) -> Run:
    """One run of figure 5 on a fresh Application, started as in production."""
    watcher = Watcher()
    standin.add_listener(watcher.listener)
    standin.rejected_429 = 0
    limits = standin.rate_limits
    assert isinstance(limits, Limits)
    limits.over_chat = limits.over_total = 0
    app = build_application(
        _settings(url, RATE), token=TOKEN, request=standin, clock=_realtime(NOW), migrate=False
    )
    standin.bind(app)
    await app.initialize()
    await start_up(app, migrate=False)
    try:
        await app.start()
        await _inbox(app).start()
        seats, origin = await talk(
            app,
            standin,
            watcher,
            counts,
            starts,
            period=period,
            start_spread=start_spread,
            window=window,
            grace=grace,
            seed=seed,
            first_new_chat=first_new_chat,
        )
        await stop(app)
    finally:
        await app.shutdown()
        await shut_down(app)
        standin._listeners.remove(watcher.listener)
    return Run(
        turns=seats.turns,
        watcher=watcher,
        rejected_429=standin.rejected_429,
        window=(origin + window[0], origin + window[1]),
        typed=seats.typed,
        origin=origin,
        extra={
            "seats": len(starts),
            "over_chat": limits.over_chat,
            "over_total": limits.over_total,
        },
    )


async def conversations(
    url: str,
    *,
    runners: int,
    latency: float,
    backlog_spread: float,
    backlog_window: float,
    offered: float,
    window: float,
    period: float,
) -> tuple[Run, Run, list[int]]:
    """Figure 5's two runs on one database: (a) the backlog, (b) just below the limit.
    (b) runs first: the backlog leaves updates unhandled when it is stopped."""
    _quiet()
    n = len(SCRIPT)
    standin = BotApiStandIn(
        record_calls=False, keep_transcript=False, rate_limits=Limits(), latency=latency
    )
    base = await free_chats(url)
    counts = await prepare(url, standin, [], NOW, warm=base)
    # (b)'s seats: as many as offer `offered` replies a second at one message every
    # `period` seconds each, their first runners brought to every step of the script.
    seats = max(1, round(offered / (sum(counts) / n) * period))
    starts_b = [(base + 1 + i, i % n) for i in range(seats)]
    await prepare(url, standin, starts_b, NOW, warm=base + 1 + seats)
    below = await _measured(
        url,
        standin,
        counts,
        starts_b,
        period=period,
        start_spread=period,
        window=(period, period + window),
        grace=10.0,
        seed=6,
        first_new_chat=base + 2_000_000,
    )
    first = base + 1_000_000
    settle = min(10.0, backlog_spread / 4)  # the queue forms in the first seconds
    backlog = await _measured(
        url,
        standin,
        counts,
        [(first + i, 0) for i in range(runners)],
        period=period,
        start_spread=backlog_spread,
        window=(settle, settle + backlog_window),
        grace=0.0,
        seed=5,
        first_new_chat=first + runners,
    )
    return backlog, below, counts


def _by_step(turns: list[Turn]) -> str:
    parts = []
    for step, text in enumerate(SCRIPT):
        mine = [t.latency for t in turns if t.step == step]
        if not mine:
            continue
        name = text if len(text) < 14 else text[:11] + "..."
        parts.append(f"{name} {percentile(mine, 50):.2f}/{percentile(mine, 99):.2f}")
    return "; ".join(parts)


def _limits(run: Run) -> str:
    return (
        f"429s {run.rejected_429} ({run.extra['over_total']} over the 30/s, "
        f"{run.extra['over_chat']} over a chat's 1/s), errors {run.watcher.errors}"
    )


async def figure5(
    urls: list[tuple[str, str]],
    *,
    runners: int,
    latency: float,
    backlog_spread: float = 60.0,
    backlog_window: float = 30.0,
    offered: float = 25.0,
    window: float = 30.0,
    period: float = PERIOD,
) -> Figure:
    figure = Figure(f"5. Conversations at Telegram's pace ({runners:,} runners)")
    started = time.perf_counter()
    ms = f"{latency * 1000:.0f} ms"
    for label, url in urls:
        backlog, below, counts = await conversations(
            url,
            runners=runners,
            latency=latency,
            backlog_spread=backlog_spread,
            backlog_window=backlog_window,
            offered=offered,
            window=window,
            period=period,
        )
        # (a) the rate sustained with a backlog
        rate = backlog.replies_per_second()
        start, end = backlog.window
        waited = [t.latency for t in backlog.turns if start <= t.answered < end]
        clean_a = backlog.rejected_429 == 0 and backlog.watcher.errors == 0
        figure.rows.append(
            Row(
                f"5a Conversations, {label}, backlog: replies sustained",
                rate,
                float(RATE),
                "replies/s",
                "≥ 28 replies/s, 0 × 429, 0 errors",
                rate >= 28 and clean_a,
                ceiling_label="Telegram's limit",
                notes=f"429s: {backlog.rejected_429}, errors: {backlog.watcher.errors}",
            )
        )
        # (b) latency just below the limit
        turns = below.in_window()
        lat = [t.latency for t in turns]
        one = [t.latency for t in turns if counts[t.step] == 1]
        p50, p99 = percentile(lat, 50), percentile(lat, 99)
        b_rate = below.replies_per_second()
        clean_b = below.rejected_429 == 0 and below.watcher.errors == 0
        figure.rows.append(
            Row(
                f"5b Conversations, {label}, {offered:.0f} replies/s offered: p99 arrival to last "
                "reply",
                p99,
                1.0,
                "s",
                "≤ 1 s, 0 × 429, 0 errors",
                p99 <= 1.0 and clean_b,
                ceiling_label="the goal",
                ratio=None,
                notes=(
                    f"p50 {p50:.2f} s; 429s: {below.rejected_429}, errors: {below.watcher.errors}"
                ),
            )
        )
        figure.rows.append(
            Row(
                f"5b Conversations, {label}, {offered:.0f} replies/s offered: p99, one-message "
                "turns",
                percentile(one, 99),
                1.0,
                "s",
                "— (the turns a chat's 1/s does not hold back)",
                None,
                ceiling_label="the goal",
                ratio=None,
                notes=f"p50 {percentile(one, 50):.2f} s; {len(one)} of {len(turns)} turns",
            )
        )
        figure.details.append(
            f"5a {label}: {runners:,} new runners, their /start spread over "
            f"{backlog_spread:.0f} s, each next message once answered (+{READING} s) and "
            f"about every {period:.0f} s; stand-in {ms} per call; "
            f"{backlog.watcher.between(start, end, lambda c: True):,} replies in the "
            f"{end - start:.0f} s window from {start - backlog.origin:.0f} s ({rate:.1f}/s; "
            f"the pace allows {RATE / PACE_WINDOW:.1f}/s); {backlog.typed:,} messages typed, "
            f"{len(backlog.turns):,} answered by the end; turns answered in the window "
            f"waited p50 {percentile(waited, 50):.1f} s, p99 {percentile(waited, 99):.1f} s "
            f"(a queue: more is offered than 30/s can serve); {_limits(backlog)}."
        )
        figure.details.append(
            f"5b {label}: {below.extra['seats']} seats, one message about every "
            f"{period:.0f} s each (replies per step {counts}: "
            f"{sum(counts) / len(counts):.2f} per update), their first runners brought to "
            f"every step beforehand; {len(turns):,} messages typed in the "
            f"{window:.0f} s window, {b_rate:.1f} replies/s sent; p50 {p50:.2f} s, p99 "
            f"{p99:.2f} s, max {max(lat, default=float('nan')):.2f} s; p50/p99 s by step: "
            f"{_by_step(turns)}; {_limits(below)}."
        )
    figure.seconds = time.perf_counter() - started
    return figure


# --- figure 6: replies during the 07:00 burst ------------------------------------------------


def _seeded(chat: int) -> bool:
    return FIRST_USER_ID <= chat < FIRST_CHAT


async def burst(
    url: str, *, latency: float, seconds: float, talkers: float, period: float = 10.0
) -> Figure:
    """The clustered 07:00 drains while seats talk, `talkers` updates a second in all; the
    window (`seconds`) opens once every seat has typed its first message."""
    _quiet()
    figure = Figure("6. Replies during a 07:00 burst")
    started = time.perf_counter()
    n = len(SCRIPT)
    standin = BotApiStandIn(
        record_calls=False, keep_transcript=False, rate_limits=Limits(), latency=latency
    )
    seats_n = max(1, round(talkers * period))
    base = await free_chats(url)
    starts = [(base + 1 + i, i % n) for i in range(seats_n)]
    start_at = SEVEN + dt.timedelta(seconds=5)
    counts = await prepare(url, standin, starts, start_at, warm=base)
    due = await reset_mornings(url)
    watcher = Watcher()
    watcher.marked = _seeded
    standin.add_listener(watcher.listener)
    standin.rejected_429 = 0
    app = build_application(
        _settings(url, RATE),
        token=TOKEN,
        request=standin,
        clock=_realtime(start_at),
        migrate=False,
    )
    standin.bind(app)
    await app.initialize()
    try:
        begin = time.monotonic()
        await app.start()  # the job queue: the dispatcher runs as in production
        await _inbox(app).start()
        await asyncio.wait_for(watcher.first_marked.wait(), timeout=30)
        first = time.monotonic() - begin
        # The seats start once the burst is under way.
        seats, origin = await talk(
            app,
            standin,
            watcher,
            counts,
            starts,
            period=period,
            start_spread=period,
            window=(period, period + seconds),
            grace=10.0,
            seed=7,
            first_new_chat=base + 1_000_000,
        )
        await stop(app)
    finally:
        await app.shutdown()
        await shut_down(app)
    stored = await status_counts(url)
    window = (origin + period, origin + period + seconds)
    reminders = watcher.between(*window, _seeded) / seconds
    replies = watcher.between(*window, lambda c: not _seeded(c)) / seconds
    left = RATE - replies
    drain_ratio = reminders / left if left > 0 else float("nan")
    turns = [t for t in seats.turns if window[0] <= t.accepted < window[1]]
    lat = [t.latency for t in turns]
    p50, p99 = percentile(lat, 50), percentile(lat, 99)
    one = [t.latency for t in turns if counts[t.step] == 1]
    limits = standin.rate_limits
    assert isinstance(limits, Limits)
    rejected = standin.rejected_429
    figure.rows.append(
        Row(
            "6 Replies during a 07:00 burst: p99 arrival to last reply",
            p99,
            2.0,
            "s",
            "≤ 2 s, 0 × 429, 0 errors",
            p99 <= 2.0 and rejected == 0 and watcher.errors == 0,
            ceiling_label="the goal",
            ratio=None,
            notes=f"p50 {p50:.2f} s; {replies:.1f} replies/s; 429s: {rejected}",
        )
    )
    figure.rows.append(
        Row(
            "6 The burst's drain beside the replies",
            reminders,
            left,
            "msg/s",
            "≥ 0.95 × (30/s − replies), 0 × 429",
            drain_ratio >= 0.95 and rejected == 0,
            ceiling_label="30/s minus the replies",
            ratio=drain_ratio,
            notes=f"{reminders + replies:.1f}/s in all",
        )
    )
    figure.details.append(
        f"6: {due:,} morning messages due at 07:00, dispatched by the job queue as in 2b "
        f"(first one {first:.1f} s after the start); stand-in {latency * 1000:.0f} ms per "
        f"call; {seats_n} seats talking, one message about every {period:.0f} s each "
        f"({seats_n / period:.1f} updates/s offered, spread over every step of the script); "
        f"in the {seconds:.0f} s window: {reminders:.1f} reminders/s and {replies:.1f} "
        f"replies/s ({reminders + replies:.1f}/s in all; the pace allows "
        f"{RATE / PACE_WINDOW:.1f}, so {(RATE / PACE_WINDOW - replies) / left:.3f} × "
        f"(30 − replies) at most); {len(turns)} turns, p50 {p50:.2f} s, p99 {p99:.2f} s, max "
        f"{max(lat, default=float('nan')):.2f} s (one-message turns: p50 "
        f"{percentile(one, 50):.2f} s, p99 {percentile(one, 99):.2f} s); p50/p99 s by step: "
        f"{_by_step(turns)}; 429s {rejected} ({limits.over_total} over the 30/s, "
        f"{limits.over_chat} over a chat's 1/s), errors {watcher.errors}; rows marked sent "
        f"{stored['sent']:,}."
    )
    figure.seconds = time.perf_counter() - started
    return figure
