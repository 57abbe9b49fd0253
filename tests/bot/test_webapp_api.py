"""The Mini App's API through the real web server and the real Application (issue 17).

A tornado `WebhookServer` on 127.0.0.1 (port 0) with the inbox behind it, the Bot API
stand-in as Telegram; the test signs init data with the stand-in's bot token as Telegram
would. What the page does must be what the chat's buttons do: one log row, the chat's
/today message edited to match, the chat told; forged init data changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import col, select
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.error import BadRequest

from bot import texts
from bot.runtime import runtime
from bot.standin import TOKEN
from bot.turns import INTERNAL_UPDATES, TRACKED
from bot.web import WebhookServer
from bot.webapp.auth import sign_init_data
from bot.webapp.urls import API_PATH, PAGE_PATH
from core.planner import week_start_of
from storage import repo
from storage.tables import InboxUpdate
from tests.bot.conftest import Clock, Coach

PUBLIC = "https://coach.example.org"
SECRET = "s3cret-s3cret-s3cret-s3cret"
RUNNER = 42
# Easy runs on most days: a session has other days this week it may move to.
ROOMY_WEEK = (
    "Mon easy 07:00, Tue intervals 18:00, Wed easy 07:00, Thu easy 07:00, Fri easy 07:00, "
    "Sat long 08:00, Sun rest"
)


@dataclass
class Served:
    coach: Coach
    server: WebhookServer
    client: httpx.AsyncClient
    clock: Clock

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def init_data(
        self, user_id: int = RUNNER, *, token: str = TOKEN, signed: dt.datetime | None = None
    ) -> str:
        """Init data as Telegram signs it for the runner opening the Mini App."""
        when = signed or self.clock()
        fields = {
            "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
            "user": json.dumps({"id": user_id, "first_name": "Sam"}, separators=(",", ":")),
            "auth_date": str(int(when.timestamp())),
        }
        return sign_init_data(fields, token)

    async def week(self, init_data: str | None = None) -> httpx.Response:
        return await self.client.get(f"{API_PATH}/week", headers=self._auth(init_data))

    async def act(self, init_data: str | None = None, **body: str) -> httpx.Response:
        response = await self.client.post(
            f"{API_PATH}/action", json=body, headers=self._auth(init_data)
        )
        await runtime(self.coach.app).inbox.idle()  # the chat's replies are out too
        return response

    def _auth(self, init_data: str | None) -> dict[str, str]:
        return {"Authorization": f"tma {self.init_data() if init_data is None else init_data}"}


async def serve(db_url: str, clock: Clock, *, public_url: str | None) -> AsyncIterator[Served]:
    """The Application with PUBLIC_URL set, and its web server on a free port."""
    coach = Coach(db_url, clock)
    runtime(coach.app).settings.public_url = public_url
    async with coach:
        inbox = runtime(coach.app).inbox
        assert inbox is not None
        server = WebhookServer(coach.app, path="/telegram", secret=SECRET, accept=inbox.accept)
        port = server.start("127.0.0.1", 0)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
                yield Served(coach, server, c, clock)
        finally:
            await server.stop()
    for chat in coach.standin.chats.values():  # whatever happened, the bot never failed
        for message in chat:
            assert message.get("text") != texts.SOMETHING_WENT_WRONG, "a handler raised"


@pytest.fixture
async def served(db_url: str, clock: Clock) -> AsyncIterator[Served]:
    async for one in serve(db_url, clock, public_url=PUBLIC):
        yield one


async def on_a_strength_day(served: Served) -> dict[str, Any]:
    """Set up (typed), then the clock on the next day with a session; that day's state."""
    await served.coach.onboard_typing(week=ROOMY_WEEK)
    served.clock.now = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)  # Monday, London
    state = (await served.week()).json()
    day = next(d for d in state["days"] if d["session"] and d["moves"])
    served.clock.now = dt.datetime.fromisoformat(day["date"]).replace(hour=9, tzinfo=dt.UTC)
    state = (await served.week()).json()
    assert next(d for d in state["days"] if d["today"])["session"] is not None
    return state


def today_of(state: dict[str, Any]) -> dict[str, Any]:
    return next(d for d in state["days"] if d["today"])


async def logs(served: Served) -> list[tuple[dt.date, str]]:
    async with runtime(served.coach.app).sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=RUNNER)
        assert runner is not None and runner.id is not None
        rows = await repo.session_logs(db, runner_id=runner.id, since=dt.date(2026, 11, 1))
    return [(r.date, r.status) for r in rows]


async def handed_on(served: Served) -> list[InboxUpdate]:
    """The presses the Mini App handed to the inbox, as updates of its own."""
    async with runtime(served.coach.app).sessions() as db:
        rows = await db.exec(
            select(InboxUpdate).where(col(InboxUpdate.update_id) >= INTERNAL_UPDATES)
        )
        return list(rows.all())


async def test_the_week_is_plan_s_week_and_both_buttons_open_it(served: Served) -> None:
    url = PUBLIC + PAGE_PATH
    assert served.coach.standin.menu_button == {
        "type": "web_app",
        "text": texts.WEBAPP_MENU_BUTTON,
        "web_app": {"url": url},
    }
    state = await on_a_strength_day(served)
    await served.coach.send("/plan")
    overview = served.coach.standin.last_message(RUNNER)
    assert [d["line"] for d in state["days"]] == [
        line for line in overview["text"].splitlines() if " · " in line
    ]
    assert served.coach.standin.web_apps(overview) == {texts.WEBAPP_OPEN: url}
    page = await served.client.get(PAGE_PATH)
    assert page.status_code == 200
    assert texts.WEBAPP_TEXTS["loading"] in page.text
    assert "telegram-web-app.js" in page.text


async def test_done_on_the_page_is_done_in_the_chat(served: Served) -> None:
    state = await on_a_strength_day(served)
    day = today_of(state)
    await served.coach.send("/today")
    shown = served.coach.standin.last_message(RUNNER)
    assert served.coach.standin.buttons(shown)[0][0][0] == "✅ Done"

    answer = await served.act(action="done", day=day["date"])

    assert answer.status_code == 200
    assert today_of(answer.json())["status_text"] == "✅ Done at 09:00."
    assert await logs(served) == [(dt.date.fromisoformat(day["date"]), "done")]
    # The chat's /today message says so, with only the buttons that still make sense.
    assert shown["text"].startswith("✅ Done at 09:00.\nToday, ")
    assert [label for row in served.coach.standin.buttons(shown) for label, _ in row] == [
        "🩹 Pain"
    ]
    said = served.coach.texts()[-2:]
    assert said[0] == texts.LOGGED_DONE
    assert len(await handed_on(served)) == 1  # as a press of the chat's Done button
    # Done again from the page: still one row, and the chat says what was recorded.
    again = await served.act(action="done", day=day["date"])
    assert again.status_code == 200
    assert await logs(served) == [(dt.date.fromisoformat(day["date"]), "done")]
    assert served.coach.last() == "Already logged: done at 09:00. Nothing changed."


async def test_move_on_the_page_moves_the_session(served: Served) -> None:
    state = await on_a_strength_day(served)
    day = today_of(state)
    target = day["moves"][0]
    await served.coach.send("/today")
    shown = served.coach.standin.last_message(RUNNER)

    answer = await served.act(action="move", day=day["date"], to=target["date"])

    assert answer.status_code == 200
    moved = {d["date"]: d for d in answer.json()["days"]}
    assert moved[day["date"]]["session"] is None
    landed = moved[target["date"]]["session"]["name"]  # "(light)" before a long run
    assert landed.startswith(day["session"]["name"])
    assert served.coach.last().startswith(f"Moved: {landed} is on {target['label'][:3]}")
    # /today's message no longer offers a session that is not today's any more.
    assert served.coach.standin.buttons(shown) == []
    async with runtime(served.coach.app).sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=RUNNER)
        assert runner is not None and runner.id is not None
        start = week_start_of(dt.date.fromisoformat(day["date"]))
        changes = await repo.get_week_changes(db, runner_id=runner.id, week_start=start)
    assert changes is not None and len(changes.moves) == 1


async def test_something_hurts_starts_the_chat_s_pain_check(served: Served) -> None:
    state = await on_a_strength_day(served)
    answer = await served.act(action="pain", day=state["today"])
    assert answer.status_code == 200
    asked = served.coach.last()
    await served.coach.send("/cancel")
    await served.coach.send("/pain")
    assert served.coach.last() == asked


async def test_forged_init_data_gets_401_and_changes_nothing(served: Served) -> None:
    state = await on_a_strength_day(served)
    await served.coach.send("/today")
    before = [dict(m) for m in served.coach.standin.sent_to(RUNNER)]
    genuine = served.init_data()
    forged = {
        "another bot's token": f"tma {served.init_data(token='999999:' + 'x' * 35)}",
        "stale": f"tma {served.init_data(signed=served.clock() - dt.timedelta(days=2))}",
        "altered user": f"tma {genuine.replace('%22id%22%3A42', '%22id%22%3A43')}",
        "42's hash on 43's data": "tma "
        + served.init_data(43).split("&hash=")[0]
        + "&hash="
        + genuine.split("&hash=")[1],
        "no scheme": genuine,
        "no header": None,
    }
    for kind, header in forged.items():
        headers = {} if header is None else {"Authorization": header}

        week = await served.client.get(f"{API_PATH}/week", headers=headers)
        done = await served.client.post(
            f"{API_PATH}/action", json={"action": "done", "day": state["today"]}, headers=headers
        )
        await runtime(served.coach.app).inbox.idle()

        assert (week.status_code, done.status_code) == (401, 401), kind
        assert done.json() == {"error": texts.WEBAPP_TEXTS["error_auth"]}, kind
        assert await logs(served) == [], kind
        assert served.coach.standin.sent_to(RUNNER) == before, kind
        assert await handed_on(served) == [], kind  # no press was handed to the inbox
    assert (await served.week(genuine)).status_code == 200  # the genuine one still works


async def test_a_runner_not_set_up_is_sent_to_the_chat(served: Served) -> None:
    answer = await served.week()
    assert answer.status_code == 409
    assert answer.json() == {"error": texts.WEBAPP_TEXTS["no_plan"]}
    bad = await served.act(action="jump", day="2026-11-27")
    assert bad.status_code == 400


async def test_without_public_url_there_is_no_mini_app_button(db_url: str, clock: Clock) -> None:
    async for served in serve(db_url, clock, public_url=None):
        assert served.coach.standin.menu_button == {"type": "default"}
        await served.coach.onboard_typing()
        await served.coach.send("/plan")
        overview = served.coach.standin.last_message(RUNNER)
        assert served.coach.standin.web_apps(overview) == {}
        assert "✏️ Change this week" in served.coach.labels()


async def test_the_stand_in_takes_mini_app_buttons_as_telegram_does(coach: Coach) -> None:
    """Private chats only, https only: for the menu button and for an inline button."""
    bot = coach.app.bot

    def keyboard(url: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Open", web_app=WebAppInfo(url))]])

    sent = await bot.send_message(RUNNER, "week", reply_markup=keyboard(PUBLIC + "/miniapp"))
    assert coach.standin.web_apps(coach.standin.last_message(RUNNER)) == {
        "Open": PUBLIC + "/miniapp"
    }
    with pytest.raises(BadRequest, match=r"(?i)button_type_invalid"):
        await bot.send_message(-100123, "week", reply_markup=keyboard(PUBLIC))
    for url in ("http://127.0.0.1:8080/miniapp", "coach.example.org"):
        with pytest.raises(BadRequest, match=r"(?i)https"):
            await bot.send_message(RUNNER, "week", reply_markup=keyboard(url))
        with pytest.raises(BadRequest, match=r"(?i)https"):
            await bot.edit_message_reply_markup(
                RUNNER, sent.message_id, reply_markup=keyboard(url)
            )
        with pytest.raises(BadRequest, match=r"(?i)https"):
            await bot.set_chat_menu_button(
                menu_button=MenuButtonWebApp("My week", WebAppInfo(url))
            )
    await bot.set_chat_menu_button(
        RUNNER, MenuButtonWebApp("My week", WebAppInfo(PUBLIC + "/miniapp"))
    )
    assert isinstance(await bot.get_chat_menu_button(RUNNER), MenuButtonWebApp)
    assert isinstance(await bot.get_chat_menu_button(7), MenuButtonDefault)


async def test_the_kept_today_message_is_erased_with_the_runner(served: Served) -> None:
    await on_a_strength_day(served)
    await served.coach.send("/today")

    async def kept() -> object:
        async with runtime(served.coach.app).sessions() as db:
            return await repo.get_kv(db, namespace=TRACKED, key=str(RUNNER))

    shown = served.coach.standin.last_message(RUNNER)
    assert kept_id(await kept()) == shown["message_id"]
    await served.coach.send("/delete")
    await served.coach.tap("Yes, erase everything")
    assert await kept() is None


def kept_id(value: object) -> object:
    assert isinstance(value, dict)
    return value["today"]["message_id"]
