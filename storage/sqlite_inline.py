"""SQLite for the async engine, run on the event loop instead of a thread per connection.

aiosqlite runs every call (execute, fetch, commit, close...) on a thread of its own and
hands the result back to the event loop: a database read costs several thread round trips,
and a round trip costs far more than the SQLite call itself (350 µs against ~20 µs on the
2-core machine of bench/results.md). Here the same `sqlite3` calls run directly, inside
SQLAlchemy's aiosqlite dialect (its adapter, its SQL, its types), so one update's reads and
writes cost microseconds.

What a thread gave for free, and how it is kept:
- *Waiting for a lock must not block the loop.* A second writer (another coroutine of this
  process holding a write transaction, or another process) makes SQLite answer SQLITE_BUSY.
  A blocking busy timeout would freeze the loop, and with it the coroutine holding the lock:
  a deadlock. So connections open with no busy timeout, and a busy statement is retried
  after an `asyncio.sleep`, with SQLite's own back-off steps, for up to `busy_timeout` seconds.
  Busy answers that waiting cannot cure (SQLITE_BUSY_SNAPSHOT: another writer committed
  after this transaction read) are raised at once.
- *Long statements still block.* Every statement the coach runs is indexed and short; the
  bulk ones (the reminder claim, a rebuild of 14 days of reminders) take milliseconds.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
)

T = TypeVar("T")

SQLITE_BUSY = 5
SQLITE_BUSY_SNAPSHOT = 517  # another writer committed after this transaction read
# SQLite's own busy handler waits these steps (sqliteDefaultBusyCallback), then 100 ms each.
BACKOFF_SECONDS = (0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.025, 0.025, 0.05, 0.05)
LAST_STEP = 0.1


async def _patiently(busy_timeout: float, call: Callable[[], T]) -> T:
    """`call()`, retried while SQLite answers plain SQLITE_BUSY, for up to `busy_timeout` s."""
    deadline: float | None = None
    attempt = 0
    while True:
        try:
            return call()
        except sqlite3.OperationalError as error:
            code = getattr(error, "sqlite_errorcode", None)
            # Plain BUSY and BUSY_RECOVERY (another process recovering the WAL) pass with
            # time; BUSY_SNAPSHOT (517) never does.
            if code is None or code & 0xFF != SQLITE_BUSY or code == SQLITE_BUSY_SNAPSHOT:
                raise
            now = time.monotonic()
            if deadline is None:
                deadline = now + busy_timeout
            if now >= deadline:
                raise
            step = BACKOFF_SECONDS[attempt] if attempt < len(BACKOFF_SECONDS) else LAST_STEP
            attempt += 1
            await asyncio.sleep(min(step, deadline - now))


class InlineCursor:
    """The aiosqlite cursor interface over a `sqlite3.Cursor`, called in place."""

    def __init__(self, connection: InlineConnection) -> None:
        self._connection = connection
        self._cursor = connection.sqlite.cursor()

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        run = partial(self._cursor.execute, sql, parameters if parameters is not None else ())
        await _patiently(self._connection.busy_timeout, run)
        return self

    async def executemany(self, sql: str, parameters: Any) -> InlineCursor:
        # A list: an iterator could not be replayed after SQLITE_BUSY. Replaying is safe in
        # WAL mode: only the first row, which takes the write lock, can be answered busy.
        rows = list(parameters)
        run = partial(self._cursor.executemany, sql, rows)
        await _patiently(self._connection.busy_timeout, run)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __aiter__(self) -> InlineCursor:
        return self

    async def __anext__(self) -> Any:
        row = self._cursor.fetchone()
        if row is None:
            raise StopAsyncIteration
        return row

    async def close(self) -> None:
        self._cursor.close()

    async def setinputsizes(self, *_sizes: Any) -> None:
        return None

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class InlineConnection:
    """The aiosqlite connection interface over a `sqlite3.Connection`, called in place."""

    def __init__(self, connection: sqlite3.Connection, busy_timeout: float) -> None:
        self.sqlite = connection
        self.busy_timeout = busy_timeout

    @property
    def _connection(self) -> sqlite3.Connection | None:
        # SQLAlchemy's adapter checks this before commit and rollback.
        return self.sqlite

    def cursor(self, *_args: Any, **_kwargs: Any) -> InlineCursor:
        return InlineCursor(self)

    async def commit(self) -> None:
        await _patiently(self.busy_timeout, self.sqlite.commit)

    async def rollback(self) -> None:
        self.sqlite.rollback()

    async def close(self) -> None:
        self.sqlite.close()

    def stop(self) -> None:
        self.sqlite.close()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self.sqlite.create_function(*args, **kwargs)

    @property
    def isolation_level(self) -> str | None:
        return self.sqlite.isolation_level


class _AdaptedConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    @property
    def isolation_level(self) -> str | None:
        return self._connection.isolation_level  # type: ignore[no-any-return]

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        # aiosqlite's setter queues work on its thread; here it is a plain assignment.
        self._connection.sqlite.isolation_level = value


class InlineDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI SQLAlchemy's aiosqlite dialect uses (pass it as `module=`), connecting
    in place; `busy_timeout` is how long a statement waits for another writer."""

    def __init__(self, busy_timeout: float) -> None:
        super().__init__(aiosqlite, sqlite3)
        self.busy_timeout = busy_timeout

    def connect(self, *args: Any, **kwargs: Any) -> _AdaptedConnection:
        kwargs.pop("async_creator_fn", None)
        kwargs["timeout"] = 0  # never block the loop: waits are `_patiently`'s
        connection = sqlite3.connect(*args, **kwargs)
        inline: Any = InlineConnection(connection, self.busy_timeout)  # aiosqlite's shape
        return _AdaptedConnection(self, inline)
