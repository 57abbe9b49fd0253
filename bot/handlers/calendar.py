"""/calendar: the runner's private calendar address; /calendar reset (and its button) issues
a new one, and the old one answers 404 from that commit on (docs/calendar.md)."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import texts
from bot.calendar import feed_path, new_feed_id, new_token, token_hash
from bot.handlers.filters import PRIVATE
from bot.runtime import App, runtime
from bot.services import runner_id
from bot.turn import Turn, with_turn
from storage import repo

log = logging.getLogger(__name__)
RESET = "cal:reset"  # the New address button
RESET_PATTERN = r"^cal:reset$"


def _reset_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.CALENDAR_RESET_BUTTON, callback_data=RESET)]]
    )


def _public_base(turn: Turn) -> str | None:
    return runtime(turn.context).settings.public_base_url


@with_turn(needs_plan=True)
async def on_calendar(turn: Turn) -> None:
    """The address (a new runner's first one), or what to do when it was given before."""
    args = [a.lower() for a in (turn.context.args or [])]
    if args and args != ["reset"]:
        await turn.say(texts.CALENDAR_UNKNOWN)
        return
    base = _public_base(turn)
    if base is None:
        await turn.say(texts.CALENDAR_NOT_SET_UP)
        return
    if args == ["reset"]:
        await _issue(turn, base, reset=True)
        return
    feed = await repo.get_feed(turn.db, runner_id=runner_id(turn.runner))
    if feed is not None:
        given = feed.created_at.astimezone(turn.zone)
        await turn.say(texts.CALENDAR_EXISTS.format(date=f"{given:%-d %B %Y}"), _reset_keyboard())
        return
    await _issue(turn, base, reset=False)


@with_turn(needs_plan=True)
async def on_reset_button(turn: Turn) -> None:
    await turn.answer_query()
    base = _public_base(turn)
    if base is None:
        await turn.say(texts.CALENDAR_NOT_SET_UP)
        return
    await _issue(turn, base, reset=True)


async def _issue(turn: Turn, base: str, *, reset: bool) -> None:
    """A new token: its hash is stored (the token itself never is) and the address said."""
    token = new_token()
    feed = await repo.set_feed_token(
        turn.db,
        runner_id=runner_id(turn.runner),
        token_hash=token_hash(token),
        feed_id=new_feed_id(),
    )
    feed.created_at = turn.clock()
    turn.db.add(feed)
    https = base + feed_path(token)
    webcal = "webcal://" + https.split("://", 1)[1]
    text = texts.CALENDAR_ADDRESS.format(webcal=webcal, https=https)
    if reset:
        text = texts.CALENDAR_RESET_DONE + "\n\n" + text
    rows = []
    if https.startswith("https://"):  # Telegram takes no button to a local address
        rows.append([InlineKeyboardButton(texts.CALENDAR_OPEN_BUTTON, url=https)])
    rows.append([InlineKeyboardButton(texts.CALENDAR_RESET_BUTTON, callback_data=RESET)])
    log.info(
        "runner %s was given a %s calendar address", turn.runner.id, "new" if reset else "first"
    )
    await turn.say(text, InlineKeyboardMarkup(rows))


def register(app: App) -> None:
    """/calendar and its New address button."""
    app.add_handler(CommandHandler("calendar", on_calendar, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_reset_button, pattern=RESET_PATTERN))
