"""When each reminder is due: pure, DST-correct, from the plan and the runner's settings.

Local wall-clock times become UTC instants here, once, with the runner's IANA zone. A 07:00
run stays 07:00 on the day the clocks change; a time that does not exist that day (inside the
spring-forward gap) moves forward by the gap, as a wall clock would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import Field

from core.models import HIGH_VOLUME_KINDS, DayKind, Frozen, Plan, PlannedDay


class ReminderKind(StrEnum):
    STRENGTH = "strength"  # after the run on a strength day, or at the chosen time
    MORNING = "morning"  # today's session, and the pain check-in after a demanding day
    WEEKLY = "weekly"  # Sunday evening: the week in numbers and next week's plan
    SNOOZE = "snooze"  # a strength reminder the runner snoozed
    PAIN = "pain"  # the next-morning follow-up after a pain report
    COACH_FLAG = "coach-flag"  # to a coach: a runner who shares reported a red flag
    COACH_PHYSIO = "coach-physio"  # to a coach: a runner's pain reached the physio threshold
    COACH_DIGEST = "coach-digest"  # to a coach: Monday morning, their roster in a few lines
    # Right after the weekly summary, each its own row (one row, one send): next week as a
    # picture, and on a month's first Sunday the progress chart (docs/pictures.md).
    WEEKLY_PICTURE = "weekly_picture"
    MONTHLY_PROGRESS = "monthly_progress"


class ReminderSettings(Frozen):
    """The runner's reminder choices; times are local wall-clock times."""

    time_zone: str = "UTC"
    delay_minutes: int = Field(default=15, ge=0, le=240)
    morning_time: dt.time = dt.time(7, 0)
    strength_time: dt.time = dt.time(18, 0)  # strength on a day without a run
    weekly_time: dt.time = dt.time(19, 0)  # Sunday
    off: frozenset[ReminderKind] = frozenset()


class ReminderSpec(Frozen):
    """One message to send: what, for which local day, and when (aware UTC)."""

    kind: ReminderKind
    local_date: dt.date
    due_at: dt.datetime
    checkin: bool = False  # a morning message that also asks about pain


MORNING_LEAD = dt.timedelta(minutes=30)  # before a run that starts before the morning time
# After the weekly summary: its picture, then (once a month) the progress chart.
AFTER_SUMMARY = {
    ReminderKind.WEEKLY_PICTURE: dt.timedelta(minutes=1),
    ReminderKind.MONTHLY_PROGRESS: dt.timedelta(minutes=2),
}


def first_sunday_of_month(day: dt.date) -> bool:
    """The month's first Sunday: its weekly summary brings the progress chart."""
    return day.weekday() == 6 and day.day <= 7


def local_to_utc(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of a local wall-clock time (the first one when the clocks go back;
    a time inside the spring-forward gap comes out as that time plus the gap)."""
    return dt.datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone).astimezone(dt.UTC)


def strength_due(day: PlannedDay, settings: ReminderSettings, zone: ZoneInfo) -> dt.datetime:
    """After the run (start + usual length + delay); at the chosen time on a day without one."""
    run = day.day
    if run.kind.is_run and run.start is not None:
        start = local_to_utc(day.date, run.start, zone)
        return start + dt.timedelta(minutes=run.usual_minutes + settings.delay_minutes)
    return local_to_utc(day.date, settings.strength_time, zone)


def morning_due(day: PlannedDay, settings: ReminderSettings, zone: ZoneInfo) -> dt.datetime:
    """The morning time, or half an hour before a run that starts less than half an hour
    after it (or earlier)."""
    at = settings.morning_time
    run = day.day
    if run.kind.is_run and run.start is not None:
        # At least half an hour before the run, so the message is read before leaving.
        early = dt.datetime.combine(day.date, run.start) - MORNING_LEAD
        if early < dt.datetime.combine(day.date, at):
            at = early.time() if early.date() == day.date else dt.time(0, 0)
    return local_to_utc(day.date, at, zone)


def demanding(day: PlannedDay) -> bool:
    """A hard run, a long run or a strength session: worth a pain check the next morning."""
    return day.day.kind.is_hard or day.day.kind in HIGH_VOLUME_KINDS or day.session is not None


def reminders_for(
    plans: Sequence[Plan], settings: ReminderSettings, *, after: dt.datetime, until: dt.date
) -> list[ReminderSpec]:
    """Every reminder due after `after` on the days of `plans` up to `until` (local dates).

    `plans` are consecutive weeks; the day before the first one counts as not demanding.
    """
    zone = ZoneInfo(settings.time_zone)
    days = sorted((d for plan in plans for d in plan.days), key=lambda d: d.date)
    specs: list[ReminderSpec] = []
    previous: PlannedDay | None = None
    for day in days:
        if day.date > until:
            break
        if ReminderKind.MORNING not in settings.off:
            checkin = previous is not None and previous.date == day.date - dt.timedelta(days=1)
            checkin = checkin and previous is not None and demanding(previous)
            specs.append(
                ReminderSpec(
                    kind=ReminderKind.MORNING,
                    local_date=day.date,
                    due_at=morning_due(day, settings, zone),
                    checkin=checkin,
                )
            )
        if day.session is not None and ReminderKind.STRENGTH not in settings.off:
            specs.append(
                ReminderSpec(
                    kind=ReminderKind.STRENGTH,
                    local_date=day.date,
                    due_at=strength_due(day, settings, zone),
                )
            )
        if day.date.weekday() == 6 and ReminderKind.WEEKLY not in settings.off:
            summary = local_to_utc(day.date, settings.weekly_time, zone)
            specs.append(
                ReminderSpec(kind=ReminderKind.WEEKLY, local_date=day.date, due_at=summary)
            )
            # The summary's pictures come with it, and are off with it.
            specs.append(
                ReminderSpec(
                    kind=ReminderKind.WEEKLY_PICTURE,
                    local_date=day.date,
                    due_at=summary + AFTER_SUMMARY[ReminderKind.WEEKLY_PICTURE],
                )
            )
            if first_sunday_of_month(day.date):
                specs.append(
                    ReminderSpec(
                        kind=ReminderKind.MONTHLY_PROGRESS,
                        local_date=day.date,
                        due_at=summary + AFTER_SUMMARY[ReminderKind.MONTHLY_PROGRESS],
                    )
                )
        previous = day
    return [s for s in specs if s.due_at > after]


def snooze_until(choice: str, now: dt.datetime, settings: ReminderSettings) -> dt.datetime:
    """When a snoozed reminder comes back: in 30 minutes, in 2 hours, or this evening."""
    if choice == "30":
        return now + dt.timedelta(minutes=30)
    if choice == "120":
        return now + dt.timedelta(hours=2)
    zone = ZoneInfo(settings.time_zone)
    evening = local_to_utc(now.astimezone(zone).date(), dt.time(19, 0), zone)
    return max(evening, now + dt.timedelta(minutes=30))


STALE_AFTER = {
    ReminderKind.STRENGTH: dt.timedelta(hours=3),
    ReminderKind.SNOOZE: dt.timedelta(hours=3),
    ReminderKind.MORNING: dt.timedelta(hours=4),
    ReminderKind.PAIN: dt.timedelta(hours=6),
    ReminderKind.WEEKLY: dt.timedelta(hours=12),
    ReminderKind.COACH_FLAG: dt.timedelta(days=2),  # late is still worth knowing
    ReminderKind.COACH_PHYSIO: dt.timedelta(days=2),
    ReminderKind.COACH_DIGEST: dt.timedelta(hours=6),
    ReminderKind.WEEKLY_PICTURE: dt.timedelta(hours=12),
    ReminderKind.MONTHLY_PROGRESS: dt.timedelta(hours=12),
}


# A coach would rather hear of a red flag late (after an outage) than never.
LATE_IS_FINE = frozenset({ReminderKind.COACH_FLAG, ReminderKind.COACH_PHYSIO})


def is_stale(
    kind: ReminderKind, due_at: dt.datetime, now: dt.datetime, grace: dt.timedelta
) -> bool:
    """Too late to be useful: past the grace window, or past what makes sense for its kind
    (a strength reminder hours after the run, a morning message in the afternoon). A coach's
    alert is worth sending late, up to its own limit, whatever the grace window."""
    if kind in LATE_IS_FINE:
        return now - due_at > STALE_AFTER[kind]
    return now - due_at > min(grace, STALE_AFTER[kind])


_ = DayKind  # re-exported for callers that build weeks next to reminder specs


# Sending windows (issue 19). Each row may leave from the moment its window opens; the
# dispatcher claims open rows in order of their deadline (earliest deadline first, which keeps
# the worst lateness lowest when every message costs the same slot) and never one whose window
# has not opened. Only the morning message has an early window: it may leave up to
# MORNING_EARLY_MINUTES before its time, silently, and its deadline is as far after its time
# (any moment of 06:30-07:30 serves a 07:00 message). Every other kind keeps its exact time
# (a strength reminder after the run, not during it): its window opens at its time, which is
# also its deadline, so it goes before the morning messages still waiting around it.
EARLY_KINDS = frozenset({ReminderKind.MORNING})


class Window(Frozen):
    """When a row may leave (aware UTC) and the deadline it is ordered by."""

    opens: dt.datetime
    deadline: dt.datetime


def early_allowance(kind: ReminderKind | str, early: dt.timedelta) -> dt.timedelta:
    """How long before its time a row of `kind` may leave (zero but for the morning)."""
    return early if kind in EARLY_KINDS else dt.timedelta(0)


def sending_window(kind: ReminderKind | str, due_at: dt.datetime, early: dt.timedelta) -> Window:
    """The window of a row due at `due_at`, with the morning's early allowance `early`."""
    allowance = early_allowance(kind, early)
    return Window(opens=due_at - allowance, deadline=due_at + allowance)


def is_early(due_at: dt.datetime, now: dt.datetime) -> bool:
    """Sent before its time (inside its early window): sent without a notification sound."""
    return now < due_at
