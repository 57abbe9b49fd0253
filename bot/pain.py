"""The pain check's outcome on Telegram: escalation alone, or advice and the plan change; and
the morning follow-ups that keep an escalated episode escalated until a clinician has cleared
the runner. The decisions are `core.pain`'s; this module stores and tells. The questions are
`bot.dialog.pain_questions`; the flow around them (start, leave, resume) is the dialog engine's.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.callbacks import FollowupPress
from bot.coaching import physio_alert, red_flag_alert
from bot.dialog.pain_questions import OTHER_AREA, outcome_record, pain_answers
from bot.dialog.question import Answers
from bot.episodes import (
    Comeback,
    comeback_applies,
    comeback_text,
    day_label,
    load_comeback,
    load_episode,
    save_comeback,
    save_episode,
    with_comeback,
)
from bot.plans import week_plan
from bot.services import save_and_reschedule
from bot.turn import Turn
from core import pain_content as content
from core.models import Plan
from core.pain import (
    Episode,
    FollowupStep,
    Hold,
    Seen,
    Services,
    Stage,
    answer_score,
    answer_seen,
    describe_changes,
    open_episode,
    physio_summary,
    plan_change_message,
    restrictions_of,
    services_for,
    still_escalated,
    triage,
)
from core.planner import week_start_of
from core.progression import Return, clamp_level
from core.reminders import local_to_utc
from storage import repo
from storage.tables import Runner

log = logging.getLogger(__name__)

INJURY = "injury"  # the pause reason an emergency or same-day sign sets


# --- episodes: stored per runner in the kv table ------------------------------------------------


def services_of(runner: Runner, answers: Answers | None = None) -> Services:
    """Numbers for the runner's country; during setup, from the zone they gave if any."""
    zone = runner.time_zone
    if not runner.onboarded and answers and answers.get("timezone"):
        zone = str(answers["timezone"])
    return services_for(zone)


def _zone_of(runner: Runner, answers: Answers | None) -> ZoneInfo:
    if not runner.onboarded and answers and answers.get("timezone"):
        return ZoneInfo(str(answers["timezone"]))
    return ZoneInfo(runner.time_zone)


async def _schedule(turn: Turn, days: int, zone: ZoneInfo | None = None) -> None:
    """The next check-in, `days` mornings from today in the runner's zone."""
    runner = turn.runner
    assert runner.id is not None
    zone = zone or ZoneInfo(runner.time_zone)
    morning = dt.time.fromisoformat(runner.morning_time)
    day = turn.clock().astimezone(zone).date() + dt.timedelta(days=days)
    at = local_to_utc(day, morning, zone)
    await repo.schedule_followup(
        turn.db, runner_id=runner.id, local_date=day, due_at=at, payload={}
    )


async def _this_week(turn: Turn) -> Plan:
    return await week_plan(turn.db, turn.runner, week_start_of(turn.today()))


async def _apply(
    turn: Turn,
    episode: Episode | None,
    *,
    level_change: int = 0,
    pause_all: bool = False,
    lift_pause: bool = False,
    comeback: Return | None = None,
) -> None:
    """The runner's plan as the episode allows it, their reminders rebuilt to match. On the
    stepped return after a cleared episode (`comeback`: this week's step), the level and the
    areas kept out are the return's."""
    runner = turn.runner
    runner.pain_areas = with_comeback(restrictions_of(episode), comeback)
    if comeback is not None:
        runner.level = comeback.level
    else:
        runner.level = clamp_level(runner.level + level_change)
    if pause_all:
        runner.pause_reason, runner.paused_until = INJURY, None
    elif lift_pause and runner.pause_reason == INJURY:
        runner.pause_reason, runner.paused_until = None, None
    await save_and_reschedule(turn.db, runner, now=turn.clock())


# --- a report ------------------------------------------------------------------------------------


async def finish_report(turn: Turn, answers: Answers, *, setup: Answers | None = None) -> bool:
    """Advise on a finished pain check (escalation alone for any red flag), change the plan,
    store the report and plan the next check-in; `setup` holds the answers of a setup it
    interrupted (their time zone, if given). True when it escalated."""
    runner = turn.runner
    services = services_of(runner, setup)
    has_plan = runner.onboarded
    reported = pain_answers(answers)
    outcome = triage(reported, services, has_plan=has_plan)
    previous = await load_episode(turn.db, runner)
    if previous is not None and previous.escalated:
        # No traffic light while an escalation is open: the reminder first, no "OK to train".
        outcome = still_escalated(outcome, previous.flagged_on or previous.since)
    episode, level_change = open_episode(previous, reported, outcome, turn.today())
    before = await _this_week(turn) if has_plan else None
    await _apply(turn, episode, level_change=level_change, pause_all=outcome.hold is Hold.ALL)
    for message in outcome.messages:
        await turn.say(message)
    changes: list[str] = []
    if before is not None and not outcome.escalated:
        after = await _this_week(turn)
        changes = describe_changes(before, after, level_change=level_change)
        # "Keeps the exercises that load it, gently" only when the week has one that does.
        eased = reported.area in outcome.ease and any(
            reported.area in p.exercise.loads
            for d in after.sessions
            if d.session is not None
            for p in d.session.exercises
        )
        await turn.say(plan_change_message(changes, area=reported.area, eased=eased))
    episode = episode.model_copy(update={"changes": (*episode.changes, *changes)})
    await save_episode(turn.db, runner, episode)
    assert runner.id is not None
    await repo.add_pain_report(
        turn.db,
        runner_id=runner.id,
        now=turn.clock(),
        plan_change={"changes": changes},
        **outcome_record(answers, outcome),
    )
    if outcome.flags:  # the coaches they share with are told at once (bot/coaching.py)
        await red_flag_alert(
            turn.db, runner, urgency=outcome.urgency, paused=outcome.pause_plan, now=turn.clock()
        )
    await _schedule(turn, 1, _zone_of(runner, setup))
    return outcome.escalated


def not_now_text(runner: Runner, answers: Answers | None = None) -> str:
    """Leaving the pain check: one safety line, with the runner's emergency number."""
    return services_of(runner, answers).fill(content.NOT_NOW)


# --- follow-ups ------------------------------------------------------------------------------


ANSWERED, ALREADY, STALE = "answered", "already", "stale"


async def answer_followup(turn: Turn, press: FollowupPress) -> tuple[str, str]:
    """A check-in answered (a score, or whether they've been seen), once per check-in (the
    day it asked about, `asked`). Returns how it went (ANSWERED, ALREADY for a second press
    of the same check-in, STALE) and an echo for the answered prompt."""
    runner = turn.runner
    episode = await load_episode(turn.db, runner)
    if episode is None:
        return STALE, ""
    asked = press.asked
    if asked in episode.answered:  # a double tap, a slow network: counted once
        return ALREADY, ""
    services = services_of(runner)
    today = turn.today()
    has_plan = runner.onboarded
    score, seen = press.score, press.seen
    if score is not None:
        step = answer_score(episode, score, today, services, has_plan=has_plan)
        echo = f"{score}/10"
        assert runner.id is not None
        areas = sorted(episode.areas | episode.ease)
        await repo.add_pain_report(
            turn.db,
            runner_id=runner.id,
            now=turn.clock(),
            area=areas[0].value if areas else OTHER_AREA,
            score=score,
            timing="follow-up",
            red_flag=None,
            advice_level="follow-up",
        )
    elif seen is not None and episode.asks_seen:
        step = answer_seen(episode, seen, today, services)
        echo = {
            Seen.CLEARED: content.SEEN_CLEARED,
            Seen.REHAB: content.SEEN_REHAB,
            Seen.NOT_YET: content.NOT_SEEN,
        }[seen]
    else:
        return STALE, ""
    if step.episode is not None:
        answered = (*episode.answered, asked)[-30:]
        step = step.model_copy(
            update={"episode": step.episode.model_copy(update={"answered": answered})}
        )
    await _follow(turn, episode, step)
    return ANSWERED, echo


NO_PAIN_TODAY = "No pain today, good."
STILL_NO_PAIN = "Still no pain, good."
CHECK_TOMORROW = "I'll check once more tomorrow morning; if it hurts again, tell me."
TELL_ME = 'Stop and tell me ("pain") if it comes back.'


async def _comeback(turn: Turn, episode: Episode, step: FollowupStep) -> Comeback | None:
    """The stepped return: started when the episode clears (pain-free, or a clinician
    cleared them), kept while the runner is on it (docs/coaching.md, "Progression")."""
    comeback = await load_comeback(turn.db, turn.runner)
    after = step.episode
    if episode.stage is not Stage.RETURN and after is not None and after.stage is Stage.RETURN:
        usual = clamp_level(turn.runner.level + episode.level_drop)
        if comeback is not None:  # cleared again on the way back: back to the same level
            usual = max(usual, comeback.level)
        comeback = Comeback(
            level=usual,
            drop=max(after.level_drop, 1),
            areas=episode.areas | episode.ease | after.areas | after.ease,
            cleared_week=week_start_of(turn.today()),
        )
        await save_comeback(turn.db, turn.runner, comeback)
    return comeback


def _comeback_messages(
    episode: Episode, step: FollowupStep, comeback: Comeback, monday: dt.date
) -> tuple[str, ...]:
    """What the runner is told on the way back: what comes back this week and what next."""
    steps = comeback_text(comeback, monday)
    if step.episode is not None and step.episode.stage is Stage.RETURN:
        if episode.asks_seen:  # cleared by a clinician: their message, then the steps
            return (*step.messages, steps)
        return (f"{NO_PAIN_TODAY} {steps} {CHECK_TOMORROW}",)  # a pain-free morning
    if step.episode is None and episode.stage is Stage.RETURN:  # the check-ins end
        return (f"{STILL_NO_PAIN} {steps} {TELL_ME}",)
    return step.messages


async def _follow(turn: Turn, episode: Episode, step: FollowupStep) -> None:
    has_plan = turn.runner.onboarded
    before = await _this_week(turn) if has_plan else None
    monday = week_start_of(turn.today())
    comeback = await _comeback(turn, episode, step)
    applies = comeback is not None and not step.escalation and comeback_applies(step.episode)
    back = comeback.week(monday) if comeback is not None and applies else None
    await _apply(
        turn,
        step.episode,
        level_change=step.level_change,
        pause_all=step.pause_all,
        lift_pause=step.lift_pause,
        comeback=back,
    )
    messages = step.messages
    if comeback is not None and back is not None:
        messages = _comeback_messages(episode, step, comeback, monday)
        if back.done:
            await save_comeback(turn.db, turn.runner, None)
    for message in messages:
        await turn.say(message)
    changes: list[str] = []
    if step.summary:
        areas = sorted(episode.areas | episode.ease)
        summary = physio_summary(
            area=areas[0] if len(areas) == 1 else None,
            since=episode.since,
            scores=(step.episode or episode).scores,
            changes=episode.changes,
            flags=episode.flags,
        )
        await turn.say(summary)
        await physio_alert(turn.db, turn.runner, summary=summary, now=turn.clock())
    elif before is not None and not step.escalation:
        changes = describe_changes(before, await _this_week(turn), level_change=step.level_change)
        if changes:
            await turn.say(content.PLAN_NOW + "\n" + "\n".join(f"• {c}" for c in changes))
    kept = step.episode
    if kept is not None and changes:
        kept = kept.model_copy(update={"changes": (*kept.changes, *changes)})
    await save_episode(turn.db, turn.runner, kept)
    if kept is not None and step.next_in_days > 0:
        await _schedule(turn, step.next_in_days)


# --- what the rest of the bot shows while an episode is escalated ----------------------------


async def pause_notice(db: AsyncSession, runner: Runner) -> str | None:
    """The notice /today and /resume show while running is paused until seen."""
    episode = await load_episode(db, runner)
    if episode is None or not episode.escalated:
        return None
    text = content.PAUSE_NOTICE_REST if episode.rest else content.PAUSE_NOTICE
    return text.format(since=day_label(episode.flagged_on or episode.since))


async def resume_caution(db: AsyncSession, runner: Runner) -> str | None:
    episode = await load_episode(db, runner)
    if episode is None or not episode.escalated:
        return None
    text = content.RESUME_CAUTION_REST if episode.rest else content.RESUME_CAUTION
    return text.format(since=day_label(episode.flagged_on or episode.since))
