"""Move: this week's session to another day of this week (docs/coaching.md, "This week"),
from /today, a strength reminder or the Mini App; the usual week stays as it is.

The days offered are the ones the plan really takes (`bot.plans.moves_for`), and "Moved" is
said only once the plan holds the session on the new day and not on the old one.
"""

from __future__ import annotations

import datetime as dt

from telegram.ext import CallbackQueryHandler

from bot import keyboards, prompts, texts
from bot.callbacks import MovePress
from bot.handlers.today import MOVE_PROMPT, recorded, recorded_text, refresh_today, session_entry
from bot.plans import moves_for, week_plan
from bot.runtime import App
from bot.services import runner_id, save_and_reschedule
from bot.turn import Turn, message_of, pressed, with_turn
from core.models import PlannedDay, WeekChanges, Weekday
from core.planner import MoveOption, week_start_of
from storage import repo


def _short(day: dt.date) -> str:
    return f"{Weekday(day.weekday()).title[:3]} {day:%d}"


async def move_source(turn: Turn, day: dt.date) -> PlannedDay | str:
    """This week's session on `day` if it can be moved, else why not (for the runner)."""
    today = turn.today()
    if week_start_of(day) != week_start_of(today):
        return texts.MOVE_NOT_THIS_WEEK
    if day < today:
        return texts.MOVE_PAST
    entry = await session_entry(turn, day)
    if entry is None or entry.session is None:
        return texts.MOVE_NONE
    found = await recorded(turn, day)
    if found is not None:
        return texts.MOVE_RECORDED.format(recorded=recorded_text(*found))
    return entry


async def _move_options(turn: Turn, day: dt.date) -> tuple[WeekChanges, list[MoveOption]]:
    """This week's stored changes, and every other day of the week with whether the session
    on `day` may move there (`core.planner.move_options`)."""
    start = week_start_of(day)
    changes = await repo.get_week_changes(
        turn.db, runner_id=runner_id(turn.runner), week_start=start
    ) or WeekChanges(week_start=start)
    try:
        options = moves_for(
            turn.runner, Weekday(day.weekday()), today=turn.today(), changes=changes
        )
    except ValueError:  # the planner holds no session there (pain restrictions...)
        return changes, []
    return changes, list(options)


async def offer_moves(turn: Turn, entry: PlannedDay, *, lead: str | None = None) -> None:
    """The days the session can move to, as buttons, and the reasons for the others."""
    assert entry.session is not None
    _, options = await _move_options(turn, entry.date)
    allowed = [o for o in options if o.allowed]
    past = [o for o in options if not o.allowed and o.date < turn.today()]
    refused = [o for o in options if not o.allowed and o.date >= turn.today()]
    names = {"day": entry.weekday.title, "name": entry.session.name}
    lines = [lead] if lead else []
    lines.append((texts.MOVE_ASK if allowed else texts.MOVE_NOWHERE).format(**names))
    lines += [texts.MOVE_CANT.format(day=_short(o.date), reason=o.reason) for o in refused]
    if past:
        lines.append(texts.MOVE_PAST_DAYS.format(days=", ".join(_short(o.date) for o in past)))
    buttons = [(_short(o.date), o.date) for o in allowed]
    await turn.say("\n".join(lines), keyboards.move_days(entry.date, buttons))
    if allowed:
        await prompts.open_prompt(turn, f"{MOVE_PROMPT}:{entry.date.isoformat()}")


async def move(turn: Turn, entry: PlannedDay, to: dt.date) -> None:
    """Move the session to `to` for this week, or say why not and offer the days again."""
    assert entry.session is not None
    changes, options = await _move_options(turn, entry.date)
    option = next((o for o in options if o.date == to), None)
    if option is None or not option.allowed:
        reason = option.reason if option is not None else texts.MOVE_NOT_THIS_WEEKS_DAY
        await offer_moves(
            turn, entry, lead=texts.MOVE_REFUSED.format(day=_short(to), reason=reason)
        )
        return
    moved = changes.model_copy(
        update={"moves": (*changes.moves, (entry.weekday, Weekday(to.weekday())))}
    )
    await repo.save_week_changes(
        turn.db, runner_id=runner_id(turn.runner), changes=moved, now=turn.clock()
    )
    plan = await week_plan(turn.db, turn.runner, week_start_of(to))
    landed = next(d for d in plan.days if d.date == to)
    left = next(d for d in plan.days if d.date == entry.date)
    # Commit, then speak: only a plan with the session on the new day and gone from the old
    # one is a move; anything else is put back and nothing is claimed.
    if landed.session is None or left.session is not None:
        await repo.save_week_changes(
            turn.db, runner_id=runner_id(turn.runner), changes=changes, now=turn.clock()
        )
        await offer_moves(
            turn, entry, lead=texts.MOVE_REFUSED.format(day=_short(to), reason=texts.MOVE_NO_ROOM)
        )
        return
    await save_and_reschedule(turn.db, turn.runner, now=turn.clock())
    await repo.save_plan(turn.db, runner_id=runner_id(turn.runner), plan=plan)
    await refresh_today(turn, entry.date, to)
    await turn.say(
        texts.MOVED.format(
            name=landed.session.name, to=f"{landed.weekday.title} {to:%d}", day=entry.weekday.title
        )
    )


@with_turn()
async def on_move_button(turn: Turn) -> None:
    """Move under /today or a strength reminder: the days it can go to, or a day tapped."""
    query, press = pressed(turn, MovePress)
    message = message_of(query)
    if press is None or not turn.runner.onboarded:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    source = await move_source(turn, press.day)
    if isinstance(source, str):
        await turn.say(source)
        return
    if press.to is None:
        await offer_moves(turn, source)
        return
    await turn.close_prompt(message, texts.ECHO_MOVE_TO.format(day=_short(press.to)))
    await prompts.close_prompt(turn)
    await move(turn, source, press.to)


def register(app: App) -> None:
    """Move's button: the days offered, then a day tapped."""
    app.add_handler(CallbackQueryHandler(on_move_button, pattern=MovePress.pattern))
