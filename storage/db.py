"""Engine, sessions and programmatic Alembic migrations for SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import fcntl
from pathlib import Path
from typing import IO, Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.sqlite_inline import InlineDbapi

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}


def async_url(url: str | URL) -> URL:
    """The URL with its async driver: `sqlite` → aiosqlite, `postgres(ql)` → asyncpg."""
    if isinstance(url, str) and url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    drivername = _ASYNC_DRIVERS.get(parsed.drivername, parsed.drivername)
    parsed = parsed.set(drivername=drivername)
    if drivername == "postgresql+asyncpg" and "sslmode" in parsed.query:
        # asyncpg spells libpq's `sslmode` as `ssl`.
        query = dict(parsed.query)
        query["ssl"] = query.pop("sslmode")
        parsed = parsed.set(query=query)
    return parsed


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _sqlite_file(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run while one writer writes; SQLite only enforces ON DELETE CASCADE
    # when asked to. With WAL, synchronous=NORMAL syncs at checkpoints instead of at every
    # commit: a crash of the process loses nothing, a power cut may lose the last commits
    # (never the database). A second writer waits (SQLITE_BUSY_TIMEOUT_MS) in sqlite_inline.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def make_engine(url: str | URL, **kwargs: Any) -> AsyncEngine:
    """An async engine for a SQLite or PostgreSQL URL (sync URLs get the async driver)."""
    parsed = async_url(url)
    if _is_sqlite(parsed):
        path = _sqlite_file(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("module", InlineDbapi(busy_timeout=SQLITE_BUSY_TIMEOUT_MS / 1000))
        engine = create_async_engine(parsed, **kwargs)
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(parsed, **kwargs)


class DatabaseInUse(Exception):
    """Another process already serves this SQLite file."""


def lock_sqlite_file(url: str | URL) -> IO[str] | None:
    """Hold an exclusive lock beside a SQLite database for as long as the returned file is
    open; None for other databases. SQLite is served by one process: a second `runcoach
    run` on the same file would race the first, so it is refused (`DatabaseInUse`)."""
    parsed = async_url(url)
    path = _sqlite_file(parsed) if _is_sqlite(parsed) else None
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = (path.parent / f"{path.name}.lock").open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise DatabaseInUse(
            f"another runcoach process is already using {path}. SQLite serves one process: "
            "stop the other one, or set DATABASE_URL to a PostgreSQL database to run several."
        ) from None
    return handle


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for one update or job; use `async with maker.begin() as session:` to commit."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def alembic_config(url: str | URL | None = None) -> Config:
    """Alembic configuration pointing at the packaged migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        rendered = async_url(url).render_as_string(hide_password=False)
        # ConfigParser interpolation treats % specially.
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def _run_alembic(connection: Connection, config: Config, action: str, revision: str) -> None:
    config.attributes["connection"] = connection
    if action == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)


async def _migrate(url: str | URL, action: str, revision: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                # Batch migrations copy and drop tables; with foreign keys on, dropping the
                # runner table would cascade into every child table. Must run outside a
                # transaction to take effect.
                await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            config = alembic_config(url)
            await connection.run_sync(_run_alembic, config, action, revision)
            await connection.commit()
    finally:
        await engine.dispose()


async def upgrade(url: str | URL, revision: str = "head") -> None:
    """Bring the database schema up to `revision` (default: the newest)."""
    await _migrate(url, "upgrade", revision)


async def downgrade(url: str | URL, revision: str) -> None:
    """Take the database schema back to `revision` (`base` removes every table)."""
    await _migrate(url, "downgrade", revision)


def upgrade_sync(url: str | URL, revision: str = "head") -> None:
    """Blocking `upgrade`, for command-line use outside an event loop."""
    asyncio.run(upgrade(url, revision))
