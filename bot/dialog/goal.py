"""Setup's first questions: the goal (a race distance, or no race) and the race date, read
from what runners type ("15 march", "in 2 weeks", "05/01/2027" echoed to confirm)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from bot import texts
from bot.dialog.question import (
    Accepted,
    Answers,
    Button,
    Context,
    Invalid,
    Prompt,
    Question,
    norm,
    options,
    resolve,
    rows,
    short,
)
from core.answers import yes_no
from core.dates import DateParseError, day_first, read_date
from core.models import Goal

# --- goal -------------------------------------------------------------------------------------

GOAL_LABELS = {
    Goal.FIVE_K.value: "5k",
    Goal.TEN_K.value: "10k",
    Goal.HALF.value: "Half marathon",
    Goal.MARATHON.value: "Marathon",
    Goal.ULTRA.value: "Ultra",
    Goal.NONE.value: "No race",
}
GOAL_SYNONYMS = {
    "5 k": "5k",
    "5km": "5k",
    "parkrun": "5k",
    "10 k": "10k",
    "10km": "10k",
    "half": "half",
    "hm": "half",
    "21k": "half",
    "half-marathon": "half",
    "21.1": "half",
    "full": "marathon",
    "42k": "marathon",
    "full marathon": "marathon",
    "42.2": "marathon",
    "ultramarathon": "ultra",
    "50k": "ultra",
    "100k": "ultra",
    "none": "none",
    "no": "none",
    "nothing": "none",
    "no race": "none",
    "just fitness": "none",
    "fitness": "none",
}


def _ask_goal(a: Answers, c: Context) -> Prompt:
    buttons = [Button(label, value) for value, label in GOAL_LABELS.items()]
    return Prompt(texts.ASK_GOAL, rows(buttons, 3))


GOAL_OPTIONS = [
    replace(o, yes=False) if o.value == Goal.NONE.value else o
    for o in options(GOAL_LABELS, {**GOAL_SYNONYMS, "not training for a race": "none"})
]


def _accept_goal(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    goal = resolve(raw, pressed, GOAL_OPTIONS, c, texts.HINT_GOAL).value
    new = {**a, "goal": goal}
    if goal == Goal.NONE.value:
        new["race_date"] = None
    elif a.get("goal") == Goal.NONE.value:
        new.pop("race_date", None)  # changed from no race to a race: ask for its date
    return Accepted(new, GOAL_LABELS[goal])


# --- race date --------------------------------------------------------------------------------

NO_DATE = "nodate"
RACE_DATE_ON = "race_date_on"  # the day the race date was answered: is it off-season then?


def _ask_race_date(a: Answers, c: Context) -> Prompt:
    return Prompt(texts.ASK_RACE_DATE, ((Button("No date yet", NO_DATE),),))


NO_DATE_WORDS = {
    "no date",
    "no date yet",
    "none",
    "not sure",
    "dunno",
    "don't know",
    "tbc",
    "not yet",
    "no race date",
}
# How an ambiguous numeric date was read, said with the echo (docs/understanding.md, "Dates").
READ_DAY_FIRST_GUESS = (
    "I read {typed} day first, as most of the world writes it; I don't know your time zone yet."
)
READ_BY_ZONE = "I read {typed} {order} first, as dates are written in {zone}."
NUMERIC_DATE = re.compile(r"\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?")
READ_OTHER_WAY = "I read {typed} as {date}: the other way round it has already passed."


def _race_day(day: dt.date, today: dt.date) -> str | None:
    """Why a race date can't be used (the hint), or None."""
    if day < today:
        return texts.RACE_IN_PAST
    if day > today + dt.timedelta(days=730):
        return texts.RACE_TOO_FAR
    return None


def _race_accepted(a: Answers, day: dt.date, note: str = "") -> Accepted:
    return Accepted({**a, "race_date": day.isoformat()}, f"{day:%A %d %B %Y}", note=note)


def _accept_race_date(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    said = yes_no(raw)
    a = {**a, RACE_DATE_ON: c.today.isoformat()}  # the day it was said (the lifting question)
    if c.suggested is not None:  # "Just to be sure: Tuesday 5 January 2027?"
        offered, _, swapped = c.suggested.partition("|")
        if said is True:
            return _race_accepted(a, dt.date.fromisoformat(offered))
        if said is False and swapped:  # no: the other reading of the same digits
            return _race_accepted(a, dt.date.fromisoformat(swapped))
        if said is False:
            raise Invalid(texts.RACE_DATE_SPELL_IT)
    if raw == NO_DATE or norm(raw) in NO_DATE_WORDS or said is False:
        return Accepted({**a, "race_date": None}, "No date yet")
    zone = a.get("timezone")
    try:
        reading = read_date(raw, c.today, zone)
    except DateParseError:
        raise Invalid(texts.HINT_RACE_DATE) from None
    day = reading.date
    other = reading.alternative if reading.ambiguous else None
    typed = short(raw.strip(), 20)
    problem = _race_day(day, c.today)
    if other is not None and _race_day(other, c.today) is not None:
        other = None  # only one reading is a race to come: no need to ask
    elif problem == texts.RACE_IN_PAST and other is not None:
        # The digits the other way round are a race to come: that one, said how.
        return _race_accepted(
            a, other, READ_OTHER_WAY.format(typed=typed, date=f"{other:%d %B %Y}")
        )
    if problem is not None:
        raise Invalid(problem)
    if other is not None:
        if not NUMERIC_DATE.fullmatch(raw.strip()):
            how = ""  # "next friday": this week's or the next, nothing about the order
        elif zone is None:
            how = READ_DAY_FIRST_GUESS.format(typed=typed)
        else:
            order = "day" if day_first(zone) else "month"
            how = READ_BY_ZONE.format(typed=typed, order=order, zone=zone)
        which = texts.RACE_DATE_WHICH.format(date=f"{day:%A %d %B %Y}", other=f"{other:%d %B}")
        raise Invalid(f"{which}\n{how}".strip(), suggest=f"{day.isoformat()}|{other.isoformat()}")
    return _race_accepted(a, day)


def _show_race_date(a: Answers) -> str:
    value = a.get("race_date")
    return f"{dt.date.fromisoformat(value):%d %B %Y}" if value else "no date yet"


GOAL = Question("goal", "Goal", _ask_goal, _accept_goal, lambda a: GOAL_LABELS[a["goal"]])
RACE_DATE = Question("race_date", "Race date", _ask_race_date, _accept_race_date, _show_race_date)
