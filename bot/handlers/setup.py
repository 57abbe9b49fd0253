"""Setup and settings: /start, /settings, /cancel, /help, and the dialog's answers, typed or
pressed. A message that sounds like pain starts the pain check from here."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import illness, prompts, texts
from bot.callbacks import DialogAnswer
from bot.dialog.engine import (
    PICK_WORDS,
    answer,
    ask,
    ask_pain_check,
    leave_pain,
    settings_dialog,
    start_pain,
)
from bot.dialog.question import norm
from bot.dialog.state import EDIT, SETTINGS, Dialog, Flow
from bot.handlers.asides import CHANGE, HELP, answer_aside, aside_of, in_question
from bot.handlers.data import answer_delete
from bot.handlers.filters import PRIVATE
from bot.handlers.location import take_typed as take_zone_answer
from bot.handlers.pause import answer_pause
from bot.handlers.thisweek import THIS_WEEK, answer_this_week, take_typed
from bot.handlers.today import TYPED, on_plan, on_today, on_typed
from bot.handlers.today_typed import take as take_today_answer
from bot.illness import reads_as_illness
from bot.runtime import App
from bot.turn import Turn, TurnHandler, message_of, pressed, with_turn
from core.answers import yes_no
from core.symptoms import Recognised, read_symptoms


@with_turn()
async def on_start(turn: Turn) -> None:
    """Start setup, carry on with an open dialog, or offer to change a finished setup."""
    if turn.dialog is not None:
        if turn.dialog.paused:
            turn.dialog.paused = False
            await turn.say(texts.WELCOME_BACK)
        await turn.save_dialog()
        await ask(turn)
        return
    if turn.runner.onboarded:
        turn.dialog = Dialog(flow=Flow.RESTART)
    else:
        turn.dialog = Dialog(flow=Flow.ONBOARDING)
        name = turn.runner.first_name or "there"
        await turn.say(texts.WELCOME.format(name=name))
    await turn.save_dialog()
    await ask(turn)


@with_turn()
async def on_settings(turn: Turn) -> None:
    """Ask which answer of the setup to change; in the middle of setup, the question again."""
    if not turn.runner.onboarded:
        if in_question(turn):
            await answer_aside(turn, CHANGE)
        else:
            await turn.say(texts.NO_PLAN_YET)
        return
    turn.dialog = settings_dialog(turn.runner)
    await turn.save_dialog()
    await ask(turn)


@with_turn()
async def on_cancel(turn: Turn) -> None:
    """Stop the open dialog: setup keeps its answers for /start, settings change nothing."""
    if turn.dialog is None or turn.dialog.paused:
        await turn.say(texts.NOTHING_TO_CANCEL)
        return
    if turn.dialog.flow is Flow.PAIN:
        await leave_pain(turn)  # as "not now": a flag already given is never lost
        return
    if turn.dialog.flow is Flow.ONBOARDING:
        turn.dialog.paused = True  # answers kept; /start resumes
        text = texts.CANCELLED
    else:
        turn.dialog = None
        text = texts.CANCELLED_SETTINGS
    await turn.save_dialog()
    await turn.say(text)


@with_turn()
async def on_help(turn: Turn) -> None:
    """List what the coach can do; in the middle of a question, what it wants, and the
    question again."""
    if in_question(turn):
        await answer_aside(turn, HELP)
        return
    await turn.say(texts.HELP)


@with_turn()
async def on_text(turn: Turn) -> None:
    """A typed message: a pain report, a maybe-symptom, or an answer to the open question."""
    message = turn.update.message
    assert message is not None and message.text is not None
    in_dialog = turn.dialog is not None and turn.dialog.active
    in_pain = in_dialog and turn.dialog is not None and turn.dialog.flow is Flow.PAIN
    picking = turn.step in (SETTINGS, EDIT) and message.text.strip().lower() in PICK_WORDS
    if not in_pain and turn.step != "niggles" and not picking:
        reading = read_symptoms(message.text)
        if reading.kind is Recognised.REPORT:
            await start_pain(turn, reading.flags)
            return
        # A plain "sick this week" is illness (bot/illness.py); any other maybe-symptom
        # ("felt sick after the race") is the pain check's question first.
        if reading.kind is Recognised.MAYBE and (
            in_dialog or not reads_as_illness(turn, message.text)
        ):
            await ask_pain_check(turn)
            return
    if not in_dialog:
        await outside_dialog(turn, message.text)
        return
    aside = aside_of(message.text)
    if aside is not None and in_question(turn):
        await answer_aside(turn, aside)  # "plan" typed mid-question: then the question again
        return
    await answer(turn, message.text, pressed=False, message=None)


# Command words typed without the slash, when no question is open.
COMMAND_WORDS: dict[str, TurnHandler] = {}
ONLY_WITH_SLASH = ("reminders", "pause", "resume", "pain", "painlog", "export", "delete")


async def outside_dialog(turn: Turn, text: str) -> None:
    """Text with no dialog open: an answer to /delete's or /pause's question, a command word
    without its slash ("plan"), or a pointer to what works."""
    kind = await prompts.take_prompt(turn)
    if kind == prompts.DELETE:
        await answer_delete(turn, yes_no(text))
        return
    if kind == prompts.PAUSE:
        await answer_pause(turn, text)
        return
    if kind == THIS_WEEK:
        await answer_this_week(turn, text)
        return
    if await illness.take_typed(turn, text, kind):
        return
    if await take_zone_answer(turn, text, kind):  # "yes" to "Switch to Asia/Tokyo?"
        return
    if await take_today_answer(turn, text, kind):  # "2h" after Snooze, "sat" after Move
        return
    if kind is None and await take_typed(turn, text):  # "this week Thu tempo is on Fri"
        return
    typed = TYPED.get(text.strip().lower().rstrip("!."))
    if typed is not None and turn.runner.onboarded:
        await on_typed(turn, typed)  # "done" after /today: as its button
        return
    word = norm(text).lstrip("/")
    handler = COMMAND_WORDS.get(word)
    if handler is not None and (turn.runner.onboarded or word in ("start", "help")):
        await handler(turn)
        return
    if word in ONLY_WITH_SLASH and turn.runner.onboarded:
        await turn.say(texts.WITH_SLASH.format(command=word))
        return
    await turn.say(texts.NOT_UNDERSTOOD if turn.runner.onboarded else texts.NO_PLAN_YET)


@with_turn()
async def on_answer_button(turn: Turn) -> None:
    """A button of the dialog's question pressed: an answer, if it is the current question's."""
    query, press = pressed(turn, DialogAnswer)
    message = message_of(query)
    if press is None or turn.dialog is None or turn.dialog.paused or press.step != turn.step:
        await turn.answer_query(texts.STALE_BUTTON)
        if message is not None:
            await turn.close_prompt(message, "")
        return
    await turn.answer_query()
    await answer(turn, press.value, pressed=True, message=message)


def _inner(handler: object) -> TurnHandler:
    """The turn handler inside a registered callback (`with_turn` keeps it as __wrapped__)."""
    inner: TurnHandler = getattr(handler, "__wrapped__")  # noqa: B009
    return inner


COMMAND_WORDS.update(
    {
        "plan": _inner(on_plan),
        "week": _inner(on_plan),
        "today": _inner(on_today),
        "settings": _inner(on_settings),
        "start": _inner(on_start),
        "help": _inner(on_help),
    }
)


def register(app: App) -> None:
    """The setup commands and the dialog's buttons."""
    app.add_handler(CommandHandler("start", on_start, filters=PRIVATE))
    app.add_handler(CommandHandler("cancel", on_cancel, filters=PRIVATE))
    app.add_handler(CommandHandler("settings", on_settings, filters=PRIVATE))
    app.add_handler(CommandHandler("help", on_help, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_answer_button, pattern=DialogAnswer.pattern))


def register_text(app: App) -> None:
    """Free text: an answer to the dialog, or a pain report."""
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, on_text))
