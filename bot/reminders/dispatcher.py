"""Sending what is due: claim a batch, check the claims of the sends about to start, send at
the pace, and write the outcomes as answers come back.

One repeating job (`bot.reminders.jobs`) calls `dispatch_due`. Rows are claimed in batches,
a claim left by a crashed process is retried after a lease, a row later than its grace window
is expired, and Telegram's answers (429, 403, a migrated chat, timeouts, network errors) each
end a row their own way (docs/architecture.md, "Reminders: the outbox"; `bot.reminders.sending`).

What composing a batch reads from the database (the runners, their weeks' changes and their
coaches' notes) is read once per batch, with the claim; the claims of the next sends are
checked in one query (`_Checks`); outcomes are written in groups. At 1,000 messages a second
one query per message cost more than the send (bench/README.md, figure 2).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
from collections.abc import Callable, Collection
from zoneinfo import ZoneInfo

from bot.coaching import ALERT_KINDS
from bot.pace import Pace
from bot.reminders.compose import Known, compose, read_known
from bot.reminders.outbox import is_paused
from bot.reminders.sending import (
    IN_FLIGHT,
    MAX_ATTEMPTS,
    DispatchReport,
    _Outcomes,
    _send,
    _Sending,
    write_group,
)
from bot.runtime import App, runtime
from core.illness import checkin_day, is_ill
from core.reminders import ReminderKind, is_stale
from storage import repo
from storage.tables import Runner

__all__ = ["BATCH", "IN_FLIGHT", "MAX_ATTEMPTS", "DispatchReport", "batch_size", "dispatch_due"]

log = logging.getLogger(__name__)

BATCH = 200
# A claim checked for a group of sends holds for the sends whose slots come within this long
# of the check, unless a runner's transaction commits in this process meanwhile (an erase).
CHECK_AHEAD = 0.05


def batch_size(rate: float, in_flight: int) -> int:
    """Rows per claim: about a second of the pace (at most BATCH), and at least twice the
    sends in flight. A row whose window opens while a batch drains waits for the next claim,
    so a batch of a second keeps a 07:20 strength reminder from waiting behind 200 morning
    messages (7 s at 30 a second: bench/README.md, figure 1b). With the limiter off, BATCH."""
    pace = math.ceil(rate) if rate > 0 else BATCH
    return max(2 * in_flight, min(BATCH, pace))


def sent_while_ill(runner: Runner, row: repo.Claimed) -> bool:
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
    the rate at 10 a second. Outcomes are written in groups as sends come back. At most
    `Settings.in_flight` sends are under way or answered and not yet written (8 at 30/s,
    about 100 at 1,000/s with paid broadcast): a crash repeats at most these. A batch holds
    `limit` rows (by default about a second of the pace, at most BATCH, at least twice the
    sends in flight).

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
    ) -> tuple[list[repo.Claimed], dict[int, Runner], Known]:
        async with rt.locks.transaction() as db:
            rows = await repo.claim_due_reminders(
                db, now=at, limit=batch, lease=lease, skip=skip, early=early
            )
            runners = await repo.runners_by_id(db, ids={r.runner_id for r in rows})
            known = await read_known(db, rows)
        report.claimed += len(rows)
        rt.last_dispatch = rt.clock()  # for /health, also during a long drain
        return rows, runners, known

    rows, runners, known = await claim(now)
    outcomes = _Outcomes(app, now)
    group = write_group(in_flight, rt.settings.rate_limit_per_second)
    sending = _Sending(outcomes, in_flight, group)
    try:
        while True:
            await _dispatch_batch(
                app, rows, runners, known, now, grace, report, outcomes, sending, pace
            )
            full = len(rows) == batch and sending.pause_until is None
            if drain is None or not full or not drain():
                break
            # This batch's last sends are on their way: claim the next one meanwhile. What
            # is known is written first, and the sends under way are not anyone's stale
            # claims (with a lease shorter than a batch they would look it).
            await outcomes.flush()
            now = outcomes.now = rt.clock()
            rows, runners, known = await claim(now, skip=sending.row_ids())
        await sending.collect(wait=True, until_empty=True)
    finally:
        await sending.abandon()
        if sending.pause_until is not None:  # even if the pass ends in an error
            pace.paused_until = sending.pause_until
            report.paused_until = sending.pause_until
        await outcomes.flush()
    return report


class _Checks:
    """Right before a send's slot: is its row still ours (not erased with its runner, nor
    taken over after a lease)? Checked in one query for the next sends of the batch, the ones
    whose slots come within CHECK_AHEAD; the answer is asked again after that, or as soon as a
    runner's transaction commits in this process (`RunnerLocks.runner_commits`: /delete, say;
    also after the slot, right before the send, if that runner's own committed while it
    waited: `unchanged`). Another
    process's erase (PostgreSQL) is seen within CHECK_AHEAD and the wait for the slot."""

    def __init__(self, app: App, pace: Pace, group: int) -> None:
        self.app = app
        self.pace = pace
        self.group = max(1, group)
        self.checked: set[int] = set()
        self.held: set[int] = set()
        self.at = 0.0
        self.commits = -1

    async def still_ours(self, rows: list[repo.Claimed], index: int) -> bool:
        row = rows[index]
        rt = runtime(self.app)
        now = self.pace.clock()
        if (
            row.id not in self.checked
            or now - self.at > CHECK_AHEAD
            or rt.locks.runner_commits != self.commits
        ):
            self.commits = rt.locks.runner_commits
            upcoming = rows[index : index + self.group]
            claims = [(r.id, r.claimed_at) for r in upcoming if r.id is not None and r.claimed_at]
            async with rt.sessions() as db:
                self.held = await repo.reminders_still_claimed(db, claims=claims)
            self.checked = {reminder_id for reminder_id, _ in claims}
            self.at = now
        return row.id in self.held

    def unchanged(self, runner: Runner) -> bool:
        """No transaction of this runner's (an erase) committed here since the last check:
        other runners' turns, which a burst beside conversations sees all the time, cost no
        query between a slot and its send."""
        return not runtime(self.app).locks.committed_since(self.commits, runner.telegram_user_id)


async def _dispatch_batch(
    app: App,
    rows: list[repo.Claimed],
    runners: dict[int, Runner],
    known: Known,
    now: dt.datetime,
    grace: dt.timedelta,
    report: DispatchReport,
    outcomes: _Outcomes,
    sending: _Sending,
    pace: Pace,
) -> None:
    """Start the send of every row of a batch that is still wanted; note the others."""
    busy_chats: set[int] = set()
    ahead = math.ceil(CHECK_AHEAD / pace.spacing) if pace.on else sending.in_flight
    checks = _Checks(app, pace, ahead)
    for index, row in enumerate(rows):
        assert row.id is not None
        runner = runners.get(row.runner_id)
        sending.notice()  # (outcomes are written right before a slot, below)
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
        message = await compose(app, row, runner, known)
        if message is None:  # nothing left to say (the session moved away)
            outcomes.later(row, repo.CANCELLED, error="nothing to send")
            report.cancelled += 1
            continue
        # Everything that waits (the outcomes' write, the claim's check) is done before the
        # slot, not between it and the send: a send held there by a write while the next
        # ones were not reached Telegram closer together than the pace (429s at 30/s).
        await sending.room()
        await sending.collect(wait=False)
        if sending.pause_until is None:
            if not await checks.still_ours(rows, index):
                # Erased (/delete) or taken over since the claim: not sent.
                outcomes.later(row, repo.CANCELLED, error="gone before sending")
                report.cancelled += 1
                continue
            await pace.turn()
            sending.notice()
        if sending.pause_until is not None:  # a 429 came back while this one waited
            outcomes.later(row, repo.PENDING, retry_at=sending.pause_until)
            report.deferred += 1
            continue
        if pace.chat_busy(runner.chat_id):
            # A reply to this chat took its slot while this one waited for its own (the
            # check above sees only what has left): sent now, one of the two would get a 429.
            outcomes.later(row, repo.PENDING, retry_at=now + dt.timedelta(seconds=1))
            report.deferred += 1
            continue
        pace.sent(runner.chat_id)  # taken before anything else waits: a reply sees it
        if not checks.unchanged(runner) and not await checks.still_ours(rows, index):
            # The runner's transaction committed while this one waited (an erase?): asked again.
            outcomes.later(row, repo.CANCELLED, error="gone before sending")
            report.cancelled += 1
            continue
        busy_chats.add(runner.chat_id)
        sending.start(row.id, _send(app, row, runner, message, now, report, outcomes))
        # The send's request leaves now, before the next row's work (its message, a write
        # of outcomes): held behind it, it would reach Telegram late for its slot and the
        # one `rate` slots later on time, 31 in a second (a 429).
        await asyncio.sleep(0)
