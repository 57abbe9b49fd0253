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
brought first to a random step of the script (`bench.conversations.SCRIPT`, the setup then
/plan and /today), then a Poisson stream of updates at each rate in turn (30, 100, 300 a
second), each arrival a runner who is not waiting for an answer and has had a second to read
it, typing their next message. Each update is POSTed to the system's webhook as Telegram does
(the secret header, up to 40 connections). Latency is from the POST to the turn's first
message reaching the stand-in (the runner sees the answer begin); for ours the last message
of a turn is printed too (the setup's first and last steps answer with two messages, a
second apart in one chat).

Then kill -9 in the middle of a stream at 100 a second, restart at once, and count the
updates that got their 200 and whose answer never came.

`python -m bench.webhook_peer --profile 100` runs ours on SQLite at one rate under
pyinstrument instead and prints where its CPU goes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import heapq
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

import httpx

from bench.common import Figure, Row, fresh_postgres, fresh_sqlite, percentile
from bench.conversations import SCRIPT
from bench.paced import prepare
from bot.standin import BotApiStandIn, RateLimits
from tests.bot.http_standin import HttpStandIn

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:AAH" + "x7Kq2Lm9Np4Rs8Tv1Wy5Zb3Cd6Fg0H"
SECRET = "bench-webhook-secret-0123456789"
RATES = (30.0, 100.0, 300.0)
KILL_RATE = 100.0
LATENCY = 0.1  # each Bot API call there and back
PAID_RATE = 1000  # Telegram's limit with paid broadcast, and ours's RATE_LIMIT_PER_SECOND
READING = 1.0  # a runner reads the answer at least this long before typing again
LEAD_PAUSE = 0.25  # seconds between a runner's answer and their next message in the lead-in
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
        try:  # a profiler writes its report on the way out: give it time on a busy machine
            await asyncio.wait_for(self.proc.wait(), timeout=30 if self.profile is None else 300)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()


# --- the runners ------------------------------------------------------------------------------


@dataclass
class Turn:
    chat: int
    step: int
    posted: float
    phase: str
    need: int  # messages the turn answers with
    base: int  # messages the chat had before
    acked: bool = False
    first: float | None = None
    last: float | None = None


@dataclass
class Runner:
    chat: int
    step: int = 0
    turn: Turn | None = None
    resend: dict[str, Any] | None = None  # an update not acknowledged: sent again as it was


@dataclass
class Stream:
    """The runners, what they typed and what reached them; POSTs to one webhook."""

    standin: BotApiStandIn
    client: httpx.AsyncClient
    counts: list[int]  # messages each step answers with
    runners: dict[int, Runner]
    rng: random.Random
    turns: list[Turn] = field(default_factory=list)
    received: dict[int, int] = field(default_factory=dict)
    idle: list[int] = field(default_factory=list)  # chats free to type now
    reading: list[tuple[float, int]] = field(default_factory=list)  # (free at, chat): a heap
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    outstanding: int = 0
    refused: int = 0  # POSTs not answered 200 (the process down): typed again later
    woken: asyncio.Event = field(default_factory=asyncio.Event)

    def listener(self, event: str, message: dict[str, Any]) -> None:
        if event != "sent":
            return
        if str(message.get("text", "")).startswith(REMINDER_PREFIXES):
            return
        now = time.monotonic()
        chat = int(message["chat"]["id"])
        n = self.received[chat] = self.received.get(chat, 0) + 1
        runner = self.runners.get(chat)
        if runner is None or runner.turn is None:
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
        data = runner.resend or self.standin.text_update_data(chat, SCRIPT[step], chat)
        runner.resend = None
        task = asyncio.ensure_future(self._post(runner, turn, data))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _post(self, runner: Runner, turn: Turn, data: dict[str, Any]) -> None:
        try:
            answer = await self.client.post(
                "/telegram", json=data, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            turn.acked = answer.status_code == 200
        except httpx.HTTPError:
            turn.acked = False
        if not turn.acked and runner.turn is turn and turn.first is None:
            # Not acknowledged: Telegram would send it again, so the runner types it again.
            self.refused += 1
            runner.turn = None
            runner.resend = data
            self.outstanding -= 1
            heapq.heappush(self.reading, (time.monotonic() + READING, runner.chat))

    async def settle(self, quiet: float, longest: float = 30.0) -> None:
        """Wait until no turn is waiting for its answer, or nothing has been answered for
        `quiet` seconds (what is still waiting then never comes), or `longest` seconds."""
        now = time.monotonic()
        deadline, silent_until = now + longest, now + quiet
        while self.outstanding > 0 and time.monotonic() < min(deadline, silent_until):
            self.woken.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.woken.wait(), timeout=0.1)
            if self.woken.is_set():
                silent_until = time.monotonic() + quiet

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
    """Bring each runner to its step, as fast as the system answers (not measured). Each
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


@dataclass
class Outcome:
    system: System
    turns: list[Turn]
    phases: list[Phase]
    start_seconds: float
    restart_seconds: float
    lead_in_seconds: float
    killed_at: float
    restarted_at: float
    refused: int
    extra: int  # messages beyond what the answered turns answer with (repeated replies)
    rejected_429: int

    def phase_turns(self, name: str) -> list[Turn]:
        return [t for t in self.turns if t.phase == name]

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
    counts: list[int],
    runners: int,
    seconds: Callable[[float], float],
    kill_seconds: float,
    quiet: float = 8.0,
    workdir: Path,
    seed: int,
    profile: Path | None = None,
    rates: tuple[float, ...] = RATES,
    kill: bool = True,
) -> Outcome:
    """The lead-in, a stream at each rate, then the kill -9, for one system."""
    rng = random.Random(seed)
    chats = [FIRST_CHAT + i for i in range(runners)]
    steps = {chat: rng.randrange(len(SCRIPT)) for chat in chats}
    async with _api() as api:
        standin = api.standin
        limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
        process = Process(system, api, workdir, profile)
        started = await process.start()
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{process.port}", limits=limits, timeout=30
        ) as client:
            stream = Stream(
                standin, client, counts, {c: Runner(c) for c in chats}, random.Random(seed + 1)
            )
            standin.add_listener(stream.listener)
            try:
                _say(f"  {system.label}: up in {started:.1f} s; lead-in...")
                begin = time.monotonic()
                await lead_in(stream, steps)
                lead_seconds = time.monotonic() - begin
                _say(f"  {system.label}: lead-in {lead_seconds:.1f} s; streams...")
                standin.rate_limits = _limits()
                phases = []
                for rate in rates:
                    phase = Phase(f"{rate:g}/s", rate, seconds(rate))
                    cpu = process.cpu_seconds()
                    phase.typed, phase.missed = await stream.poisson(
                        phase.name, rate, phase.seconds, random.Random(seed + int(rate))
                    )
                    await stream.settle(5.0)
                    phase.cpu = process.cpu_seconds() - cpu
                    phases.append(phase)
                killed_at = restarted_at = restart = float("nan")
                if kill:
                    phase = Phase("kill", KILL_RATE, kill_seconds)
                    arrivals = asyncio.ensure_future(
                        stream.poisson("kill", KILL_RATE, kill_seconds, random.Random(seed + 7))
                    )
                    await asyncio.sleep(kill_seconds / 3)
                    killed_at = time.monotonic()
                    await process.kill()
                    restart = await process.start()
                    restarted_at = time.monotonic()
                    phase.typed, phase.missed = await arrivals
                    await stream.settle(quiet)
                    phases.append(phase)
            finally:
                await asyncio.gather(*stream.tasks, return_exceptions=True)
                await process.stop()
    return Outcome(
        system,
        stream.turns,
        phases,
        started,
        restart,
        lead_seconds,
        killed_at,
        restarted_at,
        stream.refused,
        _extra(stream),
        standin.rejected_429,
    )


def _extra(stream: Stream) -> int:
    """Messages the runners got beyond what their answered turns answer with: replies sent
    twice (one on its way at the kill), or answers to turns the runner had given up on."""
    owed: dict[int, int] = {}
    for turn in stream.turns:
        if turn.last is not None:
            owed[turn.chat] = owed.get(turn.chat, 0) + turn.need
    return sum(max(0, stream.received.get(c, 0) - owed.get(c, 0)) for c in stream.runners)


# --- the figure ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    runners: int
    min_seconds: float  # each rate's stream lasts at least this long
    arrivals: int  # ... and long enough for this many arrivals
    kill_seconds: float
    quiet: float  # after the kill: nothing answered for this long, what still waits is lost

    def seconds(self, rate: float) -> float:
        return max(self.min_seconds, self.arrivals / rate)


FULL = Size(2_000, 6.0, 450, 6.0, 8.0)
QUICK = Size(8, 0.5, 0, 2.0, 2.0)


async def our_counts(workdir: Path) -> list[int]:
    """Messages each step of the script answers with in ours (an in-process warm-up)."""
    url = await fresh_sqlite(workdir / "counts.sqlite3")
    from bench.conversations import NOW

    return await prepare(url, BotApiStandIn(record_calls=False), [], NOW, warm=FIRST_CHAT - 1)


def _first(turns: list[Turn]) -> list[float]:
    return [t.first - t.posted for t in turns if t.first is not None]


def _last(turns: list[Turn]) -> list[float]:
    return [t.last - t.posted for t in turns if t.last is not None]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def _describe(outcome: Outcome) -> str:
    parts = []
    for phase in outcome.phases:
        turns = outcome.phase_turns(phase.name)
        first, last = _first(turns), _last(turns)
        if phase.name == "kill":
            continue
        cpu = phase.cpu / len(first) * 1000 if first else float("nan")
        parts.append(
            f"{phase.name}: {phase.typed:,} typed ({phase.missed} arrivals found no runner "
            f"free) over {phase.seconds:.0f} s, first reply p50/p99 {_ms(percentile(first, 50))}/"
            f"{_ms(percentile(first, 99))} ms, last reply p99 {_ms(percentile(last, 99))} ms, "
            f"{len(turns) - len(first)} unanswered, CPU {cpu:.1f} ms an update"
        )
    before, after = outcome.lost()
    kill = outcome.phase_turns("kill")
    acked = sum(1 for t in kill if t.acked)
    parts.append(
        f"kill -9 at {KILL_RATE:g}/s: {acked:,} updates acknowledged in the phase, lost "
        f"{before} acknowledged before the kill and {after} after the restart (restart "
        f"{outcome.restart_seconds:.1f} s; {outcome.refused} POSTs refused while down, sent "
        f"again), {outcome.extra} messages beyond the turns' answers"
    )
    return (
        f"8 {outcome.system.label}: started in {outcome.start_seconds:.1f} s, lead-in "
        f"{outcome.lead_in_seconds:.1f} s; " + "; ".join(parts) + f"; 429s {outcome.rejected_429}."
    )


def _p(outcome: Outcome, phase: str, q: float) -> float:
    return percentile(_first(outcome.phase_turns(phase)), q) * 1000


def _rows(ours: Outcome, peer: Outcome, pickle: Outcome | None, db: str) -> list[Row]:
    rows = []
    for phase in ours.phases:
        if phase.name == "kill":
            continue
        mine, theirs = _p(ours, phase.name, 99), _p(peer, phase.name, 99)
        note = f"p50 {_p(ours, phase.name, 50):.0f} ms (peer {_p(peer, phase.name, 50):.0f} ms)"
        if pickle is not None:
            note += f"; PicklePersistence peer p99 {_p(pickle, phase.name, 99):.0f} ms"
        rows.append(
            Row(
                f"8 Webhook, {db}, {phase.name}: p99 POST to first reply",
                mine,
                theirs,
                "ms",
                "≤ durable peer",
                mine <= theirs,
                ceiling_label="PTB ConversationHandler, persistence in the database",
                notes=note,
            )
        )
    lost = sum(ours.lost())
    peer_lost = sum(peer.lost())
    note = f"peer: {peer.lost()[0]} before the kill, {peer.lost()[1]} after the restart"
    if pickle is not None:
        note += f"; PicklePersistence peer: {sum(pickle.lost())}"
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


async def run(workdir: Path, *, postgres: bool, size: Size = FULL, seed: int = 19) -> Figure:
    """Figure 8 on SQLite (and PostgreSQL): ours, the durable peer, the pickle peer."""
    figure = Figure(
        f"8. Conversations through the webhook beside the PTB peer ({size.runners:,} runners)"
    )
    started = time.perf_counter()
    counts = await our_counts(workdir)
    common: dict[str, Any] = {
        "runners": size.runners,
        "seconds": size.seconds,
        "kill_seconds": size.kill_seconds,
        "quiet": size.quiet,
        "workdir": workdir,
        "seed": seed,
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
        f"per chat; runners read an answer {READING:g} s before typing again; load average "
        f"{os.getloadavg()[0]:.1f} at the end."
    )
    figure.seconds = time.perf_counter() - started
    return figure


async def profile(rate: float, seconds: float, runners: int, out: Path, workdir: Path) -> None:
    """Ours on SQLite under pyinstrument: the lead-in, then one rate; the report in `out`."""
    counts = await our_counts(workdir)
    system = System(
        "ours, SQLite (profiled)", "ours", await fresh_sqlite(workdir / "prof.sqlite3")
    )
    outcome = await run_system(
        system,
        counts=counts,
        runners=runners,
        seconds=lambda _rate: seconds,
        kill_seconds=0.0,
        workdir=workdir,
        seed=19,
        profile=out,
        rates=(rate,),
        kill=False,
    )
    print(_describe(outcome))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.webhook_peer", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--runners", type=int)
    parser.add_argument("--profile", type=float, metavar="RATE", help="profile ours at RATE/s")
    parser.add_argument("--profile-seconds", type=float, default=20.0)
    parser.add_argument("--profile-out", type=Path, default=Path("webhook-profile.txt"))
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    if args.runners:
        size = Size(args.runners, size.min_seconds, size.arrivals, size.kill_seconds, size.quiet)
    with tempfile.TemporaryDirectory(prefix="runcoach-peer-") as tmp:
        workdir = Path(tmp)
        if args.profile:
            out = args.profile_out.resolve()
            asyncio.run(profile(args.profile, args.profile_seconds, size.runners, out, workdir))
            print(f"profile written to {out}")
            return 0
        figure = asyncio.run(run(workdir, postgres=args.postgres, size=size))
    for row in figure.rows:
        print(f"{row.figure}: ours {row.ours:.1f} {row.unit}, peer {row.ceiling:.1f}; {row.notes}")
    for detail in figure.details:
        print("-", detail)
    print(f"{figure.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
