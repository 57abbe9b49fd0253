"""/reminders: what is coming up, and buttons to change the delay after a run, the morning
time, and which kinds of reminder come at all."""

from __future__ import annotations

import datetime as dt

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards, texts
from bot.callbacks import ReminderSetting, Setting
from bot.handlers.filters import PRIVATE
from bot.runtime import App
from bot.services import runner_id, save_and_reschedule
from bot.turn import Turn, message_of, pressed, with_turn
from storage import repo
from storage.tables import Runner


def reminders_text(runner: Runner, upcoming: list[str], today: dt.date | None = None) -> str:
    """What is coming up (or that they are paused), and the settings the buttons change."""
    lines = []
    header = texts.REMINDERS_HEADER
    if runner.pause_reason is not None and (
        runner.paused_until is None or today is None or today <= runner.paused_until
    ):
        until = f" until {runner.paused_until:%A %d %B}" if runner.paused_until else ""
        lines.append(texts.REMINDERS_PAUSED.format(until=until))
        header = texts.REMINDERS_AFTER_PAUSE
    lines += [header if upcoming else texts.REMINDERS_NONE, *upcoming, ""]
    lines.append(
        texts.REMINDERS_SETTINGS.format(delay=runner.delay_minutes, morning=runner.morning_time)
    )
    return "\n".join(lines)


async def _upcoming(turn: Turn) -> list[str]:
    """The reminders coming up, a line each."""
    rows = await repo.upcoming_reminders(
        turn.db, runner_id=runner_id(turn.runner), now=turn.clock()
    )
    names = {
        "strength": "strength reminder",
        "morning": "morning message",
        "weekly": "weekly summary",
        "snooze": "snoozed reminder",
        "pain": "pain check-in",
        "weekly_picture": "next week's picture",
        "monthly_progress": "your month in a chart",
    }
    return [
        f"• {row.due_at.astimezone(turn.zone):%a %d %b %H:%M}: {names.get(row.kind, row.kind)}"
        for row in rows
    ]


@with_turn(needs_plan=True)
async def on_reminders(turn: Turn) -> None:
    """Show the reminders coming up and the buttons that change them."""
    text = reminders_text(turn.runner, await _upcoming(turn), turn.today())
    await turn.say(text, keyboards.reminder_settings(turn.runner.reminders_off))


@with_turn()
async def on_reminder_setting(turn: Turn) -> None:
    """A button of /reminders: change the setting, rebuild, show the result."""
    query, press = pressed(turn, ReminderSetting)
    runner = turn.runner
    if press is None or not runner.onboarded:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    if press.setting is Setting.DELAY:
        runner.delay_minutes = press.minutes
        after = "right after" if press.minutes == 0 else f"{press.minutes} min after"
        done = texts.REMINDER_DELAY_SET.format(after=after)
    elif press.setting is Setting.MORNING:
        runner.morning_time = press.value
        done = texts.REMINDER_MORNING_SET.format(at=press.value)
    elif press.value in keyboards.REMINDER_KIND_LABELS:  # a kind toggled on or off
        runner.reminders_off = sorted(set(runner.reminders_off) ^ {press.value})
        state = "off" if press.value in runner.reminders_off else "on"
        done = f"✓ {keyboards.REMINDER_KIND_LABELS[press.value]} {state}."
    else:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await save_and_reschedule(turn.db, runner, now=turn.clock())
    await turn.answer_query(texts.SETTINGS_SAVED)
    message = message_of(query)
    if message is not None:
        text = reminders_text(runner, await _upcoming(turn), turn.today())
        await turn.edit(message, text, keyboards.reminder_settings(runner.reminders_off))
    await turn.say(done)


def register(app: App) -> None:
    """/reminders and its buttons."""
    app.add_handler(CommandHandler("reminders", on_reminders, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_reminder_setting, pattern=ReminderSetting.pattern))
