"""Coach mode's people and links (docs/coaching_mode.md): the coaches the operator named, the
invites, who shares with whom, and the share log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repo._sql import dialect_insert
from storage.tables import (
    CoachInvite,
    CoachRow,
    Reminder,
    ReminderStatus,
    Runner,
    ShareLink,
    ShareLog,
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
