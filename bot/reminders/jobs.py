"""The reminder jobs: one repeating dispatcher and one hourly horizon job (which also takes
the weekly steps the Sunday summary did not take), nothing per runner.

On PostgreSQL only the process holding an advisory lock dispatches, so two processes keep one
pace under Telegram's limit; a database that cannot be reached is one log line per tick
(docs/architecture.md, "Reminders: the outbox").
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import sqlalchemy as sa
from telegram.ext import ContextTypes

from bot.coaching import queue_digests
from bot.progress import take_missed_steps
from bot.reminders.dispatcher import dispatch_due
from bot.reminders.outbox import extend_horizons
from bot.runtime import App, runtime

log = logging.getLogger(__name__)

HORIZON_EVERY_SECONDS = 3600.0


async def dispatch_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send what is due, batch after batch while batches come back full, so a clustered
    07:00 drains at the limit instead of one batch per tick. A tick that finds the previous
    one still draining leaves it to carry on."""
    app = context.application
    rt = runtime(app)
    lock = rt.dispatch_lock
    if lock.locked():
        return
    async with lock, _database_away("reminder dispatch"), _leading(app) as leader:
        if not leader:
            return  # another process sends reminders now: one pace for Telegram's limit
        report = await dispatch_due(app, drain=lambda: app.running)
        rt.last_dispatch = rt.clock()
        if report.sent or report.expired or report.failed:
            log.info(
                "reminders: %s sent, %s expired, %s deferred, %s failed",
                report.sent,
                report.expired,
                report.deferred,
                report.failed,
            )


# The PostgreSQL advisory lock held by the process that sends reminders.
LEADER_LOCK_KEY = -7_260_001


@contextlib.asynccontextmanager
async def _leading(app: App) -> AsyncIterator[bool]:
    """On PostgreSQL, only one process dispatches at a time, so two processes together keep
    one pace under Telegram's limit; the lock goes with the connection if the process dies.
    SQLite has one process (a second one is refused at start)."""
    rt = runtime(app)
    if not rt.locks.postgres:
        yield True
        return
    async with rt.engine.connect() as connection:
        result = await connection.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK_KEY}
        )
        leader = bool(result.scalar())
        await connection.commit()
        try:
            yield leader
        finally:
            if leader:
                await connection.execute(
                    sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LEADER_LOCK_KEY}
                )
                await connection.commit()


@contextlib.asynccontextmanager
async def _database_away(job: str) -> AsyncIterator[None]:
    """A database that cannot be reached is one line per tick, not a traceback: the next tick
    tries again and loses nothing (every reminder is a row)."""
    try:
        yield
    except (sa.exc.DBAPIError, OSError) as error:
        text = str(getattr(error, "orig", None) or error).strip()
        first = text.splitlines()[0] if text else repr(error)
        log.error("%s: database unreachable, trying again next tick: %s", job, first[:200])


async def horizon_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    async with _database_away("reminder horizon"):
        extended = await extend_horizons(context.application)
        await queue_digests(context.application)  # coaches' Monday digest (bot/coaching.py)
        if extended:
            log.info("reminders extended for %s runners", extended)
    async with _database_away("weekly steps"):
        stepped = await take_missed_steps(context.application)
        if stepped:
            log.info("weekly steps taken for %s weeks the summary did not step", stepped)


def schedule_jobs(app: App) -> None:
    """One repeating dispatcher and one horizon job: nothing per runner."""
    assert app.job_queue is not None
    every = runtime(app).settings.reminder_dispatch_seconds
    # Two instances: a tick during a long drain returns at once instead of being skipped
    # with a warning by the scheduler.
    # APScheduler drops a run that starts more than a second late (its default misfire
    # grace), with a warning: a tick delayed by a busy loop runs late instead, and ticks
    # missed altogether run once.
    late = {"misfire_grace_time": None, "coalesce": True}
    app.job_queue.run_repeating(
        dispatch_job,
        interval=every,
        first=min(1.0, every),
        job_kwargs={"max_instances": 2, **late},
    )
    app.job_queue.run_repeating(
        horizon_job, interval=HORIZON_EVERY_SECONDS, first=5.0, job_kwargs=late
    )
