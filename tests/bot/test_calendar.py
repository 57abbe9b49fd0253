"""The calendar feed over HTTP from the real web server, with the real Application behind
the Bot API stand-in: /calendar's address fetched, parsed back with icalendar and compared
with the plan; updates after a Move, /thisweek, /settings and /pause; reset; 404s; the rate
limit; /export's .ics; /calendar without PUBLIC_URL; polling mode starting the server."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import re
import socket
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar
import sqlalchemy as sa

from bot import texts
from bot.app import build_application
from bot.calendar import token_hash
from bot.plans import reminder_settings, week_plan
from bot.polling import serve_polling
from bot.runtime import runtime
from bot.settings import Settings
from bot.standin import TOKEN, BotApiStandIn
from bot.web.feed import TokenBucket
from bot.web.server import WebhookServer
from core import pain_content as content
from core.calendar import week_starts
from core.flags import RedFlag
from core.reminders import strength_due
from storage import repo
from tests.bot.conftest import Clock, Coach
from tests.bot.test_pain import NONE
from tests.bot.test_reminders import coach_at, onboard

LONDON = "Europe/London"
MOVE_WEEK = (
    "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu easy 18:00, Fri easy 07:00, "
    "Sat long 08:00, Sun easy 09:00"
)
MON = dt.date(2026, 11, 30)
WED = MON + dt.timedelta(days=2)
ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+(/calendar/[A-Za-z0-9_-]+\.ics)")


def at(day: dt.date, hhmm: str) -> dt.datetime:  # London is on UTC in winter
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=dt.UTC)


class Feed:
    """A coach with its web server on port 0 and an HTTP client for it."""

    def __init__(self, coach: Coach, server: WebhookServer, client: httpx.AsyncClient) -> None:
        self.coach = coach
        self.server = server
        self.client = client
        self.ticks = 0.0  # the rate limit's clock: each fetch is a minute after the last
        server.feed.bucket = TokenBucket(clock=lambda: self.ticks)

    async def address(self, chat_id: int = 42, command: str = "/calendar") -> str:
        await self.coach.send(command, chat_id)
        found = ADDRESS.search(self.coach.last(chat_id))
        assert found, self.coach.last(chat_id)
        return found.group(1)

    async def get(self, path: str, **headers: str) -> httpx.Response:
        self.ticks += 60
        return await self.client.get(path, headers=headers)

    async def events(self, path: str) -> list[icalendar.Event]:
        response = await self.get(path)
        assert response.status_code == 200, response.status_code
        assert response.headers["Content-Type"].startswith("text/calendar")
        return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


@contextlib.asynccontextmanager
async def feed_at(db_url: str, clock: Clock) -> AsyncIterator[Feed]:
    async with coach_at(db_url, clock) as coach:
        server = WebhookServer(coach.app)
        port = server.start("127.0.0.1", 0)
        runtime(coach.app).settings.public_url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            try:
                yield Feed(coach, server, client)
            finally:
                await server.stop()


def start_of(event: icalendar.Event) -> dt.datetime | dt.date:
    value: dt.datetime | dt.date = event["DTSTART"].dt
    return value


def timed(events: list[icalendar.Event], kind: str) -> dict[dt.date, dt.datetime]:
    found = {}
    for event in events:
        if f"-{kind}-" in str(event["UID"]) and isinstance(start_of(event), dt.datetime):
            start = start_of(event)
            assert isinstance(start, dt.datetime)
            found[start.date()] = start
    return found


def uids(events: list[icalendar.Event]) -> list[str]:
    return [str(e["UID"]) for e in events]


async def expected(coach: Coach, user: int = 42) -> dict[str, dict[dt.date, dt.datetime]]:
    """The runs and strength sessions the runner's plan has from today, at their times."""
    rt = runtime(coach.app)
    async with rt.sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=user)
        assert runner is not None
        zone = ZoneInfo(runner.time_zone)
        today = rt.clock().astimezone(zone).date()
        plans = [await week_plan(db, runner, w) for w in week_starts(today)]
    settings = reminder_settings(runner)
    runs, strength = {}, {}
    for day in (d for plan in plans for d in plan.days if d.date >= today):
        if day.day.kind.is_run and day.day.start is not None:
            runs[day.date] = dt.datetime.combine(day.date, day.day.start, tzinfo=zone)
        if day.session is not None:
            strength[day.date] = strength_due(day, settings, zone).astimezone(zone)
    return {"run": runs, "strength": strength}


async def test_the_feed_holds_the_plan_at_its_times_and_is_cheap_when_unchanged(db_url):
    clock = Clock(at(MON, "06:00"))
    async with feed_at(db_url, clock) as feed:
        await onboard(feed.coach, 42, LONDON, MOVE_WEEK)
        path = await feed.address()
        assert "webcal://127.0.0.1:" in feed.coach.last()
        events = await feed.events(path)
        plan = await expected(feed.coach)
        assert (
            timed(events, "run") == plan["run"] and timed(events, "strength") == plan["strength"]
        )
        assert plan["strength"] and max(plan["run"]) == MON + dt.timedelta(days=20)
        assert all(str(start.tzinfo) == LONDON for start in timed(events, "strength").values())
        # Wednesday's session: after the 07:00 easy run (40 min by default) and the 15 min delay.
        assert timed(events, "strength")[WED].time() == dt.time(7, 55)
        assert len(set(uids(events))) == len(events)
        # Never the runner's ids: a UID is the day, the kind and the feed's random id, one
        # for all (looking for "42" anywhere in it failed whenever that hex held a 42 by
        # chance, about one run in twenty).
        shape = re.compile(r"\d{4}-\d{2}-\d{2}-[a-z]+-([0-9a-f]{16})@runcoach")
        matches = [shape.fullmatch(uid) for uid in uids(events)]
        assert all(matches), uids(events)
        assert len({m.group(1) for m in matches if m}) == 1

        # Asked again, the plan unchanged: one query, no write, and 304 for the same ETag.
        statements: list[str] = []

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        engine = runtime(feed.coach.app).engine.sync_engine
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            again = await feed.get(path)
            etag = again.headers["ETag"]
            same = await feed.get(path, **{"If-None-Match": etag})
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
        assert again.status_code == 200 and same.status_code == 304 and not same.content
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 2 and len(statements) == 2, statements


async def test_a_move_thisweek_settings_and_pause_update_the_feed_without_duplicates(db_url):
    clock = Clock(at(MON, "06:00"))
    async with feed_at(db_url, clock) as feed:
        await onboard(feed.coach, 42, LONDON, MOVE_WEEK)
        path = await feed.address()
        before = {str(e["UID"]): e for e in await feed.events(path)}
        wed = [u for u in before if u.startswith(f"{WED}-strength-")]
        assert wed

        # Move: Wednesday's session to Friday, this week only.
        clock.now = at(WED, "06:00")
        await feed.coach.send("/today")
        await feed.coach.tap("📅 Move")
        await feed.coach.tap("Fri 04")
        moved = await feed.events(path)
        assert len(set(uids(moved))) == len(moved)
        assert timed(moved, "strength") == (await expected(feed.coach))["strength"]
        assert WED not in timed(moved, "strength")
        assert WED + dt.timedelta(days=2) in timed(moved, "strength")
        # Friday's run now says strength follows it: the same event, one SEQUENCE on.
        fri_run = next(u for u in before if u.startswith(f"{WED + dt.timedelta(days=2)}-run-"))
        fri = {str(e["UID"]): e for e in moved}[fri_run]
        assert int(fri["SEQUENCE"]) == int(before[fri_run]["SEQUENCE"]) + 1 == 1
        assert fri["LAST-MODIFIED"].dt == clock.now

        # /thisweek: Saturday's long run becomes an easy run at 10:00.
        sat = WED + dt.timedelta(days=3)
        await feed.coach.send("/thisweek sat easy 10am")
        changed = {str(e["UID"]): e for e in await feed.events(path)}
        run = changed[f"{sat}-run-{path_feed(changed)}"]
        assert start_of(run) == dt.datetime.combine(sat, dt.time(10), tzinfo=ZoneInfo(LONDON))
        assert (
            int(run["SEQUENCE"]) == int(before[f"{sat}-run-{path_feed(changed)}"]["SEQUENCE"]) + 1
        )

        # /settings: next week's Tuesday and Thursday swapped, updated in place.
        await feed.coach.send("/settings")
        await feed.coach.tap("Running week")
        await feed.coach.send("swap tue and thursday")
        listed = await feed.events(path)
        swapped = {str(e["UID"]): e for e in listed}
        assert len(swapped) == len(listed)
        assert timed(listed, "run") == (await expected(feed.coach))["run"]
        next_tue = MON + dt.timedelta(days=8)
        tue = swapped[f"{next_tue}-run-{path_feed(swapped)}"]
        assert start_of(tue) == dt.datetime.combine(next_tue, dt.time(18), tzinfo=ZoneInfo(LONDON))
        assert "Easy run" in str(tue["SUMMARY"]) and int(tue["SEQUENCE"]) >= 1
        assert tue["LAST-MODIFIED"].dt == clock.now.replace(microsecond=0)

        # /pause for a week: no runs or sessions in it, one all-day "Paused" instead.
        clock.now = at(WED, "09:00")
        await feed.coach.send("/pause 1 week")
        paused = await feed.events(path)
        spans = [e for e in paused if str(e["SUMMARY"]) == texts.CALENDAR_FEED_WORDS["paused"]]
        assert len(spans) == 1 and start_of(spans[0]) == WED
        end = spans[0]["DTEND"].dt
        days = [start_of(e) for e in paused if e is not spans[0]]
        assert all((d.date() if isinstance(d, dt.datetime) else d) >= end for d in days)


def path_feed(events: dict[str, icalendar.Event]) -> str:
    """The feed id in the events' UIDs (the same for all of them)."""
    return next(iter(events)).split("-", 4)[-1]


async def test_reset_delete_and_unknown_tokens_answer_the_same_404(db_url):
    clock = Clock(at(MON, "06:00"))
    async with feed_at(db_url, clock) as feed:
        await onboard(feed.coach, 42, LONDON, MOVE_WEEK)
        old = await feed.address()
        assert (await feed.get(old)).status_code == 200
        await feed.coach.send("/calendar")  # asked again: the address is not shown twice
        assert feed.coach.last().startswith("You already have a calendar address")
        await feed.coach.tap(texts.CALENDAR_RESET_BUTTON)
        new = ADDRESS.search(feed.coach.last())
        assert new and feed.coach.last().startswith(texts.CALENDAR_RESET_DONE)
        gone, fresh = await feed.get(old), await feed.get(new.group(1))
        assert gone.status_code == 404 and fresh.status_code == 200
        unknown = await feed.get("/calendar/" + "x" * 32 + ".ics")
        assert (unknown.status_code, unknown.content) == (gone.status_code, gone.content)
        assert dict(unknown.headers) | {"date": ""} == dict(gone.headers) | {"date": ""}

        await feed.coach.send("/calendar reset")
        newer = ADDRESS.search(feed.coach.last())
        assert newer and (await feed.get(new.group(1))).status_code == 404
        await feed.coach.send("/delete")
        await feed.coach.tap("Yes, erase everything")
        erased = await feed.get(newer.group(1))
        assert (erased.status_code, erased.content) == (404, unknown.content)


async def test_a_feed_holds_nothing_of_another_runner(db_url):
    clock = Clock(at(MON, "06:00"))
    async with feed_at(db_url, clock) as feed:
        await onboard(feed.coach, 42, LONDON, MOVE_WEEK)
        await onboard(feed.coach, 43, "America/New_York")
        mine, theirs = await feed.address(42), await feed.address(43)
        assert mine != theirs
        a, b = await feed.events(mine), await feed.events(theirs)
        assert timed(a, "run") == (await expected(feed.coach, 42))["run"]
        assert timed(b, "run") == (await expected(feed.coach, 43))["run"]
        assert not set(uids(a)) & set(uids(b))
        assert {path_feed({u: e for u, e in zip(uids(a), a, strict=True)})} != {
            path_feed({u: e for u, e in zip(uids(b), b, strict=True)})
        }


async def test_too_many_requests_for_one_token_get_429(db_url):
    clock = Clock(at(MON, "06:00"))
    async with feed_at(db_url, clock) as feed:
        await onboard(feed.coach, 42, LONDON, MOVE_WEEK)
        path = await feed.address()
        answers = [(await feed.client.get(path)).status_code for _ in range(6)]
        assert answers == [200] * 5 + [429]
        refused = await feed.client.get(path)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        feed.ticks += 10  # ten seconds later: one more
        assert (await feed.client.get(path)).status_code == 200
        unknown = "/calendar/" + "y" * 32 + ".ics"  # unknown tokens are counted the same
        assert [(await feed.client.get(unknown)).status_code for _ in range(6)][-1] == 429


async def test_export_carries_the_coming_weeks_as_an_ics(db_url):
    clock = Clock(at(MON, "06:00"))
    async with feed_at(db_url, clock) as feed:
        await onboard(feed.coach, 42, LONDON, MOVE_WEEK)
        path = await feed.address()
        served = await feed.events(path)
        await feed.coach.send("/export")
        ics, data = feed.coach.standin.documents[-2:]
        assert ics["filename"].endswith(".ics") and data["filename"].endswith(".json")
        events = list(icalendar.Calendar.from_ical(ics["data"]).walk("VEVENT"))
        assert timed(events, "strength") == (await expected(feed.coach))["strength"]
        assert uids(events) == uids(served)  # the same events as the subscribed feed
        # The JSON holds the feed's rows: the token's hash, never the token.
        token = path.removeprefix("/calendar/").removesuffix(".ics")
        exported = json.loads(data["data"])
        assert token not in data["data"].decode()
        assert exported["calendar_feed"][0]["token_hash"] == token_hash(token)
        assert len(exported["calendar_events"]) == len(served)


async def test_calendar_without_public_url_says_what_the_operator_must_set(db_url):
    clock = Clock(at(MON, "06:00"))
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON, MOVE_WEEK)
        await coach.send("/calendar")
        assert coach.last() == texts.CALENDAR_NOT_SET_UP
        assert "PUBLIC_URL" in coach.last() and "WEB_PORT" in coach.last()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_polling_mode_starts_the_web_server_when_public_url_is_set(db_url):
    port = _free_port()
    standin = BotApiStandIn()
    settings = Settings(
        database_url=db_url,
        rate_limit_per_second=0,
        public_url=f"http://127.0.0.1:{port}",
        web_listen="127.0.0.1",
        web_port=port,
        _env_file=None,  # type: ignore[call-arg]
    )
    app = build_application(settings, token=TOKEN, request=standin)
    standin.bind(app)
    stop, ready = asyncio.Event(), asyncio.Event()
    running = asyncio.ensure_future(serve_polling(app, stop=stop, ready=ready))
    try:
        async with asyncio.timeout(10):
            await ready.wait()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            health = await client.get("/health")
            feed = await client.get("/calendar/" + "z" * 32 + ".ics")
            update = await client.post("/telegram", content=b"{}")
            page = await client.get("/miniapp")  # the Mini App is served in polling mode too
        assert health.status_code == 200 and health.json()["database"] == "ok"
        assert feed.status_code == 404
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert update.status_code == 404  # polling mode takes no updates over HTTP
    finally:
        stop.set()
        async with asyncio.timeout(20):
            await running


async def test_a_pain_change_pauses_running_in_the_feed_and_updates_the_sessions(db_url):
    clock = Clock(at(MON, "06:00"))
    async with feed_at(db_url, clock) as feed:
        await onboard(feed.coach, 42, LONDON, MOVE_WEEK)
        path = await feed.address()
        before = {str(e["UID"]): e for e in await feed.events(path)}
        clock.now = at(MON, "10:00")
        await feed.coach.send("/pain")
        for _ in range(3):
            await feed.coach.tap(NONE)
        await feed.coach.tap(content.FLAG_BUTTONS[RedFlag.BONE_SPOT])
        await feed.coach.tap("Shin")
        await feed.coach.tap("4")
        await feed.coach.tap("Yes, normally")
        listed = await feed.events(path)
        after = {str(e["UID"]): e for e in listed}
        assert len(after) == len(listed)
        assert not timed(listed, "run")  # running paused: no run in the feed
        spans = [e for e in listed if "-pain-" in f"-{e['UID']}"]
        assert [str(e["SUMMARY"]) for e in spans] == ["Running paused (pain)"]
        assert timed(listed, "strength") == (await expected(feed.coach))["strength"]
        kept = [uid for uid in after if "-strength-" in uid and uid in before]
        assert kept
        for uid in kept:
            assert content.UPPER_ONLY_NOTE in str(after[uid]["DESCRIPTION"])
            assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1


async def test_the_feed_keeps_local_times_across_the_spring_change(db_url):
    monday = dt.date(2027, 3, 22)  # London moves to BST on Sunday 28 March 2027
    clock = Clock(at(monday, "06:00"))
    async with feed_at(db_url, clock) as feed:
        await onboard(feed.coach, 42, LONDON, MOVE_WEEK)
        events = await feed.events(await feed.address())
        runs = timed(events, "run")
        friday, sunday = runs[monday + dt.timedelta(days=4)], runs[monday + dt.timedelta(days=6)]
        assert (friday.hour, friday.utcoffset()) == (7, dt.timedelta(0))
        assert (sunday.hour, sunday.utcoffset()) == (9, dt.timedelta(hours=1))
        assert runs == (await expected(feed.coach))["run"]
        # The session after Sunday's 09:00 run is at 09:55 BST, 08:55 UTC.
        session = timed(events, "strength")[monday + dt.timedelta(days=6)]
        assert session.time() == dt.time(9, 55)
        assert session.astimezone(dt.UTC).time() == dt.time(8, 55)


async def test_an_https_public_url_gives_a_button_and_no_log_line_holds_the_token(db_url, caplog):
    clock = Clock(at(MON, "06:00"))
    async with feed_at(db_url, clock) as feed:
        await onboard(feed.coach, 42, LONDON, MOVE_WEEK)
        local = await feed.address()
        caplog.set_level(logging.DEBUG)
        assert (await feed.get(local)).status_code == 200
        token = local.removeprefix("/calendar/").removesuffix(".ics")
        ours = [r.getMessage() for r in caplog.records if not r.name.startswith("http")]
        assert any("/calendar/<token>.ics 200" in line for line in ours)
        assert not any(token in line for line in ours)  # the test's own client logs it

        runtime(feed.coach.app).settings.public_url = "https://coach.example.com"
        await feed.coach.send("/calendar reset")
        said = feed.coach.last()
        https = re.search(r"https://coach\.example\.com/calendar/([A-Za-z0-9_-]{32})\.ics", said)
        assert https and f"webcal://coach.example.com/calendar/{https.group(1)}.ics" in said
        assert feed.coach.labels() == [texts.CALENDAR_OPEN_BUTTON, texts.CALENDAR_RESET_BUTTON]
        message = feed.coach.standin.last_message(42)
        urls = [b.get("url") for row in message["reply_markup"]["inline_keyboard"] for b in row]
        assert urls[0] == https.group(0)
        assert (await feed.get(f"/calendar/{https.group(1)}.ics")).status_code == 200


async def test_a_red_flag_pause_empties_the_feed_and_says_why(db_url):
    clock = Clock(at(MON, "06:00"))
    async with feed_at(db_url, clock) as feed:
        await onboard(feed.coach, 42, LONDON, MOVE_WEEK)
        path = await feed.address()
        await feed.coach.send("/pain")
        await feed.coach.tap(content.FLAG_BUTTONS[RedFlag.CHEST_NOW])
        events = await feed.events(path)
        assert [str(e["SUMMARY"]) for e in events] == [texts.CALENDAR_FEED_WORDS["paused_injury"]]
        assert start_of(events[0]) == MON and events[0]["DTEND"].dt == MON + dt.timedelta(21)
