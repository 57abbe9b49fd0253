"""The inbox worker: updates are stored first, then handled, each runner's in order.

Telegram is told an update arrived (the webhook's 200, the next getUpdates offset) only
after the update is committed to the `inbox` table. The worker then hands each stored
update to the Application; the turn marks it handled in its own transaction
(`bot.turns`), so nothing acknowledged is lost and nothing is handled twice.

Different runners' updates are handled side by side (up to `concurrency` at once); one
runner's run one after another in `update_id` order. An update whose turn fails is retried
with backoff, and after `MAX_ATTEMPTS` the runner is told something went wrong and the
update is closed. A sweep every few seconds picks up what a crashed process (or another
one) left, and prunes handled rows after a day.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import Application

from bot import texts
from bot.runtime import runtime
from bot.turns import CURRENT, TurnState
from storage import inbox as store

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

MAX_ATTEMPTS = 3
SWEEP_SECONDS = 2.0
# An update another live process received may be under way there: left alone this long.
OTHERS_GRACE = dt.timedelta(seconds=10)
KEEP_HANDLED = dt.timedelta(days=1)
# A runner's waiting updates read at once (one statement), then handled in order.
BATCH = 8


class Inbox:
    """Stores updates and runs the turns for them."""

    def __init__(self, app: App, *, concurrency: int = 64) -> None:
        self.app = app
        self.concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)
        self._drains: dict[int | None, asyncio.Task[None]] = {}
        self._again: set[int | None] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self._told: set[int] = set()  # updates whose runner was told it failed
        self._last_prune: dt.datetime | None = None

    # --- taking updates in ---------------------------------------------------------------

    async def accept(self, data: dict[str, Any]) -> None:
        """Store one update (the webhook); returns once it is committed. Raises if the
        database cannot take it, so the caller answers Telegram with an error."""
        await self.accept_many([data])

    async def accept_many(self, updates: Sequence[dict[str, Any]]) -> None:
        """Store a batch (polling), committed before this returns; then handle it."""
        rt = runtime(self.app)
        async with rt.locks.transaction() as db:
            new = set(await store.store_updates(db, updates=updates, now=rt.clock()))
        for data in updates:
            if data["update_id"] in new:
                self.kick(store.user_of(data))

    def kick(self, user_id: int | None) -> None:
        """Make sure this user's waiting updates are being handled."""
        if user_id in self._drains:
            self._again.add(user_id)  # the drain under way looks once more before it ends
            return
        task = asyncio.get_running_loop().create_task(self._drain(user_id))
        self._drains[user_id] = task

    async def idle(self) -> None:
        """Wait until every update stored so far is handled (tests, shutdown)."""
        while self._drains:
            await asyncio.gather(*self._drains.values(), return_exceptions=True)

    # --- handling ----------------------------------------------------------------------

    async def _drain(self, user_id: int | None) -> None:
        rt = runtime(self.app)
        try:
            while True:
                self._again.discard(user_id)  # a kick from here on means: look again
                async with self._slots, rt.sessions() as db:
                    rows, replies_waiting = await store.next_unhandled(
                        db, user_id=user_id, limit=BATCH
                    )
                if not rows:
                    if user_id in self._again:
                        continue
                    return
                if replies_waiting and user_id is not None:
                    # Replies already committed to this runner (left by a process that
                    # died, or on their way from another) go out before their next turn:
                    # waited for here, without holding one of the turn slots.
                    await rt.sender.wait_for_chat(user_id)
                for row in rows:
                    async with self._slots:
                        ended = await self._handle(row.update_id, row.payload, row.attempts)
                    if ended == "failed":  # let the database or the bug settle first
                        await asyncio.sleep(min(0.5 * 2**row.attempts, 10.0))
                    if ended != "done":  # failed, or another process has an earlier one
                        break
                else:
                    if len(rows) < BATCH and user_id not in self._again:
                        return  # all there was, and nothing new arrived here since
        except Exception as error:  # the database is gone: the sweep tries again later
            log.error("inbox: updates of user %s wait: %s", user_id, error)
        finally:
            self._drains.pop(user_id, None)

    async def _handle(self, update_id: int, payload: dict[str, Any], attempts: int) -> str:
        """Run the update's turn: "done" (handled or closed), "failed" (to be tried again)
        or "later" (another process has an earlier update of this runner: look again)."""
        rt = runtime(self.app)
        state = TurnState(update_id)
        token = CURRENT.set(state)
        try:
            update = Update.de_json(payload, self.app.bot)
            await self.app.process_update(update)
        except Exception as error:  # an update PTB cannot read is closed, not retried
            log.error("inbox: update %s could not be read: %s", update_id, error)
            state.outcome, state.error = "unreadable", error
        finally:
            CURRENT.reset(token)
        if state.outcome in ("mine", "done"):
            return "done"
        if state.outcome == "later":  # another process has this runner's earlier update
            await asyncio.sleep(0.05)
            return "later"
        if state.outcome in ("", "unreadable"):  # no turn ran (a group, a flood, an edit)
            async with rt.locks.transaction() as db:
                await store.mark_handled(db, update_id=update_id, now=rt.clock())
            return "done"
        reason = repr(state.error)
        give_up = attempts + 1 >= MAX_ATTEMPTS
        log.error(
            "inbox: update %s failed (attempt %s of %s): %s",
            update_id,
            attempts + 1,
            MAX_ATTEMPTS,
            reason,
        )
        async with rt.locks.transaction() as db:
            await store.record_failure(
                db, update_id=update_id, error=reason, give_up=give_up, now=rt.clock()
            )
        if give_up:
            await self._tell_failed(update_id, payload)
            return "done"
        return "failed"

    async def _tell_failed(self, update_id: int, payload: dict[str, Any]) -> None:
        """The runner hears that this message could not be handled (and nothing changed)."""
        if update_id in self._told:
            return
        self._told.add(update_id)
        chat = Update.de_json(payload, self.app.bot).effective_chat
        if chat is None:
            return
        try:
            await self.app.bot.send_message(chat.id, texts.SOMETHING_WENT_WRONG)
        except TelegramError as error:
            log.error(
                "inbox: could not tell chat %s about update %s: %s", chat.id, update_id, error
            )

    # --- the sweep ---------------------------------------------------------------------

    async def start(self) -> None:
        """Handle what was left from before, then sweep every few seconds. Returns before
        that first sweep has sent what a dead process left: a restart behind a backlog
        listens at once (the webhook's 200s, the next getUpdates) instead of after minutes
        of replies at Telegram's pace; a runner's new turn still waits for their own."""
        rt = runtime(self.app)
        if not rt.locks.postgres:
            # SQLite has this one process, so replies left pending from before it started
            # are a dead process's: sent at once. On PostgreSQL another process may be
            # sending them now: they wait for their lease.
            rt.sender.dead_before = rt.clock()
        await rt.sender.start(rt.engine)
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep_forever())

    async def stop(self) -> None:
        """Stop sweeping and let the turns under way finish."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        await self.idle()
        await runtime(self.app).sender.stop()

    async def _sweep_forever(self) -> None:
        everything = True  # the first sweep: whatever waits, however recent
        while True:
            try:
                await self.sweep(everything=everything)
            except Exception as error:
                log.error("inbox: sweep failed: %s", error)
            everything = False
            await asyncio.sleep(SWEEP_SECONDS)

    async def sweep(self, *, everything: bool = False) -> None:
        """Handle updates nobody is handling, send replies nobody sent, prune old rows."""
        rt = runtime(self.app)
        now = rt.clock()
        await rt.sender.start(rt.engine)  # takes this process's lock back if it was lost
        async with rt.sessions() as db:
            users = await store.waiting_users(
                db, received_before=None if everything else now - OTHERS_GRACE
            )
        for user_id in users:
            self.kick(user_id)
        try:
            await rt.sender.send_stale()
        except NetworkError as error:
            log.warning("inbox: replies left from before wait: %s", error)
        if self._last_prune is None or now - self._last_prune > dt.timedelta(hours=1):
            async with rt.locks.transaction() as db:
                pruned = await store.prune(db, before=now - KEEP_HANDLED)
            self._last_prune = now
            if pruned:
                log.info("inbox: pruned %s handled updates and replies", pruned)
