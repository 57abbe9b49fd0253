"""Pausing the reminders: /pause (a date, a number of days or weeks, or a button), /resume."""

from __future__ import annotations

import datetime as dt
import re

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import illness, keyboards, pain, prompts, services, texts
from bot.callbacks import PausePress
from bot.handlers.filters import PRIVATE
from bot.runtime import App
from bot.turn import Turn, pressed, with_turn
from core.dates import DateParseError, DateReading, day_first, read_date
from core.illness import read_illness

PAUSE_REASONS = ("holiday", "illness", "injury")


@with_turn(needs_plan=True)
async def on_pause(turn: Turn) -> None:
    """Pause the reminders until a date, for a while, or until /resume."""
    args = [a.lower() for a in (turn.context.args or [])]
    reason = next((a for a in args if a in PAUSE_REASONS), "other")
    rest = " ".join(a for a in args if a not in PAUSE_REASONS)
    if not args:
        await ask_pause(turn)
        return
    await pause_for(turn, rest, reason)


async def ask_pause(turn: Turn, hint: str = "") -> None:
    """Until when? The buttons, or a typed date or length."""
    await turn.say(f"{hint} {texts.ASK_PAUSE}".strip(), keyboards.pause())
    await prompts.open_prompt(turn, prompts.PAUSE)


async def answer_pause(turn: Turn, text: str) -> None:
    """A typed answer to /pause's question: "2 weeks", "5 jan", "until friday holiday"."""
    reading = read_illness(text, turn.today(), turn.runner.time_zone)
    if reading is not None:  # "ill until friday", "sick this week"
        await illness.start(turn, reading.until)
        return
    words = text.lower().split()
    reason = next((w for w in words if w in PAUSE_REASONS), "other")
    rest = " ".join(w for w in words if w not in PAUSE_REASONS)
    if not rest and reason == "other":
        await ask_pause(turn)
        return
    await pause_for(turn, rest, reason)


async def pause_for(turn: Turn, rest: str, reason: str) -> None:
    """Pause until the date or for the length typed; ask again for what does not read."""
    until: dt.date | None = None
    reading: DateReading | None = None
    if rest and rest not in ("open", "indefinitely", "until resume", "until i say"):
        days = re.fullmatch(r"(?:for\s+)?(\d+)\s*(d|days?|w|weeks?)", rest)
        if days is not None:
            n = int(days[1]) * (7 if days[2].startswith("w") else 1)
            until = turn.today() + dt.timedelta(days=n - 1)
        else:
            try:
                reading = read_date(rest, turn.today(), turn.runner.time_zone)
            except DateParseError:
                await ask_pause(turn, texts.PAUSE_NOT_A_DATE)
                return
            until = reading.date
            if until < turn.today():
                await ask_pause(turn, texts.PAUSE_IN_PAST)
                return
    await pause(turn, until, reason)
    if reading is not None and reason != "illness":
        await _echo_other_reading(turn, rest, reading)


async def _echo_other_reading(turn: Turn, typed: str, reading: DateReading) -> None:
    """A date that reads two ways ("05/01/2027", "next friday"): the pause is kept on the
    first reading, and the other one is a tap away (docs/understanding.md, "Dates")."""
    other = reading.alternative
    if not reading.ambiguous or other is None or other < turn.today():
        return
    zone = turn.runner.time_zone
    if re.search(r"\d", typed):
        order = texts.PAUSE_DAY_FIRST if day_first(zone) else texts.PAUSE_MONTH_FIRST
        order = order.format(zone=zone)
    else:
        order = texts.PAUSE_NEXT_DAY.format(weekday=f"{reading.date:%A} ({reading.date:%d %B})")
    label = texts.PAUSE_OTHER_BUTTON.format(date=f"{other:%a %d %b}")
    await turn.say(
        texts.PAUSE_READ_AS.format(typed=typed, order=order, other=f"{other:%A %d %B}"),
        keyboards.markup([[(label, PausePress((other - turn.today()).days + 1).encode())]]),
    )


@with_turn()
async def on_pause_button(turn: Turn) -> None:
    """A button of /pause: pause for that long."""
    _, press = pressed(turn, PausePress)
    if press is None or not turn.runner.onboarded:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    await prompts.close_prompt(turn)
    if press.ill:  # as "I'm ill" typed: the reminders stop, then how long?
        await illness.start(turn, None)
        return
    days = press.days
    await pause(
        turn, None if days is None else turn.today() + dt.timedelta(days=days - 1), "other"
    )


async def pause(turn: Turn, until: dt.date | None, reason: str) -> None:
    """Pause the reminders and say until when (ill: the illness's own reply and check-in)."""
    if reason == "illness":
        await illness.start(turn, until)
        return
    await illness.end_spell(turn)  # a holiday after being ill: the illness ends today
    await services.pause(turn.db, turn.runner, until=until, reason=reason, now=turn.clock())
    shown = texts.PAUSED_UNTIL.format(date=f"{until:%A %d %B}") if until else ""
    await turn.say(texts.PAUSED.format(until=shown))


@with_turn(needs_plan=True)
async def on_resume(turn: Turn) -> None:
    """Bring the reminders back (with a caution during an escalated pain episode)."""
    caution = await pain.resume_caution(turn.db, turn.runner)
    await illness.end_spell(turn)
    resumed = await services.resume(turn.db, turn.runner, now=turn.clock())
    await turn.say(caution or (texts.RESUMED if resumed else texts.NOT_PAUSED))


def register(app: App) -> None:
    """/pause, /resume and the pause buttons."""
    app.add_handler(CommandHandler("pause", on_pause, filters=PRIVATE))
    app.add_handler(CommandHandler("resume", on_resume, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_pause_button, pattern=PausePress.pattern))
