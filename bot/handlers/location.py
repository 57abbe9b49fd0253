"""Travel: a shared location (Telegram's location message) to its time zone, confirmed with
Yes / No before anything changes. Yes moves the reminders to the new local times from the
next one on (docs/architecture.md, "Reminders: the outbox"): pending rows are re-timed, and a
reminder already sent today in the old zone is not sent again in the new one."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import InlineKeyboardMarkup, Message
from telegram.ext import CallbackQueryHandler, MessageHandler, filters
from timezonefinder import TimezoneFinder

from bot import keyboards, prompts, services, texts
from bot.dialog.engine import answer, ask
from bot.handlers.filters import PRIVATE
from bot.plan_changes import zone_change
from bot.runtime import App
from bot.turn import Turn, message_of, pressed, with_turn
from core.answers import yes_no
from storage import repo

ZONE_STEP = "timezone"  # the setup and /settings question a shared location answers
NO = "no"
PROMPT = "zone:"  # the open "Switch to ...?" question (bot.prompts), with its zone


@dataclass(frozen=True)
class ZonePress:
    """A button of "Switch to ...?": the zone to switch to, or "no"."""

    zone: str
    pattern: ClassVar[re.Pattern[str]] = re.compile(r"^z:")

    def encode(self) -> str:
        return f"z:{self.zone}"

    @classmethod
    def parse(cls, data: str) -> ZonePress | None:
        return cls(data[2:]) if cls.pattern.match(data) else None


@functools.cache
def _finder() -> TimezoneFinder:
    return TimezoneFinder()


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone of a place; None at sea (the "Etc/GMT" zones) or where none is known."""
    name = _finder().timezone_at(lat=latitude, lng=longitude)
    if name is None or name.startswith("Etc/"):
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def _shown(zone: str) -> str:
    return zone.replace("_", " ")


def _confirm(zone: str) -> InlineKeyboardMarkup:
    return keyboards.markup([[("Yes", ZonePress(zone).encode()), ("No", ZonePress(NO).encode())]])


@with_turn()
async def on_location(turn: Turn) -> None:
    """A shared location: the answer to the time-zone question when it is open (setup or
    /settings), else the question whether to switch to its time zone."""
    message = turn.update.message
    assert message is not None and message.location is not None
    zone = zone_at(message.location.latitude, message.location.longitude)
    asked = turn.dialog is not None and turn.dialog.active and turn.step == ZONE_STEP
    if asked:
        if zone is None:
            await turn.say(texts.NO_ZONE_HERE)
            await ask(turn)
        else:
            await answer(turn, zone, pressed=False, message=None)
        return
    if not turn.runner.onboarded:
        await turn.say(texts.NO_PLAN_YET)
        return
    if zone is None:
        await turn.say(texts.NO_ZONE)
        return
    if zone == turn.runner.time_zone:
        await turn.say(texts.SAME_ZONE.format(zone=_shown(zone)))
        return
    now = turn.clock().astimezone(ZoneInfo(zone))
    await turn.say(texts.ASK_SWITCH.format(zone=_shown(zone), now=f"{now:%H:%M}"), _confirm(zone))
    await prompts.open_prompt(turn, f"{PROMPT}{zone}")


@with_turn(needs_plan=True)
async def on_zone_button(turn: Turn) -> None:
    """Yes: the new zone, the reminders re-timed, and when the next one comes. No: kept."""
    query, press = pressed(turn, ZonePress)
    await turn.answer_query()
    if press is None:
        return
    await prompts.close_prompt(turn)
    await switch(turn, press, message_of(query))


async def take_typed(turn: Turn, text: str, kind: str | None) -> bool:
    """A typed answer to "Switch to ...?" ("yes", "nope"); False when that question is not
    open. Anything else but yes or no asks it again."""
    if kind is None or not kind.startswith(PROMPT) or not turn.runner.onboarded:
        return False
    zone = kind.removeprefix(PROMPT)
    said = yes_no(text)
    if said is None:
        await turn.say(texts.SWITCH_YES_OR_NO.format(zone=_shown(zone)), _confirm(zone))
        await prompts.open_prompt(turn, kind)
        return True
    await switch(turn, ZonePress(zone if said else NO), None)
    return True


async def switch(turn: Turn, press: ZonePress, message: Message | None) -> None:
    """Switch to the zone pressed (or typed yes to), or keep the runner's."""
    if press.zone == NO:
        if message is not None:
            await turn.close_prompt(message, "No")
        await turn.say(texts.KEPT_ZONE.format(zone=_shown(turn.runner.time_zone)))
        return
    try:
        ZoneInfo(press.zone)
    except (ZoneInfoNotFoundError, ValueError):
        await turn.say(texts.STALE)
        return
    if message is not None:
        await turn.close_prompt(message, "Yes")
    if press.zone == turn.runner.time_zone:
        await turn.say(texts.SAME_ZONE.format(zone=_shown(press.zone)))
        return
    turn.runner.time_zone = press.zone
    now = turn.clock()
    await services.save_and_reschedule(turn.db, turn.runner, now=now)
    await turn.say(await _zone_line(turn, now))


async def _zone_line(turn: Turn, now: dt.datetime) -> str:
    """The new zone and the next reminder at its local time (as /settings says it)."""
    zone = ZoneInfo(turn.runner.time_zone)
    rows = await repo.upcoming_reminders(
        turn.db, runner_id=services.runner_id(turn.runner), now=now, limit=1
    )
    due, kind = (rows[0].due_at.astimezone(zone), rows[0].kind) if rows else (None, "")
    return zone_change(turn.runner.time_zone, now.astimezone(zone), due, kind)


def register(app: App) -> None:
    """A shared location, and the "Switch to ...?" buttons."""
    app.add_handler(MessageHandler(PRIVATE & filters.LOCATION, on_location))
    app.add_handler(CallbackQueryHandler(on_zone_button, pattern=ZonePress.pattern))
