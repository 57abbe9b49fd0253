"""Repositories on SQLite and PostgreSQL: what goes in comes back out, once."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import Stamp
from core.models import (
    BodyArea,
    Category,
    Day,
    DayKind,
    Equipment,
    Exercise,
    Goal,
    Phase,
    PlacementPreference,
    Plan,
    Plane,
    PlannedDay,
    Prescription,
    Profile,
    Session,
    SessionKind,
    Week,
    WeekChanges,
    Weekday,
)
from storage import inbox, repo
from storage.db import async_url, make_engine
from storage.tables import (
    KeyValue,
    PainReport,
    PlanRow,
    Reminder,
    ReminderStatus,
    ReplyStatus,
    Runner,
    SessionLogStatus,
    apply_profile,
    apply_week,
    runner_profile,
    runner_week,
)

Maker = async_sessionmaker[AsyncSession]
MONDAY = dt.date(2025, 3, 3)


def _week() -> Week:
    return Week(
        days=(
            Day(kind=DayKind.EASY, start=dt.time(6, 30), minutes=40),
            Day(kind=DayKind.INTERVALS, start=dt.time(18, 0)),
            Day(kind=DayKind.OFF),
            Day(kind=DayKind.TEMPO, start=dt.time(7, 15), minutes=50),
            Day(),
            Day(kind=DayKind.LONG, start=dt.time(8, 0), minutes=120),
            Day(kind=DayKind.CROSS, minutes=45),
        )
    )


def _profile() -> Profile:
    return Profile(
        goal=Goal.HALF,
        race_date=dt.date(2025, 6, 1),
        sessions_per_week=3,
        minutes=30,
        placement=PlacementPreference.AFTER_RUNS,
        equipment=frozenset({Equipment.BAND, Equipment.DUMBBELLS}),
        niggles=frozenset({BodyArea.ACHILLES, BodyArea.KNEE_FRONT}),
    )


def _plan() -> Plan:
    squat = Exercise(
        key="split-squat",
        name="Split squat",
        category=Category.SINGLE_LEG,
        equipment=frozenset({Equipment.DUMBBELLS}),
        plane=Plane.SAGITTAL,
        single_leg=True,
        loads=frozenset({BodyArea.KNEE_FRONT, BodyArea.HIP}),
        sets=3,
        reps=8,
        per_side=True,
        rest_seconds=60,
        cues=("Knee tracks over the toes", "Tall trunk"),
        easier="Hold a chair",
        harder="Rear foot elevated",
    )
    session = Session(
        name="Strength A",
        kind=SessionKind.STANDARD,
        minutes=25,
        exercises=(Prescription(exercise=squat, sets=3, reps=8, rest_seconds=60),),
        mobility_minutes=5,
        notes=("Go easy on the first set",),
    )
    week = _week()
    days = tuple(
        PlannedDay(
            date=MONDAY + dt.timedelta(days=i),
            day=week[i],
            session=session if i in (0, 2) else None,
            reason="after an easy run" if i == 0 else "no run today",
        )
        for i in range(7)
    )
    return Plan(
        week_start=MONDAY,
        phase=Phase.BUILD,
        days=days,
        sessions_requested=3,
        shortfall="only two days fit",
        notes=("Race in 13 weeks",),
    )


async def _runner(maker: Maker, telegram_user_id: int = 1001) -> Runner:
    async with maker.begin() as session:
        return await repo.get_or_create_runner(
            session, telegram_user_id=telegram_user_id, chat_id=telegram_user_id, first_name="Ann"
        )


def test_urls_get_their_async_driver() -> None:
    assert async_url("sqlite:///data/x.db").drivername == "sqlite+aiosqlite"
    assert async_url("sqlite+aiosqlite:///data/x.db").drivername == "sqlite+aiosqlite"
    assert async_url("postgres://u:p@h/db").drivername == "postgresql+asyncpg"
    pg = async_url("postgresql://u:p%40ss@h:5433/db?sslmode=require")
    assert pg.drivername == "postgresql+asyncpg"
    assert (pg.password, pg.port, pg.database) == ("p@ss", 5433, "db")
    assert dict(pg.query) == {"ssl": "require"}


async def test_sqlite_file_uses_wal_in_a_created_folder(tmp_path: object) -> None:
    path = f"{tmp_path}/deep/folder/rc.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        async with engine.connect() as connection:
            mode = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
            synchronous = (await connection.exec_driver_sql("PRAGMA synchronous")).scalar()
            foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
    finally:
        await engine.dispose()
    # WAL with synchronous=NORMAL (1): commits survive a crash of the process; how long a
    # writer waits for another is tests/storage/test_sqlite_inline.py.
    assert (mode, synchronous, foreign_keys) == ("wal", 1, 1)


async def test_get_or_create_runner_creates_once(sessionmaker: Maker) -> None:
    first = await _runner(sessionmaker)
    second = await _runner(sessionmaker)
    assert first.id == second.id
    assert first.first_name == "Ann" and first.time_zone == "UTC" and first.active
    assert first.created_at.tzinfo is not None and first.created_at.utcoffset() == dt.timedelta()
    async with sessionmaker() as session:
        assert await repo.get_runner(session, telegram_user_id=999) is None
        count = (await session.exec(select(func.count()).select_from(Runner))).one()
    assert count == 1


async def test_a_huge_first_name_is_stored_cut_to_64_characters(sessionmaker: Maker) -> None:
    # Telegram allows 64; a forged update could carry 990 KB, to be repeated in every export.
    async with sessionmaker.begin() as session:
        runner = await repo.get_or_create_runner(
            session, telegram_user_id=77, chat_id=77, first_name="Ännä" * 247_500
        )
    assert runner.first_name == "Ännä" * 16
    async with sessionmaker() as session:
        stored = await repo.get_runner(session, telegram_user_id=77)
    assert stored is not None and stored.first_name == "Ännä" * 16


async def test_new_runner_has_a_rest_week_and_default_profile(sessionmaker: Maker) -> None:
    runner = await _runner(sessionmaker)
    assert runner_week(runner) == Week.all_rest()
    assert runner_profile(runner) == Profile()


async def test_runner_profile_and_week_roundtrip(sessionmaker: Maker) -> None:
    runner = await _runner(sessionmaker, telegram_user_id=5_000_000_001)  # beyond 32 bits
    apply_profile(runner, _profile())
    apply_week(runner, _week())
    runner.time_zone = "Europe/Berlin"
    runner.paused_until = dt.date(2025, 3, 10)
    async with sessionmaker.begin() as session:
        await repo.save_runner(session, runner=runner)

    async with sessionmaker() as session:
        stored = await repo.get_runner(session, telegram_user_id=5_000_000_001)
    assert stored is not None
    assert runner_profile(stored) == _profile()
    assert runner_week(stored) == _week()
    assert stored.time_zone == "Europe/Berlin"
    assert stored.paused_until == dt.date(2025, 3, 10)
    assert stored.updated_at >= stored.created_at


async def test_plan_roundtrip_and_upsert_per_week(sessionmaker: Maker) -> None:
    runner = await _runner(sessionmaker)
    assert runner.id is not None
    plan = _plan()
    async with sessionmaker.begin() as session:
        await repo.save_plan(session, runner_id=runner.id, plan=plan)
    async with sessionmaker() as session:
        assert await repo.get_plan(session, runner_id=runner.id, week_start=MONDAY) == plan
        later = MONDAY + dt.timedelta(days=7)
        assert await repo.get_plan(session, runner_id=runner.id, week_start=later) is None

    replanned = plan.model_copy(update={"phase": Phase.TAPER, "shortfall": None})
    async with sessionmaker.begin() as session:
        await repo.save_plan(session, runner_id=runner.id, plan=replanned)
    async with sessionmaker() as session:
        assert await repo.get_plan(session, runner_id=runner.id, week_start=MONDAY) == replanned


async def test_saving_the_same_plan_again_writes_nothing(sessionmaker: Maker) -> None:
    # /plan and /today store the week's plan each time; an unchanged one is not rewritten.
    runner = await _runner(sessionmaker)
    assert runner.id is not None
    plan = _plan()

    async def save(plan: Plan) -> dt.datetime:
        assert runner.id is not None
        async with sessionmaker.begin() as session:
            await repo.save_plan(session, runner_id=runner.id, plan=plan)
        async with sessionmaker() as session:
            rows = (await session.exec(select(PlanRow.updated_at))).all()
        assert len(rows) == 1
        return rows[0]

    first = await save(plan)
    assert await save(plan) == first
    changed = await save(plan.model_copy(update={"phase": Phase.TAPER}))
    assert changed > first
    async with sessionmaker() as session:
        stored = await repo.get_plan(session, runner_id=runner.id, week_start=MONDAY)
    assert stored is not None and stored.phase is Phase.TAPER


async def test_log_session_is_idempotent(sessionmaker: Maker) -> None:
    runner = await _runner(sessionmaker)
    assert runner.id is not None
    runner_id, day = runner.id, MONDAY

    async def press(status: repo.SessionStatus) -> bool:
        async with sessionmaker.begin() as session:
            return await repo.log_session(
                session, runner_id=runner_id, day=day, session_name="Strength A", status=status
            )

    assert await press("done") is True
    assert await press("done") is False  # the second press changes nothing
    assert await press("skipped") is True  # changing one's mind does
    assert await press("skipped") is False

    async with sessionmaker() as session:
        logs = await repo.session_logs(session, runner_id=runner.id, since=MONDAY)
        assert [(log.date, log.status) for log in logs] == [(day, "skipped")]
        assert (
            await repo.session_logs(session, runner_id=runner.id, since=day.replace(day=4)) == []
        )


async def test_kv_store(sessionmaker: Maker) -> None:
    async with sessionmaker.begin() as session:
        await repo.set_kv(session, namespace="dialog", key="1", value={"a": [1, 2]})
        await repo.set_kv(session, namespace="dialog", key="1", value={"a": [3]})
        await repo.set_kv(session, namespace="dialog", key="2", value={})
        await repo.set_kv(session, namespace="pain", key="1", value={"c": True})
    async with sessionmaker.begin() as session:
        assert await repo.get_kv(session, namespace="dialog", key="1") == {"a": [3]}
        assert await repo.get_kv(session, namespace="dialog", key="2") == {}
        assert await repo.get_kv(session, namespace="dialog", key="3") is None
        await repo.delete_kv(session, namespace="dialog", key="1")
        assert await repo.get_kv(session, namespace="dialog", key="1") is None
        assert await repo.get_kv(session, namespace="dialog", key="2") == {}
        assert await repo.get_kv(session, namespace="pain", key="1") == {"c": True}


async def test_delete_runner_leaves_no_row_about_them(sessionmaker: Maker) -> None:
    gone = await _runner(sessionmaker, telegram_user_id=111)
    kept = await _runner(sessionmaker, telegram_user_id=222)
    assert gone.id is not None and kept.id is not None
    due = dt.datetime(2025, 3, 3, 17, 0, tzinfo=dt.UTC)
    for runner in (gone, kept):
        assert runner.id is not None
        uid = runner.telegram_user_id
        async with sessionmaker.begin() as session:
            await repo.save_plan(session, runner_id=runner.id, plan=_plan())
            await repo.log_session(
                session, runner_id=runner.id, day=MONDAY, session_name="S", status="done"
            )
            await repo.set_feel(session, runner_id=runner.id, day=MONDAY, feel="hard")
            await repo.record_week_step(
                session,
                runner_id=runner.id,
                week_start=MONDAY,
                level_before=0,
                level_after=1,
                reason="up",
                outcome={"planned": 1, "done": 1},
            )
            await repo.save_week_changes(
                session,
                runner_id=runner.id,
                changes=WeekChanges(week_start=MONDAY, moves=((Weekday.TUE, Weekday.WED),)),
            )
            await repo.set_kv(session, namespace="dialog", key=str(uid), value={"x": 1})
            await repo.set_kv(session, namespace="pain", key=str(uid), value={"y": 1})
            await repo.set_feed_token(
                session, runner_id=runner.id, token_hash=f"{uid:064d}", feed_id=f"f{uid}"
            )
            stamp = Stamp(day=MONDAY, digest="d", modified=due)
            await repo.save_event_stamps(
                session,
                runner_id=runner.id,
                stamps={f"{MONDAY}-run-f{uid}@runcoach": stamp},
                stored={},
                drop=(),
            )
            session.add(
                Reminder(runner_id=runner.id, kind="strength", local_date=MONDAY, due_at=due)
            )
            session.add(
                PainReport(
                    runner_id=runner.id, area="calf", score=3, timing="after", advice_level="ok"
                )
            )
            message = {"from": {"id": uid}, "chat": {"id": runner.chat_id}, "text": "hi"}
            await inbox.store_updates(
                session, updates=[{"update_id": uid, "message": message}], now=due
            )
            (reply,) = await inbox.add_replies(
                session,
                replies=[inbox.Outgoing("sendMessage", runner.chat_id, {"text": "hi"})],
                update_id=uid,
                now=due,
            )
            await inbox.finish_reply(session, reply_id=reply, status="failed", now=due)
    # Coach mode: both are coaches with an invite out, and both share with a third coach,
    # who has a note on their week, a log of what they saw, and an alert about each.
    third = await _runner(sessionmaker, telegram_user_id=333)
    assert third.id is not None
    for runner in (gone, kept):
        assert runner.id is not None
        async with sessionmaker.begin() as session:
            await repo.coaching.add_coach(session, telegram_user_id=runner.telegram_user_id)
            await repo.coaching.add_invite(
                session, coach_id=runner.id, token_hash=f"h{runner.id}", now=due, expires_at=due
            )
            await repo.coaching.share(session, runner_id=runner.id, coach_id=third.id, now=due)
            await repo.coaching.log_shared(
                session, runner_ids=[runner.id], coach=third, what="roster", now=due
            )
            await repo.coaching.set_note(
                session,
                runner_id=runner.id,
                coach_id=third.id,
                week_start=MONDAY,
                text="easy",
                now=due,
            )
            await repo.coaching.queue_alert(
                session,
                coach_id=third.id,
                about=runner.id,
                kind="coach-flag",
                local_date=MONDAY,
                due_at=due,
                payload={},
            )
    # A value under a key that merely contains the digits of the id stays, and so does a
    # shared one.
    async with sessionmaker.begin() as session:
        await repo.set_kv(session, namespace="dialog", key="1111", value={"z": 1})
        await repo.set_kv(session, namespace="health", key="probe", value="2025-03-03")

    async with sessionmaker.begin() as session:
        assert await repo.delete_runner(session, runner_id=gone.id) is True
    async with sessionmaker.begin() as session:
        assert await repo.delete_runner(session, runner_id=gone.id) is False

    async def rows_about(runner: Runner) -> dict[str, int]:
        uid = runner.telegram_user_id
        counts: dict[str, int] = {}
        async with sessionmaker() as session:
            for table in SQLModel.metadata.sorted_tables:
                if table.name == "runner":
                    where = table.c.id == runner.id
                elif "runner_id" in table.c:
                    where = table.c.runner_id == runner.id
                elif table.name == "coach":
                    where = table.c.telegram_user_id == uid
                elif table.name == KeyValue.__tablename__:
                    where = table.c.key == str(uid)
                elif table.name == "inbox":
                    where = table.c.user_id == uid
                elif table.name == "reply":  # a reply not yet sent still goes out
                    where = sa.and_(table.c.chat_id == runner.chat_id, table.c.status != "pending")
                else:
                    pytest.fail(f"table {table.name} has no check for rows about a runner")
                statement = select(func.count()).select_from(table).where(where)
                counts[table.name] = (await session.exec(statement)).one()
        return counts

    assert set((await rows_about(gone)).values()) == {0}
    assert all(count > 0 for count in (await rows_about(kept)).values())
    async with sessionmaker() as session:  # the third coach's alerts: only the kept one's
        alerts = (await session.exec(select(Reminder).where(Reminder.runner_id == third.id))).all()
    assert [a.about for a in alerts] == [kept.id]
    async with sessionmaker() as session:
        assert await repo.get_kv(session, namespace="dialog", key="1111") == {"z": 1}
        assert await repo.get_kv(session, namespace="health", key="probe") == "2025-03-03"


async def test_reminder_key_is_unique(sessionmaker: Maker) -> None:
    runner = await _runner(sessionmaker)
    assert runner.id is not None
    due = dt.datetime(2025, 3, 3, 17, 0, tzinfo=dt.UTC)
    async with sessionmaker.begin() as session:
        session.add(Reminder(runner_id=runner.id, kind="strength", local_date=MONDAY, due_at=due))
        session.add(Reminder(runner_id=runner.id, kind="morning", local_date=MONDAY, due_at=due))
    with pytest.raises(IntegrityError):
        async with sessionmaker.begin() as session:
            session.add(
                Reminder(runner_id=runner.id, kind="strength", local_date=MONDAY, due_at=due)
            )
    async with sessionmaker() as session:
        rows = (await session.exec(select(Reminder).order_by(col(Reminder.kind)))).all()
    assert [row.kind for row in rows] == ["morning", "strength"]
    assert rows[0].due_at == due and rows[0].due_at.tzinfo is not None
    assert rows[0].status == "pending" and rows[0].attempts == 0


def test_statuses_keep_the_strings_already_stored() -> None:
    # Existing rows hold these strings: changing one needs a data migration.
    assert [status.value for status in ReminderStatus] == [
        "pending",
        "claimed",
        "sent",
        "expired",
        "cancelled",
        "unknown",
        "failed",
    ]
    assert [status.value for status in ReplyStatus] == ["pending", "sent", "failed"]
    assert [status.value for status in SessionLogStatus] == ["done", "skipped"]
    # The names callers used before the enums are the members themselves.
    for status in ReminderStatus:
        assert getattr(repo, status.name) is status
    for reply_status in ReplyStatus:
        assert getattr(inbox, reply_status.name) is reply_status


async def test_timestamps_are_stored_as_utc(engine: AsyncEngine, sessionmaker: Maker) -> None:
    runner = await _runner(sessionmaker)
    assert runner.id is not None
    berlin_evening = dt.datetime(2025, 3, 3, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    async with sessionmaker.begin() as session:
        session.add(
            Reminder(runner_id=runner.id, kind="k", local_date=MONDAY, due_at=berlin_evening)
        )
    async with sessionmaker() as session:
        row = (await session.exec(select(Reminder))).one()
    assert row.due_at == berlin_evening
    assert row.due_at.tzinfo == dt.UTC and row.due_at.hour == 17

    with pytest.raises(Exception, match="naive datetime"):
        async with sessionmaker.begin() as session:
            session.add(
                Reminder(
                    runner_id=runner.id,
                    kind="naive",
                    local_date=MONDAY,
                    due_at=dt.datetime(2025, 3, 3, 18, 0),
                )
            )


async def test_done_per_week_counts_done_sessions_by_monday(sessionmaker: Maker) -> None:
    runner = await _runner(sessionmaker, telegram_user_id=333)
    assert runner.id is not None
    week = dt.timedelta(days=7)
    async with sessionmaker.begin() as session:
        for day, status in (
            (MONDAY, "done"),
            (MONDAY + dt.timedelta(days=3), "done"),
            (MONDAY + dt.timedelta(days=5), "skipped"),
            (MONDAY - week + dt.timedelta(days=6), "done"),  # the Sunday before
            (MONDAY - 3 * week, "done"),  # before the range asked for
        ):
            await repo.log_session(
                session, runner_id=runner.id, day=day, session_name="S", status=status
            )
    async with sessionmaker() as session:
        counts = await repo.done_per_week(
            session, runner_id=runner.id, first_monday=MONDAY - 2 * week, last_monday=MONDAY
        )
    assert counts == {MONDAY: 2, MONDAY - week: 1}


async def test_a_week_step_is_taken_once_and_exported(sessionmaker: Maker) -> None:
    runner = await _runner(sessionmaker)
    assert runner.id is not None

    async def step(level_after: int) -> bool:
        async with sessionmaker.begin() as session:
            return await repo.record_week_step(
                session,
                runner_id=runner.id,
                week_start=MONDAY,
                level_before=0,
                level_after=level_after,
                reason=f"Next week: level {level_after}.",
                outcome={"planned": 2, "done": 2},
            )

    assert await step(1) is True
    assert await step(-1) is False  # the week was taken: the first step stands
    async with sessionmaker.begin() as session:
        await repo.record_week_step(
            session,
            runner_id=runner.id,
            week_start=MONDAY + dt.timedelta(weeks=1),
            level_before=1,
            level_after=1,
            reason="hold",
            outcome={},
        )
    async with sessionmaker() as session:
        steps = await repo.week_steps(session, runner_id=runner.id)
        data = await repo.export_runner(session, runner_id=runner.id)
    assert [(s.week_start, s.level_before, s.level_after) for s in steps] == [
        (MONDAY, 0, 1),
        (MONDAY + dt.timedelta(weeks=1), 1, 1),
    ]
    assert steps[0].reason == "Next week: level 1." and steps[0].outcome["done"] == 2
    assert [s["level_after"] for s in data["week_steps"]] == [1, 1]


async def test_this_weeks_changes_are_kept_replaced_removed_and_exported(
    sessionmaker: Maker,
) -> None:
    runner = await _runner(sessionmaker)
    assert runner.id is not None
    next_monday = MONDAY + dt.timedelta(weeks=1)
    moved = WeekChanges(week_start=MONDAY, moves=((Weekday.TUE, Weekday.WED),))
    changed = WeekChanges(
        week_start=MONDAY,
        days=((Weekday.FRI, Day(kind=DayKind.TEMPO, start=dt.time(7, 0))),),
        moves=((Weekday.TUE, Weekday.WED),),
    )
    async with sessionmaker.begin() as session:
        await repo.save_week_changes(session, runner_id=runner.id, changes=moved)
    async with sessionmaker.begin() as session:
        assert await repo.get_week_changes(session, runner_id=runner.id, week_start=MONDAY) == (
            moved
        )
        assert (
            await repo.get_week_changes(session, runner_id=runner.id, week_start=next_monday)
            is None
        )
        await repo.save_week_changes(session, runner_id=runner.id, changes=changed)
    async with sessionmaker() as session:
        assert await repo.get_week_changes(session, runner_id=runner.id, week_start=MONDAY) == (
            changed
        )
        data = await repo.export_runner(session, runner_id=runner.id)
    [row] = data["week_changes"]
    assert row["week_start"] == MONDAY.isoformat()
    assert row["changes"]["moves"] == [[int(Weekday.TUE), int(Weekday.WED)]]
    assert row["changes"]["days"][0][1]["kind"] == "tempo"

    async with sessionmaker.begin() as session:  # nothing left: the usual week again
        await repo.save_week_changes(
            session, runner_id=runner.id, changes=WeekChanges(week_start=MONDAY)
        )
    async with sessionmaker() as session:
        assert await repo.get_week_changes(session, runner_id=runner.id, week_start=MONDAY) is None
        assert (await repo.export_runner(session, runner_id=runner.id))["week_changes"] == []


async def test_two_writers_take_a_week_step_once(sessionmaker: Maker) -> None:
    import asyncio

    runner = await _runner(sessionmaker)
    assert runner.id is not None

    async def step(level_after: int) -> bool:
        async with sessionmaker.begin() as session:
            return await repo.record_week_step(
                session,
                runner_id=runner.id,
                week_start=MONDAY,
                level_before=0,
                level_after=level_after,
                reason="r",
                outcome={},
            )

    results = await asyncio.gather(step(1), step(-1))
    assert sorted(results) == [False, True]
    async with sessionmaker() as session:
        assert len(await repo.week_steps(session, runner_id=runner.id)) == 1


async def test_the_feel_of_a_logged_session_is_kept_and_exported(sessionmaker: Maker) -> None:
    runner = await _runner(sessionmaker)
    assert runner.id is not None
    async with sessionmaker.begin() as session:
        assert await repo.set_feel(session, runner_id=runner.id, day=MONDAY, feel="easy") is False
        await repo.log_session(
            session, runner_id=runner.id, day=MONDAY, session_name="S", status="done"
        )
        assert await repo.set_feel(session, runner_id=runner.id, day=MONDAY, feel="hard") is True
        assert await repo.set_feel(session, runner_id=runner.id, day=MONDAY, feel="hard") is False
    async with sessionmaker() as session:
        log = await repo.session_log(session, runner_id=runner.id, day=MONDAY)
        data = await repo.export_runner(session, runner_id=runner.id)
    assert log is not None and log.feel == "hard" and log.status == "done"
    assert data["session_log"][0]["feel"] == "hard"
