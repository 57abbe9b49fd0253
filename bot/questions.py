"""The questions of onboarding and settings: what each asks, and how it reads an answer.

A dialog's state is only its answers (a JSON dict); the question to ask next is derived from
what is missing, so a dialog can be resumed after a restart, edited one answer at a time, and
never asks twice for what it already has.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from bot import texts
from core.areas import AREA_LABELS, UnknownArea, parse_areas
from core.dates import DateParseError, parse_date
from core.models import (
    WEEKDAY_NAMES,
    BodyArea,
    Day,
    DayKind,
    Equipment,
    Goal,
    PlacementPreference,
    Profile,
    Week,
)
from core.weekparse import (
    EXAMPLE_WEEK,
    WeekParseError,
    format_week,
    parse_day,
    parse_time,
    parse_week,
    parse_weekday,
)
from storage.tables import day_from_json, day_to_json

Answers = dict[str, Any]


@dataclass(frozen=True)
class Button:
    label: str
    value: str


@dataclass(frozen=True)
class Prompt:
    text: str
    rows: tuple[tuple[Button, ...], ...] = ()


class Invalid(Exception):
    """An answer we can't use; the message is the hint the runner sees."""


@dataclass(frozen=True)
class Accepted:
    answers: Answers
    echo: str  # the answer as understood, shown under the question
    stay: bool = False  # multi-select toggles keep the same question open


@dataclass(frozen=True)
class Context:
    today: dt.date


@dataclass(frozen=True)
class Question:
    key: str
    label: str  # name of the answer in the summary and the edit menu
    prompt: Callable[[Answers, Context], Prompt]
    accept: Callable[[str, bool, Answers, Context], Accepted]
    show: Callable[[Answers], str] = field(default=lambda a: "")


def _rows(buttons: list[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().strip(".!"))


def _choice(raw: str, options: dict[str, str], synonyms: dict[str, str], hint: str) -> str:
    """A value from a button press or a typed label/synonym (case-insensitive)."""
    said = _norm(raw)
    if raw in options:
        return raw
    for value, label in options.items():
        if said in (_norm(label), value.lower()):
            return value
    if said in synonyms:
        return synonyms[said]
    raise Invalid(hint)


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
    return Prompt(texts.ASK_GOAL, _rows(buttons, 3))


def _accept_goal(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    goal = _choice(raw, GOAL_LABELS, GOAL_SYNONYMS, texts.HINT_GOAL)
    new = {**a, "goal": goal}
    if goal == Goal.NONE.value:
        new["race_date"] = None
    elif a.get("goal") == Goal.NONE.value:
        new.pop("race_date", None)  # changed from no race to a race: ask for its date
    return Accepted(new, GOAL_LABELS[goal])


# --- race date --------------------------------------------------------------------------------

NO_DATE = "nodate"


def _ask_race_date(a: Answers, c: Context) -> Prompt:
    return Prompt(texts.ASK_RACE_DATE, ((Button("No date yet", NO_DATE),),))


def _accept_race_date(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    if raw == NO_DATE or _norm(raw) in {"no date", "no date yet", "none", "not sure", "dunno"}:
        return Accepted({**a, "race_date": None}, "No date yet")
    try:
        day = parse_date(raw, c.today)
    except DateParseError:
        raise Invalid(texts.HINT_RACE_DATE) from None
    if day < c.today:
        raise Invalid(texts.RACE_IN_PAST)
    if day > c.today + dt.timedelta(days=730):
        raise Invalid(texts.RACE_TOO_FAR)
    return Accepted({**a, "race_date": day.isoformat()}, f"{day:%A %d %B %Y}")


def _show_race_date(a: Answers) -> str:
    value = a.get("race_date")
    return f"{dt.date.fromisoformat(value):%d %B %Y}" if value else "no date yet"


# --- the week ---------------------------------------------------------------------------------

DAY_BY_DAY = "days"
KIND_LABELS = {
    DayKind.REST.value: "Rest",
    DayKind.OFF.value: "No run",
    DayKind.EASY.value: "Easy",
    DayKind.RECOVERY.value: "Recovery",
    DayKind.LONG.value: "Long run",
    DayKind.INTERVALS.value: "Intervals",
    DayKind.TEMPO.value: "Tempo",
    DayKind.HILLS.value: "Hills",
    DayKind.RACE.value: "Race",
    DayKind.CROSS.value: "Cross-training",
}
NO_TIME = "notime"
TIME_BUTTONS = ("06:00", "07:00", "08:00", "12:00", "17:30", "18:00", "19:00")


def _ask_week(a: Answers, c: Context) -> Prompt:
    return Prompt(
        texts.ASK_WEEK.format(example=EXAMPLE_WEEK), ((Button("Day by day", DAY_BY_DAY),),)
    )


def _accept_week(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    if raw == DAY_BY_DAY or _norm(raw) in {"day by day", "one by one", "each day"}:
        return Accepted({**a, "week_mode": DAY_BY_DAY, "week_days": []}, "Day by day")
    try:
        week = parse_week(raw)
    except WeekParseError as error:
        raise Invalid(str(error)) from None
    return Accepted(_set_week(a, week), format_week(week))


def _set_week(a: Answers, week: Week) -> Answers:
    new = {k: v for k, v in a.items() if k not in ("week_mode", "week_days")}
    new["week"] = [day_to_json(d) for d in week.days]
    return new


def _needs_time(day: dict[str, Any]) -> bool:
    return DayKind(day["kind"]) not in (DayKind.REST, DayKind.OFF)


def _ask_day(index: int) -> Callable[[Answers, Context], Prompt]:
    def ask(a: Answers, c: Context) -> Prompt:
        buttons = [Button(label, value) for value, label in KIND_LABELS.items()]
        return Prompt(texts.ASK_DAY.format(day=WEEKDAY_NAMES[index]), _rows(buttons, 3))

    return ask


def _accept_day(index: int) -> Callable[[str, bool, Answers, Context], Accepted]:
    def accept(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
        if pressed and raw in KIND_LABELS:
            day: dict[str, Any] = {"kind": raw}
        else:
            if index == 0 and _looks_like_whole_week(raw):
                return _accept_week(raw, pressed, a, c)  # the whole week typed after all
            if _looks_like_whole_week(raw):
                raise Invalid(texts.HINT_ONE_DAY.format(day=WEEKDAY_NAMES[index]))
            try:  # "easy 7am 45min", with or without this day's name in front
                parsed = parse_day(_without_day_name(raw, index))
            except WeekParseError as error:
                raise Invalid(f"{_short(error.problem)} {texts.HINT_DAY}") from None
            day = day_to_json(parsed)
            if parsed.start is None and _needs_time(day):
                del day["start"]  # still to ask
        days = [*a.get("week_days", [])[:index], day]
        return _after_day({**a, "week_days": days}, KIND_LABELS[day["kind"]])

    return accept


def _without_day_name(raw: str, index: int) -> str:
    words = raw.strip().split(maxsplit=1)
    if words and parse_weekday(words[0].rstrip(":,.-")) == index:
        return words[1] if len(words) > 1 else ""
    return raw


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _looks_like_whole_week(raw: str) -> bool:
    names = re.findall(r"\b(mon|tue|wed|thu|fri|sat|sun)", raw.lower())
    return len(set(names)) >= 2


def _after_day(a: Answers, echo: str) -> Accepted:
    days = a["week_days"]
    if len(days) == 7 and ("start" in days[-1] or not _needs_time(days[-1])):
        full = [
            {"kind": d["kind"], "start": d.get("start"), "minutes": d.get("minutes")} for d in days
        ]
        week = Week(days=tuple(day_from_json(d) for d in full))
        return Accepted(_set_week(a, week), echo)
    return Accepted(a, echo)


def _ask_time(index: int) -> Callable[[Answers, Context], Prompt]:
    def ask(a: Answers, c: Context) -> Prompt:
        kind = DayKind(a["week_days"][index]["kind"]).label
        buttons = [Button(t, t) for t in TIME_BUTTONS] + [Button("No fixed time", NO_TIME)]
        return Prompt(
            texts.ASK_TIME.format(day=WEEKDAY_NAMES[index], kind=kind), _rows(buttons, 4)
        )

    return ask


def _accept_time(index: int) -> Callable[[str, bool, Answers, Context], Accepted]:
    def accept(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
        if raw == NO_TIME or _norm(raw) in {"no fixed time", "none", "varies", "any", "no"}:
            start = None
        else:
            try:
                parsed = parse_time(raw)
            except WeekParseError as error:
                raise Invalid(f"{_short(error.problem)} {texts.HINT_TIME}") from None
            if parsed is None:
                raise Invalid(texts.HINT_TIME)
            start = parsed.isoformat(timespec="minutes")
        days = [dict(d) for d in a["week_days"]]
        days[index]["start"] = start
        return _after_day({**a, "week_days": days}, start or "No fixed time")

    return accept


def _show_week(a: Answers) -> str:
    return format_week(Week(days=tuple(day_from_json(d) for d in a["week"])))


# --- sessions, minutes, placement -------------------------------------------------------------

NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty five": 45,
    "sixty": 60,
}


def _number(raw: str) -> int | None:
    said = _norm(raw)
    said = re.sub(r"\s*(min(ute)?s?|x|times|sessions?|a week|per week)$", "", said).strip()
    if said.isdecimal() and said.isascii():
        return int(said)
    return NUMBER_WORDS.get(said)


def _ask_sessions(a: Answers, c: Context) -> Prompt:
    return Prompt(texts.ASK_SESSIONS, ((Button("2", "2"), Button("3", "3"), Button("4", "4")),))


def _accept_sessions(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    n = _number(raw)
    if n is None or not 2 <= n <= 4:
        raise Invalid(texts.HINT_SESSIONS)
    return Accepted({**a, "sessions": n}, f"{n} a week")


MINUTE_BUTTONS = ("15", "20", "25", "30", "40")


def _ask_minutes(a: Answers, c: Context) -> Prompt:
    return Prompt(texts.ASK_MINUTES, (tuple(Button(f"{m} min", m) for m in MINUTE_BUTTONS),))


def _accept_minutes(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    n = _number(raw)
    if n is None or not 10 <= n <= 90:
        raise Invalid(texts.HINT_MINUTES)
    return Accepted({**a, "minutes": n}, f"{n} minutes")


PLACEMENT_LABELS = {
    PlacementPreference.AFTER_RUNS.value: "After easy runs",
    PlacementPreference.OFF_DAYS.value: "On days without a run",
    PlacementPreference.EITHER.value: "Either",
}
PLACEMENT_SYNONYMS = {
    "after runs": "after-runs",
    "after easy runs": "after-runs",
    "after run": "after-runs",
    "after": "after-runs",
    "post-run": "after-runs",
    "post run": "after-runs",
    "days off": "off-days",
    "off days": "off-days",
    "non-running days": "off-days",
    "on days off": "off-days",
    "no run days": "off-days",
    "separate days": "off-days",
    "either": "either",
    "any": "either",
    "both": "either",
    "don't mind": "either",
    "dont mind": "either",
    "whatever": "either",
    "no preference": "either",
}


def _ask_placement(a: Answers, c: Context) -> Prompt:
    buttons = [Button(label, value) for value, label in PLACEMENT_LABELS.items()]
    return Prompt(texts.ASK_PLACEMENT, _rows(buttons, 1))


def _accept_placement(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    value = _choice(raw, PLACEMENT_LABELS, PLACEMENT_SYNONYMS, texts.HINT_PLACEMENT)
    return Accepted({**a, "placement": value}, PLACEMENT_LABELS[value])


# --- multi-select: equipment and niggles ------------------------------------------------------

DONE = "done"
EQUIPMENT_LABELS = {
    Equipment.NONE.value: "Bodyweight only",
    Equipment.BAND.value: "Resistance band",
    Equipment.DUMBBELLS.value: "Dumbbells or kettlebell",
    Equipment.PULLUP_BAR.value: "Pull-up bar",
    Equipment.GYM.value: "Gym",
}
EQUIPMENT_WORDS = {
    "none": "none",
    "nothing": "none",
    "bodyweight": "none",
    "body weight": "none",
    "no": "none",
    "band": "band",
    "bands": "band",
    "resistance band": "band",
    "mini band": "band",
    "dumbbell": "dumbbells",
    "dumbbells": "dumbbells",
    "kettlebell": "dumbbells",
    "kettlebells": "dumbbells",
    "weights": "dumbbells",
    "db": "dumbbells",
    "kb": "dumbbells",
    "pull-up bar": "pullup-bar",
    "pullup bar": "pullup-bar",
    "pull up bar": "pullup-bar",
    "bar": "pullup-bar",
    "gym": "gym",
    "bodyweight only": "none",
    "dumbbells or kettlebell": "dumbbells",
    "dumbbells or kettlebells": "dumbbells",
    "full gym": "gym",
    "barbell": "gym",
}


def _toggle_prompt(
    text: str, labels: dict[str, str], chosen: list[str], per_row: int, none_value: str | None
) -> Prompt:
    buttons = [Button(("✅ " if v in chosen else "") + label, v) for v, label in labels.items()]
    last = [Button("None", none_value)] if none_value else []
    return Prompt(text, (*_rows(buttons, per_row), (*last, Button("Done", DONE))))


def _ask_equipment(a: Answers, c: Context) -> Prompt:
    chosen = a.get("equipment_pending", [])
    return _toggle_prompt(texts.ASK_EQUIPMENT, EQUIPMENT_LABELS, chosen, 2, None)


def _show_equipment(a: Answers) -> str:
    return ", ".join(EQUIPMENT_LABELS[e] for e in a["equipment"])


def _accept_equipment(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    pending = list(a.get("equipment_pending", []))
    if pressed and raw in EQUIPMENT_LABELS:
        if raw in pending:
            pending.remove(raw)
        else:
            pending.append(raw)
        return Accepted({**a, "equipment_pending": pending}, "", stay=True)
    if (pressed and raw == DONE) or _norm(raw) == DONE:
        chosen = pending or [Equipment.NONE.value]
    else:
        chosen = []
        for part in re.split(r"[,;/&+\n]|\band\b", _norm(raw)):
            word = part.strip()
            if not word:
                continue
            if word not in EQUIPMENT_WORDS:
                raise Invalid(texts.HINT_EQUIPMENT)
            chosen.append(EQUIPMENT_WORDS[word])
        if not chosen:
            raise Invalid(texts.HINT_EQUIPMENT)
    if len(chosen) > 1 and Equipment.NONE.value in chosen:
        chosen.remove(Equipment.NONE.value)
    ordered = [e for e in EQUIPMENT_LABELS if e in chosen]
    new = {k: v for k, v in a.items() if k != "equipment_pending"}
    new["equipment"] = ordered
    return Accepted(new, _show_equipment(new))


AREA_BUTTONS = {area.value: label for area, label in AREA_LABELS.items()}
NO_NIGGLES = "none"


def _ask_niggles(a: Answers, c: Context) -> Prompt:
    chosen = a.get("niggles_pending", [])
    return _toggle_prompt(texts.ASK_NIGGLES, AREA_BUTTONS, chosen, 2, NO_NIGGLES)


def _show_niggles(a: Answers) -> str:
    return ", ".join(AREA_BUTTONS[n] for n in a["niggles"]) or "none"


def _accept_niggles(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    pending = list(a.get("niggles_pending", []))
    if pressed and raw in AREA_BUTTONS:
        if raw in pending:
            pending.remove(raw)
        else:
            pending.append(raw)
        return Accepted({**a, "niggles_pending": pending}, "", stay=True)
    if pressed and raw == NO_NIGGLES:
        chosen: list[str] = []
    elif (pressed and raw == DONE) or _norm(raw) == DONE:
        chosen = pending
    else:
        try:
            chosen = [area.value for area in parse_areas(raw)]
        except UnknownArea as error:
            raise Invalid(texts.HINT_NIGGLES.format(part=_short(error.part, 60))) from None
    new = {k: v for k, v in a.items() if k != "niggles_pending"}
    new["niggles"] = [n for n in AREA_BUTTONS if n in chosen]
    return Accepted(new, _show_niggles(new))


# --- time zone --------------------------------------------------------------------------------

TIMEZONE_BUTTONS = {
    "Europe/London": "London",
    "Europe/Berlin": "Berlin / Paris",
    "America/New_York": "New York",
    "America/Chicago": "Chicago",
    "America/Los_Angeles": "Los Angeles",
    "Australia/Sydney": "Sydney",
    "Asia/Tokyo": "Tokyo",
    "UTC": "UTC",
}
CITY_ZONES = {
    "uk": "Europe/London",
    "england": "Europe/London",
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "glasgow": "Europe/London",
    "birmingham": "Europe/London",
    "ireland": "Europe/Dublin",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "germany": "Europe/Berlin",
    "france": "Europe/Paris",
    "lyon": "Europe/Paris",
    "spain": "Europe/Madrid",
    "barcelona": "Europe/Madrid",
    "italy": "Europe/Rome",
    "milan": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "geneva": "Europe/Zurich",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "philadelphia": "America/New_York",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "portland": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "austin": "America/Chicago",
    "boulder": "America/Denver",
    "calgary": "America/Edmonton",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "melbourne": "Australia/Melbourne",
    "canberra": "Australia/Sydney",
    "nyc": "America/New_York",
    "la": "America/Los_Angeles",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "india": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "japan": "Asia/Tokyo",
    "cape town": "Africa/Johannesburg",
    "wellington": "Pacific/Auckland",
    "gmt": "UTC",
    "utc": "UTC",
    "cet": "Europe/Berlin",
}


def _zones_by_name() -> dict[str, str]:
    zones: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        zones.setdefault(zone.lower(), zone)
        city = zone.rsplit("/", 1)[-1].replace("_", " ").lower()
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            zones.setdefault(city, zone)
    return zones


_ZONES = _zones_by_name()


def find_zone(text: str) -> str | None:
    """An IANA zone for a zone name or a city, or None."""
    said = _norm(text).replace("_", " ")
    for candidate in (said, said.replace(" ", "_")):
        if candidate in _ZONES:
            return _ZONES[candidate]
    return CITY_ZONES.get(said)


def _ask_timezone(a: Answers, c: Context) -> Prompt:
    buttons = [Button(label, zone) for zone, label in TIMEZONE_BUTTONS.items()]
    return Prompt(texts.ASK_TIMEZONE, _rows(buttons, 3))


def _accept_timezone(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    zone = raw if pressed and raw in TIMEZONE_BUTTONS else find_zone(raw)
    if zone is None:
        raise Invalid(texts.HINT_TIMEZONE)
    ZoneInfo(zone)  # known to exist: it came from the zone database
    return Accepted({**a, "timezone": zone}, zone)


# --- the questions in order -------------------------------------------------------------------

QUESTIONS: dict[str, Question] = {
    q.key: q
    for q in (
        Question("goal", "Goal", _ask_goal, _accept_goal, lambda a: GOAL_LABELS[a["goal"]]),
        Question("race_date", "Race date", _ask_race_date, _accept_race_date, _show_race_date),
        Question("week", "Running week", _ask_week, _accept_week, _show_week),
        Question(
            "sessions",
            "Sessions a week",
            _ask_sessions,
            _accept_sessions,
            lambda a: str(a["sessions"]),
        ),
        Question(
            "minutes",
            "Minutes per session",
            _ask_minutes,
            _accept_minutes,
            lambda a: f"{a['minutes']} min",
        ),
        Question(
            "placement",
            "Where strength goes",
            _ask_placement,
            _accept_placement,
            lambda a: PLACEMENT_LABELS[a["placement"]],
        ),
        Question("equipment", "Equipment", _ask_equipment, _accept_equipment, _show_equipment),
        Question(
            "timezone", "Time zone", _ask_timezone, _accept_timezone, lambda a: str(a["timezone"])
        ),
        Question("niggles", "Niggles", _ask_niggles, _accept_niggles, _show_niggles),
    )
}
for _i in range(7):
    QUESTIONS[f"day{_i}"] = Question(f"day{_i}", WEEKDAY_NAMES[_i], _ask_day(_i), _accept_day(_i))
    QUESTIONS[f"time{_i}"] = Question(
        f"time{_i}", f"{WEEKDAY_NAMES[_i]} time", _ask_time(_i), _accept_time(_i)
    )
TOP_LEVEL = (
    "goal",
    "race_date",
    "week",
    "sessions",
    "minutes",
    "placement",
    "equipment",
    "timezone",
    "niggles",
)


def first_missing(a: Answers) -> str | None:
    """The next question to ask, or None when every answer is in."""
    for key in TOP_LEVEL:
        if key == "race_date" and a.get("goal") == Goal.NONE.value:
            continue
        if key == "week" and "week" not in a and a.get("week_mode") == DAY_BY_DAY:
            days = a.get("week_days", [])
            if days and _needs_time(days[-1]) and "start" not in days[-1]:
                return f"time{len(days) - 1}"
            return f"day{len(days)}"
        if key not in a:
            return key
    return None


def summary(a: Answers) -> str:
    lines = [texts.SUMMARY_TITLE]
    for key in TOP_LEVEL:
        if key == "race_date" and a.get("goal") == Goal.NONE.value:
            continue
        q = QUESTIONS[key]
        lines.append(f"• {q.label}: {q.show(a)}")
    return "\n".join(lines)


def pick_prompt(a: Answers, text: str) -> Prompt:
    keys = [k for k in TOP_LEVEL if not (k == "race_date" and a.get("goal") == Goal.NONE.value)]
    return Prompt(text, _rows([Button(QUESTIONS[k].label, k) for k in keys], 2))


def forget(a: Answers, key: str) -> Answers:
    """Drop one answer so that its question is asked again."""
    drop = {key, f"{key}_pending"}
    if key == "week":
        drop |= {"week_mode", "week_days"}
    if key == "goal" and a.get("race_date") is None:
        drop.add("race_date")  # from "no race" to a race: its date must be asked
    kept = {k: v for k, v in a.items() if k not in drop}
    if key in ("equipment", "niggles") and key in a:
        kept[f"{key}_pending"] = list(a[key])  # start from what is ticked now
    return kept


def profile_of(a: Answers) -> Profile:
    race = a.get("race_date")
    return Profile(
        goal=Goal(a["goal"]),
        race_date=dt.date.fromisoformat(race) if race else None,
        sessions_per_week=a["sessions"],
        minutes=a["minutes"],
        placement=PlacementPreference(a["placement"]),
        equipment=frozenset(Equipment(e) for e in a["equipment"]),
        niggles=frozenset(BodyArea(n) for n in a["niggles"]),
    )


def week_of(a: Answers) -> Week:
    return Week(days=tuple(day_from_json(d) for d in a["week"]))


def answers_of(profile: Profile, week: Week, timezone: str) -> Answers:
    """A runner's saved setup as answers, for the settings dialog."""
    return {
        "goal": profile.goal.value,
        "race_date": profile.race_date.isoformat() if profile.race_date else None,
        "week": [day_to_json(d) for d in week.days],
        "sessions": profile.sessions_per_week,
        "minutes": profile.minutes,
        "placement": profile.placement.value,
        "equipment": [e for e in EQUIPMENT_LABELS if Equipment(e) in profile.equipment],
        "timezone": timezone,
        "niggles": [n for n in AREA_BUTTONS if BodyArea(n) in profile.niggles],
    }


__all__ = ["QUESTIONS", "Accepted", "Answers", "Button", "Context", "Day", "Invalid", "Prompt"]
