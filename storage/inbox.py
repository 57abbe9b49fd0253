"""The inbox of updates and the replies of turns: stored first, handled and sent once.

An update is inserted by `update_id` before Telegram is told it arrived; a turn marks it
handled in its own transaction (`claim_update`), so a redelivery, a replay or a second
process finds it done. What a turn says is written in the same transaction (`add_replies`)
and sent after the commit; a reply whose sender died is picked up again after a lease.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import InboxUpdate, Reply, ReplyStatus

_INBOX: sa.Table = InboxUpdate.__table__  # type: ignore[attr-defined]
_REPLY: sa.Table = Reply.__table__  # type: ignore[attr-defined]

# The statuses under their names from before `ReplyStatus` (callers use `inbox.SENT`).
PENDING, SENT, FAILED = ReplyStatus.PENDING, ReplyStatus.SENT, ReplyStatus.FAILED
Claim = Literal["mine", "done", "later"]


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _insert(session: AsyncSession) -> Any:
    return postgresql.insert(_INBOX) if _is_postgres(session) else sqlite.insert(_INBOX)


def user_of(data: dict[str, Any]) -> int | None:
    """The id of the user an update comes from, read from its JSON (None for channel posts)."""
    for key, value in data.items():
        if key != "update_id" and isinstance(value, dict):
            sender = value.get("from") or value.get("user")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
    return None


async def store_updates(
    session: AsyncSession, *, updates: Sequence[dict[str, Any]], now: dt.datetime
) -> list[int]:
    """Insert updates not seen before; returns the update_ids that are new."""
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
    statement = (
        _insert(session)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(_INBOX.c.update_id)
    )
    new: list[int] = []
    for row in rows:  # one by one: RETURNING with executemany is not portable
        result = await session.exec(statement.values(**row))
        new += [r[0] for r in result.all()]
    return new


async def claim_update(
    session: AsyncSession, *, update_id: int, user_id: int | None, now: dt.datetime
) -> Claim:
    """Mark an update handled by this transaction: "mine", or "done" if it already was, or
    "later" if an earlier update of the same user is still waiting (another process took
    the runner's lock first: order within one runner is kept)."""
    if user_id is not None:
        earlier = await session.exec(
            select(col(InboxUpdate.update_id))
            .where(
                col(InboxUpdate.user_id) == user_id,
                col(InboxUpdate.handled_at).is_(None),
                col(InboxUpdate.update_id) < update_id,
            )
            .limit(1)
        )
        if earlier.first() is not None:
            return "later"
    statement = (
        _insert(session)
        .values(
            update_id=update_id,
            user_id=user_id,
            payload={},
            received_at=now,
            handled_at=now,
            attempts=1,
        )
        .on_conflict_do_update(
            index_elements=["update_id"],
            set_={"handled_at": now, "payload": {}},  # handled: its text is not kept
            where=_INBOX.c.handled_at.is_(None),
        )
        .returning(_INBOX.c.update_id)
    )
    result = await session.exec(statement)
    if result.first() is None:
        return "done"
    return "mine"


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


async def attempts_of(session: AsyncSession, *, update_id: int) -> int:
    result = await session.exec(
        select(col(InboxUpdate.attempts)).where(col(InboxUpdate.update_id) == update_id)
    )
    return int(result.first() or 0)


async def next_unhandled(session: AsyncSession, *, user_id: int | None) -> InboxUpdate | None:
    """The earliest update of this user (or of no user) that is still to be handled."""
    where = (
        col(InboxUpdate.user_id).is_(None)
        if user_id is None
        else col(InboxUpdate.user_id) == user_id
    )
    result = await session.exec(
        select(InboxUpdate)
        .where(where, col(InboxUpdate.handled_at).is_(None))
        .order_by(col(InboxUpdate.update_id))
        .limit(1)
    )
    return result.first()


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


# --- replies ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """One Bot API call a turn makes: its method and its parameters (JSON)."""

    method: str
    chat_id: int
    params: dict[str, Any]


async def add_replies(
    session: AsyncSession,
    *,
    replies: Sequence[Outgoing],
    update_id: int | None,
    now: dt.datetime,
) -> list[int]:
    """Write a turn's replies, claimed by the writer (it sends them after the commit)."""
    if not replies:
        return []
    statement = sa.insert(_REPLY).returning(_REPLY.c.id)
    ids: list[int] = []
    for reply in replies:
        result = await session.exec(
            statement.values(
                update_id=update_id,
                chat_id=reply.chat_id,
                method=reply.method,
                params=reply.params,
                status=PENDING,
                created_at=now,
                claimed_at=now,
            )
        )
        ids.append(int(result.one()[0]))
    return ids


async def finish_reply(
    session: AsyncSession,
    *,
    reply_id: int,
    status: str,
    now: dt.datetime,
    error: str | None = None,
) -> None:
    """A sent reply is deleted (its text is the runner's business, not ours to keep); one
    that failed stays a while, for the operator, with the reason."""
    if status == SENT:
        await session.exec(sa.delete(_REPLY).where(_REPLY.c.id == reply_id))
        return
    await session.exec(
        sa.update(_REPLY)
        .where(_REPLY.c.id == reply_id)
        .values(status=status, sent_at=now if status == SENT else None, last_error=error)
    )


async def claim_stale_replies(
    session: AsyncSession,
    *,
    now: dt.datetime,
    claimed_before: dt.datetime,
    limit: int = 200,
    chat_id: int | None = None,
    before: int | None = None,
) -> list[Reply]:
    """Pending replies claimed before `claimed_before` (their sender died before sending
    them), claimed at `now` for this process, in the order they were written; only those to
    `chat_id` written before reply `before`, if given."""
    query = (
        select(Reply)
        .where(col(Reply.status) == PENDING, col(Reply.claimed_at) < claimed_before)
        .order_by(col(Reply.id))
        .limit(limit)
    )
    if chat_id is not None:
        query = query.where(col(Reply.chat_id) == chat_id)
    if before is not None:
        query = query.where(col(Reply.id) < before)
    if _is_postgres(session):
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
        .values(claimed_at=now)
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
    query = select(col(Reply.id)).where(
        col(Reply.chat_id) == chat_id, col(Reply.status) == PENDING
    )
    if before is not None:
        query = query.where(col(Reply.id) < before)
    result = await session.exec(query.limit(1))
    return result.first() is not None


async def pending_replies(session: AsyncSession, *, ids: Iterable[int]) -> list[Reply]:
    result = await session.exec(select(Reply).where(col(Reply.id).in_(list(ids))))
    return list(result.all())
