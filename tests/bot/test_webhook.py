"""The webhook server checks before it spends (issue 11): a real tornado server on 127.0.0.1.

Clients are real: httpx for ordinary requests, raw sockets for what httpx will not send (a
stalled body, half a header, a flood of idle connections). `accept` is the test's own function
at the seam where the inbox plugs in; it records what it was given.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import resource
import shutil
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from bot.web import ACCEPT_PAUSE, HEALTH_TIMEOUT, MAX_BODY, SECRET_HEADER, WebhookServer
from storage import repo
from tests.bot.conftest import Clock, Coach
from tests.conftest import MigratedTemplates

SECRET = "s3cret-s3cret-s3cret-s3cret"
PATH = "/telegram"
QUICK = 2.0  # seconds: "at once", with room for a slow machine


@dataclass
class Served:
    server: WebhookServer
    client: httpx.AsyncClient
    accepted: list[dict[str, Any]] = field(default_factory=list)
    failing: list[BaseException] = field(default_factory=list)  # accept raises these first
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A raw TCP connection, closed at the end of the test whatever happens."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writers.append(writer)
        return reader, writer

    @property
    def port(self) -> int:
        return self.server.port

    async def post(self, body: bytes, secret: str | None = SECRET) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        return await self.client.post(PATH, content=body, headers=headers)


Serve = Callable[..., Awaitable[Served]]


@pytest.fixture
async def plain_coach(tmp_path: Path, clock: Clock) -> AsyncIterator[Coach]:
    """An application whose database the test never touches (a fresh SQLite file)."""
    async with Coach(f"sqlite:///{tmp_path / 'unused.sqlite3'}", clock) as coach:
        yield coach


@pytest.fixture
async def serve(plain_coach: Coach) -> AsyncIterator[Serve]:
    """Starts WebhookServer(s) with the given options; all stopped at the end."""
    started: list[Served] = []

    async def start(coach: Coach = plain_coach, **options: Any) -> Served:
        served: Served

        async def accept(data: dict[str, Any]) -> None:
            if served.failing:
                raise served.failing.pop(0)
            served.accepted.append(data)

        server = WebhookServer(coach.app, path=PATH, secret=SECRET, accept=accept, **options)
        port = server.start("127.0.0.1", 0)
        client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10)
        served = Served(server, client)
        started.append(served)
        return served

    try:
        yield start
    finally:
        for served in started:
            for writer in served.writers:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
            await served.client.aclose()
            await served.server.stop()


def update(update_id: int = 1, **fields: Any) -> bytes:
    return json.dumps({"update_id": update_id, **fields}).encode()


def head(
    length: int | str | None,
    secret: str | None = SECRET,
    path: str = PATH,
    method: str = "POST",
    extra: str = "",
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    if secret is not None:
        lines.append(f"{SECRET_HEADER}: {secret}")
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


async def status_of(reader: asyncio.StreamReader, within: float = QUICK) -> int:
    line = await asyncio.wait_for(reader.readline(), within)
    assert line.startswith(b"HTTP/1.1 "), line
    return int(line.split()[1])


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> float:
    """Reads until the server closes the connection; returns how long that took."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    try:
        async with asyncio.timeout(seconds):
            while await reader.read(65536):
                pass
    except ConnectionResetError:
        pass
    return loop.time() - began


def webhook_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.webhook"]


def assert_one_line_each(caplog: pytest.LogCaptureFixture) -> None:
    assert "Traceback" not in caplog.text
    for record in caplog.records:
        assert record.exc_info is None, record.getMessage()
        assert "\n" not in record.getMessage(), record.getMessage()


# --- the secret before the body ------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, "wrong", SECRET[:-1]], ids=["none", "wrong", "prefix"])
async def test_a_request_without_the_secret_is_refused_before_its_body_is_sent(
    serve: Serve, secret: str | None
):
    served = await serve()
    reader, writer = await served.connect()
    # The headers promise a 1 MB body, and not a byte of it comes: a server that read the
    # body before checking would wait here (until its body timeout) instead of answering.
    writer.write(head(1_000_000, secret=secret))
    await writer.drain()
    assert await status_of(reader) == 403
    assert await closed_within(reader, QUICK) < QUICK  # and it hangs up: no body is read
    writer.close()
    assert served.accepted == []
    assert served.server.open_connections == 0


async def test_a_pooling_client_goes_on_after_a_refusal(serve: Serve):
    """A refusal leaves the body unread, so the server hangs up, and it says so first: a
    client that reuses connections (httpx here, a proxy in front of the bot) must not send its
    next update into the closing socket."""
    served = await serve()
    for n in range(20):
        refused = await served.post(update(n), secret="wrong")
        assert refused.status_code == 403
        assert refused.headers["Connection"] == "close"
        answered = await served.post(update(n))
        assert answered.status_code == 200
    assert [u["update_id"] for u in served.accepted] == list(range(20))


async def test_refused_requests_log_at_most_a_line_a_second(
    serve: Serve, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    served = await serve()
    for _ in range(50):
        response = await served.post(update(), secret="wrong")
        assert response.status_code == 403
    refusals = [r for r in webhook_records(caplog) if r.levelno >= logging.WARNING]
    assert 1 <= len(refusals) <= 2, [r.getMessage() for r in refusals]
    assert_one_line_each(caplog)


async def test_garbage_instead_of_http_logs_at_most_a_line_a_second(
    serve: Serve, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    served = await serve()
    for _ in range(50):
        reader, writer = await served.connect()
        writer.write(b"\x16\x03\x01 not http at all\r\n\r\n")  # a TLS hello, say
        await writer.drain()
        assert await status_of(reader) == 400
        writer.close()
    malformed = [r for r in caplog.records if "Malformed HTTP" in r.getMessage()]
    assert 1 <= len(malformed) <= 2, [r.getMessage() for r in malformed]
    assert_one_line_each(caplog)


# --- the body limit --------------------------------------------------------------------------


@pytest.mark.parametrize("length", [str(MAX_BODY + 1), "9" * 5000], ids=["1MiB+1", "5000-digits"])
async def test_a_body_announced_over_the_limit_gets_413_before_it_is_sent(
    serve: Serve, caplog: pytest.LogCaptureFixture, length: str
):
    caplog.set_level(logging.DEBUG)
    served = await serve()
    reader, writer = await served.connect()
    writer.write(head(length))
    await writer.drain()
    assert await status_of(reader) == 413
    assert await closed_within(reader, QUICK) < QUICK
    writer.close()
    assert served.accepted == []
    assert_one_line_each(caplog)
    assert all(len(r.getMessage()) < 400 for r in caplog.records)  # no 5,000 digits


async def test_a_chunked_body_is_cut_off_at_the_limit(serve: Serve):
    served = await serve()
    reader, writer = await served.connect()
    writer.write(head(None, extra="Transfer-Encoding: chunked\r\n"))
    piece = b"x" * 65536
    chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    sent = 0
    while sent <= MAX_BODY:  # just over the limit, then the client stalls
        writer.write(chunk)
        sent += len(piece)
    await writer.drain()
    assert await status_of(reader) == 413
    writer.close()
    assert served.accepted == []


async def test_a_body_of_exactly_the_limit_is_accepted(serve: Serve):
    served = await serve()
    body = update(7)
    body = body[:-1] + b" " * (MAX_BODY - len(body)) + b"}"
    assert len(body) == MAX_BODY
    assert (await served.post(body)).status_code == 200
    assert served.accepted == [{"update_id": 7}]


# --- malformed bodies ------------------------------------------------------------------------

MALFORMED = {
    "empty": b"",
    "null": b"null",
    "list": b"[1, 2]",
    "string": b'"update"',
    "number": b"12",
    "not-json": b"{not json",
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "deep-object": b'{"update_id": 1, "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "invalid-utf8": b'{"update_id": 1, "x": "\xff\xfe\xfa"}',
    "no-update-id": b'{"message": {}}',
    "string-update-id": b'{"update_id": "1"}',
    "bool-update-id": b'{"update_id": true}',
    "float-update-id": b'{"update_id": 1.5}',
    "negative-update-id": b'{"update_id": -1}',
    "huge-update-id": b'{"update_id": 1' + b"0" * 30 + b"}",
    "thousands-of-digits": b'{"update_id": 1' + b"0" * 5000 + b"}",
}


async def test_malformed_bodies_get_400_and_one_line_each(
    serve: Serve, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    served = await serve()
    for name, body in MALFORMED.items():
        response = await served.post(body)
        assert response.status_code == 400, name
    assert served.accepted == []
    assert_one_line_each(caplog)
    lines = [r.getMessage() for r in webhook_records(caplog) if r.levelno >= logging.WARNING]
    assert lines and all(line.startswith("webhook: unreadable update") for line in lines)
    # The server is still fine afterwards.
    assert (await served.post(update(3))).status_code == 200


async def test_other_paths_and_methods_are_refused_without_reading_a_body(serve: Serve):
    served = await serve()
    for request, expected in [
        (head(1_000_000, path="/elsewhere"), 404),
        (head(1_000_000, path="/health", method="GET", secret=None), 400),  # takes no body
        (head(1_000_000, path="/health", secret=None), 405),
        (head(None, method="GET"), 405),  # the update path with the secret, but not POST
        (head(None, method="GET", secret=None), 403),
    ]:
        reader, writer = await served.connect()
        writer.write(request)
        await writer.drain()
        assert await status_of(reader) == expected, request
        writer.close()


# --- 200 only once the update is kept --------------------------------------------------------


async def test_the_answer_waits_for_accept_and_a_failure_is_503_then_redelivered(
    serve: Serve, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    served = await serve()
    served.failing.append(RuntimeError("connection refused\n[SQL: INSERT INTO inbox ...]"))
    body = update(41, message={"text": "hi"})
    first = await served.post(body)
    assert first.status_code == 503  # Telegram keeps the update and sends it again
    assert served.accepted == []
    errors = [r for r in webhook_records(caplog) if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "update 41 not stored" in errors[0].getMessage()
    assert "INSERT" not in errors[0].getMessage()  # one line: the first line of the cause
    assert_one_line_each(caplog)

    again = await served.post(body)  # Telegram's redelivery
    assert again.status_code == 200
    assert served.accepted == [json.loads(body)]  # kept once, nothing lost


async def test_200_is_sent_only_after_accept_returns(plain_coach: Coach):
    entered, release = asyncio.Event(), asyncio.Event()
    kept: list[int] = []

    async def accept(data: dict[str, Any]) -> None:
        entered.set()
        await release.wait()
        kept.append(data["update_id"])

    server = WebhookServer(plain_coach.app, path=PATH, secret=SECRET, accept=accept)
    port = server.start("127.0.0.1", 0)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        posting = asyncio.ensure_future(
            client.post(PATH, content=update(5), headers={SECRET_HEADER: SECRET})
        )
        async with asyncio.timeout(QUICK):
            await entered.wait()
        stopping = asyncio.ensure_future(server.stop())  # SIGTERM while the update is stored
        await asyncio.sleep(0)
        assert not posting.done()  # no answer while accept is still storing
        release.set()
        async with asyncio.timeout(QUICK):
            response = await posting
            await stopping
    assert response.status_code == 200 and kept == [5]


# --- timeouts --------------------------------------------------------------------------------


async def test_headers_that_never_finish_are_cut_off(serve: Serve):
    served = await serve(header_timeout=0.3)
    reader, writer = await served.connect()
    writer.write(b"POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing
    await writer.drain()
    took = await closed_within(reader, 5)
    assert 0.2 < took < QUICK
    writer.close()


async def test_a_body_that_stalls_is_cut_off(serve: Serve):
    served = await serve(body_timeout=0.3)
    reader, writer = await served.connect()
    writer.write(head(1000) + b'{"update_id": 1, ')  # 17 of the 1000 bytes promised
    await writer.drain()
    took = await closed_within(reader, 5)
    assert 0.2 < took < QUICK
    writer.close()
    assert served.accepted == []


# --- the connection cap ----------------------------------------------------------------------


async def test_connections_over_the_cap_are_closed_at_once_and_logged_once(
    serve: Serve, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    served = await serve(max_connections=10)
    held = [await served.connect() for _ in range(10)]  # slow clients: they send nothing
    loop = asyncio.get_running_loop()
    deadline = loop.time() + QUICK
    while served.server.open_connections < 10:
        assert loop.time() < deadline, served.server.open_connections
        await asyncio.sleep(0.01)
    extra = [await served.connect() for _ in range(100)]
    for reader, _ in extra:
        assert await closed_within(reader, QUICK) < QUICK
    assert served.server.open_connections == 10
    capped = [r for r in webhook_records(caplog) if "WEB_MAX_CONNECTIONS" in r.getMessage()]
    assert 1 <= len(capped) <= 2
    assert_one_line_each(caplog)
    for _, writer in [*held, *extra]:
        writer.close()
    while served.server.open_connections:
        assert loop.time() < deadline + QUICK
        await asyncio.sleep(0.01)
    assert (await served.post(update(9))).status_code == 200  # room again


class LogWatch(logging.Handler):
    """Sets `seen` when a log line containing `text` is written."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.seen = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.seen.set()


# A client in a process of its own (its sockets do not count against the server's files): it
# opens the connections when told to, and closes them when told to.
SLOW_CLIENTS = """
import socket, sys
port, count = int(sys.argv[1]), int(sys.argv[2])
sys.stdin.readline()
held = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(count)]
print("connected", len(held), flush=True)
sys.stdin.readline()
for sock in held:
    sock.close()
"""


async def test_running_out_of_files_is_logged_once_a_second_and_survived(
    serve: Serve, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    served = await serve(max_connections=100_000)  # no cap to save us: the file limit hits
    clients = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        SLOW_CLIENTS,
        str(served.port),
        "100",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert clients.stdin is not None and clients.stdout is not None
    watch = LogWatch("EMFILE")
    logging.getLogger("bot.webhook").addHandler(watch)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (len(os.listdir("/proc/self/fd")) + 10, hard))
    try:
        clients.stdin.write(b"go\n")
        await clients.stdin.drain()
        async with asyncio.timeout(10):
            assert (await clients.stdout.readline()).startswith(b"connected 100")
            await watch.seen.wait()
        # Accepting is retried every ACCEPT_PAUSE; a while of retries is the thing under test.
        await asyncio.sleep(5 * ACCEPT_PAUSE)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    clients.stdin.write(b"close\n")
    await clients.stdin.drain()
    assert await asyncio.wait_for(clients.wait(), 10) == 0
    emfile = [r.getMessage() for r in webhook_records(caplog) if "EMFILE" in r.getMessage()]
    assert 1 <= len(emfile) <= 2, emfile
    assert_one_line_each(caplog)
    logging.getLogger("bot.webhook").removeHandler(watch)
    assert (await served.post(update(11))).status_code == 200  # still serving
    assert served.accepted == [{"update_id": 11}]


# --- health that tells the truth -------------------------------------------------------------


async def health(served: Served) -> tuple[int, dict[str, Any], float]:
    """GET /health: (status, JSON body, seconds it took)."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    response = await served.client.get("/health")
    return response.status_code, response.json(), loop.time() - began


async def test_health_is_200_only_after_a_committed_write(coach: Coach, serve: Serve):
    served = await serve(coach)
    status, body, _ = await health(served)
    assert (status, body["status"], body["database"]) == (200, "ok", "ok")
    assert set(body) == {
        "status",
        "database",
        "dispatcher_last_tick",
        "dispatcher_seconds_since_tick",
    }
    async with coach.app.bot_data["runtime"].sessions() as db:
        probe = await repo.get_kv(db, namespace="health", key="probe")
    assert probe == coach.app.bot_data["runtime"].clock().isoformat()  # the write committed


@contextlib.contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """The file as a restore by another user leaves it: the bot may read it, not write it."""
    path.chmod(0o444)
    immutable = os.geteuid() == 0  # root writes through file modes; not through +i
    if immutable:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o644)


async def test_health_is_503_read_only_when_the_sqlite_file_cannot_be_written(
    tmp_path: Path, clock: Clock, migrated_templates: MigratedTemplates, serve: Serve
):
    path = tmp_path / "data" / "runcoach.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(await migrated_templates.sqlite(), path)
    with unwritable(path):
        async with Coach(f"sqlite:///{path}", clock) as coach:
            served = await serve(coach, health_reuse=0)
            status, body, _ = await health(served)
            assert (status, body["status"], body["database"]) == (503, "degraded", "read-only")
            await served.server.stop()


async def test_health_is_503_full_when_the_disk_is_full(
    tmp_path: Path,
    clock: Clock,
    migrated_templates: MigratedTemplates,
    serve: Serve,
    caplog: pytest.LogCaptureFixture,
):
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = await asyncio.create_subprocess_exec(
        "mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk), stderr=subprocess.PIPE
    )
    _, error = await mount.communicate()
    if mount.returncode != 0:
        pytest.skip(f"needs a small file system of its own for the data: {error!r}")
    try:
        path = disk / "runcoach.sqlite3"
        shutil.copyfile(await migrated_templates.sqlite(), path)
        async with Coach(f"sqlite:///{path}", clock) as coach:
            served = await serve(coach, health_reuse=0)
            status, body, _ = await health(served)
            assert (status, body["database"]) == (200, "ok")
            filler = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
            try:
                with contextlib.suppress(OSError):  # No space left on device
                    while True:
                        os.write(filler, b"\0" * 65536)
            finally:
                os.close(filler)
            status, body, _ = await health(served)
            assert (status, body["database"]) == (503, "full")
            assert "database or disk is full" in caplog.text
            (disk / "filler").unlink()  # the operator makes room
            status, body, _ = await health(served)
            assert (status, body["database"]) == (200, "ok")
            await served.server.stop()
    finally:
        umount = await asyncio.create_subprocess_exec("umount", "-l", str(disk))
        assert await umount.wait() == 0


async def test_health_is_503_read_only_on_a_read_only_postgres(
    postgres_url: str, clock: Clock, serve: Serve
):
    # What a standby (after a failover, say) answers to every write: SQLSTATE 25006.
    name = make_url(postgres_url).database
    admin = await asyncpg.connect(postgres_url.replace("postgresql://", "postgres://"))
    try:
        await admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    finally:
        await admin.close()
    async with Coach(postgres_url, clock) as coach:
        served = await serve(coach)
        status, body, _ = await health(served)
        assert (status, body["database"]) == (503, "read-only")
        await served.server.stop()


class Partition:
    """A TCP hop in front of PostgreSQL that can be cut: then no byte passes either way and
    new connections are taken but never answered, as on a network partition."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.flowing = asyncio.Event()
        self.flowing.set()
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None
        self.port = 0

    async def __aenter__(self) -> Partition:
        self.server = await asyncio.start_server(self._connected, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.heal()
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    def cut(self) -> None:
        self.flowing.clear()

    def heal(self) -> None:
        """Traffic flows again; the connections caught in the partition are reset."""
        for writer in self.writers:
            writer.transport.abort()
        self.writers.clear()
        self.flowing.set()

    async def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.writers.append(writer)
        await self.flowing.wait()
        if writer.is_closing():
            return
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers.append(up_writer)
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                await self.flowing.wait()
                if writer.is_closing():
                    return
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()


def _through(url: str, port: int) -> str:
    return make_url(url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


async def test_health_answers_within_5_s_when_postgres_does_not(
    postgres_url: str, clock: Clock, serve: Serve
):
    host = make_url(postgres_url)
    async with Partition((host.host or "127.0.0.1", host.port or 5432)) as partition:
        partition.cut()  # from the start: the connect itself never gets an answer
        async with Coach(_through(postgres_url, partition.port), clock) as coach:
            served = await serve(coach)  # the default bound, as in production
            status, body, took = await health(served)
            assert (status, body["database"]) == (503, "unreachable")
            assert HEALTH_TIMEOUT - 0.1 < took < 5.0  # the docs promise an answer within 5 s
            await served.server.stop()


async def test_health_is_503_at_once_when_nothing_listens(clock: Clock, serve: Serve):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: connections are refused
        async with Coach(f"postgresql://postgres@127.0.0.1:{port}/test", clock) as coach:
            served = await serve(coach)
            status, body, took = await health(served)
            assert (status, body["database"]) == (503, "unreachable")
            assert took < 1.0
            await served.server.stop()


async def test_health_through_a_partition_and_back(
    postgres_url: str, clock: Clock, serve: Serve, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    host = make_url(postgres_url)
    partition = Partition((host.host or "127.0.0.1", host.port or 5432))
    async with partition, Coach(_through(postgres_url, partition.port), clock) as coach:
        served = await serve(coach, health_timeout=5.0, health_reuse=0)
        # A healthy probe gets the production bound: a first connect on a loaded machine
        # can take longer than the short bound the cut part below is timed against.
        assert (await health(served))[0] == 200
        partition.cut()  # the pooled connection now hangs, and so would a new one
        served.server.health.timeout = 0.5
        for _ in range(3):
            status, body, took = await health(served)
            assert (status, body["database"]) == (503, "unreachable")
            assert took < 0.5 + 1.0  # a hung rollback of the old probe does not count
        partition.heal()
        served.server.health.timeout = 5.0  # reconnecting after the cut, as at the start
        status, body, _ = await health(served)
        assert (status, body["database"]) == (200, "ok")
        assert "health: database ok again" in caplog.text
        await served.server.stop()
    assert_one_line_each(caplog)
