"""The runner's consent to a short session after a hard run (docs/coaching.md, "Hard days
hard"): a runner column, kept, exported, and added by migration 0009 as "not agreed"."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from core.models import Profile
from storage import repo
from storage.db import downgrade, make_engine, upgrade
from storage.tables import apply_profile, runner_profile

Maker = async_sessionmaker[AsyncSession]


async def test_consent_is_kept_and_exported(sessionmaker: Maker) -> None:
    async with sessionmaker.begin() as session:
        runner = await repo.get_or_create_runner(
            session, telegram_user_id=77, chat_id=77, first_name="Ann"
        )
    assert runner.hard_day_sessions is False  # nobody has agreed until asked
    apply_profile(runner, Profile(sessions_per_week=3, hard_day_sessions=True))
    async with sessionmaker.begin() as session:
        await repo.save_runner(session, runner=runner)
    async with sessionmaker() as session:
        stored = await repo.get_runner(session, telegram_user_id=77)
        assert stored is not None and stored.id is not None
        data = await repo.export_runner(session, runner_id=stored.id)
    assert runner_profile(stored).hard_day_sessions is True
    assert data["runner"]["hard_day_sessions"] is True


def _columns(connection: Connection) -> set[str]:
    return {c["name"] for c in sa.inspect(connection).get_columns("runner")}


async def test_0009_adds_the_column_as_not_agreed_for_existing_runners(
    blank_db_url: str,
) -> None:
    await upgrade(blank_db_url, "0008")
    engine = make_engine(blank_db_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO runner (telegram_user_id, chat_id, first_name, time_zone, goal,"
                    " sessions_per_week, minutes, placement, equipment, niggles, pain_areas,"
                    " week, delay_minutes, morning_time, strength_time, reminders_off, level,"
                    " onboarded, active, created_at, updated_at) VALUES (7, 7, 'Ann', 'UTC',"
                    " 'none', 3, 25, 'either', '[]', '[]', '[]', '[]', 15, '07:00', '18:00',"
                    " '[]', 2, true, true, '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
                )
            )
    finally:
        await engine.dispose()
    await upgrade(blank_db_url)
    engine = make_engine(blank_db_url)
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    sa.text("SELECT sessions_per_week, hard_day_sessions FROM runner")
                )
            ).one()
            assert tuple(row) == (3, False)
        await downgrade(blank_db_url, "0008")
        async with engine.connect() as connection:
            columns = await connection.run_sync(_columns)
        assert "hard_day_sessions" not in columns and "lifting_experience" in columns
    finally:
        await engine.dispose()
