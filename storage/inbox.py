"""The inbox of updates and the replies of turns: stored first, handled and sent once.

An update is inserted by `update_id` before Telegram is told it arrived; a turn marks it
handled in its own transaction (`claim_update`), so a redelivery, a replay or a second
process finds it done. What a turn says is written in the same transaction (`add_replies`)
and sent after the commit; a reply whose sender died is picked up again after a lease.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.replies import (
    FAILED,
    LIVE,
    PENDING,
    SENT,
    Outgoing,
    add_replies,
    claim_stale_replies,
    earlier_pending,
    finish_replies,
    finish_reply,
    renew_replies,
    run_core,
)
from storage.replies import replies_waiting as _replies_waiting
from storage.tables import InboxUpdate, Reply

_INBOX: sa.Table = InboxUpdate.__table__  # type: ignore[attr-defined]
_REPLY: sa.Table = Reply.__table__  # type: ignore[attr-defined]

__all__ = [  # the replies' part (storage.replies), where the callers have always found it
    "FAILED",
    "LIVE",
    "PENDING",
    "SENT",
    "Outgoing",
    "add_replies",
    "claim_stale_replies",
    "earlier_pending",
    "finish_replies",
    "finish_reply",
    "renew_replies",
]
Claim = Literal["mine", "done", "later"]


def user_of(data: dict[str, Any]) -> int | None:
    """The id of the user an update comes from, read from its JSON (None for channel posts)."""
    for key, value in data.items():
        if key != "update_id" and isinstance(value, dict):
            sender = value.get("from") or value.get("user")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
    return None


_STORE = {
    dialect: insert(_INBOX)
    .on_conflict_do_nothing(index_elements=["update_id"])
    # .returning(): the rows inserted, which are the new updates.
    .returning(_INBOX.c.update_id)
    for dialect, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}


async def store_updates(
    session: AsyncSession, *, updates: Sequence[dict[str, Any]], now: dt.datetime
) -> list[int]:
    """Insert updates not seen before; returns the update_ids that are new. One statement,
    prebuilt (an executemany SQLAlchemy sends as one INSERT of every row: a multi-row
    `values()` had no cache key and was compiled for every update)."""
    if not updates:
        return []
    rows = [
        {
            "update_id": int(data["update_id"]),
            "user_id": user_of(data),
            "payload": data,
            "received_at": now,
            "attempts": 0,
        }
        for data in updates
    ]
    connection = await session.connection()
    result = await connection.execute(_STORE[connection.dialect.name], rows)
    return [int(r[0]) for r in result.all()]


def _earlier_update(user_id: Any, update_id: Any) -> Any:
    """Whether an update of `user_id` before `update_id` is still to be handled (values or
    bound parameters)."""
    earlier = _INBOX.alias("earlier")
    return sa.exists().where(
        earlier.c.user_id == user_id,
        earlier.c.handled_at.is_(None),
        earlier.c.update_id < update_id,
    )


# claim_update's statements, built once with bound parameters (:uid, :user, :now): building
# them cost more than running them (issue 19).
_UID = sa.bindparam("uid", type_=_INBOX.c.update_id.type)
_USER = sa.bindparam("user", type_=_INBOX.c.user_id.type)
_NOW = sa.bindparam("now", type_=_INBOX.c.handled_at.type)
_CLEARED = sa.bindparam("cleared", {}, type_=_INBOX.c.payload.type)  # handled: text not kept
_CLAIM_STORED = (
    sa.update(_INBOX)
    .where(
        _INBOX.c.update_id == _UID,
        _INBOX.c.handled_at.is_(None),
        ~_earlier_update(_USER, _UID),
    )
    .values(handled_at=_NOW, payload=_CLEARED)
    .returning(_INBOX.c.update_id, _replies_waiting(_USER))
)
_EARLIER = sa.select(_earlier_update(_USER, _UID))


def _claim_direct(insert: Any, user: bool) -> Any:
    """The update inserted as handled, or an unhandled row of it marked so; with `user`,
    only when no earlier update of the user waits. Returns (update_id, replies waiting)."""
    if user:
        row = sa.select(_UID, _USER, _CLEARED, _NOW, _NOW, sa.literal(1, sa.Integer)).where(
            ~_earlier_update(_USER, _UID)
        )
        columns = ["update_id", "user_id", "payload", "received_at", "handled_at", "attempts"]
        insert = insert.from_select(columns, row)
    else:
        insert = insert.values(
            update_id=_UID,
            user_id=None,
            payload=_CLEARED,
            received_at=_NOW,
            handled_at=_NOW,
            attempts=1,
        )
    return insert.on_conflict_do_update(
        index_elements=["update_id"],
        set_={"handled_at": _NOW, "payload": _CLEARED},
        where=_INBOX.c.handled_at.is_(None),
    ).returning(_INBOX.c.update_id, _replies_waiting(_USER) if user else sa.true())


_CLAIM_DIRECT = {
    (dialect, user): _claim_direct(insert(_INBOX), user)
    for dialect, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
    for user in (True, False)
}


async def claim_update(
    session: AsyncSession,
    *,
    update_id: int,
    user_id: int | None,
    now: dt.datetime,
    stored: bool = True,
) -> tuple[Claim, bool]:
    """Mark an update handled by this transaction: "mine", or "done" if it already was, or
    "later" if an earlier update of the same user is still waiting (another process took
    the runner's lock first: order within one runner is kept). With it, whether replies to
    the user's chat are still to be sent (True when not known): the turn's replies follow.

    An update from the inbox (`stored`) takes one statement; one that is not there (handed
    to the Application directly) is inserted as handled, also in one statement. Only when
    neither claims it does a second one tell "later" from "done"."""
    connection = await session.connection()
    params = {"uid": update_id, "user": user_id, "now": now}
    if user_id is not None and stored:
        row = (await connection.execute(_CLAIM_STORED, params)).first()
        if row is not None:
            return "mine", bool(row[1])
    statement = _CLAIM_DIRECT[(connection.dialect.name, user_id is not None)]
    row = (await connection.execute(statement, params)).first()
    if row is not None:
        return "mine", bool(row[1])
    if user_id is not None and (await connection.execute(_EARLIER, params)).scalar():
        return "later", True
    return "done", True


async def mark_handled(session: AsyncSession, *, update_id: int, now: dt.datetime) -> None:
    """Mark an update handled that no turn claimed (a group message, a flood)."""
    await session.exec(
        sa.update(_INBOX)
        .where(_INBOX.c.update_id == update_id, _INBOX.c.handled_at.is_(None))
        .values(handled_at=now, payload={})
    )


async def record_failure(
    session: AsyncSession, *, update_id: int, error: str, give_up: bool, now: dt.datetime
) -> int:
    """Count a failed attempt; with `give_up` the update is closed. Returns the attempts."""
    values: dict[str, Any] = {
        "attempts": _INBOX.c.attempts + 1,
        "last_error": error[:300],
    }
    if give_up:
        values["handled_at"] = now
    result = await session.exec(
        sa.update(_INBOX)
        .where(_INBOX.c.update_id == update_id)
        .values(**values)
        .returning(_INBOX.c.attempts)
    )
    row = result.first()
    return int(row[0]) if row is not None else 0


@dataclass(frozen=True)
class Waiting:
    """An update still to be handled, as the inbox worker reads it."""

    update_id: int
    payload: dict[str, Any]
    attempts: int


def _next_unhandled(user: bool) -> Any:
    where = _INBOX.c.user_id == _USER if user else _INBOX.c.user_id.is_(None)
    waiting = _replies_waiting(_USER) if user else sa.false()
    return (
        sa.select(_INBOX.c.update_id, _INBOX.c.payload, _INBOX.c.attempts, waiting)
        .where(where, _INBOX.c.handled_at.is_(None))
        .order_by(_INBOX.c.update_id)
        .limit(sa.bindparam("limit", type_=sa.Integer))
    )


_NEXT_UNHANDLED = {user: _next_unhandled(user) for user in (True, False)}


async def next_unhandled(
    session: AsyncSession, *, user_id: int | None, limit: int = 8
) -> tuple[list[Waiting], bool]:
    """The earliest updates of this user (or of no user) still to be handled, in order, and
    whether replies to the user's chat are still to be sent (False when no update waits):
    one statement."""
    statement = _NEXT_UNHANDLED[user_id is not None]
    result = await run_core(session, statement, {"user": user_id, "limit": limit})
    found = result.all()
    return [Waiting(int(r[0]), dict(r[1]), int(r[2])) for r in found], any(r[3] for r in found)


async def waiting_users(
    session: AsyncSession, *, received_before: dt.datetime | None, limit: int = 1000
) -> list[int | None]:
    """Users with updates still to handle (received before `received_before`, if given)."""
    query = select(col(InboxUpdate.user_id)).where(col(InboxUpdate.handled_at).is_(None))
    if received_before is not None:
        query = query.where(col(InboxUpdate.received_at) < received_before)
    result = await session.exec(query.distinct().limit(limit))
    return list(result.all())


async def prune(session: AsyncSession, *, before: dt.datetime) -> int:
    """Forget handled updates and sent replies older than `before` (they hold messages)."""
    gone = await session.exec(
        sa.delete(_INBOX).where(_INBOX.c.handled_at.is_not(None), _INBOX.c.received_at < before)
    )
    sent = await session.exec(
        sa.delete(_REPLY).where(_REPLY.c.status != PENDING, _REPLY.c.created_at < before)
    )
    return int(gone.rowcount or 0) + int(sent.rowcount or 0)


async def forget_user(
    session: AsyncSession, *, user_id: int, chat_id: int, keep_update: int | None
) -> None:
    """Erase what the inbox and the replies hold of a user (their /delete). The update that
    erases stays, without user or content, so a redelivery of it is still known as handled;
    replies not yet sent (the confirmation) go out and are then gone too."""
    await session.exec(
        sa.delete(_INBOX).where(_INBOX.c.user_id == user_id, _INBOX.c.update_id != keep_update)
    )
    await session.exec(
        sa.update(_INBOX).where(_INBOX.c.update_id == keep_update).values(user_id=None, payload={})
    )
    await session.exec(
        sa.delete(_REPLY).where(_REPLY.c.chat_id == chat_id, _REPLY.c.status != PENDING)
    )
