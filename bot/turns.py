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
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot, InlineKeyboardMarkup, InputFile

from bot.pace import paced as paced_args
from storage.inbox import Outgoing

log = logging.getLogger(__name__)

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


# The runners' commits `RunnerLocks.committed_since` can tell apart (a slot's wait holds a few).
RECENT_COMMITS = 256


class RunnerLocks:
    """Transactions, and one turn at a time per runner: across processes on PostgreSQL
    (advisory locks), and one writing transaction at a time in this process on SQLite (it
    has a single writer: a FIFO hand-over here instead of polling a busy database)."""

    def __init__(self, sessions: Callable[[], AsyncSession], *, postgres: bool) -> None:
        self.sessions = sessions
        self.postgres = postgres
        self._sqlite = asyncio.Lock()
        # Runners' transactions (with a `user_id`) committed in this process: the reminder
        # dispatcher checks its claims again after any of them (an erase, say); the latest
        # ones, (count, user id), say whose (`committed_since`).
        self.runner_commits = 0
        self._recent: deque[tuple[int, int]] = deque(maxlen=RECENT_COMMITS)

    @contextlib.asynccontextmanager
    async def transaction(self, user_id: int | None = None) -> AsyncIterator[AsyncSession]:
        """A session in a transaction; with `user_id`, holding that runner's lock until it
        ends."""
        if self.postgres:
            async with self._session() as db:
                if user_id is not None:
                    await db.exec(  # type: ignore[call-overload]
                        sa.text("SELECT pg_advisory_xact_lock(:key)"), params={"key": user_id}
                    )
                yield db
        else:
            async with self._sqlite, self._session() as db:
                yield db
        if user_id is not None:  # reached only once it has committed
            self.runner_commits += 1
            self._recent.append((self.runner_commits, user_id))

    def committed_since(self, count: int, user_id: int) -> bool:
        """Whether a transaction of `user_id` committed here after the `count`-th runner
        commit (True when that is too long ago to tell)."""
        if self.runner_commits - count > len(self._recent):
            return True
        for seen, user in reversed(self._recent):
            if seen <= count:
                return False
            if user == user_id:
                return True
        return False

    @contextlib.asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        """A session whose transaction (begun at its first statement) is committed when the
        block ends, rolled back if it raises. As `async with sessions() as db, db.begin()`,
        with the commit and the close in one hop to SQLAlchemy's sync side instead of three
        (about a fifth of a short transaction's cost; there are two or three per update)."""
        db = self.sessions()
        try:
            yield db
        except BaseException:
            await asyncio.shield(db.close())  # rolls back
            raise
        await db.run_sync(_commit_and_close)


def _commit_and_close(session: Session) -> None:
    try:
        session.commit()
    finally:
        session.close()


@dataclass
class Replies:
    """The calls one turn makes, in order."""

    calls: list[Outgoing] = field(default_factory=list)

    def add(self, method: str, chat_id: int, **params: Any) -> None:
        self.calls.append(Outgoing(method, chat_id, {k: v for k, v in params.items()}))


def document_param(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def call_bot(bot: Bot, call: Outgoing, *, paced: bool = False) -> int | None:
    """Make one recorded Bot API call; the new message's id for a sendMessage. `paced`: it
    waited for its `Pace` slot already, so PTB's rate limiter lets it through as it is
    (`bot.pace.PacedFirst`: no second wait, and a 429 is the sender's to log, in a line)."""
    params = call.params
    limits = paced_args(bot) if paced else {}
    markup = params.get("reply_markup")
    keyboard = InlineKeyboardMarkup.de_json(markup, bot) if markup else None
    if call.method == "sendMessage":
        sent = await bot.send_message(
            call.chat_id, params["text"], reply_markup=keyboard, **limits
        )
        return sent.message_id
    elif call.method == "editMessageText":
        await bot.edit_message_text(
            params["text"],
            chat_id=call.chat_id,
            message_id=params["message_id"],
            reply_markup=keyboard,
            **limits,
        )
    elif call.method == "editMessageReplyMarkup":
        await bot.edit_message_reply_markup(
            chat_id=call.chat_id,
            message_id=params["message_id"],
            reply_markup=keyboard,
            **limits,
        )
    elif call.method == "answerCallbackQuery":
        await bot.answer_callback_query(
            params["callback_query_id"], text=params.get("text"), **limits
        )
    elif call.method == "sendDocument":
        await bot.send_document(
            call.chat_id,
            document=InputFile(base64.b64decode(params["document"]), filename=params["filename"]),
            caption=params.get("caption"),
            **limits,
        )
    elif call.method == "sendPhoto":
        await bot.send_photo(
            call.chat_id,
            photo=InputFile(base64.b64decode(params["photo"]), filename=params["filename"]),
            caption=params.get("caption"),
            **limits,
        )
    else:  # pragma: no cover - every method a turn records is above
        raise ValueError(f"unknown reply method {call.method}")
    return None
