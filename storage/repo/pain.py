"""Pain reports (the pain flow's answers and the coach's advice) and morning check-ins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import PainReport


async def record_no_pain(
    session: AsyncSession, *, runner_id: int, now: dt.datetime, zone: ZoneInfo
) -> bool:
    """A morning check-in answered "No pain"; False if that day's was already noted."""
    today = now.astimezone(zone).date()
    earlier = await session.exec(
        select(PainReport).where(
            PainReport.runner_id == runner_id,
            PainReport.area == "none",
            col(PainReport.created_at) >= now - dt.timedelta(days=1),
        )
    )
    if any(r.created_at.astimezone(zone).date() == today for r in earlier.all()):
        return False
    session.add(
        PainReport(
            runner_id=runner_id,
            created_at=now,
            area="none",
            score=0,
            timing="morning check-in",
            advice_level="none",
        )
    )
    await session.flush()
    return True


async def add_pain_report(
    session: AsyncSession,
    *,
    runner_id: int,
    now: dt.datetime,
    area: str,
    score: int,
    timing: str,
    red_flag: str | None,
    advice_level: str,
    plan_change: dict[str, Any] | None = None,
) -> PainReport:
    """Store one pain report (the first report or a follow-up)."""
    report = PainReport(
        runner_id=runner_id,
        created_at=now,
        area=area,
        score=score,
        timing=timing,
        red_flag=red_flag,
        advice_level=advice_level,
        plan_change=plan_change,
    )
    session.add(report)
    await session.flush()
    return report


async def pain_reports(session: AsyncSession, *, runner_id: int) -> Sequence[PainReport]:
    """Every pain report and check-in of the runner, oldest first."""
    result = await session.exec(
        select(PainReport)
        .where(PainReport.runner_id == runner_id)
        .order_by(col(PainReport.created_at), col(PainReport.id))
    )
    return result.all()
