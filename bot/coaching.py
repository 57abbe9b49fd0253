"""Coach and physio mode on the bot's side: who is a coach, the alerts a coach is sent, the
Monday digest and the operator's `runcoach coach` (docs/coaching_mode.md). The roster's facts
are `bot/roster.py`'s, the rules (colours, order, pages) `core.coaching`'s, the rows
`storage.repo.coaching`'s; the commands are in `bot/handlers/coach.py` and
`bot/handlers/sharing.py`.

An alert is a row of the reminder outbox for the coach's runner row, with its own kind
(`ReminderKind.COACH_FLAG`, `COACH_PHYSIO`) and `about` = the runner it is about, written in
the transaction of the pain report that causes it: it is never lost (the report and the row
commit together) and never doubled (the outbox's key is runner, kind, day and `about`; the
dispatcher sends it once). What it says is composed when it is sent, and only while the
runner still shares with the coach.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.roster import roster_facts
from bot.runtime import App, runtime
from bot.settings import Settings
from core.coaching import Colour, sort_roster
from core.flags import Urgency
from core.planner import week_start_of
from core.reminders import ReminderKind, local_to_utc
from storage import repo
from storage.db import make_engine, make_sessionmaker
from storage.tables import Runner

log = logging.getLogger(__name__)

ALERT_KINDS = frozenset(
    {
        ReminderKind.COACH_FLAG.value,
        ReminderKind.COACH_PHYSIO.value,
        ReminderKind.COACH_DIGEST.value,
    }
)
DIGEST_OFF = "coach-digest"  # kv namespace: a coach who turned the Monday digest off
DIGEST_TIME = dt.time(8, 0)  # Monday, in the coach's zone
DIGEST_NAMES = 10  # red runners named in the digest at most
WEEK = dt.timedelta(days=7)


def setting_coaches(settings: Settings) -> frozenset[int]:
    """The coaches named by COACH_USER_IDS (comma-separated Telegram user ids)."""
    ids: set[int] = set()
    for part in settings.coach_user_ids.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            ids.add(int(part))
        except ValueError:
            log.warning("COACH_USER_IDS: %r is not a Telegram user id, ignored", part[:40])
    return frozenset(ids)


async def is_coach(db: AsyncSession, settings: Settings, telegram_user_id: int) -> bool:
    """Named by the setting or by `runcoach coach add`."""
    if telegram_user_id in setting_coaches(settings):
        return True
    return await repo.coaching.is_stored_coach(db, telegram_user_id=telegram_user_id)


async def coach_menus_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Once, a few seconds after start (`bot.app`): the coaches' menus. A database or Bot
    API that cannot be reached then costs one line; the next start tries again."""
    try:
        await set_coach_menus(context.application)
    except (sa.exc.DBAPIError, OSError, TelegramError) as error:
        log.warning("coach menus not set: %s", str(error).splitlines()[0][:200])


async def set_coach_menus(app: App) -> int:
    """Each coach's own command menu: the runner's commands and the coach's (/coach, /roster,
    /note), for their chat only (`BotCommandScopeChat`); everyone else's menu stays the
    runner's. Set once after start (`coach_menus_job`), so a coach named while the bot runs
    gets theirs at the next start (the commands work at once either way). Returns the menus
    set."""
    rt = runtime(app)
    async with rt.sessions() as db:
        coaches = setting_coaches(rt.settings) | set(await repo.coaching.stored_coaches(db))
    commands = [BotCommand(name, desc) for name, desc in (*texts.COMMANDS, *texts.COACH_COMMANDS)]
    done = 0
    for user in sorted(coaches):
        try:  # a coach who never opened the bot has no chat yet: Telegram says so
            await app.bot.set_my_commands(commands, scope=BotCommandScopeChat(user))
            done += 1
        except TelegramError as error:
            log.info("coach %s: no command menu yet (%s)", user, error)
    return done


# --- alerts ----------------------------------------------------------------------------------


async def _alert(
    db: AsyncSession, runner: Runner, kind: ReminderKind, payload: dict[str, str], now: dt.datetime
) -> None:
    """Queue an alert about `runner` for every coach they share with, in the caller's
    transaction, and note it in the share log."""
    assert runner.id is not None
    for coach in await repo.coaching.coaches_of(db, runner_id=runner.id):
        assert coach.id is not None
        local_date = now.astimezone(ZoneInfo(coach.time_zone)).date()
        queued = await repo.coaching.queue_alert(
            db,
            coach_id=coach.id,
            about=runner.id,
            kind=kind.value,
            local_date=local_date,
            due_at=now,
            payload=payload,
        )
        if queued:
            await repo.coaching.log_shared(
                db, runner_ids=[runner.id], coach=coach, what=f"alert: {kind.value}", now=now
            )


async def red_flag_alert(
    db: AsyncSession, runner: Runner, *, urgency: Urgency, paused: bool, now: dt.datetime
) -> None:
    """A red flag: the runner's coaches are told at once (tier only, no free text)."""
    payload = {"urgency": urgency.value, "paused": "all" if paused else "running"}
    await _alert(db, runner, ReminderKind.COACH_FLAG, payload, now)


async def physio_alert(
    db: AsyncSession, runner: Runner, *, summary: str, now: dt.datetime
) -> None:
    """Persisting pain reached the physio threshold: the coaches get the runner's summary."""
    await _alert(db, runner, ReminderKind.COACH_PHYSIO, {"summary": summary}, now)


async def compose_alert(
    db: AsyncSession, settings: Settings, row: repo.Claimed, coach: Runner, *, now: dt.datetime
) -> str | None:
    """What an alert says when it is sent; None (not sent) once the runner has stopped
    sharing, is gone, or the coach is no longer a coach. `db` is a writing transaction:
    what the digest shows is logged."""
    if row.kind == ReminderKind.COACH_DIGEST.value:
        return await _digest(db, settings, coach, now)
    subject = await repo.get_runner_by_id(db, runner_id=row.about)
    if subject is None or subject.id is None or coach.id is None:
        return None
    if not await repo.coaching.is_shared(db, runner_id=subject.id, coach_id=coach.id):
        return None
    if not await is_coach(db, settings, coach.telegram_user_id):
        return None
    name = subject.first_name or f"Runner {subject.id}"
    if row.kind == ReminderKind.COACH_PHYSIO.value:
        summary = str(row.payload.get("summary", ""))
        return texts.COACH_ALERT_PHYSIO.format(name=name, summary=summary)
    tier = texts.COACH_TIERS.get(str(row.payload.get("urgency")), texts.COACH_TIER_OTHER)
    paused = (
        texts.COACH_PAUSED_ALL if row.payload.get("paused") == "all" else texts.COACH_PAUSED_RUNS
    )
    return texts.COACH_ALERT_FLAG.format(name=name, tier=tier, paused=paused)


# --- the operator: `runcoach coach add|remove|list` ----------------------------------------


async def coach_command(settings: Settings, action: str, telegram_user_id: int | None) -> str:
    """Name a coach, remove one (every link to them ends at once), or list them; the line
    the operator reads."""
    engine = make_engine(settings.db_url)
    try:
        async with make_sessionmaker(engine).begin() as db:
            if action == "list":
                stored = await repo.coaching.stored_coaches(db)
                named = sorted(setting_coaches(settings))
                if not stored and not named:
                    return texts.CLI_NO_COACHES
                lines = [
                    texts.CLI_COACH_LINE.format(id=i, source="runcoach coach add") for i in stored
                ]
                lines += [
                    texts.CLI_COACH_LINE.format(id=i, source="COACH_USER_IDS") for i in named
                ]
                return "\n".join(lines)
            assert telegram_user_id is not None
            if action == "add":
                added = await repo.coaching.add_coach(db, telegram_user_id=telegram_user_id)
                return (texts.CLI_COACH_ADDED if added else texts.CLI_COACH_ALREADY).format(
                    id=telegram_user_id
                )
            _, ended = await repo.coaching.remove_coach(db, telegram_user_id=telegram_user_id)
            line = texts.CLI_COACH_REMOVED.format(id=telegram_user_id, links=ended)
            if telegram_user_id in setting_coaches(settings):
                line += " " + texts.CLI_COACH_STILL_SET
            return line
    finally:
        await engine.dispose()


# --- the Monday digest -----------------------------------------------------------------------


def next_digest(now: dt.datetime, zone: ZoneInfo) -> tuple[dt.date, dt.datetime]:
    """The Monday of the next digest, and when it is due (08:00 in the coach's zone)."""
    monday = week_start_of(now.astimezone(zone).date())
    due = local_to_utc(monday, DIGEST_TIME, zone)
    if due <= now:
        monday += WEEK
        due = local_to_utc(monday, DIGEST_TIME, zone)
    return monday, due


async def digest_off(db: AsyncSession, coach: Runner) -> bool:
    value = await repo.get_kv(db, namespace=DIGEST_OFF, key=str(coach.telegram_user_id))
    return value is not None


async def set_digest(
    db: AsyncSession, settings: Settings, coach: Runner, *, on: bool, now: dt.datetime
) -> None:
    """Turn the coach's Monday digest on (the next one is queued) or off (it is cancelled)."""
    key = str(coach.telegram_user_id)
    if on:
        await repo.delete_kv(db, namespace=DIGEST_OFF, key=key)
        await _queue_digest(db, settings, coach, now)
    else:
        await repo.set_kv(db, namespace=DIGEST_OFF, key=key, value={"off": True})
        assert coach.id is not None
        await repo.coaching.cancel_digests(
            db, coach_id=coach.id, kind=ReminderKind.COACH_DIGEST.value
        )


async def _queue_digest(
    db: AsyncSession, settings: Settings, coach: Runner, now: dt.datetime
) -> bool:
    if coach.id is None or not await is_coach(db, settings, coach.telegram_user_id):
        return False
    if await digest_off(db, coach):
        return False
    monday, due = next_digest(now, ZoneInfo(coach.time_zone))
    return await repo.coaching.queue_alert(
        db,
        coach_id=coach.id,
        about=0,
        kind=ReminderKind.COACH_DIGEST.value,
        local_date=monday,
        due_at=due,
        payload={},
    )


async def queue_digests(app: App, *, now: dt.datetime | None = None) -> int:
    """Queue the next Monday digest of every coach with runners who share (the hourly
    horizon job calls it; a digest already queued or sent is left as it is)."""
    rt = runtime(app)
    now = now or rt.clock()
    queued = 0
    async with rt.locks.transaction() as db:
        for coach in await repo.coaching.coaches_with_runners(db):
            queued += await _queue_digest(db, rt.settings, coach, now)
    return queued


async def _digest(
    db: AsyncSession, settings: Settings, coach: Runner, now: dt.datetime
) -> str | None:
    if not await is_coach(db, settings, coach.telegram_user_id) or await digest_off(db, coach):
        return None
    zone = ZoneInfo(coach.time_zone)
    rows = sort_roster(await roster_facts(db, coach, now), now.astimezone(zone).date())
    if not rows:
        return None
    count = {c: sum(1 for k, _ in rows if k is c) for c in Colour}
    red = [f.name for c, f in rows if c is Colour.RED]
    text = texts.COACH_DIGEST.format(
        count=len(rows),
        red=count[Colour.RED],
        amber=count[Colour.AMBER],
        green=count[Colour.GREEN],
    )
    if red:
        more = len(red) - DIGEST_NAMES
        names = ", ".join(red[:DIGEST_NAMES]) + (
            texts.COACH_DIGEST_MORE.format(more=more) if more > 0 else ""
        )
        text += "\n" + texts.COACH_DIGEST_RED.format(names=names)
    await repo.coaching.log_shared(
        db, runner_ids=[f.runner_id for _, f in rows], coach=coach, what="digest", now=now
    )
    return text
