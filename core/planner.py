"""The planner: where strength sessions go in the runner's week, and why (docs/coaching.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, pairwise

from core.models import (
    HARD_KINDS,
    HIGH_VOLUME_KINDS,
    STRENGTH_ALLOWED_KINDS,
    WEEKDAY_NAMES,
    BodyArea,
    Day,
    DayKind,
    Equipment,
    Phase,
    PlacementPreference,
    Plan,
    Profile,
    Session,
    SessionKind,
    Week,
)
from core.phases import PHASE_SUMMARIES, is_first_build_week, phase_on, phase_to_race
from core.sessions import build_session

HEAVY_EQUIPMENT = frozenset({Equipment.GYM, Equipment.DUMBBELLS})


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build, seven per plan
class _DayFacts:
    """What the placement rules need to know about one day of the week being planned."""

    index: int
    date: dt.date
    day: Day
    phase: Phase
    blocked: str | None  # why no strength may go here (P2, P3, P7), or None
    before_hard: DayKind | None  # tomorrow's kind when it is hard or long (P5)


def week_start_of(day: dt.date) -> dt.date:
    """The Monday of the week that holds `day`."""
    return day - dt.timedelta(days=day.weekday())


def plan_week(
    profile: Profile,
    week: Week,
    week_start: dt.date,
    *,
    level: int = 0,
    avoid: frozenset[BodyArea] = frozenset(),
) -> Plan:
    """Place the runner's strength sessions in the week starting on Monday `week_start`."""
    if week_start.weekday() != 0:
        raise ValueError(f"week_start must be a Monday, got {week_start:%A %Y-%m-%d}")
    facts = _day_facts(profile, week, week_start)
    chosen = _choose_days(facts, profile)

    # The days go to pydantic as plain dicts, validated with the plan in one call: building
    # seven PlannedDay models one by one costs more, and gives the very same plan.
    planned: list[dict[str, object]] = []
    for f in facts:
        session: Session | None = None
        if f.index in chosen:
            variant = chosen.index(f.index)
            kind = _session_kind(f, profile)
            session = build_session(
                kind=kind, profile=profile, variant=variant, level=level, avoid=avoid
            )
            reason = _placed_reason(f, kind)
        else:
            reason = _unplaced_reason(f, facts, chosen)
        planned.append({"date": f.date, "day": f.day, "session": session, "reason": reason})

    requested = profile.sessions_per_week
    shortfall = None
    if len(chosen) < requested:
        shortfall = _shortfall_reason(facts, requested, len(chosen))
    phase = phase_on(week_start, profile.race_date)
    # A week can span two phases (taper into race week, race into recovery): name each one.
    phases = list(dict.fromkeys(f.phase for f in facts))
    notes = [PHASE_SUMMARIES[p] for p in phases]
    if is_first_build_week(week_start, profile.race_date):
        notes.append(
            "A new training block starts now: a check-up with a physio before the hard weeks "
            "can catch small problems early."
        )
    return Plan.model_validate(
        {
            "week_start": week_start,
            "phase": phase,
            "days": tuple(planned),
            "sessions_requested": requested,
            "shortfall": shortfall,
            "notes": tuple(notes),
        }
    )


def _day_facts(profile: Profile, week: Week, week_start: dt.date) -> list[_DayFacts]:
    race = profile.race_date
    # Days from Monday to the race (negative: the race was before this week).
    monday_to_race = None if race is None else (race - week_start).days
    days = list(week.days)
    if monday_to_race is not None and 0 <= monday_to_race < 7:
        days[monday_to_race] = _with_race(days[monday_to_race])
    kinds = [d.kind for d in days]
    facts = []
    for i, day in enumerate(days):
        # The usual week repeats, so Sunday's tomorrow is Monday and Monday's yesterday Sunday.
        tomorrow, yesterday = kinds[(i + 1) % 7], kinds[(i - 1) % 7]
        to_race = None if monday_to_race is None else monday_to_race - i
        before_race = tomorrow is DayKind.RACE or to_race == 1
        after_race = yesterday is DayKind.RACE or to_race == -1
        blocked = _blocked_reason(day.kind, before_race=before_race, after_race=after_race)
        facts.append(
            _DayFacts(
                index=i,
                date=week_start + _OFFSETS[i],
                day=day,
                phase=Phase.OFF_SEASON if to_race is None else phase_to_race(to_race),
                blocked=blocked,
                before_hard=tomorrow if tomorrow in _HARD_OR_LONG else None,
            )
        )
    return facts


_HARD_OR_LONG = HARD_KINDS | HIGH_VOLUME_KINDS  # a day before one of these is "before hard"
_OFFSETS = tuple(dt.timedelta(days=i) for i in range(7))


def _with_race(day: Day) -> Day:
    """The race itself replaces whatever run the usual week has on that date."""
    if day.kind is not DayKind.RACE:
        return Day(kind=DayKind.RACE, start=day.start, minutes=day.minutes)
    return day


def _blocked_reason(kind: DayKind, *, before_race: bool, after_race: bool) -> str | None:
    blocked = _BLOCKED_KINDS.get(kind)
    if blocked is not None:
        return blocked
    if before_race:
        return "the day before your race stays free of strength, so you start fresh"
    if after_race:
        return "the day after your race stays free of strength while you recover"
    if kind not in STRENGTH_ALLOWED_KINDS:  # pragma: no cover - every kind is handled above
        return f"{kind.label}: not a strength day"
    return None


def _kind_blocked(kind: DayKind) -> str | None:
    """Why no strength may go on a day of this kind, whatever the days around it."""
    if kind is DayKind.REST:
        return "rest day, kept clear so your body can recover"
    if kind is DayKind.RACE:
        return "race day: nothing but the race"
    if kind.is_hard:
        return f"{kind.label}: hard days stay free of strength so the quality work counts"
    if kind in HIGH_VOLUME_KINDS:
        return "long run: the biggest day of the week stays free of strength"
    return None


_BLOCKED_KINDS = {kind: _kind_blocked(kind) for kind in DayKind}


def _choose_days(facts: Sequence[_DayFacts], profile: Profile) -> tuple[int, ...]:
    """The best set of days: as many as asked (P1, P6), never two in a row (P5), ranked by the
    rules' preferences. Exhaustive over at most 2^7 subsets, so always the true best."""
    free = before_hard = liked = 0  # bit i: day i
    for f in facts:
        if f.blocked is None:
            bit = 1 << f.index
            free |= bit
            if f.before_hard is not None:
                before_hard |= bit
            if _preferred(f.day.kind, profile.placement):
                liked |= bit
    return _best_days(free, before_hard, liked, min(profile.sessions_per_week, free.bit_count()))


@lru_cache(maxsize=4096)
def _best_days(free: int, before_hard: int, liked: int, wanted: int) -> tuple[int, ...]:
    """`_choose_days` from bit masks of the free days, the free days before a hard day and the
    free days the runner likes (kept: four small numbers, and the same weeks come back)."""
    for size in range(wanted, 0, -1):
        options = [s for s in _SPREADS[size] if s.mask & free == s.mask]
        if options:
            # max() keeps the first of equal options; _SPREADS has earlier days first.
            return max(options, key=lambda s: s.score(before_hard, liked)).days
    return ()


def _has_neighbours(days: Sequence[int]) -> bool:
    """Two chosen days next to each other within Monday to Sunday."""
    return any(b - a == 1 for a, b in pairwise(days))


def _wraps(days: Sequence[int]) -> bool:
    """Sunday and Monday both chosen: back to back across the turn of the week. Only four
    sessions, or a week with no other room, need it, so it is avoided whenever possible."""
    return len(days) > 1 and days[0] == 0 and days[-1] == 6


class _Spread:
    """A set of days with no two in a row within Monday to Sunday, and what the ranking
    needs to know about it beyond the days' own facts."""

    __slots__ = ("days", "mask", "min_gap", "wraps")

    def __init__(self, days: tuple[int, ...]) -> None:
        self.days = days
        self.mask = sum(1 << d for d in days)
        self.wraps = _wraps(days)
        self.min_gap = _min_gap(days)

    def score(self, before_hard: int, liked: int) -> tuple[int, ...]:
        """The ranking (higher is better), from bit masks of the days before a hard day and
        the days the runner likes."""
        return (
            -int(self.wraps),
            -(self.mask & before_hard).bit_count(),
            (self.mask & liked).bit_count(),
            self.min_gap,
        )


def _min_gap(days: Sequence[int]) -> int:
    if len(days) < 2:
        return 7
    ordered = sorted(days)
    gaps = [b - a for a, b in pairwise(ordered)]
    gaps.append(ordered[0] + 7 - ordered[-1])
    return min(gaps)


# Every spread of days by size, in the order combinations() yields them (earlier days first).
_SPREADS = tuple(
    tuple(_Spread(c) for c in combinations(range(7), size) if not _has_neighbours(c))
    for size in range(8)
)


def _preferred(kind: DayKind, preference: PlacementPreference) -> bool:
    if preference is PlacementPreference.AFTER_RUNS:
        return kind.is_run
    if preference is PlacementPreference.OFF_DAYS:
        return not kind.is_run
    return True


def _session_kind(f: _DayFacts, profile: Profile) -> SessionKind:
    if f.phase in (Phase.RACE_WEEK, Phase.RECOVERY):
        return SessionKind.MOBILITY
    if f.before_hard is not None:
        return SessionKind.LIGHT
    if f.phase is Phase.TAPER:
        return SessionKind.TAPER
    if f.phase is Phase.OFF_SEASON and profile.available_equipment & HEAVY_EQUIPMENT:
        return SessionKind.HEAVY
    return SessionKind.STANDARD


def _time_of_day(start: dt.time | None) -> str:
    if start is None:
        return ""
    if start.hour < 12:
        return " in the morning"
    if start.hour < 17:
        return " at midday" if start.hour < 14 else " in the afternoon"
    return " in the evening"


def _placed_reason(f: _DayFacts, kind: SessionKind) -> str:
    day = f.day
    if day.kind.is_run:
        where = f"{day.kind.label}{_time_of_day(day.start)}, so strength goes after it"
        if day.start is not None and day.start.hour < 12:
            where += " (later in the day if you can: run first, lift a few hours after)"
    elif day.kind is DayKind.CROSS:
        where = "cross-training and no run, so there is room for strength"
    else:
        where = "no run today, so there is room for strength"
    extra = _session_note(f, kind)
    return f"{where}. {extra[0].upper()}{extra[1:]}." if extra else f"{where}."


def _session_note(f: _DayFacts, kind: SessionKind) -> str:
    if kind is SessionKind.LIGHT:
        return (
            f"tomorrow is your {f.before_hard.label if f.before_hard else 'hard day'}, so this "
            "is the lighter session: upper body, core and mobility"
        )
    if kind is SessionKind.MOBILITY:
        return (
            "race week: mobility and activation only"
            if f.phase is Phase.RACE_WEEK
            else "the week after your race: mobility only"
        )
    if kind is SessionKind.TAPER:
        return "taper: the usual exercises at about half the volume"
    if kind is SessionKind.HEAVY:
        return "off-season: a heavier strength block while the running is lighter"
    return ""


@lru_cache(maxsize=64)
def _sentence(text: str) -> str:
    """The text with a capital and a full stop (the blocked reasons: a dozen texts)."""
    return f"{text[0].upper()}{text[1:]}."


def _unplaced_reason(f: _DayFacts, facts: Sequence[_DayFacts], chosen: Sequence[int]) -> str:
    if f.blocked is not None:
        return _sentence(f.blocked)
    neighbours = [n for n in ((f.index - 1) % 7, (f.index + 1) % 7) if n in chosen]
    if neighbours:
        return (
            f"Free for strength, but {WEEKDAY_NAMES[neighbours[0]]} has a session and two "
            "strength days in a row leave too little time to recover."
        )
    if f.before_hard is not None:
        return (
            f"Free for strength, but tomorrow is your {f.before_hard.label}; "
            "the sessions fit better on other days."
        )
    return "Free for strength; your sessions fit better on other days this week."


def _shortfall_reason(facts: Sequence[_DayFacts], requested: int, placed: int) -> str:
    free = [WEEKDAY_NAMES[f.index] for f in facts if f.blocked is None]
    rules = (
        "strength stays off rest days, hard days, long-run days and the days around a race, "
        "and never on two days in a row"
    )
    if not free:
        return (
            f"You asked for {requested} sessions, but no day this week can take one: {rules}. "
            "An easy run or a day without running gives strength a place."
        )
    days = _join(free)
    return (
        f"You asked for {requested} sessions, but only {placed} fit this week: {rules}. "
        f"Free days this week: {days}."
    )


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
