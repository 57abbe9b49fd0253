"""What the week picture and the progress chart show, as plain data (docs/pictures.md).

Pure: the bot gathers the plan, the pause and the session log, these models say what each
day and each week holds, and `bot/pictures/` draws them and writes their captions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from enum import StrEnum

from core.models import DayKind, Frozen, Plan


class PainMark(StrEnum):
    """How an open pain episode changed a day (`core.pain.adapt_plan`)."""

    RUN_PAUSED = "run_paused"  # the run is paused until they have been seen
    SESSION_EASED = "eased"  # the session is eased or kept off the sore area
    SESSION_REMOVED = "removed"  # no exercise at all until seen


class DayTile(Frozen):
    """One column of the week picture."""

    date: dt.date
    kind: DayKind  # the run as planned (a paused run keeps its kind, `pain` says so)
    start: dt.time | None = None
    minutes: int | None = None
    strength: str | None = None  # the session's name
    strength_minutes: int | None = None
    today: bool = False
    paused: bool = False  # /pause or illness: no reminders that day
    run_paused: bool = False  # the pain episode pauses the run (PainMark.RUN_PAUSED)
    pain: PainMark | None = None  # what the episode did to the session (eased, removed)
    planned: bool = True  # False before the runner's first day (the week they joined)


class WeekPicture(Frozen):
    week_start: dt.date
    days: tuple[DayTile, ...]

    @property
    def strength_days(self) -> tuple[DayTile, ...]:
        return tuple(d for d in self.days if d.strength is not None)


def week_picture(
    plan: Plan,
    *,
    today: dt.date,
    paused: Collection[dt.date] = (),
    usual: Plan | None = None,
    pain: bool = False,
) -> WeekPicture:
    """The week as the picture shows it. `usual` is the same week without the pain
    episode's changes (when `pain`, an episode is open): a day whose run or session differs
    is marked with how."""
    tiles = []
    usual_days = {d.date: d for d in usual.days} if usual is not None else {}
    for day in plan.days:
        before = usual_days.get(day.date, day)
        mark: PainMark | None = None
        kind = day.day.kind
        run_paused = pain and before.day.kind.is_run and not kind.is_run
        if run_paused:
            kind = before.day.kind
        if pain and before.session is not None and day.session is None:
            mark = PainMark.SESSION_REMOVED
        elif pain and before.session is not None and day.session != before.session:
            mark = PainMark.SESSION_EASED
        run = before.day if run_paused else day.day
        tiles.append(
            DayTile(
                date=day.date,
                kind=kind,
                start=run.start if kind.is_run else None,
                minutes=run.minutes if kind.is_run else None,
                strength=day.session.name if day.session else None,
                strength_minutes=day.session.minutes if day.session else None,
                today=day.date == today,
                paused=day.date in paused,
                run_paused=run_paused,
                pain=mark,
                planned=day.date >= plan.first_day,
            )
        )
    return WeekPicture(week_start=plan.week_start, days=tuple(tiles))


class WeekBar(Frozen):
    """One week of the progress chart."""

    monday: dt.date
    planned: int
    done: int
    skipped: int
    level: int


class PainPoint(Frozen):
    day: dt.date
    score: int
    area: str


class Progress(Frozen):
    """The last weeks of the progress chart, oldest first."""

    weeks: tuple[WeekBar, ...]
    pains: tuple[PainPoint, ...] = ()
    streak: int = 0
    # The level the runner trains at from next week, once this week's step is taken (the
    # Sunday line's "one step up"); None: not known, as this week's.
    next_level: int | None = None

    @property
    def has_history(self) -> bool:
        """Anything to draw: a session done or skipped, or a pain report."""
        return bool(self.pains) or any(w.done or w.skipped for w in self.weeks)

    @property
    def level(self) -> int:
        return self.weeks[-1].level if self.weeks else 0

    @property
    def level_next(self) -> int:
        """The level the next sessions are planned at (this week's until its step)."""
        return self.level if self.next_level is None else self.next_level


def level_in(monday: dt.date, steps: Sequence[tuple[dt.date, int, int]], current: int) -> int:
    """The level the week starting `monday` was planned at, from the steps taken
    (week start, level before, level after; oldest first): the level after the last step
    taken before it, else the level before the first one after it, else `current`."""
    earlier = [after for start, _, after in steps if start < monday]
    if earlier:
        return earlier[-1]
    later = [before for start, before, _ in steps if start >= monday]
    return later[0] if later else current
