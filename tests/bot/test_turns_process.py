"""Conversations with `runcoach run` as a separate process, killed with SIGKILL mid-turn.

The acceptance checks of issue 11 for the inbox and the turns, from outside only: the bot
polls the Bot API stand-in over real HTTP, every call taking a round trip (`LATENCY`) as
Telegram's do; runners type and tap as they would, their updates queued at the stand-in
until the bot confirms them; the process is killed at moments picked from what the stand-in
sees (a reply arriving, a reply about to arrive, a batch of updates about to be confirmed)
and restarted at once. Afterwards every queued update was handled once, every runner's chat
is the one an uninterrupted bot gives them (the same script played in-process,
`_reference`), save for replies on their way at a kill, and what they were told is what the
database holds.

Also: /delete killed right after its confirmation; a second process on one SQLite file; a
Bot API that cannot be reached or refuses the token; polling through a PostgreSQL outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import random
import shutil
import signal
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from bot import texts
from bot.standin import BotApiStandIn
from storage.db import make_engine, make_sessionmaker
from storage.tables import (
    InboxUpdate,
    KeyValue,
    PainReport,
    PlanRow,
    Reminder,
    Reply,
    Runner,
    runner_profile,
    runner_week,
)
from tests.bot.conftest import SETUP_ANSWERS, Clock, Coach
from tests.bot.http_standin import HttpStandIn

TOKEN = "123456:AAH" + "x7Kq2Lm9Np4Rs8Tv1Wy5Zb3Cd6Fg0H"
SEED = int(os.environ.get("RUNCOACH_TEST_SEED", "11"))  # another seed, other moments
LATENCY = 0.1  # seconds each Bot API call takes there and back, as Telegram's do
RUNNERS = 12
FIRST_CHAT = 810_000
# REPLY_LEASE_SECONDS: on PostgreSQL, how soon replies a killed process committed but did
# not send are sent by the next one. One process runs at a time here.
REPLY_LEASE_SECONDS = 1.0
DEADLINE = 75.0  # seconds, for everything one test waits on the bot processes
# A kill waits for its moment while the bot makes progress, and kills anyway once nothing
# has reached the runners for this many seconds. (Not a fixed wait: on a busy machine the
# bot can spend longer than that working through the burst of setup answers, during which no
# new batch is confirmed because none arrives.)
TRIGGER_WAIT = 5.0
POLL = 0.02  # seconds between looks at what the other process has done so far
SETUP = SETUP_ANSWERS
MINUTE_TAPS = ("15", "20", "30", "40")  # a runner's first change, by button
DELAYS = (0, 15, 30, 60)  # the strength reminder delay a runner taps in /reminders
# Messages the reminder dispatcher may send on its own if the test runs at their time.
REMINDER_PREFIXES = ("Good morning!", "💪 Time for", "Your week in numbers")

Message = dict[str, Any]


def _env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The parent's environment without any Telegram/runcoach settings, plus `overrides`."""
    own = {"TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "DATABASE_URL", "DATA_DIR", "LOG_LEVEL"}
    env = {
        k: v
        for k, v in os.environ.items()
        if k.upper() not in own and not k.upper().startswith(("REMINDER_", "REPLY_"))
    }
    env.update(DATA_DIR=str(tmp_path / "data"), PTB_TIMEDELTA="1", PYTHONUNBUFFERED="1")
    env.update(overrides)
    return env


def _free_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then closed at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the bot process ---------------------------------------------------------------------------


class Bot:
    """`runcoach run` as a subprocess, one at a time: started, killed, restarted, stopped.

    Its output goes to one file per start (files, not pipes: a chatty log never stalls it).
    `deadline` bounds everything the test waits for while a bot runs.
    """

    def __init__(self, tmp_path: Path, env: dict[str, str], deadline: float) -> None:
        self.tmp_path = tmp_path
        self.env = env
        self.deadline = deadline
        self.process: asyncio.subprocess.Process | None = None
        self.logs: list[Path] = []
        self.kills = 0
        self.killed = False  # by the test, and not restarted yet: waits carry on meanwhile

    def output(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()}" for log in self.logs)

    def time_left(self) -> float:
        return self.deadline - asyncio.get_running_loop().time()

    def check(self, what: str) -> None:
        """Fail if the deadline has passed or the bot exited while the test waits."""
        process = self.process
        if process is not None and process.returncode is not None and not self.killed:
            pytest.fail(
                f"the bot exited ({process.returncode}) while waiting for {what}:\n{self.output()}"
            )
        if self.time_left() <= 0:
            pytest.fail(f"timed out waiting for {what}:\n{self.output()[-6000:]}")

    async def wait_for(self, what: str, done: Callable[[], Any]) -> Any:
        """Poll `done()` until it is truthy; fail on the deadline or if the bot exits."""
        while not (result := done()):
            self.check(what)
            await asyncio.sleep(POLL)
        return result

    async def spawn(self, env: dict[str, str] | None = None) -> asyncio.subprocess.Process:
        log = self.tmp_path / f"bot-{len(self.logs)}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            return await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self.tmp_path,  # no stray .env is read
                env=env or self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )

    async def start(self, standin: BotApiStandIn) -> None:
        """Start the bot and wait until it polls for updates (everything before is done)."""
        calls_before = len(standin.calls)
        self.process = await self.spawn()
        self.killed = False
        await self.wait_for(
            "the bot to poll",
            lambda: any(m == "getUpdates" for m, _ in standin.calls[calls_before:]),
        )

    def kill_now(self) -> None:
        """SIGKILL, from wherever the test is (a stand-in listener, say)."""
        assert self.process is not None and self.process.returncode is None
        os.kill(self.process.pid, signal.SIGKILL)
        self.kills += 1
        self.killed = True

    async def exited(self, within: float) -> None:
        """Wait up to `within` seconds for the process to end (killed by a listener)."""
        assert self.process is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.process.wait(), timeout=within)

    async def exited_while(self, idle: float, progress: Callable[[], int]) -> None:
        """Wait for the process to end while `progress()` keeps growing; give up once it has
        not grown for `idle` seconds (or the test's deadline is near)."""
        assert self.process is not None
        seen = progress()
        while self.process.returncode is None and self.time_left() > idle:
            await self.exited(idle)
            now = progress()
            if now == seen:
                return
            seen = now

    async def reaped(self) -> None:
        """Wait for the killed process; it must have died of the SIGKILL."""
        assert self.process is not None
        code = await asyncio.wait_for(self.process.wait(), timeout=max(self.time_left(), 1.0))
        assert code == -signal.SIGKILL, self.output()

    async def stop(self) -> int:
        """SIGTERM, as systemd or Docker would; the bot must exit on its own, cleanly."""
        process = self.process
        assert process is not None
        if process.returncode is not None:
            return process.returncode
        process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(15):
                return await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()
            pytest.fail(f"the bot did not exit within 15 s of SIGTERM:\n{self.output()}")

    async def close(self) -> None:
        """After a failure: no bot process outlives the test."""
        process = self.process
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()


def _bot_env(tmp_path: Path, server: HttpStandIn, db_url: str, **more: str) -> dict[str, str]:
    return _env(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=server.base_url,
        DATABASE_URL=db_url,
        LOG_LEVEL="INFO",
        REPLY_LEASE_SECONDS=str(REPLY_LEASE_SECONDS),
        **more,
    )


@pytest.fixture
async def server() -> AsyncIterator[HttpStandIn]:
    async with HttpStandIn(BotApiStandIn(latency=LATENCY)) as running:
        yield running


# --- what the runners see ----------------------------------------------------------------------


@dataclass
class Seen:
    """A message as it arrived (before any later edit), and which bot process sent it."""

    chat_id: int
    message_id: int
    text: str
    process: int


@dataclass
class Chats:
    """Every message the stand-in received, per chat, as it arrived; which process is on."""

    standin: BotApiStandIn
    seen: dict[int, list[Seen]] = field(default_factory=dict)
    process: int = -1  # how many processes have started before the current one
    on_sent: Callable[[Seen], None] | None = None

    def __post_init__(self) -> None:
        self.standin.add_listener(self._event)

    def _event(self, event: str, message: Message) -> None:
        if event != "sent":
            return
        chat_id = message["chat"]["id"]
        seen = Seen(chat_id, message["message_id"], message.get("text", ""), self.process)
        self.seen.setdefault(chat_id, []).append(seen)
        if self.on_sent is not None:
            self.on_sent(seen)

    def arrived(self, method: str) -> None:
        """Called as each call arrives: a getMe is a new process starting."""
        if method == "getMe":
            self.process += 1

    def texts(self, chat_id: int) -> list[str]:
        return [s.text for s in self.seen.get(chat_id, [])]

    def total(self) -> int:
        return sum(len(messages) for messages in self.seen.values())


Step = tuple[str, ...]


def _script(i: int) -> list[Step]:
    """What runner `i` does: the whole setup typed in a burst, then two changes of minutes
    (buttons, then typed) and a tap in /reminders, each after the bot's answer."""
    return [
        *(("type", answer) for answer in SETUP),
        ("wait", texts.SETUP_DONE),
        ("type", "/settings"),
        ("tap", "Minutes per session"),
        ("tap", f"{MINUTE_TAPS[i % len(MINUTE_TAPS)]} min"),
        ("wait", texts.SETTINGS_SAVED),
        ("type", "/settings"),
        ("type", "minutes"),
        ("type", str(_typed_minutes(i))),
        ("wait", texts.SETTINGS_SAVED),
        ("type", "/reminders"),
        ("tap", f"+{DELAYS[i % len(DELAYS)]} min"),
        ("answered",),
    ]


def _typed_minutes(i: int) -> int:
    return 45 + i


def _answers(standin: BotApiStandIn, talk: Talk) -> list[str | None]:
    """The answers the runner's presses got so far (None: a press not answered yet)."""
    return [(standin.answered_callbacks.get(q) or {}).get("text") for q in talk.queries]


class Talk:
    """One runner playing their script against the bot process, through the stand-in."""

    def __init__(self, chats: Chats, bot: Bot, chat_id: int) -> None:
        self.chats = chats
        self.api = chats.standin
        self.bot = bot
        self.chat_id = chat_id
        self.mark = 0  # how many messages the runner had when they last sent something
        self.update_ids: list[int] = []
        self.queries: list[str] = []  # the ids of their button presses
        self.done = False

    def _queue(self, data: Message) -> None:
        self.mark = len(self.chats.seen.get(self.chat_id, []))
        self.update_ids.append(data["update_id"])
        self.api.queue_update(data)

    async def play(self, steps: list[Step]) -> None:
        for step in steps:
            what = f"chat {self.chat_id}: {step}"
            if step[0] == "type":
                self._queue(self.api.text_update_data(self.chat_id, step[1]))
            elif step[0] == "wait":
                await self.bot.wait_for(what, lambda text=step[1]: self._since(text))
            elif step[0] == "tap":
                label = step[1]
                seen: Seen = await self.bot.wait_for(what, lambda label=label: self._button(label))
                message = self.api._messages[(self.chat_id, seen.message_id)]
                data = next(d for row in self.api.buttons(message) for t, d in row if t == label)
                press = self.api.press_data(self.chat_id, seen.message_id, data)
                self.queries.append(press["callback_query"]["id"])
                self._queue(press)
            else:  # the bot answered the last press
                await self.bot.wait_for(
                    what, lambda query=self.queries[-1]: query in self.api.answered_callbacks
                )
        self.done = True

    def _since(self, text: str) -> Seen | None:
        later = self.chats.seen.get(self.chat_id, [])[self.mark :]
        return next((s for s in later if s.text.startswith(text)), None)

    def _button(self, label: str) -> Seen | None:
        """The newest message since the runner's last update with a button `label` (still
        there: an answered question loses its buttons)."""
        for seen in reversed(self.chats.seen.get(self.chat_id, [])[self.mark :]):
            message = self.api._messages.get((self.chat_id, seen.message_id), {})
            if any(t == label for row in self.api.buttons(message) for t, _ in row):
                return seen
        return None


# --- the uninterrupted bot: the same scripts played in-process ---------------------------------


@dataclass
class Expected:
    texts: dict[int, list[str]]  # per chat, the messages as they arrive
    answers: dict[int, list[str | None]]  # per chat, the answers to their presses, in order
    state: dict[int, dict[str, Any]]  # per chat, what the database holds about them


async def _reference(db_url: str, chat_ids: list[int], now: dt.datetime) -> Expected:
    """What an uninterrupted bot says and stores, for the same scripts on a fresh database."""
    standin = BotApiStandIn()
    arrived: dict[int, list[str]] = {}
    standin.add_listener(
        lambda event, m: (
            event == "sent" and arrived.setdefault(m["chat"]["id"], []).append(m.get("text", ""))
        )
    )
    answers: dict[int, list[str | None]] = {}
    async with Coach(db_url, Clock(now), standin) as coach:
        for i, chat_id in enumerate(chat_ids):
            for step in _script(i):
                if step[0] == "type":
                    await coach.send(step[1], chat_id)
                elif step[0] == "tap":
                    await coach.tap(step[1], chat_id)
                    answered = list(standin.answered_callbacks.values())[-1]
                    answers.setdefault(chat_id, []).append(answered.get("text"))
    return Expected(arrived, answers, await _state(db_url, chat_ids))


async def _state(db_url: str, chat_ids: list[int]) -> dict[int, dict[str, Any]]:
    """What the database holds about each runner that a runner could be told."""
    engine = make_engine(db_url)
    try:
        async with make_sessionmaker(engine)() as db:
            runners = {
                r.chat_id: r
                for r in (
                    await db.exec(select(Runner).where(col(Runner.chat_id).in_(chat_ids)))
                ).all()
            }
            dialogs = set(
                (
                    await db.exec(
                        select(col(KeyValue.key)).where(col(KeyValue.namespace) == "dialog")
                    )
                ).all()
            )
            plans = Counter(
                (await db.exec(select(col(PlanRow.runner_id)))).all()  # rows per runner
            )
    finally:
        await engine.dispose()
    state: dict[int, dict[str, Any]] = {}
    for chat_id in chat_ids:
        runner = runners.get(chat_id)
        if runner is None:
            state[chat_id] = {}
            continue
        profile = runner_profile(runner)
        state[chat_id] = {
            "onboarded": runner.onboarded,
            "minutes": profile.minutes,
            "sessions": profile.sessions_per_week,
            "placement": profile.placement.value,
            "equipment": sorted(e.value for e in profile.equipment),
            "week": [d.kind.value for d in runner_week(runner).days],
            "time_zone": runner.time_zone,
            "delay_minutes": runner.delay_minutes,
            "open dialog": str(runner.telegram_user_id) in dialogs,
            "plans": plans[runner.id],
        }
    return state


# --- reading the database from outside ---------------------------------------------------------


async def _rows(db_url: str, query: Any) -> list[Any]:
    engine = make_engine(db_url)
    try:
        async with make_sessionmaker(engine)() as db:
            return list((await db.exec(query)).all())
    finally:
        await engine.dispose()


async def _pending_replies(db_url: str) -> list[Reply]:
    return await _rows(db_url, select(Reply).where(col(Reply.status) == "pending"))


async def _unhandled(db_url: str) -> list[InboxUpdate]:
    return await _rows(db_url, select(InboxUpdate).where(col(InboxUpdate.handled_at).is_(None)))


async def _quiet(bot: Bot, db_url: str) -> None:
    """Wait until every stored update is handled and every committed reply is sent."""
    while await _unhandled(db_url) or await _pending_replies(db_url):
        bot.check("every stored update handled and every committed reply sent")
        await asyncio.sleep(POLL)


def _normal(text: str) -> str:
    """A message without the lines that list upcoming reminders: they depend on the minute
    the reference ran at."""
    return "\n".join(line for line in text.split("\n") if not line.startswith("• "))


# --- 1. kill -9 mid-conversation ---------------------------------------------------------------


class Killer:
    """Kills the bot at moments the stand-in sees, from its listener and arrival hook:

    - "in flight": a message has just arrived at the stand-in; the bot has no answer yet.
    - "before the send": a reply call is arriving; it is dropped unseen, so the bot died
      between its commit and the send.
    - "batch stored": the getUpdates that confirms a stored batch is arriving; it is dropped
      too, so Telegram hands the same updates out again.
    """

    def __init__(self, bot: Bot, chats: Chats, server: HttpStandIn) -> None:
        self.bot = bot
        self.chats = chats
        self.kind: str | None = None
        self.countdown = 0
        self.fired: list[str] = []
        self.offset = 0  # the highest offset a getUpdates has confirmed so far
        chats.on_sent = self._sent
        server.on_arrival = self._arrival

    def arm(self, kind: str, countdown: int) -> None:
        self.kind, self.countdown = kind, countdown

    def _fire(self) -> None:
        assert self.kind is not None
        self.fired.append(self.kind)
        self.kind = None
        self.bot.kill_now()

    def _sent(self, _seen: Seen) -> None:
        if self.kind == "in flight":
            self.countdown -= 1
            if self.countdown <= 0:
                self._fire()

    def _arrival(self, method: str, params: dict[str, Any]) -> bool:
        self.chats.arrived(method)
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            confirms = offset > self.offset
            self.offset = max(self.offset, offset)
            if confirms and self.kind == "batch stored":
                self._fire()
                return True
            return False
        if self.kind == "before the send" and method in (
            "sendMessage",
            "editMessageText",
            "answerCallbackQuery",
        ):
            self.countdown -= 1
            if self.countdown <= 0:
                self._fire()
                return True
        return False


Leftovers = list[tuple[int, list[tuple[int, str]]]]  # per kill: (process, its unsent replies)


def _allowed(leftovers: Leftovers, chats: Chats) -> Counter[tuple[int, str]]:
    """Messages that may come twice: committed, delivered by a process that then died before
    it knew (so not recorded as sent), and sent again after the restart."""
    allowed: Counter[tuple[int, str]] = Counter()
    for dead, unsent in leftovers:
        for chat_id, text in unsent:
            if any(s.text == text and s.process == dead for s in chats.seen.get(chat_id, [])):
                allowed[(chat_id, _normal(text))] += 1
    return allowed


@dataclass
class Match:
    """A runner's chat read against the uninterrupted bot's."""

    matched: int  # how many of the expected messages they have had, in order
    extra: list[str]  # messages that are neither the next expected one nor an allowed repeat
    repeats: int


def _match(want: list[str], got: list[str], allowed: Counter[str]) -> Match:
    matched, extra, repeats = 0, [], Counter[str]()
    for text in got:
        if matched < len(want) and text == want[matched]:
            matched += 1
        elif text in want[:matched] and repeats[text] < allowed[text]:
            repeats[text] += 1
        else:
            extra.append(text)
    return Match(matched, extra, sum(repeats.values()))


def _read(chat_id: int, want: list[str], chats: Chats, allowed: Counter[Any]) -> Match:
    got = [_normal(t) for t in chats.texts(chat_id) if not t.startswith(REMINDER_PREFIXES)]
    mine = Counter({text: n for (chat, text), n in allowed.items() if chat == chat_id})
    match = _match(want, got, mine)
    assert match.extra == [], (
        f"chat {chat_id}: unexplained {[t[:60] for t in match.extra]}\n"
        f"got {[(s.process, s.text[:30]) for s in chats.seen.get(chat_id, [])]}\n"
        f"want {[t[:40] for t in want]}\nallowed {[t[:30] for t in mine.elements()]}"
    )
    return match


def _told_is_stored(
    i: int, want: list[str], match: Match, answers: list[str | None], stored: dict[str, Any]
) -> None:
    """What runner `i` has read so far is in the database (which may be further along)."""
    saved = [n for n, text in enumerate(want) if text.startswith(texts.SETTINGS_SAVED)]
    if match.matched > want.index(texts.SETUP_DONE):
        assert stored.get("onboarded"), (i, "told the setup is done", stored)
    if match.matched > saved[0]:
        tapped = int(MINUTE_TAPS[i % len(MINUTE_TAPS)])
        assert stored["minutes"] in (tapped, _typed_minutes(i)), (i, "told Saved.", stored)
    if match.matched > saved[1]:
        assert stored["minutes"] == _typed_minutes(i), (i, "told Saved. again", stored)
    if texts.SETTINGS_SAVED in answers[2:]:  # the press in /reminders, answered "Saved."
        assert stored["delay_minutes"] == DELAYS[i % len(DELAYS)], (i, "press Saved.", stored)


async def test_kill_9_mid_conversation_loses_nothing_and_says_only_what_is_stored(
    tmp_path: Path, server: HttpStandIn, db_url: str, migrated_templates: Any
) -> None:
    rng = random.Random(SEED)
    chat_ids = [FIRST_CHAT + i for i in range(RUNNERS)]
    reference_db = tmp_path / "reference.db"
    shutil.copyfile(await migrated_templates.sqlite(), reference_db)
    loop = asyncio.get_running_loop()
    started = loop.time()
    expected = await _reference(f"sqlite:///{reference_db}", chat_ids, dt.datetime.now(dt.UTC))

    standin = server.standin
    chats = Chats(standin)
    bot = Bot(tmp_path, _bot_env(tmp_path, server, db_url), loop.time() + DEADLINE)
    killer = Killer(bot, chats, server)
    talks = [Talk(chats, bot, chat_id) for chat_id in chat_ids]
    leftovers: Leftovers = []
    wants = {c: [_normal(t) for t in expected.texts[c]] for c in chat_ids}
    kinds = ["in flight", "before the send", "batch stored"]
    rng.shuffle(kinds)
    kinds += [rng.choice(kinds) for _ in range(rng.randint(0, 2))]  # 3 to 5 kills
    expected_total = sum(len(t) for t in expected.texts.values())
    # When each kill starts to wait for its moment: after this many messages in all.
    thresholds = sorted(rng.sample(range(5, expected_total * 4 // 5), len(kinds)))
    try:
        await bot.start(standin)
        plays = [asyncio.ensure_future(t.play(_script(i))) for i, t in enumerate(talks)]
        for kind, at in zip(kinds, thresholds, strict=True):
            # A random moment into the conversations, then the next event of `kind`.
            await bot.wait_for(f"{at} messages", lambda at=at: chats.total() >= at)
            killer.arm(kind, rng.randint(1, 3))
            await bot.exited_while(TRIGGER_WAIT, chats.total)
            if killer.kind is not None:  # the moment did not come: kill now
                killer.kind = None
                killer.fired.append(f"{kind}: after waiting")
                bot.kill_now()
            await bot.reaped()
            # Killed: whatever a runner has read by now must already be in the database.
            allowed = _allowed(leftovers, chats)
            read = {c: _read(c, wants[c], chats, allowed) for c in chat_ids}
            answered = {c: _answers(standin, talks[c - FIRST_CHAT]) for c in chat_ids}
            stored = await _state(db_url, chat_ids)
            for i, chat_id in enumerate(chat_ids):
                _told_is_stored(
                    i, wants[chat_id], read[chat_id], answered[chat_id], stored[chat_id]
                )
            # Replies committed and not known to be sent when the bot died.
            left = await _pending_replies(db_url)
            leftovers.append(
                (
                    chats.process,
                    [(r.chat_id, r.params["text"]) for r in left if r.method == "sendMessage"],
                )
            )
            await bot.start(standin)
        for play in plays:
            await play
        await _quiet(bot, db_url)
        code = await bot.stop()
    finally:
        for play in plays:
            play.cancel()
        await bot.close()
    elapsed = loop.time() - started

    # Every update the runners sent was confirmed, stored and handled, and only once.
    queued = [u for talk in talks for u in talk.update_ids]
    assert standin.queued_updates == [], "updates never confirmed to Telegram"
    handled = await _rows(
        db_url,
        select(col(InboxUpdate.update_id)).where(col(InboxUpdate.handled_at).is_not(None)),
    )
    assert sorted(set(queued) - set(handled)) == [], "updates not stored or not handled"
    assert await _unhandled(db_url) == []

    # Every runner's chat is what an uninterrupted bot would have said, in order; a message
    # comes twice only if it reached them from a process that died before it knew.
    allowed = _allowed(leftovers, chats)
    repeats = 0
    for chat_id in chat_ids:
        match = _read(chat_id, wants[chat_id], chats, allowed)
        missing = wants[chat_id][match.matched :]
        assert missing == [], f"chat {chat_id} never got {[t[:60] for t in missing]}"
        repeats += match.repeats
        assert texts.SOMETHING_WENT_WRONG not in chats.texts(chat_id)
        assert _answers(standin, talks[chat_id - FIRST_CHAT]) == expected.answers[chat_id]

    # What each runner was told is what is stored, and what the uninterrupted bot stored.
    state = await _state(db_url, chat_ids)
    for i, chat_id in enumerate(chat_ids):
        match = _read(chat_id, wants[chat_id], chats, allowed)
        _told_is_stored(i, wants[chat_id], match, expected.answers[chat_id], state[chat_id])
        assert state[chat_id] == expected.state[chat_id], chat_id
    assert await _pending_replies(db_url) == []

    print(  # shown with -s, and with the output of a failure
        f"seed {SEED}: kills {killer.fired}; {chats.total()} messages for {expected_total} "
        f"expected, {repeats} repeated (allowed {sum(allowed.values())}); "
        f"{len(queued)} updates; {elapsed:.1f} s"
    )
    assert bot.kills == len(kinds)
    assert set(killer.fired) >= {"in flight", "before the send", "batch stored"}, killer.fired
    assert code == 0, bot.output()
    assert "Traceback" not in bot.output(), bot.output()


# --- 2. /delete, then kill -9 ------------------------------------------------------------------


async def _runner_rows(db_url: str, chat_id: int) -> dict[str, int]:
    """How many rows of each kind are about this runner (by their ids, or their runner row)."""
    runners = await _rows(db_url, select(Runner).where(col(Runner.telegram_user_id) == chat_id))
    ids = [r.id for r in runners]
    found = {"runner": len(runners)}
    for name, table in (("plan", PlanRow), ("reminder", Reminder), ("pain_report", PainReport)):
        found[name] = len(await _rows(db_url, select(table).where(col(table.runner_id).in_(ids))))
    found["kv"] = len(
        await _rows(db_url, select(KeyValue).where(col(KeyValue.key) == str(chat_id)))
    )
    found["inbox"] = len(
        await _rows(db_url, select(InboxUpdate).where(col(InboxUpdate.user_id) == chat_id))
    )
    return found


async def test_delete_then_kill_9_leaves_nothing_and_no_reminder_follows(
    tmp_path: Path, server: HttpStandIn, db_url: str
) -> None:
    standin = server.standin
    chats = Chats(standin)
    server.on_arrival = lambda method, _params: bool(chats.arrived(method))
    loop = asyncio.get_running_loop()
    env = _bot_env(tmp_path, server, db_url, REMINDER_DISPATCH_SECONDS="0.2")
    bot = Bot(tmp_path, env, loop.time() + DEADLINE)
    erased, kept = FIRST_CHAT + 100, FIRST_CHAT + 101
    leaver, stayer = Talk(chats, bot, erased), Talk(chats, bot, kept)
    setup: list[Step] = [*(("type", answer) for answer in SETUP), ("wait", texts.SETUP_DONE)]
    try:
        await bot.start(standin)
        await asyncio.gather(leaver.play(setup), stayer.play(setup))
        await _quiet(bot, db_url)
        # Something of everything on file: a pain report, and a dialog open when they erase.
        (runner,) = await _rows(db_url, select(Runner).where(col(Runner.chat_id) == erased))
        engine = make_engine(db_url)
        try:
            async with make_sessionmaker(engine).begin() as db:
                db.add(
                    PainReport(
                        runner_id=runner.id, area="calf", score=3, timing="after", advice_level="1"
                    )
                )
        finally:
            await engine.dispose()
        before = await _runner_rows(db_url, erased)
        assert all(before[name] for name in ("runner", "plan", "reminder", "pain_report"))
        # Killed the moment the confirmation reaches them (the first time).
        chats.on_sent = lambda seen: (
            seen.chat_id == erased
            and seen.text == texts.DELETED
            and bot.kills == 0
            and bot.kill_now()
        )
        await leaver.play(
            [
                ("type", "/settings"),
                ("wait", texts.ASK_SETTINGS),
                ("type", "/delete"),
                ("tap", "Yes, erase everything"),
            ]
        )
        await bot.wait_for("the confirmation", lambda: texts.DELETED in chats.texts(erased))
        await bot.reaped()
        # What they read had already been committed when they read it.
        gone = await _runner_rows(db_url, erased)
        assert gone == dict.fromkeys(gone, 0), gone

        # Whatever is left in the outbox falls due now: a reminder of theirs would go out.
        engine = make_engine(db_url)
        try:
            async with make_sessionmaker(engine).begin() as db:
                pending = (
                    await db.exec(select(Reminder).where(col(Reminder.status) == "pending"))
                ).all()
                due = sorted(pending, key=lambda r: r.due_at)[:2]
                for row in due:
                    row.due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
                    db.add(row)
        finally:
            await engine.dispose()
        assert due and {r.runner_id for r in due} != {runner.id}
        await bot.start(standin)
        await bot.wait_for(
            "the other runner's reminders",
            lambda: sum(t.startswith(REMINDER_PREFIXES) for t in chats.texts(kept)) >= len(due),
        )
        await _quiet(bot, db_url)
        code = await bot.stop()
    finally:
        await bot.close()

    after = chats.texts(erased)[chats.texts(erased).index(texts.DELETED) :]
    assert set(after) == {texts.DELETED} and len(after) <= 2, after  # again if in flight
    left = await _runner_rows(db_url, erased)
    assert left == dict.fromkeys(left, 0), left
    assert await _rows(db_url, select(Reply).where(col(Reply.chat_id) == erased)) == []
    assert code == 0, bot.output()
    assert "Traceback" not in bot.output(), bot.output()


# --- 3. a second process on one SQLite file ----------------------------------------------------


async def _run_once(tmp_path: Path, name: str, env: dict[str, str]) -> tuple[int, str, str]:
    """`runcoach run` that is expected to stop by itself: (exit code, stdout, stderr)."""
    out, err = tmp_path / f"{name}.out", tmp_path / f"{name}.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
        )
    try:
        code = await asyncio.wait_for(process.wait(), timeout=30)
    except TimeoutError:
        process.kill()
        await process.wait()
        pytest.fail(f"runcoach run did not stop by itself:\n{out.read_text()}{err.read_text()}")
    return code, out.read_text(), err.read_text()


async def test_a_second_process_on_one_sqlite_file_is_refused(
    tmp_path: Path, server: HttpStandIn
) -> None:
    db_url = f"sqlite:///{tmp_path / 'data' / 'shared.sqlite3'}"
    standin = server.standin
    loop = asyncio.get_running_loop()
    first = Bot(tmp_path, _bot_env(tmp_path, server, db_url), loop.time() + DEADLINE)
    chats = Chats(standin)
    try:
        await first.start(standin)
        async with HttpStandIn() as elsewhere:  # so anything the second one sends shows
            code, out, err = await _run_once(
                tmp_path, "second", _bot_env(tmp_path, elsewhere, db_url)
            )
            assert elsewhere.requests == 0, "the second process talked to Telegram"
        # The first one carries on as if nothing happened.
        runner = Talk(chats, first, FIRST_CHAT + 200)
        await runner.play([("type", "/help"), ("wait", texts.HELP[:30])])
        first_code = await first.stop()
    finally:
        await first.close()
    assert code != 0
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "another runcoach process is already using" in lines[0]
    assert "shared.sqlite3" in lines[0]
    assert first_code == 0, first.output()


# --- 4. a Bot API that cannot be reached, or refuses the token ---------------------------------


async def test_an_unreachable_bot_api_ends_the_run_with_one_line(tmp_path: Path) -> None:
    nowhere = f"http://127.0.0.1:{_free_port()}/bot"
    env = _env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=nowhere, LOG_LEVEL="INFO")
    code, out, err = await _run_once(tmp_path, "unreachable", env)
    lines = (out + err).splitlines()
    assert code != 0
    assert len(lines) == 1, out + err
    assert "cannot reach the Bot API" in lines[0] and nowhere in lines[0]


async def test_a_token_the_bot_api_rejects_ends_the_run_with_one_line(
    tmp_path: Path, server: HttpStandIn
) -> None:
    server.rejected_tokens.add(TOKEN)
    env = _env(
        tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=server.base_url, LOG_LEVEL="INFO"
    )
    code, out, err = await _run_once(tmp_path, "rejected", env)
    lines = (out + err).splitlines()
    assert code != 0
    assert len(lines) == 1, out + err
    assert "rejected TELEGRAM_BOT_TOKEN" in lines[0]
    assert TOKEN not in out + err


# --- 5. polling through a database outage ------------------------------------------------------


async def _maintenance(url: str) -> asyncpg.Connection:
    """A connection to the server's `postgres` database, from where an outage is made."""
    parsed = make_url(url)
    return await asyncpg.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        database="postgres",
    )


async def test_updates_sent_during_a_database_outage_wait_at_telegram_and_are_answered_once(
    tmp_path: Path, server: HttpStandIn, postgres_url: str
) -> None:
    standin = server.standin
    chats = Chats(standin)
    loop = asyncio.get_running_loop()
    bot = Bot(tmp_path, _bot_env(tmp_path, server, postgres_url), loop.time() + DEADLINE)
    name = make_url(postgres_url).database
    first = Talk(chats, bot, FIRST_CHAT + 300)
    during = [Talk(chats, bot, FIRST_CHAT + 301 + i) for i in range(5)]
    admin = await _maintenance(postgres_url)
    try:
        await bot.start(standin)
        await first.play([("type", "/help"), ("wait", texts.HELP[:30])])
        # The database goes away: no new connections, and the bot's are cut.
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        for talk in during:
            await talk.play([("type", "/start")])
        queued = [u for talk in during for u in talk.update_ids]

        # The bot has them (a getUpdates answered with them), cannot store them, and keeps
        # trying; meanwhile Telegram still holds every one of them.
        def failures() -> int:
            return bot.output().count("polling: cannot store updates")

        await bot.wait_for("two failed attempts to store the updates", lambda: failures() >= 2)
        waiting = {u["update_id"] for u in standin.queued_updates}
        assert set(queued) <= waiting, "updates confirmed to Telegram but not stored"
        assert all(chats.texts(talk.chat_id) == [] for talk in during)

        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await asyncio.gather(*(talk.play([("wait", texts.ASK_GOAL)]) for talk in during))
        await _quiet(bot, postgres_url)
        code = await bot.stop()
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()
        await bot.close()

    assert standin.queued_updates == []
    for talk in during:  # each answered once, and never told that something went wrong
        assert chats.texts(talk.chat_id) == [texts.WELCOME.format(name="Runner"), texts.ASK_GOAL]
    # The reply sent as the database went away (its outcome not written then) is not sent
    # again once it is back.
    assert chats.texts(first.chat_id) == [texts.HELP]
    handled = await _rows(
        postgres_url,
        select(col(InboxUpdate.update_id)).where(col(InboxUpdate.handled_at).is_not(None)),
    )
    assert set(queued) <= set(handled)
    assert code == 0, bot.output()
