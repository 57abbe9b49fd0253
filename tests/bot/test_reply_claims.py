"""Replies committed and not yet sent: who sends them, when, and in what order.

What the process tests (test_turns_process.py) found, pinned down in-process with the test
clock: replies a dead process left go out before the next turn's, and a reply whose sender
is still at it (waiting for a send slot, or on a 429) is not taken over and sent twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from sqlmodel import select

from bot import texts
from storage import inbox as store
from storage.inbox import Outgoing
from storage.tables import Reply
from tests.bot.conftest import Clock, Coach

LEASE = dt.timedelta(seconds=30)  # REPLY_LEASE_SECONDS' default


def _runtime(coach: Coach) -> Any:
    return coach.app.bot_data["runtime"]


async def _pending(coach: Coach) -> list[Reply]:
    async with _runtime(coach).sessions() as db:
        return list((await db.exec(select(Reply))).all())


async def test_replies_a_dead_process_left_go_out_first_and_once(db_url: str, clock: Clock):
    postgres = db_url.startswith("postgresql")
    # The process before: a turn committed three replies, then it died before sending any.
    # On PostgreSQL they are taken over once their lease has run out (another live process
    # might be sending them); on SQLite, the only process, at once.
    left_at = clock.now - (LEASE + dt.timedelta(seconds=1) if postgres else dt.timedelta(1))
    async with Coach(db_url, clock) as dead, _runtime(dead).locks.transaction() as db:
        await store.add_replies(
            db,
            replies=[Outgoing("sendMessage", 42, {"text": f"left {n}"}) for n in range(3)],
            update_id=None,
            now=left_at,
        )
    async with Coach(db_url, clock) as coach:
        inbox = _runtime(coach).inbox
        # The runner's next message was stored before the restart, as polling would.
        await inbox.accept(coach.standin.text_update(42, "/help", 42).to_dict())
        await inbox.start()
        await inbox.idle()
        await inbox.stop()
        assert coach.texts() == ["left 0", "left 1", "left 2", texts.HELP]
        assert await _pending(coach) == []


class Slots:
    """A send pace the test hands out slot by slot (`grant`), or to every later send
    (`open`); `asked` counts the sends that asked for one."""

    def __init__(self) -> None:
        self.asked = 0
        self.open = False
        self._granted = asyncio.Semaphore(0)

    async def __call__(self, chat_id: int, message: bool = True) -> None:
        self.asked += 1
        if not self.open:
            await self._granted.acquire()

    def grant(self) -> None:
        self._granted.release()


async def _soon(awaitable: Any) -> Any:
    """What `awaitable` gives, failing the test instead of hanging if it never comes."""
    return await asyncio.wait_for(awaitable, timeout=10)


async def _until(done: Any) -> None:
    """Let the other tasks run until `done()`, for at most 10 s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while loop.time() < deadline:
        if done():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("it never happened")


async def test_a_slow_sender_renews_its_claim_and_nothing_goes_twice(db_url: str, clock: Clock):
    async with Coach(db_url, clock) as coach:
        rt = _runtime(coach)
        slots = rt.sender.pace = Slots()
        turn = asyncio.ensure_future(coach.send("/start"))  # the welcome and the first question
        await _until(lambda: slots.asked == 1)
        # The first reply waits for its slot for 20 s (a reminder burst, a 429): past half
        # the lease, so its sender renews its claim on both replies before sending.
        clock.now += dt.timedelta(seconds=20)
        slots.grant()
        await _until(lambda: slots.asked == 2)
        # The second waits as long again: 40 s after the commit, but 20 s after the renewal,
        # so a sweep (here or in another process) leaves it to its sender.
        clock.now += dt.timedelta(seconds=20)
        assert await _soon(rt.sender.send_stale()) == 0
        slots.open = True
        slots.grant()
        await _soon(turn)
        assert coach.texts() == [texts.WELCOME.format(name="Runner"), texts.ASK_GOAL]
        assert await _pending(coach) == []


async def test_a_reply_sent_while_the_database_was_away_is_not_sent_again(
    db_url: str, clock: Clock, monkeypatch: Any
) -> None:
    async with Coach(db_url, clock) as coach:
        rt = _runtime(coach)
        finish = store.finish_replies

        async def away(*args: Any, **kwargs: Any) -> None:
            raise OSError("the database went away")

        # Sent, and the outcome cannot be written: the reply stays pending in the table.
        monkeypatch.setattr(store, "finish_replies", away)
        await coach.send("/help")
        assert len(await _pending(coach)) == 1
        # The database is back, and the lease has long run out: the sweep writes what it
        # kept instead of taking the reply for one a dead process left.
        monkeypatch.setattr(store, "finish_replies", finish)
        clock.now += LEASE * 2
        assert await _soon(rt.sender.send_stale()) == 0
        assert coach.texts() == [texts.HELP]
        assert await _pending(coach) == []


async def test_a_runner_waiting_for_earlier_replies_holds_up_nobody_else(
    db_url: str, clock: Clock
) -> None:
    async with Coach(db_url, clock) as coach:
        rt = _runtime(coach)
        rt.inbox._slots = asyncio.Semaphore(1)  # MAX_CONCURRENT_TURNS=1: one turn at a time
        # Runner 42 has a reply committed moments ago by a process that may still be
        # sending it: their next turn waits for it, up to the lease.
        async with rt.locks.transaction() as db:
            await store.add_replies(
                db,
                replies=[Outgoing("sendMessage", 42, {"text": "on its way"})],
                update_id=None,
                now=clock.now,
            )
        await rt.inbox.accept(coach.standin.text_update(42, "/help", 42).to_dict())
        await rt.inbox.accept(coach.standin.text_update(43, "/help", 43).to_dict())
        await _until(lambda: coach.texts(43) == [texts.HELP])  # 43 is not kept waiting
        assert coach.texts(42) == []
        clock.now += LEASE + dt.timedelta(seconds=1)  # nobody sent it: it is taken over
        await _soon(rt.inbox.idle())
        assert coach.texts(42) == ["on its way", texts.HELP]
