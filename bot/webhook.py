"""Webhook mode: a small HTTP server that takes Telegram's updates and reports health.

Our own server rather than PTB's `run_webhook`, because it must check before it spends:

- The secret header is compared (in constant time) as soon as the headers are in, before a
  byte of the body is read: a request without it gets 403 and its body is never read. Every
  route streams its body (`stream_request_body`), so nothing is buffered before a handler has
  said yes, and an update's body is cut off at `MAX_BODY` with 413.
- Headers must arrive within `HEADER_TIMEOUT` and the body within `BODY_TIMEOUT`, or the
  connection is closed. At most `max_connections` are open at once (WEB_MAX_CONNECTIONS, kept
  below the process's file limit); a connection over the cap is closed at once. Accept errors
  (EMFILE...) pause accepting for a moment and are logged at most once a second.
- The parsed update goes to `accept`. The server answers 200 only once `accept` has returned
  (it stores the update), and 503 when it raises, so that Telegram sends the update again.
- `GET /health` writes a row and commits it, within `HEALTH_TIMEOUT`: 200 only when the
  database takes writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hmac
import json
import logging
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream
from tornado.netutil import bind_sockets
from tornado.web import Application as WebApp
from tornado.web import RequestHandler, stream_request_body

from bot.app import shut_down, start_up
from bot.logs import RateLimitFilter, Throttled, one_line
from bot.runtime import runtime
from storage import repo

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]
Accept = Callable[[dict[str, Any]], Awaitable[None]]
"""Called with each update (a JSON object with an integer `update_id`); it stores the update.

It returns once the update is safely kept; the server then answers 200. It raises when it
could not keep it (the database is down, say); the server then answers 503 and Telegram sends
the update again later. An update it cannot use should be kept or dropped, not raised about:
a raise makes Telegram resend it.
"""

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # bytes; Telegram's updates are a few KB
MAX_HEADER_SIZE = 16 * 1024  # bytes, request line and headers together
HEADER_TIMEOUT = 10.0  # s to send the request line and headers; also the keep-alive idle time
BODY_TIMEOUT = 10.0  # s to send the whole body
HEALTH_TIMEOUT = 3.0  # s for the whole database check, connect included (the docs say 5)
HEALTH_REUSE = 1.0  # s an answer of /health is reused: at most one probe write a second
DRAIN_TIMEOUT = 10.0  # s that stop() waits for updates being stored to get their answer
DEFAULT_MAX_CONNECTIONS = 200
FD_RESERVE = 100  # open files kept for the database, the Bot API, logs and the event loop
ACCEPT_PAUSE = 0.1  # s without accepting after an accept error such as EMFILE
ACCEPT_BATCH = 128  # connections accepted per wake-up at most
MAX_UPDATE_ID = 2**63 - 1
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}


class UnreadableUpdate(ValueError):
    """The body is not a Telegram update: not JSON, not an object, or no integer update_id."""


def parse_update(body: bytes) -> dict[str, Any]:
    """The update in `body`, or UnreadableUpdate with a short reason (never the body itself)."""
    try:
        data = json.loads(body)
    except RecursionError:
        raise UnreadableUpdate("nested too deeply") from None
    except UnicodeDecodeError:
        raise UnreadableUpdate("not UTF-8") from None
    except ValueError as error:  # JSONDecodeError, or an integer with thousands of digits
        raise UnreadableUpdate(f"not JSON ({str(error)[:120]})") from None
    if not isinstance(data, dict):
        kind = "null" if data is None else _JSON_TYPES.get(type(data), "a number")
        raise UnreadableUpdate(f"{kind}, not an object")
    update_id = data.get("update_id")
    if isinstance(update_id, bool) or not isinstance(update_id, int):
        raise UnreadableUpdate("no integer update_id")
    if not 0 <= update_id <= MAX_UPDATE_ID:
        raise UnreadableUpdate("update_id out of range")
    return data


def database_state(error: BaseException) -> str:
    """What a failed probe write says about the database: read-only, full or unreachable."""
    cause = getattr(error, "orig", None) or error
    code = getattr(cause, "sqlite_errorcode", None)
    if isinstance(code, int):
        if code & 0xFF == 8:  # SQLITE_READONLY: read-only file, folder or file system
            return "read-only"
        if code & 0xFF == 13:  # SQLITE_FULL
            return "full"
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate == "25006":  # read_only_sql_transaction: a standby, or a read-only setting
        return "read-only"
    if sqlstate == "53100":  # disk_full
        return "full"
    return "unreachable"


def _access_log(handler: RequestHandler) -> None:
    # Handlers log what an operator needs, at most once a second; tornado's own access log
    # would add a WARNING per refused request.
    request = handler.request
    log.debug(
        "%s %s %d %.1f ms",
        request.method,
        request.path,
        handler.get_status(),
        1000 * request.request_time(),
    )


class _Guarded(RequestHandler):
    """The common part of every route: no Server header, bodies never buffered by default."""

    def initialize(self, server: WebhookServer) -> None:
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
class _NotFound(_Guarded):
    def prepare(self) -> None:
        self.refuse(404, "not-found", "")


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
    """Serves POST `path` (Telegram's updates, handed to `accept`) and GET /health on one port."""

    def __init__(
        self,
        app: App,
        *,
        path: str,
        secret: str,
        accept: Accept,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        header_timeout: float = HEADER_TIMEOUT,
        body_timeout: float = BODY_TIMEOUT,
        health_timeout: float = HEALTH_TIMEOUT,
        health_reuse: float = HEALTH_REUSE,
    ) -> None:
        self.app = app
        self.secret = secret.encode()
        self.accept = accept
        self.max_connections = max_connections
        self.health_timeout = health_timeout
        self.health_reuse = health_reuse
        self.throttled = Throttled(log)
        self._tornado_filter = RateLimitFilter()  # tornado logs each malformed request
        handlers = {"server": self}
        web = WebApp(
            [(path, _UpdateHandler, handlers), ("/health", _HealthHandler, handlers)],
            default_handler_class=_NotFound,
            default_handler_args=handlers,
            log_function=_access_log,
        )
        self._server = _CountingHTTPServer(
            web,
            idle_connection_timeout=header_timeout,  # tornado's header timeout too
            body_timeout=body_timeout,
            max_header_size=MAX_HEADER_SIZE,
            # _UpdateHandler answers 413 past MAX_BODY; this is tornado's own backstop.
            max_body_size=4 * MAX_BODY,
        )
        self._sockets: list[socket.socket] = []
        self._stopped = False
        self._storing: set[asyncio.Future[None]] = set()
        self._probe: asyncio.Task[str] | None = None
        self._health: tuple[float, str] | None = None  # (loop time, state) of the last answer
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
        if self._probe is not None and not self._probe.done():
            self._probe.cancel()
            await asyncio.wait({self._probe}, timeout=1)

    # --- updates -----------------------------------------------------------------------------

    async def hand_over(self, update: dict[str, Any]) -> None:
        """`accept(update)`, counted so that stop() can wait for it."""
        stored = asyncio.ensure_future(self.accept(update))
        self._storing.add(stored)
        stored.add_done_callback(self._storing.discard)
        await stored

    # --- health ------------------------------------------------------------------------------

    async def database(self) -> str:
        """ok, or why the database takes no writes now: unreachable, read-only or full.

        One probe at a time, and one answer reused for `health_reuse` seconds. The probe runs
        in its own task: when it has no answer within `health_timeout` it is cancelled and left
        to unwind by itself, so no hung connect or rollback can hold the answer back.
        """
        loop = asyncio.get_running_loop()
        if self._health is not None and loop.time() - self._health[0] < self.health_reuse:
            return self._health[1]
        deadline = loop.time() + self.health_timeout
        while True:
            if self._probe is None or self._probe.done():
                self._probe = asyncio.ensure_future(self._write_probe())
            probe = self._probe
            await asyncio.wait({probe}, timeout=max(0.0, deadline - loop.time()))
            if probe.done() and not probe.cancelled():
                state = probe.result()
                break
            if not probe.done() or loop.time() >= deadline:
                probe.cancel()
                state = "unreachable"
                self.throttled.log(
                    "health",
                    logging.ERROR,
                    "health: database unreachable: no answer within %.1f s",
                    self.health_timeout,
                )
                break
            # A probe that an earlier request gave up on has just unwound: try afresh.
        previous = self._health[1] if self._health else "ok"
        if state == "ok" and previous != "ok":
            log.warning("health: database ok again")
        self._health = (loop.time(), state)
        return state

    async def _write_probe(self) -> str:
        rt = runtime(self.app)
        try:
            # As every writer does (on SQLite, the one writer's turn comes in order).
            async with rt.locks.transaction() as session:
                await repo.set_kv(
                    session, namespace="health", key="probe", value=rt.clock().isoformat()
                )
        except Exception as error:  # whatever it is, the database takes no writes now
            state = database_state(error)
            self.throttled.log(
                "health", logging.ERROR, "health: database %s: %s", state, one_line(error)
            )
            return state
        return "ok"


def connection_cap(wanted: int, reserve: int = FD_RESERVE) -> int:
    """`wanted` connections, or fewer if this process may not open that many files.

    The soft RLIMIT_NOFILE is first raised as far as needed (up to the hard limit).
    """
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = wanted + reserve
    unlimited = resource.RLIM_INFINITY
    if soft != unlimited and soft < need:
        raised = need if hard == unlimited else min(need, hard)
        if raised > soft:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
                soft = raised
    if soft == unlimited or soft >= need:
        return wanted
    cap = max(1, soft - reserve)
    log.warning(
        "WEB_MAX_CONNECTIONS=%d needs %d open files, but this process may open %d: "
        "serving at most %d connections (raise LimitNOFILE or ulimit -n)",
        wanted,
        need,
        soft,
        cap,
    )
    return cap


async def serve_webhook(
    app: App,
    *,
    url: str,
    path: str,
    secret: str,
    host: str,
    port: int,
    accept: Accept | None = None,
) -> None:
    """Run the bot in webhook mode until SIGTERM or SIGINT. Each update is stored in the
    inbox (or given to `accept`) before Telegram gets its 200; turns under way finish."""
    import signal

    from telegram import Update as TgUpdate

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    inbox = runtime(app).inbox
    assert inbox is not None
    cap = connection_cap(runtime(app).settings.web_max_connections)
    server = WebhookServer(
        app, path=path, secret=secret, accept=accept or inbox.accept, max_connections=cap
    )
    async with app:
        await start_up(app)
        await app.start()
        await inbox.start()
        bound = server.start(host, port)
        await app.bot.set_webhook(url, secret_token=secret, allowed_updates=TgUpdate.ALL_TYPES)
        log.info("runcoach listening for webhooks on %s:%s%s", host, bound, path)
        await stop.wait()
        log.info("runcoach stopping")
        await server.stop()
        await inbox.stop()
        await app.stop()
    await shut_down(app)
