"""One factory builds the Application for production, tests, the terminal chat and benchmarks."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import BotCommand, MenuButtonWebApp, WebAppInfo
from telegram.ext import AIORateLimiter, ApplicationBuilder
from telegram.request import BaseRequest

from bot import texts
from bot.coaching import coach_menus_job
from bot.flood import FloodGate
from bot.handlers import register_handlers
from bot.inbox import Inbox
from bot.logs import safe_url
from bot.pace import Pace, PacedFirst
from bot.reminders import schedule_jobs
from bot.runtime import RUNTIME_KEY, App, Clock, Runtime, runtime, utc_now
from bot.sender import ReplySender
from bot.settings import Settings
from bot.turns import RunnerLocks
from bot.webapp.urls import week_app_url
from storage.db import make_engine, make_sessionmaker, upgrade

log = logging.getLogger(__name__)


async def start_up(app: App, *, migrate: bool = True) -> None:
    """Bring the database to the newest schema and tell Telegram our command list (and,
    with PUBLIC_URL, the Mini App's menu button).

    `run_polling`/`run_webhook` call this through `post_init`; the terminal chat and tests,
    which drive an initialised Application directly, call it themselves. It runs once the
    Bot API has answered (`getMe`), so its first log line says the bot is up.
    """
    if migrate:
        url = runtime(app).settings.db_url
        log.info(
            "runcoach connected to the Bot API as @%s, database %s",
            app.bot.username,
            safe_url(url),
        )
        await upgrade(url)
    await app.bot.set_my_commands([BotCommand(name, desc) for name, desc in texts.COMMANDS])
    week_app = week_app_url(runtime(app).settings)
    if week_app is not None:  # the Mini App's "My week" beside the message box
        await app.bot.set_chat_menu_button(
            menu_button=MenuButtonWebApp(texts.WEBAPP_MENU_BUTTON, WebAppInfo(week_app))
        )


async def shut_down(app: App) -> None:
    """Close the database connections (the counterpart of `start_up`), the one holding this
    process's lock included (`ReplySender.start`)."""
    await runtime(app).sender.stop()
    await runtime(app).engine.dispose()


def build_application(
    settings: Settings,
    *,
    token: str,
    request: BaseRequest | None = None,
    clock: Clock = utc_now,
    migrate: bool = True,
) -> App:
    """The Application with every handler registered; `request` swaps the HTTP layer."""
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.file_base_url)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if settings.rate_limit_per_second > 0:
        # max_retries=0: a 429 reaches the reminder dispatcher, which requeues the row and
        # pauses the batch, instead of the limiter pausing the whole bot.
        limiter = AIORateLimiter(
            overall_max_rate=settings.rate_limit_per_second, overall_time_period=1, max_retries=0
        )
        paced = PacedFirst(limiter)
        builder = builder.rate_limiter(paced)
    engine = make_engine(settings.db_url)

    async def post_init(app: App) -> None:
        await start_up(app, migrate=migrate)

    async def post_shutdown(app: App) -> None:
        await shut_down(app)

    app = builder.post_init(post_init).post_shutdown(post_shutdown).build()
    sessions = make_sessionmaker(engine)
    locks = RunnerLocks(sessions, postgres=engine.dialect.name == "postgresql")
    sender = ReplySender(
        app.bot, locks, clock, lease=dt.timedelta(seconds=settings.reply_lease_seconds)
    )
    gate = FloodGate(settings.flood_max_updates)
    pace = Pace(settings.rate_limit_per_second)
    sender.pace = pace.reply_turn  # one pace for replies and reminders
    app.bot_data[RUNTIME_KEY] = Runtime(
        settings, engine, sessions, clock, locks, sender, pace, flood_gate=gate
    )
    runtime(app).inbox = Inbox(app, concurrency=settings.max_concurrent_turns)
    if settings.rate_limit_per_second > 0:
        paced.answered = lambda chat_id: runtime(app).pace.answered(chat_id)

    register_handlers(app)
    if app.job_queue is not None:
        schedule_jobs(app)
        # Coaches see /coach, /roster and /note in their own menu (bot/coaching.py).
        late = {"misfire_grace_time": None, "coalesce": True}  # late, never dropped
        app.job_queue.run_once(coach_menus_job, when=3.0, job_kwargs=late)
    return app
