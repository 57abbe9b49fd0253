"""Plans (one per runner and week) and the session log (what the runner did each day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.models import Plan
from storage.repo._sql import dialect_insert, execute_core, param, prebuilt_upsert
from storage.tables import PainReport, PlanRow, SessionLog, SessionLogStatus, utcnow

# A session log status, as a member or as its value (the bot's buttons spell it).
SessionStatus = SessionLogStatus | Literal["done", "skipped"]


def _plan_upsert(insert: Any) -> Any:
    insert = insert.values(
        runner_id=sa.bindparam("runner_id"),
        week_start=sa.bindparam("week_start"),
        plan=param(PlanRow, "plan"),
        created_at=param(PlanRow, "created_at", "now"),
        updated_at=param(PlanRow, "updated_at", "now"),
    )
    stored = sa.cast(PlanRow.__table__.c.plan, sa.Text)  # type: ignore[attr-defined]
    return insert.on_conflict_do_update(
        index_elements=["runner_id", "week_start"],
        set_={"plan": insert.excluded.plan, "updated_at": insert.excluded.updated_at},
        where=stored != sa.cast(insert.excluded.plan, sa.Text),  # unchanged: no write
    )


async def save_plan(session: AsyncSession, *, runner_id: int, plan: Plan) -> None:
    """Store the runner's plan for its week, replacing any different plan stored for it."""
    params = {
        "runner_id": runner_id,
        "week_start": plan.week_start,
        "plan": plan.model_dump(mode="json"),
        "now": utcnow(),
    }
    await execute_core(session, prebuilt_upsert(session, PlanRow, _plan_upsert), params)


async def get_plan(session: AsyncSession, *, runner_id: int, week_start: dt.date) -> Plan | None:
    """The runner's plan for the week starting on `week_start`, if one was stored."""
    result = await session.exec(
        select(PlanRow.plan).where(
            PlanRow.runner_id == runner_id, PlanRow.week_start == week_start
        )
    )
    data = result.first()
    return None if data is None else Plan.model_validate(data)


# --- session log ---------------------------------------------------------------------------


async def log_session(
    session: AsyncSession,
    *,
    runner_id: int,
    day: dt.date,
    session_name: str,
    status: SessionStatus,
    now: dt.datetime | None = None,
) -> bool:
    """Record the day's session as done or skipped; False if that was already recorded.

    A second press of the same button changes nothing; pressing the other one changes the
    status (and returns True). `now` (the caller's clock) is when it was recorded.
    """
    now = now or utcnow()
    statement = dialect_insert(session, SessionLog).values(
        runner_id=runner_id,
        date=day,
        session_name=session_name,
        status=status,
        created_at=now,
        updated_at=now,
    )
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["runner_id", "date"],
        set_={"status": excluded.status, "session_name": excluded.session_name, "updated_at": now},
        where=sa.or_(
            col(SessionLog.status) != excluded.status,
            col(SessionLog.session_name) != excluded.session_name,
        ),
    ).returning(col(SessionLog.id))
    result = await session.exec(statement)
    return result.first() is not None


async def session_log(session: AsyncSession, *, runner_id: int, day: dt.date) -> SessionLog | None:
    """What the runner recorded for the day's session, if anything."""
    result = await session.exec(
        select(SessionLog).where(SessionLog.runner_id == runner_id, SessionLog.date == day)
    )
    return result.first()


async def session_logs(
    session: AsyncSession, *, runner_id: int, since: dt.date
) -> Sequence[SessionLog]:
    """The runner's session log from `since` on, oldest first."""
    result = await session.exec(
        select(SessionLog)
        .where(SessionLog.runner_id == runner_id, col(SessionLog.date) >= since)
        .order_by(col(SessionLog.date))
    )
    return result.all()


async def done_per_week(
    session: AsyncSession, *, runner_id: int, first_monday: dt.date, last_monday: dt.date
) -> dict[dt.date, int]:
    """Sessions done in each week from `first_monday` to the week of `last_monday`, in one
    query: {monday: count}; weeks with none are absent."""
    rows = await session.exec(
        select(col(SessionLog.date)).where(
            SessionLog.runner_id == runner_id,
            col(SessionLog.status) == SessionLogStatus.DONE,
            col(SessionLog.date) >= first_monday,
            col(SessionLog.date) <= last_monday + dt.timedelta(days=6),
        )
    )
    counts: dict[dt.date, int] = {}
    for day in rows.all():
        monday = day - dt.timedelta(days=day.weekday())
        counts[monday] = counts.get(monday, 0) + 1
    return counts


async def week_numbers(
    session: AsyncSession, *, runner_id: int, monday: dt.date
) -> dict[str, int]:
    """Sessions done and skipped, and pain reports, in the week starting `monday`."""
    sunday = monday + dt.timedelta(days=6)
    logs = await session.exec(
        select(SessionLog.status, sa.func.count())
        .where(
            SessionLog.runner_id == runner_id,
            col(SessionLog.date) >= monday,
            col(SessionLog.date) <= sunday,
        )
        .group_by(col(SessionLog.status))
    )
    counts = dict(logs.all())
    start = dt.datetime.combine(monday, dt.time(), tzinfo=dt.UTC) - dt.timedelta(hours=14)
    end = dt.datetime.combine(sunday, dt.time(23, 59), tzinfo=dt.UTC) + dt.timedelta(hours=14)
    pains = await session.exec(
        select(sa.func.count())
        .select_from(PainReport)
        .where(
            PainReport.runner_id == runner_id,
            col(PainReport.score) > 0,
            col(PainReport.created_at) >= start,
            col(PainReport.created_at) <= end,
        )
    )
    return {
        "done": int(counts.get(SessionLogStatus.DONE, 0)),
        "skipped": int(counts.get(SessionLogStatus.SKIPPED, 0)),
        "pain": int(pains.one()),
    }
