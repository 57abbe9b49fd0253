"""The questions of setup and settings, in order, and what the dialog does with the answers:
the next one missing, the summary, the edit menu, and the runner's profile and week."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from bot import texts
from bot.dialog.multiselect import (
    AREA_BUTTONS,
    EQUIPMENT_LABELS,
    accept_equipment,
    accept_niggles,
    ask_equipment,
    ask_niggles,
    show_equipment,
    show_niggles,
)
from bot.dialog.placement import FREE_DAYS, needs_free_days
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
from core.answers import Option, match_option, read_number, yes_no
from core.block import recovery_days
from core.dates import DateParseError, day_first, read_date
from core.models import (
    WEEKDAY_NAMES,
    BodyArea,
    Equipment,
    Goal,
    LiftingExperience,
    Phase,
    PlacementPreference,
    Profile,
    Week,
)
from core.phases import phase_on
from core.planner import HARD_DAY_MINUTES, Room, sessions_room, with_hard_days
from storage.tables import day_from_json, day_to_json

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


# --- sessions, minutes, placement -------------------------------------------------------------


def _number(raw: str) -> int | None:
    number = read_number(raw)
    return number.value if number is not None else None


# The usual week's room is worked out on a Monday clear of any race: race weeks are planned
# as they come (docs/coaching.md, "How many fit").
USUAL_MONDAY = dt.date(2024, 1, 1)


def week_room(a: Answers) -> Room | None:
    """How many sessions the runner's usual week has room for, once the week is answered."""
    if "week" not in a:
        return None
    return sessions_room(Profile(), week_of(a), USUAL_MONDAY)


def _room_line(room: Room) -> str:
    n, more = room.sessions, room.with_hard_days
    line = f"Your week has room for {n}"
    if more > n:  # how many of them go after hard runs depends on the number asked
        return f"{line}, or {more} with short sessions after hard runs."
    return line + "."


def _ask_sessions(a: Answers, c: Context) -> Prompt:
    room = week_room(a)
    text = texts.ASK_SESSIONS if room is None else f"{texts.ASK_SESSIONS}\n{_room_line(room)}"
    return Prompt(text, ((Button("2", "2"), Button("3", "3"), Button("4", "4")),))


SESSION_OPTIONS = [Option(str(n), str(n), number=n) for n in (2, 3, 4)]


def _accept_sessions(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    n = int(resolve(raw, pressed, SESSION_OPTIONS, c, texts.HINT_SESSIONS).value)
    new = {**a, "sessions": n}
    if not hard_days_apply(new):
        # Nothing to ask: the week has room. Asked with the sessions only, so a later change
        # of the week does not bring the question up (it stays in the menu).
        new["hard_days"] = False
    return Accepted(new, f"{n} a week")


# --- hard days hard (asked when the week has no room for the sessions asked) -----------------

ASK_HARD_DAYS = (
    "Your week has room for {room} of the {asked} sessions you asked for. Coaches often put a "
    "short session (up to {minutes} minutes) straight after a hard run, so the easy days stay "
    "easy: never after the long run, never the day before a race, never two days in a row. "
    "That would give you {more}{short}. Would you like that?"
)
HARD_DAYS_ALL = ", each a short session after a hard run"
HARD_DAYS_ONE = ", one of them a short session after a hard run"
HARD_DAYS_SOME = ", {short} of them short sessions after hard runs"
HINT_HARD_DAYS = "Tap Yes or No, or type yes or no."
HARD_DAY_LABELS = {"yes": "Yes, after a hard run", "no": "No, keep it to {room}"}


def hard_days_apply(a: Answers) -> bool:
    """The hard-day question is asked: the week has no room for the sessions asked, and a
    short session after a hard run would add one."""
    room = week_room(a)
    if room is None or "sessions" not in a:
        return False
    return room.sessions < int(a["sessions"]) and room.with_hard_days > room.sessions


def _ask_hard_days(a: Answers, c: Context) -> Prompt:
    room = week_room(a)
    assert room is not None  # asked only once the week is in
    more, short = with_hard_days(Profile(), week_of(a), USUAL_MONDAY, int(a["sessions"]))
    said = (
        HARD_DAYS_ALL
        if short == more
        else HARD_DAYS_ONE
        if short == 1
        else HARD_DAYS_SOME.format(short=short)
    )
    text = ASK_HARD_DAYS.format(
        room=room.sessions, asked=a["sessions"], minutes=HARD_DAY_MINUTES, more=more, short=said
    )
    no = HARD_DAY_LABELS["no"].format(room=room.sessions)
    return Prompt(text, ((Button(HARD_DAY_LABELS["yes"], "yes"), Button(no, "no")),))


def _accept_hard_days(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    said = yes_no(raw)
    if said is None:
        raise Invalid(HINT_HARD_DAYS)
    return Accepted({**a, "hard_days": said}, _show_hard_days({"hard_days": said}))


def _show_hard_days(a: Answers) -> str:
    return "yes, after a hard run" if a.get("hard_days") else "no"


MINUTE_BUTTONS = ("15", "20", "25", "30", "40")


def _ask_minutes(a: Answers, c: Context) -> Prompt:
    return Prompt(texts.ASK_MINUTES, (tuple(Button(f"{m} min", m) for m in MINUTE_BUTTONS),))


MINUTE_OPTIONS = [Option(m, f"{m} min", number=int(m)) for m in MINUTE_BUTTONS]


def _accept_minutes(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    n = _number(raw) if not pressed else None
    if n is None or not 10 <= n <= 90:  # any minutes from 10 to 90, or a button's
        n = int(resolve(raw, pressed, MINUTE_OPTIONS, c, texts.HINT_MINUTES).value)
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
    return Prompt(texts.ASK_PLACEMENT, rows(buttons, 1))


PLACEMENT_OPTIONS = options(PLACEMENT_LABELS, PLACEMENT_SYNONYMS)


def _accept_placement(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    value = resolve(raw, pressed, PLACEMENT_OPTIONS, c, texts.HINT_PLACEMENT).value
    return Accepted({**a, "placement": value}, PLACEMENT_LABELS[value])


# --- lifting experience (asked once, off-season with dumbbells or a gym) ---------------------

RACE_DATE_ON = "race_date_on"  # the day the race date was answered: is it off-season then?
HEAVY_KIT = frozenset({Equipment.DUMBBELLS.value, Equipment.GYM.value})
LIFTING_LABELS = {
    LiftingExperience.NEW.value: "New to lifting",
    LiftingExperience.SOME.value: "Some",
    LiftingExperience.EXPERIENCED.value: "Experienced",
}
LIFTING_SYNONYMS = {
    "new": "new",
    "beginner": "new",
    "never": "new",
    "never lifted": "new",
    "none": "new",
    "no": "new",
    "not really": "new",
    "a bit": "some",
    "a little": "some",
    "some experience": "some",
    "intermediate": "some",
    "a few months": "some",
    "lots": "experienced",
    "a lot": "experienced",
    "advanced": "experienced",
    "years": "experienced",
    "very": "experienced",
    "yes": "experienced",
}
ASK_LIFTING = (
    "How much lifting have you done? The heavy sessions start from there: new lifters get "
    "a few technique weeks first."
)
HINT_LIFTING = "Tap a button, or type new, some or experienced."
LIFTING_OPTIONS = [
    replace(o, yes=False) if o.value == LiftingExperience.NEW.value else o
    for o in options(LIFTING_LABELS, LIFTING_SYNONYMS)
]


def lifting_applies(a: Answers) -> bool:
    """The lifting question is asked: off-season (no race, or a race beyond the build) with
    dumbbells or a gym. The off-season is judged on the day the race date was answered."""
    if not HEAVY_KIT & set(a.get("equipment") or ()):
        return False
    race = a.get("race_date")
    if a.get("goal") == Goal.NONE.value or race is None:
        return True  # no race, or no date yet: off-season
    said_on = a.get(RACE_DATE_ON)
    if said_on is None:  # a saved race date (settings): not asked again
        return False
    goal = Goal(a["goal"])
    day = dt.date.fromisoformat(said_on)
    return phase_on(day, dt.date.fromisoformat(race), recovery_days(goal)) is Phase.OFF_SEASON


def _ask_lifting(a: Answers, c: Context) -> Prompt:
    buttons = [Button(label, value) for value, label in LIFTING_LABELS.items()]
    return Prompt(ASK_LIFTING, rows(buttons, 3))


def _accept_lifting(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    value = resolve(raw, pressed, LIFTING_OPTIONS, c, HINT_LIFTING).value
    return Accepted({**a, "lifting": value}, LIFTING_LABELS[value])


def _show_lifting(a: Answers) -> str:
    value = a.get("lifting")
    return LIFTING_LABELS.get(str(value), "not asked")


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
        Question("goal", "Goal", _ask_goal, _accept_goal, lambda a: GOAL_LABELS[a["goal"]]),
        Question("race_date", "Race date", _ask_race_date, _accept_race_date, _show_race_date),
        Question("week", "Running week", ask_week, accept_week, show_week),
        Question(
            "sessions",
            "Sessions a week",
            _ask_sessions,
            _accept_sessions,
            lambda a: str(a["sessions"]),
        ),
        Question(
            "hard_days",
            "After hard runs",
            _ask_hard_days,
            _accept_hard_days,
            _show_hard_days,
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
        Question("equipment", "Equipment", ask_equipment, accept_equipment, show_equipment),
        Question("lifting", "Lifting experience", _ask_lifting, _accept_lifting, _show_lifting),
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
        lifting=LiftingExperience(a["lifting"]) if a.get("lifting") else None,
        hard_day_sessions=bool(a.get("hard_days")),
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
        FREE_DAYS: [],  # asked again only when the week or the preference changes
        # Asked once: a saved runner has answered it, or it did not apply (None).
        "lifting": profile.lifting.value if profile.lifting else None,
        "hard_days": profile.hard_day_sessions,
    }


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
