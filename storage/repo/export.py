"""The runner's own data: everything stored about them, for /export."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import (
    CalendarEvent,
    CalendarFeed,
    CoachInvite,
    CoachNote,
    KeyValue,
    PainReport,
    PlanRow,
    Reminder,
    Runner,
    SessionLog,
    ShareLink,
    ShareLog,
    WeekChange,
    WeekStep,
)


def _row(row: SQLModel) -> dict[str, Any]:
    return json.loads(row.model_dump_json())  # type: ignore[no-any-return]


async def export_runner(session: AsyncSession, *, runner_id: int) -> dict[str, Any]:
    """Everything stored about the runner, as plain JSON-ready data."""
    runner = await session.get(Runner, runner_id)
    if runner is None:
        return {}
    keys = {str(runner.telegram_user_id), str(runner.chat_id)}
    tables: dict[str, Any] = {"runner": _row(runner)}
    for name, table in (
        ("plans", PlanRow),
        ("session_log", SessionLog),
        ("reminders", Reminder),
        ("pain_reports", PainReport),
        ("week_steps", WeekStep),  # the level's step at the end of each week
        ("week_changes", WeekChange),  # changes to one week only (moves, changed runs)
        ("calendar_feed", CalendarFeed),  # the feed address's token hash, never the token
        ("calendar_events", CalendarEvent),  # each feed event's SEQUENCE and LAST-MODIFIED
        ("share_links", ShareLink),  # the coaches they share with (docs/coaching_mode.md)
        ("share_log", ShareLog),  # who saw what of their data, and when
        ("coach_notes", CoachNote),  # their coaches' notes on their weeks
        ("coach_invites", CoachInvite),  # as a coach: the invites they handed out
    ):
        rows = await session.exec(select(table).where(table.runner_id == runner_id))
        tables[name] = [_row(r) for r in rows.all()]
    # The values keyed by the runner's user or chat id (the open dialog, the pain episode).
    kv = await session.exec(select(KeyValue).where(col(KeyValue.key).in_(keys)))
    tables["conversation"] = [_row(r) for r in kv.all()]
    return tables
