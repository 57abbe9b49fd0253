"""A turn: one update handled in one transaction, its replies sent after the commit.

Commit, then speak: a handler never calls Telegram. What it says (messages, edits, answers
to button presses) is collected as `Outgoing` calls, written to the `reply` table in the
turn's own transaction, and sent once that transaction has committed. A crash after the
commit leaves the replies pending; they are sent on restart (`ReplySender.send_stale`).

One runner's turns run one at a time, in update order: on PostgreSQL the turn holds an
advisory lock on the user's id (so several processes act as one); SQLite has one writer,
so turns there take one in-process lock for their (short) transaction. No transaction is
open while Telegram is called.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from storage import inbox, repo
from storage.inbox import Outgoing
from storage.tables import Reply

log = logging.getLogger(__name__)

# How long a reply may stay claimed by a process before another one sends it: the sender
# died between the commit and the send (REPLY_LEASE_SECONDS).
REPLY_LEASE = dt.timedelta(seconds=30)
SEND_ATTEMPTS = 4
# Seconds between looks at replies to a chat that another sender has on their way.
EARLIER_POLL = 0.1
LOST = "lost"  # a reply another process took over while this one waited to send it
# The calls Telegram counts against a chat's one message a second.
MESSAGES = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
# Update ids from here up are the Mini App's presses (bot.webapp), handed to the inbox as
# updates of our own: Telegram's update ids are far below (docs/miniapp.md).
INTERNAL_UPDATES = 2**62
# Messages a turn asked to keep track of (`Turn.say(track=...)`): per chat (the key, so
# /delete and /export include it), the newest message of each kind, e.g. /today's.
TRACKED = "tracked_message"


def is_internal(update_id: int) -> bool:
    """An update the bot made itself (a Mini App press), not one Telegram sent."""
    return update_id >= INTERNAL_UPDATES


@dataclass
class TurnState:
    """What became of one update from the inbox: set by the turn, read by the inbox worker."""

    update_id: int
    outcome: str = ""  # "" (no turn ran) | "mine" | "done" | "later" | "failed"
    error: BaseException | None = None


CURRENT: ContextVar[TurnState | None] = ContextVar("runcoach_turn_state", default=None)


class RunnerLocks:
    """Transactions, and one turn at a time per runner: across processes on PostgreSQL
    (advisory locks), and one writing transaction at a time in this process on SQLite (it
    has a single writer: a FIFO hand-over here instead of polling a busy database)."""

    def __init__(self, sessions: Callable[[], AsyncSession], *, postgres: bool) -> None:
        self.sessions = sessions
        self.postgres = postgres
        self._sqlite = asyncio.Lock()
        # Runners' transactions (with a `user_id`) committed in this process: the reminder
        # dispatcher checks its claims again after any of them (an erase, say).
        self.runner_commits = 0

    @contextlib.asynccontextmanager
    async def transaction(self, user_id: int | None = None) -> AsyncIterator[AsyncSession]:
        """A session in a transaction; with `user_id`, holding that runner's lock until it
        ends."""
        if self.postgres:
            async with self.sessions() as db, db.begin():
                if user_id is not None:
                    await db.exec(  # type: ignore[call-overload]
                        sa.text("SELECT pg_advisory_xact_lock(:key)"), params={"key": user_id}
                    )
                yield db
        else:
            async with self._sqlite, self.sessions() as db, db.begin():
                yield db
        if user_id is not None:  # reached only once it has committed
            self.runner_commits += 1


@dataclass
class Replies:
    """The calls one turn makes, in order."""

    calls: list[Outgoing] = field(default_factory=list)

    def add(self, method: str, chat_id: int, **params: Any) -> None:
        self.calls.append(Outgoing(method, chat_id, {k: v for k, v in params.items()}))


def document_param(data: bytes) -> str:
    return base64.b64encode(data).decode()


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

    def _stale_before(self) -> dt.datetime:
        """Pending replies claimed before this have no live sender: they may be taken."""
        cutoff = self.clock() - self.lease
        return cutoff if self.dead_before is None else max(cutoff, self.dead_before)

    async def send(self, rows: Sequence[tuple[int, Outgoing]], *, claimed_at: dt.datetime) -> None:
        """Send a turn's committed replies (claimed by it at `claimed_at`), after any to the
        same chat committed before them: a chat's replies go out in commit order."""
        first: dict[int, int] = {}
        for reply_id, call in rows:
            first.setdefault(call.chat_id, reply_id)
        for chat_id, before in first.items():
            try:
                await self._earlier_first(chat_id, before)
            except Exception as error:  # the database is failing: ours go out anyway
                log.warning("replies to chat %s: earlier ones not checked: %s", chat_id, error)
        await self._send_rows(rows, claimed_at)

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
                )
            if rows:
                log.info("sending %s earlier replies to chat %s first", len(rows), chat_id)
                await self._send_rows(_outgoing(rows), now)
            else:  # on their way from another sender, or not yet past their lease
                await asyncio.sleep(EARLIER_POLL)

    async def _send_rows(
        self, rows: Sequence[tuple[int, Outgoing]], claimed_at: dt.datetime
    ) -> None:
        """Send claimed replies in order and record how each ended. Right before each call
        a claim older than half the lease is renewed, so no other process takes over a
        reply this one is still sending (after a long wait for a slot or a 429, say);
        replies taken over meanwhile are left to their new sender."""
        claim = _Claim({reply_id for reply_id, _ in rows}, claimed_at)
        for reply_id, call in rows:
            if reply_id not in claim.ids:
                continue
            status, error = await self._send_one(
                call, functools.partial(self._held, claim, reply_id)
            )
            claim.ids.discard(reply_id)
            log.debug("reply %s (%s to chat %s): %s", reply_id, call.method, call.chat_id, status)
            if status == LOST:
                continue
            try:
                async with self.locks.transaction() as db:
                    await inbox.finish_reply(
                        db, reply_id=reply_id, status=status, now=self.clock(), error=error
                    )
            except Exception as failure:  # sent or not, the runner is not kept waiting
                self._unrecorded[reply_id] = (status, error)
                log.error(
                    "reply %s: could not record that it was %s (kept to write later): %s",
                    reply_id,
                    status,
                    failure,
                )

    async def _record_unrecorded(self) -> None:
        """Write the outcomes kept while the database was away; raises while it still is."""
        if not self._unrecorded:
            return
        kept = dict(self._unrecorded)
        async with self.locks.transaction() as db:
            for reply_id, (status, error) in kept.items():
                await inbox.finish_reply(
                    db, reply_id=reply_id, status=status, now=self.clock(), error=error
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
                await asyncio.sleep(min(seconds, 60.0))
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
        params = call.params
        markup = params.get("reply_markup")
        keyboard = InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None
        if call.method == "sendMessage":
            sent = await self.bot.send_message(call.chat_id, params["text"], reply_markup=keyboard)
            if params.get("track"):
                await self.remember(call.chat_id, str(params["track"]), sent.message_id)
        elif call.method == "editMessageText":
            await self.bot.edit_message_text(
                params["text"],
                chat_id=call.chat_id,
                message_id=params["message_id"],
                reply_markup=keyboard,
            )
        elif call.method == "editMessageReplyMarkup":
            await self.bot.edit_message_reply_markup(
                chat_id=call.chat_id, message_id=params["message_id"], reply_markup=keyboard
            )
        elif call.method == "answerCallbackQuery":
            await self.bot.answer_callback_query(
                params["callback_query_id"], text=params.get("text")
            )
        elif call.method == "sendDocument":
            await self.bot.send_document(
                call.chat_id,
                document=InputFile(
                    base64.b64decode(params["document"]), filename=params["filename"]
                ),
                caption=params.get("caption"),
            )
        elif call.method == "sendPhoto":
            await self.bot.send_photo(
                call.chat_id,
                photo=InputFile(base64.b64decode(params["photo"]), filename=params["filename"]),
                caption=params.get("caption"),
            )
        else:  # pragma: no cover - every method a turn records is above
            raise ValueError(f"unknown reply method {call.method}")

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
                    db, now=now, claimed_before=self._stale_before()
                )
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
