"""A coach's note on a runner's week (/note), and the notes a runner's week shows
(docs/coaching_mode.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
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


_NOTES: sa.Table = CoachNote.__table__  # type: ignore[attr-defined]
_RUNNERS: sa.Table = Runner.__table__  # type: ignore[attr-defined]
_SHARES: sa.Table = ShareLink.__table__  # type: ignore[attr-defined]


def shared_notes(*columns: Any) -> Any:
    """`columns` of the coach notes whose coach the runner still shares with, oldest first
    (a note stays stored after the share ends, but is no longer shown)."""
    return (
        sa.select(*columns)
        .select_from(_NOTES)
        .join(_RUNNERS, _RUNNERS.c.id == _NOTES.c.coach_id)
        .join(
            _SHARES,
            sa.and_(
                _SHARES.c.coach_id == _NOTES.c.coach_id, _SHARES.c.runner_id == _NOTES.c.runner_id
            ),
        )
        .order_by(_NOTES.c.updated_at)
    )


# Built once: every week plan reads its notes (/plan, /today, each week of a rebuild).
_WEEK_NOTES = shared_notes(_RUNNERS.c.first_name, _NOTES.c.text).where(
    _NOTES.c.runner_id == sa.bindparam("runner_id"),
    _NOTES.c.week_start == sa.bindparam("week_start", type_=_NOTES.c.week_start.type),
)


async def week_notes(
    session: AsyncSession, *, runner_id: int, week_start: dt.date
) -> list[tuple[str, str]]:
    """(coach's name, note) for the runner's week, from coaches they still share with."""
    connection = await session.connection()
    result = await connection.execute(
        _WEEK_NOTES, {"runner_id": runner_id, "week_start": week_start}
    )
    return [(name, text) for name, text in result.all()]
