"""A reply a live sender holds is sent by nobody else (issue 19).

With a lease of one second on a loaded machine, the sweep took over replies whose sender was
still at them (waiting for the chat's one-a-second slot, or for Telegram's answer), and some
reached the runner twice. The rule now: a reply is held by the sender that claimed it until
its outcome is recorded; the sweep (here or in another process) takes over only a reply whose
lease has run out and whose process is gone. Time is the test clock; Telegram's slowness is
a stand-in that holds its answer until the test lets it go.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlmodel import select

from bot import texts
from bot.standin import BotApiStandIn
from storage.tables import Reply
from tests.bot.conftest import Clock, Coach

LEASE = dt.timedelta(seconds=1)  # what the process tests run with (REPLY_LEASE_SECONDS=1)


class SlowAnswer(BotApiStandIn):
    """Telegram that takes the first sendMessage at once (the runner sees it) and answers it
    only when the test says so (`answer`): a slow round trip on a loaded machine."""

    def __init__(self) -> None:
        super().__init__()
        self.answer = asyncio.Event()
        self.arrived = asyncio.Event()

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> Any:
        result = await super().do_request(url, method, *args, **kwargs)
        if url.endswith("/sendMessage") and not self.arrived.is_set():
            self.arrived.set()
            await self.answer.wait()
        return result


class Slots:
    """A send pace the test hands out slot by slot (`grant`); `asked` counts the asks."""

    def __init__(self) -> None:
        self.asked = 0
        self._granted = asyncio.Semaphore(0)

    async def __call__(self, chat_id: int, message: bool = True) -> None:
        self.asked += 1
        await self._granted.acquire()

    def grant(self, n: int = 1) -> None:
        for _ in range(n):
            self._granted.release()


def _runtime(coach: Coach) -> Any:
    return coach.app.bot_data["runtime"]


def _sent(*coaches: Coach) -> list[str]:
    """Every sendMessage text that reached Telegram, from any of the processes."""
    return [
        str(params.get("text"))
        for coach in coaches
        for method, params in coach.standin.calls
        if method == "sendMessage"
    ]


async def _pending(coach: Coach) -> list[Reply]:
    async with _runtime(coach).sessions() as db:
        return list((await db.exec(select(Reply))).all())


async def _soon(awaitable: Any) -> Any:
    return await asyncio.wait_for(awaitable, timeout=10)


async def _until(done: Any) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while not done():
        if loop.time() > deadline:
            raise AssertionError("it never happened")
        await asyncio.sleep(0.005)


async def test_a_reply_whose_answer_is_slow_is_not_sent_again_by_the_sweep(
    db_url: str, clock: Clock
) -> None:
    standin = SlowAnswer()
    async with Coach(db_url, clock, standin, reply_lease_seconds=LEASE.total_seconds()) as coach:
        inbox = _runtime(coach).inbox
        await inbox.start()
        try:
            turn = asyncio.ensure_future(coach.send("/help"))
            await _soon(standin.arrived.wait())  # the runner has it; Telegram's answer lags
            # Five leases later the answer is still on its way, and the sweep runs (as it
            # does every two seconds): the reply's sender is alive and holds it.
            clock.now += 5 * LEASE
            await _soon(inbox.sweep())
            standin.answer.set()
            await _soon(turn)
            await _soon(inbox.sweep())
        finally:
            await inbox.stop()
        assert _sent(coach) == [texts.HELP]
        assert await _pending(coach) == []


async def test_a_reply_waiting_for_the_chats_slot_is_left_to_its_sender(
    db_url: str, clock: Clock
) -> None:
    async with Coach(db_url, clock, reply_lease_seconds=LEASE.total_seconds()) as coach:
        rt = _runtime(coach)
        slots = rt.sender.pace = Slots()
        await rt.inbox.start()
        try:
            turn = asyncio.ensure_future(coach.send("/start"))  # the welcome, the first question
            await _until(lambda: slots.asked == 1)
            slots.grant()  # the welcome goes out
            await _until(lambda: slots.asked == 2)
            # The question waits for the chat's next second far longer than the lease (a
            # burst, a 429): the sweep leaves it to its sender.
            clock.now += 5 * LEASE
            await _soon(rt.inbox.sweep())
            slots.grant(10)  # the question, and any sweep's sends if it had taken them
            await _soon(turn)
            await _soon(rt.inbox.sweep())
        finally:
            slots.grant(100)  # whatever happened, nothing is left waiting for a slot
            await rt.inbox.stop()
        assert _sent(coach) == [texts.WELCOME.format(name="Runner"), texts.ASK_GOAL]
        assert slots.asked == 2  # nobody else even queued to send them
        assert await _pending(coach) == []


async def test_another_process_takes_over_only_the_replies_of_a_process_that_died(
    db_url: str, clock: Clock
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite is served by one process (a second one is refused at start)")
    slow = SlowAnswer()
    lease = LEASE.total_seconds()
    async with (
        Coach(db_url, clock, slow, reply_lease_seconds=lease) as first,
        Coach(db_url, clock, reply_lease_seconds=lease) as second,
    ):
        await _runtime(first).inbox.start()
        await _runtime(second).inbox.start()
        try:
            turn = asyncio.ensure_future(first.send("/help"))
            await _soon(slow.arrived.wait())
            clock.now += 5 * LEASE
            # The first process is alive and still waiting for Telegram's answer: the second
            # one's sweep leaves its reply alone however old the claim is.
            assert await _soon(_runtime(second).sender.send_stale()) == 0
            # Now the first one dies before it could record the send (as a kill -9 would:
            # its connection, and with it its lock, are gone).
            turn.cancel()
            await asyncio.gather(turn, return_exceptions=True)
            await _runtime(first).sender.stop()
            assert len(await _pending(second)) == 1
            # Its lease has run out and nobody holds it: sent again by the second process,
            # the repeat a crash between the send and its record can cause.
            assert await _soon(_runtime(second).sender.send_stale()) == 1
        finally:
            await _runtime(second).inbox.stop()
            await _runtime(first).inbox.stop()
        assert _sent(first, second) == [texts.HELP, texts.HELP]
        assert await _pending(second) == []
