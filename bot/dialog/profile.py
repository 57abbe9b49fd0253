"""Setup's answers as the runner's profile and week, and a saved runner's back as answers
(for /settings)."""

from __future__ import annotations

import datetime as dt

from bot.dialog.multiselect import AREA_BUTTONS, EQUIPMENT_LABELS
from bot.dialog.placement import FREE_DAYS
from bot.dialog.question import Answers
from core.models import (
    BodyArea,
    Equipment,
    Goal,
    LiftingExperience,
    PlacementPreference,
    Profile,
    Week,
)
from storage.tables import day_from_json, day_to_json


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
