"""What every figure shares: results, percentiles, databases, process memory."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import shutil
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from storage.db import upgrade

POSTGRES_URL = os.environ.get(
    "RUNCOACH_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@dataclass
class Row:
    """One line of the results table: our figure beside its ceiling from the same run."""

    figure: str
    ours: float
    ceiling: float
    unit: str
    goal: str
    met: bool | None  # None: informational, no goal on this line
    ceiling_label: str = ""
    ratio: float | None = None  # ours / ceiling, or as the figure defines it
    notes: str = ""
    ours_text: str = ""
    ceiling_text: str = ""

    def __post_init__(self) -> None:
        if self.ratio is None and self.ceiling:
            self.ratio = self.ours / self.ceiling


@dataclass
class Figure:
    """A numbered figure: its rows and free-form details (printed under the table)."""

    title: str
    rows: list[Row] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    seconds: float = 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of unsorted values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[rank]


def rss_mb() -> float:
    """This process's resident set size now, in MB (Linux /proc)."""
    return _status_kb("VmRSS") / 1024


def peak_rss_mb() -> float:
    """This process's peak resident set size, in MB."""
    return _status_kb("VmHWM") / 1024


def _status_kb(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


@contextlib.contextmanager
def timed() -> Iterator[list[float]]:
    """`with timed() as t:` ... `t[0]` is the elapsed wall time afterwards."""
    box = [0.0]
    start = time.perf_counter()
    try:
        yield box
    finally:
        box[0] = time.perf_counter() - start


# --- databases --------------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


async def fresh_sqlite(path: Path, template: Path | None = None) -> str:
    """A migrated, empty SQLite file at `path` (copied from `template` when given)."""
    remove_sqlite(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if template is not None:
        shutil.copyfile(template, path)
    else:
        await upgrade(sqlite_url(path))
    return sqlite_url(path)


def _pg_url(database: str) -> str:
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


async def _pg_admin() -> asyncpg.Connection:
    url = make_url(POSTGRES_URL)
    return await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        database="postgres",
        timeout=10,
    )


@contextlib.asynccontextmanager
async def fresh_postgres() -> AsyncIterator[str]:
    """A new, migrated PostgreSQL database for this run only; dropped on exit."""
    name = f"rc_bench_{uuid.uuid4().hex[:12]}"
    admin = await _pg_admin()
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        url = _pg_url(name)
        await upgrade(url)
        yield url
    finally:
        admin = await _pg_admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def postgres_reachable() -> str | None:
    """None when the benchmark server answers, else why not."""
    try:
        admin = await asyncio.wait_for(_pg_admin(), 10)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        return repr(error)
    await admin.close()
    return None
