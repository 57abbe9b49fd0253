"""The calendar feed as the runner's data: tokens, and the feed built from their plan (for
`GET /calendar/<token>.ics`, bot/web/feed.py, and for /export). docs/calendar.md."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.pain import INJURY
from bot.plans import plan_for, reminder_settings
from core.calendar import (
    FeedWords,
    PainPause,
    Pause,
    feed_events,
    render_calendar,
    span_uids,
    stamps_for,
    week_starts,
)
from core.illness import is_ill
from core.models import WeekChanges
from core.pain import Restrictions
from storage import repo
from storage.tables import CalendarFeed, Runner

TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 32 characters, 192 random bits
FEED_ID_BYTES = 8
VERSION = "1"  # of the feed's content: a new version rebuilds every cached feed
# What changes on a runner's row without changing their plan.
_BOOKKEEPING = {"updated_at", "reminders_until", "chat_id", "first_name", "active"}


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_feed_id() -> str:
    return secrets.token_hex(FEED_ID_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def words() -> FeedWords:
    return FeedWords.model_validate(texts.CALENDAR_FEED_WORDS)


def feed_path(token: str) -> str:
    return f"/calendar/{token}.ics"


def fingerprint(
    runner: Runner, feed: CalendarFeed, changes: dict[dt.date, WeekChanges], today: dt.date
) -> str:
    """Changes whenever anything the feed is built from does: the runner's settings, plan,
    level, pause and pain state, this week's and the coming weeks' changes, and the day."""
    content: dict[str, Any] = {
        "version": VERSION,
        "runner": runner.model_dump(mode="json", exclude=_BOOKKEEPING),
        "feed": feed.feed_id,
        "today": today.isoformat(),
        "changes": {
            week.isoformat(): change.model_dump(mode="json")
            for week, change in sorted(changes.items())
            if week in week_starts(today)
        },
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


async def build_feed(
    db: AsyncSession,
    runner: Runner,
    feed: CalendarFeed | None,
    changes: dict[dt.date, WeekChanges],
    now: dt.datetime,
) -> bytes:
    """The runner's feed as it is now. With a stored feed, the stamps of events that changed
    are written in `db` (nothing is written when none did); without one (an /export before
    any /calendar) every event is new."""
    zone = ZoneInfo(runner.time_zone)
    today = now.astimezone(zone).date()
    plans = [plan_for(runner, week, changes=changes.get(week)) for week in week_starts(today)]
    pause = None
    if runner.pause_reason == INJURY:  # until seen: no end, and it says why
        pause = Pause(until=None, injury=True)
    elif runner.pause_reason is not None:
        pause = Pause(until=None if is_ill(runner.pause_reason) else runner.paused_until)
    restrictions = Restrictions.from_tags(runner.pain_areas)
    pain = None
    if restrictions.no_exercise:
        pain = PainPause.ALL
    elif restrictions.running_paused:
        pain = PainPause.RUNNING
    feed_id = feed.feed_id if feed is not None else new_feed_id()
    stored = {}
    if feed is not None:
        stored = await repo.event_stamps(db, runner_id=feed.runner_id)
    spans = span_uids(feed_id, pause, pain)
    since = {uid: stored[uid].day for uid in spans if uid in stored}
    events = feed_events(
        plans,
        reminder_settings(runner),
        feed_id=feed_id,
        today=today,
        words=words(),
        pause=pause,
        pain=pain,
        since=since,
    )
    stamps = stamps_for(events, stored, now)
    if feed is not None:
        # Past days' stamps, and spans that ended, are forgotten; the coming days' are kept
        # even when their event went away, so an event that comes back counts on.
        drop = [
            uid
            for uid, stamp in stored.items()
            if uid not in stamps and (stamp.day < today or not uid[:1].isdigit())
        ]
        await repo.save_event_stamps(
            db, runner_id=feed.runner_id, stamps=stamps, stored=stored, drop=drop
        )
    return render_calendar(events, stamps, time_zone=runner.time_zone, words=words())


async def export_feed(db: AsyncSession, runner: Runner, now: dt.datetime) -> bytes:
    """The .ics of the coming weeks for /export (in the turn's transaction)."""
    assert runner.id is not None
    feed = await repo.get_feed(db, runner_id=runner.id)
    today = now.astimezone(ZoneInfo(runner.time_zone)).date()
    changes = {}
    for week in week_starts(today):
        change = await repo.get_week_changes(db, runner_id=runner.id, week_start=week)
        if change is not None:
            changes[week] = change
    return await build_feed(db, runner, feed, changes, now)
