"""Gatekeepers and fallbacks: the flood gate and group chats before anything else; stickers,
unknown commands and buttons nobody handles after everything else; and the error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import texts
from bot.dialog.engine import ask
from bot.dialog.question import short
from bot.handlers.filters import PRIVATE
from bot.runtime import App, runtime
from bot.turn import Ctx, Turn, with_turn
from bot.turns import CURRENT

log = logging.getLogger(__name__)


async def flood_gate(update: Update, context: Ctx) -> None:
    """Drop an update from a runner who sends too many, warning them once."""
    user = update.effective_user
    if user is None:
        return
    rt = runtime(context)
    gate = rt.flood_gate
    if gate.allow(user.id, rt.clock()):
        return
    if user.id not in gate.warned and update.effective_chat is not None:
        gate.warned.add(user.id)
        await context.bot.send_message(update.effective_chat.id, texts.SLOW_DOWN)
    log.info("flood: dropped an update from user %s", user.id)
    raise ApplicationHandlerStop


async def on_group(update: Update, context: Ctx) -> None:
    """Turn group chats away: nothing from a group reaches the coach or the database."""
    if update.effective_chat is not None and (
        update.message is None or (update.message.text or "").startswith("/")
    ):
        await context.bot.send_message(update.effective_chat.id, texts.PRIVATE_ONLY)
    raise ApplicationHandlerStop


@with_turn()
async def on_other_content(turn: Turn) -> None:
    """Stickers, photos, locations...: say what works instead, and repeat the question."""
    active = turn.dialog is not None and turn.dialog.active
    hint = "Please answer the question below." if active else "/help lists what I can do."
    await turn.say(texts.ONLY_TEXT.format(hint=hint))
    if active:
        await ask(turn)


@with_turn()
async def on_unknown_command(turn: Turn) -> None:
    """A command the coach does not have; in the middle of a question, the question again."""
    if turn.dialog is not None and turn.dialog.active:
        message = turn.update.message
        command = (message.text or "").split()[0] if message is not None else "that"
        await turn.say(texts.MID_QUESTION.format(command=short(command, 40)))
        await ask(turn)
        return
    await turn.say(texts.NOT_UNDERSTOOD)


@with_turn()
async def on_stale_button(turn: Turn) -> None:
    """A press no feature handles (an old or unknown button): nothing changes."""
    await turn.answer_query(texts.STALE_BUTTON)


async def on_error(update: object, context: Ctx) -> None:
    """Log with context (never the token), and tell the runner their answers are safe."""
    user = getattr(getattr(update, "effective_user", None), "id", None)
    update_id = getattr(update, "update_id", None)
    log.error(
        "update %s from user %s failed: %s",
        update_id,
        user,
        context.error,
        exc_info=context.error,
    )
    chat = getattr(update, "effective_chat", None)
    if CURRENT.get() is not None:
        return  # from the inbox: retried, and the runner told if it keeps failing
    if chat is not None:
        try:
            await context.bot.send_message(chat.id, texts.SOMETHING_WENT_WRONG)
        except Exception:  # the error handler itself must never raise
            log.exception("could not tell chat %s about the error", chat.id)


def register_gates(app: App) -> None:
    """Before any feature: the flood gate (group -2), then group chats (group -1)."""
    app.add_handler(TypeHandler(Update, flood_gate), -2)
    app.add_handler(MessageHandler(~filters.ChatType.PRIVATE, on_group), -1)


def register_fallbacks(app: App) -> None:
    """After every feature: what none of them handled, and the error handler."""
    app.add_handler(CallbackQueryHandler(on_stale_button))
    app.add_handler(MessageHandler(PRIVATE & ~filters.TEXT, on_other_content))
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, on_unknown_command))
    app.add_error_handler(on_error)
