"""The reminder outbox, as a dispatcher drains it: claim the due rows, read what composing a
batch needs in one query per kind of thing (`batch_week_changes`, `batch_week_notes`), check
the claims of the sends about to start in one query, and record how each send ended.

The per-batch reads and the check run once per message at 1,000 messages a second (paid
broadcast), so they are Core statements built once, run on the session's connection: the ORM
path cost more than the query (bench/README.md, figure 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from core.models import WeekChanges
from core.reminders import ReminderKind, early_allowance, sending_window
from storage.repo.coaching.notes import shared_notes
from storage.tables import CoachNote, Reminder, ReminderStatus, Runner, WeekChange

_REMINDER: sa.Table = Reminder.__table__  # type: ignore[attr-defined]
_CANDIDATE = (_REMINDER.c.id, _REMINDER.c.kind, _REMINDER.c.due_at)


def _pending(*, kind: str, now: Any, opens_by: Any, limit: int, postgres: bool) -> Any:
    """Pending rows of one kind whose window has opened (due by `opens_by`) and that are not
    waiting for a retry: a range of the (status, kind, due_at) index, in deadline order."""
    query = (
        sa.select(*_CANDIDATE)
        .where(
            _REMINDER.c.status == ReminderStatus.PENDING,
            _REMINDER.c.kind == kind,
            _REMINDER.c.due_at <= opens_by,
            sa.or_(_REMINDER.c.retry_at.is_(None), _REMINDER.c.retry_at <= now),
        )
        .order_by(_REMINDER.c.due_at, _REMINDER.c.id)
        .limit(limit)
    )
    return query.with_for_update(skip_locked=True) if postgres else query


def _stale(*, opens_by: Any, stale_before: Any, limit: int, postgres: bool) -> Any:
    """Rows claimed by a dispatcher that died mid-send, longer ago than the lease (their
    window had opened when they were claimed), but the caller's own sends still on their
    way (`skip`, filtered after: a NOT IN of a hundred ids is no index range)."""
    query = (
        sa.select(*_CANDIDATE)
        .where(
            _REMINDER.c.status == ReminderStatus.CLAIMED,
            _REMINDER.c.due_at <= opens_by,
            _REMINDER.c.claimed_at < stale_before,
        )
        .order_by(_REMINDER.c.due_at, _REMINDER.c.id)
        .limit(limit)
    )
    return query.with_for_update(skip_locked=True) if postgres else query


def _candidates(*, postgres: bool, limit: int) -> Any:
    """One statement for the claim's candidates: a CTE per kind (each one range of an index,
    already in deadline order, `FOR UPDATE SKIP LOCKED` on PostgreSQL, which allows it in a
    CTE but not in a UNION's arms) and the stale claims, their ids, kinds and due times.
    Built once per (dialect, limit): the times are bound parameters."""
    parts = [
        _pending(
            kind=kind.value,
            now=sa.bindparam("now"),
            opens_by=sa.bindparam(f"opens_{kind.name.lower()}"),
            limit=limit,
            postgres=postgres,
        ).cte(f"due_{kind.name.lower()}")
        for kind in ReminderKind
    ]
    parts.append(
        _stale(
            opens_by=sa.bindparam("stale_opens"),
            stale_before=sa.bindparam("stale_before"),
            limit=2 * limit,  # room for the caller's own sends (at most half a batch)
            postgres=postgres,
        ).cte("stale")
    )
    return sa.union_all(*(sa.select(*part.c) for part in parts))


_CANDIDATES: dict[tuple[bool, int], Any] = {}


@dataclass(slots=True)
class Claimed:
    """A row the dispatcher claimed, as composing and sending it read it: a plain copy of
    the columns they use (building an ORM object per row cost about a tenth of a message at
    1,000 a second, bench/README.md figure 2)."""

    id: int
    runner_id: int
    kind: str
    local_date: dt.date
    due_at: dt.datetime
    payload: dict[str, Any]
    about: int
    attempts: int
    claimed_at: dt.datetime


_CLAIMED = tuple(_REMINDER.c[name] for name in Claimed.__slots__)


async def claim_due_reminders(
    session: AsyncSession,
    *,
    now: dt.datetime,
    limit: int,
    lease: dt.timedelta,
    skip: Collection[int] = (),
    early: dt.timedelta = dt.timedelta(0),
) -> list[Claimed]:
    """Claim up to `limit` rows whose sending window is open, earliest deadline first, so no
    other dispatcher sends them.

    A row's window and deadline come from its kind (`core.reminders.sending_window`): a
    morning message may be claimed up to `early` before its time, and its deadline is as far
    after it; every other kind opens and is due at its time. No row is claimed before its
    window opens. Ordered by deadline, a 07:20 strength reminder goes before the 07:00 morning
    messages still waiting at 07:20 (their deadline is 07:30).

    A row claimed longer than `lease` ago belongs to a dispatcher that died mid-send: it is
    claimable again (at most the messages that were in flight are repeated), except the ids
    in `skip` (the caller's own sends under way). On PostgreSQL rows locked by another
    dispatcher are skipped (`FOR UPDATE SKIP LOCKED`).

    Each kind's pending rows are one range of the (status, kind, due_at) index, already in
    deadline order; the stale claims one range of (status, due_at). One query over all of them
    would have to collect and sort every due row for each batch (seconds per batch once
    100,000 are due at 07:00). The ranges are read in one statement (their ids, kinds and due
    times), and the rows taken come back from the claim's UPDATE as plain `Claimed` copies:
    eleven ORM queries and 200 ORM rows a batch cost a fifth of a message at 1,000 a second
    (bench/README.md, figure 2).
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    key = (postgres, limit)
    query = _CANDIDATES.get(key)
    if query is None:
        if len(_CANDIDATES) > 64:
            _CANDIDATES.clear()
        query = _CANDIDATES[key] = _candidates(postgres=postgres, limit=limit)
    params: dict[str, Any] = {
        f"opens_{kind.name.lower()}": now + early_allowance(kind, early) for kind in ReminderKind
    }
    params.update(now=now, stale_opens=now + early, stale_before=now - lease)
    found = (await (await session.connection()).execute(query, params)).all()

    def deadline_first(row: Any) -> tuple[dt.datetime, dt.datetime, int]:
        return (sending_window(row[1], row[2], early).deadline, row[2], row[0])

    wanted = [
        row
        for row in found
        if row[0] not in skip and sending_window(row[1], row[2], early).opens <= now
    ]
    wanted.sort(key=deadline_first)
    ids = [row[0] for row in wanted[:limit]]
    if not ids:
        return []
    # One conditional UPDATE takes the rows that are still claimable at this instant. On
    # SQLite the SELECT above takes no lock, so two dispatchers can read the same rows; only
    # one of them gets each row back from RETURNING.
    claimed = await (await session.connection()).execute(
        sa.update(_REMINDER)
        .where(
            _REMINDER.c.id.in_(ids),
            # A CASE, not an OR: SQLite would serve an OR of two status tests from the
            # (status, due_at) index, visiting every pending row (0.45 s per batch with
            # 100,000 due) instead of looking the batch up by id.
            sa.case(
                (_REMINDER.c.status == ReminderStatus.PENDING, sa.true()),
                (
                    _REMINDER.c.status == ReminderStatus.CLAIMED,
                    _REMINDER.c.claimed_at < now - lease,
                ),
                else_=sa.false(),
            ),
        )
        .values(status=ReminderStatus.CLAIMED, claimed_at=now, attempts=_REMINDER.c.attempts + 1)
        .returning(*_CLAIMED)
    )
    taken = [Claimed(*row) for row in claimed]
    order = {reminder_id: i for i, reminder_id in enumerate(ids)}
    taken.sort(key=lambda row: order[row.id])
    return taken


@dataclass(frozen=True)
class Finish:
    """How a claimed row ended: its new `ReminderStatus` (sent, expired, cancelled, unknown,
    failed, or pending again with `retry_at`)."""

    reminder_id: int
    status: str
    error: str | None = None
    retry_at: dt.datetime | None = None


def _finish_statement(*, sent: bool) -> Any:
    values: dict[str, Any] = {
        "status": sa.bindparam("new_status"),
        "last_error": sa.bindparam("error"),
        "retry_at": sa.bindparam("retry_at"),
    }
    if sent:
        values["sent_at"] = sa.bindparam("sent_at")
    return (
        sa.update(_REMINDER)
        .where(
            _REMINDER.c.id == sa.bindparam("reminder_id"),
            _REMINDER.c.status == ReminderStatus.CLAIMED,
        )
        .values(**values)
    )


# Built once: these run once per message, where building the statement cost more than running it.
_FINISH_SENT = _finish_statement(sent=True)
_FINISH_OTHER = _finish_statement(sent=False)


async def finish_reminders(
    session: AsyncSession, *, finished: Sequence[Finish], now: dt.datetime
) -> None:
    """Record how claimed rows ended (sent, expired, cancelled, unknown, failed, or pending
    again with `retry_at`), in one statement per kind of change; rows no longer claimed are
    left alone."""
    sent = [f for f in finished if f.status == ReminderStatus.SENT]
    other = [f for f in finished if f.status != ReminderStatus.SENT]
    for statement, group in ((_FINISH_SENT, sent), (_FINISH_OTHER, other)):
        params: list[dict[str, Any]] = [
            {
                "reminder_id": f.reminder_id,
                "new_status": f.status,
                "error": f.error,
                "retry_at": f.retry_at,
                **({"sent_at": now} if statement is _FINISH_SENT else {}),
            }
            for f in group
        ]
        if len(params) == 1:  # the common case, one sent row: cheaper than an executemany
            await session.exec(statement, params=params[0])
        elif params:
            await session.exec(statement, params=params)


_CHECK = sa.select(_REMINDER.c.id).where(
    _REMINDER.c.id.in_(sa.bindparam("ids", expanding=True)),
    _REMINDER.c.status == ReminderStatus.CLAIMED,
    _REMINDER.c.claimed_at == sa.bindparam("claimed_at"),
)


async def reminder_still_claimed(
    session: AsyncSession, *, reminder_id: int, claimed_at: dt.datetime
) -> bool:
    """The row is still claimed by the one who claimed it at `claimed_at` (not erased with
    its runner, cancelled by a rebuild, or taken over after a lease)."""
    held = await reminders_still_claimed(session, claims=[(reminder_id, claimed_at)])
    return reminder_id in held


async def reminders_still_claimed(
    session: AsyncSession, *, claims: Sequence[tuple[int, dt.datetime]]
) -> set[int]:
    """Of the (row id, claimed at) pairs, the rows still claimed by the one who claimed them
    then: one query for each claim time (a batch has one)."""
    by_time: dict[dt.datetime, list[int]] = {}
    for reminder_id, claimed_at in claims:
        by_time.setdefault(claimed_at, []).append(reminder_id)
    connection = await session.connection()
    held: set[int] = set()
    for claimed_at, ids in by_time.items():
        result = await connection.execute(_CHECK, {"ids": ids, "claimed_at": claimed_at})
        held.update(row[0] for row in result)
    return held


WeekKey = tuple[int, dt.date]  # (runner id, Monday of the week)
_CHANGES: sa.Table = WeekChange.__table__  # type: ignore[attr-defined]
_NOTES: sa.Table = CoachNote.__table__  # type: ignore[attr-defined]
_RUNNERS: sa.Table = Runner.__table__  # type: ignore[attr-defined]
_BATCH_CHANGES = sa.select(_CHANGES.c.runner_id, _CHANGES.c.week_start, _CHANGES.c.changes).where(
    _CHANGES.c.runner_id.in_(sa.bindparam("runners", expanding=True)),
    _CHANGES.c.week_start.in_(sa.bindparam("weeks", expanding=True)),
)
_BATCH_NOTES = shared_notes(
    _NOTES.c.runner_id, _NOTES.c.week_start, _RUNNERS.c.first_name, _NOTES.c.text
).where(
    _NOTES.c.runner_id.in_(sa.bindparam("runners", expanding=True)),
    _NOTES.c.week_start.in_(sa.bindparam("weeks", expanding=True)),
)


async def batch_week_changes(
    session: AsyncSession, *, weeks: Collection[WeekKey]
) -> dict[WeekKey, WeekChanges]:
    """The changes of each (runner, week) that has any, in one query: what `get_week_changes`
    gives for one."""
    if not weeks:
        return {}
    connection = await session.connection()
    result = await connection.execute(
        _BATCH_CHANGES,
        {"runners": sorted({r for r, _ in weeks}), "weeks": sorted({w for _, w in weeks})},
    )
    return {
        (runner_id, week): WeekChanges.model_validate(changes)
        for runner_id, week, changes in result
        if (runner_id, week) in weeks
    }


async def batch_week_notes(
    session: AsyncSession, *, weeks: Collection[WeekKey]
) -> dict[WeekKey, list[tuple[str, str]]]:
    """(coach's name, note) of each (runner, week), from coaches they still share with, in
    one query: what `coaching.week_notes` gives for one."""
    if not weeks:
        return {}
    connection = await session.connection()
    result = await connection.execute(
        _BATCH_NOTES,
        {"runners": sorted({r for r, _ in weeks}), "weeks": sorted({w for _, w in weeks})},
    )
    notes: dict[WeekKey, list[tuple[str, str]]] = {}
    for runner_id, week, name, text in result:
        if (runner_id, week) in weeks:
            notes.setdefault((runner_id, week), []).append((name, text))
    return notes
