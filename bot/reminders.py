"""Reminders: the outbox is rebuilt from the plan, and one repeating job sends what is due.

The database is the source of truth (docs/architecture.md): a `reminder` row per message, claimed
in batches, sent, and marked. Nothing about reminders lives in the scheduler, so start-up cost
does not grow with runners and a restart or a second instance loses and doubles nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Coroutine
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot import texts
from bot.episodes import followup_prompt, load_episode, retime_followups
from bot.plans import plan_for, reminder_settings, restrictions_for
from bot.render import TELEGRAM_LIMIT, run_label, session_lines
from bot.runtime import runtime
from core.planner import week_start_of
from core.progression import week_streak
from core.reminders import ReminderKind, is_stale, reminders_for, strength_due
from storage import repo
from storage.tables import Reminder, Runner

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

HORIZON_DAYS = 14
STREAK_WEEKS = 52  # the weekly summary's streak looks back at most a year
BATCH = 200
MAX_ATTEMPTS = 6
HORIZON_EVERY_SECONDS = 3600.0


# --- building the outbox ---------------------------------------------------------------------


def is_paused(runner: Runner, today: dt.date) -> bool:
    if runner.pause_reason is None:
        return False
    return runner.paused_until is None or today <= runner.paused_until


async def rebuild_reminders(db: AsyncSession, *, runner: Runner, now: dt.datetime) -> int:
    """Write the runner's reminders for the next two weeks; old pending ones are cancelled."""
    assert runner.id is not None
    today = now.astimezone(ZoneInfo(runner.time_zone)).date()
    until = today + dt.timedelta(days=HORIZON_DAYS - 1)
    specs = []
    if runner.onboarded and runner.active:
        first = week_start_of(today - dt.timedelta(days=1))
        weeks = (week_start_of(until) - first).days // 7 + 1
        plans = [plan_for(runner, first + dt.timedelta(weeks=i)) for i in range(weeks)]
        specs = reminders_for(plans, reminder_settings(runner), after=now, until=until)
        if runner.pause_reason is not None:
            specs = [s for s in specs if not is_paused(runner, s.local_date)]
        if runner.pain_areas and restrictions_for(runner).running_paused:
            # Until they have been seen: no strength reminders (the morning message still
            # says what is on, without a run).
            specs = [s for s in specs if s.kind is not ReminderKind.STRENGTH]
    await repo.replace_reminders(db, runner_id=runner.id, specs=specs, now=now)
    runner.reminders_until = until
    db.add(runner)
    if runner.pain_areas and restrictions_for(runner).checkins:
        await retime_followups(db, runner=runner, now=now)
    return len(specs)


async def extend_horizons(app: App, *, now: dt.datetime | None = None) -> int:
    """Top up runners whose reminders end within a week (the daily horizon job)."""
    rt = runtime(app)
    now = now or rt.clock()
    done = 0
    while True:
        async with rt.locks.transaction() as db:
            through = (now + dt.timedelta(days=7)).date()
            runners = await repo.runners_needing_reminders(db, through=through, limit=200)
            for runner in runners:
                await rebuild_reminders(db, runner=runner, now=now)
        done += len(runners)
        if len(runners) < 200:
            return done


# --- sending ---------------------------------------------------------------------------------


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


PACE_KEY = "reminder_pace"
DISPATCH_LOCK_KEY = "reminder_dispatch_lock"
# Sends are spaced so that any `rate` consecutive ones span this many seconds: 2% under
# Telegram's 30 a second, so timing jitter never makes it 31 within one second.
PACE_WINDOW = 1.02


class Pace:
    """Telegram's limits as the dispatcher keeps them, across passes.

    PTB's AIORateLimiter is a leaky bucket: on top of its steady rate it lets a burst of
    `rate` through at once, so a backlog drains at twice the limit for its first second and
    Telegram answers 429. Here each send waits for its slot, `PACE_WINDOW / rate` seconds
    after the previous one, and the last `rate` sends as they really left span PACE_WINDOW
    before the next one goes (a wake-up made late by a busy loop does not crowd the sends
    queued after it), so no second ever holds more than `rate` sends; and a chat that got a
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
        return sent is not None and self.clock() - sent < PACE_WINDOW

    async def turn(self) -> None:
        """Wait for the next send slot. The slot is taken when asked for, so replies and
        the dispatcher, waiting side by side, each get their own."""
        if not self.on:
            return
        now = self.clock()
        slot = max(self.next_slot, now)
        self.next_slot = slot + self.spacing
        if slot > now:
            await self.sleep(slot - now)
        # A slot reserved before a late wake-up (a busy loop) is not moved by it, so sends
        # can leave closer together than their slots: the last `rate` of them as they really
        # left must span PACE_WINDOW before another one goes.
        window = self._left
        while len(window) >= self.rate and (wait := window[0] + PACE_WINDOW - self.clock()) > 0:
            await self.sleep(wait)
        now = self.clock()
        window.append(now)
        # From when this send really goes: after a late wake-up the next one must not
        # follow at once, or `rate` sends would fit in less than a second.
        self.next_slot = max(self.next_slot, now + self.spacing)

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
        free = sent + PACE_WINDOW
        return free if free > self.clock() else None

    def sent(self, chat_id: int) -> None:
        if not self.on:
            return
        now = self.clock()
        self._chats[chat_id] = now
        if len(self._chats) > 1000:  # forget chats last sent to more than a second ago
            self._chats = {c: t for c, t in self._chats.items() if now - t < PACE_WINDOW}


def pace_of(app: App) -> Pace:
    pace = app.bot_data.get(PACE_KEY)
    if not isinstance(pace, Pace):
        pace = Pace(runtime(app).settings.rate_limit_per_second)
        app.bot_data[PACE_KEY] = pace
    return pace


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


async def dispatch_due(
    app: App,
    *,
    now: dt.datetime | None = None,
    limit: int = BATCH,
    drain: Callable[[], bool] | None = None,
) -> DispatchReport:
    """Claim what is due and send it; each row ends sent, expired, deferred or failed.

    Sends overlap: a message goes out at its pace slot without waiting for Telegram's answer
    to the one before (at most IN_FLIGHT at once), so a round trip of 100 ms does not cap
    the rate at 10 a second. Outcomes are written together each time sends come back.

    With `drain`, batch follows batch while they come back full (a clustered 07:00) and
    `drain()` is true (the application is running), each claimed as soon as the one before
    has started its last send, so the pace does not stop at every batch. A 429 ends it.
    """
    rt = runtime(app)
    now = now or rt.clock()
    grace = dt.timedelta(minutes=rt.settings.reminder_grace_minutes)
    lease = dt.timedelta(seconds=rt.settings.reminder_lease_seconds)
    report = DispatchReport()
    pace = pace_of(app)
    if pace.paused_until is not None and now < pace.paused_until:
        report.paused_until = pace.paused_until  # Telegram said wait: nothing is claimed
        return report

    async def claim(
        at: dt.datetime, skip: Collection[int] = ()
    ) -> tuple[list[Reminder], dict[int, Runner]]:
        async with rt.locks.transaction() as db:
            rows = await repo.claim_due_reminders(db, now=at, limit=limit, lease=lease, skip=skip)
            runners = await repo.runners_by_id(db, ids={r.runner_id for r in rows})
        report.claimed += len(rows)
        rt.last_dispatch = rt.clock()  # for /health, also during a long drain
        return rows, runners

    rows, runners = await claim(now)
    outcomes = _Outcomes(app, now)
    sending = _Sending(outcomes)
    try:
        while True:
            await _dispatch_batch(app, rows, runners, now, grace, report, outcomes, sending, pace)
            full = len(rows) == limit and sending.pause_until is None
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
        if is_paused(runner, today) and row.kind != ReminderKind.PAIN.value:
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


# Sends awaiting Telegram's answer at once. 30 a second with round trips of up to ~250 ms
# need 8; a crash (kill -9, power cut) can repeat at most these messages, never more.
IN_FLIGHT = 8


class _Sending:
    """The sends of one pass that are under way, and what they asked for (a pause)."""

    def __init__(self, outcomes: _Outcomes) -> None:
        self.outcomes = outcomes
        self.tasks: dict[asyncio.Task[dt.datetime | None], int] = {}  # -> its row's id
        self.pause_until: dt.datetime | None = None

    def start(self, row_id: int, send: Coroutine[Any, Any, dt.datetime | None]) -> None:
        self.tasks[asyncio.ensure_future(send)] = row_id

    def row_ids(self) -> set[int]:
        """The rows whose sends are under way."""
        return set(self.tasks.values())

    async def room(self) -> None:
        """Wait until fewer than IN_FLIGHT sends are under way."""
        while len(self.tasks) >= IN_FLIGHT:
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
    message: tuple[str, InlineKeyboardMarkup | None],
    now: dt.datetime,
    report: DispatchReport,
    outcomes: _Outcomes,
) -> dt.datetime | None:
    """Send one row and note its outcome; returns a time to pause sending until, if any."""
    text, markup = message

    def answered() -> dt.datetime:
        # Pauses and backoffs count from Telegram's answer: a batch runs for seconds.
        return max(now, runtime(app).clock())

    try:
        if not await _still_wanted(app, row):
            # Erased (/delete), paused or rebuilt since the claim: not sent.
            outcomes.later(row, repo.CANCELLED, error="gone before sending")
            report.cancelled += 1
            return None
        await app.bot.send_message(runner.chat_id, text, reply_markup=markup)
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


# --- what each reminder says -------------------------------------------------------------------


def _buttons(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def strength_buttons(day: dt.date) -> InlineKeyboardMarkup:
    d = day.isoformat()
    return _buttons(
        [
            [("✅ Done", f"t:done:{d}"), ("⏭ Skip", f"t:skip:{d}")],
            [
                ("⏰ 30 min", f"t:z30:{d}"),
                ("⏰ 2 h", f"t:z120:{d}"),
                ("🌙 Tonight", f"t:zeve:{d}"),
            ],
            [("🩹 Pain", f"t:pain:{d}")],
        ]
    )


def checkin_buttons(day: dt.date) -> InlineKeyboardMarkup:
    d = day.isoformat()
    return _buttons([[("👍 No pain", f"t:ok:{d}"), ("🩹 Pain", f"t:pain:{d}")]])


async def compose(
    app: App, row: Reminder, runner: Runner
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The message for a due row, from the plan as it is now (so it is never out of date)."""
    day = row.local_date
    plan = plan_for(runner, week_start_of(day))
    entry = next(d for d in plan.days if d.date == day)
    kind = ReminderKind(row.kind)
    paused = bool(runner.pain_areas) and restrictions_for(runner).running_paused
    if kind in (ReminderKind.STRENGTH, ReminderKind.SNOOZE):
        if paused:
            return None  # running is paused until they have been seen: no reminders
        if entry.session is None or await _already_logged(app, runner, day):
            return None  # the session moved away, or was marked done or skipped already
        after = f" after your {entry.day.kind.label}" if entry.day.kind.is_run else ""
        lines = [texts.STRENGTH_REMINDER.format(name=entry.session.name, after=after)]
        lines += session_lines(entry.session)
        return _fit("\n".join(lines)), strength_buttons(day)
    if kind is ReminderKind.PAIN:
        return await _pain_followup(app, runner, day)
    if kind is ReminderKind.MORNING and paused:
        from core import pain_content

        lines = [pain_content.MORNING_PAUSED]
        if entry.session is not None:
            lines.append(
                pain_content.MORNING_UPPER.format(
                    name=entry.session.name, minutes=entry.session.minutes
                )
            )
        return _fit("\n".join(lines)), None
    if kind is ReminderKind.MORNING:
        lines = [texts.MORNING_TODAY.format(run=run_label(entry))]
        if entry.session is not None:
            zone = ZoneInfo(runner.time_zone)
            at = strength_due(entry, reminder_settings(runner), zone).astimezone(zone)
            when = f" I'll remind you at {at:%H:%M}."
            lines.append(
                texts.MORNING_STRENGTH.format(
                    name=entry.session.name, minutes=entry.session.minutes, when=when
                )
            )
        else:
            lines.append(texts.MORNING_NO_STRENGTH)
        if row.payload.get("checkin"):
            lines.append("")
            lines.append(texts.CHECKIN_QUESTION)
            return _fit("\n".join(lines)), checkin_buttons(day)
        return _fit("\n".join(lines)), None
    return await _weekly(app, runner, day), None


async def _pain_followup(
    app: App, runner: Runner, day: dt.date
) -> tuple[str, InlineKeyboardMarkup | None] | None:

    async with runtime(app).sessions() as db:
        episode = await load_episode(db, runner)
    if episode is None:  # settled since it was planned
        return None
    question, rows = followup_prompt(episode, day)
    return question, _buttons(rows)


async def _already_logged(app: App, runner: Runner, day: dt.date) -> bool:
    assert runner.id is not None
    async with runtime(app).sessions() as db:
        logs = await repo.session_logs(db, runner_id=runner.id, since=day)
    return any(log.date == day for log in logs)


async def _weekly(app: App, runner: Runner, sunday: dt.date) -> str:
    from bot.render import render_plan

    assert runner.id is not None
    monday = week_start_of(sunday)
    async with runtime(app).sessions() as db:
        stats = await repo.week_numbers(db, runner_id=runner.id, monday=monday)
        streak = await weeks_streak(db, runner, monday)
    planned = len(plan_for(runner, monday).sessions)
    summary = texts.WEEKLY_SUMMARY.format(
        done=stats["done"],
        planned=planned,
        skipped=stats["skipped"],
        pain=stats["pain"],
        streak=streak,
        weeks="week" if streak == 1 else "weeks",
    )
    upcoming = render_plan(plan_for(runner, monday + dt.timedelta(days=7)))[0]
    return _fit(f"{summary}\n\n{texts.WEEKLY_NEXT}\n\n{upcoming}")


async def weeks_streak(db: AsyncSession, runner: Runner, monday: dt.date) -> int:
    """Weeks in a row, ending with this one, with at least the planned sessions done."""
    assert runner.id is not None
    mondays = [monday - dt.timedelta(weeks=back) for back in range(STREAK_WEEKS)]
    done = await repo.done_per_week(
        db, runner_id=runner.id, first_monday=mondays[-1], last_monday=monday
    )
    # Planned lazily: the rule stops reading at the first week that breaks the streak.
    weeks = ((len(plan_for(runner, start).sessions), done.get(start, 0)) for start in mondays)
    return week_streak(weeks)


def _fit(text: str) -> str:
    return text if len(text) <= TELEGRAM_LIMIT else text[: TELEGRAM_LIMIT - 1] + "…"


# --- the jobs --------------------------------------------------------------------------------


async def dispatch_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send what is due, batch after batch while batches come back full, so a clustered
    07:00 drains at the limit instead of one batch per tick. A tick that finds the previous
    one still draining leaves it to carry on."""
    app = context.application
    lock = app.bot_data.setdefault(DISPATCH_LOCK_KEY, asyncio.Lock())
    if lock.locked():
        return
    async with lock, _database_away("reminder dispatch"), _leading(app) as leader:
        if not leader:
            return  # another process sends reminders now: one pace for Telegram's limit
        rt = runtime(app)
        report = await dispatch_due(app, drain=lambda: app.running)
        rt.last_dispatch = rt.clock()
        if report.sent or report.expired or report.failed:
            log.info(
                "reminders: %s sent, %s expired, %s deferred, %s failed",
                report.sent,
                report.expired,
                report.deferred,
                report.failed,
            )


# The PostgreSQL advisory lock held by the process that sends reminders.
LEADER_LOCK_KEY = -7_260_001


@contextlib.asynccontextmanager
async def _leading(app: App) -> AsyncIterator[bool]:
    """On PostgreSQL, only one process dispatches at a time, so two processes together keep
    one pace under Telegram's limit; the lock goes with the connection if the process dies.
    SQLite has one process (a second one is refused at start)."""
    rt = runtime(app)
    if not rt.locks.postgres:
        yield True
        return
    async with rt.engine.connect() as connection:
        result = await connection.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK_KEY}
        )
        leader = bool(result.scalar())
        await connection.commit()
        try:
            yield leader
        finally:
            if leader:
                await connection.execute(
                    sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LEADER_LOCK_KEY}
                )
                await connection.commit()


@contextlib.asynccontextmanager
async def _database_away(job: str) -> AsyncIterator[None]:
    """A database that cannot be reached is one line per tick, not a traceback: the next tick
    tries again and loses nothing (every reminder is a row)."""
    try:
        yield
    except (sa.exc.DBAPIError, OSError) as error:
        text = str(getattr(error, "orig", None) or error).strip()
        first = text.splitlines()[0] if text else repr(error)
        log.error("%s: database unreachable, trying again next tick: %s", job, first[:200])


async def horizon_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    async with _database_away("reminder horizon"):
        extended = await extend_horizons(context.application)
        if extended:
            log.info("reminders extended for %s runners", extended)


def schedule_jobs(app: App) -> None:
    """One repeating dispatcher and one horizon job: nothing per runner."""
    assert app.job_queue is not None
    runtime(app).sender.pace = pace_of(app).reply_turn  # one pace for replies and reminders
    every = runtime(app).settings.reminder_dispatch_seconds
    # Two instances: a tick during a long drain returns at once instead of being skipped
    # with a warning by the scheduler.
    # APScheduler drops a run that starts more than a second late (its default misfire
    # grace), with a warning: a tick delayed by a busy loop runs late instead, and ticks
    # missed altogether run once.
    late = {"misfire_grace_time": None, "coalesce": True}
    app.job_queue.run_repeating(
        dispatch_job,
        interval=every,
        first=min(1.0, every),
        job_kwargs={"max_instances": 2, **late},
    )
    app.job_queue.run_repeating(
        horizon_job, interval=HORIZON_EVERY_SECONDS, first=5.0, job_kwargs=late
    )
