"""The Bot API stand-in behind a real HTTP server, for running `runcoach run` as a subprocess.

The server listens on 127.0.0.1 (a free port) and answers `POST /bot<token>/<method>` with what
`BotApiStandIn` answers, so the bot's own `HTTPXRequest` talks to it exactly as to Telegram:
form fields (non-string values JSON-encoded, as PTB's `RequestData.json_parameters` does) or
multipart with files. Requests are served concurrently, so a long-polling getUpdates waits
without holding up the bot's sendMessage calls.

`on_arrival(method, parameters)`, if set, is called as each call arrives, before the stand-in
sees it; returning True drops the call unseen (the connection is closed, as if the request
never left the bot), e.g. to kill the bot between its commit and its send.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.error import NetworkError
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPFile, parse_body_arguments
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.standin import BotApiStandIn

__all__ = ["HttpStandIn"]

_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")
# Parameters whose values are always strings; PTB sends them as they are, not JSON-encoded.
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "language_code",
        "url",
        "secret_token",
        "action",
        "description",
        "short_description",
    }
)


def _decode(name: str, raw: str) -> Any:
    """Undo `RequestParameter.json_value`: strings were sent raw, everything else as JSON."""
    if name in _STRING_FIELDS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


@dataclass
class _FormRequestData:
    """Just what `BotApiStandIn` reads from a `telegram.request.RequestData`."""

    parameters: dict[str, Any]
    multipart_data: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)

    @property
    def contains_files(self) -> bool:
        return bool(self.multipart_data)


class _BotApiHandler(RequestHandler):
    def initialize(self, owner: HttpStandIn) -> None:
        self.owner = owner

    def check_xsrf_cookie(self) -> None:
        """The Bot API has no XSRF protection."""

    async def post(self) -> None:
        await self._answer()

    async def get(self) -> None:
        await self._answer()

    async def _answer(self) -> None:
        owner = self.owner
        owner.requests += 1
        match = _PATH.match(self.request.path)
        if match is None:
            owner.bad_paths.append(self.request.path)
            self._reply(404, b'{"ok":false,"error_code":404,"description":"Not Found"}')
            return
        owner.tokens.add(match["token"])
        if match["token"] in owner.rejected_tokens:  # revoked: what Telegram answers
            self._reply(401, b'{"ok":false,"error_code":401,"description":"Unauthorized"}')
            return
        arguments: dict[str, list[bytes]] = {}
        files: dict[str, list[HTTPFile]] = {}
        parse_body_arguments(
            self.request.headers.get("Content-Type", ""), self.request.body, arguments, files
        )
        for name, values in self.request.query_arguments.items():
            arguments.setdefault(name, values)
        parameters = {
            name: _decode(name, values[-1].decode("utf-8")) for name, values in arguments.items()
        }
        uploads = {
            name: (parts[-1].filename, parts[-1].body, parts[-1].content_type)
            for name, parts in files.items()
        }
        if owner.on_arrival is not None and owner.on_arrival(match["method"], parameters):
            owner.dropped.append((match["method"], parameters))
            self.detach().close()
            return
        data = _FormRequestData(parameters, uploads)
        url = f"http://{self.request.host}/bot{match['token']}/{match['method']}"
        call = asyncio.ensure_future(owner.standin.do_request(url, "POST", data))  # type: ignore[arg-type]
        owner._inflight.add(call)
        try:
            status, body = await call
        except asyncio.CancelledError:  # the server is stopping: hang up
            self.detach().close()
            return
        except NetworkError:
            # Injected timeouts and connection failures: the client sees a dropped connection.
            self.detach().close()
            return
        finally:
            owner._inflight.discard(call)
        self._reply(status, body)

    def _reply(self, status: int, body: bytes) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(body)


class HttpStandIn:
    """A `BotApiStandIn` served over HTTP on 127.0.0.1; use `async with` in a running loop."""

    def __init__(self, standin: BotApiStandIn | None = None) -> None:
        self.standin = standin or BotApiStandIn()
        self.requests = 0
        self.tokens: set[str] = set()
        self.rejected_tokens: set[str] = set()  # answered 401 Unauthorized, as a revoked token
        self.bad_paths: list[str] = []
        # Called as each call arrives; True drops it unseen (see the module's docstring).
        self.on_arrival: Callable[[str, dict[str, Any]], bool] | None = None
        self.dropped: list[tuple[str, dict[str, Any]]] = []
        self.port = 0
        self._server: HTTPServer | None = None
        self._sockets: list[socket.socket] = []
        self._inflight: set[asyncio.Future[tuple[int, bytes]]] = set()

    @property
    def base_url(self) -> str:
        """What to give the bot as TELEGRAM_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        app = Application(
            [(r"/.*", _BotApiHandler, {"owner": self})], log_function=lambda _handler: None
        )
        self._server = HTTPServer(app)
        self._sockets = bind_sockets(0, "127.0.0.1")
        self.port = self._sockets[0].getsockname()[1]
        self._server.add_sockets(self._sockets)

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.stop()
        # A long-polling getUpdates may still be waiting for updates: end it now.
        for call in list(self._inflight):
            call.cancel()
        await self._server.close_all_connections()
        self._server = None

    async def __aenter__(self) -> HttpStandIn:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
