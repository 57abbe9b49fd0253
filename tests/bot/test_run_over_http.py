"""`runcoach run` as an operator starts it: a subprocess polling a Bot API over real HTTP.

The Bot API is the in-memory stand-in behind a local HTTP server (`http_standin`), so the bot's
own `HTTPXRequest`, `run_polling`, signal handling and settings are the ones in production.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.standin import BotApiStandIn
from tests.bot.http_standin import HttpStandIn

TOKEN = "123456:AAH" + "x7Kq2Lm9Np4Rs8Tv1Wy5Zb3Cd6Fg0H"
RUNNER = 4242
WEEK = (
    "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00, Fri rest, "
    "Sat long 08:00, Sun easy 09:00"
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEADLINE = 30.0  # seconds, for the whole wait on the bot process in one test
POLL = 0.05  # seconds between looks at what the other process has done so far
Message = dict[str, Any]

assert len(TOKEN.split(":")[1]) == 33


def _env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The parent's environment without any Telegram/runcoach settings, plus `overrides`."""
    own = {"TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "DATABASE_URL", "DATA_DIR", "LOG_LEVEL"}
    env = {k: v for k, v in os.environ.items() if k.upper() not in own}
    env.update(DATA_DIR=str(tmp_path / "data"), PTB_TIMEDELTA="1", PYTHONUNBUFFERED="1")
    env.update(overrides)
    return env


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    stdout: Path
    stderr: Path

    def output(self) -> str:
        return self.stdout.read_text() + self.stderr.read_text()


async def _start_bot(tmp_path: Path, env: dict[str, str]) -> BotProcess:
    stdout, stderr = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    # Files, not pipes: a chatty DEBUG log can never fill a pipe and stall the bot.
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,  # no stray .env is read
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    return BotProcess(process, stdout, stderr)


class Runner:
    """Plays the runner: queues updates and waits for the bot's answers, with one deadline."""

    def __init__(self, server: HttpStandIn, bot: BotProcess) -> None:
        self.server = server
        self.api: BotApiStandIn = server.standin
        self.bot = bot
        self.deadline = asyncio.get_running_loop().time() + DEADLINE

    def messages(self) -> list[Message]:
        return self.api.sent_to(RUNNER)

    async def wait_for(self, what: str, found: Callable[[], Any]) -> Any:
        loop = asyncio.get_running_loop()
        while True:
            result = found()
            if result:
                return result
            if self.bot.process.returncode is not None:
                pytest.fail(
                    f"the bot exited ({self.bot.process.returncode}) while waiting for {what}:\n"
                    f"{self.bot.output()}"
                )
            if loop.time() > self.deadline:
                texts_seen = [m.get("text", "") for m in self.messages()]
                pytest.fail(f"timed out waiting for {what}; the bot sent {texts_seen}")
            await asyncio.sleep(POLL)

    async def question(self, text: str) -> Message:
        """The bot's message that starts with `text` (its newest such one)."""

        def newest() -> Message | None:
            matching = [m for m in self.messages() if m.get("text", "").startswith(text)]
            return matching[-1] if matching else None

        message: Message = await self.wait_for(repr(text[:40]), newest)
        return message

    def type(self, text: str) -> None:
        self.api.queue_update(self.api.text_update_data(RUNNER, text))

    async def tap(self, question: str, label: str) -> None:
        """Wait for `question`, then tap its button labelled `label`."""
        message = await self.question(question)
        data = next(
            (d for row in self.api.buttons(message) for text, d in row if text == label), None
        )
        assert data is not None, f"no button {label!r} under {question!r}: {message}"
        self.api.queue_update(self.api.press_data(RUNNER, message["message_id"], data))

    async def onboard(self) -> list[str]:
        """The whole onboarding; returns the lines of the week overview shown at the end."""
        self.type("/start")
        await self.question(texts.WELCOME.format(name="Runner")[:30])
        await self.tap(texts.ASK_GOAL, "No race")
        await self.question(texts.ASK_WEEK[:30])
        self.type(WEEK)
        await self.tap(texts.ASK_SESSIONS, "2")
        await self.tap(texts.ASK_MINUTES, "25 min")
        await self.tap(texts.ASK_PLACEMENT, "After easy runs")
        await self.tap(texts.ASK_EQUIPMENT, "Bodyweight only")
        # The same question stays open with the choice ticked; then Done.
        await self.wait_for(
            "the ticked equipment button",
            lambda: any(
                text == "✅ Bodyweight only"
                for row in self.api.buttons(self.question_now(texts.ASK_EQUIPMENT))
                for text, _ in row
            ),
        )
        await self.tap(texts.ASK_EQUIPMENT, "Done")
        await self.tap(texts.ASK_TIMEZONE, "London")
        await self.tap(texts.ASK_NIGGLES, "None")
        await self.tap(texts.SUMMARY_TITLE, "✅ Confirm")
        done = await self.question(texts.SETUP_DONE)

        def plan() -> list[str] | None:
            """The week overview's day lines, once the bot has sent it."""
            after = [m["text"] for m in self.messages() if m["message_id"] > done["message_id"]]
            lines = [
                line
                for line in "\n".join(after).splitlines()
                if line.startswith(tuple(d[:3] for d in DAYS)) and " · " in line
            ]
            return lines if len(lines) >= len(_from_joining_day(list(DAYS))) else None

        blocks: list[str] = await self.wait_for("the plan", plan)
        return blocks

    def question_now(self, text: str) -> Message:
        return next(m for m in reversed(self.messages()) if m.get("text", "").startswith(text))

    async def stop_bot(self) -> int:
        """SIGTERM, as systemd or Docker would; the bot must exit on its own, cleanly."""
        self.bot.process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(15):
                return await self.bot.process.wait()
        except TimeoutError:
            self.bot.process.kill()
            await self.bot.process.wait()
            pytest.fail(f"the bot did not exit within 15 s of SIGTERM:\n{self.bot.output()}")


@pytest.fixture
async def server() -> AsyncIterator[HttpStandIn]:
    async with HttpStandIn() as running:
        yield running


async def _run_onboarding(
    tmp_path: Path, server: HttpStandIn, log_level: str
) -> tuple[Runner, list[str], int]:
    env = _env(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=server.base_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'rc.sqlite3'}",
        LOG_LEVEL=log_level,
    )
    bot = await _start_bot(tmp_path, env)
    runner = Runner(server, bot)
    try:
        blocks = await runner.onboard()
    finally:
        code = await runner.stop_bot() if bot.process.returncode is None else None
    assert code is not None
    return runner, blocks, code


def _from_joining_day(days: list[str]) -> list[str]:
    """Of the usual week's strength days, those the first week has: it starts on the day
    the runner joins (the bot runs on the real clock, in London), the days before get none."""
    today = dt.datetime.now(ZoneInfo("Europe/London")).weekday()
    return [day for day in days if DAYS.index(day) >= today]


def _strength_days(lines: list[str]) -> list[str]:
    """The strength days, from the week overview's lines (a line a day from the joining day)."""
    names = {d[:3]: d for d in DAYS}
    assert [names[line[:3]] for line in lines] == _from_joining_day(list(DAYS))
    return [names[line[:3]] for line in lines if "💪 Strength" in line]


async def test_onboarding_over_http_puts_strength_after_easy_runs(
    tmp_path: Path, server: HttpStandIn
) -> None:
    runner, blocks, code = await _run_onboarding(tmp_path, server, "INFO")

    assert _strength_days(blocks) == _from_joining_day(["Wednesday", "Sunday"])
    assert server.standin.calls_to("setMyCommands"), "the command list was not registered"
    registered = server.standin.calls_to("setMyCommands")[0]["commands"]
    assert [c["command"] for c in registered] == [name for name, _ in texts.COMMANDS]
    assert server.tokens == {TOKEN}
    assert server.bad_paths == []
    assert server.requests == len(server.standin.calls) > 0
    assert code == 0, runner.bot.output()
    assert "Traceback" not in runner.bot.output()


async def test_the_token_never_reaches_the_output(tmp_path: Path, server: HttpStandIn) -> None:
    runner, blocks, code = await _run_onboarding(tmp_path, server, "DEBUG")

    output = runner.bot.output()
    assert _strength_days(blocks) == _from_joining_day(["Wednesday", "Sunday"])
    assert code == 0, output
    assert "DEBUG" in output  # the log really was verbose
    secret = TOKEN.split(":", 1)[1]
    assert TOKEN not in output
    assert secret not in output
    assert secret[:12] not in output


@pytest.mark.parametrize("token", [None, "hello"], ids=["missing", "malformed"])
async def test_run_without_a_usable_token_says_so_in_one_line(
    tmp_path: Path, token: str | None
) -> None:
    env = _env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'rc.sqlite3'}")
    if token is not None:
        env["TELEGRAM_BOT_TOKEN"] = token
    bot = await _start_bot(tmp_path, env)
    try:
        async with asyncio.timeout(DEADLINE):
            code = await bot.process.wait()
    except TimeoutError:
        bot.process.kill()
        await bot.process.wait()
        pytest.fail("runcoach run without a usable token did not exit")

    stderr = bot.stderr.read_text()
    assert code == 2
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "TELEGRAM_BOT_TOKEN" in lines[0]
    assert "Traceback" not in stderr
    assert bot.stdout.read_text() == ""
