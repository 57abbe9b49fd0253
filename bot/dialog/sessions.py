"""Setup's questions on the strength itself: sessions a week (and, when the week has no room
for them, a short session after hard runs), minutes, where strength goes, and lifting
experience (asked once, off-season with dumbbells or a gym)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace

from bot import texts
from bot.dialog.goal import RACE_DATE_ON
from bot.dialog.profile import week_of
from bot.dialog.question import (
    Accepted,
    Answers,
    Button,
    Context,
    Invalid,
    Prompt,
    Question,
    options,
    resolve,
    rows,
)
from core.answers import Option, read_number, yes_no
from core.block import recovery_days
from core.models import (
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
    return _usual_room(week_of(a))


@functools.lru_cache(maxsize=1024)
def _usual_room(week: Week) -> Room:
    """Worked out once per week: every turn of setup asks which question is next, and the
    hard-day question depends on the room (several times a turn, ~1 ms each)."""
    return sessions_room(Profile(), week, USUAL_MONDAY)


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


SESSIONS = Question(
    "sessions", "Sessions a week", _ask_sessions, _accept_sessions, lambda a: str(a["sessions"])
)
HARD_DAYS = Question(
    "hard_days", "After hard runs", _ask_hard_days, _accept_hard_days, _show_hard_days
)
MINUTES = Question(
    "minutes",
    "Minutes per session",
    _ask_minutes,
    _accept_minutes,
    lambda a: f"{a['minutes']} min",
)
PLACEMENT = Question(
    "placement",
    "Where strength goes",
    _ask_placement,
    _accept_placement,
    lambda a: PLACEMENT_LABELS[a["placement"]],
)
LIFTING = Question("lifting", "Lifting experience", _ask_lifting, _accept_lifting, _show_lifting)
