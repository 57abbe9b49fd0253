"""A runner's open pain episode as stored (the kv table), and the morning check-in that
follows it up. Kept apart from `bot.pain` so the reminders can use it: `bot.pain` builds on
the reminders (it rebuilds them), and the reminders send these check-ins.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.keyboards import followup_rows
from core import pain_content as content
from core.areas import AREA_LABELS
from core.flags import Urgency
from core.models import BodyArea, Frozen
from core.pain import Episode, Restrictions, Stage, restrictions_of
from core.progression import Return, Step, clamp_level, return_after_pain
from core.reminders import local_to_utc
from storage import repo
from storage.tables import Runner

log = logging.getLogger(__name__)

PAIN = "pain"  # the dialog flow, and the kv namespace of open episodes
COMEBACK = "comeback"  # the kv namespace of the stepped return after a cleared episode


async def load_episode(db: AsyncSession, runner: Runner) -> Episode | None:
    stored = await repo.get_kv(db, namespace=PAIN, key=str(runner.telegram_user_id))
    if stored is None:
        return None
    try:
        return Episode.model_validate(stored)
    except ValueError:
        # An episode stored before episodes were typed: start again from the runner's areas.
        # One that was urgent stays escalated: only a clinician clears it.
        log.warning("runner %s: pain episode in an old format, rebuilt", runner.id)
        areas = frozenset(BodyArea(a) for a in runner.pain_areas if a in set(BodyArea))
        since = dt.date.fromisoformat(str(stored.get("since", dt.date.min.isoformat())))
        if stored.get("urgent"):
            return Episode(
                since=since,
                urgency=Urgency.SAME_DAY,
                flagged_on=since,
                stage=Stage.SEE,
                areas=areas,
            )
        return Episode(since=since, areas=areas)


async def save_episode(db: AsyncSession, runner: Runner, episode: Episode | None) -> None:
    key = str(runner.telegram_user_id)
    if episode is None:
        await repo.delete_kv(db, namespace=PAIN, key=key)
    else:
        await repo.set_kv(db, namespace=PAIN, key=key, value=episode.model_dump(mode="json"))


async def retime_followups(db: AsyncSession, *, runner: Runner, now: dt.datetime) -> None:
    """Pending check-ins at the runner's morning time in their zone as it is now (set up
    during setup, they were planned before the runner gave a zone)."""
    assert runner.id is not None
    zone = ZoneInfo(runner.time_zone)
    morning = dt.time.fromisoformat(runner.morning_time)
    rows = await repo.upcoming_reminders(db, runner_id=runner.id, now=now, limit=50)
    for row in rows:
        if row.kind != PAIN:
            continue
        due = local_to_utc(row.local_date, morning, zone)
        if due <= now:
            continue  # this morning has gone by in their zone: the row's day stays
        if due != row.due_at:
            row.due_at = due
            db.add(row)


def day_label(day: dt.date) -> str:
    return f"{day:%A %d %B}"


def followup_prompt(
    episode: Episode | None, day: dt.date
) -> tuple[str, list[list[tuple[str, str]]]]:
    """The morning check-in: "have you been seen?" while escalated, else a score; its buttons
    as rows of (label, callback data)."""
    if episode is not None and episode.asks_seen:
        since = episode.flagged_on or episode.since
        question = content.SEEN_QUESTION.format(since=day_label(since))
        return question, followup_rows(day, asks_seen=True)
    areas = sorted(episode.areas | episode.ease) if episode is not None else []
    label = AREA_LABELS[areas[0]].lower() if len(areas) == 1 else "pain"
    return content.FOLLOWUP_QUESTION.format(area=label), followup_rows(day, asks_seen=False)


# --- the stepped return after an episode cleared (docs/coaching.md, "Progression") ---------


class Comeback(Frozen):
    """A cleared pain episode's way back: the sore areas stay out the week it cleared, come
    back the week after at the lowered level, then each week gives one level back
    (`core.progression.return_after_pain`)."""

    level: int  # the runner's level before the episode
    drop: int  # how far it was stepped down
    areas: frozenset[BodyArea] = frozenset()
    cleared_week: dt.date  # the Monday of the week it cleared

    def week(self, monday: dt.date) -> Return:
        weeks = (monday - self.cleared_week).days // 7
        return return_after_pain(self.level, self.drop, self.areas, weeks)


def _what(back: Return, usual: int) -> str:
    if back.done:
        return "your usual sessions, at your usual level"
    if back.avoid:
        return "sessions a step easier, still without the exercises that load the sore area"
    steps = clamp_level(usual) - back.level
    easier = f"{steps} step{'s' if steps != 1 else ''} easier than usual"
    return f"every exercise back, {easier}"


def comeback_text(comeback: Comeback, monday: dt.date) -> str:
    """What comes back this week and what next week, in one message."""
    this = comeback.week(monday)
    if this.done:
        return "Training is fully back: your usual sessions, at your usual level."
    after = comeback.week(monday + dt.timedelta(days=7))
    return (
        "Training comes back in steps, not all at once. "
        f"This week: {_what(this, comeback.level)}. Next week: {_what(after, comeback.level)}."
    )


def comeback_summary(comeback: Comeback, monday: dt.date) -> str:
    """The Sunday summary's line for the week starting `monday` on the way back."""
    coming = comeback.week(monday)
    line = f"Next week: {_what(coming, comeback.level)}."
    if coming.done:
        return line
    after = comeback.week(monday + dt.timedelta(days=7))
    return f"{line} The week after: {_what(after, comeback.level)}."


async def load_comeback(db: AsyncSession, runner: Runner) -> Comeback | None:
    stored = await repo.get_kv(db, namespace=COMEBACK, key=str(runner.telegram_user_id))
    if stored is None:
        return None
    try:
        return Comeback.model_validate(stored)
    except ValueError:
        log.warning("runner %s: stepped return in an old format, dropped", runner.id)
        return None


async def save_comeback(db: AsyncSession, runner: Runner, comeback: Comeback | None) -> None:
    key = str(runner.telegram_user_id)
    if comeback is None:
        await repo.delete_kv(db, namespace=COMEBACK, key=key)
    else:
        await repo.set_kv(db, namespace=COMEBACK, key=key, value=comeback.model_dump(mode="json"))


def comeback_applies(episode: Episode | None) -> bool:
    """The stepped return sets the level and the areas kept out: no episode is open, or the
    open one is on its way back (not settling again, not escalated)."""
    return episode is None or episode.stage is Stage.RETURN


def with_comeback(restrictions: Restrictions, back: Return | None) -> list[str]:
    """The runner's `pain_areas` tags: the open episode's restrictions, and the areas the
    stepped return still keeps out."""
    if back is None or not back.avoid:
        return restrictions.tags()
    kept = restrictions.model_copy(
        update={"avoid": restrictions.avoid | back.avoid, "ease": restrictions.ease - back.avoid}
    )
    return kept.tags()


async def comeback_step(db: AsyncSession, runner: Runner, monday: dt.date) -> Step | None:
    """The week starting `monday` on the stepped return, if the runner is on one: its level
    and the summary's line, with the sore areas set on the runner (and saved). The return
    ends, and is forgotten, once the runner is back at their usual level."""
    comeback = await load_comeback(db, runner)
    if comeback is None:
        return None
    episode = await load_episode(db, runner)
    if not comeback_applies(episode):
        return None  # sore again: the open episode sets the plan until it clears again
    back = comeback.week(monday)
    runner.pain_areas = with_comeback(restrictions_of(episode), back)
    runner.level = back.level
    await repo.save_runner(db, runner=runner)
    if back.done:
        await save_comeback(db, runner, None)
    before = comeback.week(monday - dt.timedelta(days=7)).level
    return Step(
        level=back.level,
        change=max(-1, min(1, back.level - before)),
        reason=comeback_summary(comeback, monday),
    )
