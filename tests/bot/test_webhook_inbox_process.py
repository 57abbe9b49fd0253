"""Real `runcoach run --webhook` processes and the inbox (issue 11): an update that got its
200 is never lost, even to kill -9; two processes on one PostgreSQL act as one; a database
outage answers 503 so Telegram sends again, and nothing is lost."""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from bot import texts
from bot.standin import BotApiStandIn
from bot.web import SECRET_HEADER
from storage.db import upgrade
from storage.inbox import Outgoing, add_replies
from tests.bot.conftest import WORKED_WEEK, Clock, Coach
from tests.bot.http_standin import HttpStandIn
from tests.bot.test_webhook_process import SECRET, Bot, _start

ANSWERS = ("/start", "no race", WORKED_WEEK, "2", "25")
RUNNERS = range(8100, 8120)


@pytest.fixture
async def slow_api() -> AsyncIterator[HttpStandIn]:
    """The Bot API answering in 100 ms, as Telegram does."""
    async with HttpStandIn(BotApiStandIn(latency=0.1)) as server:
        yield server


async def _expected(tmp_path: Path) -> list[str]:
    """What one runner sees for ANSWERS when nothing goes wrong (an in-process coach)."""
    url = f"sqlite:///{tmp_path / 'reference.sqlite3'}"
    await upgrade(url)
    async with Coach(url, Clock(dt.datetime.now(dt.UTC))) as coach:
        for answer in ANSWERS:
            await coach.send(answer)
        return coach.texts()


async def _post(port: int, body: dict[str, Any]) -> int:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        answer = await client.post("/telegram", json=body, headers={SECRET_HEADER: SECRET})
        return answer.status_code


def _seen(api: HttpStandIn, chat: int) -> list[str]:
    return [m.get("text", "") for m in api.standin.sent_to(chat)]


async def _all_answered(bot: Bot, api: HttpStandIn, expected: list[str]) -> None:
    async def done() -> bool:
        return all(_seen(api, chat)[-1:] == expected[-1:] for chat in RUNNERS)

    await bot.until("every runner's last question", done)


async def test_updates_acknowledged_before_a_kill_are_all_handled_after_it(
    tmp_path: Path, slow_api: HttpStandIn, db_url: str
):
    expected = await _expected(tmp_path)
    bot = await _start(tmp_path, slow_api, DATABASE_URL=db_url, REPLY_LEASE_SECONDS="1")
    statuses = []
    for answer in ANSWERS:  # every runner's first answer, then every runner's second...
        for chat in RUNNERS:
            body = slow_api.standin.text_update_data(chat, answer, chat)
            statuses.append(await _post(bot.port, body))
    bot.process.send_signal(signal.SIGKILL)  # right after the last 200
    await bot.process.wait()
    assert statuses == [200] * len(statuses)
    handled_before = sum(len(_seen(slow_api, chat)) for chat in RUNNERS)
    assert handled_before < len(expected) * len(RUNNERS)  # the kill came with work left

    again = await _start(tmp_path, slow_api, DATABASE_URL=db_url, REPLY_LEASE_SECONDS="1")
    try:
        await _all_answered(again, slow_api, expected)
    finally:
        assert await again.stop() == 0, again.output()
    repeated = 0
    for chat in RUNNERS:
        seen = _seen(slow_api, chat)
        # Every message, in order; one on its way at the kill may have arrived twice.
        deduplicated = [t for i, t in enumerate(seen) if i == 0 or t != seen[i - 1]]
        assert deduplicated == expected, (chat, seen)
        repeated += len(seen) - len(expected)
    assert repeated <= 8  # at most the replies that were in flight when it died


LEFT = 150  # replies a dead process committed and never sent: 5 s at Telegram's 30 a second


async def test_a_restart_with_replies_left_to_send_listens_before_they_are_sent(
    tmp_path: Path, slow_api: HttpStandIn
):
    # A process committed a backlog's replies and was killed before sending them. Its
    # successor sends them at Telegram's pace; meanwhile Telegram's POSTs must get their
    # 200 (before, the web server opened only once every one had gone: 10-40 s behind a
    # backlog in the benchmarks' kill -9, bench/README.md, figure 8).
    url = f"sqlite:///{tmp_path / 'rc.sqlite3'}"
    await upgrade(url)
    left = [Outgoing("sendMessage", 9000 + n, {"text": f"left {n}"}) for n in range(LEFT)]
    async with (
        Coach(url, Clock(dt.datetime.now(dt.UTC))) as dead,
        dead.app.bot_data["runtime"].locks.transaction() as db,
    ):
        await add_replies(
            db, replies=left, update_id=None, now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        )
    bot = await _start(tmp_path, slow_api, RATE_LIMIT_PER_SECOND="30")
    try:
        runner = RUNNERS[0]
        status = await _post(bot.port, slow_api.standin.text_update_data(runner, "/start", runner))
        left_by_then = sum(len(_seen(slow_api, 9000 + n)) for n in range(LEFT))

        async def all_sent() -> bool:
            return all(_seen(slow_api, 9000 + n) == [f"left {n}"] for n in range(LEFT)) and (
                texts.ASK_GOAL in _seen(slow_api, runner)
            )

        await bot.until("the left replies and the answer", all_sent)
    finally:
        assert await bot.stop() == 0, bot.output()
    assert status == 200
    assert left_by_then < LEFT  # it listened while they were still on their way


async def _admin(url: str) -> asyncpg.Connection:
    parsed = make_url(url)
    return await asyncpg.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        database="postgres",
    )


async def test_two_webhook_processes_on_one_postgresql_act_as_one(
    tmp_path: Path, slow_api: HttpStandIn, postgres_url: str
):
    expected = await _expected(tmp_path)
    one = await _start(tmp_path, slow_api, DATABASE_URL=postgres_url)
    two = await _start(tmp_path, slow_api, DATABASE_URL=postgres_url)
    try:
        for answer in ANSWERS:
            # A load balancer: each runner's answers alternate between the processes, and
            # all runners' answers of a round arrive at once.
            bodies = [slow_api.standin.text_update_data(c, answer, c) for c in RUNNERS]
            ports = [(one if i % 2 else two).port for i in range(len(bodies))]
            if answer != ANSWERS[0]:
                ports.reverse()
            statuses = await asyncio.gather(
                *(_post(p, b) for p, b in zip(ports, bodies, strict=True))
            )
            assert set(statuses) == {200}
        await _all_answered(one, slow_api, expected)
    finally:
        assert await one.stop() == 0, one.output()
        assert await two.stop() == 0, two.output()
    for chat in RUNNERS:
        assert _seen(slow_api, chat) == expected, chat  # nothing lost, doubled or reordered


def _health_is(port: int, status: int) -> Any:
    """A check for `Bot.until`: /health answers `status` (it reuses an answer for a second)."""

    async def check() -> bool:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            return (await client.get("/health")).status_code == status

    return check


async def test_a_database_outage_answers_503_and_loses_nothing(
    tmp_path: Path, slow_api: HttpStandIn, postgres_url: str
):
    name = make_url(postgres_url).database
    bot = await _start(tmp_path, slow_api, DATABASE_URL=postgres_url)
    admin = await _admin(postgres_url)
    try:
        body = slow_api.standin.text_update_data(RUNNERS[0], "/start", RUNNERS[0])
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
        assert await _post(bot.port, body) == 503  # Telegram will send it again
        await bot.until("/health to report the outage", _health_is(bot.port, 503))
        assert _seen(slow_api, RUNNERS[0]) == []
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert await _post(bot.port, body) == 200  # the redelivery

        async def answered() -> bool:
            return texts.ASK_GOAL in _seen(slow_api, RUNNERS[0])

        await bot.until("the answer to the redelivered /start", answered)
        await bot.until("/health to report the recovery", _health_is(bot.port, 200))
        assert texts.SOMETHING_WENT_WRONG not in _seen(slow_api, RUNNERS[0])
        assert _seen(slow_api, RUNNERS[0]).count(texts.ASK_GOAL) == 1
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()
        assert await bot.stop() == 0, bot.output()
    assert "Traceback" not in bot.output()  # an outage is a line per event, not a flood
