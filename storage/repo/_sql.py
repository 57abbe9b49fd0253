"""Statement helpers the repositories share: the dialect's INSERT, prebuilt upserts, and a
Core execution path for the statements that run on every update."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """`INSERT` of the session's dialect, which has `on_conflict_do_update/nothing`."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for the {dialect} dialect")


_UPSERTS: dict[tuple[Callable[[Any], Any], str], Any] = {}  # prebuilt, by (build, dialect)


def prebuilt_upsert(session: AsyncSession, table: Any, build: Callable[[Any], Any]) -> Any:
    """The upsert `build(insert)` of `table` for the session's dialect, built once: building
    a statement costs more than running it (parameters are bound at execution)."""
    dialect = session.get_bind().dialect.name
    statement = _UPSERTS.get((build, dialect))
    if statement is None:
        statement = _UPSERTS[(build, dialect)] = build(dialect_insert(session, table))
    return statement


async def execute_core(session: AsyncSession, statement: Any, params: Any) -> None:
    """Run a Core statement on the session's connection, in its transaction: the ORM's
    execution path costs as much again as the statement itself for a plain upsert."""
    connection = await session.connection()
    await connection.execute(statement, params)


def param(table: Any, column: str, name: str | None = None) -> Any:
    """A bound parameter typed like the column (JSON, aware datetimes...)."""
    return sa.bindparam(name or column, type_=table.__table__.c[column].type)
