"""A turn: one update handled in one transaction, its replies sent after the commit.

Commit, then speak: a handler never calls Telegram. What it says (messages, edits, answers
to button presses) is collected as `Outgoing` calls, written to the `reply` table in the
turn's own transaction, and sent once that transaction has committed. A crash after the
commit leaves the replies pending; they are sent on restart (`send_stale_replies`).

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

from storage import inbox
from storage.inbox import Outgoing

log = logging.getLogger(__name__)

# How long a reply may stay claimed by a process before another one sends it: the sender
# died between the commit and the send.
REPLY_LEASE = dt.timedelta(seconds=30)
SEND_ATTEMPTS = 4


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

    def __init__(self, bot: Bot, locks: RunnerLocks, clock: Callable[[], dt.datetime]) -> None:
        self.bot = bot
        self.locks = locks
        self.clock = clock
        # Waits for a send slot under Telegram's limit (the reminder pace; none in tests).
        self.pace: Callable[[int], Awaitable[None]] | None = None

    async def send(self, rows: Sequence[tuple[int, Outgoing]]) -> None:
        for reply_id, call in rows:
            status, error = await self._send_one(call)
            log.debug("reply %s (%s to chat %s): %s", reply_id, call.method, call.chat_id, status)
            try:
                async with self.locks.transaction() as db:
                    await inbox.finish_reply(
                        db, reply_id=reply_id, status=status, now=self.clock(), error=error
                    )
            except Exception as failure:  # sent or not, the runner is not kept waiting
                log.error(
                    "reply %s: could not record that it was %s: %s", reply_id, status, failure
                )

    async def _send_one(self, call: Outgoing) -> tuple[str, str | None]:
        delay = 0.5
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                if self.pace is not None:
                    await self.pace(call.chat_id)
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
            await self.bot.send_message(call.chat_id, params["text"], reply_markup=keyboard)
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
        else:  # pragma: no cover - every method a turn records is above
            raise ValueError(f"unknown reply method {call.method}")

    async def send_stale(self, *, lease: dt.timedelta = REPLY_LEASE) -> int:
        """Send the replies a process committed but did not live to send."""
        total = 0
        while True:
            async with self.locks.transaction() as db:
                rows = await inbox.claim_stale_replies(db, now=self.clock(), lease=lease)
            if not rows:
                return total
            log.info("sending %s replies left by a process that stopped", len(rows))
            await self.send(
                [(r.id or 0, Outgoing(r.method, r.chat_id, dict(r.params))) for r in rows]
            )
            total += len(rows)
