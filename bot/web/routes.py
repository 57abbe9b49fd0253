"""The web server's routes: Telegram's updates, `GET /health`, the calendar feed
(`GET /calendar/<token>.ics`), and everything else (404). `routes` builds the list; a new
page adds its `(pattern, handler, kwargs)` there.

Every route streams its body (`stream_request_body`) and decides in `prepare`, as soon as the
headers are in, whether it will read it: nothing is buffered before a route has said yes. The
update route compares the secret header in constant time before a byte of the body is read,
and cuts the body off at `MAX_BODY` with 413.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from typing import Any, Protocol

from tornado.web import Application as WebApp
from tornado.web import RequestHandler, stream_request_body

from bot.logs import Throttled, one_line
from bot.runtime import runtime
from bot.web.feed import FeedService
from bot.web.updates import MAX_BODY, SECRET_HEADER, App, UnreadableUpdate, log, parse_update
from bot.webapp.routes import webapp_routes

Route = tuple[str, type[RequestHandler], dict[str, Any]]
FEED_PATTERN = r"/calendar/([A-Za-z0-9_-]{16,128})\.ics"
_FEED_PATH = re.compile(r"/calendar/[^/]*")


class Host(Protocol):
    """What the routes need from the server that runs them (`WebhookServer`)."""

    app: App
    secret: bytes
    throttled: Throttled
    feed: FeedService

    async def hand_over(self, update: dict[str, Any]) -> None:
        """Store the update; raises when it could not be kept."""

    async def database(self) -> str:
        """ok, or why the database takes no writes now."""


def routes(host: Host, path: str | None) -> list[Route]:
    """Every route: the updates at `path` (webhook mode only: None in polling mode),
    `/health`, the calendar feed and the Mini App (docs/miniapp.md)."""
    handlers: dict[str, Any] = {"server": host}
    found: list[Route] = []
    if path is not None:
        found.append((path, _UpdateHandler, handlers))
    found.append(("/health", _HealthHandler, handlers))
    found.append((FEED_PATTERN, _FeedHandler, handlers))
    found.extend(webapp_routes(host))
    return found


def web_app(path: str | None, host: Host) -> WebApp:
    """The tornado application: `routes`, and 404 for the rest."""
    handlers = {"server": host}
    return WebApp(
        routes(host, path),
        default_handler_class=_NotFound,
        default_handler_args=handlers,
        log_function=_access_log,
    )


def _access_log(handler: RequestHandler) -> None:
    # Handlers log what an operator needs, at most once a second; tornado's own access log
    # would add a WARNING per refused request.
    request = handler.request
    log.debug(
        "%s %s %d %.1f ms",
        request.method,
        _FEED_PATH.sub("/calendar/<token>.ics", request.path),  # a feed's token is a secret
        handler.get_status(),
        1000 * request.request_time(),
    )


class _Guarded(RequestHandler):
    """The common part of every route: no Server header, bodies never buffered by default."""

    def initialize(self, server: Host) -> None:
        self.server = server

    def set_default_headers(self) -> None:
        self.clear_header("Server")

    def data_received(self, chunk: bytes) -> None:
        """Routes that take no body drop whatever comes (they refuse bodies in prepare)."""

    def check_xsrf_cookie(self) -> None:
        """Telegram posts without cookies; the secret header is the check."""

    def refuse(self, status: int, kind: str, message: str, *args: object) -> None:
        """Answer `status` now (the rest of the body is never read); log at most once a second.

        When a body was announced, the connection is closed after the answer (tornado cannot
        read the next request behind an unread body), and `Connection: close` says so: a
        client that pools connections would otherwise send its next request into the closing
        socket and get a reset.
        """
        if message:
            self.server.throttled.log(kind, logging.WARNING, message, *args)
        self.set_status(status)
        if self.has_body():
            self.set_header("Connection", "close")
        self.finish()

    def has_body(self) -> bool:
        headers = self.request.headers
        return "Transfer-Encoding" in headers or headers.get("Content-Length", "0") != "0"


@stream_request_body
class _UpdateHandler(_Guarded):
    def prepare(self) -> None:
        given = (self.request.headers.get(SECRET_HEADER) or "").encode()
        if not hmac.compare_digest(given, self.server.secret):
            self.refuse(
                403,
                "secret",
                "webhook: refused a request without the right secret, from %s",
                self.request.remote_ip,
            )
            return
        if self.request.method != "POST":
            self.refuse(405, "method", "webhook: %s is not POST", self.request.method)
            return
        length = self.request.headers.get("Content-Length")
        if length is not None:
            if not (length.isascii() and length.isdigit()):
                self.refuse(400, "length", "webhook: bad Content-Length %r", length[:40])
                return
            if len(length) > 12 or int(length) > MAX_BODY:  # int() of 5,000 digits raises
                self.refuse(
                    413,
                    "size",
                    "webhook: refused a body of %s bytes (most %d)",
                    length if len(length) <= 12 else f"{len(length)}-digit",
                    MAX_BODY,
                )
                return
        self._chunks: list[bytes] = []
        self._size = 0

    def data_received(self, chunk: bytes) -> None:
        if self._finished:
            return
        self._size += len(chunk)
        if self._size > MAX_BODY:
            self._chunks = []
            self.refuse(413, "size", "webhook: refused a body over %d bytes", MAX_BODY)
            return
        self._chunks.append(chunk)

    async def post(self) -> None:
        body = b"".join(self._chunks)
        self._chunks = []
        try:
            update = parse_update(body)
        except UnreadableUpdate as error:
            self.refuse(400, "unreadable", "webhook: unreadable update: %s", error)
            return
        del body
        try:
            await self.server.hand_over(update)
        except Exception as error:  # the update was not kept: Telegram must send it again
            self.server.throttled.log(
                "not-kept",
                logging.ERROR,
                "webhook: update %d not stored, answered 503 so Telegram sends it again: %s",
                update["update_id"],
                one_line(error),
            )
            self.set_status(503)
            return
        self.set_status(200)


@stream_request_body
class _HealthHandler(_Guarded):
    def prepare(self) -> None:
        if self.request.method != "GET":
            self.refuse(405, "method", "")
        elif self.has_body():
            self.refuse(400, "health-body", "")

    async def get(self) -> None:
        database = await self.server.database()
        rt = runtime(self.server.app)
        tick = rt.last_dispatch
        body = {
            "status": "ok" if database == "ok" else "degraded",
            "database": database,
            "dispatcher_last_tick": tick.isoformat() if tick else None,
            "dispatcher_seconds_since_tick": (
                round((rt.clock() - tick).total_seconds(), 1) if tick else None
            ),
        }
        self.set_status(200 if database == "ok" else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))


@stream_request_body
class _FeedHandler(_Guarded):
    """A runner's calendar (bot/web/feed.py). Every token the pattern takes, known or not,
    goes the same way: the bucket, the one query, then 404 or the feed."""

    def prepare(self) -> None:
        if self.request.method not in {"GET", "HEAD"}:
            self.refuse(405, "method", "")
        elif self.has_body():
            self.refuse(400, "feed-body", "")

    async def get(self, token: str) -> None:
        try:
            answer = await self.server.feed.answer(
                token, self.request.headers.get("If-None-Match")
            )
        except Exception as error:
            self.server.throttled.log(
                "feed", logging.ERROR, "calendar feed: cannot answer: %s", one_line(error)
            )
            self.set_status(503)
            self.set_header("Retry-After", "60")
            return
        self.set_status(answer.status)
        self.set_header("Cache-Control", "private, no-cache")
        self.set_header("Referrer-Policy", "no-referrer")
        if answer.retry_after is not None:
            self.set_header("Retry-After", str(answer.retry_after))
        if answer.etag is not None:
            self.set_header("ETag", answer.etag)
        if answer.status == 200:
            self.set_header("Content-Type", "text/calendar; charset=utf-8")
            self.set_header("Content-Disposition", 'inline; filename="runcoach.ics"')
            self.finish(answer.body)

    async def head(self, token: str) -> None:
        await self.get(token)


@stream_request_body
class _NotFound(_Guarded):
    def prepare(self) -> None:
        self.refuse(404, "not-found", "")
