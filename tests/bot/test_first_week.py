"""The first week starts on the day the runner joins: through the real bot, joining on each
weekday (docs/coaching.md, "The partial first week")."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from storage import repo
from storage.tables import Reminder
from tests.bot.conftest import Clock, Coach

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2026, 11, 30)
# Easy runs every morning: every day can take strength, so the dates decide.
EASY_WEEK = (
    "Mon easy 07:00, Tue easy 07:00, Wed easy 07:00, Thu easy 07:00, Fri easy 07:00, "
    "Sat easy 07:00, Sun easy 07:00"
)


def overview(texts: list[str]) -> str:
    return next(t for t in reversed(texts) if t.startswith("Your week from"))


async def reminder_dates(coach: Coach) -> list[dt.date]:
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=42)
        assert runner is not None
        rows = (await db.exec(select(Reminder).where(Reminder.runner_id == runner.id))).all()
    return sorted({r.due_at.astimezone(LONDON).date() for r in rows})


@pytest.mark.parametrize("offset", range(7))
async def test_joining_on_any_weekday_plans_from_that_day(coach: Coach, clock: Clock, offset):
    joined = MONDAY + dt.timedelta(days=offset)
    clock.now = dt.datetime.combine(joined, dt.time(6, 30), tzinfo=dt.UTC)
    await coach.onboard_typing(week=EASY_WEEK)
    await coach.send("/plan")
    text = overview(coach.texts())
    assert text.startswith(f"Your week from {joined:%A %d %B}:")
    lines = text.splitlines()
    for day in range(7):
        date = MONDAY + dt.timedelta(days=day)
        shown = [line for line in lines if line.startswith(f"{date:%a %d} ·")]
        # The days before joining are not listed at all; the others have a line each.
        assert len(shown) == (0 if day < offset else 1), (date, text)
    # Never "from Monday" unless they joined on Monday.
    assert (f"from {MONDAY:%A %d %B}" in text) == (offset == 0)
    dates = await reminder_dates(coach)
    assert dates and min(dates) >= joined


async def test_joining_on_tuesday_never_shows_the_past_monday(coach: Coach, clock: Clock):
    # Issue 14: someone who joins on Tuesday 1 December.
    clock.now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    await coach.onboard_typing(week=EASY_WEEK)
    await coach.send("/plan")
    text = overview(coach.texts())
    assert "from Monday 30 November" not in text
    assert text.startswith("Your week from Tuesday 01 December")
    assert not [line for line in text.splitlines() if line.startswith("Mon 30")]
    await coach.send("/week next")
    assert "Your week from Monday 07 December" in coach.last() or any(
        "Your week from Monday 07 December" in t for t in coach.texts()
    )


async def test_a_late_evening_join_counts_in_the_runners_zone(coach: Coach, clock: Clock):
    # 23:30 UTC on Monday is already Tuesday in Tokyo: the week starts on Tuesday there.
    clock.now = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)
    answers = ["/start", "no race", EASY_WEEK, "2", "25", "after runs", "none", "Asia/Tokyo"]
    for answer in [*answers, "none", "yes"]:
        await coach.send(answer)
    await coach.send("/plan")
    assert overview(coach.texts()).startswith("Your week from Tuesday 01 December")
    async with coach.app.bot_data["runtime"].sessions() as db:
        rows = (await db.exec(select(Reminder).order_by(col(Reminder.due_at)))).all()
    tokyo = ZoneInfo("Asia/Tokyo")
    assert rows and rows[0].due_at.astimezone(tokyo).date() >= dt.date(2026, 12, 1)
