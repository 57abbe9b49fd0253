"""Plans and sessions as the runner reads them, on a phone or in the terminal."""

from __future__ import annotations

from collections.abc import Iterable

from core.models import DayKind, Plan, PlannedDay, Prescription, Session

TELEGRAM_LIMIT = 4096


def dose(p: Prescription) -> str:
    """'3 × 8 each side, rest 60 s' or '3 × 30 s hold'."""
    side = " each side" if p.exercise.per_side else ""
    amount = f"{p.reps}{side}" if p.reps is not None else f"{p.hold_seconds} s{side} hold"
    rest = f", rest {p.rest_seconds} s" if p.rest_seconds else ""
    return f"{p.sets} × {amount}{rest}"


def session_lines(session: Session) -> list[str]:
    lines = [f"💪 {session.name} · {session.minutes} min"]
    for p in session.exercises:
        lines.append(f"  • {p.exercise.name}: {dose(p)}. {p.cue}")
    if session.mobility_minutes:
        lines.append(f"  • then {session.mobility_minutes} min of hip and calf mobility")
    lines.extend(f"  ℹ️ {note}" for note in session.notes)
    return lines


def run_label(day: PlannedDay) -> str:
    run = day.day
    if run.kind in (DayKind.REST, DayKind.OFF):
        return run.kind.label
    when = f" {run.start:%H:%M}" if run.start is not None else ""
    length = f", {run.minutes} min" if run.minutes is not None else ""
    return f"{run.kind.label}{when}{length}"


def day_entry(day: PlannedDay, *, full: bool = True) -> str:
    """One day: its name, the run, the strength session if any, and why."""
    lines = [f"{day.weekday.title} {day.date:%d %b} — {run_label(day)}"]
    if day.session is not None:
        lines.extend(session_lines(day.session) if full else [f"💪 {day.session.name}"])
        lines.append(f"  Why here: {day.reason}")
    else:
        lines.append(f"  {day.reason}")
    return "\n".join(lines)


def plan_header(plan: Plan) -> str:
    count = len(plan.sessions)
    lines = [
        f"Your week from {plan.first_day:%A %d %B}: "
        f"{count} strength session{'s' if count != 1 else ''}."
    ]
    lines.extend(plan.notes)
    if plan.shortfall:
        lines.append(plan.shortfall)
    return "\n".join(lines)


def overview_line(day: PlannedDay) -> str:
    """One day of the week overview: the run, the session's name and minutes."""
    line = f"{day.weekday.title[:3]} {day.date:%d} · {run_label(day)}"
    if day.session is not None:
        line += f" · 💪 {day.session.name}, {day.session.minutes} min"
    return line


def render_overview(plan: Plan) -> str:
    """The week in one short message, a line a day (each strength day's button shows it)."""
    lines = [plan_header(plan), "", *(overview_line(d) for d in plan.days)]
    if plan.sessions:
        lines += ["", "Tap a strength day for its exercises."]
    return "\n".join(lines)


def render_plan(plan: Plan) -> list[str]:
    """The whole week as messages, each within Telegram's limit."""
    return pack([plan_header(plan), *(day_entry(d) for d in plan.days)])


def pack(blocks: Iterable[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Join blocks with blank lines into as few messages as fit under `limit` characters."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        while len(block) > limit:  # a single block too long for one message: split by lines
            cut = block.rfind("\n", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                messages.append(current)
                current = ""
            messages.append(block[:cut])
            block = block[cut:].lstrip("\n")
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) > limit:
            messages.append(current)
            current = block
        else:
            current = candidate
    if current:
        messages.append(current)
    return messages
