"""What each reminder says: its text and buttons, worked out from the plan as it is now.

A row in the outbox holds only its kind and day (docs/architecture.md, "Reminders: the
outbox"), so a reminder never says something the plan no longer holds: a session moved away or
already logged has nothing to say, and the row is cancelled instead of sent.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import InlineKeyboardMarkup

from bot import keyboards, texts
from bot.coaching import ALERT_KINDS, compose_alert
from bot.episodes import followup_prompt, load_episode
from bot.illness_prompt import checkin_message
from bot.pictures import Photo, draw_progress, draw_week, progress_of, week_of
from bot.plans import known_week_plan, plan_for, reminder_settings, restrictions_for, week_plan
from bot.progress import end_of_week
from bot.render import TELEGRAM_LIMIT, render_overview, run_label, session_lines
from bot.runtime import App, runtime
from core import pain_content
from core.illness import is_ill
from core.models import WeekChanges
from core.planner import week_start_of
from core.progression import week_streak
from core.reminders import ReminderKind, strength_due
from storage import repo
from storage.tables import Runner

STREAK_WEEKS = 52  # the weekly summary's streak looks back at most a year
log = logging.getLogger(__name__)
# What a row sends: a message and its buttons, or a photo and its caption.
Message = tuple[str, InlineKeyboardMarkup | None] | Photo


_PICTURES = (ReminderKind.WEEKLY_PICTURE.value, ReminderKind.MONTHLY_PROGRESS.value)


@dataclass(frozen=True)
class Known:
    """What composing a batch's rows reads from the week's plan, read for the whole batch at
    once (one query for the weeks' changes, one for the coaches' notes), when it is claimed."""

    changes: dict[repo.WeekKey, WeekChanges]
    notes: dict[repo.WeekKey, list[tuple[str, str]]]


async def read_known(db: AsyncSession, rows: Sequence[repo.Claimed]) -> Known:
    """The weeks' changes and coach notes the rows' messages are composed from."""
    weeks = {
        (row.runner_id, week_start_of(row.local_date))
        for row in rows
        if row.kind not in ALERT_KINDS and row.kind not in _PICTURES
    }
    before = {(runner_id, monday - dt.timedelta(days=7)) for runner_id, monday in weeks}
    return Known(  # the weeks before too: their Sunday is the Monday's yesterday (plan_for)
        changes=await repo.batch_week_changes(db, weeks=weeks | before),
        notes=await repo.batch_week_notes(db, weeks=weeks),
    )


async def compose(
    app: App, row: repo.Claimed, runner: Runner, known: Known | None = None
) -> Message | None:
    """The message for a due row, from the plan as it is now (so it is never out of date);
    with `known`, from the week's changes and notes read when its batch was claimed."""
    if row.kind in ALERT_KINDS:  # to a coach, about a runner who shares (bot/coaching.py)
        rt = runtime(app)
        async with rt.locks.transaction() as db:  # what the coach is sent is logged
            alert = await compose_alert(db, rt.settings, row, runner, now=rt.clock())
        return None if alert is None else (_fit(alert), None)
    day = row.local_date
    if row.kind in _PICTURES:
        return await _picture(app, row, runner)
    monday = week_start_of(day)
    if known is not None and runner.id is not None and not is_ill(runner.pause_reason):
        key = (runner.id, monday)
        plan = known_week_plan(
            runner,
            monday,
            changes=known.changes.get(key),
            previous_changes=known.changes.get((runner.id, monday - dt.timedelta(days=7))),
            notes=known.notes.get(key, []),
        )
    else:
        async with runtime(app).sessions() as db:
            plan = await week_plan(db, runner, monday)
    entry = next(d for d in plan.days if d.date == day)
    kind = ReminderKind(row.kind)
    paused = bool(runner.pain_areas) and restrictions_for(runner).running_paused
    if kind in (ReminderKind.STRENGTH, ReminderKind.SNOOZE):
        if paused:
            return None  # running is paused until they have been seen: no reminders
        if entry.session is None or await _already_logged(app, runner, day):
            return None  # the session moved away, or was marked done or skipped already
        after = f" after your {entry.day.kind.label}" if entry.day.kind.is_run else ""
        lines = [texts.STRENGTH_REMINDER.format(name=entry.session.name, after=after)]
        lines += session_lines(entry.session)
        return _fit("\n".join(lines)), _strength_buttons(day)
    if kind is ReminderKind.PAIN:
        return await _pain_followup(app, runner, day)
    if kind is ReminderKind.MORNING and is_ill(runner.pause_reason):
        return checkin_message()  # how they feel, before anything restarts
    if kind is ReminderKind.MORNING and paused:
        lines = [pain_content.MORNING_PAUSED]
        if entry.session is not None:
            lines.append(
                pain_content.MORNING_UPPER.format(
                    name=entry.session.name, minutes=entry.session.minutes
                )
            )
        return _fit("\n".join(lines)), None
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
            return _fit("\n".join(lines)), _checkin_buttons(day)
        return _fit("\n".join(lines)), None
    return await _weekly(app, runner, day), None


async def _picture(app: App, row: repo.Claimed, runner: Runner) -> Photo | None:
    """After the weekly summary: next week's picture, or (a month's first Sunday) the
    progress chart; None when there is nothing to show or it could not be drawn (the row
    is then cancelled, never retried into a second send)."""
    sunday = row.local_date
    monday = week_start_of(sunday)
    async with runtime(app).sessions() as db:
        if row.kind == ReminderKind.WEEKLY_PICTURE.value:
            picture = await week_of(db, runner, monday + dt.timedelta(days=7), today=sunday)
            progress = None
        else:
            streak = await weeks_streak(db, runner, monday)
            progress = await progress_of(db, runner, today=sunday, streak=streak)
            if not progress.has_history:
                return None
    try:
        if progress is None:
            return await draw_week(picture)
        photo = await draw_progress(progress)
    except Exception:
        log.exception("reminder %s (%s) for runner %s: not drawn", row.id, row.kind, runner.id)
        return None
    return Photo(photo.data, f"{photo.caption}\n{texts.MONTHLY_PROGRESS}", photo.filename)


async def _pain_followup(
    app: App, runner: Runner, day: dt.date
) -> tuple[str, InlineKeyboardMarkup | None] | None:

    async with runtime(app).sessions() as db:
        episode = await load_episode(db, runner)
    if episode is None:  # settled since it was planned
        return None
    question, rows = followup_prompt(episode, day)
    return question, keyboards.markup(rows)


async def _already_logged(app: App, runner: Runner, day: dt.date) -> bool:
    assert runner.id is not None
    async with runtime(app).sessions() as db:
        logs = await repo.session_logs(db, runner_id=runner.id, since=day)
    return any(log.date == day for log in logs)


async def _weekly(app: App, runner: Runner, sunday: dt.date) -> str:
    assert runner.id is not None
    monday = week_start_of(sunday)
    async with runtime(app).sessions() as db:
        stats = await repo.week_numbers(db, runner_id=runner.id, monday=monday)
        streak = await weeks_streak(db, runner, monday)
        planned = len((await week_plan(db, runner, monday)).sessions)
    # The week's level step, taken once, before next week is drawn (bot/progress.py).
    async with runtime(app).sessions() as db, db.begin():
        step = await end_of_week(db, runner, monday, now=runtime(app).clock())
    summary = texts.WEEKLY_SUMMARY.format(
        done=stats["done"],
        planned=planned,
        skipped=stats["skipped"],
        pain=stats["pain"],
        streak=streak,
        weeks="week" if streak == 1 else "weeks",
    )
    # Next week at a glance (the shortfall in one line); /week shows it with its buttons.
    upcoming = render_overview(
        plan_for(runner, monday + dt.timedelta(days=7)), hint=texts.WEEKLY_DAYS_HINT
    )
    return _fit(f"{summary}\n{step}\n\n{texts.WEEKLY_NEXT}\n\n{upcoming}")


async def weeks_streak(db: AsyncSession, runner: Runner, monday: dt.date) -> int:
    """Weeks in a row, ending with this one, with at least the planned sessions done."""
    assert runner.id is not None
    mondays = [monday - dt.timedelta(weeks=back) for back in range(STREAK_WEEKS)]
    done = await repo.done_per_week(
        db, runner_id=runner.id, first_monday=mondays[-1], last_monday=monday
    )
    # Planned lazily: the rule stops reading at the first week that breaks the streak.
    weeks = ((len(plan_for(runner, start).sessions), done.get(start, 0)) for start in mondays)
    return week_streak(weeks)


# The same buttons for every runner on a day: one (immutable) markup object a day, so the
# sending side serialises it once (bot/reminders/sending.py `send_text`).
_strength_buttons = functools.lru_cache(maxsize=16)(keyboards.strength_reminder)
_checkin_buttons = functools.lru_cache(maxsize=16)(keyboards.checkin)


def _fit(text: str) -> str:
    return text if len(text) <= TELEGRAM_LIMIT else text[: TELEGRAM_LIMIT - 1] + "…"
