"""The planner: where strength sessions go in the runner's week, and why (docs/coaching.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, pairwise
from typing import NamedTuple

from pydantic import Field

from core.block import BlockWeek, HeavyStage, block_week, recovery_days
from core.models import (
    HARD_KINDS,
    HIGH_VOLUME_KINDS,
    STRENGTH_ALLOWED_KINDS,
    WEEKDAY_NAMES,
    BodyArea,
    Day,
    DayKind,
    Equipment,
    Frozen,
    Phase,
    PlacementPreference,
    Plan,
    PlannedDay,
    Profile,
    Session,
    SessionKind,
    Week,
    WeekChanges,
    Weekday,
)
from core.phases import PHASE_SUMMARIES, is_first_build_week, phase_on, phase_to_race
from core.sessions import LIGHT_ADJACENT_NOTE, build_familiarisation, build_session

HEAVY_EQUIPMENT = frozenset({Equipment.GYM, Equipment.DUMBBELLS})
MAX_HEAVY_PER_WEEK = 2  # the rest of the week's sessions are standard or light
HARD_DAY_MINUTES = 20  # a session after a hard run ("hard days hard") stays short
# Hard runs that may take a short session after them, with the runner's consent.
_HARD_DAY_KINDS = frozenset({DayKind.INTERVALS, DayKind.TEMPO, DayKind.HILLS, DayKind.RACE})
_HARD_DAY_PHASES = frozenset({Phase.OFF_SEASON, Phase.BUILD, Phase.TAPER})


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build, seven per plan
class _DayFacts:
    """What the placement rules need to know about one day of the week being planned."""

    index: int
    date: dt.date
    day: Day
    phase: Phase
    blocked: str | None  # why no strength may go here (P2, P3, P7), or None
    before_hard: DayKind | None  # tomorrow's kind when it is hard or long (P5)
    heavy_blocked: str | None = None  # why no heavy leg work here (the 48-hour rule)
    hard_day: bool = False  # a hard run that may take a short session after it (consent)


@dataclass(frozen=True, slots=True)
class _Context:
    """What a week's plan depends on beyond its days."""

    profile: Profile
    level: int
    avoid: frozenset[BodyArea]
    heavy: BlockWeek | None  # the heavy-block week, when the heavy block applies at all
    familiarisation: bool  # a first block that started in the taper


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
    block_start: dt.date | None = None,
    first_week: dt.date | None = None,
    changes: WeekChanges | None = None,
    starts_on: dt.date | None = None,
    previous: Plan | None = None,
) -> Plan:
    """Place the runner's strength sessions in the week starting on Monday `week_start`.

    `block_start` is the Monday the off-season heavy block began (None: this week);
    `first_week` the Monday of the runner's first week with the coach (None: long ago);
    `changes` this week's changes to the usual week, used only for the week they name;
    `starts_on` the day the runner joined: the days before it are not planned (the partial
    first week, docs/coaching.md), the placement rules hold for the rest;
    `previous` the week before as it was planned: its Sunday is Monday's yesterday (P5 and
    the 48-hour rule hold across the turn of the week). Without it, the week before is taken
    to be this one (the usual week repeats).
    """
    if week_start.weekday() != 0:
        raise ValueError(f"week_start must be a Monday, got {week_start:%A %Y-%m-%d}")
    if changes is not None and not changes.applies_to(week_start):
        changes = None
    joined_on = starts_on
    starts_on = _part_week_start(week_start, starts_on)
    context = _context(profile, week_start, level, avoid, block_start, first_week, joined_on)
    if previous is not None and previous.week_start != week_start - _WEEK:
        previous = None
    sunday = previous.days[-1] if previous is not None else None
    facts, chosen, moved = _placement(
        profile, week, week_start, changes, starts_on, context.heavy, sunday
    )

    sessions = _sessions(
        facts, chosen, context, after_legs=_legs(sunday.session) if sunday else False
    )
    if sunday is None and 0 in chosen and 6 in chosen and _legs(sessions[6][0]):
        # The usual week repeats: this Sunday's session worked the legs, so next Monday is the
        # day after it, and so is this one (P5 across the turn of the week).
        sessions = _sessions(facts, chosen, context, after_legs=True)
    planned: list[dict[str, object]] = []
    for f in facts:
        session: Session | None = None
        if f.index in sessions:
            session, reason = sessions[f.index]
            if f.index in moved:
                reason = f"Moved here from {WEEKDAY_NAMES[moved[f.index]]} for this week. {reason}"
        else:
            reason = _unplaced_reason(f, facts, chosen)
        planned.append({"date": f.date, "day": f.day, "session": session, "reason": reason})

    requested = profile.sessions_per_week
    shortfall = None
    if len(chosen) < requested:
        consenting = None
        if not profile.hard_day_sessions:
            agreed = profile.model_copy(update={"hard_day_sessions": True})
            consenting = _day_facts(agreed, week, week_start, changes, starts_on)
        shortfall = _shortfall_reason(facts, profile, len(chosen), consenting, starts_on)
    phase = phase_on(week_start, profile.race_date, recovery_days(profile.goal))
    # A week can span two phases (taper into race week, race into recovery): name each one.
    phases = list(dict.fromkeys(f.phase for f in facts))
    notes = [
        FAMILIARISATION_SUMMARY
        if p is Phase.TAPER and context.familiarisation
        else PHASE_SUMMARIES[p]
        for p in phases
    ]
    if context.heavy is not None and Phase.OFF_SEASON in phases:
        notes.append(_block_note(context.heavy, [s for s, _ in sessions.values()]))
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
            "starts_on": starts_on,
        }
    )


def _block_note(block: BlockWeek, sessions: Sequence[Session]) -> str:
    """The heavy block's week note, describing this week's sessions: a week in the block
    whose days allow no heavy session says so instead of describing heavy lifts it lacks."""
    if block.over or any(s.kind is SessionKind.HEAVY for s in sessions):
        return block.note
    return (
        f"Heavy block, week {block.number} of {block.length}: no session is heavy this "
        "week, as the days around your runs don't allow it (each session says why)."
    )


FAMILIARISATION_SUMMARY = (
    "Taper, and your first strength weeks: a short familiarisation of a few easy basic "
    "moves, nothing heavy. The full programme starts after your race."
)


def _part_week_start(week_start: dt.date, starts_on: dt.date | None) -> dt.date | None:
    """The joining day when it falls after this week's Monday (a part week), else None."""
    return starts_on if starts_on is not None and starts_on > week_start else None


def _heavy_week(
    profile: Profile, block_start: dt.date | None, week_start: dt.date
) -> BlockWeek | None:
    """The heavy-block week, when the runner's equipment allows the heavy block at all."""
    if profile.available_equipment & HEAVY_EQUIPMENT:
        return block_week(profile.lifting, block_start, week_start)
    return None


def _placement(
    profile: Profile,
    week: Week,
    week_start: dt.date,
    changes: WeekChanges | None,
    starts_on: dt.date | None,
    heavy: BlockWeek | None,
    sunday: PlannedDay | None = None,
) -> tuple[list[_DayFacts], tuple[int, ...], dict[int, int]]:
    """The week's day facts, its chosen days after this week's moves, and for each
    moved-to day the day it came from. `plan_week` and `move_options` both place the week
    here, so a move is offered only against the days the runner's plan really holds (a part
    week included: docs/coaching.md, "Move")."""
    before = sunday.day.kind if sunday is not None else None
    facts = _day_facts(profile, week, week_start, changes, starts_on, before)
    chosen = _choose_days(facts, profile, heavy=_heavy_applies(facts, heavy))
    moved: dict[int, int] = {}
    if changes is not None:
        chosen, moved = _apply_moves(facts, chosen, changes)
    return facts, chosen, moved


def _context(
    profile: Profile,
    week_start: dt.date,
    level: int,
    avoid: frozenset[BodyArea],
    block_start: dt.date | None,
    first_week: dt.date | None,
    joined_on: dt.date | None = None,
) -> _Context:
    heavy = _heavy_week(profile, block_start, week_start)
    familiarisation = False
    if first_week is not None and profile.race_date is not None:
        # The runner's first day (the day they joined, in their first week; else its Monday)
        # fell in the taper or race week: everything is new to them.
        first_day = first_week
        if joined_on is not None and first_week <= joined_on < first_week + dt.timedelta(days=7):
            first_day = joined_on
        first_phase = phase_on(first_day, profile.race_date)
        familiarisation = first_phase in (Phase.TAPER, Phase.RACE_WEEK)
    return _Context(
        profile=profile, level=level, avoid=avoid, heavy=heavy, familiarisation=familiarisation
    )


def _heavy_applies(facts: Sequence[_DayFacts], heavy: BlockWeek | None) -> bool:
    return heavy is not None and not heavy.over and any(f.phase is Phase.OFF_SEASON for f in facts)


def _day_facts(
    profile: Profile,
    week: Week,
    week_start: dt.date,
    changes: WeekChanges | None = None,
    starts_on: dt.date | None = None,
    before: DayKind | None = None,
) -> list[_DayFacts]:
    """`before`: the run of the Sunday before this week, when known (else this Sunday's)."""
    race = profile.race_date
    recovery = recovery_days(profile.goal)
    # Days from Monday to the race (negative: the race was before this week).
    monday_to_race = None if race is None else (race - week_start).days
    one_off: frozenset[int] = frozenset()
    ill: frozenset[int] = frozenset()
    if changes is not None:
        week = changes.week(week)
        one_off = frozenset(int(w) for w in changes.one_off_races)
        ill = frozenset(int(w) for w in changes.ill)
    days = list(week.days)
    goal_race = None
    if monday_to_race is not None and 0 <= monday_to_race < 7:
        goal_race = monday_to_race
        days[monday_to_race] = _with_race(days[monday_to_race])
    races = one_off | ({goal_race} if goal_race is not None else set())
    kinds = [d.kind for d in days]
    facts = []
    for i, day in enumerate(days):
        # The usual week repeats, so Sunday's tomorrow is Monday and Monday's yesterday Sunday.
        tomorrow, yesterday = kinds[(i + 1) % 7], kinds[(i - 1) % 7]
        if i == 0 and before is not None:
            yesterday = before  # last week's Sunday, as it was planned
        to_race = None if monday_to_race is None else monday_to_race - i
        # P7 applies to the race date and one-off races; a race in the usual week repeats
        # every week (a weekly parkrun) and is a hard day like any other.
        before_race = (i + 1) in races or to_race == 1
        after_race = (i - 1) in races or to_race == -1
        date = week_start + _OFFSETS[i]
        joining = starts_on is not None and date < starts_on
        if joining:
            blocked: str | None = BEFORE_JOINING_REASON
        elif i in ill:
            blocked = ILL_REASON
        elif day.kind is DayKind.RACE and i not in races:
            blocked = "your weekly race is a hard day, so it stays free of strength"
        else:
            blocked = _blocked_reason(day.kind, before_race=before_race, after_race=after_race)
        phase = Phase.OFF_SEASON if to_race is None else phase_to_race(to_race, recovery)
        hard_day = (
            not joining
            and profile.hard_day_sessions
            and day.kind in _HARD_DAY_KINDS
            and i not in races
            and i not in ill
            and not before_race
            and not after_race
            and yesterday not in HIGH_VOLUME_KINDS  # never straight after the long run
            and phase in _HARD_DAY_PHASES
        )
        facts.append(
            _DayFacts(
                index=i,
                date=date,
                day=day,
                phase=phase,
                blocked=blocked,
                before_hard=tomorrow if tomorrow in _HARD_OR_LONG else None,
                heavy_blocked=_heavy_blocked(yesterday, tomorrow, kinds[(i + 2) % 7]),
                hard_day=hard_day,
            )
        )
    return facts


BEFORE_JOINING_REASON = "before you joined"  # shown as "Before you joined."
ILL_REASON = "you said you are unwell: no training today, rest comes first"


def rest_while_ill(plan: Plan, ill: frozenset[Weekday]) -> Plan:
    """The plan with no training on the days the runner is unwell: the run and the session
    of each such day give way to rest, and every other day keeps what it had. Unlike
    `WeekChanges.ill` (the week planned around the ill days), nothing is placed again, so
    a session missed while ill is never moved onto the days after it."""
    if not ill:
        return plan
    days = tuple(
        d.model_copy(update={"day": Day(kind=DayKind.REST), "session": None, "reason": ILL_REASON})
        if d.weekday in ill
        else d
        for d in plan.days
    )
    return plan.model_copy(update={"days": days})


_HARD_OR_LONG = HARD_KINDS | HIGH_VOLUME_KINDS  # a day before one of these is "before hard"
_OFFSETS = tuple(dt.timedelta(days=i) for i in range(7))
_WEEK = dt.timedelta(days=7)


def _heavy_blocked(yesterday: DayKind, tomorrow: DayKind, after: DayKind) -> str | None:
    """Why heavy leg work may not go on a day (evidence in docs/coaching.md): not the day
    after a long run, nor within about 48 hours before a hard or long run."""
    if yesterday in HIGH_VOLUME_KINDS:
        return "yesterday was your long run"
    for when, kind in (("tomorrow", tomorrow), ("in two days", after)):
        if kind in _HARD_OR_LONG:
            return f"your {kind.label} is {when} and heavy legs need about 48 hours"
    return None


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


class _Masks(NamedTuple):
    """The week's facts as bit masks (bit i: day i), all the choice of days depends on."""

    free: int  # days open to strength
    hard: int  # hard days that may take a short session (with consent)
    before_hard: int
    liked: int
    heavy_ok: int  # free days where heavy legs are allowed, when the heavy block applies


def _masks(facts: Sequence[_DayFacts], profile: Profile, *, heavy: bool) -> _Masks:
    free = hard = before_hard = liked = heavy_ok = 0
    for f in facts:
        bit = 1 << f.index
        if f.blocked is None:
            free |= bit
            if f.before_hard is not None:
                before_hard |= bit
            if _preferred(f.day.kind, profile.placement):
                liked |= bit
            if heavy and f.heavy_blocked is None and f.before_hard is None:
                heavy_ok |= bit
        elif f.hard_day:
            hard |= bit
            if f.before_hard is not None:
                before_hard |= bit
    return _Masks(free, hard, before_hard, liked, heavy_ok)


def _choose_days(
    facts: Sequence[_DayFacts], profile: Profile, *, heavy: bool = False
) -> tuple[int, ...]:
    """The best set of days: as many as asked (P1, P6), never two in a row (P5) unless four
    were asked and only that fits them (then the second is light), ranked by the rules'
    preferences. Exhaustive over at most 2^7 subsets, so always the true best."""
    masks = _masks(facts, profile, heavy=heavy)
    return _best_days(masks, profile.sessions_per_week)


@lru_cache(maxsize=4096)
def _best_days(masks: _Masks, wanted: int) -> tuple[int, ...]:
    """`_choose_days` from the week's bit masks (kept: a few small numbers, and the same
    weeks come back)."""
    open_days = masks.free | masks.hard
    wanted = min(wanted, open_days.bit_count())
    for size in range(wanted, 0, -1):
        spreads = list(_SPREADS[size])
        if size == 4:
            # Four in a week: only Monday, Wednesday, Friday and Sunday avoid two days in a
            # row, so four may sit back to back in pairs, the second of each pair light.
            spreads += _PAIRED_FOURS
        # A session after a hard run never has a strength day next to it, across the turn
        # of the week too ("hard days hard": never two days in a row).
        options = [
            s for s in spreads if s.mask & open_days == s.mask and not s.neighbours & masks.hard
        ]
        if options:
            # max() keeps the first of equal options; _SPREADS has earlier days first.
            return max(options, key=lambda s: s.score(masks)).days
    return ()


def _has_neighbours(days: Sequence[int]) -> bool:
    """Two chosen days next to each other within Monday to Sunday."""
    return any(b - a == 1 for a, b in pairwise(days))


def _neighbour_pairs(days: Sequence[int]) -> int:
    return sum(1 for a, b in pairwise(days) if b - a == 1)


def _wraps(days: Sequence[int]) -> bool:
    """Sunday and Monday both chosen: back to back across the turn of the week. Only four
    sessions, or a week with no other room, need it, so it is avoided whenever possible."""
    return len(days) > 1 and days[0] == 0 and days[-1] == 6


def _three_in_a_row(days: Sequence[int]) -> bool:
    return any(c - a == 2 for a, c in zip(days, days[2:], strict=False))


class _Spread:
    """A set of days, and what the ranking needs to know about it beyond the days' own
    facts."""

    __slots__ = ("days", "mask", "min_gap", "neighbours", "pairs", "wraps")

    def __init__(self, days: tuple[int, ...]) -> None:
        self.days = days
        self.mask = sum(1 << d for d in days)
        # The days with a chosen day next to them, Sunday and Monday counting as neighbours.
        self.neighbours = sum(1 << d for d in days if (d + 1) % 7 in days or (d - 1) % 7 in days)
        self.wraps = _wraps(days)
        self.min_gap = _min_gap(days)
        self.pairs = _neighbour_pairs(days)

    def score(self, m: _Masks) -> tuple[int, ...]:
        """The ranking (higher is better): sessions after hard runs only when nothing else
        fits, fewest back-to-back days, then the preferences."""
        return (
            -(self.mask & m.hard).bit_count(),
            -self.pairs,
            -int(self.wraps),
            (self.mask & m.heavy_ok).bit_count(),
            -(self.mask & m.before_hard).bit_count(),
            (self.mask & m.liked).bit_count(),
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
# Four days with some back to back, never three in a row (the light day sits between).
_PAIRED_FOURS = tuple(
    _Spread(c) for c in combinations(range(7), 4) if _has_neighbours(c) and not _three_in_a_row(c)
)


def _preferred(kind: DayKind, preference: PlacementPreference) -> bool:
    if preference is PlacementPreference.AFTER_RUNS:
        return kind.is_run
    if preference is PlacementPreference.OFF_DAYS:
        return not kind.is_run
    return True


def _time_of_day(start: dt.time | None) -> str:
    if start is None:
        return ""
    if start.hour < 12:
        return " in the morning"
    if start.hour < 17:
        return " at midday" if start.hour < 14 else " in the afternoon"
    return " in the evening"


def _legs(session: Session | None) -> bool:
    """A session that works the legs (everything but the light and mobility sessions)."""
    return session is not None and session.kind not in (SessionKind.LIGHT, SessionKind.MOBILITY)


def _sessions(
    facts: Sequence[_DayFacts],
    chosen: Sequence[int],
    context: _Context,
    *,
    after_legs: bool = False,
) -> dict[int, tuple[Session, str]]:
    """The session on each chosen day and the reason shown with it. `after_legs`: the
    Sunday before this week held a session that worked the legs, so Monday's is light (P5:
    never two leg sessions in a row, across the turn of the week too)."""
    profile = context.profile
    heavy_on = _heavy_applies(facts, context.heavy)
    block = context.heavy
    chosen_set = set(chosen)
    legs_free: set[int] = set()  # days whose session spares the legs
    heavy_count = 0
    out: dict[int, tuple[Session, str]] = {}
    for variant, i in enumerate(chosen):
        f = facts[i]
        after_hard_run = f.blocked is not None  # a "hard days hard" session
        runner = profile
        if after_hard_run:
            runner = profile.model_copy(update={"minutes": min(profile.minutes, HARD_DAY_MINUTES)})
        level = context.level
        stage = HeavyStage.FULL
        lead: str | None = None
        note = ""
        kind = SessionKind.STANDARD
        familiar = False
        if f.phase in (Phase.RACE_WEEK, Phase.RECOVERY):
            kind = SessionKind.MOBILITY
            note = (
                "race week: mobility and activation only"
                if f.phase is Phase.RACE_WEEK
                else "the days after your race: mobility only"
            )
        elif f.phase is Phase.TAPER and context.familiarisation:
            familiar = True
            kind = SessionKind.TAPER
            note = "your first strength weeks fall in the taper: a short familiarisation"
        elif f.before_hard is not None:
            kind = SessionKind.LIGHT
            note = (
                f"tomorrow is your {f.before_hard.label}, so this is the lighter session: "
                "upper body, core and mobility"
            )
        elif (i - 1 in chosen_set and i - 1 not in legs_free) or (i == 0 and after_legs):
            kind, lead = SessionKind.LIGHT, LIGHT_ADJACENT_NOTE
            note = (
                f"{'yesterday' if i else 'Sunday'} had a session too, so this is the lighter "
                "session: upper body, core and mobility, and your legs rest"
            )
        elif f.phase is Phase.TAPER:
            kind = SessionKind.TAPER
            note = "taper: the usual exercises at about half the volume"
        elif (
            heavy_on
            and f.phase
            is Phase.OFF_SEASON  # a week that crosses into the build: build days stay light
            and block is not None
            and block.stage is not None
            and not after_hard_run
        ):
            if heavy_count >= MAX_HEAVY_PER_WEEK:
                note = (
                    "two heavy sessions a week are plenty, so this one is the in-season "
                    "session (bodyweight and light load)"
                )
            elif f.heavy_blocked is not None:
                note = (
                    f"no heavy legs today: {f.heavy_blocked}, so this is the lighter "
                    "in-season session instead"
                )
            else:
                kind, stage = SessionKind.HEAVY, block.stage
                heavy_count += 1
                note = (
                    "off-season: a technique week of the heavy block"
                    if stage is HeavyStage.TECHNIQUE
                    else "off-season: a heavier strength block while the running is lighter"
                )
        elif f.phase is Phase.OFF_SEASON and block is not None and block.over:
            level += 1
            note = "your heavy block is done, so this is the in-season session, one step harder"
        if kind in (SessionKind.LIGHT, SessionKind.MOBILITY):
            legs_free.add(i)
        if familiar:
            session = build_familiarisation(profile=runner, variant=variant, avoid=context.avoid)
        else:
            session = build_session(
                kind=kind,
                profile=runner,
                variant=variant,
                level=level,
                avoid=context.avoid,
                heavy_stage=stage,
                lead_note=lead,
            )
        out[i] = (session, _placed_reason(f, note, after_hard_run=after_hard_run))
    return out


def _placed_reason(f: _DayFacts, note: str, *, after_hard_run: bool = False) -> str:
    day = f.day
    if after_hard_run:
        where = (
            f"{day.kind.label}{_time_of_day(day.start)}: as you agreed, a short session goes "
            "after it, so your easy days stay easy (hard days hard)"
        )
    elif day.kind.is_run:
        where = f"{day.kind.label}{_time_of_day(day.start)}, so strength goes after it"
    elif day.kind is DayKind.CROSS:
        where = "cross-training and no run, so there is room for strength"
    else:
        where = "no run today, so there is room for strength"
    if day.kind.is_run and day.start is not None and day.start.hour < 12:
        where += " (later in the day if you can: run first, lift a few hours after)"
    return f"{where}. {note[0].upper()}{note[1:]}." if note else f"{where}."


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


def _shortfall_reason(
    facts: Sequence[_DayFacts],
    profile: Profile,
    placed: int,
    consenting: Sequence[_DayFacts] | None = None,
    starts_on: dt.date | None = None,
) -> str:
    """Why fewer sessions than asked (P6), naming the free days; `consenting` (the week's
    facts as if the runner agreed to sessions after hard runs) adds the coaches' offer."""
    requested = profile.sessions_per_week
    free = [WEEKDAY_NAMES[f.index] for f in facts if f.blocked is None]
    rules = (
        "strength stays off rest days, hard days, long-run days and the days around a race, "
        "and never on two days in a row"
    )
    offer = ""
    if consenting is not None:
        with_hard = len(_best_days(_masks(consenting, profile, heavy=False), requested))
        if with_hard > placed:
            offer = (
                f" With your OK, a short session after a hard run (hard days hard) would make "
                f"it {with_hard}: never after the long run, never the day before a race."
            )
    if starts_on is not None:
        first = f"{starts_on:%A}"
        if placed == 0:
            return (
                f"Your first week starts on {first}, and no day left in it can take a session: "
                f"{rules}. Your full plan starts next week."
            )
        return (
            f"Your first week starts on {first}, so {placed} of your {requested} sessions fit "
            f"in the days left: {rules}. Your full plan starts next week."
        )
    if not free and placed == 0:
        return (
            f"You asked for {requested} sessions, but no day this week can take one: {rules}. "
            f"An easy run or a day without running gives strength a place.{offer}"
        )
    days = _join(free) if free else "none"
    return (
        f"You asked for {requested} sessions, but only {placed} fit this week: {rules}. "
        f"Free days this week: {days}.{offer}"
    )


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- how many sessions a week has room for -----------------------------------------------------


class Room(Frozen):
    """How many sessions (up to 4) a week has room for, for the sessions question."""

    sessions: int = Field(ge=0, le=4)  # by the placement rules alone
    with_hard_days: int = Field(ge=0, le=4)  # with a short session after hard runs

    @property
    def text(self) -> str:
        """One line for the sessions question."""
        n = self.sessions
        line = f"Your usual week has room for {n} strength session{'s' if n != 1 else ''}"
        if self.with_hard_days > n:
            line += (
                f", or {self.with_hard_days} with a short session after a hard run "
                "(hard days hard)"
            )
        return line + "."


def sessions_room(
    profile: Profile,
    week: Week,
    week_start: dt.date,
    *,
    changes: WeekChanges | None = None,
) -> Room:
    """How many sessions the week starting `week_start` can hold (2 to 4 can be asked for),
    without and with short sessions after hard runs."""
    if changes is not None and not changes.applies_to(week_start):
        changes = None
    asking = profile.model_copy(update={"hard_day_sessions": False})
    facts = _day_facts(asking, week, week_start, changes)
    plain = len(_best_days(_masks(facts, asking, heavy=False), 4))
    consenting = profile.model_copy(update={"hard_day_sessions": True})
    hard_facts = _day_facts(consenting, week, week_start, changes)
    with_hard = len(_best_days(_masks(hard_facts, consenting, heavy=False), 4))
    return Room(sessions=plain, with_hard_days=max(plain, with_hard))


def with_hard_days(
    profile: Profile, week: Week, week_start: dt.date, wanted: int
) -> tuple[int, int]:
    """With the runner's consent to short sessions after hard runs: how many of the `wanted`
    sessions the week starting `week_start` holds, and how many of those go after a hard run
    (the hard-day question says both, so the runner knows what Yes gives)."""
    consenting = profile.model_copy(update={"hard_day_sessions": True})
    masks = _masks(_day_facts(consenting, week, week_start, None), consenting, heavy=False)
    days = _best_days(masks, wanted)
    return len(days), sum(1 for d in days if masks.hard >> d & 1)


# --- moving a session this week ---------------------------------------------------------------


class MoveOption(Frozen):
    """A day a session could move to this week, or why it cannot."""

    weekday: Weekday
    date: dt.date
    allowed: bool
    reason: str


def _move_refusal(
    facts: Sequence[_DayFacts], chosen: Sequence[int], source: int, target: int
) -> str | None:
    """Why the session on `source` may not move to `target` (P2-P7 given the other sessions
    already placed), or None when it may."""
    others = set(chosen) - {source}
    f = facts[target]
    if target in others:
        return f"{WEEKDAY_NAMES[target]} already has a session, and a day holds one at most."
    if f.blocked is not None and not f.hard_day:
        return _sentence(f.blocked)
    for n in (target - 1, target + 1):
        if n in others:
            return (
                f"{WEEKDAY_NAMES[n]} has a session, and two strength days in a row leave too "
                "little time to recover."
            )
    return None


def _apply_moves(
    facts: Sequence[_DayFacts], chosen: Sequence[int], changes: WeekChanges
) -> tuple[tuple[int, ...], dict[int, int]]:
    """The chosen days after this week's moves (each still allowed when it is made), and
    for each moved-to day the day it came from."""
    days = list(chosen)
    moved: dict[int, int] = {}
    for source_day, target_day in changes.moves:
        source, target = int(source_day), int(target_day)
        if source not in days or _move_refusal(facts, days, source, target) is not None:
            continue
        days = sorted((set(days) - {source}) | {target})
        moved[target] = moved.pop(source, source)
    return tuple(days), moved


def move_options(
    profile: Profile,
    week: Week,
    week_start: dt.date,
    source: Weekday,
    *,
    today: dt.date | None = None,
    changes: WeekChanges | None = None,
    starts_on: dt.date | None = None,
    block_start: dt.date | None = None,
) -> tuple[MoveOption, ...]:
    """The other days of this week the session on `source` could move to, each allowed or
    refused with its reason. Days before `today` are past; a session is never put on a day
    that already holds one (so a missed session is never piled onto the next day).
    `starts_on` and `block_start` as for `plan_week`: the days are checked against the
    week as `plan_week` places it (a part week, the heavy block's preferences)."""
    if changes is not None and not changes.applies_to(week_start):
        changes = None
    starts_on = _part_week_start(week_start, starts_on)
    heavy = _heavy_week(profile, block_start, week_start)
    facts, chosen, _ = _placement(profile, week, week_start, changes, starts_on, heavy)
    if int(source) not in chosen:
        raise ValueError(f"no session on {WEEKDAY_NAMES[source]} to move")
    options = []
    for f in facts:
        if f.index == source:
            continue
        reason: str | None
        if today is not None and f.date < today:
            reason = "That day is already past."
        else:
            reason = _move_refusal(facts, chosen, int(source), f.index)
        options.append(
            MoveOption(
                weekday=Weekday(f.index),
                date=f.date,
                allowed=reason is None,
                reason=reason or f"Free for strength: {_move_fit(f)}.",
            )
        )
    return tuple(options)


def _move_fit(f: _DayFacts) -> str:
    if f.hard_day:
        return f"a short session after your {f.day.kind.label}"
    if f.before_hard is not None:
        return f"the lighter session, as tomorrow is your {f.before_hard.label}"
    if f.day.kind.is_run:
        return f"after your {f.day.kind.label}"
    return "no run that day"
