"""Shared database fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL: each test gets its own freshly created database on the server named by
`RUNCOACH_TEST_POSTGRES_URL` (default postgresql://postgres@127.0.0.1:5432/test), dropped
afterwards. If the server cannot be reached the test fails; it is never skipped.

`db_url` is a migrated, empty database. Migrating takes a while, so each run migrates one
template per database kind and copies it for every test (a file copy on SQLite,
`CREATE DATABASE ... TEMPLATE` on PostgreSQL).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import make_engine, make_sessionmaker, upgrade

# CI runs the property tests with a fixed seed so a run is repeatable; locally each run
# explores new examples (and hypothesis keeps any failure it finds in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

POSTGRES_URL = os.environ.get(
    "RUNCOACH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
DATABASES = ["sqlite", "postgres"]


def _postgres_url(database: str) -> str:
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


async def _maintenance_connection() -> asyncpg.Connection:
    url = make_url(POSTGRES_URL)
    try:
        return await asyncpg.connect(
            host=url.host or "127.0.0.1",
            port=url.port or 5432,
            user=url.username or "postgres",
            password=url.password,
            database="postgres",
            timeout=5,
        )
    except (OSError, asyncpg.PostgresError) as error:
        pytest.fail(
            f"PostgreSQL is not reachable at {url.render_as_string(hide_password=True)} "
            f"({error!r}). The storage tests must run on PostgreSQL too: start the server "
            "or point RUNCOACH_TEST_POSTGRES_URL at one.",
            pytrace=False,
        )


async def _create_database(name: str, template: str | None = None) -> None:
    statement = f'CREATE DATABASE "{name}"'
    if template:
        statement += f' TEMPLATE "{template}"'
    admin = await _maintenance_connection()
    try:
        for attempt in range(50):
            try:
                await admin.execute(statement)
                # A commit returns without waiting for its WAL to reach the disk (about 3 ms
                # each here). What a test sees is the same: only a crash of the PostgreSQL
                # server itself, which no test makes, could lose a committed transaction.
                await admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
                return
            except asyncpg.ObjectInUseError:
                # The template's last migration connection may still be closing.
                if attempt == 49:
                    raise
                await asyncio.sleep(0.05)
    finally:
        await admin.close()


async def _drop_database(name: str) -> None:
    admin = await _maintenance_connection()
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@contextlib.asynccontextmanager
async def fresh_postgres_database(template: str | None = None) -> AsyncIterator[str]:
    """The URL of a brand-new PostgreSQL database (a copy of `template`), dropped on exit."""
    name = f"rc_test_{uuid.uuid4().hex[:16]}"
    await _create_database(name, template)
    try:
        yield _postgres_url(name)
    finally:
        await _drop_database(name)


class MigratedTemplates:
    """One migrated database per kind and test run, made on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._sqlite: Path | None = None
        self._postgres: str | None = None

    async def sqlite(self) -> Path:
        if self._sqlite is None:
            path = self.folder / "template.db"
            await upgrade(f"sqlite:///{path}")  # the engine is disposed: WAL checkpointed
            self._sqlite = path
        return self._sqlite

    async def postgres(self) -> str:
        if self._postgres is None:
            name = f"rc_template_{uuid.uuid4().hex[:16]}"
            await _create_database(name)
            self._postgres = name
            await upgrade(_postgres_url(name))
        return self._postgres

    def drop(self) -> None:
        if self._postgres is not None:
            asyncio.run(_drop_database(self._postgres))


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedTemplates]:
    templates = MigratedTemplates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.drop()


@pytest.fixture(params=DATABASES)
def database_kind(request: pytest.FixtureRequest) -> str:
    """ "sqlite" or "postgres": tests using the database fixtures run once on each."""
    return str(request.param)


@pytest.fixture
async def blank_db_url(database_kind: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database with no tables, once on SQLite and once on PostgreSQL."""
    if database_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'runcoach.db'}"
    else:
        async with fresh_postgres_database() as url:
            yield url


@pytest.fixture
async def db_url(
    database_kind: str, tmp_path: Path, migrated_templates: MigratedTemplates
) -> AsyncIterator[str]:
    """A database migrated to the newest schema, with no rows."""
    if database_kind == "sqlite":
        path = tmp_path / "data" / "runcoach.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(await migrated_templates.sqlite(), path)
        yield f"sqlite:///{path}"
    else:
        template = await migrated_templates.postgres()
        async with fresh_postgres_database(template) as url:
            yield url


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the migrated database, disposed after the test."""
    engine = make_engine(db_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on the migrated database."""
    return make_sessionmaker(engine)


@pytest.fixture
async def postgres_url(migrated_templates: MigratedTemplates) -> AsyncIterator[str]:
    """A migrated PostgreSQL database: what these tests check needs several connections
    acting as several processes, which SQLite refuses by design (one process per file)."""
    template = await migrated_templates.postgres()
    async with fresh_postgres_database(template) as url:
        yield url
