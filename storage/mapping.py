"""The mapping between table rows and the domain models of `core`.

A runner's profile is stored in plain columns and their usual week as JSON (seven days,
Monday first); these functions turn them into `core.models` types and back. They are written
against the columns they read (`ProfileColumns`, `WeekColumn`) rather than the `Runner` table,
so `storage.tables` can use them (a new runner's default week) without an import cycle.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Protocol, TypeVar

from core.models import (
    BodyArea,
    Day,
    DayKind,
    Equipment,
    Goal,
    LiftingExperience,
    PlacementPreference,
    Profile,
    Week,
)


class ProfileColumns(Protocol):
    """The columns of a runner row that hold their profile."""

    goal: str
    race_date: dt.date | None
    sessions_per_week: int
    minutes: int
    placement: str
    equipment: list[str]
    niggles: list[str]
    lifting_experience: str | None
    hard_day_sessions: bool


class WeekColumn(Protocol):
    """The column of a runner row that holds their usual week (and the row's id)."""

    id: int | None
    week: list[dict[str, Any]]


ProfileRow = TypeVar("ProfileRow", bound=ProfileColumns)
WeekRow = TypeVar("WeekRow", bound=WeekColumn)


def _time_to_json(value: dt.time | None) -> str | None:
    return None if value is None else value.isoformat(timespec="minutes")


def day_to_json(day: Day) -> dict[str, Any]:
    """One day of the week as stored: {"kind", "start", "minutes"}."""
    return {"kind": day.kind.value, "start": _time_to_json(day.start), "minutes": day.minutes}


def _day(kind: Any, start: Any, minutes: Any) -> Day:
    return Day(
        kind=DayKind(kind),
        start=None if start is None else dt.time.fromisoformat(start),
        minutes=minutes,
    )


# A Day is immutable, and a week is read from its JSON dozens of times a turn (every plan,
# every setup question): each distinct day is built once.
_known_day = functools.lru_cache(maxsize=4096, typed=True)(_day)


def day_from_json(data: dict[str, Any]) -> Day:
    """The inverse of `day_to_json`."""
    key = (data.get("kind", DayKind.REST.value), data.get("start"), data.get("minutes"))
    try:
        return _known_day(*key)
    except TypeError:  # a value that cannot be a key is not a day's either: say why
        return _day(*key)


def week_to_json(week: Week) -> list[dict[str, Any]]:
    """The week as stored: seven days, Monday first."""
    return [day_to_json(day) for day in week.days]


def runner_week(row: WeekColumn) -> Week:
    """The runner's usual week as a domain model."""
    days = tuple(day_from_json(item) for item in row.week)
    if len(days) != 7:
        raise ValueError(f"runner {row.id}: a stored week has 7 days, not {len(days)}")
    return Week(days=days)


def apply_week(row: WeekRow, week: Week) -> WeekRow:
    """Write the week onto the row (the caller saves it)."""
    row.week = week_to_json(week)
    return row


def runner_profile(row: ProfileColumns) -> Profile:
    """The runner's profile as a domain model."""
    return Profile(
        goal=Goal(row.goal),
        race_date=row.race_date,
        sessions_per_week=row.sessions_per_week,
        minutes=row.minutes,
        placement=PlacementPreference(row.placement),
        equipment=frozenset(Equipment(item) for item in row.equipment),
        niggles=frozenset(BodyArea(item) for item in row.niggles),
        lifting=LiftingExperience(row.lifting_experience) if row.lifting_experience else None,
        hard_day_sessions=row.hard_day_sessions,
    )


def apply_profile(row: ProfileRow, profile: Profile) -> ProfileRow:
    """Write the profile onto the row (the caller saves it)."""
    row.goal = profile.goal.value
    row.race_date = profile.race_date
    row.sessions_per_week = profile.sessions_per_week
    row.minutes = profile.minutes
    row.placement = profile.placement.value
    row.equipment = sorted(item.value for item in profile.equipment)
    row.niggles = sorted(item.value for item in profile.niggles)
    row.lifting_experience = profile.lifting.value if profile.lifting else None
    row.hard_day_sessions = profile.hard_day_sessions
    return row
