"""Runners: found by Telegram user id, created on first contact, saved, and erased whole."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import inbox
from storage.repo._sql import dialect_insert
from storage.repo.coaching.alerts import forget_alerts_about
from storage.tables import CoachRow, KeyValue, Runner, utcnow

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


async def runners_by_id(session: AsyncSession, *, ids: set[int]) -> dict[int, Runner]:
    """The runners with these ids, in one query."""
    if not ids:
        return {}
    result = await session.exec(select(Runner).where(col(Runner.id).in_(ids)))
    return {r.id: r for r in result.all() if r.id is not None}


@functools.cache
def _new_runner_defaults() -> dict[str, Any]:
    """A new runner's column values, worked out once: building a Runner runs pydantic's
    default factories, which inspect their own signatures each time (over 1 ms)."""
    return Runner(telegram_user_id=0, chat_id=0).model_dump(
        exclude={"id", "telegram_user_id", "chat_id", "first_name", "created_at", "updated_at"}
    )


MAX_FIRST_NAME = 64


async def get_or_create_runner(
    session: AsyncSession,
    *,
    telegram_user_id: int,
    chat_id: int,
    first_name: str,
    now: dt.datetime | None = None,
    looked_up: bool = False,
) -> Runner:
    """The runner for this Telegram user, created on first contact (safe under races);
    `now` (the caller's clock) is when they joined: their first week counts from it.

    The name is cut to `MAX_FIRST_NAME` characters (Telegram's own limit): a forged update
    cannot make the row, every export and every greeting a megabyte long. `now` (the
    caller's clock) is when the runner joined. `looked_up`: the caller has just found no
    such runner in this transaction (the turn, under the runner's lock), so it is not
    looked for again before the insert.
    """
    if not looked_up:
        runner = await get_runner(session, telegram_user_id=telegram_user_id)
        if runner is not None:
            return runner
    now = now or utcnow()
    values = {
        **_new_runner_defaults(),
        "telegram_user_id": telegram_user_id,
        "chat_id": chat_id,
        "first_name": first_name[:MAX_FIRST_NAME],
        "created_at": now,
        "updated_at": now,
    }
    statement = (
        dialect_insert(session, Runner)
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
    # Coach mode: the coaches' alerts about them, and their being a coach (docs/coaching_mode.md).
    await forget_alerts_about(session, runner_id=runner_id)
    await session.exec(
        delete(CoachRow).where(col(CoachRow.telegram_user_id) == runner.telegram_user_id)
    )
    # plan, session_log, reminder, pain_report, week_step, week_change, calendar_feed (the
    # feed's token: its address answers 404 from this commit), calendar_event, and coach
    # mode's invites, share links, share log and notes go with ON DELETE CASCADE.
    await session.exec(delete(Runner).where(col(Runner.id) == runner_id))
    session.expunge(runner)
    return True
