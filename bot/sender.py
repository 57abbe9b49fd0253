"""Sending a turn's replies once it has committed, in order, each once (`ReplySender`).

A reply is held by the sender that wrote or took it over until its outcome is recorded; no
other sender takes it over while its process lives, however long it waits for a send slot or
for Telegram (docs/architecture.md, "Commit, then speak"). A reply whose process died is sent
by another after its lease (SQLite, one process: at the next start).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.pace import MESSAGE_ENDPOINTS as MESSAGES  # a chat's one message a second
from bot.turns import TRACKED, RunnerLocks, call_bot
from storage import inbox, repo
from storage.inbox import Outgoing
from storage.tables import Reply

log = logging.getLogger(__name__)

# How long a reply may stay claimed before another sender takes it over, if its own is gone:
# its process died between the commit and the send, or gave the reply up (REPLY_LEASE_SECONDS).
# A live sender's replies are never taken over, however long it waits (`ReplySender.holding`).
REPLY_LEASE = dt.timedelta(seconds=30)
SEND_ATTEMPTS = 4
# Seconds between looks at replies to a chat that another sender has on their way.
EARLIER_POLL = 0.1
LOST = "lost"  # a reply another process took over while this one waited to send it


class ReplySender:
    """Sends committed replies, in order, and records how each ended."""

    def __init__(
        self,
        bot: Bot,
        locks: RunnerLocks,
        clock: Callable[[], dt.datetime],
        *,
        lease: dt.timedelta = REPLY_LEASE,
    ) -> None:
        self.bot = bot
        self.locks = locks
        self.clock = clock
        self.lease = lease
        # Replies claimed before this are a dead process's whatever the lease says: set at
        # start on SQLite, where no other process can be sending them.
        self.dead_before: dt.datetime | None = None
        # How replies ended whose outcome could not be written (the database was away):
        # written before anything pending is claimed, so a reply sent is not sent again.
        self._unrecorded: dict[int, tuple[str, str | None]] = {}
        # Waits for a send slot under Telegram's limit (the reminder pace; none in tests):
        # pace(chat_id, message), `message` if the call counts against the chat's one a
        # second (a new message; an edit or an answer to a press does not).
        self.pace: Callable[[int, bool], Awaitable[None]] | None = None
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep  # Telegram's retry_after
        # The replies this process's senders hold (claimed, not yet recorded as sent or
        # failed): no sweep here takes them over, however long they wait for a slot or for
        # Telegram's answer. Other processes see `me`: on PostgreSQL this process holds the
        # advisory lock (LIVE, me) while it runs (`start`), and replies claimed by a live
        # process are never taken over (`inbox.claim_stale_replies`).
        self.holding: set[int] = set()
        self.me: int | None = None
        self._alive: AsyncConnection | None = None

    async def start(self, engine: AsyncEngine) -> None:
        """On PostgreSQL, take this process's key and hold its advisory lock on a connection
        of its own for as long as the process runs (a kill closes the connection, and the
        lock goes with it); called again, it takes the lock back if the connection was lost."""
        if engine.dialect.name != "postgresql":
            return
        if self._alive is not None:
            try:
                await self._alive.execute(sa.text("SELECT 1"))
                return
            except Exception as error:
                log.warning(
                    "replies: the connection holding this process's lock is gone: %s", error
                )
                await self.stop()
        connection = await engine.connect()
        try:
            key = self.me
            while True:
                key = key or secrets.randbelow(2**31 - 2) + 1
                taken = await connection.scalar(
                    sa.text("SELECT pg_try_advisory_lock(:live, :key)"),
                    {"live": inbox.LIVE, "key": key},
                )
                if taken:
                    break
                key = None  # another process has this key: draw another
            await connection.commit()  # the session's lock outlives the transaction
        except BaseException:
            await connection.close()
            raise
        self._alive, self.me = connection, key

    async def stop(self) -> None:
        """Let go of this process's lock (at the end of a run)."""
        alive, self._alive = self._alive, None
        if alive is not None:  # the connection is closed, not handed back to the pool
            with contextlib.suppress(Exception):
                await alive.invalidate()
            with contextlib.suppress(Exception):
                await alive.close()

    def hold(self, ids: Iterable[int]) -> None:
        """Mark replies as held by a sender here until `_send_rows` has recorded them."""
        self.holding.update(ids)

    def release(self, ids: Iterable[int]) -> None:
        self.holding.difference_update(ids)

    def _stale_before(self) -> dt.datetime:
        """Pending replies claimed before this have no live sender: they may be taken."""
        cutoff = self.clock() - self.lease
        return cutoff if self.dead_before is None else max(cutoff, self.dead_before)

    async def send(
        self,
        rows: Sequence[tuple[int, Outgoing]],
        *,
        claimed_at: dt.datetime,
        none_earlier: Iterable[int] = (),
    ) -> None:
        """Send a turn's committed replies (claimed by it at `claimed_at`, and `hold`), after
        any to the same chat committed before them: a chat's replies go out in commit
        order. `none_earlier`: chats the turn found nothing pending for, under the runner's
        lock (`inbox.claim_update`), so not asked again."""
        try:
            first: dict[int, int] = {}
            for reply_id, call in rows:
                first.setdefault(call.chat_id, reply_id)
            for chat_id in none_earlier:
                first.pop(chat_id, None)
            for chat_id, before in first.items():
                try:
                    await self._earlier_first(chat_id, before)
                except Exception as error:  # the database is failing: ours go out anyway
                    log.warning("replies to chat %s: earlier ones not checked: %s", chat_id, error)
            await self._send_rows(rows, claimed_at)
        finally:
            self.release(reply_id for reply_id, _ in rows)

    async def wait_for_chat(self, chat_id: int) -> None:
        """Wait until every reply committed to this chat has been sent (see `send`)."""
        await self._earlier_first(chat_id, None)

    async def _earlier_first(self, chat_id: int, before: int | None) -> None:
        """Wait until the replies to `chat_id` (written before reply `before`) are sent.

        Normally there are none: one runner's turns run one at a time, each sending its
        replies before the next begins. After a crash, what the dead process committed and
        did not send is still pending (the first turn after the restart must not overtake
        it), and another process may be sending an earlier turn's replies right now. Those
        past their lease are taken over and sent here; the others are waited for.
        """
        while True:
            async with self.locks.sessions() as db:
                if not await inbox.earlier_pending(db, chat_id=chat_id, before=before):
                    return
            await self._record_unrecorded()
            now = self.clock()
            async with self.locks.transaction() as db:
                rows = await inbox.claim_stale_replies(
                    db,
                    now=now,
                    claimed_before=self._stale_before(),
                    chat_id=chat_id,
                    before=before,
                    me=self.me,
                    held=self.holding,
                )
                self.hold(r.id or 0 for r in rows)
            if rows:
                log.info("sending %s earlier replies to chat %s first", len(rows), chat_id)
                await self._send_rows(_outgoing(rows), now)
            else:  # on their way from another sender, or not yet past their lease
                await asyncio.sleep(EARLIER_POLL)

    async def _send_rows(
        self, rows: Sequence[tuple[int, Outgoing]], claimed_at: dt.datetime
    ) -> None:
        """Send claimed replies in order and record how each ended; they are held here
        (`holding`) until recorded, so no sweep takes them over meanwhile. Right before each
        call a claim older than half the lease is renewed (if this process lost its lock,
        another may have taken them over: those are left to it).

        Outcomes are written together, in one statement: before a new message goes out
        (so a crash repeats at most the message on its way, as before) and at the end; only
        the edits and answers to presses after a turn's last message wait for it."""
        claim = _Claim({reply_id for reply_id, _ in rows}, claimed_at)
        self.hold(claim.ids)
        done: list[tuple[int, str, str | None]] = []
        try:
            for reply_id, call in rows:
                if reply_id not in claim.ids:
                    continue
                if call.method in MESSAGES and done:
                    await self._finish(done)
                    done = []
                status, error = await self._send_one(
                    call, functools.partial(self._held, claim, reply_id)
                )
                claim.ids.discard(reply_id)
                log.debug(
                    "reply %s (%s to chat %s): %s", reply_id, call.method, call.chat_id, status
                )
                if status != LOST:
                    done.append((reply_id, status, error))
            await self._finish(done)
        finally:
            self.release(reply_id for reply_id, _ in rows)

    async def _finish(self, outcomes: list[tuple[int, str, str | None]]) -> None:
        """Write how replies ended; kept to write later if the database is away (sent or
        not, the runner is not kept waiting)."""
        if not outcomes:
            return
        try:
            async with self.locks.transaction() as db:
                await inbox.finish_replies(db, outcomes=outcomes, now=self.clock())
        except Exception as failure:
            for reply_id, status, error in outcomes:
                self._unrecorded[reply_id] = (status, error)
            log.error(
                "replies %s: could not record how they ended (kept to write later): %s",
                [reply_id for reply_id, _, _ in outcomes],
                failure,
            )

    async def _record_unrecorded(self) -> None:
        """Write the outcomes kept while the database was away; raises while it still is."""
        if not self._unrecorded:
            return
        kept = dict(self._unrecorded)
        async with self.locks.transaction() as db:
            await inbox.finish_replies(
                db,
                outcomes=[(reply_id, status, error) for reply_id, (status, error) in kept.items()],
                now=self.clock(),
            )
        for reply_id in kept:
            self._unrecorded.pop(reply_id, None)

    async def _held(self, claim: _Claim, reply_id: int) -> bool:
        """Whether `reply_id` is still this sender's to send, renewing the claim if due."""
        if self.clock() - claim.at <= self.lease / 2:
            return reply_id in claim.ids
        now = self.clock()
        try:
            async with self.locks.transaction() as db:
                mine = await inbox.renew_replies(db, ids=claim.ids, claimed_at=claim.at, now=now)
        except Exception as error:  # nobody else can take them over either: carry on
            log.warning("replies: claim not renewed: %s", error)
            return reply_id in claim.ids
        lost = sorted(claim.ids - mine)
        if lost:
            log.warning("replies %s: taken over by another process, not sent here", lost)
        claim.ids, claim.at = mine, now
        return reply_id in mine

    async def _send_one(
        self, call: Outgoing, held: Callable[[], Awaitable[bool]]
    ) -> tuple[str, str | None]:
        """Send one reply, retrying what can be retried: (status, error). Right before each
        attempt `held()` says whether the reply is still this sender's (LOST if not)."""
        delay = 0.5
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                if self.pace is not None:
                    await self.pace(call.chat_id, call.method in MESSAGES)
                if not await held():
                    return LOST, None
                await self._call(call)
                return inbox.SENT, None
            except RetryAfter as error:
                wait = error.retry_after
                seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
                log.warning(
                    "reply to chat %s: Telegram asks to wait %.0f s", call.chat_id, seconds
                )
                await self.sleep(min(seconds, 60.0))
            except (BadRequest, Forbidden) as error:
                # An edit of a message that is gone or unchanged, an answer to a press that
                # is too old, a runner who blocked the bot: nothing to retry.
                log.info("reply %s to chat %s refused: %s", call.method, call.chat_id, error)
                return inbox.FAILED, str(error)[:200]
            except TimedOut as error:
                if not isinstance(
                    error.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout | httpx.ConnectError
                ):
                    # The request left: Telegram may have shown it. Not sent twice.
                    log.warning("reply to chat %s timed out after sending", call.chat_id)
                    return inbox.FAILED, "timed out after sending"
                await asyncio.sleep(delay)
                delay *= 2
            except NetworkError as error:
                log.warning(
                    "reply to chat %s: network error (attempt %s): %s",
                    call.chat_id,
                    attempt,
                    error,
                )
                await asyncio.sleep(delay)
                delay *= 2
        return inbox.FAILED, "gave up after retries"

    async def _call(self, call: Outgoing) -> None:
        message_id = await call_bot(self.bot, call, paced=self.pace is not None)
        if message_id is not None and call.params.get("track"):
            await self.remember(call.chat_id, str(call.params["track"]), message_id)

    async def remember(self, chat_id: int, track: str, message_id: int) -> None:
        """Keep the id of a message sent with `track` ("kind:detail"), the newest of its kind
        per chat, so a later turn can edit it (the Mini App edits /today's). Never fails the
        send: a message not remembered is just not edited later."""
        kind, _, detail = track.partition(":")
        try:
            async with self.locks.transaction() as db:
                kept = await repo.get_kv(db, namespace=TRACKED, key=str(chat_id)) or {}
                kept[kind] = {"message_id": message_id, "detail": detail}
                await repo.set_kv(db, namespace=TRACKED, key=str(chat_id), value=kept)
        except Exception as error:
            log.warning("message %s to chat %s not remembered: %s", message_id, chat_id, error)

    async def send_stale(self) -> int:
        """Send the replies a process committed but did not live to send (claimed before
        `_stale_before`): each chat's in order, different chats side by side."""
        await self._record_unrecorded()
        total = 0
        while True:
            now = self.clock()
            async with self.locks.transaction() as db:
                rows = await inbox.claim_stale_replies(
                    db,
                    now=now,
                    claimed_before=self._stale_before(),
                    me=self.me,
                    held=self.holding,
                )
                self.hold(r.id or 0 for r in rows)
            if not rows:
                return total
            log.info("sending %s replies left by a process that stopped", len(rows))
            chats: dict[int, list[tuple[int, Outgoing]]] = {}
            for row in _outgoing(rows):
                chats.setdefault(row[1].chat_id, []).append(row)
            await asyncio.gather(*(self._send_rows(chat, now) for chat in chats.values()))
            total += len(rows)


@dataclass
class _Claim:
    """The replies a sender holds, and when it claimed (or last renewed) them."""

    ids: set[int]
    at: dt.datetime


def _outgoing(rows: Sequence[Reply]) -> list[tuple[int, Outgoing]]:
    return [(r.id or 0, Outgoing(r.method, r.chat_id, dict(r.params))) for r in rows]
