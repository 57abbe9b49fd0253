"""Asides in the middle of a question: /plan, /today and /help (or "plan", "today", "help"
typed without the slash) get a short answer, then the same question again with its buttons.
The answers so far are kept; outside a dialog the commands work as usual
(docs/understanding.md, "Asides mid-question")."""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot import texts
from bot.dialog.engine import ask
from bot.dialog.question import norm
from bot.dialog.setup import questions_left
from bot.dialog.state import EDIT, RESTART, SETTINGS, SUMMARY, Flow
from bot.handlers.filters import PRIVATE
from bot.handlers.today import on_plan, on_today
from bot.runtime import App
from bot.turn import Turn, TurnHandler, with_turn

PLAN, TODAY, HELP, CHANGE = "plan", "today", "help", "settings"
# Typed without the slash: only words no question takes as an answer ("week" picks the running
# week in /settings, so only /week counts).
TYPED_ASIDES = {
    "plan": PLAN,
    "my plan": PLAN,
    "the plan": PLAN,
    "today": TODAY,
    "help": HELP,
    "help me": HELP,
    "what do i do": HELP,
}
COMMAND_ASIDES = {"plan": PLAN, "week": PLAN, "today": TODAY, "help": HELP}
COMMANDS = ("plan", "week", "today")  # /help is setup's, which asks `answer_aside` too

PLAN_AFTER_SETUP = "Your plan comes when setup is done — {left} left. First:"
SETTINGS_AFTER_SETUP = "/settings works once setup is done — {left} left. First:"
SETTINGS_AT_SUMMARY = "Before you confirm, Edit changes any answer:"
PLAN_AFTER_CONFIRM = "Your plan comes as soon as you confirm your answers:"
BACK_TO_IT = "Now, where we were:"

# One short line on what each question wants (day and time questions share theirs).
HELP_LINES = {
    "goal": "I'm asking what you train for: tap a race distance, or No race.",
    "race_date": "I'm asking your race's date, e.g. 25 April; or tap No date yet.",
    "week": "I'm asking your usual week: each day you run, its kind and time; days left out "
    "are rest.",
    "day": "I'm asking what you usually do that day: a run type, rest, or a button.",
    "time": "I'm asking when that run usually starts, e.g. 7am; or tap No fixed time.",
    "sessions": "I'm asking how many strength sessions a week you want: 2, 3 or 4.",
    "minutes": "I'm asking how long each session can be, in minutes (10 to 90).",
    "placement": "I'm asking where strength goes: after easy runs, on days without a run, "
    "or either.",
    "free_days": "I'm asking which of your rest days are free for strength; tap them and "
    "Done, or keep them all as rest.",
    "equipment": "I'm asking what you can train with: tap everything you have, then Done.",
    "timezone": "I'm asking your time zone, so reminders come at your time: type a city.",
    "niggles": "I'm asking about aches you already have, so I can go easy there; or None.",
    SUMMARY: "I'm asking you to check your answers: Confirm, or Edit to change one.",
    EDIT: "I'm asking which answer to change: tap it.",
    SETTINGS: "I'm asking which part of your setup to change: tap it, or /cancel.",
    RESTART: "You already have a plan: change something, or keep it.",
}


def aside_of(text: str) -> str | None:
    """The aside a typed message asks for ("plan", "/help"), or None for anything else."""
    said = norm(text).rstrip("?")
    if said.startswith("/"):
        return COMMAND_ASIDES.get(said[1:].split("@")[0].split()[0] if said[1:] else "")
    return TYPED_ASIDES.get(said)


def _help_line(step: str) -> str:
    key = step.rstrip("0123456789") if step[:3] in ("day", "tim") else step
    return HELP_LINES.get(key, "Answer the question below, or /cancel to stop.")


def in_question(turn: Turn) -> bool:
    """Whether an aside interrupts a question: an open setup or settings dialog (the pain
    check keeps its own way with typed words)."""
    dialog = turn.dialog
    return dialog is not None and dialog.active and dialog.flow is not Flow.PAIN


def _inner(handler: object) -> TurnHandler:
    inner: TurnHandler = getattr(handler, "__wrapped__")  # noqa: B009
    return inner


async def answer_aside(turn: Turn, aside: str) -> None:
    """A short answer, then the same question again with its buttons."""
    assert turn.dialog is not None
    step = turn.dialog.step
    if aside == HELP:
        await turn.say(_help_line(step))
    elif turn.runner.onboarded and aside != CHANGE:
        # /settings or /start again: the plan there is, then back to the question.
        await _inner(on_plan if aside == PLAN else on_today)(turn)
        await turn.say(BACK_TO_IT)
    else:
        left = questions_left(turn.dialog.answers)
        count = "1 question" if left == 1 else f"{left} questions"
        if aside == CHANGE:
            text = SETTINGS_AFTER_SETUP.format(left=count) if left else SETTINGS_AT_SUMMARY
            await turn.say(text)
        elif left == 0:
            await turn.say(PLAN_AFTER_CONFIRM)
        else:
            await turn.say(PLAN_AFTER_SETUP.format(left=count))
    await ask(turn)


@with_turn()
async def on_command(turn: Turn) -> None:
    """/plan, /week, /today: an aside in a question, else the command itself."""
    message = turn.update.message
    aside = aside_of(message.text or "") if message is not None else None
    if in_question(turn):
        await answer_aside(turn, aside or PLAN)
        return
    if not turn.runner.onboarded:
        await turn.say(texts.NO_PLAN_YET)
        return
    await _inner(on_today if aside == TODAY else on_plan)(turn)


def register(app: App) -> None:
    """Before the plan's own commands: /plan, /week and /today, which answer briefly in the
    middle of a question and as usual outside one."""
    app.add_handler(CommandHandler(list(COMMANDS), on_command, filters=PRIVATE))
