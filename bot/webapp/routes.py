"""The Mini App's routes on the bot's web server: the page, its script and style, and the
API (`GET .../api/week`, `POST .../api/action`).

Every API call carries the init data Telegram gave the page (`Authorization: tma ...`),
checked by `bot.webapp.auth` before anything is read: no cookies, no runner ids in URLs.
An action (Done, Skip, Move, Something hurts) becomes the callback data of the chat's own
button, handed to the inbox as an update of our own (`bot.turns.INTERNAL_UPDATES`): the
runner's lock, the turn, the commit and the replies are the chat's (docs/miniapp.md). The API
answers once that turn has committed, with the week as it now is.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import logging
import secrets
import time
from importlib import resources
from typing import Any, Protocol

from tornado.web import RequestHandler, stream_request_body

from bot import texts
from bot.callbacks import MovePress, TodayAction, TodayPress
from bot.inbox import MAX_ATTEMPTS
from bot.logs import Throttled
from bot.runtime import App, runtime
from bot.turns import INTERNAL_UPDATES
from bot.webapp.auth import InitDataError, WebAppUser, check_init_data
from bot.webapp.page import render_page
from bot.webapp.urls import API_PATH, PAGE_PATH
from bot.webapp.week import week_state
from storage import repo
from storage.tables import InboxUpdate

log = logging.getLogger(__name__)
SCHEME = "tma "  # Authorization: tma <init data>
MAX_ACTION_BODY = 1024  # bytes: {"action": ..., "day": ..., "to": ...}
ACTION_TIMEOUT = 15.0  # s for the action's turn to commit (retries included)
POLL = 0.02  # s between looks at whether the action's turn has committed
_counter = itertools.count()
STATIC = {"app.js": "text/javascript", "app.css": "text/css"}


class Host(Protocol):
    """What the routes need from the server that runs them (`bot.web.WebhookServer`)."""

    app: App


Route = tuple[str, type[RequestHandler], dict[str, Any]]


def webapp_routes(host: Host) -> list[Route]:
    """The Mini App's routes, for the web server's tornado application."""
    args: dict[str, Any] = {"host": host, "throttled": Throttled(log)}
    return [
        (PAGE_PATH, _Page, args),
        (PAGE_PATH + r"/(app\.js|app\.css)", _Static, args),
        (API_PATH + "/week", _Week, args),
        (API_PATH + "/action", _Action, args),
    ]


def internal_update_id() -> int:
    """An update id Telegram never uses (from `INTERNAL_UPDATES` up), increasing with time
    (so one runner's presses keep their order) and unlikely to meet another process's."""
    low = (next(_counter) + secrets.randbelow(1 << 10)) % (1 << 10)
    return INTERNAL_UPDATES + (time.time_ns() // 1000 << 10) + low


class _Base(RequestHandler):
    def initialize(self, host: Host, throttled: Throttled) -> None:
        self.host = host
        self.throttled = throttled

    def set_default_headers(self) -> None:
        self.clear_header("Server")
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def check_xsrf_cookie(self) -> None:
        """No cookies: the init data in every call is the check."""

    def answer(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(body))

    def user(self) -> WebAppUser | None:
        """The runner the request's init data names; None (answered 401) if it does not."""
        header = self.request.headers.get("Authorization", "")
        rt = runtime(self.host.app)
        try:
            if not header.startswith(SCHEME):
                raise InitDataError("no tma Authorization header")
            return check_init_data(
                header[len(SCHEME) :],
                token=self.host.app.bot.token,
                now=rt.clock(),
                max_age=dt.timedelta(seconds=rt.settings.webapp_max_age_seconds),
            )
        except InitDataError as error:
            self.throttled.log(
                "webapp-auth",
                logging.WARNING,
                "mini app: refused %s %s from %s: %s",
                self.request.method,
                self.request.path,
                self.request.remote_ip,
                error,
            )
            self.answer(401, {"error": texts.WEBAPP_TEXTS["error_auth"]})
            return None


class _Page(_Base):
    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self' https://telegram.org; "
            "style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'",
        )
        self.finish(render_page())


class _Static(_Base):
    def get(self, name: str) -> None:
        self.set_header("Content-Type", f"{STATIC[name]}; charset=utf-8")
        self.finish(resources.files("bot.webapp").joinpath("static", name).read_bytes())


class _Week(_Base):
    async def get(self) -> None:
        user = self.user()
        if user is None:
            return
        rt = runtime(self.host.app)
        async with rt.sessions() as db:
            runner = await repo.get_runner(db, telegram_user_id=user.id)
            if runner is None or not runner.onboarded:
                self.answer(409, {"error": texts.WEBAPP_TEXTS["no_plan"]})
                return
            state = await week_state(db, runner, now=rt.clock())
        self.answer(200, state)


@stream_request_body
class _Action(_Base):
    def prepare(self) -> None:
        self._body = b""
        length = self.request.headers.get("Content-Length", "0")
        if not (length.isascii() and length.isdigit()) or int(length[:6]) > MAX_ACTION_BODY:
            self.answer(413, {"error": texts.WEBAPP_TEXTS["error"]})

    def data_received(self, chunk: bytes) -> None:
        if self._finished:
            return
        self._body += chunk
        if len(self._body) > MAX_ACTION_BODY:
            self.answer(413, {"error": texts.WEBAPP_TEXTS["error"]})

    async def post(self) -> None:
        user = self.user()
        if user is None:
            return
        data = self._callback_data()
        if data is None:
            self.answer(400, {"error": texts.WEBAPP_TEXTS["error"]})
            return
        rt = runtime(self.host.app)
        async with rt.sessions() as db:
            runner = await repo.get_runner(db, telegram_user_id=user.id)
        if runner is None or not runner.onboarded or rt.inbox is None:
            self.answer(409, {"error": texts.WEBAPP_TEXTS["no_plan"]})
            return
        update_id = internal_update_id()
        try:
            await rt.inbox.accept(self._press(update_id, user, runner.chat_id, data))
        except Exception as error:  # not stored: nothing will happen, and the page says so
            log.error("mini app: action %s of user %s not stored: %s", data, user.id, error)
            self.answer(503, {"error": texts.WEBAPP_TEXTS["error"]})
            return
        outcome = await self._settled(update_id)
        if outcome == "timeout":  # still under way: it may yet commit
            log.warning("mini app: action %s of user %s still under way", data, user.id)
            self.answer(504, {"error": texts.WEBAPP_TEXTS["slow"]})
            return
        if outcome != "done":
            log.error("mini app: action %s of user %s failed", data, user.id)
            self.answer(500, {"error": texts.WEBAPP_TEXTS["error"]})
            return
        async with rt.sessions() as db:  # the runner as the turn left them
            runner = await repo.get_runner(db, telegram_user_id=user.id)
            if runner is None:  # erased meanwhile (/delete)
                self.answer(409, {"error": texts.WEBAPP_TEXTS["no_plan"]})
                return
            state = await week_state(db, runner, now=rt.clock())
        self.answer(200, state)

    @staticmethod
    def _press(update_id: int, user: WebAppUser, chat_id: int, data: str) -> dict[str, Any]:
        """The chat's button press, as an update of our own (docs/miniapp.md)."""
        return {
            "update_id": update_id,
            "callback_query": {
                "id": f"webapp-{update_id}",
                "from": {"id": user.id, "is_bot": False, "first_name": user.first_name},
                "chat_instance": "webapp",
                "data": data,
                # No message of Telegram's: an inaccessible one in the runner's chat
                # (date 0), which the turn's owner check reads.
                "message": {
                    "message_id": 0,
                    "date": 0,
                    "chat": {"id": chat_id, "type": "private"},
                },
            },
        }

    def _callback_data(self) -> str | None:
        """The chat button's data for the action asked, or None if it can't be read."""
        try:
            body = json.loads(self._body or b"{}")
            action = body["action"]
            day = dt.date.fromisoformat(body["day"])
            if action == "move":
                return MovePress(day, dt.date.fromisoformat(body["to"])).encode()
        except (ValueError, KeyError, TypeError):
            return None
        codes = {"done": TodayAction.DONE, "skip": TodayAction.SKIP, "pain": TodayAction.PAIN}
        if action not in codes:
            return None
        return TodayPress(codes[action], day).encode()

    async def _settled(self, update_id: int) -> str:
        """Wait for the update's turn: "done" once it committed, "failed" if the inbox gave
        up on it, "timeout" if it is still under way after ACTION_TIMEOUT."""
        rt = runtime(self.host.app)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ACTION_TIMEOUT
        while True:
            async with rt.sessions() as db:
                row = await db.get(InboxUpdate, update_id)
                if row is not None and row.handled_at is not None:
                    gave_up = row.attempts >= MAX_ATTEMPTS and row.last_error is not None
                    return "failed" if gave_up else "done"
            if loop.time() > deadline:
                return "timeout"
            await asyncio.sleep(POLL)
