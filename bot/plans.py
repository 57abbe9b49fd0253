"""A runner's plan and reminder settings from their stored setup (one place for both)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.coach_notes import noted, with_coach_notes
from core.illness import ill_weekdays, is_ill
from core.models import Plan, Profile, Week, WeekChanges, Weekday
from core.pain import Restrictions, adapt_plan
from core.planner import MoveOption, move_options, plan_week, rest_while_ill, week_start_of
from core.reminders import ReminderKind, ReminderSettings
from storage import repo
from storage.tables import Runner, runner_profile, runner_week

WEEK = dt.timedelta(days=7)
ILLNESS_SPELL = "illness"  # kv namespace: {"since": date, "better": date or null}


async def week_plan(
    db: AsyncSession, runner: Runner, week_start: dt.date, *, while_ill: bool = True
) -> Plan:
    """The week's plan with the runner's changes to that week (moved sessions, changed runs:
    docs/coaching.md, "This week") and without training on the days they were or are ill:
    what /plan, /today, the reminders and the weekly summary show. A week without changes
    is the usual week. `while_ill=False`: as if they were well (the ill check-ins' times
    come from the runs they would have had)."""
    changes = before = None
    if runner.id is not None:
        both = {(runner.id, week_start), (runner.id, week_start - WEEK)}  # in one query
        found = await repo.batch_week_changes(db, weeks=both)
        changes = found.get((runner.id, week_start))
        before = found.get((runner.id, week_start - WEEK))
    plan = plan_for(runner, week_start, changes=changes, previous_changes=before)
    spell = await illness_spell(db, runner) if runner.id is not None and while_ill else None
    if spell is not None:
        ill = ill_weekdays(spell[0], spell[1], is_ill(runner.pause_reason), week_start)
        plan = rest_while_ill(plan, ill)
    return await with_coach_notes(db, runner, plan)


async def illness_spell(db: AsyncSession, runner: Runner) -> tuple[dt.date, dt.date | None] | None:
    """The runner's latest illness, kept by bot/illness.py in the kv table under their chat
    (so exported and erased with it): its first day, and the day they were better."""
    value = await repo.get_kv(db, namespace=ILLNESS_SPELL, key=str(runner.chat_id))
    if not isinstance(value, dict):
        return None
    try:
        since = dt.date.fromisoformat(value["since"])
        better = dt.date.fromisoformat(value["better"]) if value.get("better") else None
    except (KeyError, TypeError, ValueError):
        return None
    return since, better


def known_week_plan(
    runner: Runner,
    week_start: dt.date,
    *,
    changes: WeekChanges | None,
    previous_changes: WeekChanges | None,
    notes: list[tuple[str, str]],
) -> Plan:
    """`week_plan` from the week's changes (and the week before's) and coach notes already
    read (the reminder dispatcher reads them for a whole batch at once:
    bot/reminders/dispatcher.py), for a runner who is not ill now (an ill runner's plan
    goes through `week_plan`)."""
    plan = plan_for(runner, week_start, changes=changes, previous_changes=previous_changes)
    return noted(plan, notes)


def plan_for(
    runner: Runner,
    week_start: dt.date,
    *,
    changes: WeekChanges | None = None,
    previous_changes: WeekChanges | None = None,
    after_previous: bool = True,
) -> Plan:
    """The week's plan as the runner sees it in /plan and in their reminders: with an open
    pain episode, as its restrictions allow (sore areas spared, running paused...).

    The heavy block and the first week are counted from the runner's stored block start and
    first week, or from the week they joined until those are stored (docs/coaching.md). The
    week they joined starts on their joining day: the days before it are not planned.
    `changes` are the runner's changes to that week (`week_plan` reads them). The week
    before (with `previous_changes`) is planned too, so that its Sunday is this Monday's
    yesterday (P5 and the 48-hour rule across weeks, docs/coaching.md); `after_previous`
    False plans a week on its own (that week before itself)."""
    return _planned(_Setup.of(runner), week_start, changes, previous_changes, after_previous)


@dataclass(frozen=True, slots=True)
class _Setup:
    """What planning reads from a runner's row, read once for a week and the week before
    (the stored profile and week are JSON: parsing them twice per plan cost a third of a
    reminder's composing, bench/README.md figure 2)."""

    profile: Profile
    week: Week
    level: int
    pain: bool
    restrictions: Restrictions
    joined_on: dt.date
    block_start: dt.date
    first_week: dt.date

    @classmethod
    def of(cls, runner: Runner) -> _Setup:
        joined_on = joining_day(runner)
        joined = week_start_of(joined_on)
        return cls(
            profile=runner_profile(runner),
            week=runner_week(runner),
            level=runner.level,
            pain=bool(runner.pain_areas),
            restrictions=Restrictions.from_tags(runner.pain_areas),
            joined_on=joined_on,
            block_start=runner.heavy_block_start or joined,
            first_week=runner.first_week or joined,
        )


def _planned(
    setup: _Setup,
    week_start: dt.date,
    changes: WeekChanges | None,
    previous_changes: WeekChanges | None,
    after_previous: bool,
) -> Plan:
    previous = None
    if after_previous:
        previous = _planned(setup, week_start - WEEK, previous_changes, None, False)
    plan = plan_week(
        setup.profile,
        setup.week,
        week_start,
        level=setup.level,
        avoid=setup.restrictions.builder_avoid if setup.pain else frozenset(),
        block_start=setup.block_start,
        first_week=setup.first_week,
        starts_on=setup.joined_on,
        changes=changes,
        previous=previous,
    )
    return adapt_plan(plan, setup.restrictions) if setup.pain else plan


def moves_for(
    runner: Runner, source: Weekday, *, today: dt.date, changes: WeekChanges
) -> tuple[MoveOption, ...]:
    """Where the session on `source` (in the week `changes` names) may move: checked against
    the week as `plan_for` places it, the part first week and the heavy block included, so
    the chat's Move and the Mini App's offer only days the plan really takes. Raises
    ValueError when the planner holds no session on `source`."""
    return move_options(
        runner_profile(runner),
        runner_week(runner),
        changes.week_start,
        source,
        today=today,
        changes=changes,
        starts_on=joining_day(runner),
        block_start=runner.heavy_block_start or joined_week(runner),
    )


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
