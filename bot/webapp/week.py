"""The week as the Mini App shows it: the same plan, lines and statuses as the chat's /plan
and /today, as JSON for the page."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.plans import moves_for, week_plan
from bot.render import dose, overview_line, plan_header, run_label, session_lines
from core.models import PlannedDay, Session, WeekChanges, Weekday
from core.planner import week_start_of
from storage import repo
from storage.tables import Runner

JSON = dict[str, Any]


def _short(day: dt.date) -> str:
    return f"{Weekday(day.weekday()).title[:3]} {day:%d}"


def _session(session: Session) -> JSON:
    return {
        "name": session.name,
        "minutes": session.minutes,
        "heading": session_lines(session)[0],  # "💪 Strength A · 25 min", as in the chat
        "exercises": [
            {
                "name": p.exercise.name,
                "dose": dose(p),
                "cue": p.cue,
                "easier": p.exercise.easier,
                "harder": p.exercise.harder,
            }
            for p in session.exercises
        ],
        "notes": [f"ℹ️ {note}" for note in dict.fromkeys(session.notes)],
    }


def _moves(runner: Runner, day: PlannedDay, today: dt.date, changes: WeekChanges) -> list[JSON]:
    """The days this week the session may move to (as the chat's Move offers them)."""
    try:
        options = moves_for(runner, day.weekday, today=today, changes=changes)
    except ValueError:  # the planner holds no session there (pain restrictions...)
        return []
    return [{"date": o.date.isoformat(), "label": _short(o.date)} for o in options if o.allowed]


async def week_state(db: AsyncSession, runner: Runner, *, now: dt.datetime) -> JSON:
    """This week: each day's overview line (as /plan), its session in full, what is recorded
    (as /today) and, for a session still to do, the days it may move to."""
    assert runner.id is not None
    zone = ZoneInfo(runner.time_zone)
    today = now.astimezone(zone).date()
    start = week_start_of(today)
    plan = await week_plan(db, runner, start)
    changes = await repo.get_week_changes(
        db, runner_id=runner.id, week_start=start
    ) or WeekChanges(week_start=start)
    days: list[JSON] = []
    for day in plan.days:
        entry: JSON = {
            "date": day.date.isoformat(),
            "label": _short(day.date),
            "line": overview_line(day),
            "run": run_label(day),
            "today": day.date == today,
            "reason": day.reason,
            "session": None,
            "status": None,
            "status_text": None,
            "moves": [],
        }
        if day.session is not None:
            entry["session"] = _session(day.session)
            log = await repo.session_log(db, runner_id=runner.id, day=day.date)
            if log is not None and log.status == "done":
                at = log.updated_at.astimezone(zone)
                entry["status"] = "done"
                entry["status_text"] = texts.WEBAPP_TEXTS["status_done"].format(at=f"{at:%H:%M}")
            elif log is not None and log.status == "skipped":
                entry["status"] = "skipped"
                entry["status_text"] = texts.WEBAPP_TEXTS["status_skipped"]
            elif day.date >= today:
                entry["moves"] = _moves(runner, day, today, changes)
        days.append(entry)
    return {
        "header": plan_header(plan, full_shortfall=False),
        "today": today.isoformat(),
        "days": days,
    }
