"""A coach's note on a runner's week, in the header of the runner's week (/plan): kept apart
from `bot.coaching` so that `bot.plans` can add it without importing the roster's module
(docs/coaching_mode.md)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from core.models import Plan
from storage import repo
from storage.tables import Runner


async def with_coach_notes(db: AsyncSession, runner: Runner, plan: Plan) -> Plan:
    """The plan with the notes of the coaches the runner shares with on that week, first."""
    if runner.id is None:
        return plan
    notes = await repo.coaching.week_notes(db, runner_id=runner.id, week_start=plan.week_start)
    return noted(plan, notes)


def noted(plan: Plan, notes: list[tuple[str, str]]) -> Plan:
    """The plan with these (coach's name, note) first among its notes."""
    if not notes:
        return plan
    lines = tuple(
        texts.COACH_NOTE_LINE.format(coach=name or "your coach", note=note) for name, note in notes
    )
    return plan.model_copy(update={"notes": (*lines, *plan.notes)})
