"""Telegram handlers: parse the update, call core and storage, render, reply.

Registered in one place, in order (`register_handlers`). Every update runs in one database
session. A dialog (onboarding or settings) is stored after every answer, so a runner who comes
back after a restart carries on where they were.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import pain, texts
from bot.pain import NOT_NOW_WORDS, PAIN, pain_step
from bot.plans import plan_for, reminder_settings
from bot.questions import (
    QUESTIONS,
    TOP_LEVEL,
    Answers,
    Context,
    Invalid,
    Prompt,
    answers_of,
    first_missing,
    forget,
    pick_prompt,
    profile_of,
    summary,
    week_of,
)
from bot.reminders import rebuild_reminders
from bot.render import TELEGRAM_LIMIT, day_entry, pack, render_plan
from bot.runtime import runtime
from bot.turns import CURRENT, Replies, document_param
from core import pain_content as content
from core.areas import AREA_LABELS
from core.dates import DateParseError, parse_date
from core.flags import RedFlag
from core.models import BodyArea, Plan
from core.planner import week_start_of
from core.reminders import snooze_until
from core.symptoms import Recognised, read_symptoms
from storage import inbox, repo
from storage.tables import Runner, apply_profile, apply_week, runner_profile, runner_week

log = logging.getLogger(__name__)
Ctx = ContextTypes.DEFAULT_TYPE
PtbHandler = Callable[[Update, Ctx], Coroutine[Any, Any, None]]
DIALOG = "dialog"  # kv namespace: one open dialog per runner

# Steps that are not questions
SUMMARY, EDIT, SETTINGS, RESTART = "summary", "edit", "settings", "restart"
CONFIRM, CHANGE, KEEP = "confirm", "change", "keep"


@dataclass
class Turn:
    """One update's work: the runner, their open dialog, the database session, and what the
    turn will say once its transaction has committed (`replies`)."""

    update: Update
    context: Ctx
    db: AsyncSession
    runner: Runner
    dialog: dict[str, Any] | None
    replies: Replies = field(default_factory=Replies)
    _answered: bool = False

    @property
    def chat_id(self) -> int:
        return self.runner.chat_id

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.runner.time_zone)

    def clock(self) -> dt.datetime:
        return runtime(self.context).clock()

    def local_now(self) -> dt.datetime:
        return self.clock().astimezone(self.zone)

    def today(self) -> dt.date:
        return self.local_now().date()

    async def say(
        self, text: str, prompt: Prompt | None = None, *, prefix: str | None = None
    ) -> None:
        """Say something after the commit; a prompt's buttons answer the dialog's current
        step, or carry `prefix` (e.g. "t:" for actions that are not dialog answers)."""
        markup = None
        if prompt and prompt.rows:
            markup = (
                _keyboard(prompt, self.step)
                if prefix is None
                else _action_keyboard(prompt, prefix)
            )
        await self.send(text, markup)

    async def send(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        if len(text) > TELEGRAM_LIMIT:  # never fail a turn over length; hints quote input
            text = text[: TELEGRAM_LIMIT - 1] + "…"
        params: dict[str, Any] = {"text": text}
        if markup is not None:
            params["reply_markup"] = markup.to_dict()
        self.replies.add("sendMessage", self.chat_id, **params)

    async def answer_query(self, text: str | None = None) -> None:
        """Answer the button press this turn handles (once; later calls are ignored)."""
        query = self.update.callback_query
        if query is None or self._answered:
            return
        self._answered = True
        params: dict[str, Any] = {"callback_query_id": query.id}
        if text:
            params["text"] = text
        self.replies.add("answerCallbackQuery", self.chat_id, **params)

    async def close_prompt(self, message: Message | None, echo: str) -> None:
        """Under an answered question, show the answer and take its buttons away."""
        if message is None or not message.text:
            return
        text = message.text if not echo else f"{message.text}\n\n→ {echo}"
        await self.edit(message, text[:4096], None)

    async def edit(self, message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
        params: dict[str, Any] = {"message_id": message.message_id, "text": text}
        if markup is not None:
            params["reply_markup"] = markup.to_dict()
        self.replies.add("editMessageText", message.chat_id, **params)

    async def edit_markup(self, message: Message, markup: InlineKeyboardMarkup) -> None:
        self.replies.add(
            "editMessageReplyMarkup",
            message.chat_id,
            message_id=message.message_id,
            reply_markup=markup.to_dict(),
        )

    async def send_document(self, data: bytes, *, filename: str, caption: str) -> None:
        self.replies.add(
            "sendDocument",
            self.chat_id,
            document=document_param(data),
            filename=filename,
            caption=caption,
        )

    @property
    def step(self) -> str:
        return current_step(self.dialog) if self.dialog else ""

    async def save_dialog(self) -> None:
        key = str(self.runner.telegram_user_id)
        if self.dialog is None:
            await repo.delete_kv(self.db, namespace=DIALOG, key=key)
        else:
            await repo.set_kv(self.db, namespace=DIALOG, key=key, value=self.dialog)


def _keyboard(prompt: Prompt, step: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=f"q:{step}:{b.value}") for b in row]
            for row in prompt.rows
        ]
    )


def _action_keyboard(prompt: Prompt, prefix: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=f"{prefix}{b.value}") for b in row]
            for row in prompt.rows
        ]
    )


def current_step(dialog: dict[str, Any]) -> str:
    """The question a dialog is on, derived from its answers alone."""
    answers: Answers = dialog["answers"]
    flow = dialog["flow"]
    if flow == RESTART:
        return RESTART
    if flow == PAIN:
        return pain_step(answers)
    if flow == SETTINGS and "_pick" not in answers:
        return SETTINGS
    missing = first_missing(answers)
    if missing is not None:
        return missing
    if flow == SETTINGS:
        return ""  # complete: applied at once
    return EDIT if answers.get("_edit") else SUMMARY


async def begin_turn(update: Update, context: Ctx, db: AsyncSession, replies: Replies) -> Turn:
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None and chat is not None
    found = await repo.get_runner_with_kv(
        db, telegram_user_id=user.id, namespace=DIALOG, key=str(user.id)
    )
    if found is not None:
        runner, dialog = found
    else:  # first contact
        runner = await repo.get_or_create_runner(
            db, telegram_user_id=user.id, chat_id=chat.id, first_name=user.first_name or ""
        )
        dialog = await repo.get_kv(db, namespace=DIALOG, key=str(user.id))
    if not runner.active:  # they blocked the bot once and are back: reminders resume
        runner.active = True
        await repo.save_runner(db, runner=runner)
        await rebuild_reminders(db, runner=runner, now=runtime(context).clock())
    return Turn(update, context, db, runner, dialog, replies)


# --- asking and answering ---------------------------------------------------------------------


def prompt_for(turn: Turn) -> Prompt:
    assert turn.dialog is not None
    step = turn.step
    answers = turn.dialog["answers"]
    from bot.questions import Button

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
    await turn.say(prompt.text, prompt)


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
        noted = pain.note_typed_flags(step, raw, answers)  # a red flag typed in own words
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
        key = _pick(raw, answers)
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
            turn.dialog = _settings_dialog(turn.runner)
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
            if message is not None:
                await turn.edit_markup(message, _keyboard(prompt_for(turn), step))
            return
        await turn.close_prompt(message, accepted.echo)
    await turn.save_dialog()
    await ask(turn)


def _pick(raw: str, answers: Answers) -> str | None:
    said = raw.strip().lower()
    for key in TOP_LEVEL:
        if raw == key or said == QUESTIONS[key].label.lower():
            return key
    synonyms = {
        "week": "week",
        "running week": "week",
        "times": "week",
        "time zone": "timezone",
        "timezone": "timezone",
        "zone": "timezone",
        "sessions": "sessions",
        "minutes": "minutes",
        "equipment": "equipment",
        "niggles": "niggles",
        "injuries": "niggles",
        "goal": "goal",
        "race": "race_date",
        "date": "race_date",
        "race date": "race_date",
        "placement": "placement",
        "where": "placement",
    }
    return synonyms.get(said)


def _settings_dialog(runner: Runner) -> dict[str, Any]:
    answers = answers_of(runner_profile(runner), runner_week(runner), runner.time_zone)
    return {"flow": SETTINGS, "answers": answers}


# --- finishing --------------------------------------------------------------------------------


def _store_answers(runner: Runner, answers: Answers) -> None:
    apply_profile(runner, profile_of(answers))
    apply_week(runner, week_of(answers))
    runner.time_zone = answers["timezone"]


async def current_plan(turn: Turn, *, weeks_ahead: int = 0) -> Plan:
    """This (or a later) week's plan, built from the runner's setup and kept in the database."""
    start = week_start_of(turn.today()) + dt.timedelta(weeks=weeks_ahead)
    plan = plan_for(turn.runner, start)
    await repo.save_plan(turn.db, runner_id=_id(turn.runner), plan=plan)
    return plan


def _id(runner: Runner) -> int:
    assert runner.id is not None
    return runner.id


async def finish_onboarding(turn: Turn) -> None:
    assert turn.dialog is not None
    _store_answers(turn.runner, turn.dialog["answers"])
    turn.runner.onboarded = True
    await repo.save_runner(turn.db, runner=turn.runner)
    await rebuild_reminders(turn.db, runner=turn.runner, now=turn.clock())
    turn.dialog = None
    await turn.save_dialog()
    plan = await current_plan(turn)
    await turn.say(texts.SETUP_DONE)
    for chunk in render_plan(plan):
        await turn.say(chunk)


async def apply_settings(turn: Turn) -> None:
    assert turn.dialog is not None
    before = await current_plan(turn)
    _store_answers(turn.runner, turn.dialog["answers"])
    await repo.save_runner(turn.db, runner=turn.runner)
    await rebuild_reminders(turn.db, runner=turn.runner, now=turn.clock())
    turn.dialog = None
    await turn.save_dialog()
    after = await current_plan(turn)
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


# --- handlers ---------------------------------------------------------------------------------

TurnHandler = Callable[[Turn], Awaitable[None]]


def with_turn(*, needs_plan: bool = False) -> Callable[[TurnHandler], PtbHandler]:
    """Run a handler as one turn (`run_turn`); with `needs_plan`, a runner who has not
    finished setup is pointed to /start instead."""

    def wrap(handler: TurnHandler) -> PtbHandler:
        @functools.wraps(handler)
        async def callback(update: Update, context: Ctx) -> None:
            await run_turn(update, context, handler, needs_plan=needs_plan)

        return callback

    return wrap


async def run_turn(
    update: Update, context: Ctx, handler: TurnHandler, *, needs_plan: bool = False
) -> None:
    """One update, once: in one transaction that holds the runner's lock, marks the update
    handled and records the replies; the replies go out only after it has committed."""
    rt = runtime(context)
    state = CURRENT.get()
    user = update.effective_user
    user_id = user.id if user is not None else None
    replies = Replies()
    ids: list[int] = []
    try:
        async with rt.locks.transaction(user_id) as db:
            now = rt.clock()
            claim = await inbox.claim_update(
                db, update_id=update.update_id, user_id=user_id, now=now
            )
            if state is not None:
                state.outcome = claim
            if claim != "mine":
                log.info("update %s: %s, not handled again", update.update_id, claim)
                return
            query = update.callback_query
            if query is not None and not _own_press(update):
                # A press on a message in someone else's chat: it changes nothing and
                # creates no runner.
                log.warning(
                    "update %s: a press from user %s on another chat", update.update_id, user_id
                )
                replies.add(
                    "answerCallbackQuery",
                    user_id or 0,
                    callback_query_id=query.id,
                    text=texts.STALE_BUTTON,
                )
            else:
                turn = await begin_turn(update, context, db, replies)
                if needs_plan and not turn.runner.onboarded:
                    await turn.say(texts.NO_PLAN_YET)
                else:
                    await handler(turn)
            ids = await inbox.add_replies(
                db, replies=replies.calls, update_id=update.update_id, now=now
            )
    except BaseException as error:
        if state is not None:
            state.outcome, state.error = "failed", error
        raise
    log.debug("update %s of user %s committed: replies %s", update.update_id, user_id, ids)
    await rt.sender.send(list(zip(ids, replies.calls, strict=True)), claimed_at=now)


def _own_press(update: Update) -> bool:
    """A press counts only on a message in the presser's own private chat (whose id is the
    user's id)."""
    query = update.callback_query
    assert query is not None
    message = query.message
    return message is not None and message.chat.id == query.from_user.id


@with_turn()
async def on_start(turn: Turn) -> None:
    if turn.dialog is not None:
        if turn.dialog.get("paused"):
            turn.dialog.pop("paused")
            await turn.say(texts.WELCOME_BACK)
        await turn.save_dialog()
        await ask(turn)
        return
    if turn.runner.onboarded:
        turn.dialog = {"flow": RESTART, "answers": {}}
    else:
        turn.dialog = {"flow": "onboarding", "answers": {}}
        name = turn.runner.first_name or "there"
        await turn.say(texts.WELCOME.format(name=name))
    await turn.save_dialog()
    await ask(turn)


@with_turn(needs_plan=True)
async def on_settings(turn: Turn) -> None:
    turn.dialog = _settings_dialog(turn.runner)
    await turn.save_dialog()
    await ask(turn)


@with_turn()
async def on_cancel(turn: Turn) -> None:
    if turn.dialog is None or turn.dialog.get("paused"):
        await turn.say(texts.NOTHING_TO_CANCEL)
        return
    if turn.dialog["flow"] == PAIN:
        await leave_pain(turn)  # as "not now": a flag already given is never lost
        return
    if turn.dialog["flow"] == "onboarding":
        turn.dialog["paused"] = True  # answers kept; /start resumes
        text = texts.CANCELLED
    else:
        turn.dialog = None
        text = texts.CANCELLED_SETTINGS
    await turn.save_dialog()
    await turn.say(text)


@with_turn()
async def on_text(turn: Turn) -> None:
    message = turn.update.message
    assert message is not None and message.text is not None
    in_dialog = turn.dialog is not None and not turn.dialog.get("paused")
    in_pain = in_dialog and turn.dialog is not None and turn.dialog["flow"] == PAIN
    picking = turn.step in (SETTINGS, EDIT) and message.text.strip().lower() in _PICK_WORDS
    if not in_pain and turn.step != "niggles" and not picking:
        reading = read_symptoms(message.text)
        if reading.kind is Recognised.REPORT:
            await start_pain(turn, reading.flags)
            return
        if reading.kind is Recognised.MAYBE:
            await ask_pain_check(turn)
            return
    if not in_dialog:
        await turn.say(texts.NOT_UNDERSTOOD if turn.runner.onboarded else texts.NO_PLAN_YET)
        return
    await answer(turn, message.text, pressed=False, message=None)


# --- the pain flow -------------------------------------------------------------------------------


_PICK_WORDS = {"niggles", "injuries"}  # settings' "what to change", not a pain report


async def ask_pain_check(turn: Turn) -> None:
    """A message that may be a symptom: ask, with a button, rather than guess."""
    from bot.questions import Button

    d = turn.today().isoformat()
    prompt = Prompt(
        content.MAYBE_CHECK,
        ((Button(content.MAYBE_YES, f"pain:{d}"), Button(content.MAYBE_NO, f"carryon:{d}")),),
    )
    await turn.say(prompt.text, prompt, prefix="t:")


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
        "answers": pain.start_answers(flags),
        "resume": interrupted or paused_draft,
    }
    await turn.save_dialog()
    if not pain.escalates_at_once(flags):
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
    if pain.has_flags(turn.dialog["answers"]):
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


async def on_followup_button(turn: Turn, query: Any, rest: str) -> None:
    """A morning check-in answered: a score, whether they have been seen, or new symptoms.
    Each check-in counts once: a second press of the same one changes nothing."""
    token, _, asked = rest.partition(":")
    message = query.message if isinstance(query.message, Message) else None
    if token == pain.NEW:
        await turn.answer_query()
        await turn.close_prompt(message, content.NEW_SYMPTOMS)
        await start_pain(turn)
        return
    outcome, echo = await pain.answer_followup(turn, token, asked)
    if outcome == pain.ALREADY:
        await turn.answer_query(texts.ALREADY_SCORED)
        return
    if outcome == pain.STALE:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    await turn.close_prompt(message, echo)


@with_turn()
async def on_pain_command(turn: Turn) -> None:
    await start_pain(turn)


@with_turn()
async def on_painlog(turn: Turn) -> None:
    reports = await repo.pain_reports(turn.db, runner_id=_id(turn.runner))
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
        where = content.TORSO_LABEL if r.area == pain.TORSO_AREA else where
        kind = "check-in" if r.timing == "follow-up" else "report"
        flag = f", {r.red_flag.replace('-', ' ')} red flag" if r.red_flag else ""
        lines.append(f"• {when:%d %b %H:%M}: {where}, {r.score}/10 ({kind}{flag})")
    for chunk in pack(["\n".join(lines)]):
        await turn.say(chunk)


@with_turn()
async def on_button(turn: Turn) -> None:
    query = turn.update.callback_query
    assert query is not None and query.data is not None
    kind, _, rest = query.data.partition(":")
    message = query.message if isinstance(query.message, Message) else None
    if kind == "q":
        step, _, value = rest.partition(":")
        if turn.dialog is None or turn.dialog.get("paused") or step != turn.step:
            await turn.answer_query(texts.STALE_BUTTON)
            if message is not None:
                await turn.close_prompt(message, "")
            return
        await turn.answer_query()
        await answer(turn, value, pressed=True, message=message)
    elif kind == "t":
        await on_today_button(turn, query, rest)
    elif kind == "x":
        await on_delete_button(turn, query, rest)
    elif kind == "f":
        await on_followup_button(turn, query, rest)
    elif kind == "m" and turn.runner.onboarded:
        await on_reminder_setting(turn, query, rest)
    elif kind == "p" and turn.runner.onboarded:
        await turn.answer_query()
        await pause(turn, None if rest == "open" else _pause_end(turn, rest), "other")
    else:
        await turn.answer_query(texts.STALE_BUTTON)


@with_turn(needs_plan=True)
async def on_plan(turn: Turn) -> None:
    text = turn.update.message.text or "" if turn.update.message else ""
    command = text.split()[0].lstrip("/").split("@")[0].lower() if text else "plan"
    args = [a.lower() for a in (turn.context.args or [])]
    # /plan is this week, /week and /week next the next one; "this" and "next" pick either.
    ahead = 1 if args[:1] == ["next"] or (command == "week" and args[:1] != ["this"]) else 0
    for chunk in render_plan(await current_plan(turn, weeks_ahead=ahead)):
        await turn.say(chunk)


TODAY_ACTIONS = {"done": "✅ Done", "skip": "⏭ Skip", "snooze": "⏰ Snooze", "pain": "🩹 Pain"}


@with_turn(needs_plan=True)
async def on_today(turn: Turn) -> None:
    plan = await current_plan(turn)
    today = turn.today()
    entry = next(d for d in plan.days if d.date == today)
    text = f"Today, {day_entry(entry)}"
    notice = await pain.pause_notice(turn.db, turn.runner)  # running paused until seen
    if notice is not None:
        text = f"{notice}\n\n{text}"
    if entry.session is None:
        await turn.say(text)
        return
    buttons = [
        InlineKeyboardButton(label, callback_data=f"t:{action}:{today.isoformat()}")
        for action, label in TODAY_ACTIONS.items()
    ]
    markup = InlineKeyboardMarkup([buttons[:2], buttons[2:]])
    for chunk in pack([text])[:-1]:
        await turn.say(chunk)
    await turn.send(pack([text])[-1], markup)


async def on_today_button(turn: Turn, query: Any, rest: str) -> None:
    action, _, day_text = rest.partition(":")
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    if action == "pain":
        await turn.answer_query()
        await start_pain(turn)
        return
    if action == "carryon":  # "no" to "shall we do the pain check?"
        await turn.answer_query()
        await turn.close_prompt(
            query.message if isinstance(query.message, Message) else None, content.MAYBE_NO
        )
        if turn.dialog is not None and not turn.dialog.get("paused"):
            await ask(turn)
        else:
            await turn.say(content.MAYBE_NO_REPLY)
        return
    if not turn.runner.onboarded:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    if action == "ok":
        logged = await repo.record_no_pain(
            turn.db, runner_id=_id(turn.runner), now=turn.clock(), zone=turn.zone
        )
        await turn.answer_query(texts.NO_PAIN_LOGGED if logged else "Already noted.")
        await turn.close_prompt(
            query.message if isinstance(query.message, Message) else None, "👍"
        )
        return
    if action == "snooze":
        await turn.answer_query()
        await turn.say(texts.SNOOZE_CHOICES, snooze_prompt(day), prefix="t:")
        return
    if action in SNOOZES:
        at = snooze_until(SNOOZES[action], turn.clock(), reminder_settings(turn.runner))
        await repo.snooze_reminder(turn.db, runner_id=_id(turn.runner), local_date=day, due_at=at)
        local = at.astimezone(turn.zone)
        await turn.answer_query(texts.SNOOZED.format(at=f"{local:%H:%M}"))
        await turn.say(texts.SNOOZED.format(at=f"{local:%H:%M}"))
        return
    if action not in ("done", "skip"):
        await turn.answer_query(texts.STALE_BUTTON)
        return
    entry = next(d for d in plan_for(turn.runner, week_start_of(day)).days if d.date == day)
    if entry.session is None:
        await turn.answer_query("There's no strength session on that day any more.")
        return
    status: Literal["done", "skipped"] = "done" if action == "done" else "skipped"
    changed = await repo.log_session(
        turn.db,
        runner_id=_id(turn.runner),
        day=day,
        session_name=entry.session.name,
        status=status,
    )
    if not changed:
        await turn.answer_query(f"Already noted as {status}.")
        return
    note = "Nice work! Logged as done. 💪" if status == "done" else "Noted as skipped. No stress."
    await turn.answer_query(note)
    await turn.say(note)


def _pause_end(turn: Turn, days: str) -> dt.date | None:
    return turn.today() + dt.timedelta(days=int(days) - 1) if days.isdecimal() else None


SNOOZES = {"z30": "30", "z120": "120", "zeve": "evening"}


def snooze_prompt(day: dt.date) -> Prompt:
    from bot.questions import Button

    d = day.isoformat()
    return Prompt(
        texts.SNOOZE_CHOICES,
        (
            (
                Button("30 min", f"z30:{d}"),
                Button("2 h", f"z120:{d}"),
                Button("Tonight", f"zeve:{d}"),
            ),
        ),
    )


@with_turn()
async def on_help(turn: Turn) -> None:
    await turn.say(texts.HELP)


@with_turn()
async def on_other_content(turn: Turn) -> None:
    """Stickers, photos, locations...: say what works instead, and repeat the question."""
    active = turn.dialog is not None and not turn.dialog.get("paused")
    hint = "Please answer the question below." if active else "/help lists what I can do."
    await turn.say(texts.ONLY_TEXT.format(hint=hint))
    if active:
        await ask(turn)


async def on_group(update: Update, context: Ctx) -> None:
    if update.effective_chat is not None and (
        update.message is None or (update.message.text or "").startswith("/")
    ):
        await context.bot.send_message(update.effective_chat.id, texts.PRIVATE_ONLY)
    raise ApplicationHandlerStop  # nothing from a group reaches the coach or the database


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


# --- pause, resume, reminders -------------------------------------------------------------------

PAUSE_REASONS = ("holiday", "illness", "injury")


def _pause_prompt() -> Prompt:
    from bot.questions import Button

    return Prompt(
        texts.ASK_PAUSE,
        (
            (Button("1 week", "p:7"), Button("2 weeks", "p:14")),
            (Button("Until I say /resume", "p:open"),),
        ),
    )


@with_turn(needs_plan=True)
async def on_pause(turn: Turn) -> None:
    args = [a.lower() for a in (turn.context.args or [])]
    reason = next((a for a in args if a in PAUSE_REASONS), "other")
    rest = " ".join(a for a in args if a not in PAUSE_REASONS)
    if not args:
        await turn.say(texts.ASK_PAUSE, _pause_prompt(), prefix="")
        return
    until: dt.date | None = None
    if rest and rest not in ("open", "indefinitely", "until resume"):
        try:
            until = parse_date(rest, turn.today())
        except DateParseError:
            days = re.fullmatch(r"(\d+)\s*(d|days?|w|weeks?)", rest)
            if days is None:
                await turn.say(texts.ASK_PAUSE, _pause_prompt(), prefix="")
                return
            n = int(days[1]) * (7 if days[2].startswith("w") else 1)
            until = turn.today() + dt.timedelta(days=n - 1)
    await pause(turn, until, reason)


async def pause(turn: Turn, until: dt.date | None, reason: str) -> None:
    turn.runner.pause_reason = reason
    turn.runner.paused_until = until
    await repo.save_runner(turn.db, runner=turn.runner)
    await rebuild_reminders(turn.db, runner=turn.runner, now=turn.clock())
    shown = texts.PAUSED_UNTIL.format(date=f"{until:%A %d %B}") if until else ""
    await turn.say(texts.PAUSED.format(until=shown))


@with_turn(needs_plan=True)
async def on_resume(turn: Turn) -> None:
    # During an escalated pain episode, a caution instead of a plain welcome back.
    caution = await pain.resume_caution(turn.db, turn.runner)
    if turn.runner.pause_reason is None:
        await turn.say(caution or texts.NOT_PAUSED)
        return
    turn.runner.pause_reason = None
    turn.runner.paused_until = None
    await repo.save_runner(turn.db, runner=turn.runner)
    await rebuild_reminders(turn.db, runner=turn.runner, now=turn.clock())
    await turn.say(caution or texts.RESUMED)


REMINDER_KIND_LABELS = {
    "strength": "Strength reminders",
    "morning": "Morning messages",
    "weekly": "Weekly summary",
}


def reminders_prompt(runner: Runner, upcoming: list[str]) -> Prompt:
    from bot.questions import Button

    lines = [texts.REMINDERS_HEADER if upcoming else texts.REMINDERS_NONE, *upcoming, ""]
    lines.append(
        texts.REMINDERS_SETTINGS.format(delay=runner.delay_minutes, morning=runner.morning_time)
    )
    delays = tuple(Button(f"+{m} min", f"m:delay:{m}") for m in (0, 15, 30, 60))
    mornings = tuple(Button(t, f"m:morning:{t}") for t in ("06:00", "07:00", "08:00", "09:00"))
    toggles = tuple(
        Button(("🔕 " if kind in runner.reminders_off else "🔔 ") + label, f"m:toggle:{kind}")
        for kind, label in REMINDER_KIND_LABELS.items()
    )
    return Prompt("\n".join(lines), (delays, mornings, toggles))


async def _upcoming(turn: Turn) -> list[str]:
    rows = await repo.upcoming_reminders(turn.db, runner_id=_id(turn.runner), now=turn.clock())
    names = {
        "strength": "strength reminder",
        "morning": "morning message",
        "weekly": "weekly summary",
        "snooze": "snoozed reminder",
        "pain": "pain check-in",
    }
    return [
        f"• {row.due_at.astimezone(turn.zone):%a %d %b %H:%M}: {names.get(row.kind, row.kind)}"
        for row in rows
    ]


@with_turn(needs_plan=True)
async def on_reminders(turn: Turn) -> None:
    prompt = reminders_prompt(turn.runner, await _upcoming(turn))
    await turn.say(prompt.text, prompt, prefix="")


async def on_reminder_setting(turn: Turn, query: Any, rest: str) -> None:
    """A button of /reminders or /pause: change the setting, rebuild, show the result."""
    what, _, value = rest.partition(":")
    runner = turn.runner
    if what == "delay" and value.isdecimal():
        runner.delay_minutes = int(value)
    elif what == "morning" and re.fullmatch(r"\d\d:\d\d", value):
        runner.morning_time = value
    elif what == "toggle" and value in REMINDER_KIND_LABELS:
        off = set(runner.reminders_off)
        off ^= {value}
        runner.reminders_off = sorted(off)
    else:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await repo.save_runner(turn.db, runner=runner)
    await rebuild_reminders(turn.db, runner=runner, now=turn.clock())
    await turn.answer_query(texts.SETTINGS_SAVED)
    prompt = reminders_prompt(runner, await _upcoming(turn))
    message = query.message if isinstance(query.message, Message) else None
    if message is not None:
        await turn.edit(message, prompt.text, _action_keyboard(prompt, ""))


# --- the runner's data: export and delete --------------------------------------------------------


@with_turn()
async def on_export(turn: Turn) -> None:
    data = await repo.export_runner(turn.db, runner_id=_id(turn.runner))
    document = json.dumps(data, indent=2, ensure_ascii=False, default=str).encode()
    await turn.send_document(
        document, filename=f"runcoach-{turn.today():%Y-%m-%d}.json", caption=texts.EXPORT_CAPTION
    )


@with_turn()
async def on_delete(turn: Turn) -> None:
    from bot.questions import Button

    prompt = Prompt(
        texts.DELETE_CONFIRM,
        ((Button("Yes, erase everything", "x:erase"), Button("No, keep it", "x:keep")),),
    )
    await turn.say(prompt.text, prompt, prefix="")


async def on_delete_button(turn: Turn, query: Any, rest: str) -> None:
    message = query.message if isinstance(query.message, Message) else None
    if rest == "keep":
        await turn.answer_query()
        await turn.close_prompt(message, "Kept")
        await turn.say(texts.DELETE_KEPT)
        return
    if rest != "erase":
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    await turn.close_prompt(message, "Erased")
    await repo.delete_runner(
        turn.db, runner_id=_id(turn.runner), keep_update=turn.update.update_id
    )
    turn.dialog = None  # nothing of theirs is written back after this
    log.info("runner %s erased their data", turn.runner.id)
    await turn.say(texts.DELETED)


# --- flood control ----------------------------------------------------------------------------

FLOOD_WINDOW = dt.timedelta(seconds=10)


class FloodGate:
    """Per-runner sliding window in memory: a flood is dropped before it costs a query."""

    def __init__(self, limit: int) -> None:
        self.limit = limit  # updates per runner per window
        self.seen: dict[int, list[dt.datetime]] = {}
        self.warned: set[int] = set()

    def allow(self, user_id: int, now: dt.datetime) -> bool:
        recent = [t for t in self.seen.get(user_id, []) if now - t < FLOOD_WINDOW]
        recent.append(now)
        self.seen[user_id] = recent
        if len(self.seen) > 10_000:  # forget quiet runners so memory stays flat
            cutoff = now - FLOOD_WINDOW
            self.seen = {u: ts for u, ts in self.seen.items() if ts and ts[-1] > cutoff}
        if len(recent) <= self.limit:
            self.warned.discard(user_id)
            return True
        return False


async def flood_gate(update: Update, context: Ctx) -> None:
    user = update.effective_user
    if user is None:
        return
    rt = runtime(context)
    gate = context.bot_data.setdefault("flood_gate", FloodGate(rt.settings.flood_max_updates))
    if gate.allow(user.id, rt.clock()):
        return
    if user.id not in gate.warned and update.effective_chat is not None:
        gate.warned.add(user.id)
        await context.bot.send_message(update.effective_chat.id, texts.SLOW_DOWN)
    log.info("flood: dropped an update from user %s", user.id)
    raise ApplicationHandlerStop


def register_handlers(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """All handlers, in order. Group -1 turns group chats away before anything else runs."""
    # Only new messages: an edit of an earlier answer is not a new answer.
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    # Group -2: a runner sending dozens of updates a second is throttled before anything else.
    app.add_handler(TypeHandler(Update, flood_gate), -2)
    app.add_handler(MessageHandler(~filters.ChatType.PRIVATE, on_group), -1)
    app.add_handler(CommandHandler("start", on_start, filters=private))
    app.add_handler(CommandHandler("cancel", on_cancel, filters=private))
    app.add_handler(CommandHandler("settings", on_settings, filters=private))
    app.add_handler(CommandHandler(["plan", "week"], on_plan, filters=private))
    app.add_handler(CommandHandler("today", on_today, filters=private))
    app.add_handler(CommandHandler("help", on_help, filters=private))
    app.add_handler(CommandHandler("pause", on_pause, filters=private))
    app.add_handler(CommandHandler("resume", on_resume, filters=private))
    app.add_handler(CommandHandler("reminders", on_reminders, filters=private))
    app.add_handler(CommandHandler("pain", on_pain_command, filters=private))
    app.add_handler(CommandHandler("export", on_export, filters=private))
    app.add_handler(CommandHandler("delete", on_delete, filters=private))
    app.add_handler(CommandHandler("painlog", on_painlog, filters=private))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(private & ~filters.TEXT, on_other_content))
    app.add_handler(MessageHandler(private & filters.COMMAND, on_unknown_command))
    app.add_error_handler(on_error)


@with_turn()
async def on_unknown_command(turn: Turn) -> None:
    await turn.say(texts.NOT_UNDERSTOOD)
