"""Reminders: the outbox is rebuilt from the plan, and one repeating job sends what is due.

The database is the source of truth (architecture.md): a `reminder` row per message, claimed
in batches, sent, and marked. Nothing about reminders lives in the scheduler, so start-up cost
does not grow with runners and a restart or a second instance loses and doubles nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot import texts
from bot.app import runtime_of
from bot.plans import plan_for, reminder_settings
from bot.render import TELEGRAM_LIMIT, run_label, session_lines
from core.planner import week_start_of
from core.reminders import ReminderKind, is_stale, reminders_for, strength_due
from storage import repo
from storage.tables import Reminder, Runner

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

HORIZON_DAYS = 14
BATCH = 200
MAX_ATTEMPTS = 6
HORIZON_EVERY_SECONDS = 3600.0


# --- building the outbox ---------------------------------------------------------------------


def is_paused(runner: Runner, today: dt.date) -> bool:
    if runner.pause_reason is None:
        return False
    return runner.paused_until is None or today <= runner.paused_until


async def rebuild_reminders(db: AsyncSession, *, runner: Runner, now: dt.datetime) -> int:
    """Write the runner's reminders for the next two weeks; old pending ones are cancelled."""
    assert runner.id is not None
    today = now.astimezone(ZoneInfo(runner.time_zone)).date()
    until = today + dt.timedelta(days=HORIZON_DAYS - 1)
    specs = []
    if runner.onboarded and runner.active:
        first = week_start_of(today - dt.timedelta(days=1))
        weeks = (week_start_of(until) - first).days // 7 + 1
        plans = [plan_for(runner, first + dt.timedelta(weeks=i)) for i in range(weeks)]
        specs = reminders_for(plans, reminder_settings(runner), after=now, until=until)
        if runner.pause_reason is not None:
            specs = [s for s in specs if not is_paused(runner, s.local_date)]
    await repo.replace_reminders(db, runner_id=runner.id, specs=specs, now=now)
    runner.reminders_until = until
    db.add(runner)
    return len(specs)


async def extend_horizons(app: App, *, now: dt.datetime | None = None) -> int:
    """Top up runners whose reminders end within a week (the daily horizon job)."""
    rt = runtime_of(app)
    now = now or rt.clock()
    done = 0
    while True:
        async with rt.sessions() as db, db.begin():
            through = (now + dt.timedelta(days=7)).date()
            runners = await repo.runners_needing_reminders(db, through=through, limit=200)
            for runner in runners:
                await rebuild_reminders(db, runner=runner, now=now)
        done += len(runners)
        if len(runners) < 200:
            return done


# --- sending ---------------------------------------------------------------------------------


@dataclass
class DispatchReport:
    """What one dispatcher pass did, by outcome."""

    sent: int = 0
    expired: int = 0
    deferred: int = 0
    cancelled: int = 0
    unknown: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


async def dispatch_due(
    app: App, *, now: dt.datetime | None = None, limit: int = BATCH
) -> DispatchReport:
    """Claim what is due and send it; each row ends sent, expired, deferred or failed."""
    rt = runtime_of(app)
    now = now or rt.clock()
    grace = dt.timedelta(minutes=rt.settings.reminder_grace_minutes)
    report = DispatchReport()
    async with rt.sessions() as db, db.begin():
        lease = dt.timedelta(seconds=rt.settings.reminder_lease_seconds)
        rows = await repo.claim_due_reminders(db, now=now, limit=limit, lease=lease)
        runners = await repo.runners_by_id(db, ids={r.runner_id for r in rows})
    busy_chats: set[int] = set()
    pause_until: dt.datetime | None = None
    for row in rows:
        assert row.id is not None
        runner = runners.get(row.runner_id)
        if pause_until is not None:  # Telegram said slow down: the rest waits
            await _finish(app, row, repo.PENDING, now, retry_at=pause_until)
            report.deferred += 1
            continue
        if runner is None or not runner.active:
            await _finish(app, row, repo.CANCELLED, now, error="runner gone or inactive")
            report.cancelled += 1
            continue
        today = now.astimezone(ZoneInfo(runner.time_zone)).date()
        if is_paused(runner, today) and row.kind != ReminderKind.PAIN.value:
            await _finish(app, row, repo.CANCELLED, now, error="paused")
            report.cancelled += 1
            continue
        if is_stale(ReminderKind(row.kind), row.due_at, now, grace):
            log.info("reminder %s for runner %s expired: due %s", row.id, runner.id, row.due_at)
            await _finish(app, row, repo.EXPIRED, now)
            report.expired += 1
            continue
        if runner.chat_id in busy_chats:  # about one message a second per chat
            await _finish(app, row, repo.PENDING, now, retry_at=now + dt.timedelta(seconds=1))
            report.deferred += 1
            continue
        message = await compose(app, row, runner)
        if message is None:  # nothing left to say (the session moved away)
            await _finish(app, row, repo.CANCELLED, now, error="nothing to send")
            report.cancelled += 1
            continue
        busy_chats.add(runner.chat_id)
        pause_until = await _send(app, row, runner, message, now, report)
    return report


async def _send(
    app: App,
    row: Reminder,
    runner: Runner,
    message: tuple[str, InlineKeyboardMarkup | None],
    now: dt.datetime,
    report: DispatchReport,
) -> dt.datetime | None:
    """Send one row and record the outcome; returns a time to pause sending until, if any."""
    text, markup = message
    try:
        await app.bot.send_message(runner.chat_id, text, reply_markup=markup)
    except RetryAfter as error:
        wait = error.retry_after
        seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
        until = now + dt.timedelta(seconds=seconds)
        await _finish(app, row, repo.PENDING, now, retry_at=until, error="429")
        report.deferred += 1
        return until
    except Forbidden as error:
        log.info("runner %s blocked the bot: %s", runner.id, error)
        await _runner_blocked(app, runner)
        await _finish(app, row, repo.CANCELLED, now, error="forbidden")
        report.cancelled += 1
    except ChatMigrated as error:
        await _chat_moved(app, runner, error.new_chat_id)
        await _finish(app, row, repo.PENDING, now, error="chat migrated")
        report.deferred += 1
    except TimedOut as error:
        if _maybe_delivered(error):
            # The request left; Telegram may have shown it. A doubled reminder costs more
            # trust than a missed one, so it is not sent again.
            await _finish(app, row, repo.UNKNOWN, now, error="timed out after sending")
            report.unknown += 1
        else:
            report.deferred += 1
            await _finish_retry(app, row, now, "connect timeout")
    except NetworkError as error:
        report.deferred += 1
        await _finish_retry(app, row, now, str(error)[:200])
    except Exception as error:  # one runner's failure never stops the others
        log.exception("reminder %s for runner %s failed", row.id, runner.id)
        report.errors.append(f"{row.id}: {error!r}")
        await _finish(app, row, repo.FAILED, now, error=repr(error)[:200])
        report.failed += 1
    else:
        await _finish(app, row, repo.SENT, now)
        report.sent += 1
    return None


def _maybe_delivered(error: TimedOut) -> bool:
    """A read or write timeout means the request may have reached Telegram."""
    cause = error.__cause__
    return not isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout | httpx.ConnectError)


async def _finish_retry(app: App, row: Reminder, now: dt.datetime, error: str) -> None:
    if row.attempts >= MAX_ATTEMPTS:
        await _finish(app, row, repo.FAILED, now, error=error)
        return
    backoff = dt.timedelta(seconds=5 * 2 ** (row.attempts - 1))
    await _finish(app, row, repo.PENDING, now, retry_at=now + backoff, error=error)


async def _finish(
    app: App,
    row: Reminder,
    status: str,
    now: dt.datetime,
    *,
    error: str | None = None,
    retry_at: dt.datetime | None = None,
) -> None:
    assert row.id is not None
    async with runtime_of(app).sessions() as db, db.begin():
        await repo.finish_reminder(
            db, reminder_id=row.id, status=status, now=now, error=error, retry_at=retry_at
        )


async def _runner_blocked(app: App, runner: Runner) -> None:
    assert runner.id is not None
    async with runtime_of(app).sessions() as db, db.begin():
        stored = await repo.get_runner_by_id(db, runner_id=runner.id)
        if stored is not None:
            stored.active = False
            db.add(stored)
        await repo.cancel_pending_reminders(db, runner_id=runner.id)
    runner.active = False


async def _chat_moved(app: App, runner: Runner, new_chat_id: int) -> None:
    assert runner.id is not None
    async with runtime_of(app).sessions() as db, db.begin():
        stored = await repo.get_runner_by_id(db, runner_id=runner.id)
        if stored is not None:
            stored.chat_id = new_chat_id
            db.add(stored)
    runner.chat_id = new_chat_id


# --- what each reminder says -------------------------------------------------------------------


def _buttons(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def strength_buttons(day: dt.date) -> InlineKeyboardMarkup:
    d = day.isoformat()
    return _buttons(
        [
            [("✅ Done", f"t:done:{d}"), ("⏭ Skip", f"t:skip:{d}")],
            [
                ("⏰ 30 min", f"t:z30:{d}"),
                ("⏰ 2 h", f"t:z120:{d}"),
                ("🌙 Tonight", f"t:zeve:{d}"),
            ],
            [("🩹 Pain", f"t:pain:{d}")],
        ]
    )


def checkin_buttons(day: dt.date) -> InlineKeyboardMarkup:
    d = day.isoformat()
    return _buttons([[("👍 No pain", f"t:ok:{d}"), ("🩹 Pain", f"t:pain:{d}")]])


async def compose(
    app: App, row: Reminder, runner: Runner
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The message for a due row, from the plan as it is now (so it is never out of date)."""
    day = row.local_date
    plan = plan_for(runner, week_start_of(day))
    entry = next(d for d in plan.days if d.date == day)
    kind = ReminderKind(row.kind)
    if kind in (ReminderKind.STRENGTH, ReminderKind.SNOOZE):
        if entry.session is None:
            return None
        after = f" after your {entry.day.kind.label}" if entry.day.kind.is_run else ""
        lines = [texts.STRENGTH_REMINDER.format(name=entry.session.name, after=after)]
        lines += session_lines(entry.session)
        return _fit("\n".join(lines)), strength_buttons(day)
    if kind is ReminderKind.PAIN:
        return await _pain_followup(app, runner, day)
    if kind is ReminderKind.MORNING:
        lines = [texts.MORNING_TODAY.format(run=run_label(entry))]
        if entry.session is not None:
            zone = ZoneInfo(runner.time_zone)
            at = strength_due(entry, reminder_settings(runner), zone).astimezone(zone)
            when = f" I'll remind you at {at:%H:%M}."
            lines.append(
                texts.MORNING_STRENGTH.format(
                    name=entry.session.name, minutes=entry.session.minutes, when=when
                )
            )
        else:
            lines.append(texts.MORNING_NO_STRENGTH)
        if row.payload.get("checkin"):
            lines.append("")
            lines.append(texts.CHECKIN_QUESTION)
            return _fit("\n".join(lines)), checkin_buttons(day)
        return _fit("\n".join(lines)), None
    return await _weekly(app, runner, day), None


async def _pain_followup(
    app: App, runner: Runner, day: dt.date
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    from bot.pain import PAIN, followup_prompt
    from core import pain_content

    async with runtime_of(app).sessions() as db:
        episode = await repo.get_kv(db, namespace=PAIN, key=str(runner.telegram_user_id))
    if episode is None:  # cleared, or sent to a professional, since it was planned
        return None
    question, rows = followup_prompt(episode.get("area"), day)
    if episode.get("urgent"):
        question = f"{pain_content.FOLLOWUP_AFTER_URGENT}\n\n{question}"
    return question, _buttons(rows)


async def _weekly(app: App, runner: Runner, sunday: dt.date) -> str:
    from bot.render import render_plan

    assert runner.id is not None
    monday = week_start_of(sunday)
    async with runtime_of(app).sessions() as db:
        stats = await repo.week_numbers(db, runner_id=runner.id, monday=monday)
        streak = await weeks_streak(db, runner, monday)
    planned = len(plan_for(runner, monday).sessions)
    summary = texts.WEEKLY_SUMMARY.format(
        done=stats["done"],
        planned=planned,
        skipped=stats["skipped"],
        pain=stats["pain"],
        streak=streak,
        weeks="week" if streak == 1 else "weeks",
    )
    upcoming = render_plan(plan_for(runner, monday + dt.timedelta(days=7)))[0]
    return _fit(f"{summary}\n\n{texts.WEEKLY_NEXT}\n\n{upcoming}")


async def weeks_streak(db: AsyncSession, runner: Runner, monday: dt.date) -> int:
    """Weeks in a row, ending with this one, with at least the planned sessions done."""
    assert runner.id is not None
    streak = 0
    for back in range(0, 52):
        start = monday - dt.timedelta(weeks=back)
        planned = len(plan_for(runner, start).sessions)
        stats = await repo.week_numbers(db, runner_id=runner.id, monday=start)
        if planned == 0 or stats["done"] < planned:
            break
        streak += 1
    return streak


def _fit(text: str) -> str:
    return text if len(text) <= TELEGRAM_LIMIT else text[: TELEGRAM_LIMIT - 1] + "…"


# --- the jobs --------------------------------------------------------------------------------


async def dispatch_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime_of(context.application)
    report = await dispatch_due(context.application)
    rt.last_dispatch = rt.clock()
    if report.sent or report.expired or report.failed:
        log.info(
            "reminders: %s sent, %s expired, %s deferred, %s failed",
            report.sent,
            report.expired,
            report.deferred,
            report.failed,
        )


async def horizon_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    extended = await extend_horizons(context.application)
    if extended:
        log.info("reminders extended for %s runners", extended)


def schedule_jobs(app: App) -> None:
    """One repeating dispatcher and one horizon job: nothing per runner."""
    assert app.job_queue is not None
    every = runtime_of(app).settings.reminder_dispatch_seconds
    app.job_queue.run_repeating(dispatch_job, interval=every, first=min(1.0, every))
    app.job_queue.run_repeating(horizon_job, interval=HORIZON_EVERY_SECONDS, first=5.0)
