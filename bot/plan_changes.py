"""What a changed setting changed in the week, said in a few lines rather than the whole week
(docs/architecture.md, "Rendering"): strength days added, dropped or moved, a session's name or
minutes, the number of sessions and the shortfall, new week notes, and a new time zone with the
next reminder in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot import texts
from core.models import Plan, PlannedDay

REMINDER_NAMES = {
    "strength": "strength reminder",
    "morning": "morning message",
    "weekly": "weekly summary",
    "snooze": "snoozed reminder",
    "pain": "pain check-in",
}


def join(names: Sequence[str]) -> str:
    """'Monday', 'Monday and Sunday', 'Monday, Wednesday and Sunday'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _session(day: PlannedDay) -> str:
    assert day.session is not None
    return f"{day.session.name}, {day.session.minutes} min"


def days_changed(before: Plan, after: Plan) -> bool:
    """Whether the strength days themselves changed (then the week overview helps)."""
    return [d.date for d in before.sessions] != [d.date for d in after.sessions]


def change_lines(before: Plan, after: Plan) -> list[str]:
    """What the runner will notice, a line each; empty when nothing in the plan changed."""
    old = {d.weekday: d for d in before.sessions}
    new = {d.weekday: d for d in after.sessions}
    gone = [d for d in old if d not in new]
    added = [d for d in new if d not in old]
    lines: list[str] = []
    if len(gone) == 1 and len(added) == 1:
        lines.append(
            f"Strength moves from {gone[0].title} to {added[0].title} ({_session(new[added[0]])})."
        )
    else:
        if added:
            lines.append(
                f"Strength now on {join([d.title for d in added])} "
                f"({'; '.join(_session(new[d]) for d in added)})."
            )
        if gone:
            lines.append(f"No strength on {join([d.title for d in gone])} any more.")
    for weekday, day in new.items():
        was = old.get(weekday)
        if was is None or was.session == day.session:
            continue
        assert was.session is not None and day.session is not None
        if (was.session.name, was.session.minutes) != (day.session.name, day.session.minutes):
            lines.append(f"{weekday.title}: now {_session(day)} (was {_session(was)}).")
    count, asked = len(after.sessions), after.sessions_requested
    if count != len(before.sessions) or asked != before.sessions_requested:
        lines.append(
            f"{count} strength session{'s' if count != 1 else ''} this week "
            f"(was {len(before.sessions)})."
            if count != len(before.sessions)
            else f"Still {count} strength session{'s' if count != 1 else ''} this week."
        )
    if after.shortfall and after.shortfall != before.shortfall:
        lines.append(after.shortfall)  # the full reason, this once
    elif before.shortfall and not after.shortfall:
        lines.append(f"All {asked} sessions you asked for fit now.")
    lines.extend(n for n in after.notes if n not in before.notes)
    return lines


def describe_change(before: Plan, after: Plan) -> str:
    """The plan's changes in a few lines, or that nothing in it changes."""
    lines = change_lines(before, after)
    return "\n".join(lines) if lines else texts.PLAN_UNCHANGED


def zone_change(zone: str, now_there: dt.datetime, next_due: dt.datetime | None, kind: str) -> str:
    """A new time zone: the zone, and when the next reminder comes, in that zone."""
    line = texts.ZONE_CHANGED.format(zone=zone.replace("_", " "), now=f"{now_there:%H:%M}")
    if next_due is None:
        return f"{line} {texts.ZONE_NO_REMINDER}"
    name = REMINDER_NAMES.get(kind, kind)
    return f"{line} " + texts.ZONE_NEXT_REMINDER.format(
        name=name[0].upper() + name[1:], at=f"{next_due:%a %d %b %H:%M}"
    )
