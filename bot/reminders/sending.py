"""The sends of a dispatcher pass: each one under way, how it ended, and writing those ends
to the outbox in groups as Telegram's answers come back (bot/reminders/dispatcher.py).

What a crash can repeat is what was sent but not yet written: the sends awaiting an answer
and the answered sends whose outcome waits for the next group write. Both together are kept
to at most `in_flight` (`_Sending.room`), so a kill -9 repeats at most `in_flight` messages
(tests/bot/test_reminders_in_flight_process.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import httpx
from telegram import InlineKeyboardMarkup, InputFile
from telegram.error import ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.pace import PACED, paced
from bot.pictures import Photo
from bot.reminders.compose import Message
from bot.runtime import App, runtime
from core.reminders import is_early
from storage import repo
from storage.tables import Runner

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


@dataclass
class DispatchReport:
    """What one dispatcher pass did, by outcome."""

    sent: int = 0
    expired: int = 0
    deferred: int = 0
    cancelled: int = 0
    unknown: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    # How many rows the pass claimed, and until when Telegram asked us to pause (a 429).
    claimed: int = field(default=0, compare=False)
    paused_until: dt.datetime | None = field(default=None, compare=False)


class _Outcomes:
    """How each claimed row of a pass ended, written to the outbox.

    Outcomes are noted as sends come back and written in groups (`_Sending`): once a group's
    worth waits, before a send would make the sent-but-unwritten exceed `in_flight`, before
    the next batch is claimed, and at the end of the pass. Rows that were not sent (deferred,
    expired, cancelled, a 429) go in the same writes.
    """

    def __init__(self, app: App, now: dt.datetime) -> None:
        self.app = app
        self.now = now
        self.waiting: list[repo.Finish] = []

    def later(
        self,
        row: repo.Claimed,
        status: str,
        *,
        error: str | None = None,
        retry_at: dt.datetime | None = None,
    ) -> None:
        assert row.id is not None
        self.waiting.append(repo.Finish(row.id, status, error, retry_at))

    async def flush(self) -> None:
        if not self.waiting:
            return
        finished, self.waiting = self.waiting, []
        try:
            async with runtime(self.app).locks.transaction() as db:
                await repo.finish_reminders(db, finished=finished, now=self.now)
        except BaseException:
            # Kept for the next write (the pass's last one retries): an outcome lost here
            # would leave a sent row claimed, and sent again once its lease ran out.
            self.waiting[:0] = finished
            raise


# A 100 ms round trip: what the answered sends waiting for their group write must leave
# room for among `in_flight` (`write_group`).
ROUND_TRIP = 0.1
# Sends awaiting Telegram's answer at once, unless the settings say more (`Settings.in_flight`:
# DISPATCH_IN_FLIGHT, or about rate x 150 ms). 30 a second with round trips of up to ~250 ms
# need 8; a crash (kill -9, power cut) can repeat at most these messages, never more.
IN_FLIGHT = 8


def write_group(in_flight: int, rate: float) -> int:
    """Answered sends written at once: half of `in_flight`, but never so many that those
    left on their way fall below what a 100 ms round trip holds at the rate. The waiting
    ones count against `in_flight` until written: at 1,000 a second a half of 100 left 50
    on their way at times, 500 a second (bench/README.md, figure 2c)."""
    room = in_flight - math.ceil(rate * ROUND_TRIP)
    return max(1, min(in_flight // 2, room))


class _Sending:
    """The sends of one pass that are under way, and what they asked for (a pause).

    A send counts against `in_flight` until its outcome is written: the answered ones wait
    for a group of `group` (one transaction for them all, instead of one per answer) and are
    written before they would let a new send exceed `in_flight`."""

    def __init__(
        self, outcomes: _Outcomes, in_flight: int = IN_FLIGHT, group: int | None = None
    ) -> None:
        self.outcomes = outcomes
        self.in_flight = in_flight
        self.group = group if group is not None else max(1, in_flight // 2)
        self.tasks: dict[asyncio.Task[dt.datetime | None], int] = {}  # -> its row's id
        self.pause_until: dt.datetime | None = None
        # The sends that came back, as they came (a callback each): with 100 in flight,
        # `asyncio.wait` on all of them for each new send cost more than the send.
        self._back: list[asyncio.Task[dt.datetime | None]] = []
        self._landed = asyncio.Event()

    def start(self, row_id: int, send: Coroutine[Any, Any, dt.datetime | None]) -> None:
        task = asyncio.ensure_future(send)
        self.tasks[task] = row_id
        task.add_done_callback(self._came_back)

    def _came_back(self, task: asyncio.Task[dt.datetime | None]) -> None:
        self._back.append(task)
        self._landed.set()

    def row_ids(self) -> set[int]:
        """The rows whose sends are under way."""
        return set(self.tasks.values())

    async def room(self) -> None:
        """Wait until a new send keeps what a crash could repeat (under way, or answered and
        not yet written) within `in_flight`."""
        while len(self.tasks) + len(self.outcomes.waiting) >= self.in_flight:
            if self.outcomes.waiting:
                await self.outcomes.flush()
            else:
                await self.collect(wait=True)

    async def collect(self, *, wait: bool, until_empty: bool = False) -> None:
        """Take in the sends that came back (waiting for one with `wait`, for all of them
        with `until_empty`); their outcomes are written once a group waits, and all of them
        with `until_empty`."""
        while self.tasks:
            if wait and not self._back:
                self._landed.clear()
                await self._landed.wait()
            if not self.notice():
                break
            if not until_empty:
                break
        if until_empty or len(self.outcomes.waiting) >= self.group:
            await self.outcomes.flush()

    def notice(self) -> bool:
        """Take in the sends that came back, writing nothing (also between a slot and its
        send, where nothing may wait); whether any had."""
        done, self._back = set(self._back), []
        if done:
            self._take(done)
        return bool(done)

    async def abandon(self) -> None:
        """After an error or a cancellation: let the sends under way finish (shielded from a
        second cancellation), so each one's outcome and any 429 are noted."""
        if self.tasks:
            await asyncio.shield(asyncio.wait(set(self.tasks)))
            self._take(set(self.tasks))

    def _take(self, done: set[asyncio.Task[dt.datetime | None]]) -> None:
        for task in done:
            if self.tasks.pop(task, None) is None:
                continue  # taken already (`abandon`)
            if task.cancelled():
                continue
            error = task.exception()
            if error is not None:  # _send notes every outcome itself: this is a bug
                log.error("reminders: a send failed", exc_info=error)
                continue
            until = task.result()
            if until is not None:
                self.pause_until = max(until, self.pause_until or until)


async def _send(
    app: App,
    row: repo.Claimed,
    runner: Runner,
    message: Message,
    now: dt.datetime,
    report: DispatchReport,
    outcomes: _Outcomes,
) -> dt.datetime | None:
    """Send one row (its claim just checked) and note its outcome; returns a time to pause
    sending until, if any."""

    def answered() -> dt.datetime:
        # Pauses and backoffs count from Telegram's answer: a batch runs for seconds.
        return max(now, runtime(app).clock())

    try:
        settings = runtime(app).settings
        # Inside its early window (a morning message before its time): no sound.
        silent = is_early(row.due_at, runtime(app).clock()) or None
        # Above the free 30 a second, Telegram charges for it (PAID_BROADCAST).
        paid = True if settings.paid_broadcast else None
        if isinstance(message, Photo):  # the summary's picture (docs/pictures.md)
            await app.bot.send_photo(
                runner.chat_id,
                photo=InputFile(message.data, filename=message.filename),
                caption=message.caption,
                disable_notification=silent,
                allow_paid_broadcast=paid,
                **paced(app.bot),
            )
        else:
            text, markup = message
            await send_text(
                app,
                chat_id=runner.chat_id,
                text=text,
                reply_markup=markup,
                disable_notification=silent,
                allow_paid_broadcast=paid,
            )
    except RetryAfter as error:
        wait = error.retry_after
        seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
        until = answered() + dt.timedelta(seconds=seconds)
        outcomes.later(row, repo.PENDING, retry_at=until, error="429")
        report.deferred += 1
        return until
    except Forbidden as error:
        log.info("runner %s blocked the bot: %s", runner.id, error)
        outcomes.later(row, repo.CANCELLED, error="forbidden")
        report.cancelled += 1
        await _quietly(_runner_blocked(app, runner), f"marking runner {runner.id} inactive")
    except ChatMigrated as error:
        outcomes.later(row, repo.PENDING, error="chat migrated")
        report.deferred += 1
        await _quietly(
            _chat_moved(app, runner, error.new_chat_id), f"moving runner {runner.id}'s chat"
        )
    except TimedOut as error:
        if _maybe_delivered(error):
            # The request left; Telegram may have shown it. A doubled reminder costs more
            # trust than a missed one, so it is not sent again.
            outcomes.later(row, repo.UNKNOWN, error="timed out after sending")
            report.unknown += 1
        elif _finish_retry(outcomes, row, answered(), "connect timeout"):
            report.deferred += 1
        else:
            report.failed += 1
    except NetworkError as error:
        if _finish_retry(outcomes, row, answered(), str(error)[:200]):
            report.deferred += 1
        else:
            report.failed += 1
    except Exception as error:  # one runner's failure never stops the others
        log.exception("reminder %s for runner %s failed", row.id, runner.id)
        report.errors.append(f"{row.id}: {error!r}")
        outcomes.later(row, repo.FAILED, error=repr(error)[:200])
        report.failed += 1
    else:
        outcomes.later(row, repo.SENT)
        report.sent += 1
    return None


async def send_text(
    app: App, *, reply_markup: InlineKeyboardMarkup | None = None, **params: object
) -> None:
    """`sendMessage` through the Application's bot, as `Bot.send_message` sends it (the same
    request, its defaults, the same errors raised), without building a
    `telegram.Message` from Telegram's answer, which the dispatcher never reads: that was
    half of a send's CPU (0.5 -> 0.23 ms a message on the bench's machine, bench/README.md
    figure 2). `Bot._post` is what every `Bot.send_*` method calls (PTB 22, pinned <23 in
    pyproject.toml); the public `Bot.do_api_request` warns when used for a known method.
    The buttons go as the dict PTB would make of them, made once per markup object. The
    send has waited for its `Pace` slot already: PTB's rate limiter lets it through
    (`PacedFirst`)."""
    data = {k: v for k, v in params.items() if v is not None}
    if reply_markup is not None:
        data["reply_markup"] = _markup_dict(reply_markup)
    bot = app.bot
    paced = bot._merge_api_rl_kwargs(None, PACED) if bot.rate_limiter else None
    await bot._post("sendMessage", data, api_kwargs=paced)


_MARKUPS: dict[int, tuple[InlineKeyboardMarkup, dict[str, Any]]] = {}


def _markup_dict(markup: InlineKeyboardMarkup) -> dict[str, Any]:
    """`markup.to_dict()`, what PTB makes of the buttons before sending them, remembered for
    the markup objects sent most (a day's buttons are one object: bot/reminders/compose.py)."""
    known = _MARKUPS.get(id(markup))
    if known is not None and known[0] is markup:
        return known[1]
    made = markup.to_dict()
    if len(_MARKUPS) >= 64:
        _MARKUPS.clear()
    _MARKUPS[id(markup)] = (markup, made)
    return made


async def _quietly(work: Coroutine[Any, Any, None], what: str) -> None:
    """Run follow-up work of a send (its outcome is already noted); a failure is logged."""
    try:
        await work
    except Exception:
        log.exception("reminders: %s failed", what)


def _maybe_delivered(error: TimedOut) -> bool:
    """A read or write timeout means the request may have reached Telegram."""
    cause = error.__cause__
    return not isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout | httpx.ConnectError)


def _finish_retry(outcomes: _Outcomes, row: repo.Claimed, now: dt.datetime, error: str) -> bool:
    """Put the row back with a growing backoff; False when it has been tried enough."""
    if row.attempts >= MAX_ATTEMPTS:
        outcomes.later(row, repo.FAILED, error=error)
        return False
    backoff = dt.timedelta(seconds=5 * 2 ** (row.attempts - 1))
    outcomes.later(row, repo.PENDING, retry_at=now + backoff, error=error)
    return True


async def _runner_blocked(app: App, runner: Runner) -> None:
    assert runner.id is not None
    async with runtime(app).locks.transaction() as db:
        stored = await repo.get_runner_by_id(db, runner_id=runner.id)
        if stored is not None:
            stored.active = False
            db.add(stored)
        await repo.cancel_pending_reminders(db, runner_id=runner.id)
    runner.active = False


async def _chat_moved(app: App, runner: Runner, new_chat_id: int) -> None:
    assert runner.id is not None
    async with runtime(app).locks.transaction() as db:
        stored = await repo.get_runner_by_id(db, runner_id=runner.id)
        if stored is not None:
            stored.chat_id = new_chat_id
            db.add(stored)
    runner.chat_id = new_chat_id
