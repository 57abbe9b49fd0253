"""Typed answers to /today's follow-up questions, as their buttons (docs/understanding.md,
"Typed answers to buttons"): "2h" or "tonight" after Snooze, "sat" after Move, "yes" or "no"
when a recorded session would change, "skip" at "How did it feel?" (the question
skipped, not the session), /reminders' buttons typed ("+15 min", "7am", "morning messages
off": bot/handlers/reminder_settings.py); and "move" typed, as the Move button under /today.

Each question is kept open by bot/handlers/today.py (bot/prompts.py: the kind carries the day
and the status asked about). A reply that answers none of them but is something else the bot
reads ("done", "plan") goes on to be read as that (`take` returns False); anything else gets a
short hint and the question again, its buttons with it."""

from __future__ import annotations

import datetime as dt
import re

import bot.handlers.moves as moves
import bot.handlers.reminder_settings as reminder_settings
import bot.handlers.today as today
from bot import keyboards, prompts, texts
from bot.callbacks import Change
from bot.turn import Turn
from core.answers import Option, match_option, read_number, yes_no
from core.dates import DateParseError, read_date
from core.fuzzy import guess
from core.models import WEEKDAY_NAMES, Weekday
from core.planner import week_start_of
from core.weekparse import parse_weekday

# What each snooze button stands for, typed (its value: `core.reminders.snooze_until`).
SNOOZE_OPTIONS = (
    Option("30", "30 min", ("half an hour", "30 minutes", "30 mins", "30m", "half hour"), 30),
    Option("120", "2 h", ("2h", "2 hours", "two hours", "2 hrs", "couple of hours"), 120),
    Option(
        "evening",
        "Tonight",
        ("this evening", "evening", "later tonight", "tonite", "after dinner", "later today"),
    ),
)
# Typed at "How did it feel?": the question skipped, no feel recorded.
FEEL_SKIP_WORDS = frozenset(
    {
        "skip",
        "skip it",
        "skip that",
        "skip this",
        "skip the question",
        "skipped",
        "pass",
        "no",
        "nope",
        "no thanks",
        "rather not",
        "none",
        "n/a",
        "not now",
        "dunno",
        "don't know",
    }
)
MOVE_WORDS = frozenset({"move", "move it", "move today", "move session", "move my session"})
DAY_NAMES = tuple(name.lower() for name in WEEKDAY_NAMES)
_HOURS = re.compile(r"^(?:in\s+)?(?:an?|one|\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours)$")


def read_snooze(text: str) -> str | None:
    """The snooze a reply picks ("in 2 hours", "30 min", "tonight"), as its value, or None."""
    said = re.sub(r"^(?:in|for|snooze|remind me|again)\s+", "", text.strip().lower()).strip()
    said = said.removeprefix("in ").strip()
    hours = _HOURS.fullmatch(said)
    if hours is not None:
        digits = re.search(r"\d+(?:\.\d+)?", said)
        said = f"{round(float(digits[0]) * 60) if digits else 60} min"
    found = match_option(said, SNOOZE_OPTIONS)
    if found.option is not None:
        return found.option.value
    number = read_number(said)
    if number is not None and number.value in (30, 120):
        return str(number.value)
    return None


def _prompt(kind: str | None) -> tuple[str, dt.date, str] | None:
    """An open prompt of /today's (its name, its day, what it asked about), or None."""
    name, _, rest = (kind or "").partition(":")
    if name not in (
        today.SNOOZE_PROMPT,
        today.CHANGE_PROMPT,
        today.MOVE_PROMPT,
        today.FEEL_PROMPT,
    ):
        return None
    day, _, detail = rest.partition(":")
    try:
        return name, dt.date.fromisoformat(day), detail
    except ValueError:
        return None


def _other_reading(text: str) -> bool:
    """Whether a reply is something the bot reads on its own: a session word ("done"), a
    command word without its slash ("plan"), or a command."""
    said = text.strip().lower().rstrip("!.")
    word = said.lstrip("/")
    return said in today.TYPED or word in ("plan", "week", "today", "settings", "help", "start")


async def take(turn: Turn, text: str, kind: str | None) -> bool:
    """Answer the open question of /today's with `text`, or "move" typed; False when `text`
    is not for them (the caller reads it as usual)."""
    if not turn.runner.onboarded:
        return False
    if kind == reminder_settings.REMINDERS_PROMPT:  # /reminders' buttons, typed
        return await reminder_settings.take_typed(turn, text, other=_other_reading(text))
    open_prompt = _prompt(kind)
    if open_prompt is None:
        if text.strip().lower().rstrip("!.") in MOVE_WORDS:
            await _offer_moves(turn, turn.today())
            return True
        return False
    name, day, detail = open_prompt
    if name == today.FEEL_PROMPT:
        # Optional: "skip" (or "no", "pass") skips the question, never the session. Anything
        # else is read as usual ("hard" as the feel, "my knee hurts" by the pain check).
        if text.strip().lower().rstrip("!.") in FEEL_SKIP_WORDS:
            await turn.say(texts.FEEL_SKIPPED)
            return True
        return False
    if name == today.SNOOZE_PROMPT:
        choice = read_snooze(text)
        if choice is not None:
            await today.snooze(turn, day, choice)
            return True
        if _other_reading(text):
            return False
        await turn.say(texts.SNOOZE_WHICH, keyboards.snooze(day))
        await prompts.open_prompt(turn, f"{today.SNOOZE_PROMPT}:{day.isoformat()}")
        return True
    if name == today.CHANGE_PROMPT:
        said = yes_no(text)
        if said is not None:
            change = Change(detail) if said else Change.KEEP
            await today.apply_change(turn, day, change, None)
            return True
        if _other_reading(text):
            return False
        found = await today.recorded(turn, day)
        if found is None:  # nothing recorded any more: nothing to ask
            return False
        await turn.say(texts.CHANGE_YES_OR_NO, keyboards.change_recorded(day, detail, found[0]))
        await prompts.open_prompt(turn, f"{today.CHANGE_PROMPT}:{day.isoformat()}:{detail}")
        return True
    return await _move_to(turn, day, text)


async def _offer_moves(turn: Turn, day: dt.date) -> None:
    source = await moves.move_source(turn, day)
    if source == texts.MOVE_NONE:  # "move" typed on a day without strength
        await turn.say(texts.NO_SESSION_TODAY)
        return
    if isinstance(source, str):
        await turn.say(source)
        return
    await moves.offer_moves(turn, source)


async def _move_to(turn: Turn, day: dt.date, text: str) -> bool:
    """A day typed after Move ("sat", "Sunday", "tomorrow"): move the session there."""
    if _other_reading(text):
        return False
    source = await moves.move_source(turn, day)
    if isinstance(source, str):
        await turn.say(source)
        return True
    to = _day_of_week(text, day, turn.today())
    if to is None:
        await moves.offer_moves(turn, source, lead=texts.MOVE_WHICH_DAY)
        return True
    if to == day:
        lead = texts.MOVE_SAME_DAY.format(day=Weekday(day.weekday()).title)
        await moves.offer_moves(turn, source, lead=lead)
        return True
    await moves.move(turn, source, to)
    return True


def _day_of_week(text: str, day: dt.date, today_: dt.date) -> dt.date | None:
    """The day of `day`'s week a reply names: a day's name ("sat", "Satrday", "to sunday"),
    or a date such as "tomorrow"; None when it names none."""
    said = re.sub(r"^(?:move\s+)?(?:it\s+)?(?:to|on|onto)\s+", "", text.strip().lower())
    said = said.removeprefix("the ").strip().rstrip("!.")
    weekday = parse_weekday(said)
    if weekday is None:
        found = guess(said, DAY_NAMES, min_length=4)
        weekday = Weekday(DAY_NAMES.index(found.word)) if found and found.sure else None
    if weekday is not None:
        return week_start_of(day) + dt.timedelta(days=int(weekday))
    try:
        return read_date(said, today_).date
    except DateParseError:
        return None
