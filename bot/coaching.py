"""Coach and physio mode on the bot's side: who is a coach, the roster's facts, and the
alerts a coach is sent (docs/coaching_mode.md). The rules (colours, order, pages) are
`core.coaching`'s; the rows are `storage.repo.coaching`'s; the commands are in
`bot/handlers/coach.py` and `bot/handlers/sharing.py`.

An alert is a row of the reminder outbox for the coach's runner row, with its own kind
(`ReminderKind.COACH_FLAG`, `COACH_PHYSIO`) and `about` = the runner it is about, written in
the transaction of the pain report that causes it: it is never lost (the report and the row
commit together) and never doubled (the outbox's key is runner, kind, day and `about`; the
dispatcher sends it once). What it says is composed when it is sent, and only while the
runner still shares with the coach.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.plans import joining_day, plan_for, week_plan
from bot.runtime import App, runtime
from bot.settings import Settings
from core.coaching import Colour, PainMark, RosterFacts, WeekTally, sort_roster
from core.flags import Urgency
from core.models import WeekChanges
from core.planner import week_start_of
from core.progression import week_streak
from core.reminders import ReminderKind, local_to_utc
from storage import repo
from storage.db import make_engine, make_sessionmaker
from storage.tables import PainReport, Reminder, Runner

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
STREAK_WEEKS = 12  # the roster's streak looks back at most this far
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


# --- the roster ------------------------------------------------------------------------------


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
    db: AsyncSession, settings: Settings, row: Reminder, coach: Runner, *, now: dt.datetime
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
