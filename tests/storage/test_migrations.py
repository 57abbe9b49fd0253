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

EXPECTED_TABLES = {
    "runner",
    "plan",
    "session_log",
    "kv",
    "reminder",
    "pain_report",
    "inbox",
    "reply",
}


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
    await upgrade(blank_db_url, "0005")
    assert await _inspect(blank_db_url, _table_names) == EXPECTED_TABLES | {"conversation_state"}

    await upgrade(blank_db_url)
    assert await _inspect(blank_db_url, _table_names) == EXPECTED_TABLES

    await downgrade(blank_db_url, "0005")
    assert await _inspect(blank_db_url, _table_names) == EXPECTED_TABLES | {"conversation_state"}
