"""The off-season heavy block, counted week by week, and recovery after a race by distance.

Rules and their sources: docs/coaching.md ("The heavy block", "After the race").
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from core.models import Frozen, Goal, LiftingExperience


class HeavyStage(StrEnum):
    """Where a heavy session sits in its block."""

    TECHNIQUE = "technique"  # lighter, more reps, one main lift
    FIRST = "first"  # the first heavy week: one main lift at 5 x 4-6
    FULL = "full"  # two main lifts at 5 x 4-6


# Technique weeks before the first heavy week, and the block's length, by experience.
TECHNIQUE_WEEKS = {
    LiftingExperience.NEW: 3,
    LiftingExperience.SOME: 0,
    LiftingExperience.EXPERIENCED: 0,
}
BLOCK_WEEKS = {
    LiftingExperience.NEW: 12,
    LiftingExperience.SOME: 10,
    LiftingExperience.EXPERIENCED: 8,
}
# Not asked yet: planned as a new lifter, the safe side.
UNKNOWN_EXPERIENCE = LiftingExperience.NEW


class BlockWeek(Frozen):
    """One week of the heavy block: its number, the block's length, and what it holds."""

    number: int  # 1 for the first week
    length: int
    stage: HeavyStage | None  # None: the block is over, back to the in-season menu

    @property
    def over(self) -> bool:
        return self.stage is None

    @property
    def note(self) -> str:
        """The week note: which week of the block this is."""
        if self.stage is None:
            return (
                f"Your {self.length}-week heavy block is done: back to the in-season sessions, "
                "one step harder."
            )
        what = {
            HeavyStage.TECHNIQUE: "a technique week, light weights and more reps",
            HeavyStage.FIRST: "the first heavy week, one main lift",
            HeavyStage.FULL: "heavy lifts, 5 sets of 4-6",
        }[self.stage]
        return f"Heavy block, week {self.number} of {self.length}: {what}."


def block_week(
    experience: LiftingExperience | None, block_start: dt.date | None, week_start: dt.date
) -> BlockWeek:
    """The heavy-block week that `week_start` falls in, for a block that began on the Monday
    `block_start` (None: it begins this week)."""
    lifter = experience or UNKNOWN_EXPERIENCE
    length = BLOCK_WEEKS[lifter]
    number = 1 if block_start is None else max(1, (week_start - block_start).days // 7 + 1)
    technique = TECHNIQUE_WEEKS[lifter]
    stage: HeavyStage | None
    if number > length:
        stage = None
    elif number <= technique:
        stage = HeavyStage.TECHNIQUE
    elif number == technique + 1:
        stage = HeavyStage.FIRST
    else:
        stage = HeavyStage.FULL
    return BlockWeek(number=number, length=length, stage=stage)


# Days after the race of mobility only, by distance (docs/coaching.md, "After the race").
RECOVERY_DAYS_BY_GOAL = {
    Goal.FIVE_K: 3,
    Goal.TEN_K: 5,
    Goal.HALF: 7,
    Goal.MARATHON: 14,
    Goal.ULTRA: 21,
    Goal.NONE: 7,
}


def recovery_days(goal: Goal) -> int:
    """How many days after a race of this distance stay mobility-only."""
    return RECOVERY_DAYS_BY_GOAL[goal]
