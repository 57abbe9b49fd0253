"""Pain: /pain starts the pain check, /painlog lists the reports, and the buttons of the
morning check-in that follows an episode up."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import pain, texts
from bot.callbacks import FollowupPress
from bot.dialog.engine import start_pain
from bot.dialog.pain_questions import TORSO_AREA
from bot.handlers.filters import PRIVATE
from bot.render import pack
from bot.runtime import App
from bot.services import runner_id
from bot.turn import Turn, message_of, pressed, with_turn
from core import pain_content as content
from core.areas import AREA_LABELS
from core.models import BodyArea
from storage import repo


@with_turn()
async def on_pain_command(turn: Turn) -> None:
    """Start the pain check."""
    await start_pain(turn)


@with_turn()
async def on_painlog(turn: Turn) -> None:
    """List the runner's pain reports and check-ins."""
    reports = await repo.pain_reports(turn.db, runner_id=runner_id(turn.runner))
    if not reports:
        await turn.say(texts.PAINLOG_EMPTY)
        return
    lines = [texts.PAINLOG_HEADER]
    for r in reports:
        when = r.created_at.astimezone(turn.zone)
        if r.area == "none":
            lines.append(f"• {when:%d %b}: morning check-in, no pain")
            continue
        where = AREA_LABELS[BodyArea(r.area)] if r.area in {a.value for a in BodyArea} else "other"
        where = content.TORSO_LABEL if r.area == TORSO_AREA else where
        kind = "check-in" if r.timing == "follow-up" else "report"
        flag = f", {r.red_flag.replace('-', ' ')} red flag" if r.red_flag else ""
        lines.append(f"• {when:%d %b %H:%M}: {where}, {r.score}/10 ({kind}{flag})")
    for chunk in pack(["\n".join(lines)]):
        await turn.say(chunk)


@with_turn()
async def on_followup_button(turn: Turn) -> None:
    """A morning check-in answered: a score, whether they have been seen, or new symptoms."""
    # Each check-in counts once: a second press of the same one changes nothing.
    query, press = pressed(turn, FollowupPress)
    assert press is not None  # every f: press parses; what it says is checked below
    message = message_of(query)
    if press.new:
        await turn.answer_query()
        await turn.close_prompt(message, content.NEW_SYMPTOMS)
        await start_pain(turn)
        return
    outcome, echo = await pain.answer_followup(turn, press)
    if outcome == pain.ALREADY:
        await turn.answer_query(texts.ALREADY_SCORED)
        return
    if outcome == pain.STALE:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    await turn.close_prompt(message, echo)


def register(app: App) -> None:
    """The pain commands and the check-in's buttons."""
    app.add_handler(CommandHandler("pain", on_pain_command, filters=PRIVATE))
    app.add_handler(CommandHandler("painlog", on_painlog, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_followup_button, pattern=FollowupPress.pattern))
