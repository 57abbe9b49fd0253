"""SQLite on the event loop (storage/sqlite_inline.py): a writer that finds the database
locked waits without blocking the loop, gives up after its busy timeout, and never waits for
what waiting cannot cure."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage import repo
from storage.db import make_engine, make_sessionmaker, upgrade
from storage.sqlite_inline import InlineDbapi

INSERT = "INSERT INTO kv (namespace, key, value, updated_at) VALUES (?, ?, '1', '2026-11-27')"


async def _engine(tmp_path: Path, busy_timeout: float) -> AsyncEngine:
    url = f"sqlite:///{tmp_path}/inline.db"
    await upgrade(url)
    return make_engine(url, module=InlineDbapi(busy_timeout=busy_timeout))


async def _write(connection: AsyncConnection, key: str) -> None:
    await connection.exec_driver_sql(INSERT, ("test", key))


async def _keys(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        rows = await connection.exec_driver_sql("SELECT key FROM kv ORDER BY key")
        return [row[0] for row in rows]


async def test_a_second_writer_waits_for_the_first_while_the_loop_runs(tmp_path: Path) -> None:
    engine = await _engine(tmp_path, busy_timeout=30)
    try:
        async with engine.connect() as first, engine.connect() as second:
            await _write(first, "first")  # holds the write lock until it commits

            async def second_writer() -> None:
                await _write(second, "second")
                await second.commit()

            waiting = asyncio.create_task(second_writer())
            for _ in range(20):  # the loop runs other work while the second writer waits
                await asyncio.sleep(0)
            # A blocking busy timeout would have frozen the loop until it gave up: the first
            # writer could never commit, and the second would have failed by now.
            assert not waiting.done()
            await first.commit()
            await asyncio.wait_for(waiting, timeout=30)
        assert await _keys(engine) == ["first", "second"]
    finally:
        await engine.dispose()


async def test_a_writer_gives_up_after_its_busy_timeout(tmp_path: Path) -> None:
    engine = await _engine(tmp_path, busy_timeout=0.05)
    try:
        async with engine.connect() as first, engine.connect() as second:
            await _write(first, "first")
            with pytest.raises(OperationalError, match="database is locked"):
                await _write(second, "second")
            await first.commit()
        assert await _keys(engine) == ["first"]
    finally:
        await engine.dispose()


async def test_a_stale_snapshot_fails_at_once_instead_of_waiting(tmp_path: Path) -> None:
    # The second connection read before the first wrote: its transaction can never write,
    # however long it waits (SQLITE_BUSY_SNAPSHOT), so it must not wait its hour out.
    engine = await _engine(tmp_path, busy_timeout=3600)
    try:
        async with engine.connect() as first, engine.connect() as second:
            await second.exec_driver_sql("BEGIN")
            await second.exec_driver_sql("SELECT count(*) FROM kv")
            await _write(first, "first")
            await first.commit()
            with pytest.raises(OperationalError, match="database is locked"):
                await asyncio.wait_for(_write(second, "second"), timeout=30)
    finally:
        await engine.dispose()


async def test_a_runner_s_reminders_are_found_by_runner_not_by_walking_every_runner(
    tmp_path: Path,
) -> None:
    # Rebuilding one runner's reminders reads their pending rows. SQLite picks its index from
    # the query alone (no statistics): with only (status, due_at) to choose, it walked every
    # runner's pending rows, 2.3 s per rebuild with 100,000 runners.
    engine = await _engine(tmp_path, busy_timeout=5)
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM reminder" in statement:
            seen.append((statement, params))

    try:
        maker = make_sessionmaker(engine)
        async with maker.begin() as session:
            runner = await repo.get_or_create_runner(
                session, telegram_user_id=7, chat_id=7, first_name="Ann"
            )
        event.listen(engine.sync_engine, "before_cursor_execute", record)
        async with maker.begin() as session:
            assert runner.id is not None
            now = dt.datetime(2026, 11, 27, 7, tzinfo=dt.UTC)
            await repo.replace_reminders(session, runner_id=runner.id, specs=[], now=now)
        event.remove(engine.sync_engine, "before_cursor_execute", record)
        assert len(seen) == 1, seen
        statement, params = seen[0]
        async with engine.connect() as connection:
            plan = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
            detail = " ".join(str(row[-1]) for row in plan)
    finally:
        await engine.dispose()
    assert "USING INDEX ix_reminder_runner_status_due_at (runner_id=?" in detail, detail
