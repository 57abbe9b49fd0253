"""The coach's roster (docs/coaching_mode.md): the facts of every runner who shares with a
coach, read in a few queries for the whole roster, and one runner's detail. The rules
(colours, order, pages) are `core.coaching`'s; the rows are `storage.repo.coaching`'s."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.plans import joining_day, plan_for, week_plan
from core.coaching import PainMark, RosterFacts, WeekTally
from core.models import WeekChanges
from core.planner import week_start_of
from core.progression import week_streak
from storage import repo
from storage.tables import PainReport, Runner

STREAK_WEEKS = 12  # the roster's streak looks back at most this far
WEEK = dt.timedelta(days=7)


def _mark(report: PainReport, zone: ZoneInfo) -> PainMark:
    tier = report.advice_level if report.red_flag else None
    return PainMark(
        day=report.created_at.astimezone(zone).date(),
        score=report.score,
        area=report.area,
        tier=tier,
    )


def _planned(runner: Runner, monday: dt.date) -> list[dt.date]:
    joined = joining_day(runner)
    return [d.date for d in plan_for(runner, monday).sessions if d.date >= joined]


async def roster_facts(
    db: AsyncSession, coach: Runner, now: dt.datetime, *, only: int | None = None
) -> list[RosterFacts]:
    """The facts of every runner who shares with the coach (unsorted); with `only`, of that
    runner alone, if they share."""
    assert coach.id is not None
    runners = [
        r
        for r in await repo.coaching.roster(db, coach_id=coach.id)
        if r.id is not None and only in (None, r.id)
    ]
    ids = [r.id for r in runners if r.id is not None]
    utc_today = now.astimezone(dt.UTC).date()
    first = week_start_of(utc_today) - WEEK * (STREAK_WEEKS + 1)
    done = await repo.coaching.done_between(
        db, runner_ids=ids, first=first, last=utc_today + dt.timedelta(days=1)
    )
    pains = await repo.coaching.last_pains(db, runner_ids=ids)
    # This week's changes of every runner in one query (a runner ahead of UTC may be in
    # next week already: both weeks are read).
    monday = week_start_of(utc_today)
    changes = await repo.coaching.week_changes_of(
        db, runner_ids=ids, weeks=(monday - WEEK, monday, monday + WEEK)
    )
    facts = []
    for runner in runners:
        assert runner.id is not None
        zone = ZoneInfo(runner.time_zone)
        today = now.astimezone(zone).date()
        own = changes.get((runner.id, week_start_of(today)))
        facts.append(_facts(runner, today, set(done[runner.id]), pains.get(runner.id), zone, own))
    return facts


def _facts(
    runner: Runner,
    today: dt.date,
    done: set[dt.date],
    pain: PainReport | None,
    zone: ZoneInfo,
    changes: WeekChanges | None,
) -> RosterFacts:
    assert runner.id is not None
    monday = week_start_of(today)
    joined = joining_day(runner)
    this_week = plan_for(runner, monday, changes=changes)
    this = [d.date for d in this_week.sessions if d.date >= joined]
    done_this = sum(day in done for day in this)
    missed = sum(day < today and day not in done for day in this)

    def tally(back: int) -> WeekTally:
        start = monday - WEEK * back
        planned = _planned(runner, start)
        return WeekTally(monday=start, planned=len(planned), done=sum(d in done for d in planned))

    # Only the weeks since they joined count, at most STREAK_WEEKS back.
    weeks_in = min(STREAK_WEEKS, (monday - week_start_of(joined)).days // 7)
    last_weeks = tuple(tally(back) for back in range(1, min(2, weeks_in) + 1))
    earlier = (tally(back) for back in range(3, weeks_in + 1))
    # Lazily: the streak stops reading (and planning) at the first week that breaks it.
    finished = week_streak((w.planned, w.done) for w in itertools.chain(last_weeks, earlier))
    streak = finished + (1 if this and done_this >= len(this) else 0)
    return RosterFacts(
        runner_id=runner.id,
        name=runner.first_name or f"Runner {runner.id}",
        planned=len(this),
        done=done_this,
        missed=missed,
        streak=streak,
        last_weeks=last_weeks,
        last_pain=_mark(pain, zone) if pain is not None else None,
    )


async def detail(
    db: AsyncSession, runner: Runner, now: dt.datetime
) -> tuple[list[WeekTally], list[PainMark]]:
    """A runner's last 4 weeks (this one first) and their pain history, newest first."""
    assert runner.id is not None
    zone = ZoneInfo(runner.time_zone)
    today = now.astimezone(zone).date()
    monday = week_start_of(today)
    joined = joining_day(runner)
    done = await repo.coaching.done_between(
        db, runner_ids=[runner.id], first=monday - 3 * WEEK, last=monday + dt.timedelta(days=6)
    )
    days = set(done[runner.id])
    weeks = []
    for back in range(4):
        start = monday - WEEK * back
        if start < week_start_of(joined):
            break
        plan = await week_plan(db, runner, start) if back == 0 else plan_for(runner, start)
        planned = [d.date for d in plan.sessions if d.date >= joined]
        weeks.append(
            WeekTally(monday=start, planned=len(planned), done=sum(d in days for d in planned))
        )
    pains = [_mark(p, zone) for p in await repo.coaching.pain_history(db, runner_id=runner.id)]
    return weeks, pains
