"""The calendar feed's content: the coming weeks of a plan as iCalendar events (RFC 5545).

Pure, as all of `core`: the caller passes the plans, the reminder settings, today's date and
the wording (bot/texts.py), and what it stored about each event before (`Stamp`). How the
feed is served, cached and kept stable is in docs/calendar.md.

- Each run: at its start time for its usual length. A run without a time is an all-day event
  marked free (TRANSP:TRANSPARENT), so it never blocks the runner's day in a shared calendar.
- Each strength session at its real time: after the run plus the reminder delay, or at the
  strength time on a day without a timed run (`core.reminders.strength_due`), for its minutes,
  with the exercises, doses, cues and the reason for the day in DESCRIPTION.
- Rest days: nothing. Paused days: nothing, and one all-day event over the pause. A pain
  episode that pauses running (or all training) shows as one all-day event too.
- UIDs are `<date>-<kind>-<feed id>@runcoach` for a day's run or session and
  `<kind>-<key>-<feed id>@runcoach` for a span, so a calendar updates an event in place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from zoneinfo import ZoneInfo

import icalendar

from core.models import Frozen, Plan, PlannedDay, Prescription
from core.reminders import ReminderSettings, strength_due

PRODID = "-//runcoach//calendar feed//EN"
WEEKS = 3  # this week (from today), next week and the week after
REFRESH = dt.timedelta(hours=1)  # what the feed asks clients to poll at


class EventKind(StrEnum):
    RUN = "run"
    STRENGTH = "strength"
    PAUSED = "paused"  # /pause, or ill
    PAIN = "pain"  # running (or all training) paused by a pain episode


class FeedWords(Frozen):
    """Every text of the feed; bot/texts.py fills it (CALENDAR_FEED_WORDS)."""

    calendar_name: str
    run: str  # {kind} {minutes}
    run_untimed: str  # {kind} {minutes}
    run_description: str  # {reason}
    strength: str  # {name} {minutes}
    dose: str  # {name} {dose}
    reps: str  # {sets} {reps} {side}
    hold: str  # {sets} {seconds} {side}
    each_side: str
    cue: str  # {cue}
    mobility: str  # {minutes}
    why: str  # {reason}
    paused: str
    paused_description: str  # {until}
    paused_open: str
    paused_injury: str
    paused_injury_description: str
    pain_running: str
    pain_running_description: str
    pain_rest: str
    pain_rest_description: str


class Pause(Frozen):
    """The runner's pause: every day up to `until` (None: until they resume) is paused.
    `injury`: the pain check paused everything until the runner has been seen."""

    until: dt.date | None = None
    injury: bool = False


class PainPause(StrEnum):
    RUNNING = "running"  # Restrictions.running_paused: no runs, strength as allowed
    ALL = "all"  # Restrictions.no_exercise: no training until seen


class FeedEvent(Frozen):
    """One event, before its SEQUENCE and LAST-MODIFIED are known."""

    uid: str
    kind: EventKind
    day: dt.date  # the first day
    summary: str
    description: str = ""
    start: dt.datetime | None = None  # aware, in the runner's zone; None: all day
    end: dt.datetime | None = None
    last_day: dt.date | None = None  # all day: the last day (inclusive)
    free: bool = False  # TRANSP:TRANSPARENT

    @property
    def digest(self) -> str:
        """Changes exactly when what a calendar shows of the event changes."""
        content = self.model_dump(mode="json", exclude={"uid"})
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


class Stamp(Frozen):
    """What is stored about an event: its content digest, SEQUENCE and LAST-MODIFIED."""

    day: dt.date
    digest: str
    sequence: int = 0
    modified: dt.datetime


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The feed's days: today to the Sunday of the week after next (both included)."""
    monday = today - dt.timedelta(days=today.weekday())
    return today, monday + dt.timedelta(weeks=WEEKS, days=-1)


def week_starts(today: dt.date) -> list[dt.date]:
    """The Mondays of the weeks the feed covers."""
    monday = today - dt.timedelta(days=today.weekday())
    return [monday + dt.timedelta(weeks=i) for i in range(WEEKS)]


def day_uid(day: dt.date, kind: EventKind, feed_id: str) -> str:
    return f"{day.isoformat()}-{kind.value}-{feed_id}@runcoach"


def pause_uid(pause: Pause, feed_id: str) -> str:
    key = "injury" if pause.injury else pause.until.isoformat() if pause.until else "open"
    return f"{EventKind.PAUSED.value}-{key}-{feed_id}@runcoach"


def pain_uid(pain: PainPause, feed_id: str) -> str:
    return f"{EventKind.PAIN.value}-{pain.value}-{feed_id}@runcoach"


def span_uids(feed_id: str, pause: Pause | None, pain: PainPause | None) -> list[str]:
    """The UIDs of the feed's all-day spans: their first day is the one stored for them."""
    uids = []
    if pause is not None:
        uids.append(pause_uid(pause, feed_id))
    if pain is not None and not (pause is not None and pause.injury):
        uids.append(pain_uid(pain, feed_id))
    return uids


def feed_events(
    plans: Sequence[Plan],
    settings: ReminderSettings,
    *,
    feed_id: str,
    today: dt.date,
    words: FeedWords,
    pause: Pause | None = None,
    pain: PainPause | None = None,
    since: Mapping[str, dt.date] | None = None,
) -> list[FeedEvent]:
    """The feed's events for the days of `plans` from `today` to the end of the window.

    `since` holds the first day already stored for a span (a pause seen yesterday started
    yesterday, not today); a span not in it starts today.
    """
    zone = ZoneInfo(settings.time_zone)
    first, last = window(today)
    since = since or {}
    events: list[FeedEvent] = []

    def paused(day: dt.date) -> bool:
        return pause is not None and (pause.until is None or day <= pause.until)

    if pause is not None and (pause.until is None or pause.until >= first):
        uid = pause_uid(pause, feed_id)
        begins = min(since.get(uid, first), first)
        ends = last if pause.until is None else min(pause.until, last)
        if pause.injury:
            note = words.paused_injury_description
        elif pause.until is None:
            note = words.paused_open
        else:
            note = words.paused_description.format(until=f"{pause.until:%A %-d %B}")
        events.append(
            FeedEvent(
                uid=uid,
                kind=EventKind.PAUSED,
                day=begins,
                last_day=ends,
                summary=words.paused_injury if pause.injury else words.paused,
                description=note,
                free=True,
            )
        )
    if pain is not None and not (pause is not None and pause.injury):  # said by the pause
        uid = pain_uid(pain, feed_id)
        running = pain is PainPause.RUNNING
        events.append(
            FeedEvent(
                uid=uid,
                kind=EventKind.PAIN,
                day=min(since.get(uid, first), first),
                last_day=last,
                summary=words.pain_running if running else words.pain_rest,
                description=(
                    words.pain_running_description if running else words.pain_rest_description
                ),
                free=True,
            )
        )
    days = sorted(
        (d for plan in plans for d in plan.days if d.date >= plan.first_day),
        key=lambda d: d.date,
    )
    for day in days:
        if not first <= day.date <= last or paused(day.date):
            continue
        run = _run_event(day, zone, feed_id, words)
        if run is not None:
            events.append(run)
        if day.session is not None:
            events.append(_strength_event(day, settings, zone, feed_id, words))
    return events


def _run_event(
    day: PlannedDay, zone: ZoneInfo, feed_id: str, words: FeedWords
) -> FeedEvent | None:
    run = day.day
    if not run.kind.is_run:
        return None
    kind = run.kind.label
    kind = kind[:1].upper() + kind[1:]
    uid = day_uid(day.date, EventKind.RUN, feed_id)
    description = words.run_description.format(reason=day.reason) if day.session else ""
    if run.start is None:
        return FeedEvent(
            uid=uid,
            kind=EventKind.RUN,
            day=day.date,
            last_day=day.date,
            summary=words.run_untimed.format(kind=kind, minutes=run.usual_minutes),
            description=description,
            free=True,
        )
    start = dt.datetime.combine(day.date, run.start, tzinfo=zone)
    start = start.astimezone(dt.UTC).astimezone(zone)  # a time in the spring gap moves on
    return FeedEvent(
        uid=uid,
        kind=EventKind.RUN,
        day=day.date,
        start=start,
        end=start + dt.timedelta(minutes=run.usual_minutes),
        summary=words.run.format(kind=kind, minutes=run.usual_minutes),
        description=description,
    )


def _strength_event(
    day: PlannedDay, settings: ReminderSettings, zone: ZoneInfo, feed_id: str, words: FeedWords
) -> FeedEvent:
    session = day.session
    assert session is not None
    start = strength_due(day, settings, zone).astimezone(zone)
    lines = []
    for p in session.exercises:
        lines.append(words.dose.format(name=p.exercise.name, dose=_dose(p, words)))
        lines.append(words.cue.format(cue=p.cue))
    if session.mobility_minutes:
        lines.append(words.mobility.format(minutes=session.mobility_minutes))
    lines.extend(session.notes)
    lines.append("")
    lines.append(words.why.format(reason=day.reason))
    return FeedEvent(
        uid=day_uid(day.date, EventKind.STRENGTH, feed_id),
        kind=EventKind.STRENGTH,
        day=day.date,
        start=start,
        end=start + dt.timedelta(minutes=session.minutes),
        summary=words.strength.format(name=session.name, minutes=session.minutes),
        description="\n".join(lines),
    )


def _dose(p: Prescription, words: FeedWords) -> str:
    side = words.each_side if p.exercise.per_side else ""
    if p.reps is not None:
        return words.reps.format(sets=p.sets, reps=p.reps, side=side)
    return words.hold.format(sets=p.sets, seconds=p.hold_seconds, side=side)


def stamps_for(
    events: Sequence[FeedEvent], stored: Mapping[str, Stamp], now: dt.datetime
) -> dict[str, Stamp]:
    """Each event's stamp: the stored one while its content is the same, else the next
    SEQUENCE and LAST-MODIFIED `now` (a new event starts at SEQUENCE 0)."""
    stamps = {}
    for event in events:
        old = stored.get(event.uid)
        digest = event.digest
        if old is not None and old.digest == digest:
            stamps[event.uid] = old
        else:
            stamps[event.uid] = Stamp(
                day=event.day,
                digest=digest,
                sequence=0 if old is None else old.sequence + 1,
                modified=now.astimezone(dt.UTC).replace(microsecond=0),
            )
    return stamps


def _order(event: FeedEvent) -> tuple[dt.date, int, str, str]:
    """By day; all-day events first, then by start time."""
    at = event.start.strftime("%H%M") if event.start is not None else ""
    return (event.day, 0 if event.start is None else 1, at, event.kind.value)


def render_calendar(
    events: Sequence[FeedEvent], stamps: Mapping[str, Stamp], *, time_zone: str, words: FeedWords
) -> bytes:
    """The iCalendar file: a VTIMEZONE for the runner's zone and one VEVENT per event."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", words.calendar_name)
    calendar.add("x-wr-timezone", time_zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))  # PT1H, as REFRESH-INTERVAL
    for event in sorted(events, key=_order):
        stamp = stamps[event.uid]
        item = icalendar.Event()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp.modified)
        item.add("last-modified", stamp.modified)
        item.add("sequence", stamp.sequence)
        item.add("summary", event.summary)
        if event.description:
            item.add("description", event.description)
        if event.start is not None and event.end is not None:
            item.add("dtstart", event.start)
            item.add("dtend", event.end)
        else:
            last = event.last_day or event.day
            item.add("dtstart", event.day)
            item.add("dtend", last + dt.timedelta(days=1))
        item.add("transp", "TRANSPARENT" if event.free else "OPAQUE")
        item.add("categories", [event.kind.value])
        calendar.add_component(item)
    if events:  # the zone's rules over the feed's weeks, not 1970-2038 (a 14 KB feed is 2 KB)
        days = [event.day for event in events]
        calendar.add_missing_timezones(
            first_date=min(days) - dt.timedelta(days=366),
            last_date=max(days) + dt.timedelta(days=366),
        )
    data: bytes = calendar.to_ical()
    return data
