"""The runner's data: /export sends all of it as a file, /delete erases all of it."""

from __future__ import annotations

import json
import logging

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards, prompts, texts
from bot.calendar import export_feed
from bot.callbacks import DeleteChoice, DeletePress
from bot.handlers.filters import PRIVATE
from bot.runtime import App
from bot.services import runner_id
from bot.turn import Turn, message_of, pressed, with_turn
from storage import repo

log = logging.getLogger(__name__)


@with_turn()
async def on_export(turn: Turn) -> None:
    """Send everything stored about the runner as a JSON file, and the coming weeks as an
    .ics file."""
    data = await repo.export_runner(turn.db, runner_id=runner_id(turn.runner))
    document = json.dumps(data, indent=2, ensure_ascii=False, default=str).encode()
    # The coming weeks as the calendar feed has them; the JSON, with everything, comes last.
    if turn.runner.onboarded:
        calendar = await export_feed(turn.db, turn.runner, turn.clock())
        await turn.send_document(
            calendar,
            filename=f"runcoach-{turn.today():%Y-%m-%d}.ics",
            caption=texts.EXPORT_CALENDAR_CAPTION,
        )
    await turn.send_document(
        document, filename=f"runcoach-{turn.today():%Y-%m-%d}.json", caption=texts.EXPORT_CAPTION
    )


@with_turn()
async def on_delete(turn: Turn) -> None:
    """Ask before erasing everything (a typed yes or no answers too)."""
    await turn.say(texts.DELETE_CONFIRM, keyboards.delete_confirm())
    await prompts.open_prompt(turn, prompts.DELETE)


@with_turn()
async def on_delete_button(turn: Turn) -> None:
    """Erase everything, or keep it, as the runner pressed."""
    query, press = pressed(turn, DeletePress)
    message = message_of(query)
    if press is not None and press.choice is DeleteChoice.KEEP:
        await turn.answer_query()
        await turn.close_prompt(message, "Kept")
        await prompts.close_prompt(turn)
        await turn.say(texts.DELETE_KEPT)
        return
    if press is None:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    await turn.close_prompt(message, "Erased")
    await erase(turn)


async def answer_delete(turn: Turn, said: bool | None) -> None:
    """A typed answer to /delete's confirmation: yes erases, no keeps, anything else asks
    again."""
    if said is True:
        await erase(turn)
    elif said is False:
        await turn.say(texts.DELETE_KEPT)
    else:
        await turn.say(texts.DELETE_YES_OR_NO, keyboards.delete_confirm())
        await prompts.open_prompt(turn, prompts.DELETE)


async def erase(turn: Turn) -> None:
    """Erase everything stored about the runner."""
    await repo.delete_runner(
        turn.db, runner_id=runner_id(turn.runner), keep_update=turn.update.update_id
    )
    turn.dialog = None  # nothing of theirs is written back after this
    log.info("runner %s erased their data", turn.runner.id)
    await turn.say(texts.DELETED)


def register(app: App) -> None:
    """/export, /delete and its confirmation buttons."""
    app.add_handler(CommandHandler("export", on_export, filters=PRIVATE))
    app.add_handler(CommandHandler("delete", on_delete, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_delete_button, pattern=DeletePress.pattern))
