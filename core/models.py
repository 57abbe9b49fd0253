"""Frozen domain models shared by the planner, the bot and storage."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum, StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Frozen(BaseModel):
    """Base for every domain model: immutable and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Weekday(IntEnum):
    """Monday is 0, as in Python's `date.weekday()`."""

    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6

    @property
    def title(self) -> str:
        return WEEKDAY_NAMES[self]


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class DayKind(StrEnum):
    REST = "rest"  # full rest, kept clear
    OFF = "off"  # no run, but not a full rest day
    EASY = "easy"
    RECOVERY = "recovery"
    LONG = "long"
    INTERVALS = "intervals"
    TEMPO = "tempo"
    HILLS = "hills"
    RACE = "race"
    CROSS = "cross"  # cycling, swimming...

    @property
    def is_run(self) -> bool:
        return self in RUN_KINDS

    @property
    def is_hard(self) -> bool:
        return self in HARD_KINDS

    @property
    def label(self) -> str:
        return DAY_KIND_LABELS[self]


RUN_KINDS = frozenset(
    {
        DayKind.EASY,
        DayKind.RECOVERY,
        DayKind.LONG,
        DayKind.INTERVALS,
        DayKind.TEMPO,
        DayKind.HILLS,
        DayKind.RACE,
    }
)
HARD_KINDS = frozenset({DayKind.INTERVALS, DayKind.TEMPO, DayKind.HILLS, DayKind.RACE})
HIGH_VOLUME_KINDS = frozenset({DayKind.LONG})
# P4: the only kinds a strength session may go on.
STRENGTH_ALLOWED_KINDS = frozenset({DayKind.EASY, DayKind.RECOVERY, DayKind.OFF, DayKind.CROSS})

DAY_KIND_LABELS = {
    DayKind.REST: "rest day",
    DayKind.OFF: "no run (not a full rest day)",
    DayKind.EASY: "easy run",
    DayKind.RECOVERY: "recovery run",
    DayKind.LONG: "long run",
    DayKind.INTERVALS: "intervals",
    DayKind.TEMPO: "tempo run",
    DayKind.HILLS: "hill session",
    DayKind.RACE: "race",
    DayKind.CROSS: "cross-training",
}

# Usual length of a run or cross session when the runner does not say.
DEFAULT_MINUTES = {
    DayKind.EASY: 40,
    DayKind.RECOVERY: 30,
    DayKind.LONG: 90,
    DayKind.INTERVALS: 60,
    DayKind.TEMPO: 50,
    DayKind.HILLS: 50,
    DayKind.RACE: 60,
    DayKind.CROSS: 45,
}


class Day(Frozen):
    """One day of the runner's usual week."""

    kind: DayKind = DayKind.REST
    start: dt.time | None = None
    minutes: int | None = Field(default=None, ge=5, le=600)

    @property
    def usual_minutes(self) -> int:
        """The run's length, or the default for its kind (0 for rest and off days)."""
        if self.minutes is not None:
            return self.minutes
        return DEFAULT_MINUTES.get(self.kind, 0)


class Week(Frozen):
    """The runner's usual week, Monday first."""

    days: tuple[Day, Day, Day, Day, Day, Day, Day]

    def __getitem__(self, weekday: int) -> Day:
        return self.days[weekday]

    @classmethod
    def all_rest(cls) -> Week:
        return cls(days=(Day(),) * 7)


class Goal(StrEnum):
    FIVE_K = "5k"
    TEN_K = "10k"
    HALF = "half"
    MARATHON = "marathon"
    ULTRA = "ultra"
    NONE = "none"


class PlacementPreference(StrEnum):
    AFTER_RUNS = "after-runs"
    OFF_DAYS = "off-days"
    EITHER = "either"


class Equipment(StrEnum):
    NONE = "none"  # bodyweight only
    BAND = "band"
    DUMBBELLS = "dumbbells"  # dumbbells or a kettlebell
    PULLUP_BAR = "pullup-bar"
    GYM = "gym"


def expand_equipment(equipment: frozenset[Equipment]) -> frozenset[Equipment]:
    """What the runner can use: a gym has bands, dumbbells and a bar; bodyweight always."""
    have = set(equipment) | {Equipment.NONE}
    if Equipment.GYM in have:
        have |= {Equipment.BAND, Equipment.DUMBBELLS, Equipment.PULLUP_BAR}
    return frozenset(have)


class BodyArea(StrEnum):
    """Body areas the pain flow asks about and the exercise library loads."""

    FOOT = "foot"  # foot and heel
    ACHILLES = "achilles"
    CALF = "calf"
    SHIN = "shin"
    KNEE_FRONT = "knee-front"
    KNEE_OUTSIDE = "knee-outside"
    HIP = "hip"  # hip and glute
    HAMSTRING = "hamstring"  # hamstring and sit-bone
    LOWER_BACK = "lower-back"
    SHOULDER = "shoulder"


class LiftingExperience(StrEnum):
    """How much lifting the runner has done (asked once, off-season with dumbbells or a gym)."""

    NEW = "new"  # new to lifting: technique weeks before any heavy sets
    SOME = "some"
    EXPERIENCED = "experienced"


class Profile(Frozen):
    """What the runner told us about their goal and their strength preferences."""

    goal: Goal = Goal.NONE
    race_date: dt.date | None = None
    sessions_per_week: int = Field(default=2, ge=2, le=4)
    minutes: int = Field(default=25, ge=10, le=90)
    placement: PlacementPreference = PlacementPreference.EITHER
    equipment: frozenset[Equipment] = frozenset({Equipment.NONE})
    niggles: frozenset[BodyArea] = frozenset()
    # None: not asked yet, planned as a new lifter (the safe side; docs/coaching.md).
    lifting: LiftingExperience | None = None
    # Consent to a short session after a hard run when the week has no other room.
    hard_day_sessions: bool = False

    @field_validator("equipment")
    @classmethod
    def _some_equipment(cls, value: frozenset[Equipment]) -> frozenset[Equipment]:
        return value or frozenset({Equipment.NONE})

    @property
    def available_equipment(self) -> frozenset[Equipment]:
        return expand_equipment(self.equipment)


class WeekChanges(Frozen):
    """This week's changes to the usual week (docs/coaching.md, "This week"). They apply to
    the week starting on `week_start` only: the next week is the usual week again."""

    week_start: dt.date  # a Monday
    # Runs changed for this week only. A race given here is a one-off race: the days
    # around it stay free of strength, as around the goal race.
    days: tuple[tuple[Weekday, Day], ...] = ()
    ill: frozenset[Weekday] = frozenset()  # days the runner is unwell: no training at all
    moves: tuple[tuple[Weekday, Weekday], ...] = ()  # (from, to): a session moved this week

    def applies_to(self, week_start: dt.date) -> bool:
        return self.week_start == week_start

    def week(self, usual: Week) -> Week:
        """This week's runs: the usual week with the changed days and ill days put in."""
        days = list(usual.days)
        for weekday, day in self.days:
            days[weekday] = day
        for weekday in self.ill:
            days[weekday] = Day(kind=DayKind.REST)
        return Week(days=(days[0], days[1], days[2], days[3], days[4], days[5], days[6]))

    @property
    def one_off_races(self) -> frozenset[Weekday]:
        return frozenset(w for w, d in self.days if d.kind is DayKind.RACE and w not in self.ill)


class Phase(StrEnum):
    OFF_SEASON = "off-season"
    BUILD = "build"
    TAPER = "taper"
    RACE_WEEK = "race week"
    RECOVERY = "recovery"


class SessionKind(StrEnum):
    """What the planner asks the session builder for."""

    HEAVY = "heavy"  # off-season heavy block: compound lifts, 5 x 4-6
    STANDARD = "standard"  # in-season: single-leg, hips, posterior chain, trunk, upper back
    LIGHT = "light"  # the day before a hard or long run: upper body, core, mobility
    TAPER = "taper"  # the standard session at about half the volume, nothing heavy
    MOBILITY = "mobility"  # race week (activation) and the week after the race


class Category(StrEnum):
    """The session mix (docs/coaching.md)."""

    COMPOUND = "compound lift"
    SINGLE_LEG = "single-leg"
    HIP_STABILITY = "hip stability"  # frontal and transverse plane
    POSTERIOR = "posterior chain and calves"
    TRUNK = "trunk"
    UPPER = "upper back"
    MOBILITY = "mobility"


class Plane(StrEnum):
    SAGITTAL = "sagittal"
    FRONTAL = "frontal"
    TRANSVERSE = "transverse"


class Exercise(Frozen):
    """One exercise of the library, with its standard dose."""

    key: str
    name: str
    category: Category
    # Any one of these is enough; empty means bodyweight.
    equipment: frozenset[Equipment] = frozenset()
    plane: Plane
    single_leg: bool
    loads: frozenset[BodyArea]
    sets: int = Field(ge=1, le=6)
    reps: int | None = Field(default=None, ge=1, le=30)
    hold_seconds: int | None = Field(default=None, ge=5, le=120)
    per_side: bool = False
    rest_seconds: int = Field(ge=0, le=240)
    cues: tuple[str, ...] = Field(min_length=2, max_length=3)
    easier: str
    harder: str


class Prescription(Frozen):
    """An exercise as it appears in one session: the dose for this runner this week."""

    exercise: Exercise
    sets: int = Field(ge=1, le=6)
    reps: int | None = None
    hold_seconds: int | None = None
    rest_seconds: int = Field(ge=0, le=240)
    load: str | None = None  # how heavy, for a loaded lift ("leave 2-3 reps in reserve")

    @property
    def cue(self) -> str:
        """The first technique cue, after the load cue when the lift has one."""
        if self.load:
            return f"{self.load} {self.exercise.cues[0]}"
        return self.exercise.cues[0]


class Session(Frozen):
    """A strength session: what to do and roughly how long it takes."""

    name: str  # always contains "Strength"
    kind: SessionKind
    minutes: int  # estimated length, never more than the runner's minutes
    exercises: tuple[Prescription, ...]
    mobility_minutes: int = 0
    notes: tuple[str, ...] = ()


class PlannedDay(Frozen):
    """One day of a plan: the run, the strength session if any, and why."""

    date: dt.date
    day: Day
    session: Session | None = None
    reason: str

    @property
    def weekday(self) -> Weekday:
        return Weekday(self.date.weekday())


class Plan(Frozen):
    """A week of the runner's plan, Monday first."""

    week_start: dt.date
    phase: Phase
    days: tuple[PlannedDay, ...]
    sessions_requested: int
    shortfall: str | None = None  # why fewer sessions than asked, when that happens
    notes: tuple[str, ...] = ()
    # The runner's first day, when they joined after this week's Monday: days before it
    # are not planned (docs/coaching.md, the partial first week).
    starts_on: dt.date | None = None

    @property
    def first_day(self) -> dt.date:
        """The first planned day of the week."""
        return self.starts_on or self.week_start

    @property
    def sessions(self) -> tuple[PlannedDay, ...]:
        return tuple(d for d in self.days if d.session is not None)
