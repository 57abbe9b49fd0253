"""The session builder: which exercises a strength session holds, at what dose, in what time.

Pure and deterministic: the same kind, profile, variant, level and sore areas give the same
session. Every session fits the runner's equipment and minutes and leaves sore areas alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, NamedTuple

from core.areas import area_label
from core.block import HeavyStage
from core.exercises import BY_KEY, DEFAULT_REP_SECONDS, REP_SECONDS, fits_equipment
from core.models import (
    BodyArea,
    Category,
    Equipment,
    Exercise,
    Prescription,
    Profile,
    Session,
    SessionKind,
    expand_equipment,
)
from core.progression import (
    EXTRA_SET_FROM,
    FEWER_SETS_FROM,
    HOLD_SECONDS_PER_LEVEL,
    MIN_LEVEL,
    REPS_PER_LEVEL,
    clamp_level,
)

TRANSITION_SECONDS = 30  # getting into place for the next exercise
WARM_UP_SECONDS = 60  # a couple of light ramp-up sets before a heavy lift
HEAVY_REST_SECONDS = 150
HEAVY_MIN_REST_SECONDS = 120
HEAVY_SETS = 5
TECHNIQUE_SETS = 3
TECHNIQUE_REPS = 10
TECHNIQUE_REST_SECONDS = 90
LIGHT_MOBILITY_MAX = 10  # a light session fills spare minutes with mobility, up to this
HEAVY_LOAD_CUE = "Load: a weight that leaves 2-3 reps in reserve, never to failure."
TECHNIQUE_LOAD_CUE = "Load: light, well short of hard; practise the movement."

# The day before a hard or long run the legs stay fresh: nothing that loads them.
LEG_AREAS = frozenset(
    {
        BodyArea.KNEE_FRONT,
        BodyArea.KNEE_OUTSIDE,
        BodyArea.CALF,
        BodyArea.ACHILLES,
        BodyArea.SHIN,
        BodyArea.FOOT,
        BodyArea.HAMSTRING,
    }
)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: each slot is a constant
class _Slot:
    """One place in a session, filled by the first suitable exercise of its rotation."""

    label: str
    keys: tuple[str, ...]
    # Worked out from the keys: the exercises, every piece of kit one of them can use and
    # every area one of them loads.
    exercises: tuple[Exercise, ...] = field(init=False)
    kit: frozenset[Equipment] = field(init=False)
    loads: frozenset[BodyArea] = field(init=False)

    def __post_init__(self) -> None:
        exercises = tuple(BY_KEY[k] for k in self.keys)
        object.__setattr__(self, "exercises", exercises)
        object.__setattr__(self, "kit", frozenset().union(*(e.equipment for e in exercises)))
        object.__setattr__(self, "loads", frozenset().union(*(e.loads for e in exercises)))

    def narrow(
        self, available: frozenset[Equipment], avoid: frozenset[BodyArea]
    ) -> tuple[frozenset[Equipment], frozenset[BodyArea]]:
        """The runner's kit and sore areas as far as this slot's exercises care: all that
        decides which of them fit, and a few combinations only, so answers can be kept."""
        return available & self.kit, avoid & self.loads


# The in-season mix (docs/coaching.md), most important first: when time is short the last
# slots go first (upper back, then the hinge, which single-leg work partly covers, then trunk).
# Named for what it holds: other slots have single-leg exercises too (hip drop, single-leg
# deadlift), so a note must never say "no single-leg work" when this slot is empty.
_SINGLE_LEG = _Slot(
    "split squats, lunges or step-ups",
    (
        "split_squat",
        "step_up",
        "reverse_lunge",
        "single_leg_box_squat",
        "rear_foot_elevated_split_squat",
        "lateral_lunge",
    ),
)
_HIPS = _Slot(
    "hip stability",
    ("crab_walk", "side_plank", "clamshell", "side_lying_abduction", "hip_drop"),
)
_CALVES = _Slot(
    "calf work",
    (
        "standing_calf_raise",
        "bent_knee_calf_raise",
        "eccentric_heel_drop",
        "towel_heel_raise",
        "tibialis_raise",
    ),
)
_CALVES_PROGRESSED = _Slot("calf work", ("pogo_hops", *_CALVES.keys))
_TRUNK = _Slot("trunk work", ("dead_bug", "front_plank", "pallof_press", "bird_dog"))
_HINGE = _Slot(
    "posterior-chain work",
    ("single_leg_rdl", "glute_bridge", "hip_thrust", "single_leg_bridge"),
)
_UPPER = _Slot(
    "upper-back work",
    (
        "pull_up",
        "inverted_row",
        "reverse_fly",
        "towel_row",
        "band_pull_apart",
        "prone_y_t_raise",
        "superman_hold",
        "push_up",
    ),
)
_LIGHT_UPPER = _Slot(
    "upper-body work",
    ("inverted_row", "push_up", "reverse_fly", "pull_up", "band_pull_apart", "prone_y_t_raise"),
)
_LIGHT_UPPER_2 = _Slot(
    "upper-body work",
    ("push_up", "towel_row", "band_pull_apart", "prone_y_t_raise", "superman_hold"),
)
_LIGHT_TRUNK = _Slot("trunk work", ("dead_bug", "pallof_press", "bird_dog", "front_plank"))
_LIGHT_TRUNK_2 = _Slot("trunk work", ("front_plank", "bird_dog", "crunch", "dead_bug"))
_LIGHT_UPPER_3 = _Slot(
    "upper-body work", ("reverse_fly", "band_pull_apart", "prone_y_t_raise", "superman_hold")
)
_LIGHT_TRUNK_3 = _Slot("trunk work", ("bird_dog", "dead_bug", "pallof_press", "crunch"))
# Six slots, so a light session can fill the runner's minutes rather than stop at 15.
_LIGHT_SLOTS = (
    _LIGHT_UPPER,
    _LIGHT_TRUNK,
    _LIGHT_UPPER_2,
    _LIGHT_TRUNK_2,
    _LIGHT_UPPER_3,
    _LIGHT_TRUNK_3,
)
# Every exercise a light session can hold: its kit and areas are all that matter to one.
_LIGHT_ANY = _Slot("light session", tuple(dict.fromkeys(k for s in _LIGHT_SLOTS for k in s.keys)))
_SQUAT = _Slot("a squat", ("back_squat", "goblet_squat"))
_DEADLIFT = _Slot("a deadlift", ("trap_bar_deadlift", "db_romanian_deadlift"))
# Technique weeks learn the movement on the easier lift first.
_SQUAT_TECHNIQUE = _Slot("a squat", ("goblet_squat", "back_squat"))
_DEADLIFT_TECHNIQUE = _Slot("a deadlift", ("db_romanian_deadlift", "trap_bar_deadlift"))
_MOBILITY_DRILLS = _Slot(
    "mobility drills",
    (
        "leg_swings",
        "hip_flexor_stretch",
        "calf_stretch",
        "glute_bridge_hold",
        "hip_90_90",
        "ankle_rocks",
        "worlds_greatest_stretch",
        "a_march",
        "open_book",
        "hip_circles",
        "cat_camel",
    ),
)
_MOBILITY_TAIL = _Slot(
    "mobility finish",
    (
        "hip_flexor_stretch",
        "calf_stretch",
        "hip_90_90",
        "ankle_rocks",
        "worlds_greatest_stretch",
        "open_book",
        "cat_camel",
    ),
)

HEAVY_NOTES = (
    "Technique comes first: build up with a light set or two, and only add weight while "
    "every rep looks the same.",
    "Ask a coach or an experienced lifter to watch your form on the big lifts, at least in "
    "the first weeks.",
    "Every heavy set stops with 2-3 good reps still in you: never lift to failure.",
    "This heavy block lasts 8 to 12 weeks; after that the coach moves you to lighter, "
    "in-season work.",
)
TECHNIQUE_NOTES = (
    "Technique week: one main lift with a light weight and more reps, so the movement is "
    "learnt before the weights go up.",
    "Ask a coach or an experienced lifter to watch your form on the main lift.",
    "Stop every set well before it gets hard: never to failure.",
)
FIRST_HEAVY_NOTE = (
    "First heavy week: one main lift only, so your legs get used to the load before a "
    "second one joins."
)
FAMILIARISATION_NOTE = (
    "Familiarisation: your race is close, so these first sessions are short and easy, a "
    "few basic moves to learn now. The full programme starts after your race."
)
LIGHT_ADJACENT_NOTE = (
    "Light session: upper body, core and mobility, so your legs rest between two strength days."
)
TAPER_NOTE = "Taper: the exercises you know at about half the volume. Nothing new, nothing heavy."
LIGHT_NOTE = "Light session: your legs stay fresh for tomorrow's hard or long run."
MOBILITY_NOTE = "Mobility and easy activation only: no heavy lifting and no jumping this week."


@lru_cache(maxsize=64)
def _expanded(equipment: frozenset[Equipment]) -> frozenset[Equipment]:
    return expand_equipment(equipment)


def _available(profile: Profile) -> frozenset[Equipment]:
    """`profile.available_equipment`, worked out once per kit (and the same set each time,
    whose hash Python keeps, for the caches below)."""
    return _expanded(profile.equipment)


def session_areas(session: Session) -> frozenset[BodyArea]:
    """Every body area some exercise of the session loads."""
    areas: set[BodyArea] = set()
    for p in session.exercises:
        areas |= p.exercise.loads
    return frozenset(areas)


def prescription_seconds(p: Prescription) -> float:
    """Honest time for one exercise: work, rests between sets and getting set up."""
    work = _set_work_seconds(p.exercise, p.reps, p.hold_seconds)
    return _exercise_seconds(p.sets, work, p.rest_seconds, _warm_up_seconds(p.exercise))


def _set_work_seconds(exercise: Exercise, reps: int | None, hold_seconds: int | None) -> float:
    """Seconds of work in one set: the reps at the exercise's tempo, or the hold; both sides
    for an exercise done per side."""
    if reps is not None:
        work = reps * REP_SECONDS.get(exercise.key, DEFAULT_REP_SECONDS)
    else:
        work = float(hold_seconds or 0)
    if exercise.per_side:
        work *= 2
    return work


def _warm_up_seconds(exercise: Exercise) -> int:
    return WARM_UP_SECONDS if exercise.category is Category.COMPOUND else 0


def _exercise_seconds(sets: int, work: float, rest_seconds: int, warm_up: int) -> float:
    """`prescription_seconds` from the parts: sets of `work` seconds, rests between them,
    getting set up and the warm-up."""
    return sets * work + (sets - 1) * rest_seconds + TRANSITION_SECONDS + warm_up


def estimate_minutes(exercises: Sequence[Prescription], mobility_minutes: int) -> int:
    """Whole minutes the session takes, rounded up."""
    return _minutes(sum(prescription_seconds(p) for p in exercises), mobility_minutes)


def _minutes(exercise_seconds: float, mobility_minutes: int) -> int:
    """`estimate_minutes` from the exercises' seconds, already added up in order."""
    return math.ceil((exercise_seconds + 60 * mobility_minutes) / 60 - 1e-9)


def dose(exercise: Exercise, level: int) -> Prescription:
    """The exercise's standard dose moved by the progression level."""
    if BY_KEY.get(exercise.key) is exercise:
        return _library_dose(exercise.key, clamp_level(level))
    return _dose(exercise, level)


@lru_cache(maxsize=1024)
def _library_dose(key: str, level: int) -> Prescription:
    """`dose` of a library exercise: 50 exercises at 7 levels, worked out once each."""
    return _dose(BY_KEY[key], level)


def _dose(exercise: Exercise, level: int) -> Prescription:
    level = clamp_level(level)
    sets = exercise.sets
    if level >= EXTRA_SET_FROM:
        sets += 1
    if level <= FEWER_SETS_FROM:
        sets -= 1
    reps = hold = None
    if exercise.reps is not None:
        reps = max(1, min(30, exercise.reps + REPS_PER_LEVEL * level))
    if exercise.hold_seconds is not None:
        hold = max(5, min(120, exercise.hold_seconds + HOLD_SECONDS_PER_LEVEL * level))
    return Prescription(
        exercise=exercise,
        sets=max(1, min(6, sets)),
        reps=reps,
        hold_seconds=hold,
        rest_seconds=exercise.rest_seconds,
    )


@lru_cache(maxsize=1024)
def _light_dose(key: str, level: int) -> Prescription:
    """A library exercise's dose in a light session: two sets at most."""
    p = _library_dose(key, level)
    return p if p.sets <= 2 else _replace(p, sets=2)


@lru_cache(maxsize=1024)
def _library_heavy_dose(key: str, level: int) -> Prescription:
    return _heavy_dose(BY_KEY[key], level)


def heavy_dose(exercise: Exercise, level: int) -> Prescription:
    """Five heavy sets of 4-6 with long rests; the level moves the reps inside 4-6."""
    if BY_KEY.get(exercise.key) is exercise:
        return _library_heavy_dose(exercise.key, clamp_level(level))
    return _heavy_dose(exercise, level)


def _heavy_dose(exercise: Exercise, level: int) -> Prescription:
    level = clamp_level(level)
    reps = 4 if level < 0 else 6 if level >= 2 else 5
    return Prescription(
        exercise=exercise,
        sets=HEAVY_SETS,
        reps=reps,
        rest_seconds=HEAVY_REST_SECONDS,
        load=HEAVY_LOAD_CUE,
    )


@lru_cache(maxsize=256)
def _technique_dose(key: str, level: int) -> Prescription:
    """A main lift in a technique week: three lighter sets of 8-12, the level moving the reps."""
    return Prescription(
        exercise=BY_KEY[key],
        sets=TECHNIQUE_SETS,
        reps=max(8, min(12, TECHNIQUE_REPS + clamp_level(level))),
        rest_seconds=TECHNIQUE_REST_SECONDS,
        load=TECHNIQUE_LOAD_CUE,
    )


def _replace(
    p: Prescription,
    *,
    sets: int | None = None,
    reps: int | None = None,
    hold: int | None = None,
    rest: int | None = None,
) -> Prescription:
    return Prescription(
        exercise=p.exercise,
        sets=p.sets if sets is None else sets,
        reps=p.reps if reps is None else reps,
        hold_seconds=p.hold_seconds if hold is None else hold,
        rest_seconds=p.rest_seconds if rest is None else rest,
        load=p.load,
    )


def _usable(
    exercise: Exercise, available: frozenset[Equipment], avoid: frozenset[BodyArea]
) -> bool:
    return fits_equipment(exercise, available) and not exercise.loads & avoid


def _usable_in(
    slot: _Slot, available: frozenset[Equipment], avoid: frozenset[BodyArea]
) -> tuple[Exercise, ...]:
    """The exercises of a rotation this runner can do, in rotation order."""
    return _usable_narrowed(slot, *slot.narrow(available, avoid))


@lru_cache(maxsize=4096)
def _usable_narrowed(
    slot: _Slot, available: frozenset[Equipment], avoid: frozenset[BodyArea]
) -> tuple[Exercise, ...]:
    return tuple(e for e in slot.exercises if _usable(e, available, avoid))


def _pick(
    slot: _Slot,
    variant: int,
    available: frozenset[Equipment],
    avoid: frozenset[BodyArea],
    taken: set[str],
) -> Exercise | None:
    """The variant-th usable exercise of the slot, so sessions A, B, C, D differ."""
    usable = [e for e in _usable_in(slot, available, avoid) if e.key not in taken]
    if not usable:
        return None
    chosen = usable[variant % len(usable)]
    taken.add(chosen.key)
    return chosen


@lru_cache(maxsize=4096)
def _fill(
    slots: tuple[_Slot, ...],
    variant: int,
    available: frozenset[Equipment],
    avoid: frozenset[BodyArea],
) -> tuple[tuple[Exercise, ...], tuple[str, ...]]:
    """One exercise per slot, in slot order, and the labels of slots nothing could fill.

    Kept (it depends only on its arguments): runners share a few kit and niggle combinations.
    """
    taken: set[str] = set()
    chosen: list[Exercise] = []
    missing: list[str] = []
    for slot in slots:
        exercise = _pick(slot, variant, available, avoid, taken)
        if exercise is None:
            missing.append(slot.label)
        else:
            chosen.append(exercise)
    return tuple(chosen), tuple(missing)


@lru_cache(maxsize=4096)
def _library_prescription(
    key: str,
    sets: int,
    reps: int | None,
    hold_seconds: int | None,
    rest_seconds: int,
    load: str | None = None,
) -> Prescription:
    """A library exercise at a trimmed dose (few exercises, few doses: each built once)."""
    return Prescription(
        exercise=BY_KEY[key],
        sets=sets,
        reps=reps,
        hold_seconds=hold_seconds,
        rest_seconds=rest_seconds,
        load=load,
    )


class _Item:
    """One exercise of a session being trimmed, as plain numbers: cuts change these, and a
    prescription is only built for the dose the session ends with."""

    __slots__ = ("hold", "original", "protected", "reps", "rest", "sets", "warm_up", "work")

    def __init__(self, p: Prescription, protected: bool) -> None:
        self.original = p
        self.protected = protected  # a heavy lift: its sets go last
        self.sets = p.sets
        self.reps = p.reps
        self.hold = p.hold_seconds
        self.rest = p.rest_seconds
        self.work = _set_work_seconds(p.exercise, p.reps, p.hold_seconds)  # one set's work
        self.warm_up = _warm_up_seconds(p.exercise)

    def seconds(self) -> float:
        """`prescription_seconds` of the item as it stands."""
        return _exercise_seconds(self.sets, self.work, self.rest, self.warm_up)

    def shorten_sets(self) -> bool:
        """One rep fewer, or else a hold 5 s shorter; False when neither can go."""
        if self.reps is not None and self.reps > 1:
            self.reps -= 1
        elif self.hold is not None and self.hold > 5:
            self.hold -= 5
        else:
            return False
        self.work = _set_work_seconds(self.original.exercise, self.reps, self.hold)
        return True

    def prescription(self) -> Prescription:
        p = self.original
        if (self.sets, self.reps, self.hold, self.rest) == (
            p.sets,
            p.reps,
            p.hold_seconds,
            p.rest_seconds,
        ):
            return p
        if BY_KEY.get(p.exercise.key) is p.exercise:
            return _library_prescription(
                p.exercise.key, self.sets, self.reps, self.hold, self.rest, p.load
            )
        return Prescription(
            exercise=p.exercise,
            sets=self.sets,
            reps=self.reps,
            hold_seconds=self.hold,
            rest_seconds=self.rest,
            load=p.load,
        )


class _Fit:
    """A session being trimmed: its items, the seconds of each beside them (so checking the
    length does not work out every exercise again after each cut), and the mobility finish."""

    __slots__ = ("budget", "items", "mobility", "seconds")

    def __init__(self, items: list[_Item], mobility: int, budget: int) -> None:
        self.items = items
        self.seconds = [item.seconds() for item in items]
        self.mobility = mobility
        self.budget = budget

    def minutes(self) -> int:
        """estimate_minutes of the items and the mobility finish, from the kept seconds."""
        return _minutes(sum(self.seconds), self.mobility)

    def ok(self) -> bool:
        return self.minutes() <= self.budget

    def changed(self, index: int) -> None:
        self.seconds[index] = self.items[index].seconds()

    def pop(self) -> None:
        self.items.pop()
        self.seconds.pop()

    def shave_sets(self, floor: int, *, spare_protected: bool) -> bool:
        """Take one set off the exercise with the most sets (the least important on a tie)."""
        best = -1
        for i, item in enumerate(self.items):
            if (spare_protected and item.protected) or item.sets <= floor:
                continue
            if best < 0 or item.sets >= self.items[best].sets:
                best = i
        if best < 0:
            return False
        self.items[best].sets -= 1
        self.changed(best)
        return True


class _Draft(NamedTuple):
    """A session's exercises at their full dose, before they are fitted into the runner's
    minutes: a pure function of the kit, sore areas, variant and level, kept by the
    `_*_draft` builders below, so each plan only does the fitting."""

    items: tuple[Prescription, ...]
    seconds: float  # prescription_seconds of the items, added up in order
    missing: tuple[str, ...]  # labels of the slots nothing could fill


_Dosing = Literal["standard", "light", "heavy"]


@lru_cache(maxsize=2048)
def _timed_dose(key: str, level: int, dosing: _Dosing) -> tuple[Prescription, float]:
    """A library exercise's dose as a standard, light or heavy session gives it at this
    (clamped) level, and the dose's `prescription_seconds`."""
    if dosing == "light":
        p = _light_dose(key, level)
    elif dosing == "heavy":
        p = _library_heavy_dose(key, level)
    else:
        p = _library_dose(key, level)
    return p, prescription_seconds(p)


def _doses(
    exercises: Sequence[Exercise], level: int, dosing: _Dosing
) -> list[tuple[Prescription, float]]:
    """`_timed_dose` of each exercise (all from the library), in order."""
    level = clamp_level(level)
    return [_timed_dose(e.key, level, dosing) for e in exercises]


def _draft(doses: Sequence[tuple[Prescription, float]], missing: tuple[str, ...] = ()) -> _Draft:
    return _Draft(tuple(p for p, _ in doses), sum(seconds for _, seconds in doses), missing)


def _fit(
    draft: _Draft,
    *,
    budget: int,
    mobility: int,
    keep: int,
    minimum: int,
    protect_compounds: bool = False,
    singles: bool = False,
) -> tuple[tuple[Prescription, ...], int, int]:
    """Trim a session into the runner's minutes: fewer sets before fewer exercises; the
    items, the mobility minutes and the session's minutes (`estimate_minutes` of the two).

    The items come most important first. Order of cuts: sets down to 2, a shorter mobility
    finish, heavy rests down to 2 min, the least important exercises down to `keep`, no
    mobility finish, single sets, exercises down to `minimum`, then sets of the protected
    (heavy, when `protect_compounds`) lifts, then shorter sets. Each cut is made only while
    the session is still too long. Single working sets only when `singles` (a taper or a
    stepped-back level): otherwise exercises go before any set drops below two.
    """
    minutes = _minutes(draft.seconds, mobility)
    if minutes <= budget:  # most sessions fit as they are
        return draft.items, mobility, minutes
    fit = _Fit(
        [
            _Item(p, protect_compounds and p.exercise.category is Category.COMPOUND)
            for p in draft.items
        ],
        mobility,
        budget,
    )
    _trim(fit, keep=keep, minimum=minimum, floor=1 if singles else 2)
    return tuple(item.prescription() for item in fit.items), fit.mobility, fit.minutes()


def _trim(fit: _Fit, *, keep: int, minimum: int, floor: int) -> None:
    """The cuts of `_fit` on a session that is too long, until it fits or nothing is left
    to cut."""
    while fit.shave_sets(2, spare_protected=True):
        if fit.ok():
            return
    while fit.mobility > 2:
        fit.mobility -= 1
        if fit.ok():
            return
    for i, item in enumerate(fit.items):
        if item.protected:
            item.rest = min(item.rest, HEAVY_MIN_REST_SECONDS)
            fit.changed(i)
    if fit.ok():
        return
    while len(fit.items) > keep:
        fit.pop()
        if fit.ok():
            return
    fit.mobility = 0
    if fit.ok():
        return
    while fit.shave_sets(floor, spare_protected=True):
        if fit.ok():
            return
    while len(fit.items) > minimum:
        fit.pop()
        if fit.ok():
            return
    while fit.shave_sets(floor, spare_protected=False):
        if fit.ok():
            return
    while len(fit.items) > 1:
        fit.pop()
        if fit.ok():
            return
    # One exercise at the floor's sets, shortened, fits any budget of 10 minutes or more.
    while fit.items[0].shorten_sets():
        fit.changed(0)
        if fit.ok():
            return


def _mobility_finish(
    budget: int, variant: int, available: frozenset[Equipment], avoid: frozenset[BodyArea]
) -> tuple[int, tuple[str, ...]]:
    """Minutes of hip and calf mobility to end on, and the drills, within what is allowed."""
    return _mobility_finish_of(budget >= 45, variant, *_MOBILITY_TAIL.narrow(available, avoid))


@lru_cache(maxsize=4096)
def _mobility_finish_of(
    long: bool, variant: int, available: frozenset[Equipment], avoid: frozenset[BodyArea]
) -> tuple[int, tuple[str, ...]]:
    """`_mobility_finish` for a session of 45 minutes or more (`long`) or a shorter one."""
    drills = list(_usable_in(_MOBILITY_TAIL, available, avoid))
    if not drills:
        return 0, ()
    minutes = 5 if long else 3
    count = 3 if minutes >= 5 else 2
    start = variant % len(drills)
    rotated = drills[start:] + drills[:start]
    return minutes, tuple(e.name for e in rotated[:count])


def _letter(variant: int) -> str:
    return "ABCD"[variant % 4]


def _missing_note(missing: Sequence[str], avoid: frozenset[BodyArea]) -> tuple[str, ...]:
    if not missing:
        return ()
    what = ", ".join(dict.fromkeys(missing))
    if avoid:
        # As the runner named them ("knee (front) and calf"), not the stored names.
        labels = [area_label(a.value).lower() for a in sorted(avoid, key=lambda a: a.value)]
        spared = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        return (
            f"No {what} today: every option would load your {spared}, or needs kit you "
            "don't have.",
        )
    return (f"No {what} today: every option needs kit you don't have.",)


def _finish_note(minutes: int, drills: Sequence[str]) -> tuple[str, ...]:
    if minutes <= 0 or not drills:
        return ()
    return (f"Finish with {minutes} min of mobility: {', '.join(drills)}.",)


def _in_season_slots(level: int) -> tuple[_Slot, ...]:
    calves = _CALVES_PROGRESSED if clamp_level(level) >= 2 else _CALVES
    # Most important first; the hinge comes last because the calves already cover the
    # posterior chain, so a tight session drops it before it drops the upper back.
    return (_SINGLE_LEG, _HIPS, calves, _TRUNK, _UPPER, _HINGE)


def _standard(
    *,
    profile: Profile,
    variant: int,
    level: int,
    avoid: frozenset[BodyArea],
    extra_notes: tuple[str, ...] = (),
) -> Session:
    available = _available(profile)
    draft = _standard_draft(level, variant, available, avoid)
    mobility, drills = _mobility_finish(profile.minutes, variant, available, avoid)
    items, mobility, minutes = _fit(
        draft,
        budget=profile.minutes,
        mobility=mobility,
        keep=5,  # the five parts of the mix stay until single sets have been tried
        minimum=2,
        singles=clamp_level(level) < 0,  # single sets only in a step back
    )
    return Session(
        name=f"Strength {_letter(variant)}",
        kind=SessionKind.STANDARD,
        minutes=minutes,
        exercises=items,
        mobility_minutes=mobility,
        notes=extra_notes + _finish_note(mobility, drills) + _missing_note(draft.missing, avoid),
    )


# The drafts below are kept (they depend only on their small arguments): runners share a
# handful of kit and niggle combinations, and only the fitting into minutes differs.


@lru_cache(maxsize=4096)
def _standard_draft(
    level: int, variant: int, available: frozenset[Equipment], avoid: frozenset[BodyArea]
) -> _Draft:
    chosen, missing = _fill(_in_season_slots(level), variant, available, avoid)
    return _draft(_doses(chosen, level, "standard"), missing)


def _halve(p: Prescription) -> Prescription:
    """About half the volume: half the sets (at least one), reps trimmed to match."""
    sets = max(1, math.ceil(p.sets / 2))
    share = p.sets / 2 / sets
    reps = None if p.reps is None else max(1, round(p.reps * share))
    hold = None if p.hold_seconds is None else max(5, round(p.hold_seconds * share))
    return Prescription(
        exercise=p.exercise, sets=sets, reps=reps, hold_seconds=hold, rest_seconds=p.rest_seconds
    )


def _taper(*, profile: Profile, variant: int, level: int, avoid: frozenset[BodyArea]) -> Session:
    # The very session the runner knows (same exercises, same finish) at half the volume.
    usual = _standard(profile=profile, variant=variant, level=level, avoid=avoid)
    items = tuple(_halve(p) for p in usual.exercises)
    return Session(
        name=f"Strength {_letter(variant)} (taper)",
        kind=SessionKind.TAPER,
        minutes=estimate_minutes(items, usual.mobility_minutes),
        exercises=items,
        mobility_minutes=usual.mobility_minutes,
        notes=(TAPER_NOTE, *usual.notes),
    )


def _light(
    *,
    profile: Profile,
    variant: int,
    level: int,
    avoid: frozenset[BodyArea],
    lead_note: str = LIGHT_NOTE,
) -> Session:
    available = _available(profile)
    spare = avoid | LEG_AREAS
    mobility, drills = _mobility_finish(max(profile.minutes, 45), variant, available, spare)
    items, mobility, minutes = _fit(
        _light_draft(level, variant, *_LIGHT_ANY.narrow(available, spare)),
        budget=profile.minutes,
        mobility=mobility,
        keep=2,
        minimum=1,
        singles=clamp_level(level) < 0,
    )
    if mobility and minutes < profile.minutes:
        # Spare minutes go to mobility: the light session uses the runner's time.
        spare_minutes = profile.minutes - minutes
        mobility = min(LIGHT_MOBILITY_MAX, mobility + spare_minutes)
        minutes = estimate_minutes(items, mobility)
    return Session(
        name=f"Strength {_letter(variant)} (light)",
        kind=SessionKind.LIGHT,
        minutes=minutes,
        exercises=items,
        mobility_minutes=mobility,
        notes=(lead_note, *_finish_note(mobility, drills)),
    )


@lru_cache(maxsize=4096)
def _light_draft(
    level: int, variant: int, available: frozenset[Equipment], avoid: frozenset[BodyArea]
) -> _Draft:
    chosen, _ = _fill(_LIGHT_SLOTS, variant, available, avoid)
    # The standard dose (not two sets): the fitting trims it when minutes are short.
    return _draft(_doses(chosen, level, "standard"))


def _mobility(
    *, profile: Profile, variant: int, level: int, avoid: frozenset[BodyArea]
) -> Session:
    items, _, minutes = _fit(
        _mobility_draft(level, variant, *_MOBILITY_DRILLS.narrow(_available(profile), avoid)),
        budget=profile.minutes,
        mobility=0,
        keep=4,
        minimum=2,
    )
    return Session(
        name=f"Strength {_letter(variant)} (mobility)",
        kind=SessionKind.MOBILITY,
        minutes=minutes,
        exercises=items,
        notes=(MOBILITY_NOTE,),
    )


@lru_cache(maxsize=1024)
def _mobility_draft(
    level: int, variant: int, available: frozenset[Equipment], avoid: frozenset[BodyArea]
) -> _Draft:
    usable = list(_usable_in(_MOBILITY_DRILLS, available, avoid))
    # Each variant starts two drills further along, so consecutive sessions differ.
    start = (2 * variant) % len(usable) if usable else 0
    chosen = (usable[start:] + usable[:start])[:6]
    # Mobility is not progressed like strength: no more than the standard dose.
    return _draft(_doses(chosen, min(0, level), "standard"))


def _heavy(
    *,
    profile: Profile,
    variant: int,
    level: int,
    avoid: frozenset[BodyArea],
    stage: HeavyStage = HeavyStage.FULL,
) -> Session:
    drafted = _heavy_draft(level, variant, _available(profile), avoid, stage)
    if drafted is None:
        return _standard(
            profile=profile,
            variant=variant,
            level=level,
            avoid=avoid,
            extra_notes=(
                "No heavy lifts today: every squat and deadlift option would load a sore area. "
                "Here is the in-season session instead.",
            ),
        )
    draft, lifts = drafted
    items, _, minutes = _fit(
        draft,
        budget=profile.minutes,
        mobility=0,
        keep=lifts,
        minimum=1,
        protect_compounds=True,
        singles=clamp_level(level) < 0,
    )
    notes: tuple[str, ...]
    if stage is HeavyStage.TECHNIQUE:
        name, notes = f"Strength {_letter(variant)} (technique)", TECHNIQUE_NOTES
    elif stage is HeavyStage.FIRST:
        name, notes = f"Strength {_letter(variant)} (heavy)", (FIRST_HEAVY_NOTE, *HEAVY_NOTES)
    else:
        name, notes = f"Strength {_letter(variant)} (heavy)", HEAVY_NOTES
    return Session(
        name=name,
        kind=SessionKind.HEAVY,
        minutes=minutes,
        exercises=items,
        notes=notes,
    )


@lru_cache(maxsize=4096)
def _heavy_draft(
    level: int,
    variant: int,
    available: frozenset[Equipment],
    avoid: frozenset[BodyArea],
    stage: HeavyStage = HeavyStage.FULL,
) -> tuple[_Draft, int] | None:
    """The heavy lifts the kit allows, then the accessories, and how many heavy lifts lead;
    None when every squat and deadlift would load a sore area. A technique week or the first
    heavy week has one main lift (a squat in sessions A and C, a deadlift in B and D)."""
    if stage is HeavyStage.TECHNIQUE:
        lifts = (_SQUAT_TECHNIQUE, _DEADLIFT_TECHNIQUE)
    else:
        lifts = (_SQUAT, _DEADLIFT)
    if variant % 2:
        lifts = (lifts[1], lifts[0])
    compounds, _ = _fill(lifts, 0, available, avoid)  # the heaviest option the kit allows
    if not compounds:
        return None
    if stage is not HeavyStage.FULL:
        compounds = compounds[:1]
    accessories, _ = _fill(
        (_SINGLE_LEG, _CALVES, _TRUNK, _HIPS, _UPPER), variant, available, avoid
    )
    if stage is HeavyStage.TECHNIQUE:
        main = [(p := _technique_dose(e.key, level), prescription_seconds(p)) for e in compounds]
    else:
        main = _doses(compounds, level, "heavy")
    doses = main + _doses(accessories, level, "standard")
    return _draft(doses), len(compounds)


def build_familiarisation(
    *, profile: Profile, variant: int, avoid: frozenset[BodyArea] = frozenset()
) -> Session:
    """A first block that starts in the taper: a short, easy session of a few basic moves,
    said as such (not "the exercises you know", since every exercise is new)."""
    spare = frozenset(avoid) | profile.niggles
    available = _available(profile)
    chosen, _ = _fill((_SINGLE_LEG, _HIPS, _TRUNK, _UPPER), variant, available, spare)
    budget = min(profile.minutes, FAMILIARISATION_MINUTES)
    items, _, minutes = _fit(
        _draft(_doses(chosen, MIN_LEVEL, "light")),
        budget=budget,
        mobility=0,
        keep=3,
        minimum=2,
        singles=True,  # a taper week: low volume is the point
    )
    return Session(
        name=f"Strength {_letter(variant)} (familiarisation)",
        kind=SessionKind.TAPER,
        minutes=minutes,
        exercises=items,
        notes=(FAMILIARISATION_NOTE,),
    )


FAMILIARISATION_MINUTES = 15


def build_session(
    *,
    kind: SessionKind,
    profile: Profile,
    variant: int,
    level: int = 0,
    avoid: frozenset[BodyArea] = frozenset(),
    heavy_stage: HeavyStage = HeavyStage.FULL,
    lead_note: str | None = None,
) -> Session:
    """The strength session of this kind for this runner, within their minutes and kit.

    `heavy_stage` says where a heavy session sits in its block (technique week, first heavy
    week, full); `lead_note` replaces the light session's first note when it is light for
    another reason than tomorrow's hard run."""
    level = clamp_level(level)
    spare = frozenset(avoid) | profile.niggles
    if kind is SessionKind.HEAVY:
        if not _available(profile) & {Equipment.GYM, Equipment.DUMBBELLS}:
            return _standard(
                profile=profile,
                variant=variant,
                level=clamp_level(level + 1),
                avoid=spare,
                extra_notes=(
                    "Without a gym or dumbbells, the off-season plan is the in-season session, "
                    "one step harder.",
                ),
            )
        return _heavy(
            profile=profile, variant=variant, level=level, avoid=spare, stage=heavy_stage
        )
    if kind is SessionKind.TAPER:
        return _taper(profile=profile, variant=variant, level=level, avoid=spare)
    if kind is SessionKind.LIGHT:
        return _light(
            profile=profile,
            variant=variant,
            level=level,
            avoid=spare,
            lead_note=lead_note or LIGHT_NOTE,
        )
    if kind is SessionKind.MOBILITY:
        return _mobility(profile=profile, variant=variant, level=level, avoid=spare)
    return _standard(profile=profile, variant=variant, level=level, avoid=spare)
