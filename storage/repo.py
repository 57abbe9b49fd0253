"""Repository functions: keyword-only, async, each taking the caller's `AsyncSession`.

They flush but never commit: the caller owns the transaction, one per update or job run:

    async with sessionmaker.begin() as session:
        runner = await repo.get_or_create_runner(session, telegram_user_id=..., ...)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.models import Plan
from storage.tables import (
    ConversationState,
    KeyValue,
    PlanRow,
    Runner,
    SessionLog,
    utcnow,
)

SessionStatus = Literal["done", "skipped"]
ConversationKey = tuple[int | str, ...]

USER_DATA = "user_data"
CHAT_DATA = "chat_data"
BOT_DATA = "bot_data"
BOT_DATA_KEY = "bot"


def _insert(session: AsyncSession, table: Any) -> Any:
    """`INSERT` of the session's dialect, which has `on_conflict_do_update/nothing`."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for the {dialect} dialect")


# --- runners -------------------------------------------------------------------------------


async def get_runner(session: AsyncSession, *, telegram_user_id: int) -> Runner | None:
    """The runner with this Telegram user id, if any."""
    result = await session.exec(select(Runner).where(Runner.telegram_user_id == telegram_user_id))
    return result.first()


async def get_runner_by_id(session: AsyncSession, *, runner_id: int) -> Runner | None:
    """The runner with this database id, if any."""
    return await session.get(Runner, runner_id)


async def get_or_create_runner(
    session: AsyncSession, *, telegram_user_id: int, chat_id: int, first_name: str
) -> Runner:
    """The runner for this Telegram user, created on first contact (safe under races)."""
    now = utcnow()
    statement = (
        _insert(session, Runner)
        .values(
            Runner(
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                first_name=first_name,
                created_at=now,
                updated_at=now,
            ).model_dump(exclude={"id"})
        )
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


async def all_runners(session: AsyncSession, *, active_only: bool = True) -> Sequence[Runner]:
    """Every runner (by default only those who have not blocked the bot), oldest first."""
    statement = select(Runner).order_by(col(Runner.id))
    if active_only:
        statement = statement.where(col(Runner.active).is_(True))
    return (await session.exec(statement)).all()


async def delete_runner(session: AsyncSession, *, runner_id: int) -> bool:
    """Erase every row about the runner; False if there was no such runner."""
    runner = await session.get(Runner, runner_id)
    if runner is None:
        return False
    user_key, chat_key = str(runner.telegram_user_id), str(runner.chat_id)
    await session.exec(
        delete(KeyValue).where(
            sa.or_(
                sa.and_(col(KeyValue.namespace) == USER_DATA, col(KeyValue.key) == user_key),
                sa.and_(col(KeyValue.namespace) == CHAT_DATA, col(KeyValue.key) == chat_key),
            )
        )
    )
    ids = {runner.telegram_user_id, runner.chat_id}
    await session.exec(delete(ConversationState).where(sa.or_(*(_key_mentions(i) for i in ids))))
    # plan, session_log, reminder and pain_report go with ON DELETE CASCADE.
    await session.exec(delete(Runner).where(col(Runner.id) == runner_id))
    session.expunge(runner)
    return True


def _key_mentions(telegram_id: int) -> sa.ColumnElement[bool]:
    """Conversation keys (compact JSON lists) that contain this chat or user id."""
    key, value = col(ConversationState.key), str(telegram_id)
    return sa.or_(
        key == f"[{value}]",
        key.like(f"[{value},%"),
        key.like(f"%,{value}]"),
        key.like(f"%,{value},%"),
    )


# --- plans ---------------------------------------------------------------------------------


async def save_plan(session: AsyncSession, *, runner_id: int, plan: Plan) -> None:
    """Store the runner's plan for its week, replacing any plan stored for that week."""
    now = utcnow()
    data = plan.model_dump(mode="json")
    statement = _insert(session, PlanRow).values(
        runner_id=runner_id, week_start=plan.week_start, plan=data, created_at=now, updated_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["runner_id", "week_start"],
        set_={"plan": statement.excluded.plan, "updated_at": now},
    )
    await session.exec(statement)


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


# --- conversation state (PTB persistence) --------------------------------------------------


def encode_conversation_key(key: Sequence[int | str]) -> str:
    """A conversation key as stored: a compact JSON list, e.g. "[123,456]"."""
    return json.dumps(list(key), separators=(",", ":"))


def decode_conversation_key(key: str) -> ConversationKey:
    """The inverse of `encode_conversation_key`."""
    return tuple(json.loads(key))


async def get_conversations(session: AsyncSession, *, name: str) -> dict[ConversationKey, Any]:
    """Every stored state of the named ConversationHandler, by key."""
    result = await session.exec(select(ConversationState).where(ConversationState.name == name))
    return {decode_conversation_key(row.key): row.state for row in result.all()}


async def set_conversation(
    session: AsyncSession, *, name: str, key: Sequence[int | str], state: object | None
) -> None:
    """Store a conversation's state (must be JSON-serialisable); None ends the conversation."""
    encoded = encode_conversation_key(key)
    if state is None:
        await session.exec(
            delete(ConversationState).where(
                col(ConversationState.name) == name, col(ConversationState.key) == encoded
            )
        )
        return
    now = utcnow()
    statement = _insert(session, ConversationState).values(
        name=name, key=encoded, state=state, updated_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["name", "key"],
        set_={"state": statement.excluded.state, "updated_at": now},
    )
    await session.exec(statement)


# --- key-value store (PTB user_data, chat_data, bot_data) ----------------------------------


async def get_kv(session: AsyncSession, *, namespace: str, key: str) -> Any | None:
    """The stored value, or None."""
    row = await session.get(KeyValue, (namespace, key))
    return None if row is None else row.value


async def set_kv(session: AsyncSession, *, namespace: str, key: str, value: object) -> None:
    """Store a JSON-serialisable value under (namespace, key), replacing any old one."""
    now = utcnow()
    statement = _insert(session, KeyValue).values(
        namespace=namespace, key=key, value=value, updated_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["namespace", "key"],
        set_={"value": statement.excluded.value, "updated_at": now},
    )
    await session.exec(statement)


async def delete_kv(session: AsyncSession, *, namespace: str, key: str) -> None:
    """Remove (namespace, key) if stored."""
    await session.exec(
        delete(KeyValue).where(col(KeyValue.namespace) == namespace, col(KeyValue.key) == key)
    )


async def all_kv(session: AsyncSession, *, namespace: str) -> dict[str, Any]:
    """Every value stored in the namespace, by key."""
    result = await session.exec(select(KeyValue).where(KeyValue.namespace == namespace))
    return {row.key: row.value for row in result.all()}
