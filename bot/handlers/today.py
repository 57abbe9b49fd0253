"""The plan and today's session: /plan, /week, /today, and the buttons under today's session
and the reminders (done, skip, snooze, move, no pain, pain).

Move (docs/coaching.md, "This week") offers the other days of this week the session may move
to under the placement rules, with the reason for those it may not; a day tapped moves it for
this week only (`WeekChanges.moves`), and the reminders are rebuilt to follow it."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from telegram import InlineKeyboardMarkup, Message
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards, pain, prompts, texts
from bot.callbacks import Change, ChangePress, PlanDayPress, TodayAction, TodayPress
from bot.dialog.engine import ask, start_pain
from bot.handlers.filters import PRIVATE
from bot.plans import reminder_settings, week_plan
from bot.render import day_entry, pack, plan_day_buttons, render_overview
from bot.runtime import App, runtime
from bot.services import current_plan, runner_id
from bot.turn import Turn, message_of, pressed, with_turn
from bot.turns import TRACKED, is_internal
from bot.webapp.urls import week_app_url
from core import pain_content as content
from core.models import PlannedDay
from core.planner import week_start_of
from core.progression import Feel
from core.reminders import snooze_until
from storage import repo

# The snooze buttons, as `core.reminders.snooze_until` reads them.
SNOOZES = {
    TodayAction.SNOOZE_30: "30",
    TodayAction.SNOOZE_2H: "120",
    TodayAction.SNOOZE_EVENING: "evening",
}

# "How did it feel?" after Done: each button's feel, as stored (docs/coaching.md, "Progression").
FEELS = {
    TodayAction.FEEL_EASY: Feel.EASY,
    TodayAction.FEEL_RIGHT: Feel.ABOUT_RIGHT,
    TodayAction.FEEL_HARD: Feel.HARD,
}

Status = Literal["done", "skipped"]
TODAY_TRACK = "today"  # /today's message, kept to be edited (`refresh_today`)
# The follow-up questions kept open for a typed answer (bot/prompts.py; the kind carries the
# day, and the status asked about): read by bot/handlers/today_typed.py.
SNOOZE_PROMPT, CHANGE_PROMPT, MOVE_PROMPT = "snooze", "change", "move"
FEEL_PROMPT = "feel"  # "How did it feel?": "skip" there skips the question, not the session
# Typed after /today (or any time outside a question): the session button each one presses.
TYPED = {
    **dict.fromkeys(("done", "did it", "done it", "finished", "i did it"), TodayAction.DONE),
    **dict.fromkeys(("skip", "skipped", "skip it", "skip today"), TodayAction.SKIP),
    **dict.fromkeys(("snooze", "later", "remind me later"), TodayAction.SNOOZE),
    # The answer to "How did it feel?", typed instead of tapped.
    **dict.fromkeys(("easy", "felt easy", "it was easy", "too easy"), TodayAction.FEEL_EASY),
    **dict.fromkeys(
        ("about right", "just right", "felt about right", "felt right"),
        TodayAction.FEEL_RIGHT,
    ),
    **dict.fromkeys(("hard", "felt hard", "it was hard", "too hard"), TodayAction.FEEL_HARD),
}


async def recorded(turn: Turn, day: dt.date) -> tuple[Status, dt.datetime] | None:
    """What the runner recorded for the day's session, and when (local time)."""
    log = await repo.session_log(turn.db, runner_id=runner_id(turn.runner), day=day)
    if log is None or log.status not in ("done", "skipped"):
        return None
    status: Status = "done" if log.status == "done" else "skipped"
    return status, log.updated_at.astimezone(turn.zone)


def recorded_text(status: Status, at: dt.datetime) -> str:
    return texts.RECORDED_DONE.format(at=at) if status == "done" else texts.RECORDED_SKIPPED


async def status_line(turn: Turn, day: dt.date) -> str | None:
    """The session's status as /today shows it: done at 18:40, skipped, snoozed until 20:00."""
    found = await recorded(turn, day)
    if found is not None:
        status, at = found
        return texts.STATUS_DONE.format(at=at) if status == "done" else texts.STATUS_SKIPPED
    snoozed = await repo.pending_snooze(turn.db, runner_id=runner_id(turn.runner), local_date=day)
    if snoozed is not None:
        return texts.STATUS_SNOOZED.format(at=snoozed.astimezone(turn.zone))
    return None


@with_turn(needs_plan=True)
async def on_plan(turn: Turn) -> None:
    """Show this week's plan (/plan), or next week's (/week)."""
    text = turn.update.message.text or "" if turn.update.message else ""
    command = text.split()[0].lstrip("/").split("@")[0].lower() if text else "plan"
    args = [a.lower() for a in (turn.context.args or [])]
    # /plan is this week, /week and /week next the next one; "this" and "next" pick either.
    ahead = 1 if args[:1] == ["next"] or (command == "week" and args[:1] != ["this"]) else 0
    plan = await current_plan(turn.db, turn.runner, today=turn.today(), weeks_ahead=ahead)
    days = plan_day_buttons(plan)
    app = week_app_url(runtime(turn.context).settings) if ahead == 0 else None
    await turn.say(
        render_overview(plan),
        keyboards.plan_days(days, change_week=ahead == 0, week=plan.week_start, week_app=app),
    )


@with_turn()
async def on_plan_day(turn: Turn) -> None:
    """A strength day's button under /plan: that day's session in full."""
    _, press = pressed(turn, PlanDayPress)
    if press is None or not turn.runner.onboarded:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    plan = await week_plan(turn.db, turn.runner, week_start_of(press.day))
    entry = next(d for d in plan.days if d.date == press.day)
    for chunk in pack([day_entry(entry)]):
        await turn.say(chunk)


@with_turn(needs_plan=True)
async def on_today(turn: Turn) -> None:
    """Show today's run and strength session, with buttons to log it."""
    plan = await current_plan(turn.db, turn.runner, today=turn.today())
    today = turn.today()
    entry = next(d for d in plan.days if d.date == today)
    chunks, markup = await today_view(turn, entry)
    for chunk in chunks[:-1]:
        await turn.say(chunk)
    # Its id is kept, so that Done, Skip or Move from the Mini App edits it to match.
    await turn.say(chunks[-1], markup, track=f"{TODAY_TRACK}:{today.isoformat()}")


async def today_view(
    turn: Turn, entry: PlannedDay
) -> tuple[list[str], InlineKeyboardMarkup | None]:
    """/today's messages for the day: the session with what is recorded, and the buttons
    that still make sense (none without a session)."""
    text = texts.TODAY_HEADING.format(day=day_entry(entry))
    notice = await pain.pause_notice(turn.db, turn.runner)  # running paused until seen
    if notice is not None:
        text = f"{notice}\n\n{text}"
    if entry.session is None:
        return [text], None
    status = await status_line(turn, entry.date)
    if status is not None:
        text = f"{status}\n{text}"
    found = await recorded(turn, entry.date)
    return pack([text]), keyboards.today(entry.date, found[0] if found else None)


async def refresh_today(turn: Turn, *days: dt.date) -> None:
    """After Done, Skip or Move from the Mini App: the chat's newest /today message, if it is
    about one of `days`, edited to what /today shows now. A press in the chat leaves it as
    it is: its buttons stay, and pressing one again says what was recorded."""
    if not is_internal(turn.update.update_id):
        return
    kept = await repo.get_kv(turn.db, namespace=TRACKED, key=str(turn.chat_id)) or {}
    shown = kept.get(TODAY_TRACK)
    if not isinstance(shown, dict) or shown.get("detail") not in {d.isoformat() for d in days}:
        return
    day = dt.date.fromisoformat(shown["detail"])
    plan = await week_plan(turn.db, turn.runner, week_start_of(day))
    entry = next(d for d in plan.days if d.date == day)
    chunks, markup = await today_view(turn, entry)
    await turn.edit_id(turn.chat_id, int(shown["message_id"]), chunks[-1], markup)


async def on_typed(turn: Turn, action: TodayAction) -> None:
    """ "done", "skip", "snooze" or a feel ("easy", "hard") typed: as the button under
    today's session (or under "How did it feel?")."""
    day = turn.today()
    entry = await session_entry(turn, day)
    if entry is None:
        await turn.say(texts.NO_SESSION_TODAY)
        return
    if action is TodayAction.SNOOZE:
        await offer_snooze(turn, day)
        return
    if action in FEELS:
        await _feel(turn, day, FEELS[action], message=None)
        return
    await _record(turn, entry, "done" if action is TodayAction.DONE else "skipped")


async def ask_feel(turn: Turn, day: dt.date) -> None:
    """ "How did it feel?" after Done, kept open so that a typed "skip" skips the question."""
    await turn.say(texts.FEEL_QUESTION, keyboards.feel(day))
    await prompts.open_prompt(turn, f"{FEEL_PROMPT}:{day.isoformat()}")


async def _feel(turn: Turn, day: dt.date, feel: Feel, *, message: Message | None) -> None:
    """Note how the day's session felt; only a session marked done has a feel."""
    found = await recorded(turn, day)
    if found is None or found[0] != "done":
        await turn.answer_query()
        await turn.say(texts.FEEL_NOT_DONE)
        return
    await repo.set_feel(
        turn.db, runner_id=runner_id(turn.runner), day=day, feel=feel.value, now=turn.clock()
    )
    await turn.answer_query(texts.FEEL_NOTED[feel])
    if message is not None:  # tapped: nothing typed answers the question any more
        await prompts.close_prompt(turn)
    await turn.close_prompt(message, texts.FEEL_ECHO[feel])
    await turn.say(texts.FEEL_NOTED[feel])


async def session_entry(turn: Turn, day: dt.date) -> PlannedDay | None:
    """The day as planned, if it has a strength session."""
    plan = await week_plan(turn.db, turn.runner, week_start_of(day))
    entry = next(d for d in plan.days if d.date == day)
    return entry if entry.session is not None else None


async def offer_snooze(turn: Turn, day: dt.date) -> None:
    found = await recorded(turn, day)
    if found is not None:  # nothing left to remind them of
        await turn.say(texts.NO_SNOOZE_RECORDED.format(recorded=recorded_text(*found)))
        return
    await turn.say(texts.SNOOZE_CHOICES, keyboards.snooze(day))
    await prompts.open_prompt(turn, f"{SNOOZE_PROMPT}:{day.isoformat()}")


async def snooze(turn: Turn, day: dt.date, choice: str) -> None:
    """Snooze the day's reminder (`choice` as `core.reminders.snooze_until` reads it), unless
    the session is already recorded."""
    found = await recorded(turn, day)
    if found is not None:
        await turn.answer_query()
        await turn.say(texts.NO_SNOOZE_RECORDED.format(recorded=recorded_text(*found)))
        return
    at = snooze_until(choice, turn.clock(), reminder_settings(turn.runner))
    await repo.snooze_reminder(
        turn.db, runner_id=runner_id(turn.runner), local_date=day, due_at=at
    )
    local = at.astimezone(turn.zone)
    await turn.answer_query(texts.SNOOZED.format(at=f"{local:%H:%M}"))
    await turn.say(texts.SNOOZED.format(at=f"{local:%H:%M}"))


async def _record(turn: Turn, entry: PlannedDay, status: Status) -> None:
    """Record the session as done or skipped; the same again says what was recorded, and
    a change of a recorded answer is asked about first."""
    assert entry.session is not None
    found = await recorded(turn, entry.date)
    if found is not None:
        before, at = found
        if before == status:
            await turn.answer_query(texts.ALREADY_NOTED_AS.format(status=status))
            await turn.say(texts.ALREADY_RECORDED.format(recorded=recorded_text(before, at)))
            return
        await turn.answer_query()
        await turn.say(
            texts.CHANGE_RECORDED.format(
                day="today" if entry.date == turn.today() else entry.weekday.title,
                recorded=recorded_text(before, at),
                to=status,
            ),
            keyboards.change_recorded(entry.date, status, before),
        )
        await prompts.open_prompt(turn, f"{CHANGE_PROMPT}:{entry.date.isoformat()}:{status}")
        return
    await _write(turn, entry, status)
    note = texts.LOGGED_DONE if status == "done" else texts.LOGGED_SKIPPED
    await turn.answer_query(note)
    await refresh_today(turn, entry.date)
    await turn.say(note)
    if status == "done":
        await ask_feel(turn, entry.date)


async def _write(turn: Turn, entry: PlannedDay, status: Status) -> None:
    assert entry.session is not None
    await repo.log_session(
        turn.db,
        runner_id=runner_id(turn.runner),
        day=entry.date,
        session_name=entry.session.name,
        status=status,
        now=turn.clock(),
    )


@with_turn()
async def on_today_button(turn: Turn) -> None:
    """A button of a day's session: log it, snooze its reminder, or report pain."""
    query, press = pressed(turn, TodayPress)
    message = message_of(query)
    if press is None:  # an action or a date this coach does not know
        await turn.answer_query(texts.STALE_BUTTON)
        return
    action, day = press.action, press.day
    if action is TodayAction.PAIN:
        await turn.answer_query()
        await start_pain(turn)
        return
    if action is TodayAction.CARRY_ON:
        await turn.answer_query()
        await turn.close_prompt(message, content.MAYBE_NO)
        if turn.dialog is not None and turn.dialog.active:
            await ask(turn)
        else:
            await turn.say(content.MAYBE_NO_REPLY)
        return
    if not turn.runner.onboarded:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    if action is TodayAction.NO_PAIN:
        logged = await repo.record_no_pain(
            turn.db, runner_id=runner_id(turn.runner), now=turn.clock(), zone=turn.zone
        )
        await turn.answer_query(texts.NO_PAIN_LOGGED if logged else texts.ALREADY_NOTED)
        await turn.close_prompt(message, "👍")
        return
    if action is TodayAction.SNOOZE:
        await turn.answer_query()
        await offer_snooze(turn, day)
        return
    if action in FEELS:
        await _feel(turn, day, FEELS[action], message=message)
        return
    if action in SNOOZES:
        await prompts.close_prompt(turn)
        await snooze(turn, day, SNOOZES[action])
        return
    entry = await session_entry(turn, day)
    if entry is None:
        await turn.answer_query(texts.NO_SESSION_THAT_DAY)
        return
    await _record(turn, entry, "done" if action is TodayAction.DONE else "skipped")


@with_turn()
async def on_change_button(turn: Turn) -> None:
    """The answer to "change what you recorded?"."""
    query, press = pressed(turn, ChangePress)
    message = message_of(query)
    if press is None or not turn.runner.onboarded:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    await prompts.close_prompt(turn)
    await apply_change(turn, press.day, press.change, message)


async def apply_change(turn: Turn, day: dt.date, change: Change, message: Message | None) -> None:
    """Change a recorded session's status as confirmed, or keep it."""
    found = await recorded(turn, day)
    if change is Change.KEEP:
        await turn.close_prompt(message, texts.ECHO_KEPT)
        kept = recorded_text(*found) if found else texts.KEPT_AS_IT_WAS
        await turn.say(texts.KEPT_RECORDED.format(recorded=kept))
        return
    entry = await session_entry(turn, day)
    if entry is None:
        await turn.close_prompt(message, "")
        await turn.say(texts.NO_SESSION_THAT_DAY)
        return
    await _write(turn, entry, "done" if change is Change.DONE else "skipped")
    await turn.close_prompt(message, texts.ECHO_MARKED.format(status=change.value))
    await refresh_today(turn, entry.date)
    await turn.say(texts.CHANGED_RECORDED.format(to=change.value))
    if change is Change.DONE:
        await ask_feel(turn, entry.date)


def register(app: App) -> None:
    """The plan commands and the session buttons."""
    app.add_handler(CommandHandler(["plan", "week"], on_plan, filters=PRIVATE))
    app.add_handler(CommandHandler("today", on_today, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_today_button, pattern=TodayPress.pattern))
    app.add_handler(CallbackQueryHandler(on_change_button, pattern=ChangePress.pattern))
    app.add_handler(CallbackQueryHandler(on_plan_day, pattern=PlanDayPress.pattern))
