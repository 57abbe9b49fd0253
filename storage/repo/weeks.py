"""The weekly progression: the step taken at the end of each week, and the feel of a session;
and this week's changes to the usual week (`WeekChanges`, one row per runner and week).

A week's step is taken once: `record_week_step` inserts it only if that week has none, so
a summary composed twice, or by two dispatchers at once, steps the level once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from core.models import WeekChanges
from storage.repo._sql import dialect_insert
from storage.tables import PainReport, Runner, SessionLog, WeekChange, WeekStep, utcnow


async def record_week_step(
    session: AsyncSession,
    *,
    runner_id: int,
    week_start: dt.date,
    level_before: int,
    level_after: int,
    reason: str,
    outcome: dict[str, Any],
    now: dt.datetime | None = None,
) -> bool:
    """Record the step taken at the end of the week starting `week_start`; False (and
    nothing written) if that week's step was already taken."""
    statement = (
        dialect_insert(session, WeekStep)
        .values(
            runner_id=runner_id,
            week_start=week_start,
            level_before=level_before,
            level_after=level_after,
            reason=reason,
            outcome=outcome,
            created_at=now or utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["runner_id", "week_start"])
        .returning(col(WeekStep.id))
    )
    result = await session.exec(statement)
    return result.first() is not None


async def week_step(
    session: AsyncSession, *, runner_id: int, week_start: dt.date
) -> WeekStep | None:
    """The step taken at the end of the week starting `week_start`, if it was."""
    result = await session.exec(
        select(WeekStep).where(WeekStep.runner_id == runner_id, WeekStep.week_start == week_start)
    )
    return result.first()


async def week_steps(session: AsyncSession, *, runner_id: int) -> Sequence[WeekStep]:
    """Every step the runner's level took, oldest week first."""
    result = await session.exec(
        select(WeekStep).where(WeekStep.runner_id == runner_id).order_by(col(WeekStep.week_start))
    )
    return result.all()


async def set_feel(
    session: AsyncSession,
    *,
    runner_id: int,
    day: dt.date,
    feel: str | None,
    now: dt.datetime | None = None,
) -> bool:
    """Note how the day's session felt (a `core.progression.Feel` value); False if no
    session is logged that day or it was already noted so."""
    statement = (
        update(SessionLog)
        .where(
            col(SessionLog.runner_id) == runner_id,
            col(SessionLog.date) == day,
            col(SessionLog.feel).is_distinct_from(feel),
        )
        .values(feel=feel, updated_at=now or utcnow())
        .returning(col(SessionLog.id))
    )
    result = await session.exec(statement)
    return result.first() is not None


async def week_logs(
    session: AsyncSession, *, runner_id: int, first: dt.date, last: dt.date
) -> Sequence[SessionLog]:
    """The runner's session log from `first` to `last` (both included), oldest first."""
    result = await session.exec(
        select(SessionLog)
        .where(
            SessionLog.runner_id == runner_id,
            col(SessionLog.date) >= first,
            col(SessionLog.date) <= last,
        )
        .order_by(col(SessionLog.date))
    )
    return result.all()


async def pain_between(
    session: AsyncSession, *, runner_id: int, start: dt.datetime, end: dt.datetime
) -> Sequence[PainReport]:
    """The runner's pain reports from `start` up to (not including) `end`; morning
    check-ins that said "no pain" are left out."""
    result = await session.exec(
        select(PainReport).where(
            PainReport.runner_id == runner_id,
            col(PainReport.area) != "none",
            col(PainReport.created_at) >= start,
            col(PainReport.created_at) < end,
        )
    )
    return result.all()


async def runners_behind_on_steps(
    session: AsyncSession, *, before: dt.date, after_id: int = 0, limit: int = 200
) -> Sequence[Runner]:
    """Active, set-up runners (ids above `after_id`, in id order) whose last weekly step is
    for a week starting before `before`, or who have none yet and joined before the week
    after `before` began in some time zone (UTC-12 the latest): a club that joined this week
    is not read every hour for a step it cannot have yet."""
    next_week = dt.datetime.combine(before + dt.timedelta(days=7), dt.time(), tzinfo=dt.UTC)
    joined_by = next_week + dt.timedelta(hours=12)
    result = await session.exec(
        select(Runner)
        .where(
            col(Runner.id) > after_id,
            col(Runner.onboarded).is_(True),
            col(Runner.active).is_(True),
            sa.or_(
                sa.and_(col(Runner.last_step_week).is_(None), col(Runner.created_at) < joined_by),
                col(Runner.last_step_week) < before,
            ),
        )
        .order_by(col(Runner.id))
        .limit(limit)
    )
    return result.all()


async def set_level(
    session: AsyncSession,
    *,
    runner_id: int,
    level: int,
    stepped_week: dt.date,
    heavy_block_start: dt.date | None = None,
    first_week: dt.date | None = None,
) -> None:
    """Set the runner's level after the step taken at the end of the week `stepped_week`,
    with the heavy block's start and the first week when they are (newly) known."""
    values: dict[str, Any] = {"level": level, "last_step_week": stepped_week}
    if heavy_block_start is not None:
        values["heavy_block_start"] = heavy_block_start
    if first_week is not None:
        values["first_week"] = first_week
    await session.exec(
        update(Runner).where(col(Runner.id) == runner_id).values(**values, updated_at=utcnow())
    )


async def get_week_changes(
    session: AsyncSession, *, runner_id: int, week_start: dt.date
) -> WeekChanges | None:
    """The runner's changes to the week starting `week_start`, if they made any."""
    result = await session.exec(
        select(WeekChange).where(
            WeekChange.runner_id == runner_id, WeekChange.week_start == week_start
        )
    )
    row = result.first()
    return None if row is None else WeekChanges.model_validate(row.changes)


def _is_empty(changes: WeekChanges) -> bool:
    return not (changes.days or changes.ill or changes.moves)


async def save_week_changes(
    session: AsyncSession,
    *,
    runner_id: int,
    changes: WeekChanges,
    now: dt.datetime | None = None,
) -> None:
    """Store the runner's changes to the week `changes.week_start` (replacing earlier ones
    for that week); no changes left remove the week's row, so it is the usual week again."""
    if _is_empty(changes):
        await session.exec(
            delete(WeekChange).where(
                col(WeekChange.runner_id) == runner_id,
                col(WeekChange.week_start) == changes.week_start,
            )
        )
        return
    data = changes.model_dump(mode="json")
    stamp = now or utcnow()
    statement = (
        dialect_insert(session, WeekChange)
        .values(runner_id=runner_id, week_start=changes.week_start, changes=data, updated_at=stamp)
        .on_conflict_do_update(
            index_elements=["runner_id", "week_start"],
            set_={"changes": data, "updated_at": stamp},
        )
    )
    await session.exec(statement)
