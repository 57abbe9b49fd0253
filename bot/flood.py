"""The flood gate: a runner sending dozens of updates a second is throttled in memory, before an
update costs a query (`bot.handlers.guards.flood_gate` asks it about each update)."""

from __future__ import annotations

import datetime as dt

FLOOD_WINDOW = dt.timedelta(seconds=10)


class FloodGate:
    """Per-runner sliding window in memory: a flood is dropped before it costs a query."""

    def __init__(self, limit: int) -> None:
        self.limit = limit  # updates per runner per window
        self.seen: dict[int, list[dt.datetime]] = {}
        self.warned: set[int] = set()

    def allow(self, user_id: int, now: dt.datetime) -> bool:
        recent = [t for t in self.seen.get(user_id, []) if now - t < FLOOD_WINDOW]
        recent.append(now)
        self.seen[user_id] = recent
        if len(self.seen) > 10_000:  # forget quiet runners so memory stays flat
            cutoff = now - FLOOD_WINDOW
            self.seen = {u: ts for u, ts in self.seen.items() if ts and ts[-1] > cutoff}
        if len(recent) <= self.limit:
            self.warned.discard(user_id)
            return True
        return False
