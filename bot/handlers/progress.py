"""The week as a picture (/plan's "Picture" button, `pic:`) and /progress, the last 12 weeks
as a chart (docs/pictures.md). Both are sent with sendPhoto after the commit, with a caption
that carries the same facts in words."""

from __future__ import annotations

import datetime as dt
import logging

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import texts
from bot.callbacks import PicturePress
from bot.handlers.filters import PRIVATE
from bot.pictures import draw_progress, draw_week, progress_of, week_of
from bot.reminders.compose import weeks_streak
from bot.runtime import App
from bot.turn import Turn, pressed, with_turn
from core.planner import week_start_of

log = logging.getLogger(__name__)
WEEK_DAYS = 7


@with_turn()
async def on_picture(turn: Turn) -> None:
    """The Picture button: that week as an image, with its caption."""
    _, press = pressed(turn, PicturePress)
    if press is None or not turn.runner.onboarded:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    picture = await week_of(turn.db, turn.runner, press.week, today=turn.today())
    try:
        photo = await draw_week(picture)
    except Exception:  # a drawing that fails says so; the week in words is one tap away
        log.exception("week picture for runner %s (week %s) failed", turn.runner.id, press.week)
        await turn.say(texts.PICTURE_SENDING_FAILED)
        return
    await turn.send_photo(photo.data, filename=photo.filename, caption=photo.caption)


@with_turn(needs_plan=True)
async def on_progress(turn: Turn) -> None:
    """/progress: the last 12 weeks as a chart, or a friendly line with nothing to chart."""
    today = turn.today()
    # The streak of the weeks that have ended (this week is not over yet).
    last_monday = week_start_of(today) - dt.timedelta(days=WEEK_DAYS)
    streak = await weeks_streak(turn.db, turn.runner, last_monday)
    progress = await progress_of(turn.db, turn.runner, today=today, streak=streak)
    if not progress.has_history:
        await turn.say(texts.PROGRESS_NONE)
        return
    try:
        photo = await draw_progress(progress)
    except Exception:
        log.exception("progress chart for runner %s failed", turn.runner.id)
        await turn.say(texts.PICTURE_SENDING_FAILED)
        return
    await turn.send_photo(photo.data, filename=photo.filename, caption=photo.caption)


def register(app: App) -> None:
    """/progress and the Picture button."""
    app.add_handler(CommandHandler("progress", on_progress, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_picture, pattern=PicturePress.pattern))
