"""Telegram's send limits and the faults a test can inject (`BotApiStandIn.fail_next`)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal[
    "retry_after",
    "forbidden",
    "server_error",
    "timeout_before",
    "connect_timeout",
    "timeout_after",
    "chat_migrated",
]

FAULT_KINDS: frozenset[str] = frozenset(FaultKind.__args__)  # type: ignore[attr-defined]
# Methods Telegram counts against the ~30/s total and ~1/s per chat message limits.
RATE_LIMITED = frozenset({"sendmessage", "senddocument", "sendphoto"})


@dataclass(slots=True)
class RateLimits:
    """Telegram's send limits; sends beyond them are answered with 429 and a retry_after."""

    total_per_second: int = 30
    per_chat_per_second: int = 1
    clock: Callable[[], float] = time.monotonic
    _total: deque[float] = field(default_factory=deque, repr=False)
    _per_chat: dict[int, list[float]] = field(default_factory=dict, repr=False)

    def admit(self, chat_id: int, at: float | None = None) -> int:
        """Record a send arriving `at` (default: now) and return 0, or return the seconds to
        wait if it is over a limit. Arrivals must come in order."""
        now = self.clock() if at is None else at
        total = self._total
        while total and now - total[0] >= 1.0:
            total.popleft()
        recent = [t for t in self._per_chat.get(chat_id, ()) if now - t < 1.0]
        waits: list[float] = []
        if len(recent) >= self.per_chat_per_second:
            waits.append(recent[0] + 1.0 - now)
        if len(total) >= self.total_per_second:
            waits.append(total[0] + 1.0 - now)
        if waits:
            self._per_chat[chat_id] = recent
            return max(1, int(max(waits) + 0.999))
        recent.append(now)
        self._per_chat[chat_id] = recent
        total.append(now)
        return 0


@dataclass(slots=True)
class Fault:
    method: str
    kind: FaultKind
    chat_id: int | None
    retry_after: int
    migrate_to_chat_id: int | None
    times: int
