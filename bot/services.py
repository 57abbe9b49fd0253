"""The use cases several handlers share: the plan of a week as stored, and (below) saving a
runner's changes with their reminders rescheduled to match."""

from __future__ import annotations

import datetime as dt

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.plans import plan_for
from core.models import Plan
from core.planner import week_start_of
from storage import repo
from storage.tables import Runner


def runner_id(runner: Runner) -> int:
    """A stored runner's id (every runner a turn works on has been stored)."""
    assert runner.id is not None
    return runner.id


async def current_plan(
    db: AsyncSession, runner: Runner, *, today: dt.date, weeks_ahead: int = 0
) -> Plan:
    """This (or a later) week's plan, built from the runner's setup and kept in the database."""
    start = week_start_of(today) + dt.timedelta(weeks=weeks_ahead)
    plan = plan_for(runner, start)
    await repo.save_plan(db, runner_id=runner_id(runner), plan=plan)
    return plan
