"""Figure 8: conversations through the webhook of a real process, beside the PTB peer (issue 19).

Each system runs in a process of its own, as production runs it, and is fed by this one:

- ours: `runcoach run --webhook` (the inbox, commit then speak) on SQLite and on PostgreSQL,
  with `PAID_BROADCAST=true` and `RATE_LIMIT_PER_SECOND=1000` (300 updates a second need
  more than Telegram's free 30 messages a second);
- the peer (`bench/peer_bot.py`): a `ConversationHandler` with `PicklePersistence`, and with a
  persistence that writes every update to the database (SQLite and PostgreSQL), run by PTB's
  own `run_webhook` with `concurrent_updates=True`.

Every system gets a fresh Bot API stand-in behind real HTTP (`tests/bot/http_standin.py`)
answering every call in 100 ms and counting Telegram's limits (1,000 a second in all with
paid broadcast, one a second per chat), and the same arrival stream: `runners` runners, each
at a random step of the script (`bench.conversations.SCRIPT`, the setup then /plan and
/today), then a Poisson stream of updates at each rate in turn (30, 100, 300 a second), each
arrival a runner who is not waiting for an answer and has had a second to read it, typing
their next message. The runners are brought to their steps by seeding the system's storage
before its process starts (`bench/webhook_seed.py`: each system's real handlers walk one
template runner per step in-process, whose state is copied to every runner at that step);
`--walk` walks them there through the live process instead, as the first version of this
figure did (about 11,000 updates per system at full size: minutes here). Each update is
POSTed to the system's webhook as Telegram does (the secret header, up to 40 connections).
Latency is from the POST to the turn's first message reaching the stand-in (the runner sees
the answer begin); for ours the last message of a turn is printed too (the setup's first
and last steps answer with two messages, a second apart in one chat).

Then kill -9 in the middle of a stream at 100 a second, restart at once, and count the
updates that got their 200 and whose answer never came.

Nothing is left out of a latency: a turn whose update got its 200 and whose answer never
came counts as infinitely late in the percentiles, beside the 429s the stand-in answered
and the errors (ours's "something went wrong", tracebacks in either process's log).

`python -m bench.webhook_peer --profile 100` runs ours on SQLite at one rate under
pyinstrument instead and prints where its CPU goes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import heapq
import json
import math
import os
import random
import signal
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import Figure, Row, fresh_postgres, fresh_sqlite, percentile
from bench.conversations import SCRIPT
from bench.webhook_seed import (
    OurTemplates,
    PeerTemplates,
    our_templates,
    peer_templates,
    seed_ours,
    seed_peer,
)
from bot.standin import BotApiStandIn, RateLimits
from bot.texts import SOMETHING_WENT_WRONG
from tests.bot.http_standin import HttpStandIn

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:AAH" + "x7Kq2Lm9Np4Rs8Tv1Wy5Zb3Cd6Fg0H"
SECRET = "bench-webhook-secret-0123456789"
RATES = (30.0, 100.0, 300.0)
KILL_RATE = 100.0
LATENCY = 0.1  # each Bot API call there and back
PAID_RATE = 1000  # Telegram's limit with paid broadcast, and ours's RATE_LIMIT_PER_SECOND
READING = 1.0  # a runner reads the answer at least this long before typing again
LEAD_PAUSE = 0.25  # seconds between a runner's answer and their next message (--walk)
CONNECTIONS = 40  # Telegram's default max_connections for a webhook
# Messages our reminder dispatcher may send on its own if the run meets their time.
REMINDER_PREFIXES = ("Good morning!", "💪 Time for", "Your week in numbers")
FIRST_CHAT = 5_000_000


# --- the processes ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class System:
    label: str
    kind: str  # "ours", "pickle" or "db"
    url: str = ""  # the database (ours, db)
    path: str = ""  # the pickle file


class Process:
    """One system's process: started, killed with SIGKILL, restarted, stopped with SIGTERM."""

    def __init__(self, system: System, api: HttpStandIn, workdir: Path, profile: Path | None):
        self.system = system
        self.api = api
        self.workdir = workdir
        self.profile = profile
        self.port = _free_port()
        self.proc: asyncio.subprocess.Process | None = None
        self.logs: list[Path] = []

    def _command(self) -> list[str]:
        if self.system.kind == "ours":
            head = [sys.executable]
            if self.profile is not None and self.profile.suffix == ".prof":
                head += ["-m", "cProfile", "-o", str(self.profile)]
            elif self.profile is not None:
                head += ["-m", "pyinstrument", "-r", "text", "-o", str(self.profile)]
            return [*head, "-m", "bot", "run", "--webhook"]
        command = [
            sys.executable,
            "-m",
            "bench.peer_bot",
            "--port",
            str(self.port),
            "--base-url",
            self.api.base_url,
            "--token",
            TOKEN,
            "--secret",
            SECRET,
            "--persistence",
            self.system.kind,
        ]
        if self.system.kind == "pickle":
            return [*command, "--path", self.system.path]
        return [*command, "--db-url", self.system.url]

    def _env(self) -> dict[str, str]:
        from bot.settings import Settings

        own = {name.upper() for name in Settings.model_fields} | {"WEB_LISTEN", "WEB_PORT"}
        env = {k: v for k, v in os.environ.items() if k.upper() not in own}
        env.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        if self.system.kind == "ours":
            env.update(
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_BASE_URL=self.api.base_url,
                DATABASE_URL=self.system.url,
                DATA_DIR=str(self.workdir / "data"),
                WEBHOOK_URL="https://coach.example.com",
                WEBHOOK_SECRET=SECRET,
                WEB_LISTEN="127.0.0.1",
                WEB_PORT=str(self.port),
                PAID_BROADCAST="true",
                RATE_LIMIT_PER_SECOND=str(PAID_RATE),
                REPLY_LEASE_SECONDS="5",  # PostgreSQL: a dead process's replies, 5 s on
                LOG_LEVEL="WARNING",
            )
        return env

    async def start(self) -> float:
        """Spawn and wait until the webhook is set and the port answers; seconds taken."""
        began = time.monotonic()
        self.api.standin.webhook_url = ""
        log = self.workdir / f"{self.system.kind}-{len(self.logs)}-{self.port}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            self.proc = await asyncio.create_subprocess_exec(
                *self._command(),
                cwd=self.workdir,
                env=self._env(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )
        deadline = began + 60
        while time.monotonic() < deadline:
            if self.proc.returncode is not None:
                raise RuntimeError(f"{self.system.label} exited:\n{self.output()}")
            if self.api.standin.webhook_url and await self._listening():
                return time.monotonic() - began
            await asyncio.sleep(0.05)
        raise RuntimeError(f"{self.system.label} did not start:\n{self.output()}")

    async def _listening(self) -> bool:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True

    def output(self) -> str:
        return "\n".join(log.read_text(errors="replace")[-3000:] for log in self.logs)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far (Linux /proc)."""
        assert self.proc is not None
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        # Measured by then: 5 s (a backlog can keep a graceful stop busy for longer); a
        # profiler writes its report on the way out: give it time on a busy machine.
        try:
            await asyncio.wait_for(self.proc.wait(), timeout=5 if self.profile is None else 300)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()


# --- Telegram's side of the webhook -------------------------------------------------------------


class WebhookError(Exception):
    """The POST got no answer: refused, reset, cut short or timed out."""


class Webhook:
    """POSTs updates to a system's webhook as Telegram does: at most `connections` HTTP/1.1
    keep-alive connections, one request at a time each, waiting POSTs served in order.

    A bare client on asyncio streams: with hundreds of POSTs waiting for 40 connections,
    httpx's pool spent several milliseconds of this process's CPU per request (it walks every
    waiting request at each hand-over), and this process, which also runs the runners and
    the Bot API stand-in, fell behind the stream it was meant to offer (a 6 s stream at
    100/s took 24-33 s to offer on the loaded machine)."""

    def __init__(self, port: int, connections: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self._slots = asyncio.Semaphore(connections)
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def __aenter__(self) -> Webhook:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        while self._idle:
            self._idle.pop()[1].close()

    async def post(self, path: str, data: dict[str, Any], headers: dict[str, str]) -> int:
        """The HTTP status of the answer; WebhookError when there is none."""
        body = json.dumps(data).encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{head}\r\n"
        ).encode() + body
        async with self._slots:
            connection = self._idle.pop() if self._idle else None
            try:
                if connection is None:
                    connection = await asyncio.wait_for(
                        asyncio.open_connection("127.0.0.1", self.port), self.timeout
                    )
                status, keep = await asyncio.wait_for(
                    self._exchange(*connection, request), self.timeout
                )
            except (OSError, EOFError, TimeoutError, ValueError) as error:
                if connection is not None:
                    connection[1].close()
                raise WebhookError(repr(error)) from error
            if keep:
                self._idle.append(connection)
            else:
                connection[1].close()
            return status

    @staticmethod
    async def _exchange(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
    ) -> tuple[int, bool]:
        writer.write(request)
        await writer.drain()
        line = await reader.readline()
        if not line:
            raise EOFError("connection closed")
        status = int(line.split()[1])
        length, chunked, keep = 0, False, True
        while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = header.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                keep = False
        if chunked:
            while size := int((await reader.readline()).split(b";")[0], 16):
                await reader.readexactly(size + 2)
            await reader.readline()
        elif length:
            await reader.readexactly(length)
        return status, keep


# --- the runners ------------------------------------------------------------------------------


@dataclass
class Turn:
    chat: int
    step: int
    posted: float  # the first POST of it (a refused one is sent again: the runner waits on)
    phase: str
    need: int  # messages the turn answers with
    base: int  # messages the chat had before
    acked: bool = False  # a POST of it was answered 200
    first: float | None = None
    last: float | None = None


@dataclass
class Runner:
    chat: int
    step: int = 0
    turn: Turn | None = None


@dataclass
class Stream:
    """The runners, what they typed and what reached them; POSTs to one webhook."""

    standin: BotApiStandIn
    client: Webhook
    counts: list[int]  # messages each step answers with
    runners: dict[int, Runner]
    rng: random.Random
    turns: list[Turn] = field(default_factory=list)
    received: dict[int, int] = field(default_factory=dict)
    idle: list[int] = field(default_factory=list)  # chats free to type now
    reading: list[tuple[float, int]] = field(default_factory=list)  # (free at, chat): a heap
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    outstanding: int = 0
    refused: int = 0  # POSTs not answered 200 (the process down): sent again a second later
    closing: bool = False  # the run is over: nothing is sent again
    stray: int = 0  # messages that reached a runner with no turn of theirs waiting
    errors: int = 0  # "something went wrong" (ours) sent to a runner
    woken: asyncio.Event = field(default_factory=asyncio.Event)

    def listener(self, event: str, message: dict[str, Any]) -> None:
        if event != "sent":
            return
        text = str(message.get("text", ""))
        if text.startswith(REMINDER_PREFIXES):
            return
        if text == SOMETHING_WENT_WRONG:
            self.errors += 1
        now = time.monotonic()
        chat = int(message["chat"]["id"])
        n = self.received[chat] = self.received.get(chat, 0) + 1
        runner = self.runners.get(chat)
        if runner is None or runner.turn is None:
            self.stray += 1  # nothing of theirs waiting: a repeated reply
            return
        turn = runner.turn
        if turn.first is None:
            turn.first = now
        if n - turn.base >= turn.need:
            turn.last = now
            runner.turn = None
            runner.step += 1
            self.outstanding -= 1
            if runner.step < len(SCRIPT):
                heapq.heappush(self.reading, (now + READING, chat))
            self.woken.set()

    def _free_readers(self) -> None:
        now = time.monotonic()
        while self.reading and self.reading[0][0] <= now:
            self.idle.append(heapq.heappop(self.reading)[1])

    def type_next(self, phase: str) -> bool:
        """A random runner free to type sends their next message; False if none is free."""
        self._free_readers()
        if not self.idle:
            return False
        index = self.rng.randrange(len(self.idle))
        self.idle[index], self.idle[-1] = self.idle[-1], self.idle[index]
        self.type(self.runners[self.idle.pop()], phase)
        return True

    def type(self, runner: Runner, phase: str) -> None:
        chat = runner.chat
        step = runner.step
        turn = Turn(
            chat, step, time.monotonic(), phase, self.counts[step], self.received.get(chat, 0)
        )
        runner.turn = turn
        self.turns.append(turn)
        self.outstanding += 1
        data = self.standin.text_update_data(chat, SCRIPT[step], chat)
        task = asyncio.ensure_future(self._post(turn, data))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _post(self, turn: Turn, data: dict[str, Any]) -> None:
        """POST the update until it is answered 200, as Telegram does (the same update, a
        second after each failure); the turn stays open meanwhile: an answer to an earlier
        POST of it that did reach the system still counts."""
        while not self.closing:
            try:
                status = await self.client.post(
                    "/telegram", data, {"X-Telegram-Bot-Api-Secret-Token": SECRET}
                )
            except WebhookError:
                status = 0
            if status == 200:
                turn.acked = True
                return
            self.refused += 1
            await asyncio.sleep(READING)

    async def settle(self, quiet: float, longest: float) -> bool:
        """Wait until no turn is waiting for its answer, or nothing has been answered for
        `quiet` seconds (what is still waiting then never comes), or `longest` seconds.
        False when the system was still answering at `longest` (a backlog): what waits then
        may yet come, and goes on waiting into the next phase."""
        now = time.monotonic()
        deadline, silent_until = now + longest, now + quiet
        while self.outstanding > 0 and time.monotonic() < min(deadline, silent_until):
            self.woken.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.woken.wait(), timeout=0.1)
            if self.woken.is_set():
                silent_until = time.monotonic() + quiet
        return self.outstanding == 0 or time.monotonic() >= silent_until

    async def poisson(
        self, phase: str, rate: float, seconds: float, rng: random.Random
    ) -> tuple[int, int]:
        """Arrivals at `rate` a second for `seconds`; (typed, arrivals with nobody free)."""
        start = time.monotonic()
        at, typed, missed = 0.0, 0, 0
        while True:
            at += rng.expovariate(rate)
            if at >= seconds:
                return typed, missed
            await asyncio.sleep(max(0.0, start + at - time.monotonic()))
            if self.type_next(phase):
                typed += 1
            else:
                missed += 1


async def lead_in(stream: Stream, steps: dict[int, int]) -> None:
    """`--walk`: bring each runner to its step through the live process, as fast as it
    answers (not measured). Each
    runner waits `LEAD_PAUSE` after an answer: the peer's reply reaches the runner before its
    handler has returned and the ConversationHandler has moved to the next state, so an
    answer typed at once would find the old state (the race PTB warns of)."""

    async def walk(runner: Runner, target: int) -> None:
        while runner.step < target:
            stream.type(runner, "lead-in")
            while runner.turn is not None:
                stream.woken.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stream.woken.wait(), timeout=0.05)
            await asyncio.sleep(LEAD_PAUSE)

    await asyncio.gather(*(walk(stream.runners[c], s) for c, s in steps.items()))
    stream.reading.clear()
    stream.idle = [c for c, r in stream.runners.items() if r.step < len(SCRIPT)]


# --- one system ---------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    rate: float
    seconds: float
    typed: int = 0
    missed: int = 0
    cpu: float = 0.0
    arrivals_seconds: float = 0.0  # how long the arrivals really took (the benchmark's lag)
    bench_cpu: float = 0.0  # CPU of this process (the runners and the stand-in) meanwhile
    rejected_429: int = 0  # the stand-in's 429s during the phase (and its settling)
    errors: int = 0  # "something went wrong" sent during the phase


@dataclass
class Seeds:
    """Each system's template runners, one per step of the script (bench/webhook_seed.py)."""

    ours: OurTemplates
    peer: PeerTemplates


async def templates(workdir: Path) -> Seeds:
    """Walked at the real time: the process that reads the copies runs on the real clock."""
    now = dt.datetime.now(dt.UTC)
    return Seeds(await our_templates(workdir, now), await peer_templates(workdir))


async def seed_system(system: System, seeds: Seeds, steps: dict[int, int]) -> None:
    """Every runner at their step in the system's storage, before its process starts."""
    if system.kind == "ours":
        await seed_ours(system.url, seeds.ours, steps)
    else:
        await seed_peer(system.kind, system.path or system.url, seeds.peer, steps)


@dataclass
class Outcome:
    system: System
    turns: list[Turn]
    phases: list[Phase]
    start_seconds: float
    restart_seconds: float
    lead_in_seconds: float  # seeding the storage, or walking the runners live (`walked`)
    walked: bool
    killed_at: float
    restarted_at: float
    refused: int
    extra: int  # messages that came with no turn of the runner's waiting (repeated replies)
    rejected_429: int
    errors: int  # "something went wrong" sent (ours)
    drained: bool  # after the kill: went quiet (else still answering a backlog at the end)
    restart_error: str  # the process did not start again after the kill: why
    tracebacks: int  # in the process's logs (either system: an exception in a handler)

    def phase_turns(self, name: str) -> list[Turn]:
        return [t for t in self.turns if t.phase == name]

    def phase(self, name: str) -> Phase:
        return next(p for p in self.phases if p.name == name)

    def lost(self) -> tuple[int, int]:
        """Acknowledged kill-phase updates never answered: (posted before the kill, after)."""
        gone = [t for t in self.phase_turns("kill") if t.acked and t.first is None]
        before = sum(1 for t in gone if t.posted < self.killed_at)
        return before, len(gone) - before


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _limits() -> RateLimits:
    return RateLimits(total_per_second=PAID_RATE, per_chat_per_second=1)


@contextlib.asynccontextmanager
async def _api() -> AsyncIterator[HttpStandIn]:
    standin = BotApiStandIn(
        record_calls=False, keep_transcript=False, parse_html=False, latency=LATENCY
    )
    async with HttpStandIn(standin) as api:
        yield api


async def run_system(
    system: System,
    *,
    seeds: Seeds,
    counts: list[int],
    runners: int,
    seconds: Callable[[float], float],
    kill_seconds: float,
    quiet: float = 8.0,
    settle: float = 30.0,
    drain: float = 60.0,
    workdir: Path,
    seed: int,
    profile: Path | None = None,
    rates: tuple[float, ...] = RATES,
    kill: bool = True,
    walk: bool = False,
) -> Outcome:
    """The runners at their steps (seeded, or `walk`ed live), a stream at each rate, then
    the kill -9, for one system."""
    rng = random.Random(seed)
    chats = [FIRST_CHAT + i for i in range(runners)]
    steps = {chat: rng.randrange(len(SCRIPT)) for chat in chats}
    begin = time.monotonic()
    if not walk:
        await seed_system(system, seeds, steps)
    seeded = time.monotonic() - begin
    async with _api() as api:
        standin = api.standin
        process = Process(system, api, workdir, profile)
        started = await process.start()
        async with Webhook(process.port, CONNECTIONS, timeout=30) as client:
            at = {c: 0 if walk else steps[c] for c in chats}
            runs = {c: Runner(c, at[c]) for c in chats}
            stream = Stream(standin, client, counts, runs, random.Random(seed + 1))
            stream.idle = [c for c in chats if at[c] < len(SCRIPT)]
            standin.add_listener(stream.listener)
            try:
                lead_seconds = seeded
                if walk:
                    _say(f"  {system.label}: up in {started:.1f} s; lead-in...")
                    begin = time.monotonic()
                    await lead_in(stream, steps)
                    lead_seconds = time.monotonic() - begin
                _say(
                    f"  {system.label}: up in {started:.1f} s, "
                    f"{'lead-in' if walk else 'seeded in'} {lead_seconds:.1f} s; streams..."
                )
                standin.rate_limits = _limits()
                standin.rejected_429 = 0
                phases = []
                for rate in rates:
                    phase = Phase(f"{rate:g}/s", rate, seconds(rate))
                    began, own = time.monotonic(), time.process_time()
                    cpu = process.cpu_seconds()
                    rejected, errors = standin.rejected_429, stream.errors
                    phase.typed, phase.missed = await stream.poisson(
                        phase.name, rate, phase.seconds, random.Random(seed + int(rate))
                    )
                    arrived = time.monotonic()
                    phase.arrivals_seconds = arrived - began
                    await stream.settle(5.0, settle)
                    phase.bench_cpu = time.process_time() - own
                    _say(
                        f"  {system.label}: {phase.name} arrivals {phase.arrivals_seconds:.1f} s "
                        f"(planned {phase.seconds:.1f} s), settled in "
                        f"{time.monotonic() - arrived:.1f} s ({stream.outstanding} waiting), "
                        f"this process's CPU {phase.bench_cpu:.1f} s"
                    )
                    phase.cpu = process.cpu_seconds() - cpu
                    phase.rejected_429 = standin.rejected_429 - rejected
                    phase.errors = stream.errors - errors
                    phases.append(phase)
                killed_at = restarted_at = restart = float("nan")
                drained = True
                restart_error = ""
                if kill:
                    # The kill stream starts from a system that has answered what it could
                    # (at most `drain` seconds), so what it loses is the kill's, and after it
                    # the system gets as long again to answer its backlog: what still waits
                    # once nothing has come for `quiet` seconds is lost, not late.
                    began = time.monotonic()
                    await stream.settle(quiet, drain)
                    _say(
                        f"  {system.label}: before the kill, settled in "
                        f"{time.monotonic() - began:.1f} s ({stream.outstanding} waiting)"
                    )
                    phase = Phase("kill", KILL_RATE, kill_seconds)
                    rejected, errors = standin.rejected_429, stream.errors
                    arrivals = asyncio.ensure_future(
                        stream.poisson("kill", KILL_RATE, kill_seconds, random.Random(seed + 7))
                    )
                    await asyncio.sleep(kill_seconds / 3)
                    killed_at = time.monotonic()
                    await process.kill()
                    try:
                        restart = await process.start()
                    except RuntimeError as error:  # e.g. a pickle file cut short by the kill
                        lines = str(error).strip().splitlines()
                        restart_error = lines[-1] if lines else "exited"
                        _say(f"  {system.label}: did not restart: {restart_error}")
                    restarted_at = time.monotonic()
                    phase.typed, phase.missed = await arrivals
                    arrived = time.monotonic()
                    drained = await stream.settle(quiet, drain)
                    _say(
                        f"  {system.label}: kill phase, restart {restart:.1f} s, settled in "
                        f"{time.monotonic() - arrived:.1f} s ({stream.outstanding} waiting)"
                    )
                    phase.rejected_429 = standin.rejected_429 - rejected
                    phase.errors = stream.errors - errors
                    phases.append(phase)
            finally:
                ending = time.monotonic()
                stream.closing = True  # POSTs still waiting: the run is over
                for task in stream.tasks:
                    task.cancel()
                await asyncio.gather(*stream.tasks, return_exceptions=True)
                await process.stop()
                _say(f"  {system.label}: stopped in {time.monotonic() - ending:.1f} s")
    return Outcome(
        system,
        stream.turns,
        phases,
        started,
        restart,
        lead_seconds,
        walk,
        killed_at,
        restarted_at,
        stream.refused,
        stream.stray,
        standin.rejected_429,
        stream.errors,
        drained,
        restart_error,
        sum(log.read_text(errors="replace").count("Traceback") for log in process.logs),
    )


# --- the figure ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    runners: int
    min_seconds: float  # each rate's stream lasts at least this long
    arrivals: int  # ... and long enough for this many arrivals
    kill_seconds: float
    quiet: float  # after the kill: nothing answered for this long, what still waits is lost
    settle: float  # after each stream, at most this long for the answers still on their way
    drain: float  # before and after the kill stream, at most this long to answer a backlog

    def seconds(self, rate: float) -> float:
        return max(self.min_seconds, self.arrivals / rate)


FULL = Size(2_000, 6.0, 450, 6.0, 5.0, 5.0, 60.0)
QUICK = Size(8, 0.5, 0, 2.0, 2.0, 5.0, 5.0)


def _first(turns: list[Turn]) -> list[float]:
    """Seconds from each turn's (first) POST to its first reply; never answered (or its POST
    never acknowledged by the end): infinity."""
    return [math.inf if t.first is None else t.first - t.posted for t in turns]


def _last(turns: list[Turn]) -> list[float]:
    return [math.inf if t.last is None else t.last - t.posted for t in turns]


def _unanswered(turns: list[Turn]) -> int:
    return sum(1 for t in turns if t.first is None)


def _ms(seconds: float) -> str:
    return "∞" if math.isinf(seconds) else f"{seconds * 1000:.0f}"


def _describe(outcome: Outcome) -> str:
    parts = []
    for phase in outcome.phases:
        turns = outcome.phase_turns(phase.name)
        first, last = _first(turns), _last(turns)
        if phase.name == "kill":
            continue
        answered = len(first) - _unanswered(turns)
        cpu = phase.cpu / answered * 1000 if answered else float("nan")
        parts.append(
            f"{phase.name}: {phase.typed:,} typed ({phase.missed} arrivals found no runner "
            f"free) over {phase.seconds:.0f} s, first reply p50/p99 {_ms(percentile(first, 50))}/"
            f"{_ms(percentile(first, 99))} ms, last reply p99 {_ms(percentile(last, 99))} ms, "
            f"{_unanswered(turns)} unanswered, {phase.rejected_429} × 429, {phase.errors} "
            f"errors, CPU {cpu:.1f} ms an update"
        )
    before, after = outcome.lost()
    kill = outcome.phase_turns("kill")
    acked = sum(1 for t in kill if t.acked)
    never = len(kill) - acked
    killed = outcome.phase("kill") if outcome.phases[-1].name == "kill" else None
    parts.append(
        f"kill -9 at {KILL_RATE:g}/s: {acked:,} updates acknowledged in the phase, lost "
        f"{before} acknowledged before the kill and {after} after the restart (restart "
        f"{outcome.restart_seconds:.1f} s; {outcome.refused} POSTs refused while down, sent "
        f"again; {never} typed in the phase never acknowledged), {outcome.extra} messages "
        "with no turn waiting (repeated replies), "
        f"{killed.rejected_429 if killed else 0} × 429"
        + ("" if outcome.drained else _BACKLOG)
        + (f"; DID NOT RESTART ({outcome.restart_error})" if outcome.restart_error else "")
    )
    how = "walked live" if outcome.walked else "seeded"
    return (
        f"8 {outcome.system.label}: runners {how} in {outcome.lead_in_seconds:.1f} s, "
        f"started in {outcome.start_seconds:.1f} s; "
        + "; ".join(parts)
        + f'; in all {outcome.rejected_429} × 429, {outcome.errors} "something went wrong", '
        f"{outcome.tracebacks} tracebacks in the process's log."
    )


_BACKLOG = " (still answering a backlog when the run stopped: those may be late, not lost)"


def _p(outcome: Outcome, phase: str, q: float) -> float:
    return percentile(_first(outcome.phase_turns(phase)), q) * 1000


def _faults(outcome: Outcome, phase: str) -> str:
    turns = outcome.phase_turns(phase)
    found = outcome.phase(phase)
    return f"{found.rejected_429} × 429, {_unanswered(turns)} unanswered"


def _clean(outcome: Outcome, phase: str) -> bool:
    found = outcome.phase(phase)
    return (
        found.rejected_429 == 0
        and found.errors == 0
        and _unanswered(outcome.phase_turns(phase)) == 0
    )


def _rows(ours: Outcome, peer: Outcome, pickle: Outcome | None, db: str) -> list[Row]:
    rows = []
    for phase in ours.phases:
        if phase.name == "kill":
            continue
        name = phase.name
        mine, theirs = _p(ours, name, 99), _p(peer, name, 99)
        note = (
            f"p50 {_ms(_p(ours, name, 50) / 1000)} ms (peer {_ms(_p(peer, name, 50) / 1000)} "
            f"ms); ours {_faults(ours, name)}, {phase.errors} errors; peer {_faults(peer, name)}"
        )
        if pickle is not None:
            note += (
                f"; PicklePersistence peer p99 {_ms(_p(pickle, name, 99) / 1000)} ms, "
                f"{_faults(pickle, name)}"
            )
        rows.append(
            Row(
                f"8 Webhook, {db}, {name}: p99 POST to first reply",
                mine,
                theirs,
                "ms",
                "≤ durable peer; 0 × 429, none unanswered, no error",
                mine <= theirs and _clean(ours, name),
                ceiling_label="PTB ConversationHandler, persistence in the database",
                ratio=mine / theirs if math.isfinite(mine) and math.isfinite(theirs) else None,
                notes=note,
            )
        )
    lost = sum(ours.lost())
    peer_lost = sum(peer.lost())
    note = (
        f"peer: {peer.lost()[0]} before the kill, {peer.lost()[1]} after the restart; "
        f"messages with no turn waiting (repeated): ours {ours.extra}, peer {peer.extra}"
    )
    still = [o.system.label for o in (ours, peer, pickle) if o is not None and not o.drained]
    if still:
        note += "; " + ", ".join(still) + _BACKLOG
    for outcome in (ours, peer, pickle):
        if outcome is not None and outcome.restart_error:
            note += (
                f"; {outcome.system.label} did not restart after the kill "
                f"({outcome.restart_error}): {outcome.refused} POSTs refused, never answered"
            )
    if pickle is not None:
        note += f"; PicklePersistence peer: {sum(pickle.lost())} lost, {pickle.extra} repeated"
    rows.append(
        Row(
            f"8 kill -9 mid-stream, {db}: acknowledged updates never answered",
            float(lost),
            float(peer_lost),
            "updates",
            "0",
            lost == 0,
            ceiling_label="durable peer",
            ratio=None,
            notes=note,
        )
    )
    return rows


async def run(
    workdir: Path, *, postgres: bool, size: Size = FULL, seed: int = 19, walk: bool = False
) -> Figure:
    """Figure 8 on SQLite (and PostgreSQL): ours, the durable peer, the pickle peer."""
    figure = Figure(
        f"8. Conversations through the webhook beside the PTB peer ({size.runners:,} runners)"
    )
    started = time.perf_counter()
    seeds = await templates(workdir)
    counts = seeds.ours.counts
    common: dict[str, Any] = {
        "seeds": seeds,
        "runners": size.runners,
        "seconds": size.seconds,
        "kill_seconds": size.kill_seconds,
        "quiet": size.quiet,
        "settle": size.settle,
        "drain": size.drain,
        "workdir": workdir,
        "seed": seed,
        "walk": walk,
    }
    ones = [1] * len(SCRIPT)
    sqlite_ours = System("ours, SQLite", "ours", await fresh_sqlite(workdir / "ours.sqlite3"))
    ours = await run_system(sqlite_ours, counts=counts, **common)
    pickle_system = System("peer, PicklePersistence", "pickle", path=str(workdir / "peer.pickle"))
    pickle = await run_system(pickle_system, counts=ones, **common)
    peer_url = f"sqlite:///{workdir / 'peer.sqlite3'}"
    peer = await run_system(
        System("peer, DbPersistence on SQLite", "db", peer_url), counts=ones, **common
    )
    outcomes = [ours, pickle, peer]
    figure.rows += _rows(ours, peer, pickle, "SQLite")
    if postgres:
        async with fresh_postgres() as url:
            pg_ours = await run_system(
                System("ours, PostgreSQL", "ours", url), counts=counts, **common
            )
        async with fresh_postgres() as url:
            pg_peer = await run_system(
                System("peer, DbPersistence on PostgreSQL", "db", url), counts=ones, **common
            )
        outcomes += [pg_ours, pg_peer]
        figure.rows += _rows(pg_ours, pg_peer, None, "PostgreSQL")
    figure.details += [_describe(o) for o in outcomes]
    figure.details.append(
        f"8: replies per step in ours {counts} (the peer: 1 each); each stand-in answers every "
        f"call in {LATENCY * 1000:.0f} ms and allows {PAID_RATE:,} sends a second, 1 a second "
        f"per chat; runners read an answer {READING:g} s before typing again; a turn never "
        f"answered counts as infinitely late (∞) in the percentiles; load average "
        f"{os.getloadavg()[0]:.1f} at the end."
    )
    figure.seconds = time.perf_counter() - started
    return figure


async def profile(
    rate: float, seconds: float, runners: int, out: Path, workdir: Path, walk: bool = False
) -> None:
    """Ours on SQLite under a profiler: the runners seeded (or walked), then one rate; the
    report in `out` (pyinstrument text, or cProfile's stats when `out` ends in .prof)."""
    seeds = await templates(workdir)
    system = System(
        "ours, SQLite (profiled)", "ours", await fresh_sqlite(workdir / "prof.sqlite3")
    )
    outcome = await run_system(
        system,
        seeds=seeds,
        counts=seeds.ours.counts,
        runners=runners,
        seconds=lambda _rate: seconds,
        kill_seconds=0.0,
        workdir=workdir,
        seed=19,
        profile=out,
        rates=(rate,),
        kill=False,
        walk=walk,
    )
    print(_describe(outcome))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.webhook_peer", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--runners", type=int)
    parser.add_argument(
        "--walk", action="store_true", help="walk the runners to their steps live, not seeded"
    )
    parser.add_argument("--profile", type=float, metavar="RATE", help="profile ours at RATE/s")
    parser.add_argument("--profile-seconds", type=float, default=20.0)
    parser.add_argument("--profile-out", type=Path, default=Path("webhook-profile.txt"))
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    if args.runners:
        size = dataclasses.replace(size, runners=args.runners)
    with tempfile.TemporaryDirectory(prefix="runcoach-peer-") as tmp:
        workdir = Path(tmp)
        if args.profile:
            out = args.profile_out.resolve()
            asyncio.run(
                profile(args.profile, args.profile_seconds, size.runners, out, workdir, args.walk)
            )
            print(f"profile written to {out}")
            return 0
        figure = asyncio.run(run(workdir, postgres=args.postgres, size=size, walk=args.walk))
    for row in figure.rows:
        print(f"{row.figure}: ours {row.ours:.1f} {row.unit}, peer {row.ceiling:.1f}; {row.notes}")
    for detail in figure.details:
        print("-", detail)
    print(f"{figure.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
