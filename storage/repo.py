"""Repository functions: keyword-only, async, each taking the caller's `AsyncSession`.

They flush but never commit: the caller owns the transaction, one per update or job run:

    async with sessionmaker.begin() as session:
        runner = await repo.get_or_create_runner(session, telegram_user_id=..., ...)
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.models import Plan
from core.reminders import ReminderKind, ReminderSpec
from storage import inbox
from storage.tables import (
    KeyValue,
    PainReport,
    PlanRow,
    Reminder,
    ReminderStatus,
    Runner,
    SessionLog,
    SessionLogStatus,
    utcnow,
)

# A session log status, as a member or as its value (as the bot's buttons spell it).
SessionStatus = SessionLogStatus | Literal["done", "skipped"]

_TABLES: dict[str, Any] = {"kv": KeyValue, "plan": PlanRow, "reminder": Reminder}  # for `_upsert`


def _insert(session: AsyncSession, table: Any) -> Any:
    """`INSERT` of the session's dialect, which has `on_conflict_do_update/nothing`."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for the {dialect} dialect")


_UPSERTS: dict[tuple[str, str], Any] = {}  # prebuilt upserts, by (name, dialect)


def _upsert(
    session: AsyncSession,
    name: str,
    build: Callable[[Any], Any],
) -> Any:
    """The upsert `build(insert)` for the session's dialect, built once: building a statement
    costs more than running it (parameters are bound at execution)."""
    dialect = session.get_bind().dialect.name
    statement = _UPSERTS.get((name, dialect))
    if statement is None:
        statement = _UPSERTS[(name, dialect)] = build(_insert(session, _TABLES[name]))
    return statement


async def _execute_core(session: AsyncSession, statement: Any, params: Any) -> None:
    """Run a Core statement on the session's connection, in its transaction: the ORM's
    execution path costs as much again as the statement itself for a plain upsert."""
    connection = await session.connection()
    await connection.execute(statement, params)


def _param(table: Any, column: str, name: str | None = None) -> Any:
    """A bound parameter typed like the column (JSON, aware datetimes...)."""
    return sa.bindparam(name or column, type_=table.__table__.c[column].type)


# --- runners -------------------------------------------------------------------------------


# Statements run on every update are built once, with bound parameters: building a
# statement costs more than SQLAlchemy's compiled-cache lookup and the query together.
_RUNNER_BY_USER = select(Runner).where(Runner.telegram_user_id == sa.bindparam("user_id"))


async def get_runner(session: AsyncSession, *, telegram_user_id: int) -> Runner | None:
    """The runner with this Telegram user id, if any."""
    result = await session.exec(_RUNNER_BY_USER, params={"user_id": telegram_user_id})
    return result.first()


_RUNNER_WITH_KV = (
    select(Runner, KeyValue.value)
    .outerjoin(
        KeyValue,
        sa.and_(
            col(KeyValue.namespace) == sa.bindparam("namespace"),
            col(KeyValue.key) == sa.bindparam("key"),
        ),
    )
    .where(Runner.telegram_user_id == sa.bindparam("user_id"))
)


async def get_runner_with_kv(
    session: AsyncSession, *, telegram_user_id: int, namespace: str, key: str
) -> tuple[Runner, Any | None] | None:
    """The runner and the value stored under (namespace, key), in one query; None if there
    is no such runner (the value is None when nothing is stored)."""
    params = {"user_id": telegram_user_id, "namespace": namespace, "key": key}
    row = (await session.exec(_RUNNER_WITH_KV, params=params)).first()
    return None if row is None else (row[0], row[1])


async def get_runner_by_id(session: AsyncSession, *, runner_id: int) -> Runner | None:
    """The runner with this database id, if any."""
    return await session.get(Runner, runner_id)


@functools.cache
def _new_runner_defaults() -> dict[str, Any]:
    """A new runner's column values, worked out once: building a Runner runs pydantic's
    default factories, which inspect their own signatures each time (over 1 ms)."""
    return Runner(telegram_user_id=0, chat_id=0).model_dump(
        exclude={"id", "telegram_user_id", "chat_id", "first_name", "created_at", "updated_at"}
    )


MAX_FIRST_NAME = 64


async def get_or_create_runner(
    session: AsyncSession, *, telegram_user_id: int, chat_id: int, first_name: str
) -> Runner:
    """The runner for this Telegram user, created on first contact (safe under races).

    The name is cut to `MAX_FIRST_NAME` characters (Telegram's own limit): a forged update
    cannot make the row, every export and every greeting a megabyte long.
    """
    runner = await get_runner(session, telegram_user_id=telegram_user_id)
    if runner is not None:
        return runner
    now = utcnow()
    values = {
        **_new_runner_defaults(),
        "telegram_user_id": telegram_user_id,
        "chat_id": chat_id,
        "first_name": first_name[:MAX_FIRST_NAME],
        "created_at": now,
        "updated_at": now,
    }
    statement = (
        _insert(session, Runner)
        .values(values)
        .on_conflict_do_nothing(index_elements=["telegram_user_id"])
    )
    await session.exec(statement)
    runner = await get_runner(session, telegram_user_id=telegram_user_id)
    if runner is None:  # pragma: no cover - the insert above guarantees a row
        raise RuntimeError(f"runner {telegram_user_id} vanished right after its insert")
    return runner


async def save_runner(session: AsyncSession, *, runner: Runner) -> Runner:
    """Insert or update the runner row and flush, so `runner.id` is set."""
    runner.updated_at = utcnow()
    session.add(runner)
    await session.flush()
    return runner


async def delete_runner(
    session: AsyncSession, *, runner_id: int, keep_update: int | None = None
) -> bool:
    """Erase every row about the runner; False if there was no such runner. The update that
    asks for it (`keep_update`) stays in the inbox with neither user nor content."""
    runner = await session.get(Runner, runner_id)
    if runner is None:
        return False
    await inbox.forget_user(
        session, user_id=runner.telegram_user_id, chat_id=runner.chat_id, keep_update=keep_update
    )
    # Every per-runner value (the open dialog, the pain episode...) is keyed by the runner's
    # user or chat id, whatever its namespace.
    user_key, chat_key = str(runner.telegram_user_id), str(runner.chat_id)
    await session.exec(delete(KeyValue).where(col(KeyValue.key).in_({user_key, chat_key})))
    # plan, session_log, reminder and pain_report go with ON DELETE CASCADE.
    await session.exec(delete(Runner).where(col(Runner.id) == runner_id))
    session.expunge(runner)
    return True


# --- plans ---------------------------------------------------------------------------------


def _plan_upsert(insert: Any) -> Any:
    insert = insert.values(
        runner_id=sa.bindparam("runner_id"),
        week_start=sa.bindparam("week_start"),
        plan=_param(PlanRow, "plan"),
        created_at=_param(PlanRow, "created_at", "now"),
        updated_at=_param(PlanRow, "updated_at", "now"),
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
    await _execute_core(session, _upsert(session, "plan", _plan_upsert), params)


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
) -> bool:
    """Record the day's session as done or skipped; False if that was already recorded.

    A second press of the same button changes nothing; pressing the other one changes the
    status (and returns True).
    """
    now = utcnow()
    statement = _insert(session, SessionLog).values(
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


# --- key-value store ------------------------------------------------------------------------


async def get_kv(session: AsyncSession, *, namespace: str, key: str) -> Any | None:
    """The stored value, or None."""
    row = await session.get(KeyValue, (namespace, key))
    return None if row is None else row.value


def _kv_upsert(insert: Any) -> Any:
    insert = insert.values(
        namespace=sa.bindparam("namespace"),
        key=sa.bindparam("key"),
        value=_param(KeyValue, "value"),
        updated_at=_param(KeyValue, "updated_at", "now"),
    )
    return insert.on_conflict_do_update(
        index_elements=["namespace", "key"],
        set_={"value": insert.excluded.value, "updated_at": insert.excluded.updated_at},
    )


async def set_kv(session: AsyncSession, *, namespace: str, key: str, value: object) -> None:
    """Store a JSON-serialisable value under (namespace, key), replacing any old one."""
    params = {"namespace": namespace, "key": key, "value": value, "now": utcnow()}
    await _execute_core(session, _upsert(session, "kv", _kv_upsert), params)


async def delete_kv(session: AsyncSession, *, namespace: str, key: str) -> None:
    """Remove (namespace, key) if stored."""
    await session.exec(
        delete(KeyValue).where(col(KeyValue.namespace) == namespace, col(KeyValue.key) == key)
    )


# --- reminder outbox -------------------------------------------------------------------------

# The statuses under their names from before `ReminderStatus` (callers use `repo.PENDING`).
PENDING, CLAIMED, SENT = ReminderStatus.PENDING, ReminderStatus.CLAIMED, ReminderStatus.SENT
EXPIRED, CANCELLED = ReminderStatus.EXPIRED, ReminderStatus.CANCELLED
UNKNOWN, FAILED = ReminderStatus.UNKNOWN, ReminderStatus.FAILED
REBUILDABLE = (PENDING, CANCELLED)  # states a rebuild may overwrite; never a sent message


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
            col(Reminder.status) == PENDING,
            col(Reminder.due_at) > now,
            col(Reminder.kind).not_in([ReminderKind.SNOOZE.value, ReminderKind.PAIN.value]),
        )
    )
    for row in future.all():
        if (row.kind, row.local_date) not in wanted:
            row.status = CANCELLED
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
        status=PENDING,
        attempts=0,
        created_at=sa.bindparam("created_at"),
    )
    return insert.on_conflict_do_update(
        index_elements=["runner_id", "kind", "local_date"],
        set_={
            "due_at": insert.excluded.due_at,
            "payload": insert.excluded.payload,
            "status": PENDING,
            "attempts": 0,
            "retry_at": None,
            "last_error": None,
        },
        # Spelled out rather than IN (...): an expanding IN cannot run as an executemany.
        where=sa.or_(*(table.c.status == status for status in REBUILDABLE)),
    )


def _reminder_upsert(session: AsyncSession) -> Any:
    return _upsert(session, "reminder", _reminder_upsert_statement)


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
        .values(status=CANCELLED)
    )
    statement = _insert(session, Reminder).values(
        runner_id=runner_id,
        kind=ReminderKind.SNOOZE.value,
        local_date=local_date,
        due_at=due_at,
        payload={},
        status=PENDING,
        attempts=0,
        created_at=utcnow(),
    )
    statement = statement.on_conflict_do_update(
        index_elements=["runner_id", "kind", "local_date"],
        set_={"due_at": due_at, "status": PENDING, "attempts": 0, "retry_at": None},
    )
    await session.exec(statement)


def _claim_query(
    *,
    now: dt.datetime,
    limit: int,
    postgres: bool,
    stale_before: dt.datetime | None,
    skip: Collection[int] = (),
) -> Any:
    if stale_before is None:  # pending and due (again, if it was put back with a retry_at)
        where = sa.and_(
            col(Reminder.status) == PENDING,
            col(Reminder.due_at) <= now,
            sa.or_(col(Reminder.retry_at).is_(None), col(Reminder.retry_at) <= now),
        )
    else:  # claimed by a dispatcher that died mid-send, longer ago than the lease
        where = sa.and_(
            col(Reminder.status) == CLAIMED,
            col(Reminder.due_at) <= now,
            col(Reminder.claimed_at) < stale_before,
        )
        if skip:  # the caller's own sends, still on their way
            where = sa.and_(where, col(Reminder.id).not_in(list(skip)))
    query = (
        select(Reminder).where(where).order_by(col(Reminder.due_at), col(Reminder.id)).limit(limit)
    )
    if postgres:
        query = query.with_for_update(skip_locked=True)
    return query


async def claim_due_reminders(
    session: AsyncSession,
    *,
    now: dt.datetime,
    limit: int,
    lease: dt.timedelta,
    skip: Collection[int] = (),
) -> list[Reminder]:
    """Claim up to `limit` due rows, oldest first, so no other dispatcher sends them.

    A row claimed longer than `lease` ago belongs to a dispatcher that died mid-send: it is
    claimable again (at most the messages that were in flight are repeated), except the ids
    in `skip` (the caller's own sends under way). On PostgreSQL rows locked by another
    dispatcher are skipped (`FOR UPDATE SKIP LOCKED`).

    Pending rows and stale claims are read by two queries, each a range of the (status,
    due_at) index: one query with an OR over both made SQLite collect and sort every due row
    for each batch (seconds per batch once 100,000 are due at 07:00).
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    rows: list[Reminder] = []
    for stale_before in (None, now - lease):
        query = _claim_query(
            now=now, limit=limit, postgres=postgres, stale_before=stale_before, skip=skip
        )
        rows += (await session.exec(query)).all()
    rows.sort(key=lambda r: (r.due_at, r.id or 0))
    rows = rows[:limit]
    if not rows:
        return []
    # One conditional UPDATE takes the rows that are still claimable at this instant. On
    # SQLite the SELECT above takes no lock, so two dispatchers can read the same rows; only
    # one of them gets each row back from RETURNING.
    claimed = await session.exec(
        sa.update(Reminder)
        .where(
            col(Reminder.id).in_([r.id for r in rows]),
            # A CASE, not an OR: SQLite would serve an OR of two status tests from the
            # (status, due_at) index, visiting every pending row (0.45 s per batch with
            # 100,000 due) instead of looking the batch up by id.
            sa.case(
                (col(Reminder.status) == PENDING, sa.true()),
                (col(Reminder.status) == CLAIMED, col(Reminder.claimed_at) < now - lease),
                else_=sa.false(),
            ),
        )
        .values(status=CLAIMED, claimed_at=now, attempts=col(Reminder.attempts) + 1)
        .returning(col(Reminder.id))
        .execution_options(synchronize_session=False)
    )
    mine = {row[0] for row in claimed.all()}
    taken = []
    for row in rows:
        session.expunge(row)  # the database already holds the claim; keep a plain copy
        if row.id in mine:
            row.status, row.claimed_at, row.attempts = CLAIMED, now, row.attempts + 1
            taken.append(row)
    return taken


@dataclass(frozen=True)
class Finish:
    """How a claimed row ended: sent, expired, cancelled, unknown, failed, or pending again
    (with `retry_at`)."""

    reminder_id: int
    status: str
    error: str | None = None
    retry_at: dt.datetime | None = None


_REMINDER: sa.Table = Reminder.__table__  # type: ignore[attr-defined]


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
        .where(_REMINDER.c.id == sa.bindparam("reminder_id"), _REMINDER.c.status == CLAIMED)
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
    sent = [f for f in finished if f.status == SENT]
    other = [f for f in finished if f.status != SENT]
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


async def reminder_still_claimed(
    session: AsyncSession, *, reminder_id: int, claimed_at: dt.datetime
) -> bool:
    """The row is still claimed by the one who claimed it at `claimed_at` (not erased with
    its runner, cancelled by a rebuild, or taken over after a lease)."""
    result = await session.exec(
        select(col(Reminder.id)).where(
            col(Reminder.id) == reminder_id,
            col(Reminder.status) == CLAIMED,
            col(Reminder.claimed_at) == claimed_at,
        )
    )
    return result.first() is not None


async def cancel_pending_reminders(session: AsyncSession, *, runner_id: int) -> None:
    """Nothing more goes to this runner (blocked the bot, paused, or left)."""
    await session.exec(
        sa.update(Reminder)
        .where(col(Reminder.runner_id) == runner_id, col(Reminder.status) == PENDING)
        .values(status=CANCELLED)
    )


async def upcoming_reminders(
    session: AsyncSession, *, runner_id: int, now: dt.datetime, limit: int = 6
) -> Sequence[Reminder]:
    """The runner's next pending reminders, soonest first."""
    result = await session.exec(
        select(Reminder)
        .where(
            Reminder.runner_id == runner_id,
            col(Reminder.status) == PENDING,
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


async def runners_by_id(session: AsyncSession, *, ids: set[int]) -> dict[int, Runner]:
    """The runners with these ids, in one query."""
    if not ids:
        return {}
    result = await session.exec(select(Runner).where(col(Runner.id).in_(ids)))
    return {r.id: r for r in result.all() if r.id is not None}


# --- pain reports and check-ins ---------------------------------------------------------------


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


# --- the runner's own data (export) ----------------------------------------------------------


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
    ):
        rows = await session.exec(select(table).where(table.runner_id == runner_id))
        tables[name] = [_row(r) for r in rows.all()]
    # The values keyed by the runner's user or chat id (the open dialog, the pain episode).
    kv = await session.exec(select(KeyValue).where(col(KeyValue.key).in_(keys)))
    tables["conversation"] = [_row(r) for r in kv.all()]
    return tables
