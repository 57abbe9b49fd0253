"""The calendar feed's request, `GET /calendar/<token>.ics` (the feed itself is built in
`bot/calendar.py`, which /export uses too).

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
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.calendar import build_feed, fingerprint, token_hash
from bot.runtime import runtime
from bot.web.updates import App
from core.models import WeekChanges
from storage import repo

BURST = 5  # requests a token may make at once
REFILL = 10.0  # s per request after the burst (calendar apps poll hourly)
CACHE_SIZE = 2048  # feeds kept in memory
BUCKETS_SIZE = 10_000  # tokens whose buckets are remembered


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
