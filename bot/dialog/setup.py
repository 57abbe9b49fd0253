"""The questions of setup and settings, in order, and what the dialog does with the answers:
the next one missing, the summary, the edit menu. The questions themselves are in `goal`,
`week`, `sessions`, `multiselect` and `zones`; `profile` turns the answers into the runner's
profile and week."""

from __future__ import annotations

from bot import texts
from bot.dialog.goal import GOAL, RACE_DATE
from bot.dialog.multiselect import (
    accept_equipment,
    accept_niggles,
    ask_equipment,
    ask_niggles,
    show_equipment,
    show_niggles,
)
from bot.dialog.placement import FREE_DAYS, needs_free_days
from bot.dialog.question import Answers, Button, Prompt, Question, rows
from bot.dialog.sessions import (
    HARD_DAYS,
    LIFTING,
    MINUTES,
    PLACEMENT,
    SESSIONS,
    hard_days_apply,
    lifting_applies,
)
from bot.dialog.week import (
    BASE,
    DAY_BY_DAY,
    READING,
    accept_day,
    accept_time,
    accept_week,
    ask_day,
    ask_time,
    ask_week,
    needs_time,
    show_week,
)
from bot.dialog.zones import accept_timezone, ask_timezone
from core.answers import Option, match_option
from core.models import WEEKDAY_NAMES, Goal


def _shown(key: str, a: Answers) -> bool:
    """The answer is part of the summary and the edit menu."""
    if key == "race_date":
        return a.get("goal") != Goal.NONE.value
    if key == "lifting":
        return a.get("lifting") is not None
    if key == "hard_days":
        return a.get("hard_days") is True or hard_days_apply(a)
    return True


# --- the questions in order -------------------------------------------------------------------

SETUP_QUESTIONS: dict[str, Question] = {
    q.key: q
    for q in (
        GOAL,
        RACE_DATE,
        Question("week", "Running week", ask_week, accept_week, show_week),
        SESSIONS,
        HARD_DAYS,
        MINUTES,
        PLACEMENT,
        Question("equipment", "Equipment", ask_equipment, accept_equipment, show_equipment),
        LIFTING,
        Question(
            "timezone", "Time zone", ask_timezone, accept_timezone, lambda a: str(a["timezone"])
        ),
        Question("niggles", "Niggles", ask_niggles, accept_niggles, show_niggles),
    )
}
for _i in range(7):
    SETUP_QUESTIONS[f"day{_i}"] = Question(
        f"day{_i}", WEEKDAY_NAMES[_i], ask_day(_i), accept_day(_i)
    )
    SETUP_QUESTIONS[f"time{_i}"] = Question(
        f"time{_i}", f"{WEEKDAY_NAMES[_i]} time", ask_time(_i), accept_time(_i)
    )
TOP_LEVEL = (
    "goal",
    "race_date",
    "week",
    "sessions",
    "hard_days",
    "minutes",
    "placement",
    "equipment",
    "lifting",
    "timezone",
    "niggles",
)


def first_missing(a: Answers) -> str | None:
    """The next question to ask, or None when every answer is in."""
    for key in TOP_LEVEL:
        if key == "race_date" and a.get("goal") == Goal.NONE.value:
            continue
        if key == "lifting" and not lifting_applies(a):
            continue
        if key == "hard_days" and not hard_days_apply(a):
            continue
        if key == "week" and "week" not in a and a.get("week_mode") == DAY_BY_DAY:
            days = a.get("week_days", [])
            if days and needs_time(days[-1]) and "start" not in days[-1]:
                return f"time{len(days) - 1}"
            return f"day{len(days)}"
        if key not in a:
            return key
        if key == "placement" and needs_free_days(a):
            return FREE_DAYS  # every day without a run is a rest day: is one free?
    return None


def questions_left(a: Answers) -> int:
    """How many of setup's questions are still to answer, the current one included (a race
    date counts once a race is chosen, the lifting question once it applies)."""
    left = 0
    for key in TOP_LEVEL:
        if key == "race_date" and a.get("goal") in (None, Goal.NONE.value):
            continue
        if key == "lifting" and not lifting_applies(a):
            continue  # counted once the equipment answer makes it apply
        if key == "hard_days" and not hard_days_apply(a):
            continue  # counted once the week and the sessions make it apply
        if key not in a:
            left += 1
    return left


def summary(a: Answers) -> str:
    lines = [texts.SUMMARY_TITLE]
    for key in TOP_LEVEL:
        if not _shown(key, a):
            continue
        q = SETUP_QUESTIONS[key]
        lines.append(f"• {q.label}: {q.show(a)}")
    return "\n".join(lines)


def pick_prompt(a: Answers, text: str) -> Prompt:
    keys = [k for k in TOP_LEVEL if _shown(k, a)]
    return Prompt(text, rows([Button(SETUP_QUESTIONS[k].label, k) for k in keys], 2))


def forget(a: Answers, key: str) -> Answers:
    """Drop one answer so that its question is asked again."""
    drop = {key}
    kept: Answers = {}
    if key in ("week", "placement"):
        drop.add(FREE_DAYS)  # asked again if the new week or preference needs it
    if key == "week":
        drop |= {"week_mode", "week_days", READING}
        if "week" in a:  # the week as it is: change only the days typed, or Keep
            kept[BASE] = a["week"]
    if key == "goal" and a.get("race_date") is None:
        drop.add("race_date")  # from "no race" to a race: its date must be asked
    if key == "sessions":
        drop.add("hard_days")  # asked again if the new number does not fit the week
    if key in ("equipment", "goal", "race_date") and a.get("lifting") is None:
        drop.add("lifting")  # never answered: asked if the new answer calls for it
    return {**{k: v for k, v in a.items() if k not in drop}, **kept}


def pick(raw: str) -> str | None:
    """The answer a runner picked to change in the edit menu or /settings, or None."""
    said = raw.strip().lower()
    for key in TOP_LEVEL:
        if raw == key or said == SETUP_QUESTIONS[key].label.lower():
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
        "lifting": "lifting",
        "experience": "lifting",
        "hard days": "hard_days",
        "hard days hard": "hard_days",
        "after hard runs": "hard_days",
        "hard": "hard_days",
    }
    if said in synonyms:
        return synonyms[said]
    found = match_option(raw, [Option(k, SETUP_QUESTIONS[k].label) for k in TOP_LEVEL])
    return found.option.value if found.option is not None else None
