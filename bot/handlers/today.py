"""The plan and today's session: /plan, /week, /today, and the buttons under today's session
and the reminders (done, skip, snooze, no pain, pain)."""

from __future__ import annotations

from typing import Literal

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards, pain, texts
from bot.callbacks import TodayAction, TodayPress
from bot.dialog.engine import ask, start_pain
from bot.handlers.filters import PRIVATE
from bot.plans import plan_for, reminder_settings
from bot.render import day_entry, pack, render_plan
from bot.runtime import App
from bot.services import current_plan, runner_id
from bot.turn import Turn, message_of, pressed, with_turn
from core import pain_content as content
from core.planner import week_start_of
from core.reminders import snooze_until
from storage import repo

# The snooze buttons, as `core.reminders.snooze_until` reads them.
SNOOZES = {
    TodayAction.SNOOZE_30: "30",
    TodayAction.SNOOZE_2H: "120",
    TodayAction.SNOOZE_EVENING: "evening",
}


@with_turn(needs_plan=True)
async def on_plan(turn: Turn) -> None:
    """Show this week's plan (/plan), or next week's (/week)."""
    text = turn.update.message.text or "" if turn.update.message else ""
    command = text.split()[0].lstrip("/").split("@")[0].lower() if text else "plan"
    args = [a.lower() for a in (turn.context.args or [])]
    # /plan is this week, /week and /week next the next one; "this" and "next" pick either.
    ahead = 1 if args[:1] == ["next"] or (command == "week" and args[:1] != ["this"]) else 0
    plan = await current_plan(turn.db, turn.runner, today=turn.today(), weeks_ahead=ahead)
    for chunk in render_plan(plan):
        await turn.say(chunk)


@with_turn(needs_plan=True)
async def on_today(turn: Turn) -> None:
    """Show today's run and strength session, with buttons to log it."""
    plan = await current_plan(turn.db, turn.runner, today=turn.today())
    today = turn.today()
    entry = next(d for d in plan.days if d.date == today)
    text = f"Today, {day_entry(entry)}"
    notice = await pain.pause_notice(turn.db, turn.runner)  # running paused until seen
    if notice is not None:
        text = f"{notice}\n\n{text}"
    if entry.session is None:
        await turn.say(text)
        return
    for chunk in pack([text])[:-1]:
        await turn.say(chunk)
    await turn.say(pack([text])[-1], keyboards.today(today))


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
        await turn.answer_query(texts.NO_PAIN_LOGGED if logged else "Already noted.")
        await turn.close_prompt(message, "👍")
        return
    if action is TodayAction.SNOOZE:
        await turn.answer_query()
        await turn.say(texts.SNOOZE_CHOICES, keyboards.snooze(day))
        return
    if action in SNOOZES:
        at = snooze_until(SNOOZES[action], turn.clock(), reminder_settings(turn.runner))
        await repo.snooze_reminder(
            turn.db, runner_id=runner_id(turn.runner), local_date=day, due_at=at
        )
        local = at.astimezone(turn.zone)
        await turn.answer_query(texts.SNOOZED.format(at=f"{local:%H:%M}"))
        await turn.say(texts.SNOOZED.format(at=f"{local:%H:%M}"))
        return
    entry = next(d for d in plan_for(turn.runner, week_start_of(day)).days if d.date == day)
    if entry.session is None:
        await turn.answer_query("There's no strength session on that day any more.")
        return
    status: Literal["done", "skipped"] = "done" if action is TodayAction.DONE else "skipped"
    changed = await repo.log_session(
        turn.db,
        runner_id=runner_id(turn.runner),
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


def register(app: App) -> None:
    """The plan commands and the session buttons."""
    app.add_handler(CommandHandler(["plan", "week"], on_plan, filters=PRIVATE))
    app.add_handler(CommandHandler("today", on_today, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_today_button, pattern=TodayPress.pattern))
