"""The calendar feed behind `GET /calendar/<token>.ics`, and the .ics of `/export`.

docs/calendar.md says why it is shaped so:

- The token is never stored: a request looks up the SHA-256 of the token it names
  (`repo.feed_by_token`), in the one query that also reads the runner and their week
  changes. An unknown, reset or erased token takes the same path and gets the same 404.
- Each token has a small bucket (`TokenBucket`: a burst of 5, then one request per 10 s);
  beyond it 429 with Retry-After, before the database is asked.
- The answer is cached by token, with a fingerprint of everything the plan is built from
  (the runner's row but its bookkeeping, the week changes, today's date in their zone): a
  repeated request for an unchanged plan makes that one query and writes nothing. A changed
  fingerprint rebuilds the feed and writes the stamps of the events that changed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.plans import plan_for, reminder_settings
from bot.runtime import runtime
from bot.web.updates import App
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
BURST = 5  # requests a token may make at once
REFILL = 10.0  # s per request after the burst (calendar apps poll hourly)
CACHE_SIZE = 2048  # feeds kept in memory
BUCKETS_SIZE = 10_000  # tokens whose buckets are remembered
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


class TokenBucket:
    """A burst of `burst` requests per key, refilled at one per `refill` seconds."""

    def __init__(
        self,
        *,
        burst: int = BURST,
        refill: float = REFILL,
        clock: Callable[[], float] | None = None,
        size: int = BUCKETS_SIZE,
    ) -> None:
        self.burst = burst
        self.refill = refill
        self.clock = clock or (lambda: asyncio.get_running_loop().time())
        self.size = size
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key: (level, at)

    def take(self, key: str) -> float:
        """0 when the request may go ahead; otherwise the seconds until it may."""
        now = self.clock()
        level, at = self._buckets.pop(key, (float(self.burst), now))
        level = min(float(self.burst), level + (now - at) / self.refill)
        wait = 0.0
        if level >= 1:
            level -= 1
        else:
            wait = (1 - level) * self.refill
        self._buckets[key] = (level, now)
        while len(self._buckets) > self.size:
            self._buckets.popitem(last=False)
        return wait


@dataclass(frozen=True)
class FeedAnswer:
    status: int
    body: bytes = b""
    etag: str | None = None
    retry_after: int | None = None


@dataclass
class FeedService:
    """Answers feed requests for one Application: the buckets and the cache live here."""

    app: App
    bucket: TokenBucket = field(default_factory=TokenBucket)
    cache: OrderedDict[str, tuple[str, str, bytes]] = field(default_factory=OrderedDict)

    async def answer(self, token: str, if_none_match: str | None = None) -> FeedAnswer:
        hashed = token_hash(token)
        wait = self.bucket.take(hashed)
        if wait > 0:
            return FeedAnswer(429, retry_after=max(1, round(wait + 0.5)))
        rt = runtime(self.app)
        now = rt.clock()
        since = now.date() - dt.timedelta(days=8)  # any zone's Monday of this week
        async with rt.sessions() as db:
            rows = await repo.feed_by_token(db, token_hash=hashed, since=since)
        if rows is None:
            self.cache.pop(hashed, None)
            return FeedAnswer(404)
        runner, feed = rows.runner, rows.feed
        today = now.astimezone(ZoneInfo(runner.time_zone)).date()
        changes = {c.week_start: WeekChanges.model_validate(c.changes) for c in rows.changes}
        mark = fingerprint(runner, feed, changes, today)
        cached = self.cache.get(hashed)
        if cached is None or cached[0] != mark:
            async with rt.locks.transaction(runner.telegram_user_id) as db:
                body = await build_feed(db, runner, feed, changes, now)
            cached = (mark, '"' + hashlib.sha256(body).hexdigest()[:32] + '"', body)
        self.cache[hashed] = cached
        self.cache.move_to_end(hashed)
        while len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)
        _, etag, body = cached
        if if_none_match is not None and etag in {t.strip() for t in if_none_match.split(",")}:
            return FeedAnswer(304, etag=etag)
        return FeedAnswer(200, body=body, etag=etag)


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
    if runner.pause_reason is not None:
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
