"""Plans and sessions as the runner reads them, on a phone or in the terminal."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Iterable

from core.models import DayKind, Plan, PlannedDay, Prescription, Session

TELEGRAM_LIMIT = 4096
SENTENCE = re.compile(r"(?<=[.!?])\s+")
TAP_A_DAY = "Tap a strength day for its exercises."
FINISH = "Finish with "  # the session's mobility note (core/sessions.py), folded into one line


def dose(p: Prescription) -> str:
    """'3 × 8 each side, rest 60 s' or '3 × 30 s hold'."""
    side = " each side" if p.exercise.per_side else ""
    amount = f"{p.reps}{side}" if p.reps is not None else f"{p.hold_seconds} s{side} hold"
    rest = f", rest {p.rest_seconds} s" if p.rest_seconds else ""
    return f"{p.sets} × {amount}{rest}"


def session_lines(session: Session, *, said: Collection[str] = ()) -> list[str]:
    """A session's exercises and its notes; notes in `said` (already given in the same
    message) are left out, so that a note is said once (docs/architecture.md, "Rendering")."""
    lines = [f"💪 {session.name} · {session.minutes} min"]
    cued: set[str] = set()  # a cue's sentence shared by lifts (the load) is said at the first
    for p in session.exercises:
        cue = " ".join(c for c in SENTENCE.split(p.cue) if c not in cued)
        cued.update(SENTENCE.split(p.cue))
        lines.append(f"  • {p.exercise.name}: {dose(p)}. {cue}".rstrip())
    notes = [n for n in dict.fromkeys(session.notes) if n not in said]
    finish = next((n for n in notes if n.startswith(FINISH)), None)
    if finish is not None:  # the mobility line names the drills: one line, not two
        notes.remove(finish)
        lines.append(f"  • then {finish[len(FINISH) :]}")
    elif session.mobility_minutes:
        lines.append(f"  • then {session.mobility_minutes} min of hip and calf mobility")
    lines.extend(f"ℹ️ {note}" for note in notes)
    return lines


def run_label(day: PlannedDay) -> str:
    run = day.day
    if run.kind in (DayKind.REST, DayKind.OFF):
        return run.kind.label
    when = f" {run.start:%H:%M}" if run.start is not None else ""
    length = f", {run.minutes} min" if run.minutes is not None else ""
    return f"{run.kind.label}{when}{length}"


def day_entry(day: PlannedDay, *, full: bool = True, said: Collection[str] = ()) -> str:
    """One day: its name, the run, the strength session if any, and why."""
    lines = [f"{day.weekday.title} {day.date:%d %b} — {run_label(day)}"]
    if day.session is not None:
        lines.extend(session_lines(day.session, said=said) if full else [f"💪 {day.session.name}"])
        lines.append(f"  Why here: {day.reason}")
    else:
        lines.append(f"  {day.reason}")
    return "\n".join(lines)


def shared_notes(plan: Plan) -> tuple[str, ...]:
    """Notes under more than one of the week's sessions (the heavy block's load guidance):
    a week's message says them once, in its header, rather than under every session."""
    counts = Counter(n for d in plan.days if d.session for n in dict.fromkeys(d.session.notes))
    return tuple(n for n, count in counts.items() if count > 1 and n not in plan.notes)


def shortfall_line(plan: Plan) -> str | None:
    """The shortfall in one line, for messages that repeat every week (/plan, the weekly
    summary); the full reason comes at the end of setup and when a setting changes it."""
    if not plan.shortfall:
        return None
    return f"ℹ️ {len(plan.sessions)} of the {plan.sessions_requested} sessions you asked for fit."


def plan_header(plan: Plan, *, full_shortfall: bool = True) -> str:
    """The week's title, its notes said once, and the shortfall (in full or in one line)."""
    count = len(plan.sessions)
    lines = [
        f"Your week from {plan.first_day:%A %d %B}: "
        f"{count} strength session{'s' if count != 1 else ''}."
    ]
    lines.extend(dict.fromkeys((*plan.notes, *shared_notes(plan))))
    shortfall = plan.shortfall if full_shortfall else shortfall_line(plan)
    if shortfall:
        lines.append(shortfall)
    return "\n".join(lines)


def overview_line(day: PlannedDay) -> str:
    """One day of the week overview: the run, the session's name and minutes."""
    line = f"{day.weekday.title[:3]} {day.date:%d} · {run_label(day)}"
    if day.session is not None:
        line += f" · 💪 {day.session.name}, {day.session.minutes} min"
    return line


def render_overview(plan: Plan, *, full_shortfall: bool = False, hint: str = TAP_A_DAY) -> str:
    """The week in one short message, a line a day from the runner's first day (each strength
    day's button shows it). The shortfall is one line unless `full_shortfall` (the end of
    setup, the terminal)."""
    lines = [
        plan_header(plan, full_shortfall=full_shortfall),
        "",
        *(overview_line(d) for d in plan.days if d.date >= plan.first_day),
    ]
    if plan.sessions:
        lines += ["", hint]
    return "\n".join(lines)


def plan_day_buttons(plan: Plan) -> list[tuple[str, dt.date]]:
    """The overview's buttons: one per strength day (`keyboards.plan_days`)."""
    return [(f"💪 {d.weekday.title[:3]} {d.date:%d}", d.date) for d in plan.sessions]


def render_plan(plan: Plan) -> list[str]:
    """The whole week as messages, each within Telegram's limit."""
    said = (*plan.notes, *shared_notes(plan))  # in the header, said once
    days = (d for d in plan.days if d.date >= plan.first_day)
    return pack([plan_header(plan), *(day_entry(d, said=said) for d in days)])


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
