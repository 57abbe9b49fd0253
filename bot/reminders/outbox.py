"""Building the outbox: a runner's reminder rows for the next two weeks, from their plan.

The database is the source of truth (docs/architecture.md, "Reminders: the outbox"): building
or changing a plan rewrites the runner's pending rows, and an hourly job extends the horizon.
Nothing about reminders lives in the scheduler.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.episodes import retime_followups
from bot.plans import reminder_settings, restrictions_for, week_plan
from bot.runtime import App, runtime
from core.illness import checkin_day, is_ill
from core.models import Plan
from core.planner import week_start_of
from core.reminders import ReminderKind, ReminderSpec, morning_due, reminders_for
from storage import repo
from storage.tables import Runner

HORIZON_DAYS = 14


def is_paused(runner: Runner, today: dt.date) -> bool:
    """The runner has paused (/pause, or an injury that needs seeing) and `today` is in it."""
    if runner.pause_reason is None:
        return False
    if is_ill(runner.pause_reason):
        return True  # ill: nothing restarts until they say they are better (bot/illness.py)
    return runner.paused_until is None or today <= runner.paused_until


async def rebuild_reminders(db: AsyncSession, *, runner: Runner, now: dt.datetime) -> int:
    """Write the runner's reminders for the next two weeks; old pending ones are cancelled."""
    assert runner.id is not None
    today = now.astimezone(ZoneInfo(runner.time_zone)).date()
    until = today + dt.timedelta(days=HORIZON_DAYS - 1)
    specs = []
    if runner.onboarded and runner.active:
        first = week_start_of(today - dt.timedelta(days=1))
        weeks = (week_start_of(until) - first).days // 7 + 1
        plans = [await week_plan(db, runner, first + dt.timedelta(weeks=i)) for i in range(weeks)]
        specs = reminders_for(plans, reminder_settings(runner), after=now, until=until)
        if runner.pause_reason is not None:
            specs = [
                s
                for s in specs
                if not is_paused(runner, s.local_date)
                or (is_ill(runner.pause_reason) and s.kind is ReminderKind.WEEKLY)
            ]
        if is_ill(runner.pause_reason):  # asked before the run they would have had
            well = [await week_plan(db, runner, p.week_start, while_ill=False) for p in plans]
            specs += _illness_checkins(runner, well, today, after=now, until=until)
        if runner.pain_areas and restrictions_for(runner).running_paused:
            # Until they have been seen: no strength reminders (the morning message still
            # says what is on, without a run).
            specs = [s for s in specs if s.kind is not ReminderKind.STRENGTH]
    await repo.replace_reminders(db, runner_id=runner.id, specs=specs, now=now)
    runner.reminders_until = until
    db.add(runner)
    if runner.pain_areas and restrictions_for(runner).checkins:
        await retime_followups(db, runner=runner, now=now)
    return len(specs)


def _illness_checkins(
    runner: Runner, plans: list[Plan], today: dt.date, *, after: dt.datetime, until: dt.date
) -> list[ReminderSpec]:
    """The morning check-ins of an ill runner ("How do you feel?"), sent even with morning
    messages turned off: each morning from their last ill day (docs/coaching.md, "Illness")."""
    settings = reminder_settings(runner)
    zone = ZoneInfo(runner.time_zone)
    specs = []
    for day in (d for plan in plans for d in plan.days):
        if day.date > until or not checkin_day(runner.pause_reason, runner.paused_until, day.date):
            continue
        if runner.paused_until is None and day.date <= today:
            continue  # they have just said they are ill: first asked tomorrow
        due = morning_due(day, settings, zone)
        if due > after:
            specs.append(ReminderSpec(kind=ReminderKind.MORNING, local_date=day.date, due_at=due))
    return specs


async def extend_horizons(app: App, *, now: dt.datetime | None = None) -> int:
    """Top up runners whose reminders end within a week (the daily horizon job)."""
    rt = runtime(app)
    now = now or rt.clock()
    done = 0
    while True:
        async with rt.locks.transaction() as db:
            through = (now + dt.timedelta(days=7)).date()
            runners = await repo.runners_needing_reminders(db, through=through, limit=200)
            for runner in runners:
                await rebuild_reminders(db, runner=runner, now=now)
        done += len(runners)
        if len(runners) < 200:
            return done
