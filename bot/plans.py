"""A runner's plan and reminder settings from their stored setup (one place for both)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.coach_notes import noted, with_coach_notes
from core.models import Plan, WeekChanges
from core.pain import Restrictions, adapt_plan
from core.planner import plan_week, week_start_of
from core.reminders import ReminderKind, ReminderSettings
from storage import repo
from storage.tables import Runner, runner_profile, runner_week


async def week_plan(db: AsyncSession, runner: Runner, week_start: dt.date) -> Plan:
    """The week's plan with the runner's changes to that week (moved sessions, changed runs:
    docs/coaching.md, "This week"): what /plan, /today, the reminders and the weekly summary
    show. A week without changes is the usual week."""
    changes = None
    if runner.id is not None:
        changes = await repo.get_week_changes(db, runner_id=runner.id, week_start=week_start)
    return await with_coach_notes(db, runner, plan_for(runner, week_start, changes=changes))


def known_week_plan(
    runner: Runner,
    week_start: dt.date,
    *,
    changes: WeekChanges | None,
    notes: list[tuple[str, str]],
) -> Plan:
    """`week_plan` from the week's changes and coach notes already read (the reminder
    dispatcher reads them for a whole batch at once: bot/reminders/dispatcher.py)."""
    return noted(plan_for(runner, week_start, changes=changes), notes)


def plan_for(runner: Runner, week_start: dt.date, *, changes: WeekChanges | None = None) -> Plan:
    """The week's plan as the runner sees it in /plan and in their reminders: with an open
    pain episode, as its restrictions allow (sore areas spared, running paused...).

    The heavy block and the first week are counted from the runner's stored block start and
    first week, or from the week they joined until those are stored (docs/coaching.md). The
    week they joined starts on their joining day: the days before it are not planned.
    `changes` are the runner's changes to that week (`week_plan` reads them)."""
    joined_on = joining_day(runner)
    joined = joined_week(runner)
    restrictions = Restrictions.from_tags(runner.pain_areas)
    plan = plan_week(
        runner_profile(runner),
        runner_week(runner),
        week_start,
        level=runner.level,
        avoid=restrictions.builder_avoid if runner.pain_areas else frozenset(),
        block_start=runner.heavy_block_start or joined,
        first_week=runner.first_week or joined,
        starts_on=joined_on,
        changes=changes,
    )
    return adapt_plan(plan, restrictions) if runner.pain_areas else plan


def joining_day(runner: Runner) -> dt.date:
    """The day the runner joined, in their own time zone."""
    return runner.created_at.astimezone(ZoneInfo(runner.time_zone)).date()


def joined_week(runner: Runner) -> dt.date:
    """The Monday of the week the runner joined: where the first week and the heavy block
    count from until the end-of-week step stores them (bot/progress.py)."""
    return week_start_of(joining_day(runner))


def restrictions_for(runner: Runner) -> Restrictions:
    """What the runner's open pain episode keeps out of their plan."""
    return Restrictions.from_tags(runner.pain_areas)


def reminder_settings(runner: Runner) -> ReminderSettings:
    return ReminderSettings(
        time_zone=runner.time_zone,
        delay_minutes=runner.delay_minutes,
        morning_time=dt.time.fromisoformat(runner.morning_time),
        strength_time=dt.time.fromisoformat(runner.strength_time),
        off=frozenset(ReminderKind(k) for k in runner.reminders_off),
    )
