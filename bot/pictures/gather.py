"""What the pictures show, gathered from the plan, the pause and the session log, and the
photos drawn from it off the event loop (docs/pictures.md, "Threading")."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.pictures.captions import progress_caption, week_caption
from bot.plans import joined_week, joining_day, week_plan
from core.areas import area_label
from core.illness import is_ill
from core.models import Plan
from core.pictures import PainPoint, Progress, WeekBar, WeekPicture, level_in, week_picture
from core.planner import plan_week, week_start_of
from storage import repo
from storage.tables import Runner, SessionLogStatus, runner_profile, runner_week

PROGRESS_WEEKS = 12
WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class Photo:
    """A PNG to send with `sendPhoto`, and its caption (the same facts in words)."""

    data: bytes
    caption: str
    filename: str


def _paused_on(runner: Runner, day: dt.date) -> bool:
    """The runner's pause (/pause, illness) covers `day` (as the reminders read it)."""
    if runner.pause_reason is None:
        return False
    if is_ill(runner.pause_reason) or runner.paused_until is None:
        return True
    return day <= runner.paused_until


async def _usual(db: AsyncSession, runner: Runner, week_start: dt.date) -> Plan:
    """The week as it would be without the open pain episode (`bot.plans.plan_for` without
    the restrictions), to show what the episode changed."""
    assert runner.id is not None
    joined = joined_week(runner)
    return plan_week(
        runner_profile(runner),
        runner_week(runner),
        week_start,
        level=runner.level,
        block_start=runner.heavy_block_start or joined,
        first_week=runner.first_week or joined,
        starts_on=joining_day(runner),
        changes=await repo.get_week_changes(db, runner_id=runner.id, week_start=week_start),
    )


async def week_of(
    db: AsyncSession, runner: Runner, week_start: dt.date, *, today: dt.date
) -> WeekPicture:
    """The week starting `week_start` as the picture shows it."""
    plan = await week_plan(db, runner, week_start)
    pain = bool(runner.pain_areas)
    usual = await _usual(db, runner, week_start) if pain else None
    paused = [d.date for d in plan.days if d.date >= today and _paused_on(runner, d.date)]
    return week_picture(plan, today=today, paused=paused, usual=usual, pain=pain)


async def week_photo(
    db: AsyncSession, runner: Runner, week_start: dt.date, *, today: dt.date
) -> Photo:
    """The week's picture and caption; drawn in a worker thread."""
    return await draw_week(await week_of(db, runner, week_start, today=today))


def _week_png(picture: WeekPicture) -> bytes:
    from bot.pictures.draw import week_png  # matplotlib: imported on the first picture

    return week_png(picture)


def _progress_png(progress: Progress) -> bytes:
    from bot.pictures.chart import progress_png  # matplotlib: imported on the first chart

    return progress_png(progress)


async def draw_week(picture: WeekPicture) -> Photo:
    """The picture drawn in a worker thread (the event loop carries on meanwhile)."""
    data = await asyncio.to_thread(_week_png, picture)
    name = f"week-{picture.week_start.isoformat()}.png"
    return Photo(data, week_caption(picture), name)


async def draw_progress(progress: Progress) -> Photo:
    """The chart drawn in a worker thread."""
    data = await asyncio.to_thread(_progress_png, progress)
    last = progress.weeks[-1].monday if progress.weeks else None
    name = f"progress-{last.isoformat() if last else 'weeks'}.png"
    return Photo(data, progress_caption(progress), name)


async def progress_of(
    db: AsyncSession, runner: Runner, *, today: dt.date, streak: int
) -> Progress:
    """The last PROGRESS_WEEKS weeks up to this one (none before the runner joined)."""
    assert runner.id is not None
    this_monday = week_start_of(today)
    joined = joined_week(runner)
    mondays = [this_monday - WEEK * back for back in reversed(range(PROGRESS_WEEKS))]
    mondays = [m for m in mondays if m >= joined] or [this_monday]
    logs = await repo.week_logs(
        db, runner_id=runner.id, first=mondays[0], last=this_monday + dt.timedelta(days=6)
    )
    steps = [
        (s.week_start, s.level_before, s.level_after)
        for s in await repo.week_steps(db, runner_id=runner.id)
    ]
    weeks = []
    for monday in mondays:
        mine = [log for log in logs if monday <= log.date < monday + WEEK]
        weeks.append(
            WeekBar(
                monday=monday,
                planned=len((await week_plan(db, runner, monday)).sessions),
                done=sum(log.status == SessionLogStatus.DONE for log in mine),
                skipped=sum(log.status == SessionLogStatus.SKIPPED for log in mine),
                level=level_in(monday, steps, runner.level),
            )
        )
    zone = ZoneInfo(runner.time_zone)
    start = dt.datetime.combine(mondays[0], dt.time(), tzinfo=zone)
    end = dt.datetime.combine(this_monday + WEEK, dt.time(), tzinfo=zone)
    reports = await repo.pain_between(db, runner_id=runner.id, start=start, end=end)
    pains = sorted(
        (
            PainPoint(
                day=r.created_at.astimezone(zone).date(),
                score=r.score,
                area=area_label(r.area),
            )
            for r in sorted(reports, key=lambda r: r.created_at)
            if r.score > 0
        ),
        key=lambda p: p.day,  # stable: a day's reports stay in the order they came
    )
    # After this week's step (the Sunday summary), the runner's level is next week's.
    stepped = runner.last_step_week is not None and runner.last_step_week >= this_monday
    next_level = runner.level if stepped else None
    return Progress(weeks=tuple(weeks), pains=tuple(pains), streak=streak, next_level=next_level)


async def progress_photo(
    db: AsyncSession, runner: Runner, *, today: dt.date, streak: int
) -> Photo | None:
    """The progress chart and caption, or None with nothing to chart yet."""
    progress = await progress_of(db, runner, today=today, streak=streak)
    if not progress.has_history:
        return None
    return await draw_progress(progress)
