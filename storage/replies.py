"""The replies of turns: written in the turn's transaction, sent after the commit, once.

A reply is claimed by the process that wrote it (or took it over) until it is sent. A live
process's claim is never taken over, however long it waits for a send slot or for Telegram:
only a reply whose sender is gone (on PostgreSQL its process no longer holds its advisory
lock) and whose lease has run out is taken over (docs/architecture.md, "Commit, then speak").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import Reply, ReplyStatus

_REPLY: sa.Table = Reply.__table__  # type: ignore[attr-defined]

# The statuses under their names from before `ReplyStatus` (callers use `inbox.SENT`).
PENDING, SENT, FAILED = ReplyStatus.PENDING, ReplyStatus.SENT, ReplyStatus.FAILED


def is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def run_core(
    session: AsyncSession, statement: Any, params: dict[str, Any] | None = None
) -> Any:
    """A Core statement (with its bound `params`) on the session's connection, in its
    transaction: the hot path's statements skip the ORM's bookkeeping (issue 19)."""
    return await (await session.connection()).execute(statement, params)


def replies_waiting(chat_id: Any) -> Any:
    """Whether replies to `chat_id` (a value or a bound parameter) are still to be sent (a
    scalar subquery)."""
    return sa.exists().where(_REPLY.c.chat_id == chat_id, _REPLY.c.status == PENDING)


@dataclass(frozen=True)
class Outgoing:
    """One Bot API call a turn makes: its method and its parameters (JSON)."""

    method: str
    chat_id: int
    params: dict[str, Any]


# The statements of every turn, built once (building one costs more than running it, and
# a prebuilt statement keeps its cache key): parameters are bound at execution.
_ADD = sa.insert(_REPLY).returning(_REPLY.c.id)
_DELETE_SENT = sa.delete(_REPLY).where(_REPLY.c.id.in_(sa.bindparam("ids", expanding=True)))
_MARK_ENDED = (
    sa.update(_REPLY)
    .where(_REPLY.c.id == sa.bindparam("reply_id"))
    .values(status=sa.bindparam("ended"), sent_at=None, last_error=sa.bindparam("error"))
)


async def add_replies(
    session: AsyncSession,
    *,
    replies: Sequence[Outgoing],
    update_id: int | None,
    now: dt.datetime,
    claimed_by: int | None = None,
) -> list[int]:
    """Write a turn's replies, claimed by the writer (it sends them after the commit), in
    one statement; their ids in the order given. (An executemany, which SQLAlchemy sends
    as one INSERT of every row from its compiled cache: a multi-row `values()` had no cache
    key and was compiled anew every turn.)"""
    if not replies:
        return []
    rows = [
        {
            "update_id": update_id,
            "chat_id": reply.chat_id,
            "method": reply.method,
            "params": reply.params,
            "status": PENDING,
            "created_at": now,
            "claimed_at": now,
            "claimed_by": claimed_by,
        }
        for reply in replies
    ]
    result = await (await session.connection()).execute(_ADD, rows)
    return sorted(int(r[0]) for r in result.all())  # ids grow in the order of the rows


async def finish_replies(
    session: AsyncSession, *, outcomes: Sequence[tuple[int, str, str | None]], now: dt.datetime
) -> None:
    """Record how replies ended, (id, status, error) each. A sent reply is deleted (its
    text is the runner's business, not ours to keep), all in one statement; one that failed
    stays a while, for the operator, with the reason."""
    sent = [reply_id for reply_id, status, _ in outcomes if status == SENT]
    connection = await session.connection()
    if sent:
        await connection.execute(_DELETE_SENT, {"ids": sent})
    for reply_id, status, error in outcomes:
        if status != SENT:
            params = {"reply_id": reply_id, "ended": status, "error": error}
            await connection.execute(_MARK_ENDED, params)


async def finish_reply(
    session: AsyncSession,
    *,
    reply_id: int,
    status: str,
    now: dt.datetime,
    error: str | None = None,
) -> None:
    """Record how one reply ended (`finish_replies`)."""
    await finish_replies(session, outcomes=[(reply_id, status, error)], now=now)


# The PostgreSQL advisory locks (two-key form) that say a process is alive: (LIVE, its key).
LIVE = 72710


def _no_live_holder(session: AsyncSession, me: int | None) -> Any:
    """A reply no live process but (maybe) this one holds: on PostgreSQL every process holds
    the session lock (LIVE, its key) while it runs (`bot.turns.ReplySender.start`). SQLite
    has one process: this one's holds are known in-process."""
    if not is_postgres(session):
        return sa.true()
    gone = sa.text(
        "NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
        " AND l.objsubid = 2 AND l.classid = CAST(:live AS oid)"
        " AND l.objid::bigint = reply.claimed_by"
        " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
    ).bindparams(live=LIVE)
    mine = sa.false() if me is None else _REPLY.c.claimed_by == me
    return sa.or_(_REPLY.c.claimed_by.is_(None), mine, gone)


async def claim_stale_replies(
    session: AsyncSession,
    *,
    now: dt.datetime,
    claimed_before: dt.datetime,
    limit: int = 200,
    chat_id: int | None = None,
    before: int | None = None,
    me: int | None = None,
    held: Iterable[int] = (),
) -> list[Reply]:
    """Pending replies claimed before `claimed_before` whose sender is gone (died before
    sending them), claimed at `now` for this process (`me`), in the order they were
    written; only those to `chat_id` written before reply `before`, if given. Never one a
    live process holds: another (its advisory lock is held) or this one (`held`)."""
    query = (
        select(Reply)
        .where(
            col(Reply.status) == PENDING,
            col(Reply.claimed_at) < claimed_before,
            _no_live_holder(session, me),
        )
        .order_by(col(Reply.id))
        .limit(limit)
    )
    held = list(held)
    if held:
        query = query.where(col(Reply.id).not_in(held))
    if chat_id is not None:
        query = query.where(col(Reply.chat_id) == chat_id)
    if before is not None:
        query = query.where(col(Reply.id) < before)
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    rows = list((await session.exec(query)).all())
    if not rows:
        return []
    claimed = await session.exec(
        sa.update(_REPLY)
        .where(
            _REPLY.c.id.in_([r.id for r in rows]),
            _REPLY.c.status == PENDING,
            _REPLY.c.claimed_at < claimed_before,
        )
        .values(claimed_at=now, claimed_by=me)
        .returning(_REPLY.c.id)
    )
    mine = {r[0] for r in claimed.all()}
    for row in rows:
        session.expunge(row)
    return [r for r in rows if r.id in mine]


async def renew_replies(
    session: AsyncSession, *, ids: Iterable[int], claimed_at: dt.datetime, now: dt.datetime
) -> set[int]:
    """Renew this sender's claim (made at `claimed_at`) on pending replies; returns the ids
    still its own (not sent, and not taken over by another process since)."""
    result = await session.exec(
        sa.update(_REPLY)
        .where(
            _REPLY.c.id.in_(list(ids)),
            _REPLY.c.status == PENDING,
            _REPLY.c.claimed_at == claimed_at,
        )
        .values(claimed_at=now)
        .returning(_REPLY.c.id)
    )
    return {int(r[0]) for r in result.all()}


async def earlier_pending(session: AsyncSession, *, chat_id: int, before: int | None) -> bool:
    """Whether replies to this chat (written before reply `before`, if given) are still to
    be sent."""
    query = replies_waiting(chat_id)
    if before is not None:
        query = query.where(_REPLY.c.id < before)
    return bool((await run_core(session, sa.select(query))).scalar())
