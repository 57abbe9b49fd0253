"""Figure 1: whole conversations through the real Application and the in-process stand-in.

N runners each type the whole onboarding (the week in one message), then /plan and /today:
12 updates each, interleaved (every runner's first message, then every runner's second...)
so N conversations are open at once. Each update goes through `Application.process_update`
one at a time, as PTB's default update processing does; its handling latency is the time
from the Bot API JSON to the handler's last reply.

Ceiling, in the same run, through the same stand-in and the same JSON: a bare PTB
Application with a two-step ConversationHandler that only replies (no database, no rules).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bench.common import Figure, Row, percentile
from bot.app import build_application, shut_down, start_up
from bot.settings import Settings
from bot.standin import TOKEN, BotApiStandIn
from bot.texts import SOMETHING_WENT_WRONG

WEEK = (
    "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00, Fri rest, Sat long 08:00, "
    "Sun easy 09:00"
)
SCRIPT = (
    "/start",
    "no race",
    WEEK,
    "2",
    "25",
    "after runs",
    "none",
    "Europe/London",
    "none",
    "yes",
    "/plan",
    "/today",
)
NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)  # a Friday morning
FIRST_CHAT = 2_000_000


class Transcript:
    """Counts what the runners were sent, and any "something went wrong"."""

    def __init__(self) -> None:
        self.sent = 0
        self.errors = 0

    def listener(self, event: str, message: dict[str, Any]) -> None:
        if event == "sent":
            self.sent += 1
            if message.get("text") == SOMETHING_WENT_WRONG:
                self.errors += 1


def _updates(standin: BotApiStandIn, runners: int, first_chat: int) -> Iterator[dict[str, Any]]:
    for text in SCRIPT:
        for i in range(runners):
            chat = first_chat + i
            yield standin.text_update_data(chat, text, chat)


async def _drive(
    app: Application[Any, Any, Any, Any, Any, Any],
    standin: BotApiStandIn,
    runners: int,
    first_chat: int,
) -> tuple[float, list[float]]:
    """Every update from JSON to the last reply, one at a time; (seconds, latencies)."""
    bot = app.bot
    latencies: list[float] = []
    started = time.perf_counter()
    for data in _updates(standin, runners, first_chat):
        begin = time.perf_counter()
        await app.process_update(Update.de_json(data, bot))
        latencies.append(time.perf_counter() - begin)
    return time.perf_counter() - started, latencies


# --- ours ---------------------------------------------------------------------------------------


async def ours(url: str, runners: int) -> tuple[float, list[float], Transcript, int]:
    standin = BotApiStandIn(record_calls=False)
    transcript = Transcript()
    standin.add_listener(transcript.listener)
    settings = Settings(
        database_url=url,
        rate_limit_per_second=0,  # the stand-in answers at once; Telegram's limit is figure 2
        _env_file=None,
    )
    app = build_application(settings, token=TOKEN, request=standin, clock=lambda: NOW)
    standin.bind(app)
    await app.initialize()
    await start_up(app, migrate=False)
    try:
        await _drive(app, standin, 1, first_chat=FIRST_CHAT - 1)  # warm-up: one runner
        seconds, latencies = await _drive(app, standin, runners, first_chat=FIRST_CHAT)
        onboarded = await _onboarded(app)
    finally:
        await app.shutdown()
        await shut_down(app)
    return seconds, latencies, transcript, onboarded


async def _onboarded(app: Any) -> int:
    import sqlalchemy as sa

    from bot.runtime import runtime
    from storage.tables import Runner

    async with runtime(app).sessions() as db:
        result = await db.exec(  # type: ignore[call-overload]
            sa.select(sa.func.count()).select_from(Runner).where(Runner.onboarded)  # type: ignore[arg-type]
        )
        return int(result.scalar_one()) - 1  # the warm-up runner


# --- the ceiling ------------------------------------------------------------------------------

ASKING, CHECKING = range(2)


async def _entry(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "What is your goal?")
    return ASKING


async def _asking(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "Got it. And then?")
    return CHECKING


async def _checking(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "Noted. Next question?")
    return ASKING


async def _reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "Here it is.")


async def ceiling(runners: int) -> tuple[float, list[float], Transcript]:
    standin = BotApiStandIn(record_calls=False)
    transcript = Transcript()
    standin.add_listener(transcript.listener)
    app = ApplicationBuilder().token(TOKEN).request(standin).get_updates_request(standin).build()
    text = filters.TEXT & ~filters.COMMAND
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", _entry)],
            states={
                ASKING: [MessageHandler(text, _asking)],
                CHECKING: [MessageHandler(text, _checking)],
            },
            fallbacks=[],
        )
    )
    app.add_handler(CommandHandler(["plan", "today"], _reply))
    standin.bind(app)
    await app.initialize()
    try:
        await _drive(app, standin, 1, first_chat=FIRST_CHAT - 1)
        seconds, latencies = await _drive(app, standin, runners, first_chat=FIRST_CHAT)
    finally:
        await app.shutdown()
    return seconds, latencies, transcript


# --- the figure -------------------------------------------------------------------------------


def _ms(seconds: float) -> float:
    return seconds * 1000


async def run(urls: list[tuple[str, str]], runners: int) -> Figure:
    """`urls`: (label, database URL) pairs; SQLite, and PostgreSQL when asked for."""
    figure = Figure(f"1. Conversations ({runners:,} runners × {len(SCRIPT)} updates)")
    started = time.perf_counter()
    c_seconds, c_latencies, _ = await ceiling(runners)
    c_rate = len(c_latencies) / c_seconds
    c_p50, c_p99 = percentile(c_latencies, 50), percentile(c_latencies, 99)
    figure.details.append(
        f"1 ceiling: bare PTB ConversationHandler, {len(c_latencies):,} updates in "
        f"{c_seconds:.1f} s; p50 {_ms(c_p50):.2f} ms, p99 {_ms(c_p99):.2f} ms."
    )
    for label, url in urls:
        seconds, latencies, transcript, onboarded = await ours(url, runners)
        rate = len(latencies) / seconds
        p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
        worst = max(latencies)
        figure.rows.append(
            Row(
                f"1 Conversations, {label}: throughput",
                rate,
                c_rate,
                "upd/s",
                "≥ 0.5 × ceiling",
                rate >= 0.5 * c_rate and transcript.errors == 0 and onboarded == runners,
                ceiling_label="bare PTB ConversationHandler",
            )
        )
        figure.rows.append(
            Row(
                f"1 Conversations, {label}: p99 latency",
                _ms(p99),
                _ms(c_p99),
                "ms",
                "≤ 20 ms",
                p99 <= 0.020,
                ceiling_label="bare PTB ConversationHandler",
                notes=f"p50 {_ms(p50):.2f} ms (ceiling {_ms(c_p50):.2f} ms)",
            )
        )
        by_step = []
        for step, text in enumerate(SCRIPT):
            chunk = latencies[step * runners : (step + 1) * runners]
            name = text if len(text) < 14 else text[:11] + "..."
            p50_step, p99_step = _ms(percentile(chunk, 50)), _ms(percentile(chunk, 99))
            by_step.append(f"{name} {p50_step:.1f}/{p99_step:.1f}")
        figure.details.append(
            f"1 {label}: {len(latencies):,} updates in {seconds:.1f} s; p50 {_ms(p50):.2f} ms, "
            f"p99 {_ms(p99):.2f} ms, max {_ms(worst):.1f} ms; {onboarded:,} of {runners:,} "
            f"runners set up; {transcript.sent:,} replies, {transcript.errors} errors. "
            f"p50/p99 ms by step: {'; '.join(by_step)}."
        )
    figure.seconds = time.perf_counter() - started
    return figure
