"""The web server itself: its own accept loop, the connection cap, timeouts, start and stop.

Headers must arrive within `HEADER_TIMEOUT` and the body within `BODY_TIMEOUT`, or the
connection is closed. At most `max_connections` are open at once (WEB_MAX_CONNECTIONS, kept
below the process's file limit); a connection over the cap is closed at once. Accept errors
(EMFILE...) pause accepting for a moment and are logged at most once a second. The routes are
in `bot.web.routes`, the database check of `/health` in `bot.web.health`.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream
from tornado.netutil import bind_sockets

from bot.logs import RateLimitFilter, Throttled
from bot.web.feed import FeedService
from bot.web.health import HEALTH_REUSE, HEALTH_TIMEOUT, HealthProbe
from bot.web.routes import web_app
from bot.web.updates import MAX_BODY, Accept, App, log

MAX_HEADER_SIZE = 16 * 1024  # bytes, request line and headers together
HEADER_TIMEOUT = 10.0  # s to send the request line and headers; also the keep-alive idle time
BODY_TIMEOUT = 10.0  # s to send the whole body
DRAIN_TIMEOUT = 10.0  # s that stop() waits for updates being stored to get their answer
DEFAULT_MAX_CONNECTIONS = 200
ACCEPT_PAUSE = 0.1  # s without accepting after an accept error such as EMFILE
ACCEPT_BATCH = 128  # connections accepted per wake-up at most


class _CountingHTTPServer(HTTPServer):
    """tornado's HTTPServer, fed by WebhookServer's own accept loop, counting connections."""

    open_connections = 0

    def handle_stream(self, stream: IOStream, address: tuple[Any, ...]) -> None:
        self.open_connections += 1
        super().handle_stream(stream, address)

    def on_close(self, server_conn: object) -> None:
        self.open_connections -= 1
        super().on_close(server_conn)


class WebhookServer:
    """The one web server: POST `path` (Telegram's updates, handed to `accept`; webhook mode
    only), GET /health and the calendar feed, on one port. Without `path` (polling mode) it
    takes no updates."""

    def __init__(
        self,
        app: App,
        *,
        path: str | None = None,
        secret: str | None = None,
        accept: Accept | None = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        header_timeout: float = HEADER_TIMEOUT,
        body_timeout: float = BODY_TIMEOUT,
        health_timeout: float = HEALTH_TIMEOUT,
        health_reuse: float = HEALTH_REUSE,
    ) -> None:
        if path is not None and (not secret or accept is None):
            raise ValueError("the update route needs its secret and accept")
        self.app = app
        self.secret = (secret or "").encode()
        self.accept = accept
        self.feed = FeedService(app)
        self.max_connections = max_connections
        self.throttled = Throttled(log)
        self.health = HealthProbe(app, self.throttled, timeout=health_timeout, reuse=health_reuse)
        self._tornado_filter = RateLimitFilter()  # tornado logs each malformed request
        self._server = _CountingHTTPServer(
            web_app(path, self),
            idle_connection_timeout=header_timeout,  # tornado's header timeout too
            body_timeout=body_timeout,
            max_header_size=MAX_HEADER_SIZE,
            # The update route answers 413 past MAX_BODY; this is tornado's own backstop.
            max_body_size=4 * MAX_BODY,
        )
        self._sockets: list[socket.socket] = []
        self._stopped = False
        self._storing: set[asyncio.Future[None]] = set()
        self.port = 0

    @property
    def open_connections(self) -> int:
        return self._server.open_connections

    # --- listening ---------------------------------------------------------------------------

    def start(self, host: str, port: int) -> int:
        """Listen; returns the port (useful with port 0)."""
        sockets = bind_sockets(port, address=host, family=socket.AF_INET)
        loop = asyncio.get_running_loop()
        for sock in sockets:
            loop.add_reader(sock.fileno(), self._accept, sock)
        self._sockets = sockets
        logging.getLogger("tornado.general").addFilter(self._tornado_filter)
        self.port = sockets[0].getsockname()[1]
        return self.port

    def _accept(self, sock: socket.socket) -> None:
        for _ in range(ACCEPT_BATCH):
            try:
                connection, address = sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as error:  # EMFILE, ENFILE, ENOBUFS, ENOMEM: wait, then try again
                name = errno.errorcode.get(error.errno or 0, "error")
                self.throttled.log(
                    "accept-error",
                    logging.ERROR,
                    "webhook: cannot accept connections (%s: %s), pausing %.1f s",
                    name,
                    error.strerror,
                    ACCEPT_PAUSE,
                )
                self._pause(sock)
                return
            if self._server.open_connections >= self.max_connections:
                connection.close()
                self.throttled.log(
                    "cap",
                    logging.WARNING,
                    "webhook: %d connections open, the most allowed (WEB_MAX_CONNECTIONS): "
                    "closed a new one from %s",
                    self._server.open_connections,
                    address[0],
                )
                continue
            connection.setblocking(False)
            stream = IOStream(connection, max_buffer_size=4 * MAX_BODY)
            self._server.handle_stream(stream, address)

    def _pause(self, sock: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        loop.remove_reader(sock.fileno())
        loop.call_later(ACCEPT_PAUSE, self._resume, sock)

    def _resume(self, sock: socket.socket) -> None:
        if not self._stopped and sock in self._sockets:
            asyncio.get_running_loop().add_reader(sock.fileno(), self._accept, sock)

    async def stop(self, drain: float = DRAIN_TIMEOUT) -> None:
        """Stop listening, let updates being stored get their answer, close every connection."""
        self._stopped = True
        loop = asyncio.get_running_loop()
        for sock in self._sockets:
            loop.remove_reader(sock.fileno())
            sock.close()
        self._sockets = []
        if self._storing:
            await asyncio.wait(set(self._storing), timeout=drain)
        await self._server.close_all_connections()
        logging.getLogger("tornado.general").removeFilter(self._tornado_filter)
        await self.health.stop()

    # --- what the routes call ----------------------------------------------------------------

    async def hand_over(self, update: dict[str, Any]) -> None:
        """`accept(update)`, counted so that stop() can wait for it."""
        assert self.accept is not None  # the update route exists only with it
        stored = asyncio.ensure_future(self.accept(update))
        self._storing.add(stored)
        stored.add_done_callback(self._storing.discard)
        await stored

    async def database(self) -> str:
        """ok, or why the database takes no writes now (`HealthProbe.database`)."""
        return await self.health.database()
