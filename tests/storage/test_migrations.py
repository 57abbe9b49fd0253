"""Alembic owns the schema: it upgrades, downgrades and matches the SQLModel tables."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (registers the tables)
from storage.db import downgrade, make_engine, upgrade

# Coach and physio mode (0011).
COACHING_TABLES = {"coach", "coach_invite", "share_link", "share_log", "coach_note"}
TABLES_AT_0009 = {
    "runner",
    "plan",
    "session_log",
    "kv",
    "reminder",
    "pain_report",
    "inbox",
    "reply",
    "week_step",
    "week_change",
}
EXPECTED_TABLES = TABLES_AT_0009 | {"calendar_feed", "calendar_event"} | COACHING_TABLES


async def _inspect(url: str, how: Any) -> Any:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(how)
    finally:
        await engine.dispose()


def _table_names(connection: Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names()) - {"alembic_version"}


def _schema_differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    differences: list[Any] = compare_metadata(context, SQLModel.metadata)
    return differences


async def test_upgrade_downgrade_upgrade(blank_db_url: str) -> None:
    await upgrade(blank_db_url)
    assert await _inspect(blank_db_url, _table_names) == EXPECTED_TABLES

    await downgrade(blank_db_url, "base")
    assert await _inspect(blank_db_url, _table_names) == set()

    await upgrade(blank_db_url)
    assert await _inspect(blank_db_url, _table_names) == EXPECTED_TABLES


async def test_upgrade_twice_is_harmless(db_url: str) -> None:
    await upgrade(db_url)
    assert await _inspect(db_url, _table_names) == EXPECTED_TABLES


async def test_migrated_schema_matches_the_models(db_url: str) -> None:
    assert set(SQLModel.metadata.tables) == EXPECTED_TABLES
    assert await _inspect(db_url, _schema_differences) == []


async def test_0006_drops_conversation_state_and_its_downgrade_brings_it_back(
    blank_db_url: str,
) -> None:
    at_0006 = TABLES_AT_0009 - {"week_step", "week_change"}
    await upgrade(blank_db_url, "0005")
    assert await _inspect(blank_db_url, _table_names) == at_0006 | {"conversation_state"}

    await upgrade(blank_db_url, "0006")
    assert await _inspect(blank_db_url, _table_names) == at_0006

    await downgrade(blank_db_url, "0005")
    assert await _inspect(blank_db_url, _table_names) == at_0006 | {"conversation_state"}


async def test_0007_keeps_existing_runners_and_logs_and_adds_empty_progression(
    blank_db_url: str,
) -> None:
    await upgrade(blank_db_url, "0006")
    engine = make_engine(blank_db_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO runner (telegram_user_id, chat_id, first_name, time_zone, goal,"
                    " sessions_per_week, minutes, placement, equipment, niggles, pain_areas,"
                    " week, delay_minutes, morning_time, strength_time, reminders_off, level,"
                    " onboarded, active, created_at, updated_at) VALUES (7, 7, 'Ann', 'UTC',"
                    " 'none', 2, 25, 'either', '[]', '[]', '[]', '[]', 15, '07:00', '18:00',"
                    " '[]', 2, true, true, '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
                )
            )
            await connection.execute(
                sa.text(
                    "INSERT INTO session_log (runner_id, date, session_name, status,"
                    " created_at, updated_at) SELECT id, '2026-11-30', 'S', 'done',"
                    " '2026-11-30 10:00:00', '2026-11-30 10:00:00' FROM runner"
                )
            )
    finally:
        await engine.dispose()

    await upgrade(blank_db_url, "0007")

    def rows(connection: Connection) -> tuple[Any, Any, int]:
        runner = connection.execute(
            sa.text(
                "SELECT level, lifting_experience, heavy_block_start, first_week,"
                " last_step_week FROM runner"
            )
        ).one()
        log = connection.execute(sa.text("SELECT status, feel FROM session_log")).one()
        steps = connection.execute(sa.text("SELECT count(*) FROM week_step")).scalar_one()
        return tuple(runner), tuple(log), steps

    assert await _inspect(blank_db_url, rows) == ((2, None, None, None, None), ("done", None), 0)

    await downgrade(blank_db_url, "0006")
    assert await _inspect(blank_db_url, _table_names) == TABLES_AT_0009 - {
        "week_step",
        "week_change",
    }


async def test_0008_keeps_existing_rows_and_adds_an_empty_week_change(blank_db_url: str) -> None:
    await upgrade(blank_db_url, "0007")
    engine = make_engine(blank_db_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO runner (telegram_user_id, chat_id, first_name, time_zone, goal,"
                    " sessions_per_week, minutes, placement, equipment, niggles, pain_areas,"
                    " week, delay_minutes, morning_time, strength_time, reminders_off, level,"
                    " onboarded, active, created_at, updated_at) VALUES (8, 8, 'Bea', 'UTC',"
                    " 'none', 2, 25, 'either', '[]', '[]', '[]', '[]', 15, '07:00', '18:00',"
                    " '[]', 1, true, true, '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
                )
            )
            await connection.execute(
                sa.text(
                    "INSERT INTO week_step (runner_id, week_start, level_before, level_after,"
                    " reason, outcome, created_at) SELECT id, '2026-11-23', 0, 1, 'up', '{}',"
                    " '2026-11-30 10:00:00' FROM runner"
                )
            )
    finally:
        await engine.dispose()

    await upgrade(blank_db_url, "0008")

    def rows(connection: Connection) -> tuple[Any, int, int]:
        runner = connection.execute(sa.text("SELECT first_name, level FROM runner")).one()
        steps = connection.execute(sa.text("SELECT count(*) FROM week_step")).scalar_one()
        changes = connection.execute(sa.text("SELECT count(*) FROM week_change")).scalar_one()
        return tuple(runner), steps, changes

    assert await _inspect(blank_db_url, rows) == (("Bea", 1), 1, 0)
    assert "week_change" in await _inspect(blank_db_url, _table_names)

    await downgrade(blank_db_url, "0007")
    assert "week_change" not in await _inspect(blank_db_url, _table_names)
    assert await _inspect(blank_db_url, rows_at_0007) == (("Bea", 1), 1)


def rows_at_0007(connection: Connection) -> tuple[Any, int]:
    runner = connection.execute(sa.text("SELECT first_name, level FROM runner")).one()
    steps = connection.execute(sa.text("SELECT count(*) FROM week_step")).scalar_one()
    return tuple(runner), steps
