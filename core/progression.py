"""Week-to-week progression: step up after a clean week, step back after pain or missed work.

Pain rule (decided here, after the pain-monitoring model used for tendon pain, where 0-3/10 counts
as safe): a week with pain at 4/10 or more, or a pain report whose score we do not know, steps
back one level. Mild pain (1-3/10) holds the level: it never earns a progression, but it is not
a reason to cut either. The pain flow itself swaps out the exercise that hurt.

The whole rule, with the weeks that do not count (ill, paused, escalated) and the feel ratings,
is in docs/coaching.md ("Progression"). The level bounds live here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from pydantic import Field

from core.models import BodyArea, Frozen

# Progression levels, the one place they are bounded: -2 is stepped back twice, 0 a new
# runner's start, +4 the most a session progresses.
MIN_LEVEL = -2
MAX_LEVEL = 4
PAIN_STEP_BACK = 4  # worst pain (0-10) from which the next week is stepped back
# What a level changes in a session (core/sessions.py doses by these, and the Sunday line
# says them): each level a rep more and a 5 s longer hold; from level 3 an extra set, from
# -1 one set fewer.
REPS_PER_LEVEL = 1
HOLD_SECONDS_PER_LEVEL = 5
EXTRA_SET_FROM = 3
FEWER_SETS_FROM = -1


class Feel(StrEnum):
    """The optional answer to "How did it feel?" after a session is marked done."""

    EASY = "easy"
    ABOUT_RIGHT = "about-right"
    HARD = "hard"


class WeekOutcome(Frozen):
    """How last week's strength sessions went."""

    planned: int = Field(ge=0)
    done: int = Field(ge=0)
    skipped: int = Field(default=0, ge=0)
    pain_reports: int = Field(default=0, ge=0)
    worst_pain: int | None = Field(default=None, ge=0, le=10)
    feels: tuple[Feel, ...] = ()  # the week's feel ratings, skipped ones left out
    ill: bool = False  # the runner said they were unwell during the week
    paused: bool = False  # reminders or training paused for part of the week
    escalated: bool = False  # a pain episode waiting for a clinician during the week

    @property
    def painful(self) -> bool:
        """Pain that should step the runner back."""
        if self.worst_pain is not None:
            return self.worst_pain >= PAIN_STEP_BACK
        return self.pain_reports > 0

    @property
    def pain_free(self) -> bool:
        return self.pain_reports == 0 and not self.worst_pain

    @property
    def mostly_missed(self) -> bool:
        """Fewer than half of the planned sessions were done."""
        return self.planned > 0 and 2 * self.done < self.planned

    @property
    def all_done(self) -> bool:
        return self.planned > 0 and self.done >= self.planned

    @property
    def felt_hard(self) -> bool:
        """At least half of the week's feel ratings (and at least one) said Hard."""
        hard = sum(1 for f in self.feels if f is Feel.HARD)
        return hard > 0 and 2 * hard >= len(self.feels)

    @property
    def not_counted(self) -> bool:
        """An ill, paused or escalated week: it neither earns nor costs a level."""
        return self.ill or self.paused or self.escalated


class Step(Frozen):
    """The level for the coming week and the one line the Sunday summary gives for it."""

    level: int
    change: int = Field(ge=-1, le=1)
    reason: str


def clamp_level(level: int) -> int:
    """A level within MIN_LEVEL to MAX_LEVEL."""
    return max(MIN_LEVEL, min(MAX_LEVEL, level))


def what_changes(before: int, after: int) -> str:
    """What a step from level `before` to `after` does to the sessions, in a few words."""
    if after == before:
        return ""
    more = after > before
    low, high = sorted((before, after))
    crosses = low < EXTRA_SET_FROM <= high or low <= FEWER_SETS_FROM < high
    sets = (", an extra set" if more else ", a set fewer") if crosses else ""
    reps = "a rep more" if more else "a rep fewer"
    hold = f"holds {HOLD_SECONDS_PER_LEVEL} s {'longer' if more else 'shorter'}"
    return f" ({reps}, {hold}{sets})"


def _sessions(n: int) -> str:
    return "your session" if n == 1 else "both sessions" if n == 2 else f"all {n} sessions"


def weekly_step(
    level: int, last_week: WeekOutcome | None, previous: WeekOutcome | None = None
) -> Step:
    """The end-of-week rule: from the week just ended (and the one before it, for the feel
    ratings) to next week's level, with the reason in one line."""
    level = clamp_level(level)

    def step(change: int, why: str) -> Step:
        new = clamp_level(level + change)
        moved = new - level
        if moved > 0:
            what = "one step up" + what_changes(level, new)
        elif moved < 0:
            what = "one step back" + what_changes(level, new)
        elif change > 0:
            what = "the same level, already the top one"
        elif change < 0:
            what = "the same level, already the easiest one"
        else:
            what = "the same level"
        return Step(level=new, change=moved, reason=f"Next week: {what} — {why}.")

    week = last_week
    if week is None:
        return step(0, "no sessions were logged this week")
    if week.ill:
        return step(0, "you were unwell, so the week does not count and you restart gently")
    if week.escalated:
        return step(0, "your pain is waiting to be checked, so the week does not count")
    if week.paused:
        return step(0, "training was paused, so the week does not count")
    if week.painful:
        pain = f" of {week.worst_pain}/10" if week.worst_pain is not None else ""
        return step(-1, f"you reported pain{pain}")
    if week.planned == 0:
        return step(0, "nothing was planned this week")
    if week.mostly_missed:
        return step(-1, f"you did {week.done} of {week.planned} sessions")
    if week.all_done and week.pain_free:
        done = _sessions(week.planned)
        if week.felt_hard and previous is not None and previous.felt_hard:
            return step(0, f"you did {done}, but they felt hard two weeks running")
        return step(1, f"you did {done} without pain")
    if week.all_done:
        return step(0, f"you did {_sessions(week.planned)}, with some mild pain")
    return step(0, f"you did {week.done} of {week.planned} sessions")


def next_level(
    level: int, last_week: WeekOutcome | None, previous: WeekOutcome | None = None
) -> int:
    """The level for the coming week, from last week's outcome (None: no data, hold) and,
    for the two-Hard-weeks rule, the week before it."""
    return weekly_step(level, last_week, previous).level


def week_level(level: int, last_week: WeekOutcome | None) -> int:
    """The level to plan the coming week at: the first week back after an ill week is one
    step easier, without lowering the runner's level itself."""
    if last_week is not None and last_week.ill:
        return clamp_level(level - 1)
    return clamp_level(level)


def level_from_history(history: Sequence[WeekOutcome]) -> int:
    """The level after these weeks, oldest first, starting from 0."""
    level = 0
    previous: WeekOutcome | None = None
    for week in history:
        level = next_level(level, week, previous)
        previous = week
    return level


def week_streak(weeks: Iterable[tuple[int, int]]) -> int:
    """Weeks in a row, newest first, with every planned session done: `weeks` holds
    (planned, done) for this week, then the week before, and so on (read only up to the
    first week that breaks the streak). A week with nothing planned ends the streak."""
    streak = 0
    for planned, done in weeks:
        if planned == 0 or done < planned:
            break
        streak += 1
    return streak


class Return(Frozen):
    """One week of the way back after a pain episode is cleared."""

    level: int  # the level to plan this week at
    avoid: frozenset[BodyArea]  # areas whose exercises are still left out
    done: bool  # back to the full plan: the return is over
    note: str


def return_after_pain(
    level: int, drop: int, areas: frozenset[BodyArea], weeks_since_cleared: int
) -> Return:
    """Exercises come back in steps after a pain episode is cleared, not all at once.

    `level` is the runner's level before the episode, `drop` how far it was stepped down,
    `areas` the sore areas. Week 0 (the week of clearing): the sore areas stay out at the
    lowered level. Week 1: their exercises come back, still at the lowered level. Each week
    after that gives one level back, until the runner is where they were.
    """
    drop = max(drop, 1)
    low = clamp_level(level - drop)
    week = max(0, weeks_since_cleared)
    if week == 0:
        return Return(
            level=low,
            avoid=areas,
            done=False,
            note="Cleared: this week stays gentle, and the exercises for your sore area "
            "come back next week.",
        )
    if week == 1:
        return Return(
            level=low,
            avoid=frozenset(),
            done=False,
            note="The exercises for your sore area are back this week, at an easy level.",
        )
    back = clamp_level(min(level, low + week - 1))
    done = back >= clamp_level(level)
    note = (
        "You are back at your usual level."
        if done
        else "One more step back towards your usual level this week."
    )
    return Return(level=back, avoid=frozenset(), done=done, note=note)
