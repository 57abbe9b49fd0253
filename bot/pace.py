"""The pace of everything the bot sends: Telegram's limits, kept across replies and reminders.

This module lives beside `bot/reminders/`, not inside it, because the reply sender
(`bot.turns.ReplySender.pace`) and the reminder dispatcher wait for slots of one and the same
`Pace`; it is created once with the `Runtime` (`bot/runtime.py`), which may import only leaf
modules of `bot/`, so it imports nothing from `bot/` (docs/architecture.md, "Reminders: the
outbox").
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.ext import BaseRateLimiter

# Sends are spaced so that any `rate` consecutive ones span this many seconds, counted on the
# moments they really leave (`Pace.turn`): never `rate` + 1 within one second, however late
# the loop wakes. Half a percent over the second (29.85 a second at 30) is left for the
# network: a send's way to Telegram varies by a few milliseconds, so arrivals can be a little
# closer together than departures. It was 1.02 until issue 19, which cost the 07:00 burst 2 %
# against its physical bound (bench/README.md, figure 1b).
PACE_WINDOW = 1.005
# A chat's next message waits this long after its last one. Counted from the slot, before
# the request leaves: on a busy loop two requests to one chat left 1.005 s apart in slots
# reached Telegram 0.984 s apart (a 429; bench/README.md, figure 8), so 50 ms are kept.
CHAT_WINDOW = 1.05
# How far behind its slots the pace may be and still use the ones it missed (`Pace.turn`).
CATCH_UP = 0.1


class Pace:
    """Telegram's limits as the reply sender and the dispatcher keep them, across passes.

    PTB's AIORateLimiter is a leaky bucket: on top of its steady rate it lets a burst of
    `rate` through at once, so a backlog drains at twice the limit for its first second and
    Telegram answers 429. Here each send waits for its slot, `PACE_WINDOW / rate` seconds
    after the previous one (slots a busy loop made it miss are used for up to CATCH_UP
    after), and the last `rate` sends as they really left span PACE_WINDOW before the next
    one goes, so no second ever holds more than `rate` sends; and a chat that got a
    message less than a second ago waits (a reminder is deferred, a reply waits its second),
    even if that was in the previous pass. All only when the limiter is on
    (`RATE_LIMIT_PER_SECOND` > 0). `paused_until` (the dispatcher's clock) holds every pass
    after a 429 until Telegram's retry_after has passed.
    """

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.spacing = PACE_WINDOW / rate if rate > 0 else 0.0
        self.rate = max(1, math.ceil(rate))
        self._left: deque[float] = deque(maxlen=self.rate)  # the latest sends, as they left
        self.clock = clock
        self.sleep = sleep
        self.next_slot = 0.0
        self.paused_until: dt.datetime | None = None
        self._chats: dict[int, float] = {}

    @property
    def on(self) -> bool:
        return self.spacing > 0

    def chat_busy(self, chat_id: int) -> bool:
        sent = self._chats.get(chat_id)
        return sent is not None and self.clock() - sent < CHAT_WINDOW

    async def turn(self) -> None:
        """Wait for the next send slot. The slot is taken when asked for, so replies and
        the dispatcher, waiting side by side, each get their own. Slots missed while the
        loop was busy (a batch's claim blocks it for tens of ms) may still be used for up to
        CATCH_UP: at 1,000 a second a 30 ms claim every 200 sends would otherwise cost the
        pace 13 % (bench/README.md, figure 2c), at 30 a second it is at most one slot."""
        if not self.on:
            return
        now = self.clock()
        # Behind by more than CATCH_UP (idle, or a long stall): the pace starts again now,
        # without a burst for the time nothing was sent.
        slot = self.next_slot if now - self.next_slot <= CATCH_UP else now
        self.next_slot = slot + self.spacing
        if slot > now:
            await self.sleep(slot - now)
        # Slots used late can bring sends closer together than their spacing: the last
        # `rate` of them as they really left must span PACE_WINDOW before another one goes,
        # so no second ever holds more than `rate`.
        window = self._left
        while len(window) >= self.rate and (wait := window[0] + PACE_WINDOW - self.clock()) > 0:
            await self.sleep(wait)
        window.append(self.clock())

    async def reply_turn(self, chat_id: int, message: bool = True) -> None:
        """A reply's slot. Replies queue with at most one reminder (the dispatcher asks for
        one slot at a time), so a runner who is talking waits a slot or two, not a burst.

        A new `message` to a chat sent to less than a second ago (the first of a turn's two
        messages, or a reminder) waits until that second has passed *before* asking for a
        slot: sent at once, Telegram would answer 429, which costs the whole bot that slot
        and the runner the retry_after and a second wait in the queue. Edits and answers to
        presses do not count against a chat's second."""
        if not message:
            await self.turn()
            return
        while True:
            free = self.chat_free_at(chat_id)
            if free is not None:
                await self.sleep(free - self.clock())
            await self.turn()
            if self.chat_free_at(chat_id) is None:  # nothing else went there meanwhile
                break
        self.sent(chat_id)

    def chat_free_at(self, chat_id: int) -> float | None:
        """When this chat may get its next message (on this clock), or None if it may now."""
        sent = self._chats.get(chat_id)
        if not self.on or sent is None:
            return None
        free = sent + CHAT_WINDOW
        return free if free > self.clock() else None

    def answered(self, chat_id: int) -> None:
        """Telegram has answered a message to this chat (`PacedFirst`, as the call returns):
        it got there before now, so the chat's next one waits a second from here, if that
        is later than from its slot. On a busy loop a request can leave long after its slot
        (every step of the HTTP client waits its turn on the loop), and the next message to
        the chat, on time for its own slot, reached Telegram 0.1-0.99 s after it (429s in
        bench/README.md, figure 8)."""
        if not self.on:
            return
        at = self.clock() - (CHAT_WINDOW - 1.0)  # read back as `at + CHAT_WINDOW`
        last = self._chats.get(chat_id)
        if last is None or at > last:
            self._chats[chat_id] = at

    def sent(self, chat_id: int) -> None:
        if not self.on:
            return
        now = self.clock()
        self._chats[chat_id] = now
        # Forget chats last sent to more than a second ago, once the map holds a few
        # seconds' worth: at 1,000 a second (paid broadcast) a fixed bound of 1,000 would
        # sweep the whole map at every send.
        if len(self._chats) > max(1000, 4 * self.rate):
            self._chats = {c: t for c, t in self._chats.items() if now - t < CHAT_WINDOW}


JSONDict = dict[str, Any]
# The calls Telegram counts against a chat's one message a second, as PTB names them.
MESSAGE_ENDPOINTS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
# `rate_limit_args` of a call that already waited for its `Pace` slot (bot/reminders/sending.py).
PACED = "paced"


def paced(bot: object) -> dict[str, Any]:
    """The keyword a Bot API call that waited for its `Pace` slot passes to PTB, so that
    `PacedFirst` lets it through; none when the bot has no rate limiter (the limiter off)."""
    return {"rate_limit_args": PACED} if getattr(bot, "rate_limiter", None) is not None else {}


class PacedFirst(BaseRateLimiter[Any]):
    """PTB's `AIORateLimiter` for the calls the `Pace` does not space (a flood warning, an
    error message, the start-up's commands), and nothing more for the calls that waited for
    their slot already (`rate_limit_args=PACED`: the reminder dispatcher's sends). Passing
    those through the limiter too cost about a fifth of a message's CPU at 1,000 a second
    and could only make a slot late (bench/README.md, figure 2c)."""

    def __init__(self, limiter: BaseRateLimiter[Any]) -> None:
        self.limiter = limiter
        # Told the chat of each new message as Telegram's answer comes back
        # (`Pace.answered`, set by bot.app).
        self.answered: Callable[[int], None] | None = None

    async def initialize(self) -> None:
        await self.limiter.initialize()

    async def shutdown(self) -> None:
        await self.limiter.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | JSONDict | list[JSONDict]:
        answered, chat = self.answered, data.get("chat_id")
        if answered is not None and endpoint in MESSAGE_ENDPOINTS and isinstance(chat, int):
            inner = callback

            async def callback(*args: Any, **kwargs: Any) -> bool | JSONDict | list[JSONDict]:
                try:
                    return await inner(*args, **kwargs)
                finally:  # a refusal or a timeout too: it may have got there
                    answered(chat)

        if rate_limit_args == PACED:
            return await callback(*args, **kwargs)
        return await self.limiter.process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
