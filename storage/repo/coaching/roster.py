"""What the coach's roster reads (docs/coaching_mode.md, "The roster"): the runners who share
with a coach, and for all of them at once the sessions done, the weeks' changes and the latest
pains; one runner's pain history for the detail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.models import WeekChanges
from storage.tables import (
    PainReport,
    Runner,
    SessionLog,
    ShareLink,
    WeekChange,
)


async def roster(session: AsyncSession, *, coach_id: int) -> Sequence[Runner]:
    """The runners who share with the coach."""
    result = await session.exec(
        select(Runner)
        .join(ShareLink, col(ShareLink.runner_id) == col(Runner.id))
        .where(ShareLink.coach_id == coach_id)
        .order_by(col(Runner.id))
    )
    return result.all()


async def done_between(
    session: AsyncSession, *, runner_ids: Iterable[int], first: dt.date, last: dt.date
) -> dict[int, list[dt.date]]:
    """The days each runner did a session, from `first` to `last`, in one query."""
    ids = list(runner_ids)
    days: dict[int, list[dt.date]] = {i: [] for i in ids}
    if not ids:
        return days
    rows = await session.exec(
        select(col(SessionLog.runner_id), col(SessionLog.date)).where(
            col(SessionLog.runner_id).in_(ids),
            col(SessionLog.status) == "done",
            col(SessionLog.date) >= first,
            col(SessionLog.date) <= last,
        )
    )
    for runner_id, day in rows.all():
        days[runner_id].append(day)
    return days


async def week_changes_of(
    session: AsyncSession, *, runner_ids: Iterable[int], weeks: Iterable[dt.date]
) -> dict[tuple[int, dt.date], WeekChanges]:
    """The runners' changes to these weeks, in one query: {(runner id, monday): changes}."""
    ids, mondays = list(runner_ids), list(weeks)
    if not ids:
        return {}
    rows = await session.exec(
        select(WeekChange).where(
            col(WeekChange.runner_id).in_(ids), col(WeekChange.week_start).in_(mondays)
        )
    )
    return {(r.runner_id, r.week_start): WeekChanges.model_validate(r.changes) for r in rows.all()}


async def last_pains(session: AsyncSession, *, runner_ids: Iterable[int]) -> dict[int, PainReport]:
    """Each runner's latest pain report (check-ins that said "no pain" left out)."""
    ids = list(runner_ids)
    if not ids:
        return {}
    latest = (
        select(PainReport.runner_id, sa.func.max(PainReport.id).label("last"))
        .where(col(PainReport.runner_id).in_(ids), col(PainReport.area) != "none")
        .group_by(col(PainReport.runner_id))
        .subquery()
    )
    rows = await session.exec(select(PainReport).join(latest, col(PainReport.id) == latest.c.last))
    return {r.runner_id: r for r in rows.all()}


async def pain_history(
    session: AsyncSession, *, runner_id: int, limit: int = 10
) -> Sequence[PainReport]:
    """The runner's latest pain reports, newest first ("no pain" check-ins left out)."""
    result = await session.exec(
        select(PainReport)
        .where(PainReport.runner_id == runner_id, col(PainReport.area) != "none")
        .order_by(col(PainReport.created_at).desc(), col(PainReport.id).desc())
        .limit(limit)
    )
    return result.all()
