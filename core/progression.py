"""Week-to-week progression: step up after a clean week, step back after pain or missed work.

Pain rule (decided here, after the pain-monitoring model used for tendon pain, where 0-3/10 counts
as safe): a week with pain at 4/10 or more, or a pain report whose score we do not know, steps
back one level. Mild pain (1-3/10) holds the level: it never earns a progression, but it is not
a reason to cut either. The pain flow itself swaps out the exercise that hurt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import Field

from core.models import Frozen

# Progression levels, the one place they are bounded: -2 is stepped back twice, 0 a new
# runner's start, +4 the most a session progresses.
MIN_LEVEL = -2
MAX_LEVEL = 4
PAIN_STEP_BACK = 4  # worst pain (0-10) from which the next week is stepped back


class WeekOutcome(Frozen):
    """How last week's strength sessions went."""

    planned: int = Field(ge=0)
    done: int = Field(ge=0)
    skipped: int = Field(default=0, ge=0)
    pain_reports: int = Field(default=0, ge=0)
    worst_pain: int | None = Field(default=None, ge=0, le=10)

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


def clamp_level(level: int) -> int:
    """A level within MIN_LEVEL to MAX_LEVEL."""
    return max(MIN_LEVEL, min(MAX_LEVEL, level))


def next_level(level: int, last_week: WeekOutcome | None) -> int:
    """The level for the coming week, from last week's outcome (None: no data, hold)."""
    if last_week is None:
        return clamp_level(level)
    if last_week.painful or last_week.mostly_missed:
        return clamp_level(level - 1)
    if last_week.all_done and last_week.pain_free:
        return clamp_level(level + 1)
    return clamp_level(level)


def level_from_history(history: Sequence[WeekOutcome]) -> int:
    """The level after these weeks, oldest first, starting from 0."""
    level = 0
    for week in history:
        level = next_level(level, week)
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
