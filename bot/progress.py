"""The end-of-week step: from the week's session log and pain reports to next week's level,
taken once per week, before the Sunday summary is composed (docs/coaching.md, "Progression").
A week the summary did not step (turned off, paused, not sent) is stepped by the hourly job
once it has ended where the runner is (`take_missed_steps`).

The rule is `core.progression.weekly_step`; this module gathers the week it reads (sessions
planned, done and skipped, how they felt, the worst pain, and whether the week counts at
all) and records the step in `week_step`, which takes each week once: a summary composed
again, or by a second dispatcher, finds the step taken and says the same line.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.episodes import comeback_step, load_episode
from bot.plans import illness_spell, joined_week, joining_day, week_plan
from bot.runtime import App, runtime
from core.block import recovery_days
from core.illness import ILL_REASONS, ill_in_week
from core.models import Phase
from core.phases import phase_on
from core.planner import HEAVY_EQUIPMENT, week_start_of
from core.progression import Feel, WeekOutcome, week_level, weekly_step, what_changes
from storage import repo
from storage.tables import Runner, SessionLog, SessionLogStatus, runner_profile

# The pause reasons that mean the runner was unwell are core.illness.ILL_REASONS; the
# illness's spell is read by bot/plans.py (`illness_spell`), where the plan leaves its days
# without training.
ILL_STEP = (
    "Next week: one step easier{what} — you were unwell, so the week does not count and your "
    "first week back starts gently."
)
WEEK = dt.timedelta(days=7)
MISSED_STEPS_MAX = 4  # weeks stepped at most at once after a long outage, the latest ones


def _feels(logs: list[SessionLog]) -> tuple[Feel, ...]:
    return tuple(Feel(log.feel) for log in logs if log.feel in set(Feel))


def _paused_in(runner: Runner, monday: dt.date) -> bool:
    """The runner's pause (if any) reached into the week starting `monday`."""
    if runner.pause_reason is None:
        return False
    return runner.paused_until is None or runner.paused_until >= monday


def block_start(runner: Runner, monday: dt.date) -> dt.date | None:
    """The Monday the runner's heavy block began, as known at the end of the week starting
    `monday`: a new block starts the week the off-season does (after a race and its
    recovery); until then the block counts from the week they joined, as planned so far."""
    profile = runner_profile(runner)
    if not profile.available_equipment & HEAVY_EQUIPMENT:
        return runner.heavy_block_start
    recovery = recovery_days(profile.goal)
    following = monday + WEEK
    if phase_on(following, profile.race_date, recovery) is not Phase.OFF_SEASON:
        return runner.heavy_block_start
    if phase_on(monday, profile.race_date, recovery) is not Phase.OFF_SEASON:
        return following  # the off-season starts next week, and the block with it
    return runner.heavy_block_start or joined_week(runner)


async def week_outcome(db: AsyncSession, runner: Runner, monday: dt.date) -> WeekOutcome:
    """How the week starting `monday` went, as the progression rule reads it."""
    outcome, _ = await _outcomes(db, runner, monday)
    return outcome


async def _outcomes(
    db: AsyncSession, runner: Runner, monday: dt.date
) -> tuple[WeekOutcome, WeekOutcome]:
    """The week starting `monday`, and the week before it (for its feel ratings)."""
    assert runner.id is not None
    zone = ZoneInfo(runner.time_zone)
    logs = list(
        await repo.week_logs(
            db, runner_id=runner.id, first=monday - WEEK, last=monday + dt.timedelta(days=6)
        )
    )
    this = [log for log in logs if log.date >= monday]
    before = [log for log in logs if log.date < monday]
    start = dt.datetime.combine(monday, dt.time(), tzinfo=zone)
    pains = await repo.pain_between(db, runner_id=runner.id, start=start, end=start + WEEK)
    scored = [p.score for p in pains if p.score > 0]
    episode = await load_episode(db, runner)
    paused = _paused_in(runner, monday)
    spell = await illness_spell(db, runner)
    ill_now = runner.pause_reason in ILL_REASONS
    # An illness left open while the runner is no longer ill (a pain sign's pause took its
    # place) counts only through the pause itself.
    ill = (paused and ill_now) or (
        spell is not None
        and (spell[1] is not None or ill_now)
        and ill_in_week(spell[0], spell[1], monday)
    )
    # Sessions planned before the runner joined are not theirs to have missed.
    joined_on = joining_day(runner)
    # This week's plan as the runner had it, with its changes (bot/plans.py, week_plan).
    planned = [d for d in (await week_plan(db, runner, monday)).sessions if d.date >= joined_on]
    outcome = WeekOutcome(
        planned=len(planned),
        done=sum(log.status == SessionLogStatus.DONE for log in this),
        skipped=sum(log.status == SessionLogStatus.SKIPPED for log in this),
        pain_reports=len(scored),
        worst_pain=max(scored) if scored else None,
        feels=_feels(this),
        ill=ill,
        paused=paused,
        escalated=any(p.red_flag for p in pains) or (episode is not None and episode.escalated),
    )
    last_week = await week_plan(db, runner, monday - WEEK)
    previous = WeekOutcome(
        planned=len([d for d in last_week.sessions if d.date >= joined_on]),
        done=sum(log.status == SessionLogStatus.DONE for log in before),
        feels=_feels(before),
    )
    return outcome, previous


async def end_of_week(
    db: AsyncSession, runner: Runner, monday: dt.date, *, now: dt.datetime
) -> str:
    """Take the step at the end of the week starting `monday` (once) and set the runner's
    level; the summary's line for it ("Next week: one step up — ..."). `runner` gets the new
    level too, so next week's plan is drawn at it. The first week and the heavy block's start
    are stored then too, so the plan no longer counts them from the joining week."""
    assert runner.id is not None
    taken = await repo.week_step(db, runner_id=runner.id, week_start=monday)
    if taken is not None:
        return taken.reason
    outcome, previous = await _outcomes(db, runner, monday)
    level = await _level_before(db, runner, monday)
    step = weekly_step(level, outcome, previous)
    # On the stepped return after a cleared pain episode, the return sets next week's level.
    back = await comeback_step(db, runner, monday + dt.timedelta(days=7))
    if back is not None:
        step = back
    level_after, reason = step.level, step.reason
    if outcome.ill:  # the first week back is one step easier, for that week only
        level_after = min(level_after, week_level(level, outcome))
        reason = ILL_STEP.format(what=what_changes(level, level_after))
    recorded = await repo.record_week_step(
        db,
        runner_id=runner.id,
        week_start=monday,
        level_before=level,
        level_after=level_after,
        reason=reason,
        outcome=outcome.model_dump(mode="json"),
        now=now,
    )
    if not recorded:  # another dispatcher took it a moment ago: its line stands
        taken = await repo.week_step(db, runner_id=runner.id, week_start=monday)
        return taken.reason if taken is not None else reason
    first = runner.first_week or joined_week(runner)
    block = block_start(runner, monday)
    await repo.set_level(
        db,
        runner_id=runner.id,
        level=level_after,
        stepped_week=monday,
        heavy_block_start=block,
        first_week=first,
    )
    runner.level, runner.last_step_week = level_after, monday
    runner.first_week, runner.heavy_block_start = first, block
    return reason


async def _level_before(db: AsyncSession, runner: Runner, monday: dt.date) -> int:
    """The level the week's step starts from: the runner's, or after a week back from
    illness (planned one step easier) the level they had before they were ill."""
    assert runner.id is not None
    last = await repo.week_step(db, runner_id=runner.id, week_start=monday - WEEK)
    if last is not None and (last.outcome or {}).get("ill") and last.level_after == runner.level:
        return last.level_before
    return runner.level


def weeks_to_step(runner: Runner, now: dt.datetime) -> list[dt.date]:
    """The Mondays of the weeks that have ended where the runner is and have no step yet,
    oldest first: from the week after their last step (or the week they joined), at most
    the latest `MISSED_STEPS_MAX`."""
    this_monday = week_start_of(now.astimezone(ZoneInfo(runner.time_zone)).date())
    first = runner.last_step_week + WEEK if runner.last_step_week else joined_week(runner)
    weeks: list[dt.date] = []
    monday = max(first, this_monday - MISSED_STEPS_MAX * WEEK)
    while monday < this_monday:
        weeks.append(monday)
        monday += WEEK
    return weeks


async def take_missed_steps(app: App, *, now: dt.datetime | None = None) -> int:
    """The end-of-week step for every ended week the Sunday summary did not step (the
    summary turned off, a pause, a summary not sent): the hourly job's part. Each runner's
    steps are taken under their lock, as a turn's would be. Returns the steps taken."""
    rt = runtime(app)
    now = now or rt.clock()
    # A week has ended everywhere once it has ended in UTC+14: runners whose last step is
    # older than the week before that are the ones to look at.
    ahead = week_start_of((now + dt.timedelta(hours=14)).date())
    taken, after = 0, 0
    while True:
        async with rt.sessions() as db:
            batch = await repo.runners_behind_on_steps(db, before=ahead - WEEK, after_id=after)
        for candidate in batch:
            assert candidate.id is not None
            after = candidate.id
            if not weeks_to_step(candidate, now):
                continue  # their week has not ended yet where they are
            async with rt.locks.transaction(candidate.telegram_user_id) as db:
                runner = await db.get(Runner, candidate.id, populate_existing=True)
                if runner is None or not runner.onboarded:
                    continue
                for monday in weeks_to_step(runner, now):
                    await end_of_week(db, runner, monday, now=now)
                    taken += 1
        if len(batch) < 200:
            return taken
