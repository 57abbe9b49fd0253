"""Seed many set-up runners fast: rows inserted in bulk with SQLAlchemy core, not via the bot.

Every runner is a real, complete setup (profile, usual week, Europe/London), with this week's
plan row and 14 days of reminder rows exactly as `rebuild_reminders` would write them. They
are drawn from a few dozen distinct setups, each planned once with the real planner, so
seeding 100,000 runners takes seconds. The morning message of `DAY` is due at 07:00 for every
one of them: the clustered 07:00 of figure 2.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from core.models import BodyArea, Equipment, Goal, PlacementPreference, Profile, Week
from core.planner import plan_week, week_start_of
from core.reminders import ReminderKind, ReminderSettings, reminders_for
from core.weekparse import parse_week
from storage.tables import PlanRow, Reminder, Runner, apply_profile, week_to_json

ZONE = "Europe/London"  # UTC+0 in late November: 07:00 local is 07:00 UTC
DAY = dt.date(2026, 11, 27)  # a Friday; no template runs before 07:30 on a Friday
SEVEN = dt.datetime(2026, 11, 27, 7, 0, tzinfo=dt.UTC)
HORIZON_DAYS = 14
CHUNK = 5_000
FIRST_USER_ID = 1_000_000

WEEKS = (
    "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00, Fri rest, Sat long 08:00, "
    "Sun easy 09:00",
    "Mon easy 07:00, Tue intervals 18:00, Wed rest, Thu easy 12:00, Fri easy 18:00, "
    "Sat long 08:00, Sun rest",
    "Mon rest, Tue tempo 06:30, Wed easy 19:00, Thu hills 18:00, Fri off, Sat easy 09:00, "
    "Sun long 08:00",
    "Mon cross 12:00, Tue easy 07:00, Wed intervals 18:00, Thu rest, Fri recovery 17:00, "
    "Sat long 07:30, Sun easy 10:00",
)
PROFILES = (
    Profile(sessions_per_week=2, placement=PlacementPreference.AFTER_RUNS),
    Profile(
        goal=Goal.MARATHON,
        race_date=DAY + dt.timedelta(weeks=10),
        sessions_per_week=3,
        minutes=30,
        equipment=frozenset({Equipment.BAND, Equipment.DUMBBELLS}),
    ),
    Profile(
        goal=Goal.HALF,
        race_date=DAY + dt.timedelta(days=12),
        sessions_per_week=2,
        minutes=20,
        niggles=frozenset({BodyArea.ACHILLES}),
    ),
    Profile(
        sessions_per_week=4,
        minutes=40,
        placement=PlacementPreference.OFF_DAYS,
        equipment=frozenset({Equipment.GYM}),
    ),
    Profile(
        goal=Goal.TEN_K,
        race_date=DAY + dt.timedelta(weeks=30),
        sessions_per_week=3,
        minutes=25,
        niggles=frozenset({BodyArea.KNEE_FRONT, BodyArea.LOWER_BACK}),
    ),
    Profile(sessions_per_week=2, minutes=15, placement=PlacementPreference.EITHER),
)


@dataclass(frozen=True)
class Setup:
    """One distinct runner setup, planned once: its runner columns, plan JSON and reminders."""

    runner: dict[str, Any]
    plan_json: str
    reminders: list[tuple[str, dt.date, dt.datetime, bool]]  # kind, local date, due, checkin


def setups() -> list[Setup]:
    """Every template week with every template profile, planned with the real planner."""
    out = []
    monday = week_start_of(DAY)
    after = dt.datetime.combine(DAY, dt.time(), tzinfo=dt.UTC)
    until = DAY + dt.timedelta(days=HORIZON_DAYS - 1)
    settings = ReminderSettings(time_zone=ZONE)
    for text, profile in itertools.product(WEEKS, PROFILES):
        week = parse_week(text)
        first = week_start_of(DAY - dt.timedelta(days=1))
        weeks = (week_start_of(until) - first).days // 7 + 1
        plans = [plan_week(profile, week, first + dt.timedelta(weeks=i)) for i in range(weeks)]
        specs = reminders_for(plans, settings, after=after, until=until)
        mornings = [s for s in specs if s.kind is ReminderKind.MORNING and s.local_date == DAY]
        assert mornings and mornings[0].due_at == SEVEN, (text, mornings)
        out.append(
            Setup(
                runner=_runner_columns(profile, week),
                plan_json=json.dumps(plan_week(profile, week, monday).model_dump(mode="json")),
                reminders=[(s.kind.value, s.local_date, s.due_at, s.checkin) for s in specs],
            )
        )
    return out


def _runner_columns(profile: Profile, week: Week) -> dict[str, Any]:
    row = apply_profile(Runner(telegram_user_id=0, chat_id=0), profile)
    return {
        "goal": row.goal,
        "race_date": row.race_date,
        "sessions_per_week": row.sessions_per_week,
        "minutes": row.minutes,
        "placement": row.placement,
        "equipment": row.equipment,
        "niggles": row.niggles,
        "week": week_to_json(week),
    }


@dataclass
class SeedReport:
    runners: int
    reminders: int
    plans: int
    seconds: float
    timings: dict[str, float]


def seed_sqlite(path: str, runners: int) -> SeedReport:
    """Insert `runners` set-up runners into a migrated SQLite file (blocking; fast pragmas)."""
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:  # a bulk load needs no write-ahead log; runcoach turns it on
        conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
            conn.exec_driver_sql("PRAGMA cache_size=-400000")
            counts = _seed(conn, runners, timings)
    finally:
        engine.dispose()
    return SeedReport(*counts, seconds=time.perf_counter() - started, timings=timings)


def _processed(conn: sa.Connection, table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row's values as SQLAlchemy's bind processors for this dialect would store them."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        column_type = table.c[key].type.dialect_impl(conn.dialect)
        processor = column_type.bind_processor(conn.dialect)
        out[key] = processor(value) if processor else value
    return out


def _light(name: str, *columns: str) -> sa.TableClause:
    """An untyped table clause: values already processed go in as they are."""
    return sa.table(name, *(sa.column(c) for c in columns))


def _executemany(
    conn: sa.Connection, table: sa.TableClause, rows: Iterator[tuple[Any, ...]]
) -> int:
    """executemany of an `insert()` compiled once by SQLAlchemy, in chunks of plain tuples
    (SQLAlchemy's per-row parameter handling costs more than SQLite's insert itself)."""
    names = [c.name for c in table.columns]
    compiled = table.insert().values({n: sa.bindparam(n) for n in names}).compile(conn)
    position = [names.index(n) for n in (compiled.positiontup or names)]
    count = 0
    while chunk := list(itertools.islice(rows, CHUNK)):
        conn.exec_driver_sql(str(compiled), [tuple(row[i] for i in position) for row in chunk])
        count += len(chunk)
    return count


def _values(per_setup: list[dict[str, Any]], i: int, count: int) -> Any:
    return per_setup[(i - 1) % count].values()


def _seed(conn: sa.Connection, runners: int, timings: dict[str, float]) -> tuple[int, int, int]:
    templates = setups()
    count = len(templates)
    now = dt.datetime.now(dt.UTC)
    until = DAY + dt.timedelta(days=HORIZON_DAYS - 1)
    runner_table: sa.Table = Runner.__table__  # type: ignore[attr-defined]
    reminder_table: sa.Table = Reminder.__table__  # type: ignore[attr-defined]
    plan_table: sa.Table = PlanRow.__table__  # type: ignore[attr-defined]
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        timings[name] = time.perf_counter() - clock
        clock = time.perf_counter()

    # 1. Runners, in chunks of executemany. Runner i has setup (i - 1) % count.
    shared = {
        "time_zone": ZONE,
        "pain_areas": [],
        "delay_minutes": 15,
        "morning_time": "07:00",
        "strength_time": "18:00",
        "reminders_off": [],
        "reminders_until": until,
        "level": 0,
        "onboarded": True,
        "active": True,
        "paused_until": None,
        "pause_reason": None,
        # Last week's step taken, as for a club past its first week: the hourly job's
        # catch-up (bot/progress.py take_missed_steps) has nobody to look at. Without it,
        # that job walked all 100,000 runners 5 s into figures 2b, 2c and 6 (seconds of the
        # event loop, every hour).
        "last_step_week": week_start_of(DAY) - dt.timedelta(weeks=1),
        "created_at": now,
        "updated_at": now,
    }
    per_setup = [_processed(conn, runner_table, {**t.runner, **shared}) for t in templates]
    columns = ["id", "telegram_user_id", "chat_id", "first_name", *per_setup[0]]
    rows = (
        (i, FIRST_USER_ID + i, FIRST_USER_ID + i, f"Runner {i}", *_values(per_setup, i, count))
        for i in range(1, runners + 1)
    )
    _executemany(conn, _light("runner", *columns), rows)
    lap("runners")

    # 2. Each setup's plan and reminders once, in scratch tables...
    conn.exec_driver_sql("CREATE TEMP TABLE bench_plan (setup INTEGER, plan TEXT)")
    conn.exec_driver_sql(
        "CREATE TEMP TABLE bench_reminder (setup INTEGER, seq INTEGER, kind TEXT, "
        "local_date TEXT, due_at TEXT, payload TEXT)"
    )
    scratch_plan = _light("bench_plan", "setup", "plan")
    _executemany(conn, scratch_plan, iter([(n, t.plan_json) for n, t in enumerate(templates)]))
    scratch = _light("bench_reminder", "setup", "seq", "kind", "local_date", "due_at", "payload")
    values = []
    for n, t in enumerate(templates):
        for seq, (kind, local_date, due_at, checkin) in enumerate(t.reminders):
            row = {"local_date": local_date, "due_at": due_at, "payload": {"checkin": checkin}}
            p = _processed(conn, reminder_table, row)
            values.append((n, seq, kind, p["local_date"], p["due_at"], p["payload"]))
    _executemany(conn, scratch, iter(values))

    # 3. ...then fanned out to every runner by INSERT ... SELECT, inside the database.
    # Filling an index row by row in random order is most of an insert's cost: the outbox's
    # secondary indexes are dropped for the load and built once afterwards.
    indexes = list(reminder_table.indexes)
    for index in indexes:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
    runner = _light("runner", "id")
    setup_of = (runner.c.id - 1) % count
    stamp = _processed(conn, plan_table, {"created_at": now, "week_start": week_start_of(DAY)})
    plans = _light("plan", "runner_id", "week_start", "plan", "created_at", "updated_at")
    conn.execute(
        plans.insert().from_select(
            [c.name for c in plans.columns],
            sa.select(
                runner.c.id,
                sa.literal(stamp["week_start"]),
                scratch_plan.c.plan,
                sa.literal(stamp["created_at"]),
                sa.literal(stamp["created_at"]),
            )
            .select_from(runner.join(scratch_plan, scratch_plan.c.setup == setup_of))
            .order_by(runner.c.id),
        )
    )
    lap("plans")
    names = ["runner_id", "kind", "local_date", "due_at", "payload", "status", "attempts"]
    reminders = _light("reminder", *names, "created_at")
    conn.execute(
        reminders.insert().from_select(
            [*names, "created_at"],
            sa.select(
                runner.c.id,
                scratch.c.kind,
                scratch.c.local_date,
                scratch.c.due_at,
                scratch.c.payload,
                sa.literal("pending"),
                sa.literal(0),
                sa.literal(stamp["created_at"]),
            )
            .select_from(runner.join(scratch, scratch.c.setup == setup_of))
            .order_by(runner.c.id, scratch.c.seq),
        )
    )
    lap("reminders")
    for index in indexes:
        index.create(conn)
    lap("index")
    conn.exec_driver_sql("DROP TABLE bench_plan")
    conn.exec_driver_sql("DROP TABLE bench_reminder")
    total = conn.exec_driver_sql("SELECT count(*) FROM reminder").scalar_one()
    return runners, int(total), runners
