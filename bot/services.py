"""The use cases several handlers share: save a runner's changes with their reminders
rescheduled to match, the plan of a week as stored, pause and resume.

Keyword-only functions over the turn's session and runner; none of them speaks to the runner
(the handlers say what happened).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.plans import week_plan
from bot.reminders import rebuild_reminders
from core.models import Plan
from core.planner import week_start_of
from storage import repo
from storage.tables import Runner


def runner_id(runner: Runner) -> int:
    """A stored runner's id (every runner a turn works on has been stored)."""
    assert runner.id is not None
    return runner.id


async def save_and_reschedule(db: AsyncSession, runner: Runner, *, now: dt.datetime) -> None:
    """Store the runner's changes and rewrite their reminders to match (in the same
    transaction, so a reminder never follows an old setting)."""
    await repo.save_runner(db, runner=runner)
    await rebuild_reminders(db, runner=runner, now=now)


async def current_plan(
    db: AsyncSession, runner: Runner, *, today: dt.date, weeks_ahead: int = 0
) -> Plan:
    """This (or a later) week's plan, built from the runner's setup and that week's changes,
    and kept in the database."""
    start = week_start_of(today) + dt.timedelta(weeks=weeks_ahead)
    plan = await week_plan(db, runner, start)
    await repo.save_plan(db, runner_id=runner_id(runner), plan=plan)
    return plan


async def pause(
    db: AsyncSession, runner: Runner, *, until: dt.date | None, reason: str, now: dt.datetime
) -> None:
    """Pause the runner's reminders until `until` (None: until they resume)."""
    runner.pause_reason = reason
    runner.paused_until = until
    await save_and_reschedule(db, runner, now=now)


async def resume(db: AsyncSession, runner: Runner, *, now: dt.datetime) -> bool:
    """Lift the runner's pause; False when they were not paused."""
    if runner.pause_reason is None:
        return False
    runner.pause_reason = None
    runner.paused_until = None
    await save_and_reschedule(db, runner, now=now)
    return True
