"""This week's runs in one message: /thisweek (or "Change this week" under /plan) asks what
is different this week, and the answer ("Thu tempo is on Fri", "no long run", "Sat easy 8am")
changes this week only (`WeekChanges.days`, docs/coaching.md "This week"). This week's plan
is rebuilt and the reply says which strength days moved; next week is the usual week again.

The answer is read after /thisweek's question (an open prompt), given with the command
("/thisweek no long run"), or typed with no question open when it says "this week" ("this
week Thu tempo is on Fri", "no long run this week": `take_typed`). A message that sounds
like pain goes to the pain check first, as everywhere (bot/handlers/setup.py reads symptoms
before any prompt), and the reader (`core.thisweek`) never takes one as a change either.
"""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards, prompts, texts
from bot.callbacks import ThisWeekPress
from bot.dialog.engine import ask_pain_check, start_pain
from bot.handlers.filters import PRIVATE
from bot.plans import week_plan
from bot.render import plan_day_buttons, render_overview
from bot.runtime import App
from bot.services import runner_id, save_and_reschedule
from bot.turn import Turn, pressed, with_turn
from core.models import Plan, WeekChanges
from core.planner import week_start_of
from core.symptoms import Recognised, read_symptoms
from core.thisweek import NOT_A_CHANGE, names_this_week, read_this_week
from storage import repo
from storage.tables import runner_week

THIS_WEEK = "thisweek"  # the prompt kind (bot/prompts.py) of /thisweek's question

ASK = (
    "What's different about your runs this week? Tell me in one message, for example "
    '"Thu tempo is on Fri", "no long run" or "Sat easy 8am". Only this week changes: '
    "next week is your usual week again."
)
ASK_AGAIN = "Tell me again in one message what's different about your runs this week."
NEXT_WEEK_USUAL = "Next week is your usual week again."
STRENGTH_SAME = "Your strength days stay {days}."
STRENGTH_MOVED = "Strength this week: {days} (was {before})."
NO_STRENGTH = "No strength session fits this week."


def _days(plan: Plan) -> list[str]:
    return [d.weekday.title[:3] for d in plan.sessions]


def _names(days: list[str]) -> str:
    return days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]


async def ask_this_week(turn: Turn) -> None:
    """Ask what is different this week and wait for the typed answer."""
    if not turn.runner.onboarded:
        await turn.say(texts.NO_PLAN_YET)
        return
    await turn.say(ASK)
    await prompts.open_prompt(turn, THIS_WEEK)


async def answer_this_week(turn: Turn, text: str) -> None:
    """The answer to /thisweek's question: this week's runs changed and the plan rebuilt, or
    a friendly word and the question again."""
    start = week_start_of(turn.today())
    rid = runner_id(turn.runner)
    stored = await repo.get_week_changes(turn.db, runner_id=rid, week_start=start)
    changes = stored or WeekChanges(week_start=start)
    usual = runner_week(turn.runner)
    reading = read_this_week(text, changes.week(usual))
    if reading is None or reading.question is not None:
        await turn.say(reading.question if reading and reading.question else NOT_A_CHANGE)
        await turn.say(ASK_AGAIN)
        await prompts.open_prompt(turn, THIS_WEEK)
        return
    before = await week_plan(turn.db, turn.runner, start)
    changed = changes.model_copy(update={"days": reading.changed_days(usual)})
    await repo.save_week_changes(turn.db, runner_id=rid, changes=changed, now=turn.clock())
    await save_and_reschedule(turn.db, turn.runner, now=turn.clock())
    after = await week_plan(turn.db, turn.runner, start)
    await repo.save_plan(turn.db, runner_id=rid, plan=after)
    was, now = _days(before), _days(after)
    if not now:
        strength = NO_STRENGTH
    elif now == was:
        strength = STRENGTH_SAME.format(days=_names(now))
    else:
        strength = STRENGTH_MOVED.format(days=_names(now), before=_names(was) if was else "none")
    lines = [*reading.said, strength, NEXT_WEEK_USUAL]
    await turn.say("\n".join(lines))
    await turn.say(render_overview(after), keyboards.plan_days(plan_day_buttons(after)))


async def take_typed(turn: Turn, text: str) -> bool:
    """A message typed with no question open that names this week and reads as a change to
    its runs ("this week Thu tempo is on Fri", "no long run this week"): answered as
    /thisweek's answer (True). Anything else is left to the caller (False); "busy this week"
    is no change. The caller has already let the pain check and the illness reader see it."""
    if not turn.runner.onboarded or not names_this_week(text):
        return False
    usual = runner_week(turn.runner)
    start = week_start_of(turn.today())
    stored = await repo.get_week_changes(
        turn.db, runner_id=runner_id(turn.runner), week_start=start
    )
    reading = read_this_week(text, (stored or WeekChanges(week_start=start)).week(usual))
    if reading is None or reading.question == NOT_A_CHANGE:
        return False
    await answer_this_week(turn, text)
    return True


@with_turn()
async def on_this_week(turn: Turn) -> None:
    """/thisweek: ask what is different this week; "/thisweek no long run" changes it at once
    (a message that sounds like pain goes to the pain check instead)."""
    args = " ".join(turn.context.args or []).strip()
    if not args or not turn.runner.onboarded:
        await ask_this_week(turn)
        return
    reading = read_symptoms(args)
    if reading.kind is Recognised.REPORT:
        await start_pain(turn, reading.flags)
        return
    if reading.kind is Recognised.MAYBE:
        await ask_pain_check(turn)
        return
    await answer_this_week(turn, args)


@with_turn()
async def on_this_week_button(turn: Turn) -> None:
    """ "Change this week" under /plan."""
    _, press = pressed(turn, ThisWeekPress)
    if press is None or not turn.runner.onboarded:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    await ask_this_week(turn)


def register(app: App) -> None:
    app.add_handler(CommandHandler("thisweek", on_this_week, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_this_week_button, pattern=ThisWeekPress.pattern))
