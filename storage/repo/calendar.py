"""The calendar feed's rows: a runner's token (its hash) and feed id, and each event's stamp
(docs/calendar.md). The feed's request reads everything it needs in one query
(`feed_by_token`); stamps are written only when an event changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import Stamp
from storage.tables import CalendarEvent, CalendarFeed, Runner, WeekChange


@dataclass(frozen=True)
class FeedRows:
    """What a feed request reads: the feed, its runner, and the week changes from `since`."""

    feed: CalendarFeed
    runner: Runner
    changes: tuple[WeekChange, ...]


async def get_feed(session: AsyncSession, *, runner_id: int) -> CalendarFeed | None:
    """The runner's feed, if they asked for one."""
    return await session.get(CalendarFeed, runner_id)


async def set_feed_token(
    session: AsyncSession, *, runner_id: int, token_hash: str, feed_id: str
) -> CalendarFeed:
    """Store the hash of the runner's new token; the old token stops working with this
    commit. `feed_id` is used only for a runner's first feed (a reset keeps theirs)."""
    feed = await session.get(CalendarFeed, runner_id)
    if feed is None:
        feed = CalendarFeed(runner_id=runner_id, token_hash=token_hash, feed_id=feed_id)
    else:
        feed.token_hash = token_hash
    session.add(feed)
    await session.flush()
    return feed


async def feed_by_token(
    session: AsyncSession, *, token_hash: str, since: dt.date
) -> FeedRows | None:
    """The feed whose token has this hash, with its runner and their week changes of weeks
    starting on or after `since`: one query (a row per change, or one with none)."""
    statement = (
        select(CalendarFeed, Runner, WeekChange)
        .join(Runner, col(Runner.id) == col(CalendarFeed.runner_id))
        .outerjoin(
            WeekChange,
            sa.and_(
                col(WeekChange.runner_id) == col(CalendarFeed.runner_id),
                col(WeekChange.week_start) >= since,
            ),
        )
        .where(col(CalendarFeed.token_hash) == token_hash)
    )
    rows = (await session.exec(statement)).all()
    if not rows:
        return None
    feed, runner, _ = rows[0]
    changes = tuple(change for _, _, change in rows if change is not None)
    return FeedRows(feed=feed, runner=runner, changes=changes)


async def event_stamps(session: AsyncSession, *, runner_id: int) -> dict[str, Stamp]:
    """What is stored about each of the runner's feed events, by UID."""
    rows = await session.exec(select(CalendarEvent).where(CalendarEvent.runner_id == runner_id))
    return {
        row.uid: Stamp(
            day=row.day, digest=row.digest, sequence=row.sequence, modified=row.modified
        )
        for row in rows.all()
    }


async def save_event_stamps(
    session: AsyncSession,
    *,
    runner_id: int,
    stamps: Mapping[str, Stamp],
    stored: Mapping[str, Stamp],
    drop: Collection[str],
) -> int:
    """Write the stamps that differ from what is stored, and delete the `drop` UIDs; returns
    how many rows were written or deleted (0: nothing changed, nothing written)."""
    written = 0
    for uid, stamp in stamps.items():
        old = stored.get(uid)
        if old == stamp:
            continue
        written += 1
        if old is None:
            session.add(
                CalendarEvent(
                    runner_id=runner_id,
                    uid=uid,
                    day=stamp.day,
                    digest=stamp.digest,
                    sequence=stamp.sequence,
                    modified=stamp.modified,
                )
            )
            continue
        await session.exec(
            sa.update(CalendarEvent)
            .where(col(CalendarEvent.runner_id) == runner_id, col(CalendarEvent.uid) == uid)
            .values(
                day=stamp.day,
                digest=stamp.digest,
                sequence=stamp.sequence,
                modified=stamp.modified,
            )
        )
    if drop:
        written += len(drop)
        await session.exec(
            delete(CalendarEvent).where(
                col(CalendarEvent.runner_id) == runner_id, col(CalendarEvent.uid).in_(drop)
            )
        )
    await session.flush()
    return written
