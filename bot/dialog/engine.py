"""The dialog engine: setup, settings and the pain check as dialogs whose state is the
answers so far. The next question is worked out from what is missing (`bot.dialog.state`), so a
crash loses nothing, Edit and /settings reuse the setup's questions, and the pain check can
interrupt any question and resume it afterwards (docs/architecture.md, "The dialog engine").
"""

from __future__ import annotations

from typing import Any

from telegram import Message

from bot import keyboards, pain, texts
from bot.dialog import pain_questions
from bot.dialog.pain_questions import NOT_NOW_WORDS
from bot.dialog.question import Answers, Button, Context, Invalid, Prompt
from bot.dialog.registry import QUESTIONS
from bot.dialog.setup import (
    answers_of,
    forget,
    pick,
    pick_prompt,
    profile_of,
    summary,
    week_of,
)
from bot.dialog.state import EDIT, PAIN, RESTART, SETTINGS, SUMMARY
from bot.render import render_plan
from bot.services import current_plan, save_and_reschedule
from bot.turn import Turn
from core import pain_content as content
from core.flags import RedFlag
from core.models import Plan
from storage.tables import Runner, apply_profile, apply_week, runner_profile, runner_week

CONFIRM, CHANGE, KEEP = "confirm", "change", "keep"
PICK_WORDS = {"niggles", "injuries"}  # settings' "what to change", not a pain report


def prompt_for(turn: Turn) -> Prompt:
    assert turn.dialog is not None
    step = turn.step
    answers = turn.dialog["answers"]
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
    return QUESTIONS[step].prompt(answers, Context(today=turn.today()))


async def ask(turn: Turn) -> None:
    """Send the dialog's current question, or finish the dialog when nothing is left to ask."""
    assert turn.dialog is not None
    if turn.step == "":
        if turn.dialog["flow"] == PAIN:
            await finish_pain(turn)
        else:
            await apply_settings(turn)
        return
    prompt = prompt_for(turn)
    await turn.say(prompt.text, keyboards.dialog(prompt, turn.step))


async def answer(turn: Turn, raw: str, *, pressed: bool, message: Message | None) -> None:
    """Feed one typed or pressed answer to the dialog's current step."""
    assert turn.dialog is not None
    step = turn.step
    answers: Answers = turn.dialog["answers"]
    if turn.dialog["flow"] == PAIN and raw.strip().lower().rstrip(".!") in NOT_NOW_WORDS:
        await turn.close_prompt(message, "Not now")
        await leave_pain(turn)
        return
    if turn.dialog["flow"] == PAIN and not pressed:
        noted = pain_questions.note_typed_flags(
            step, raw, answers
        )  # a red flag typed in own words
        if noted is not None:
            turn.dialog["answers"] = noted
            await turn.save_dialog()
            await ask(turn)
            return
    if step == SUMMARY:
        if raw == CONFIRM or raw.strip().lower() in {"confirm", "yes", "y", "ok", "correct"}:
            await turn.close_prompt(message, "✅ Confirmed")
            await finish_onboarding(turn)
            return
        if raw == EDIT or raw.strip().lower() in {"edit", "change", "no"}:
            turn.dialog["answers"] = {**answers, "_edit": True}
            await turn.close_prompt(message, "✏️ Edit")
        else:
            await turn.say("Tap Confirm if this is right, or Edit to change an answer.")
    elif step in (EDIT, SETTINGS):
        key = pick(raw)
        if key is None:
            await turn.say(texts.HINT_PICK)
        else:
            await turn.close_prompt(message, QUESTIONS[key].label)
            new = forget(answers, key)
            new.pop("_edit", None)
            if step == SETTINGS:
                new["_pick"] = key
            turn.dialog["answers"] = new
    elif step == RESTART:
        choice = raw.strip().lower()
        if raw == KEEP or choice in {"keep", "keep my plan", "no"}:
            await turn.close_prompt(message, "Keep my plan")
            turn.dialog = None
            await turn.save_dialog()
            await turn.say(texts.KEEP_PLAN)
            return
        if raw == CHANGE or choice in {"change", "change something", "yes"}:
            await turn.close_prompt(message, "Change something")
            turn.dialog = settings_dialog(turn.runner)
        else:
            await turn.say("Tap Change something or Keep my plan.")
    else:
        question = QUESTIONS[step]
        try:
            accepted = question.accept(raw, pressed, answers, Context(today=turn.today()))
        except Invalid as error:
            await turn.say(str(error))
            await turn.save_dialog()
            await ask(turn)
            return
        turn.dialog["answers"] = accepted.answers
        if accepted.stay:
            await turn.save_dialog()
            markup = keyboards.dialog(prompt_for(turn), step)
            if message is not None and markup is not None:
                await turn.edit_markup(message, markup)
            return
        await turn.close_prompt(message, accepted.echo)
    await turn.save_dialog()
    await ask(turn)


def settings_dialog(runner: Runner) -> dict[str, Any]:
    answers = answers_of(runner_profile(runner), runner_week(runner), runner.time_zone)
    return {"flow": SETTINGS, "answers": answers}


def _store_answers(runner: Runner, answers: Answers) -> None:
    apply_profile(runner, profile_of(answers))
    apply_week(runner, week_of(answers))
    runner.time_zone = answers["timezone"]


async def finish_onboarding(turn: Turn) -> None:
    assert turn.dialog is not None
    _store_answers(turn.runner, turn.dialog["answers"])
    turn.runner.onboarded = True
    await save_and_reschedule(turn.db, turn.runner, now=turn.clock())
    turn.dialog = None
    await turn.save_dialog()
    plan = await current_plan(turn.db, turn.runner, today=turn.today())
    await turn.say(texts.SETUP_DONE)
    for chunk in render_plan(plan):
        await turn.say(chunk)


async def apply_settings(turn: Turn) -> None:
    assert turn.dialog is not None
    before = await current_plan(turn.db, turn.runner, today=turn.today())
    _store_answers(turn.runner, turn.dialog["answers"])
    await save_and_reschedule(turn.db, turn.runner, now=turn.clock())
    turn.dialog = None
    await turn.save_dialog()
    after = await current_plan(turn.db, turn.runner, today=turn.today())
    await turn.say(f"{texts.SETTINGS_SAVED} {describe_change(before, after)}")
    for chunk in render_plan(after):
        await turn.say(chunk)


def describe_change(before: Plan, after: Plan) -> str:
    """What the runner will notice: which strength days moved."""
    old = [d.weekday.title for d in before.sessions]
    new = [d.weekday.title for d in after.sessions]
    if old == new:
        return texts.PLAN_UNCHANGED
    gone = [d for d in old if d not in new]
    added = [d for d in new if d not in old]
    parts = []
    if added:
        parts.append("strength now on " + ", ".join(added))
    if gone:
        parts.append("no longer on " + ", ".join(gone))
    return f"{texts.PLAN_CHANGED} {'; '.join(parts)}."


async def ask_pain_check(turn: Turn) -> None:
    """A message that may be a symptom: ask, with a button, rather than guess."""
    await turn.say(content.MAYBE_CHECK, keyboards.pain_check(turn.today()))


async def start_pain(turn: Turn, flags: tuple[RedFlag, ...] = ()) -> None:
    """Start the pain questions from any state; an open dialog is kept to resume after. Red
    flags the runner's own words named count at once: emergency and same-day ones go
    straight to escalation, before any question."""
    if turn.dialog is not None and turn.dialog["flow"] == PAIN:
        await ask(turn)  # already in it: ask the current question again
        return
    interrupted = (
        turn.dialog if turn.dialog is not None and not turn.dialog.get("paused") else None
    )
    paused_draft = turn.dialog if turn.dialog is not None and turn.dialog.get("paused") else None
    turn.dialog = {
        "flow": PAIN,
        "answers": pain_questions.start_answers(flags),
        "resume": interrupted or paused_draft,
    }
    await turn.save_dialog()
    if not pain_questions.escalates_at_once(flags):
        await turn.say(texts.PAIN_START)
    await ask(turn)


def _resumed_answers(turn: Turn) -> Answers | None:
    """The answers of the dialog the pain check interrupted (setup's time zone, say)."""
    resume = turn.dialog.get("resume") if turn.dialog is not None else None
    return resume.get("answers") if isinstance(resume, dict) else None


async def resume_interrupted(turn: Turn, *, after_escalation: bool = False) -> None:
    """End the pain flow; bring back the dialog it interrupted, at the same question. After
    escalation nothing follows the escalation text: the dialog waits, paused, for /start."""
    assert turn.dialog is not None
    resume = turn.dialog.get("resume")
    if after_escalation and resume is not None:
        resume = {**resume, "paused": True}
    turn.dialog = resume
    await turn.save_dialog()
    if turn.dialog is not None and not turn.dialog.get("paused"):
        await turn.say(texts.BACK_TO_QUESTIONS)
        await ask(turn)


async def leave_pain(turn: Turn) -> None:
    """Leaving the pain check ("not now", /cancel): a red flag already given finishes the
    report (escalation alone, the plan paused as its tier says); else one safety line. Either
    way the interrupted dialog comes back as after a finished check."""
    assert turn.dialog is not None
    if pain_questions.has_flags(turn.dialog["answers"]):
        await finish_pain(turn)
        return
    await turn.say(pain.not_now_text(turn.runner, _resumed_answers(turn)))
    await resume_interrupted(turn)


async def finish_pain(turn: Turn) -> None:
    """Advise (escalation alone when a red flag was raised), adapt the plan, follow up."""
    assert turn.dialog is not None
    escalated = await pain.finish_report(
        turn, turn.dialog["answers"], setup=_resumed_answers(turn)
    )
    await resume_interrupted(turn, after_escalation=escalated)
