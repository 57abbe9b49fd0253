"""`runcoach run --webhook` as an operator runs it: a real process, attacked from outside.

The Bot API is the stand-in behind a local HTTP server (`http_standin`); the webhook port is
the real one the process opens. What is checked is what an operator sees: the output, the
process's memory (from /proc), and whether it still answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.settings import Settings
from bot.web import SECRET_HEADER
from tests.bot.http_standin import HttpStandIn

TOKEN = "123456:AAH" + "x7Kq2Lm9Np4Rs8Tv1Wy5Zb3Cd6Fg0H"
SECRET = "Wh-secret-never-logged-0123456789"
PUBLIC_URL = "https://coach.example.com"
RUNNER = 6161
DEADLINE = 30.0  # seconds for the bot process to do one thing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Bot:
    process: asyncio.subprocess.Process
    log: Path
    port: int

    def output(self) -> str:
        return self.log.read_text()

    def memory_kb(self, field: str = "VmRSS") -> int:
        """VmRSS (resident now) or VmHWM (the peak so far) of the bot process, in kB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise AssertionError(f"no {field} in /proc/{self.process.pid}/status")

    async def until(self, what: str, check: Callable[[], Any]) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DEADLINE
        while not await check():
            if self.process.returncode is not None:
                pytest.fail(f"exited ({self.process.returncode}) before {what}:\n{self.output()}")
            if loop.time() > deadline:
                pytest.fail(f"timed out waiting for {what}:\n{self.output()}")
            await asyncio.sleep(0.05)

    async def stop(self) -> int:
        """SIGTERM, as systemd or docker stop send it; the bot must exit by itself."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(15):
                return await self.process.wait()
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            pytest.fail(f"no exit within 15 s of SIGTERM:\n{self.output()}")


@pytest.fixture
async def bot_api() -> AsyncIterator[HttpStandIn]:
    async with HttpStandIn() as server:
        yield server


async def _start(
    tmp_path: Path,
    bot_api: HttpStandIn,
    *,
    files: int | None = None,
    **settings: str,
) -> Bot:
    """`runcoach run --webhook` on a SQLite file, with at most `files` open files if given."""
    own = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k.upper() not in own}
    port = _free_port()
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=bot_api.base_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'rc.sqlite3'}",
        WEBHOOK_URL=PUBLIC_URL,
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
        PTB_TIMEDELTA="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(settings)

    def limit_files() -> None:  # in the child, before it runs Python
        if files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

    log = tmp_path / f"bot-{port}.log"
    with log.open("wb") as out:  # a file, not a pipe: a DEBUG log never stalls the bot
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--webhook",
            cwd=tmp_path,  # no stray .env
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
            preexec_fn=limit_files,
        )
    bot = Bot(process, log, port)
    client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}")

    async def healthy() -> bool:
        try:
            return (await client.get("/health")).status_code == 200
        except httpx.TransportError:
            return False

    try:
        await bot.until("GET /health", healthy)
    finally:
        await client.aclose()
    return bot


async def test_the_webhook_secret_never_reaches_the_output_at_debug(
    tmp_path: Path, bot_api: HttpStandIn
):
    bot = await _start(tmp_path, bot_api, LOG_LEVEL="DEBUG")
    try:

        async def webhook_set() -> bool:
            return bot_api.standin.webhook_url == PUBLIC_URL + "/telegram"

        await bot.until("setWebhook", webhook_set)
        assert bot_api.standin.calls_to("setWebhook")[-1]["secret_token"] == SECRET
        body = bot_api.standin.text_update_data(RUNNER, "/start")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{bot.port}") as client:
            answer = await client.post("/telegram", json=body, headers={SECRET_HEADER: SECRET})
        assert answer.status_code == 200

        async def replied() -> bool:
            return bool(bot_api.standin.sent_to(RUNNER))

        await bot.until("the reply to /start", replied)
    finally:
        code = await bot.stop()
    output = bot.output()
    assert code == 0, output
    assert "DEBUG" in output and "setWebhook" in output  # the verbose log was written
    assert "<secret>" in output  # PTB logged setWebhook's parameters, redacted
    assert SECRET not in output and SECRET[:12] not in output
    assert TOKEN.split(":")[1] not in output


async def _slow_body(port: int, secret: str, size: int = 1_000_000) -> int | None:
    """Headers promising `size` bytes, then the body in slow pieces; the status, if any."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    answer = asyncio.ensure_future(reader.readline())  # read while sending, as browsers do
    try:
        writer.write(
            (
                f"POST /telegram HTTP/1.1\r\nHost: x\r\n{SECRET_HEADER}: {secret}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
            ).encode()
        )
        piece = b" " * (size // 20)
        with contextlib.suppress(ConnectionError):  # hung up on, mid-body
            for _ in range(20):
                writer.write(piece)
                await writer.drain()
                await asyncio.sleep(0.05)  # slow: the body takes a second
        line = await asyncio.wait_for(answer, 5)
        return int(line.split()[1]) if line else None
    except (ConnectionError, TimeoutError):
        return None
    finally:
        answer.cancel()
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def test_slow_unauthenticated_bodies_cost_no_memory(tmp_path: Path, bot_api: HttpStandIn):
    bot = await _start(tmp_path, bot_api)
    try:
        before = bot.memory_kb("VmHWM")
        results = await asyncio.gather(*(_slow_body(bot.port, "wrong") for _ in range(300)))
        peak = bot.memory_kb("VmHWM")
        assert set(results) <= {403, None}  # 403 at once; later writes meet a closed socket
        assert 403 in results
        # 300 MB of bodies were sent; none of it was kept, not even for a moment.
        assert peak - before < 20_000, (before, peak)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{bot.port}") as client:
            assert (await client.get("/health")).status_code == 200
    finally:
        code = await bot.stop()
    assert code == 0, bot.output()
    assert "Traceback" not in bot.output()


async def test_a_flood_of_slow_connections_at_a_low_file_limit(
    tmp_path: Path, bot_api: HttpStandIn
):
    # 256 open files, as a careless unit might allow, and a cap set far above it.
    bot = await _start(tmp_path, bot_api, files=256, WEB_MAX_CONNECTIONS="1000")
    held: list[asyncio.StreamWriter] = []
    try:
        assert "serving at most 156 connections" in bot.output()
        for _ in range(600):  # slow clients: they connect and send nothing
            _, writer = await asyncio.open_connection("127.0.0.1", bot.port)
            held.append(writer)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{bot.port}") as client:

            async def full() -> bool:
                return "connections open, the most allowed" in bot.output()

            await bot.until("the cap", full)
            for writer in held:
                writer.close()
            held.clear()

            async def healthy() -> bool:
                try:
                    return (await client.get("/health")).status_code == 200
                except httpx.TransportError:
                    return False

            await bot.until("GET /health after the flood", healthy)
    finally:
        for writer in held:
            writer.close()
        code = await bot.stop()
    output = bot.output()
    assert code == 0, output
    assert "Traceback" not in output and "Too many open files" not in output
    assert sum("connections open" in line for line in output.splitlines()) <= 3
