"""Sending what is due: claim a batch, check each row is still wanted, send at the pace, and
write each outcome.

One repeating job (`bot.reminders.jobs`) calls `dispatch_due`. Rows are claimed in batches,
a claim left by a crashed process is retried after a lease, a row later than its grace window
is expired, and Telegram's answers (429, 403, a migrated chat, timeouts, network errors) each
end a row their own way (docs/architecture.md, "Reminders: the outbox").
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
from collections.abc import Callable, Collection, Coroutine
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from telegram import InputFile
from telegram.error import ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.coaching import ALERT_KINDS
from bot.pace import Pace
from bot.pictures import Photo
from bot.reminders.compose import Message, compose
from bot.reminders.outbox import is_paused
from bot.runtime import App, runtime
from core.illness import checkin_day, is_ill
from core.reminders import ReminderKind, is_early, is_stale
from storage import repo
from storage.tables import Reminder, Runner

log = logging.getLogger(__name__)

BATCH = 200
MAX_ATTEMPTS = 6


def batch_size(rate: float, in_flight: int) -> int:
    """Rows per claim: about a second of the pace (at most BATCH), and at least twice the
    sends in flight. A row whose window opens while a batch drains waits for the next claim,
    so a batch of a second keeps a 07:20 strength reminder from waiting behind 200 morning
    messages (7 s at 30 a second: bench/README.md, figure 1b). With the limiter off, BATCH."""
    pace = math.ceil(rate) if rate > 0 else BATCH
    return max(2 * in_flight, min(BATCH, pace))


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

    Outcomes are noted as sends come back and written in one transaction each time the pass
    takes them in (`_Sending.collect`), before more sends start: a crash repeats at most the
    messages in flight (IN_FLIGHT). Rows that were not sent (deferred, expired, cancelled,
    a 429) go in the same transaction, or at the end of the pass.
    """

    def __init__(self, app: App, now: dt.datetime) -> None:
        self.app = app
        self.now = now
        self.waiting: list[repo.Finish] = []

    def later(
        self,
        row: Reminder,
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


def sent_while_ill(runner: Runner, row: Reminder) -> bool:
    """An ill runner's morning check-in and weekly summary (which takes the week's level
    step) are sent although they are paused (bot/illness.py)."""
    if not is_ill(runner.pause_reason):
        return False
    if row.kind == ReminderKind.WEEKLY.value:
        return True
    return row.kind == ReminderKind.MORNING.value and checkin_day(
        runner.pause_reason, runner.paused_until, row.local_date
    )


async def dispatch_due(
    app: App,
    *,
    now: dt.datetime | None = None,
    limit: int | None = None,
    drain: Callable[[], bool] | None = None,
) -> DispatchReport:
    """Claim what is due and send it; each row ends sent, expired, deferred or failed.

    Sends overlap: a message goes out at its pace slot without waiting for Telegram's answer
    to the one before (at most IN_FLIGHT at once), so a round trip of 100 ms does not cap
    the rate at 10 a second. Outcomes are written together each time sends come back.
    At most `Settings.in_flight` sends are under way (8 at 30/s, about 100 at 1,000/s with
    paid broadcast): a crash repeats at most these. A batch holds `limit` rows (by default
    about a second of the pace, at most BATCH, at least twice the sends in flight).

    Rows are claimed once their sending window has opened, earliest deadline first: a
    morning message up to MORNING_EARLY_MINUTES before its time, the others at their time
    (`core.reminders.sending_window`).

    With `drain`, batch follows batch while they come back full (a clustered 07:00) and
    `drain()` is true (the application is running), each claimed as soon as the one before
    has started its last send, so the pace does not stop at every batch. A 429 ends it.
    """
    rt = runtime(app)
    now = now or rt.clock()
    grace = dt.timedelta(minutes=rt.settings.reminder_grace_minutes)
    lease = dt.timedelta(seconds=rt.settings.reminder_lease_seconds)
    early = dt.timedelta(minutes=rt.settings.morning_early_minutes)
    in_flight = rt.settings.in_flight
    batch = (
        limit if limit is not None else batch_size(rt.settings.rate_limit_per_second, in_flight)
    )
    report = DispatchReport()
    pace = rt.pace
    if pace.paused_until is not None and now < pace.paused_until:
        report.paused_until = pace.paused_until  # Telegram said wait: nothing is claimed
        return report

    async def claim(
        at: dt.datetime, skip: Collection[int] = ()
    ) -> tuple[list[Reminder], dict[int, Runner]]:
        async with rt.locks.transaction() as db:
            rows = await repo.claim_due_reminders(
                db, now=at, limit=batch, lease=lease, skip=skip, early=early
            )
            runners = await repo.runners_by_id(db, ids={r.runner_id for r in rows})
        report.claimed += len(rows)
        rt.last_dispatch = rt.clock()  # for /health, also during a long drain
        return rows, runners

    rows, runners = await claim(now)
    outcomes = _Outcomes(app, now)
    sending = _Sending(outcomes, in_flight)
    try:
        while True:
            await _dispatch_batch(app, rows, runners, now, grace, report, outcomes, sending, pace)
            full = len(rows) == batch and sending.pause_until is None
            if drain is None or not full or not drain():
                break
            # This batch's last sends are on their way: claim the next one meanwhile. What
            # is known is written first, and the sends under way are not anyone's stale
            # claims (with a lease shorter than a batch they would look it).
            await outcomes.flush()
            now = outcomes.now = rt.clock()
            rows, runners = await claim(now, skip=sending.row_ids())
        await sending.collect(wait=True, until_empty=True)
    finally:
        await sending.abandon()
        if sending.pause_until is not None:  # even if the pass ends in an error
            pace.paused_until = sending.pause_until
            report.paused_until = sending.pause_until
        await outcomes.flush()
    return report


async def _dispatch_batch(
    app: App,
    rows: list[Reminder],
    runners: dict[int, Runner],
    now: dt.datetime,
    grace: dt.timedelta,
    report: DispatchReport,
    outcomes: _Outcomes,
    sending: _Sending,
    pace: Pace,
) -> None:
    """Start the send of every row of a batch that is still wanted; note the others."""
    busy_chats: set[int] = set()
    for row in rows:
        assert row.id is not None
        runner = runners.get(row.runner_id)
        await sending.collect(wait=False)
        if sending.pause_until is not None:  # Telegram said slow down: the rest waits
            outcomes.later(row, repo.PENDING, retry_at=sending.pause_until)
            report.deferred += 1
            continue
        if runner is None or not runner.active:
            outcomes.later(row, repo.CANCELLED, error="runner gone or inactive")
            report.cancelled += 1
            continue
        today = now.astimezone(ZoneInfo(runner.time_zone)).date()
        if (
            is_paused(runner, today)
            and row.kind not in (ReminderKind.PAIN.value, *ALERT_KINDS)  # a coach's alerts too
            and not sent_while_ill(runner, row)
        ):
            outcomes.later(row, repo.CANCELLED, error="paused")
            report.cancelled += 1
            continue
        if is_stale(ReminderKind(row.kind), row.due_at, now, grace):
            log.info("reminder %s for runner %s expired: due %s", row.id, runner.id, row.due_at)
            outcomes.later(row, repo.EXPIRED)
            report.expired += 1
            continue
        # about one message a second per chat
        if runner.chat_id in busy_chats or pace.chat_busy(runner.chat_id):
            outcomes.later(row, repo.PENDING, retry_at=now + dt.timedelta(seconds=1))
            report.deferred += 1
            continue
        message = await compose(app, row, runner)
        if message is None:  # nothing left to say (the session moved away)
            outcomes.later(row, repo.CANCELLED, error="nothing to send")
            report.cancelled += 1
            continue
        await sending.room()
        await pace.turn()
        await sending.collect(wait=False)
        if sending.pause_until is not None:  # a 429 came back while this one waited
            outcomes.later(row, repo.PENDING, retry_at=sending.pause_until)
            report.deferred += 1
            continue
        busy_chats.add(runner.chat_id)
        pace.sent(runner.chat_id)  # from when it leaves: later batches see it too
        sending.start(row.id, _send(app, row, runner, message, now, report, outcomes))


# Sends awaiting Telegram's answer at once, unless the settings say more (`Settings.in_flight`:
# DISPATCH_IN_FLIGHT, or about rate x 100 ms). 30 a second with round trips of up to ~250 ms
# need 8; a crash (kill -9, power cut) can repeat at most these messages, never more.
IN_FLIGHT = 8


class _Sending:
    """The sends of one pass that are under way, and what they asked for (a pause)."""

    def __init__(self, outcomes: _Outcomes, in_flight: int = IN_FLIGHT) -> None:
        self.outcomes = outcomes
        self.in_flight = in_flight
        self.tasks: dict[asyncio.Task[dt.datetime | None], int] = {}  # -> its row's id
        self.pause_until: dt.datetime | None = None

    def start(self, row_id: int, send: Coroutine[Any, Any, dt.datetime | None]) -> None:
        self.tasks[asyncio.ensure_future(send)] = row_id

    def row_ids(self) -> set[int]:
        """The rows whose sends are under way."""
        return set(self.tasks.values())

    async def room(self) -> None:
        """Wait until fewer than `in_flight` sends are under way."""
        while len(self.tasks) >= self.in_flight:
            await self.collect(wait=True)

    async def collect(self, *, wait: bool, until_empty: bool = False) -> None:
        """Take in the sends that came back (waiting for one with `wait`) and write their
        outcomes in one transaction."""
        while self.tasks:
            if wait:
                done, _ = await asyncio.wait(set(self.tasks), return_when=asyncio.FIRST_COMPLETED)
            else:
                done = {task for task in self.tasks if task.done()}
            if not done:
                return
            self._take(done)
            await self.outcomes.flush()
            if not until_empty:
                return

    async def abandon(self) -> None:
        """After an error or a cancellation: let the sends under way finish (shielded from a
        second cancellation), so each one's outcome and any 429 are noted."""
        if self.tasks:
            await asyncio.shield(asyncio.wait(set(self.tasks)))
            self._take(set(self.tasks))

    def _take(self, done: set[asyncio.Task[dt.datetime | None]]) -> None:
        for task in done:
            del self.tasks[task]
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
    row: Reminder,
    runner: Runner,
    message: Message,
    now: dt.datetime,
    report: DispatchReport,
    outcomes: _Outcomes,
) -> dt.datetime | None:
    """Send one row and note its outcome; returns a time to pause sending until, if any."""

    def answered() -> dt.datetime:
        # Pauses and backoffs count from Telegram's answer: a batch runs for seconds.
        return max(now, runtime(app).clock())

    try:
        if not await _still_wanted(app, row):
            # Erased (/delete), paused or rebuilt since the claim: not sent.
            outcomes.later(row, repo.CANCELLED, error="gone before sending")
            report.cancelled += 1
            return None
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
            )
        else:
            text, markup = message
            await app.bot.send_message(
                runner.chat_id,
                text,
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


async def _still_wanted(app: App, row: Reminder) -> bool:
    """Right before the send: the row is still ours to send, and its runner still exists."""
    assert row.id is not None and row.claimed_at is not None
    async with runtime(app).sessions() as db:
        return await repo.reminder_still_claimed(db, reminder_id=row.id, claimed_at=row.claimed_at)


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


def _finish_retry(outcomes: _Outcomes, row: Reminder, now: dt.datetime, error: str) -> bool:
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
