"""/reminders: what is coming up, and buttons to change the delay after a run, the morning
time, and which kinds of reminder come at all. The buttons take typed answers too, as the
other questions' do (docs/understanding.md): "+15 min", "right after", "half an hour",
"7am", "08:00", "morning messages off", "weekly summary on", or a kind's label alone (as its
button, it turns that kind on or off)."""

from __future__ import annotations

import datetime as dt
import re

from telegram import CallbackQuery
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards, prompts, texts
from bot.callbacks import ReminderSetting, Setting
from bot.handlers.filters import PRIVATE
from bot.runtime import App
from bot.services import runner_id, save_and_reschedule
from bot.turn import Turn, message_of, pressed, with_turn
from core.answers import Option, match_option, read_number
from storage import repo
from storage.tables import Runner

REMINDERS_PROMPT = "reminders"  # /reminders' buttons, kept open for a typed answer
# The delay buttons, typed: their labels and the usual ways to say them.
DELAY_OPTIONS = (
    Option(
        "0",
        "+0 min",
        ("right after", "straight after", "immediately", "no delay", "at once", "right away"),
        0,
    ),
    Option("15", "+15 min", ("quarter of an hour", "a quarter of an hour", "15 minutes"), 15),
    Option("30", "+30 min", ("half an hour", "30 minutes", "half hour"), 30),
    Option("60", "+60 min", ("an hour", "1 hour", "one hour", "1h", "60 minutes"), 60),
)
# Which kind a typed toggle names, by its words ("the morning message", "summary").
_KIND_WORDS = (
    ("strength", re.compile(r"\bstrength\b|\bsession reminders?\b")),
    ("morning", re.compile(r"\bmorning\b")),
    ("weekly", re.compile(r"\bweekly\b|\bsummary\b|\bsunday\b")),
)
_OFF = re.compile(r"\b(off|stop|no|mute|disable|don'?t|without|silence|pause)\b")
_ON = re.compile(r"\b(on|start|enable|unmute|resume|back|yes)\b")
_TIME = re.compile(r"^(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|a\.m\.)?$")


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
    await prompts.open_prompt(turn, REMINDERS_PROMPT)


def read_setting(text: str, off: list[str]) -> tuple[ReminderSetting, bool] | None:
    """The /reminders button a typed reply stands for, and whether it is so already (a
    kind turned off that is off), or None. `off`: the kinds now off (a kind named with
    neither "on" nor "off" is toggled, as its button does)."""
    said = " ".join(text.strip().lower().replace("’", "'").split()).rstrip("!.")
    said = re.sub(r"^🔔\s*|^🔕\s*", "", said)
    kinds = [kind for kind, words in _KIND_WORDS if words.search(said)]
    if len(kinds) == 1:
        kind = kinds[0]
        turn_off = _OFF.search(said) is not None
        turn_on = _ON.search(said) is not None
        toggle = ReminderSetting(Setting.TOGGLE, kind)
        if turn_off == turn_on:  # neither (the label alone) or both: as its button
            return toggle, False
        return toggle, (kind in off) == turn_off  # already so: the button would undo it
    time = _TIME.fullmatch(said.removesuffix(" in the morning"))
    if time is not None:
        hour, bare = int(time[1]), time[2] is None and time[3] is None
        if not bare or said.startswith("at") or 5 <= hour <= 10:  # "7", "7am", "07:00"
            hhmm = f"{hour:02d}:{time[2] or '00'}"
            if hhmm not in keyboards.MORNINGS:
                return None
            return ReminderSetting(Setting.MORNING, hhmm), False
    found = match_option(said.lstrip("+ "), DELAY_OPTIONS)
    if found.option is None:
        number = read_number(said.lstrip("+ "))
        found = match_option(str(number.value), DELAY_OPTIONS) if number else found
    if found.option is None:
        return None
    return ReminderSetting(Setting.DELAY, found.option.value), False


async def take_typed(turn: Turn, text: str, *, other: bool) -> bool:
    """A reply while /reminders' buttons are open: as the button it names; False when it
    names none but is something else the bot reads (`other`: "done", "plan"...); else a
    hint and the buttons again."""
    read = read_setting(text, list(turn.runner.reminders_off))
    if read is None:
        if other:
            return False
        markup = keyboards.reminder_settings(turn.runner.reminders_off)
        await turn.say(texts.REMINDERS_TYPED_HINT, markup)
        await prompts.open_prompt(turn, REMINDERS_PROMPT)
        return True
    press, already = read
    if already:
        state = "off" if press.value in turn.runner.reminders_off else "on"
        await turn.say(f"✓ {keyboards.REMINDER_KIND_LABELS[press.value]} {state} already.")
    else:
        await _apply(turn, press, None)
    await prompts.open_prompt(turn, REMINDERS_PROMPT)
    return True


@with_turn()
async def on_reminder_setting(turn: Turn) -> None:
    """A button of /reminders: change the setting, rebuild, show the result."""
    query, press = pressed(turn, ReminderSetting)
    if press is None or not turn.runner.onboarded:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await _apply(turn, press, query)


async def _apply(turn: Turn, press: ReminderSetting, query: CallbackQuery | None) -> None:
    """The setting changed, the reminders rebuilt, the result said (a button's message is
    edited to show it; a typed change gets /reminders' text again)."""
    runner = turn.runner
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
    if query is None:  # typed: the change, then what is coming up now, with the buttons
        await turn.say(done)
        text = reminders_text(runner, await _upcoming(turn), turn.today())
        await turn.say(text, keyboards.reminder_settings(runner.reminders_off))
        return
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
