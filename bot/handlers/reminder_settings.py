"""/reminders: what is coming up, and buttons to change the delay after a run, the morning
time, and which kinds of reminder come at all."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import texts
from bot.dialog.question import Button, Prompt
from bot.handlers.filters import PRIVATE
from bot.reminders import rebuild_reminders
from bot.runtime import App
from bot.services import runner_id
from bot.turn import Turn, with_turn
from storage import repo
from storage.tables import Runner

REMINDER_KIND_LABELS = {
    "strength": "Strength reminders",
    "morning": "Morning messages",
    "weekly": "Weekly summary",
}


def reminders_prompt(runner: Runner, upcoming: list[str]) -> Prompt:
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
    rows = await repo.upcoming_reminders(
        turn.db, runner_id=runner_id(turn.runner), now=turn.clock()
    )
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
    """Show the reminders coming up and the buttons that change them."""
    prompt = reminders_prompt(turn.runner, await _upcoming(turn))
    await turn.say(prompt.text, prompt, prefix="")


@with_turn()
async def on_reminder_setting(turn: Turn) -> None:
    """A button of /reminders: change the setting, rebuild, show the result."""
    query = turn.update.callback_query
    assert query is not None and query.data is not None
    if not turn.runner.onboarded:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    what, _, value = query.data.removeprefix("m:").partition(":")
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
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(b.label, callback_data=b.value) for b in row]
                for row in prompt.rows
            ]
        )
        await turn.edit(message, prompt.text, markup)


def register(app: App) -> None:
    """/reminders and its buttons."""
    app.add_handler(CommandHandler("reminders", on_reminders, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_reminder_setting, pattern="^m:"))
