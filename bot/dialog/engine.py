"""The dialog engine: setup, settings and the pain check as dialogs whose state is the
answers so far. The next question is worked out from what is missing (`bot.dialog.state`), so a
crash loses nothing, Edit and /settings reuse the setup's questions, and the pain check can
interrupt any question and resume it afterwards (docs/architecture.md, "The dialog engine").
"""

from __future__ import annotations

from telegram import Message

from bot import keyboards, pain, texts
from bot.dialog import pain_questions
from bot.dialog.multiselect import MULTI_SELECT
from bot.dialog.pain_questions import NOT_NOW_WORDS
from bot.dialog.placement import no_free_day
from bot.dialog.profile import answers_of, profile_of, week_of
from bot.dialog.question import Answers, Button, Context, Invalid, Prompt, norm
from bot.dialog.registry import QUESTIONS
from bot.dialog.setup import forget, pick, pick_prompt, summary
from bot.dialog.state import EDIT, RESTART, SETTINGS, SUMMARY, Dialog, Flow
from bot.plan_changes import days_changed, describe_change, zone_change
from bot.render import plan_day_buttons, render_overview
from bot.services import current_plan, runner_id, save_and_reschedule
from bot.turn import Turn
from core import pain_content as content
from core.answers import yes_no
from core.flags import RedFlag
from storage import repo
from storage.tables import Runner, apply_profile, apply_week, runner_profile, runner_week

CONFIRM, CHANGE, KEEP = "confirm", "change", "keep"
PICK_WORDS = {"niggles", "injuries"}  # settings' "what to change", not a pain report


def _dialog(turn: Turn) -> Dialog:
    assert turn.dialog is not None  # the engine runs only on an open dialog
    return turn.dialog


def _context(turn: Turn, dialog: Dialog, step: str, suggested: str | None = None) -> Context:
    return Context(
        today=turn.today(), pending=tuple(dialog.pending.get(step, ())), suggested=suggested
    )


def prompt_for(turn: Turn) -> Prompt:
    """The dialog's current question as shown."""
    dialog = _dialog(turn)
    step = dialog.step
    answers = dialog.answers
    if step == SUMMARY:
        return Prompt(
            f"{summary(answers)}\n\n{texts.SUMMARY_FOOT}",
            ((Button("✅ Confirm", CONFIRM), Button("✏️ Edit", EDIT)),),
        )
    if step == EDIT:
        return pick_prompt(answers, texts.ASK_EDIT)
    if step == SETTINGS:
        return pick_prompt(answers, texts.ASK_SETTINGS)
    if step == RESTART:
        return Prompt(
            texts.ALREADY_SET_UP,
            ((Button("Change something", CHANGE), Button("Keep my plan", KEEP)),),
        )
    return QUESTIONS[step].prompt(answers, _context(turn, dialog, step))


async def ask(turn: Turn) -> None:
    """Send the dialog's current question, or finish the dialog when nothing is left to ask."""
    dialog = _dialog(turn)
    if dialog.step == "":
        if dialog.flow is Flow.PAIN:
            await finish_pain(turn)
        else:
            await apply_settings(turn)
        return
    prompt = prompt_for(turn)
    await turn.say(prompt.text, keyboards.dialog(prompt, dialog.step))


async def answer(turn: Turn, raw: str, *, pressed: bool, message: Message | None) -> None:
    """Feed one typed or pressed answer to the dialog's current step."""
    dialog = _dialog(turn)
    step = dialog.step
    answers = dialog.answers
    if dialog.flow is Flow.PAIN and raw.strip().lower().rstrip(".!") in NOT_NOW_WORDS:
        await turn.close_prompt(message, "Not now")
        await leave_pain(turn)
        return
    if dialog.flow is Flow.PAIN and not pressed:
        # A red flag typed in the runner's own words counts at once.
        noted = pain_questions.note_typed_flags(step, raw, answers)
        if noted is not None:
            dialog.answers = noted
            await turn.save_dialog()
            await ask(turn)
            return
    if step == SUMMARY:
        said = yes_no(raw)
        if raw == CONFIRM or said is True or norm(raw) in {"confirm", "confirmed", "looks good"}:
            await turn.close_prompt(message, "✅ Confirmed")
            await finish_onboarding(turn)
            return
        if raw == EDIT or said is False or norm(raw) in {"edit", "change", "change something"}:
            dialog.edit = True
            await turn.close_prompt(message, "✏️ Edit")
        else:
            await turn.say("Tap Confirm if this is right, or Edit to change an answer.")
    elif step in (EDIT, SETTINGS):
        key = pick(raw)
        if key is None:
            await turn.say(texts.HINT_PICK)
        else:
            await turn.close_prompt(message, QUESTIONS[key].label)
            _reopen(dialog, key)
            if step == SETTINGS:
                dialog.pick = key
    elif step == RESTART:
        choice = norm(raw)
        said = yes_no(raw)
        if raw == KEEP or said is False or choice in {"keep", "keep my plan", "keep it"}:
            await turn.close_prompt(message, "Keep my plan")
            turn.dialog = None
            await turn.save_dialog()
            await turn.say(texts.KEEP_PLAN)
            return
        if raw == CHANGE or said is True or choice in {"change", "change something"}:
            await turn.close_prompt(message, "Change something")
            turn.dialog = settings_dialog(turn.runner)
        else:
            await turn.say("Tap Change something or Keep my plan.")
    else:
        question = QUESTIONS[step]
        suggested, dialog.suggest = dialog.suggest, None
        try:
            accepted = question.accept(
                raw, pressed, answers, _context(turn, dialog, step, suggested)
            )
        except Invalid as error:
            dialog.suggest = error.suggest
            if error.keep is not None:
                dialog.answers = error.keep  # what was understood is kept
            if str(error):
                await turn.say(str(error))
            await turn.save_dialog()
            if error.suggest is None:
                await ask(turn)  # the same question again (an offer waits for its yes)
            return
        dialog.answers = accepted.answers
        if accepted.stay:
            dialog.pending[step] = list(accepted.pending)
            await turn.save_dialog()
            markup = keyboards.dialog(prompt_for(turn), step)
            if message is not None and markup is not None:
                await turn.edit_markup(message, markup)
            return
        dialog.pending.pop(step, None)
        await turn.close_prompt(message, accepted.echo)
        if accepted.note:
            await turn.say(accepted.note)
    await turn.save_dialog()
    await ask(turn)


def _reopen(dialog: Dialog, key: str) -> None:
    """Forget one answer so that its question is asked again (a multi-select starting from
    what is ticked now); out of the edit menu."""
    answers = dialog.answers
    dialog.answers = forget(answers, key)
    dialog.pending.pop(key, None)
    if key in MULTI_SELECT and key in answers:
        dialog.pending[key] = list(answers[key])
    dialog.edit = False


def settings_dialog(runner: Runner) -> Dialog:
    """/settings: the runner's setup as answers, to change one of them."""
    answers = answers_of(runner_profile(runner), runner_week(runner), runner.time_zone)
    return Dialog(flow=Flow.SETTINGS, answers=answers)


def _store_answers(runner: Runner, answers: Answers) -> None:
    apply_profile(runner, profile_of(answers))
    apply_week(runner, week_of(answers))
    runner.time_zone = answers["timezone"]


async def finish_onboarding(turn: Turn) -> None:
    """Setup confirmed: store it, plan the reminders, show the week."""
    _store_answers(turn.runner, _dialog(turn).answers)
    turn.runner.onboarded = True
    await save_and_reschedule(turn.db, turn.runner, now=turn.clock())
    turn.dialog = None
    await turn.save_dialog()
    plan = await current_plan(turn.db, turn.runner, today=turn.today())
    await turn.say(texts.SETUP_DONE)
    # The week overview, as /plan shows it, with the shortfall's full reason this once.
    await turn.say(
        render_overview(plan, full_shortfall=True),
        keyboards.plan_days(plan_day_buttons(plan)),
    )


async def apply_settings(turn: Turn) -> None:
    """A changed setting: store it, and say what changed in the plan (not the whole week);
    a new time zone says so, with the next reminder in it."""
    answers = _dialog(turn).answers
    before = await current_plan(turn.db, turn.runner, today=turn.today())
    old_zone = turn.runner.time_zone
    _store_answers(turn.runner, answers)
    await save_and_reschedule(turn.db, turn.runner, now=turn.clock())
    turn.dialog = None
    await turn.save_dialog()
    after = await current_plan(turn.db, turn.runner, today=turn.today())
    change = describe_change(before, after)
    if change == texts.PLAN_UNCHANGED and no_free_day(answers):
        change = texts.NO_FREE_DAY  # not "the same": there is no day without a run to move to
    lines = [f"{texts.SETTINGS_SAVED} {change}"]
    if turn.runner.time_zone != old_zone:
        lines.append(await _zone_line(turn))
    await turn.say("\n".join(lines))
    if days_changed(before, after):  # the new week at a glance, its days a tap away
        await turn.say(render_overview(after), keyboards.plan_days(plan_day_buttons(after)))


async def _zone_line(turn: Turn) -> str:
    now = turn.clock()
    rows = await repo.upcoming_reminders(
        turn.db, runner_id=runner_id(turn.runner), now=now, limit=1
    )
    due, kind = (rows[0].due_at.astimezone(turn.zone), rows[0].kind) if rows else (None, "")
    return zone_change(turn.runner.time_zone, now.astimezone(turn.zone), due, kind)


async def ask_pain_check(turn: Turn) -> None:
    """A message that may be a symptom: ask, with a button, rather than guess."""
    await turn.say(content.MAYBE_CHECK, keyboards.pain_check(turn.today()))


async def start_pain(turn: Turn, flags: tuple[RedFlag, ...] = ()) -> None:
    """Start the pain questions from any state; an open dialog is kept to resume after. Red
    flags the runner's own words named count at once: emergency and same-day ones go
    straight to escalation, before any question."""
    if turn.dialog is not None and turn.dialog.flow is Flow.PAIN:
        await ask(turn)  # already in it: ask the current question again
        return
    # An open dialog (asked, or paused for /start) comes back after the check.
    turn.dialog = Dialog(
        flow=Flow.PAIN, answers=pain_questions.start_answers(flags), resume=turn.dialog
    )
    await turn.save_dialog()
    if not pain_questions.escalates_at_once(flags):
        await turn.say(texts.PAIN_START)
    await ask(turn)


def _resumed_answers(turn: Turn) -> Answers | None:
    """The answers of the dialog the pain check interrupted (setup's time zone, say)."""
    resume = turn.dialog.resume if turn.dialog is not None else None
    return resume.answers if resume is not None else None


async def resume_interrupted(turn: Turn, *, after_escalation: bool = False) -> None:
    """End the pain flow; bring back the dialog it interrupted, at the same question. After
    escalation nothing follows the escalation text: the dialog waits, paused, for /start."""
    resume = _dialog(turn).resume
    if after_escalation and resume is not None:
        resume = resume.model_copy(update={"paused": True})
    turn.dialog = resume
    await turn.save_dialog()
    if turn.dialog is not None and turn.dialog.active:
        await turn.say(texts.BACK_TO_QUESTIONS)
        await ask(turn)


async def leave_pain(turn: Turn) -> None:
    """Leaving the pain check ("not now", /cancel): a red flag already given finishes the
    report (escalation alone, the plan paused as its tier says); else one safety line. Either
    way the interrupted dialog comes back as after a finished check."""
    if pain_questions.has_flags(_dialog(turn).answers):
        await finish_pain(turn)
        return
    await turn.say(pain.not_now_text(turn.runner, _resumed_answers(turn)))
    await resume_interrupted(turn)


async def finish_pain(turn: Turn) -> None:
    """Advise (escalation alone when a red flag was raised), adapt the plan, follow up."""
    answers = _dialog(turn).answers
    escalated = await pain.finish_report(turn, answers, setup=_resumed_answers(turn))
    await resume_interrupted(turn, after_escalation=escalated)
