"""Training phases from the race date: what kind of strength work fits each day."""

from __future__ import annotations

import datetime as dt

from core.models import Phase

BUILD_WEEKS = 16  # a race further away than this is off-season
TAPER_DAYS = 14  # the final two weeks before the race
RACE_WEEK_DAYS = 7
RECOVERY_DAYS = 7  # after a race of unknown distance; by distance in core/block.py


def phase_on(day: dt.date, race_date: dt.date | None, recovery_days: int = RECOVERY_DAYS) -> Phase:
    """The training phase on `day` for a runner racing on `race_date` (None: no race), with
    `recovery_days` of recovery after it (`core.block.recovery_days`, by distance)."""
    if race_date is None:
        return Phase.OFF_SEASON
    return phase_to_race((race_date - day).days, recovery_days)


def phase_to_race(days_to_race: int, recovery_days: int = RECOVERY_DAYS) -> Phase:
    """The training phase `days_to_race` days before the race (negative: after it)."""
    if days_to_race < 0:
        return Phase.RECOVERY if -days_to_race <= recovery_days else Phase.OFF_SEASON
    if days_to_race < RACE_WEEK_DAYS:
        return Phase.RACE_WEEK
    if days_to_race < TAPER_DAYS:
        return Phase.TAPER
    if days_to_race <= BUILD_WEEKS * 7:
        return Phase.BUILD
    return Phase.OFF_SEASON


def is_first_build_week(day: dt.date, race_date: dt.date | None) -> bool:
    """True in the first week of a build, the moment to suggest a physio screening."""
    if race_date is None:
        return False
    days_to_race = (race_date - day).days
    return BUILD_WEEKS * 7 - 7 < days_to_race <= BUILD_WEEKS * 7


PHASE_SUMMARIES = {
    Phase.OFF_SEASON: "Off-season: a good time to build strength.",
    Phase.BUILD: "Build: strength stays light and runner-specific so your runs come first.",
    Phase.TAPER: "Taper: the same exercises at about half the volume, nothing new.",
    Phase.RACE_WEEK: "Race week: mobility and activation only, so you arrive fresh.",
    Phase.RECOVERY: "After the race: mobility only while your body recovers.",
}
