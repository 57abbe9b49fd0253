"""One update as one turn: the runner, their open dialog, the database session, and what the
turn will say once its transaction has committed.

A handler never calls Telegram: it is a `TurnHandler` (`async def step(turn)`), wrapped with
`with_turn` for PTB. `run_turn` holds the runner's lock, claims the update, runs the handler,
writes its replies to the `reply` table and commits; only then are the replies sent
(`bot.turns.ReplySender`). docs/architecture.md, "Commit, then speak", says why.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from bot import texts
from bot.dialog.state import DIALOG, Dialog, load_dialog
from bot.render import TELEGRAM_LIMIT
from bot.runtime import runtime
from bot.services import save_and_reschedule
from bot.turns import CURRENT, Replies, document_param, is_internal
from storage import inbox, repo
from storage.tables import Runner

log = logging.getLogger(__name__)
Ctx = ContextTypes.DEFAULT_TYPE
PtbHandler = Callable[[Update, Ctx], Coroutine[Any, Any, None]]
T = TypeVar("T", covariant=True)


class Codec(Protocol[T]):
    """A button kind of `bot.callbacks`, as a handler reads its presses."""

    def parse(self, data: str) -> T | None: ...


@dataclass
class Turn:
    """One update's work: the runner, their open dialog, the database session, and what the
    turn will say once its transaction has committed (`replies`)."""

    update: Update
    context: Ctx
    db: AsyncSession
    runner: Runner
    dialog: Dialog | None
    replies: Replies = field(default_factory=Replies)
    _answered: bool = False

    @property
    def chat_id(self) -> int:
        return self.runner.chat_id

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.runner.time_zone)

    def clock(self) -> dt.datetime:
        return runtime(self.context).clock()

    def local_now(self) -> dt.datetime:
        return self.clock().astimezone(self.zone)

    def today(self) -> dt.date:
        return self.local_now().date()

    async def say(
        self, text: str, markup: InlineKeyboardMarkup | None = None, *, track: str | None = None
    ) -> None:
        """Say something after the commit, with buttons if given (`bot.keyboards`); with
        `track` ("kind:detail"), the sent message's id is kept (`ReplySender.remember`)."""
        if len(text) > TELEGRAM_LIMIT:  # never fail a turn over length; hints quote input
            text = text[: TELEGRAM_LIMIT - 1] + "…"
        params: dict[str, Any] = {"text": text}
        if markup is not None:
            params["reply_markup"] = markup.to_dict()
        if track is not None:
            params["track"] = track
        self.replies.add("sendMessage", self.chat_id, **params)

    async def answer_query(self, text: str | None = None) -> None:
        """Answer the button press this turn handles (once; later calls are ignored)."""
        query = self.update.callback_query
        if query is None or self._answered or is_internal(self.update.update_id):
            return  # a press from the Mini App (bot.webapp) has no query Telegram knows
        self._answered = True
        params: dict[str, Any] = {"callback_query_id": query.id}
        if text:
            params["text"] = text
        self.replies.add("answerCallbackQuery", self.chat_id, **params)

    async def close_prompt(self, message: Message | None, echo: str) -> None:
        """Under an answered question, show the answer and take its buttons away."""
        if message is None or not message.text:
            return
        text = message.text if not echo else f"{message.text}\n\n→ {echo}"
        await self.edit(message, text[:4096], None)

    async def edit(self, message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
        await self.edit_id(message.chat_id, message.message_id, text, markup)

    async def edit_id(
        self, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        params: dict[str, Any] = {"message_id": message_id, "text": text}
        if markup is not None:
            params["reply_markup"] = markup.to_dict()
        self.replies.add("editMessageText", chat_id, **params)

    async def edit_markup(self, message: Message, markup: InlineKeyboardMarkup) -> None:
        self.replies.add(
            "editMessageReplyMarkup",
            message.chat_id,
            message_id=message.message_id,
            reply_markup=markup.to_dict(),
        )

    async def send_document(self, data: bytes, *, filename: str, caption: str) -> None:
        self.replies.add(
            "sendDocument",
            self.chat_id,
            document=document_param(data),
            filename=filename,
            caption=caption,
        )

    async def send_photo(self, data: bytes, *, filename: str, caption: str) -> None:
        """Send an image (a PNG) with its caption, after the commit (docs/pictures.md)."""
        self.replies.add(
            "sendPhoto",
            self.chat_id,
            photo=document_param(data),
            filename=filename,
            caption=caption,
        )

    @property
    def step(self) -> str:
        return self.dialog.step if self.dialog else ""

    async def save_dialog(self) -> None:
        key = str(self.runner.telegram_user_id)
        if self.dialog is None:
            await repo.delete_kv(self.db, namespace=DIALOG, key=key)
        else:
            await repo.set_kv(self.db, namespace=DIALOG, key=key, value=self.dialog.stored())


async def begin_turn(update: Update, context: Ctx, db: AsyncSession, replies: Replies) -> Turn:
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None and chat is not None
    found = await repo.get_runner_with_kv(
        db, telegram_user_id=user.id, namespace=DIALOG, key=str(user.id)
    )
    if found is not None:
        runner, stored = found
    else:  # first contact
        runner = await repo.get_or_create_runner(
            db,
            telegram_user_id=user.id,
            chat_id=chat.id,
            first_name=user.first_name or "",
            now=runtime(context).clock(),
            looked_up=True,  # just now, under their lock
        )
        stored = await repo.get_kv(db, namespace=DIALOG, key=str(user.id))
    dialog = load_dialog(stored, user_id=user.id)
    if not runner.active:  # they blocked the bot once and are back: reminders resume
        runner.active = True
        await save_and_reschedule(db, runner, now=runtime(context).clock())
    return Turn(update, context, db, runner, dialog, replies)


TurnHandler = Callable[[Turn], Awaitable[None]]


def with_turn(*, needs_plan: bool = False) -> Callable[[TurnHandler], PtbHandler]:
    """Run a handler as one turn (`run_turn`); with `needs_plan`, a runner who has not
    finished setup is pointed to /start instead."""

    def wrap(handler: TurnHandler) -> PtbHandler:
        @functools.wraps(handler)
        async def callback(update: Update, context: Ctx) -> None:
            await run_turn(update, context, handler, needs_plan=needs_plan)

        return callback

    return wrap


async def run_turn(
    update: Update, context: Ctx, handler: TurnHandler, *, needs_plan: bool = False
) -> None:
    """One update, once: in one transaction that holds the runner's lock, marks the update
    handled and records the replies; the replies go out only after it has committed."""
    rt = runtime(context)
    state = CURRENT.get()
    user = update.effective_user
    user_id = user.id if user is not None else None
    replies = Replies()
    ids: list[int] = []
    try:
        async with rt.locks.transaction(user_id) as db:
            now = rt.clock()
            claim, replies_waiting = await inbox.claim_update(
                db,
                update_id=update.update_id,
                user_id=user_id,
                now=now,
                stored=state is not None,  # from the inbox, not handed over directly
            )
            if state is not None:
                state.outcome = claim
            if claim != "mine":
                log.info("update %s: %s, not handled again", update.update_id, claim)
                return
            query = update.callback_query
            if query is not None and not _own_press(update):
                # A press on a message in someone else's chat: it changes nothing and
                # creates no runner.
                log.warning(
                    "update %s: a press from user %s on another chat", update.update_id, user_id
                )
                replies.add(
                    "answerCallbackQuery",
                    user_id or 0,
                    callback_query_id=query.id,
                    text=texts.STALE_BUTTON,
                )
            else:
                turn = await begin_turn(update, context, db, replies)
                if needs_plan and not turn.runner.onboarded:
                    await turn.say(texts.NO_PLAN_YET)
                else:
                    await handler(turn)
            ids = await inbox.add_replies(
                db,
                replies=replies.calls,
                update_id=update.update_id,
                now=now,
                claimed_by=rt.sender.me,
            )
            rt.sender.hold(ids)  # this sender's from here: no sweep takes them over
    except BaseException as error:
        rt.sender.release(ids)
        if state is not None:
            state.outcome, state.error = "failed", error
        raise
    log.debug("update %s of user %s committed: replies %s", update.update_id, user_id, ids)
    # Under the runner's lock the turn saw whether replies to their chat were pending: only
    # their own turns write there, so with none, theirs go out without asking again.
    none_earlier = () if replies_waiting or user_id is None else (user_id,)
    await rt.sender.send(
        list(zip(ids, replies.calls, strict=True)), claimed_at=now, none_earlier=none_earlier
    )


def _own_press(update: Update) -> bool:
    """A press counts only on a message in the presser's own private chat (whose id is the
    user's id)."""
    query = update.callback_query
    assert query is not None
    message = query.message
    return message is not None and message.chat.id == query.from_user.id


def pressed(turn: Turn, codec: Codec[T]) -> tuple[CallbackQuery, T | None]:
    """The button press this turn handles, and its data read by `codec` (None: not one)."""
    query = turn.update.callback_query
    assert query is not None  # a CallbackQueryHandler's turn
    return query, codec.parse(query.data or "")


def message_of(query: CallbackQuery) -> Message | None:
    """The message a pressed button is under (None when Telegram no longer has it)."""
    return query.message if isinstance(query.message, Message) else None
