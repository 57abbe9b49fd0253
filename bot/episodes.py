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
from core.models import BodyArea
from core.pain import Episode, Stage
from core.reminders import local_to_utc
from storage import repo
from storage.tables import Runner

log = logging.getLogger(__name__)

PAIN = "pain"  # the dialog flow, and the kv namespace of open episodes


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
