"""A coach's note on a runner's week (/note), and the notes a runner's week shows
(docs/coaching_mode.md)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repo._sql import dialect_insert
from storage.tables import (
    CoachNote,
    Runner,
    ShareLink,
)


async def set_note(
    session: AsyncSession,
    *,
    runner_id: int,
    coach_id: int,
    week_start: dt.date,
    text: str,
    now: dt.datetime,
) -> None:
    """The coach's note on the runner's week (replacing their earlier one for that week)."""
    statement = (
        dialect_insert(session, CoachNote)
        .values(
            runner_id=runner_id,
            coach_id=coach_id,
            week_start=week_start,
            text=text,
            updated_at=now,
        )
        .on_conflict_do_update(
            index_elements=["runner_id", "coach_id", "week_start"],
            set_={"text": text, "updated_at": now},
        )
    )
    await session.exec(statement)


async def week_notes(
    session: AsyncSession, *, runner_id: int, week_start: dt.date
) -> list[tuple[str, str]]:
    """(coach's name, note) for the runner's week, from coaches they still share with."""
    result = await session.exec(
        select(Runner.first_name, CoachNote.text)
        .join(CoachNote, col(CoachNote.coach_id) == col(Runner.id))
        .join(
            ShareLink,
            sa.and_(
                col(ShareLink.coach_id) == col(CoachNote.coach_id),
                col(ShareLink.runner_id) == col(CoachNote.runner_id),
            ),
        )
        .where(CoachNote.runner_id == runner_id, CoachNote.week_start == week_start)
        .order_by(col(CoachNote.updated_at))
    )
    return [(name, text) for name, text in result.all()]
