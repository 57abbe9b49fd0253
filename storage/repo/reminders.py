"""The reminder outbox, as the scheduler fills it: a runner's coming reminders, snoozes and
pain follow-ups, written ahead as rows that a dispatcher sends when due (`dispatch`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.reminders import ReminderKind, ReminderSpec
from storage.repo._sql import dialect_insert, prebuilt_upsert
from storage.tables import Reminder, ReminderStatus, Runner, utcnow

# The states a rebuild may overwrite; never a claimed or sent message.
REBUILDABLE = (ReminderStatus.PENDING, ReminderStatus.CANCELLED)


async def replace_reminders(
    session: AsyncSession,
    *,
    runner_id: int,
    specs: Sequence[ReminderSpec],
    now: dt.datetime,
) -> None:
    """Make the runner's future reminders exactly `specs` (idempotent).

    Pending rows due after `now` that are no longer wanted are cancelled, so an old reminder
    never arrives after a change of week or time zone. A row already claimed, sent or lost
    in flight is never touched, so a rebuild cannot make a message arrive twice.
    """
    wanted = {(s.kind.value, s.local_date) for s in specs}
    future = await session.exec(
        select(Reminder).where(
            Reminder.runner_id == runner_id,
            col(Reminder.status) == ReminderStatus.PENDING,
            col(Reminder.due_at) > now,
            # Neither snoozes, follow-ups nor a coach's digest come from the plan.
            col(Reminder.kind).not_in(
                [
                    ReminderKind.SNOOZE.value,
                    ReminderKind.PAIN.value,
                    ReminderKind.COACH_DIGEST.value,
                ]
            ),
        )
    )
    for row in future.all():
        if (row.kind, row.local_date) not in wanted:
            row.status = ReminderStatus.CANCELLED
            session.add(row)
    await session.flush()
    if specs:
        created = utcnow()
        await session.exec(
            _reminder_upsert(session),
            params=[
                {
                    "runner_id": runner_id,
                    "kind": spec.kind.value,
                    "local_date": spec.local_date,
                    "due_at": spec.due_at,
                    "payload": {"checkin": spec.checkin},
                    "created_at": created,
                }
                for spec in specs
            ],
        )


def _reminder_upsert_statement(insert: Any) -> Any:
    """INSERT ... ON CONFLICT DO UPDATE of one reminder row, as bound parameters.

    Executed with many rows at once: building an upsert (its `excluded` alias above all)
    cost more than running it, once per row of every rebuild. A row is overwritten only
    while pending or cancelled, never once claimed or sent.
    """
    table: sa.Table = Reminder.__table__  # type: ignore[attr-defined]
    insert = insert.values(
        runner_id=sa.bindparam("runner_id"),
        kind=sa.bindparam("kind"),
        local_date=sa.bindparam("local_date"),
        due_at=sa.bindparam("due_at"),
        payload=sa.bindparam("payload"),
        status=ReminderStatus.PENDING,
        attempts=0,
        created_at=sa.bindparam("created_at"),
    )
    return insert.on_conflict_do_update(
        index_elements=["runner_id", "kind", "local_date", "about"],
        set_={
            "due_at": insert.excluded.due_at,
            "payload": insert.excluded.payload,
            "status": ReminderStatus.PENDING,
            "attempts": 0,
            "retry_at": None,
            "last_error": None,
        },
        # Spelled out rather than IN (...): an expanding IN cannot run as an executemany.
        where=sa.or_(*(table.c.status == status for status in REBUILDABLE)),
    )


def _reminder_upsert(session: AsyncSession) -> Any:
    return prebuilt_upsert(session, Reminder, _reminder_upsert_statement)


async def _upsert_reminder(
    session: AsyncSession,
    *,
    runner_id: int,
    kind: str,
    local_date: dt.date,
    due_at: dt.datetime,
    payload: dict[str, Any],
) -> None:
    await session.exec(
        _reminder_upsert(session),
        params={
            "runner_id": runner_id,
            "kind": kind,
            "local_date": local_date,
            "due_at": due_at,
            "payload": payload,
            "created_at": utcnow(),
        },
    )


async def schedule_followup(
    session: AsyncSession,
    *,
    runner_id: int,
    local_date: dt.date,
    due_at: dt.datetime,
    payload: dict[str, Any],
) -> None:
    """The pain follow-up for `local_date` (replaces one already planned for that day)."""
    await _upsert_reminder(
        session,
        runner_id=runner_id,
        kind=ReminderKind.PAIN.value,
        local_date=local_date,
        due_at=due_at,
        payload=payload,
    )


async def snooze_reminder(
    session: AsyncSession, *, runner_id: int, local_date: dt.date, due_at: dt.datetime
) -> None:
    """Bring the day's strength reminder back at `due_at` (a later snooze replaces it)."""
    await session.exec(
        sa.update(Reminder)
        .where(
            col(Reminder.runner_id) == runner_id,
            col(Reminder.kind) == ReminderKind.SNOOZE.value,
            col(Reminder.local_date) == local_date,
        )
        .values(status=ReminderStatus.CANCELLED)
    )
    statement = dialect_insert(session, Reminder).values(
        runner_id=runner_id,
        kind=ReminderKind.SNOOZE.value,
        local_date=local_date,
        due_at=due_at,
        payload={},
        status=ReminderStatus.PENDING,
        attempts=0,
        created_at=utcnow(),
    )
    statement = statement.on_conflict_do_update(
        index_elements=["runner_id", "kind", "local_date", "about"],
        set_={"due_at": due_at, "status": ReminderStatus.PENDING, "attempts": 0, "retry_at": None},
    )
    await session.exec(statement)


async def pending_snooze(
    session: AsyncSession, *, runner_id: int, local_date: dt.date
) -> dt.datetime | None:
    """When the day's snoozed reminder is due, if one is still to come."""
    result = await session.exec(
        select(Reminder.due_at).where(
            Reminder.runner_id == runner_id,
            col(Reminder.kind) == ReminderKind.SNOOZE.value,
            Reminder.local_date == local_date,
            col(Reminder.status) == ReminderStatus.PENDING,
        )
    )
    return result.first()


async def cancel_pending_reminders(session: AsyncSession, *, runner_id: int) -> None:
    """Nothing more goes to this runner (blocked the bot, paused, or left)."""
    await session.exec(
        sa.update(Reminder)
        .where(
            col(Reminder.runner_id) == runner_id, col(Reminder.status) == ReminderStatus.PENDING
        )
        .values(status=ReminderStatus.CANCELLED)
    )


async def upcoming_reminders(
    session: AsyncSession, *, runner_id: int, now: dt.datetime, limit: int = 6
) -> Sequence[Reminder]:
    """The runner's next pending reminders, soonest first."""
    result = await session.exec(
        select(Reminder)
        .where(
            Reminder.runner_id == runner_id,
            col(Reminder.status) == ReminderStatus.PENDING,
            col(Reminder.due_at) > now,
        )
        .order_by(col(Reminder.due_at))
        .limit(limit)
    )
    return result.all()


async def runners_needing_reminders(
    session: AsyncSession, *, through: dt.date, limit: int = 500
) -> Sequence[Runner]:
    """Active, set-up runners whose reminders stop before `through`."""
    result = await session.exec(
        select(Runner)
        .where(
            col(Runner.onboarded).is_(True),
            col(Runner.active).is_(True),
            sa.or_(col(Runner.reminders_until).is_(None), col(Runner.reminders_until) < through),
        )
        .order_by(col(Runner.id))
        .limit(limit)
    )
    return result.all()
