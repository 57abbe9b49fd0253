"""The weekly summary's streak: a year of weeks is read from the session log in one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from bot.plans import plan_for
from bot.reminders.compose import _weekly
from core.planner import week_start_of
from storage import repo
from tests.bot.conftest import Clock
from tests.bot.test_reminders import LONDON, START, SUN, coach_at, onboard, stored

WEEKS = 12  # weeks in a row with every planned session done, this one included


async def test_a_long_streak_reads_the_session_log_once(db_url: str) -> None:
    clock = Clock(START - dt.timedelta(weeks=WEEKS))  # joined before the streak began
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON)
        clock.now = START
        runner = await stored(coach, 42)
        assert runner.id is not None
        rt = coach.app.bot_data["runtime"]
        monday = week_start_of(SUN)
        async with rt.sessions() as db, db.begin():
            for back in range(WEEKS):
                for day in plan_for(runner, monday - dt.timedelta(weeks=back)).sessions:
                    assert day.session is not None
                    await repo.log_session(
                        db,
                        runner_id=runner.id,
                        day=day.date,
                        session_name=day.session.name,
                        status="done",
                    )
        statements: list[str] = []

        def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        sa.event.listen(rt.engine.sync_engine, "before_cursor_execute", seen)
        try:
            summary = await _weekly(coach.app, runner, SUN)
        finally:
            sa.event.remove(rt.engine.sync_engine, "before_cursor_execute", seen)
    assert f"Streak: {WEEKS} weeks in a row" in summary
    # Next week as its overview: a line a day, the strength days marked, no exercise lists.
    days = [line for line in summary.splitlines() if " · " in line]
    assert [line[:3] for line in days] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert [line[:3] for line in days if "💪" in line] == ["Wed", "Sun"]
    assert "•" not in summary and len(summary) <= 1600
    reads = [s for s in statements if "session_log" in s.lower()]
    # This week's numbers, the done count of each week, and the weeks the level step reads.
    assert len(reads) == 3, reads
