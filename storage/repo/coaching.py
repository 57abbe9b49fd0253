"""Coach and physio mode: coaches the operator named, invites, share links, the share log,
coach notes, and the alerts a coach is sent through the reminder outbox
(docs/coaching_mode.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from core.models import WeekChanges
from storage.repo._sql import dialect_insert
from storage.tables import (
    CoachInvite,
    CoachNote,
    CoachRow,
    PainReport,
    Reminder,
    ReminderStatus,
    Runner,
    SessionLog,
    ShareLink,
    ShareLog,
    WeekChange,
    utcnow,
)

# --- coaches -----------------------------------------------------------------------------


async def add_coach(session: AsyncSession, *, telegram_user_id: int) -> bool:
    """Name a coach; False if they already were one."""
    statement = (
        dialect_insert(session, CoachRow)
        .values(telegram_user_id=telegram_user_id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["telegram_user_id"])
        .returning(col(CoachRow.telegram_user_id))
    )
    return (await session.exec(statement)).first() is not None


async def stored_coaches(session: AsyncSession) -> list[int]:
    """The Telegram user ids named with `runcoach coach add`."""
    rows = await session.exec(select(CoachRow.telegram_user_id).order_by(col(CoachRow.created_at)))
    return list(rows.all())


async def is_stored_coach(session: AsyncSession, *, telegram_user_id: int) -> bool:
    return await session.get(CoachRow, telegram_user_id) is not None


async def remove_coach(session: AsyncSession, *, telegram_user_id: int) -> tuple[bool, int]:
    """No longer a coach: every link to them ends and their invites are revoked at once.
    Returns whether they were named in the table, and how many links ended."""
    named = await session.get(CoachRow, telegram_user_id)
    if named is not None:
        await session.delete(named)
    runner = (
        await session.exec(select(Runner).where(Runner.telegram_user_id == telegram_user_id))
    ).first()
    ended = 0
    if runner is not None and runner.id is not None:
        ended = await end_links(session, coach_id=runner.id)
        await revoke_invites(session, coach_id=runner.id, now=utcnow())
    await session.flush()
    return named is not None, ended


async def end_links(session: AsyncSession, *, coach_id: int) -> int:
    """End every link to the coach; how many there were. Their pending alerts go too."""
    result = await session.exec(
        delete(ShareLink).where(col(ShareLink.coach_id) == coach_id).returning(col(ShareLink.id))
    )
    ended = len(result.all())
    await session.exec(
        update(Reminder)
        .where(
            col(Reminder.runner_id) == coach_id,
            col(Reminder.about) != 0,
            col(Reminder.status) == ReminderStatus.PENDING,
        )
        .values(status=ReminderStatus.CANCELLED)
    )
    return ended


# --- invites -----------------------------------------------------------------------------


async def add_invite(
    session: AsyncSession,
    *,
    coach_id: int,
    token_hash: str,
    now: dt.datetime,
    expires_at: dt.datetime,
) -> CoachInvite:
    invite = CoachInvite(
        runner_id=coach_id, token_hash=token_hash, created_at=now, expires_at=expires_at
    )
    session.add(invite)
    await session.flush()
    return invite


async def find_invite(session: AsyncSession, *, token_hash: str) -> CoachInvite | None:
    result = await session.exec(select(CoachInvite).where(CoachInvite.token_hash == token_hash))
    return result.first()


async def get_invite(session: AsyncSession, *, invite_id: int) -> CoachInvite | None:
    return await session.get(CoachInvite, invite_id)


async def use_invite(session: AsyncSession, *, invite_id: int, now: dt.datetime) -> bool:
    """Take the invite (once): False if it was used, revoked or expired meanwhile."""
    result = await session.exec(
        update(CoachInvite)
        .where(
            col(CoachInvite.id) == invite_id,
            col(CoachInvite.used_at).is_(None),
            col(CoachInvite.revoked_at).is_(None),
            col(CoachInvite.expires_at) > now,
        )
        .values(used_at=now)
        .returning(col(CoachInvite.id))
    )
    return result.first() is not None


async def revoke_invites(session: AsyncSession, *, coach_id: int, now: dt.datetime) -> int:
    """Revoke every open invite of the coach; how many."""
    result = await session.exec(
        update(CoachInvite)
        .where(
            col(CoachInvite.runner_id) == coach_id,
            col(CoachInvite.used_at).is_(None),
            col(CoachInvite.revoked_at).is_(None),
            col(CoachInvite.expires_at) > now,
        )
        .values(revoked_at=now)
        .returning(col(CoachInvite.id))
    )
    return len(result.all())


async def open_invites(session: AsyncSession, *, coach_id: int, now: dt.datetime) -> int:
    result = await session.exec(
        select(sa.func.count())
        .select_from(CoachInvite)
        .where(
            col(CoachInvite.runner_id) == coach_id,
            col(CoachInvite.used_at).is_(None),
            col(CoachInvite.revoked_at).is_(None),
            col(CoachInvite.expires_at) > now,
        )
    )
    return int(result.one())


# --- links ---------------------------------------------------------------------------------


async def share(session: AsyncSession, *, runner_id: int, coach_id: int, now: dt.datetime) -> bool:
    """The runner shares with the coach; False if they already did."""
    statement = (
        dialect_insert(session, ShareLink)
        .values(runner_id=runner_id, coach_id=coach_id, created_at=now)
        .on_conflict_do_nothing(index_elements=["runner_id", "coach_id"])
        .returning(col(ShareLink.id))
    )
    return (await session.exec(statement)).first() is not None


async def stop_sharing(session: AsyncSession, *, runner_id: int, coach_id: int) -> bool:
    """The runner's link to the coach ends (pending alerts about them with it); False if
    there was none."""
    result = await session.exec(
        delete(ShareLink)
        .where(col(ShareLink.runner_id) == runner_id, col(ShareLink.coach_id) == coach_id)
        .returning(col(ShareLink.id))
    )
    if not result.all():
        return False
    await session.exec(
        update(Reminder)
        .where(
            col(Reminder.runner_id) == coach_id,
            col(Reminder.about) == runner_id,
            col(Reminder.status) == ReminderStatus.PENDING,
        )
        .values(status=ReminderStatus.CANCELLED)
    )
    return True


async def is_shared(session: AsyncSession, *, runner_id: int, coach_id: int) -> bool:
    result = await session.exec(
        select(ShareLink.id).where(
            ShareLink.runner_id == runner_id, ShareLink.coach_id == coach_id
        )
    )
    return result.first() is not None


async def coaches_of(session: AsyncSession, *, runner_id: int) -> Sequence[Runner]:
    """The coaches the runner shares with (their runner rows), by name."""
    result = await session.exec(
        select(Runner)
        .join(ShareLink, col(ShareLink.coach_id) == col(Runner.id))
        .where(ShareLink.runner_id == runner_id)
        .order_by(col(Runner.first_name), col(Runner.id))
    )
    return result.all()


async def roster(session: AsyncSession, *, coach_id: int) -> Sequence[Runner]:
    """The runners who share with the coach."""
    result = await session.exec(
        select(Runner)
        .join(ShareLink, col(ShareLink.runner_id) == col(Runner.id))
        .where(ShareLink.coach_id == coach_id)
        .order_by(col(Runner.id))
    )
    return result.all()


async def done_between(
    session: AsyncSession, *, runner_ids: Iterable[int], first: dt.date, last: dt.date
) -> dict[int, list[dt.date]]:
    """The days each runner did a session, from `first` to `last`, in one query."""
    ids = list(runner_ids)
    days: dict[int, list[dt.date]] = {i: [] for i in ids}
    if not ids:
        return days
    rows = await session.exec(
        select(col(SessionLog.runner_id), col(SessionLog.date)).where(
            col(SessionLog.runner_id).in_(ids),
            col(SessionLog.status) == "done",
            col(SessionLog.date) >= first,
            col(SessionLog.date) <= last,
        )
    )
    for runner_id, day in rows.all():
        days[runner_id].append(day)
    return days


async def week_changes_of(
    session: AsyncSession, *, runner_ids: Iterable[int], weeks: Iterable[dt.date]
) -> dict[tuple[int, dt.date], WeekChanges]:
    """The runners' changes to these weeks, in one query: {(runner id, monday): changes}."""
    ids, mondays = list(runner_ids), list(weeks)
    if not ids:
        return {}
    rows = await session.exec(
        select(WeekChange).where(
            col(WeekChange.runner_id).in_(ids), col(WeekChange.week_start).in_(mondays)
        )
    )
    return {(r.runner_id, r.week_start): WeekChanges.model_validate(r.changes) for r in rows.all()}


async def last_pains(session: AsyncSession, *, runner_ids: Iterable[int]) -> dict[int, PainReport]:
    """Each runner's latest pain report (check-ins that said "no pain" left out)."""
    ids = list(runner_ids)
    if not ids:
        return {}
    latest = (
        select(PainReport.runner_id, sa.func.max(PainReport.id).label("last"))
        .where(col(PainReport.runner_id).in_(ids), col(PainReport.area) != "none")
        .group_by(col(PainReport.runner_id))
        .subquery()
    )
    rows = await session.exec(select(PainReport).join(latest, col(PainReport.id) == latest.c.last))
    return {r.runner_id: r for r in rows.all()}


async def pain_history(
    session: AsyncSession, *, runner_id: int, limit: int = 10
) -> Sequence[PainReport]:
    """The runner's latest pain reports, newest first ("no pain" check-ins left out)."""
    result = await session.exec(
        select(PainReport)
        .where(PainReport.runner_id == runner_id, col(PainReport.area) != "none")
        .order_by(col(PainReport.created_at).desc(), col(PainReport.id).desc())
        .limit(limit)
    )
    return result.all()


# --- the share log -----------------------------------------------------------------------


async def log_shared(
    session: AsyncSession,
    *,
    runner_ids: Iterable[int],
    coach: Runner,
    what: str,
    now: dt.datetime,
) -> None:
    """Note that `coach` was shown (or sent) `what` of each of these runners."""
    rows: list[dict[str, Any]] = [
        {
            "runner_id": runner_id,
            "coach_user_id": coach.telegram_user_id,
            "coach_name": coach.first_name,
            "what": what,
            "created_at": now,
        }
        for runner_id in runner_ids
    ]
    if rows:
        await session.exec(sa.insert(ShareLog), params=rows)


async def share_log(session: AsyncSession, *, runner_id: int) -> Sequence[ShareLog]:
    result = await session.exec(
        select(ShareLog).where(ShareLog.runner_id == runner_id).order_by(col(ShareLog.id))
    )
    return result.all()


# --- notes ---------------------------------------------------------------------------------


async def set_note(
    session: AsyncSession,
    *,
    runner_id: int,
    coach_id: int,
    week_start: dt.date,
    text: str,
    now: dt.datetime,
) -> None:
    """The coach's note on the runner's week (replacing their earlier one for that week)."""
    statement = (
        dialect_insert(session, CoachNote)
        .values(
            runner_id=runner_id,
            coach_id=coach_id,
            week_start=week_start,
            text=text,
            updated_at=now,
        )
        .on_conflict_do_update(
            index_elements=["runner_id", "coach_id", "week_start"],
            set_={"text": text, "updated_at": now},
        )
    )
    await session.exec(statement)


async def week_notes(
    session: AsyncSession, *, runner_id: int, week_start: dt.date
) -> list[tuple[str, str]]:
    """(coach's name, note) for the runner's week, from coaches they still share with."""
    result = await session.exec(
        select(Runner.first_name, CoachNote.text)
        .join(CoachNote, col(CoachNote.coach_id) == col(Runner.id))
        .join(
            ShareLink,
            sa.and_(
                col(ShareLink.coach_id) == col(CoachNote.coach_id),
                col(ShareLink.runner_id) == col(CoachNote.runner_id),
            ),
        )
        .where(CoachNote.runner_id == runner_id, CoachNote.week_start == week_start)
        .order_by(col(CoachNote.updated_at))
    )
    return [(name, text) for name, text in result.all()]


# --- alerts --------------------------------------------------------------------------------


async def queue_alert(
    session: AsyncSession,
    *,
    coach_id: int,
    about: int,
    kind: str,
    local_date: dt.date,
    due_at: dt.datetime,
    payload: dict[str, Any],
) -> bool:
    """An alert for the coach about runner `about`, in the reminder outbox: one per coach,
    runner, kind and day (a second red flag that day is the same alert). False if it was
    already there."""
    statement = (
        dialect_insert(session, Reminder)
        .values(
            runner_id=coach_id,
            kind=kind,
            local_date=local_date,
            about=about,
            due_at=due_at,
            payload=payload,
            status=ReminderStatus.PENDING,
            attempts=0,
            created_at=due_at,
        )
        .on_conflict_do_nothing(index_elements=["runner_id", "kind", "local_date", "about"])
        .returning(col(Reminder.id))
    )
    return (await session.exec(statement)).first() is not None


async def forget_alerts_about(session: AsyncSession, *, runner_id: int) -> None:
    """Erase the coaches' alerts about this runner (their /delete)."""
    await session.exec(delete(Reminder).where(col(Reminder.about) == runner_id))


async def coaches_with_runners(session: AsyncSession) -> Sequence[Runner]:
    """Every coach (runner row) at least one runner shares with."""
    result = await session.exec(
        select(Runner)
        .where(col(Runner.id).in_(select(ShareLink.coach_id).distinct()))
        .order_by(col(Runner.id))
    )
    return result.all()


async def cancel_digests(session: AsyncSession, *, coach_id: int, kind: str) -> None:
    """Cancel the coach's pending rows of this kind (the Monday digest turned off)."""
    await session.exec(
        update(Reminder)
        .where(
            col(Reminder.runner_id) == coach_id,
            col(Reminder.kind) == kind,
            col(Reminder.status) == ReminderStatus.PENDING,
        )
        .values(status=ReminderStatus.CANCELLED)
    )
