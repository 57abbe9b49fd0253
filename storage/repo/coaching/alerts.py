"""The alerts and digests a coach is sent, as rows of the reminder outbox for the coach's
runner row (docs/coaching_mode.md): queued once per coach, runner, kind and day, cancelled,
erased with the runner they are about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repo._sql import dialect_insert
from storage.tables import (
    Reminder,
    ReminderStatus,
    Runner,
    ShareLink,
)


async def queue_alert(
    session: AsyncSession,
    *,
    coach_id: int,
    about: int,
    kind: str,
    local_date: dt.date,
    due_at: dt.datetime,
    payload: dict[str, Any],
) -> bool:
    """An alert for the coach about runner `about`, in the reminder outbox: one per coach,
    runner, kind and day (a second red flag that day is the same alert). False if it was
    already there."""
    statement = (
        dialect_insert(session, Reminder)
        .values(
            runner_id=coach_id,
            kind=kind,
            local_date=local_date,
            about=about,
            due_at=due_at,
            payload=payload,
            status=ReminderStatus.PENDING,
            attempts=0,
            created_at=due_at,
        )
        .on_conflict_do_nothing(index_elements=["runner_id", "kind", "local_date", "about"])
        .returning(col(Reminder.id))
    )
    return (await session.exec(statement)).first() is not None


async def forget_alerts_about(session: AsyncSession, *, runner_id: int) -> None:
    """Erase the coaches' alerts about this runner (their /delete)."""
    await session.exec(delete(Reminder).where(col(Reminder.about) == runner_id))


async def coaches_with_runners(session: AsyncSession) -> Sequence[Runner]:
    """Every coach (runner row) at least one runner shares with."""
    result = await session.exec(
        select(Runner)
        .where(col(Runner.id).in_(select(ShareLink.coach_id).distinct()))
        .order_by(col(Runner.id))
    )
    return result.all()


async def cancel_digests(session: AsyncSession, *, coach_id: int, kind: str) -> None:
    """Cancel the coach's pending rows of this kind (the Monday digest turned off)."""
    await session.exec(
        update(Reminder)
        .where(
            col(Reminder.runner_id) == coach_id,
            col(Reminder.kind) == kind,
            col(Reminder.status) == ReminderStatus.PENDING,
        )
        .values(status=ReminderStatus.CANCELLED)
    )
