"""Read a change to this week's runs, typed in one message (docs/coaching.md, "This week").

`read_this_week("Thu tempo is on Fri, no long run", usual)` gives this week's runs with the
changes made and one sentence per change; a part it cannot use gives one question and
nothing changes. It reads, clause by clause (split at ";", "," and "and no/skip/move..."):

- a run moved: "Thu tempo is on Fri", "tempo goes to Friday", "move thursday's tempo to
  friday", "swap tue and thu" (`core.weekread.read_move`, forgiving of typos);
- a run dropped: "no long run", "skip the tempo", "no run on Thursday", "cancel Sunday";
- a day typed: "sat easy 8am", "Fri rest" (`core.weekread.read_week`, the forgiving reader).

"this week", "for this week", "just this week" around the change are left out. A message
that mentions pain or another symptom is never a change (the pain check reads it), and a
message with nothing left once "this week" is taken out is none either.

Pure functions: no clock, no I/O.
"""

from __future__ import annotations

import re

from core import weekparse as wp
from core.models import WEEKDAY_NAMES, Day, DayKind, Frozen, Week, Weekday
from core.weekread import MoveRefused, apply_move, read_move, read_week

__all__ = ["NOT_A_CHANGE", "ThisWeekReading", "names_this_week", "read_this_week"]

NOT_A_CHANGE = (
    "I couldn't read that as a change to this week's runs. For example: "
    '"Thu tempo is on Fri", "no long run" or "Sat easy 8am".'
)

_RE_THIS_WEEK = re.compile(
    r"\b(?:(?:just|only)\s+)?(?:for\s+|in\s+)?this\s+week(?:\s+only)?\b|\bthis\s+time\b"
)
# "Thu tempo is on Fri", "the tempo goes to friday": a run moved, as `read_move` reads it.
_RE_IS_ON = re.compile(r"\b(?:is|goes|moves|moved|will\s+be|is\s+moving)\s+(?:on|to|onto)\b")
_RE_DROP = re.compile(r"^(?:no|skip|skipping|drop|dropping|cancel|cancelling|canceling)\b\s*")
_RE_SPLIT = re.compile(
    r"\s*[;,\n]\s*|\.\s+|\s+and\s+(?=(?:no|skip|drop|cancel|move|swap|put|switch)\b)"
)
_RE_MOVED = re.compile(r"^Moved your (.+?) from")
_DROP_FILLERS = frozenset({"my", "the", "a", "an", "on", "run", "runs", "running", "session"})


class ThisWeekReading(Frozen):
    """This week's runs after the message, what changed, or the one question to ask."""

    week: Week
    said: tuple[str, ...] = ()
    question: str | None = None

    def changed_days(self, usual: Week) -> tuple[tuple[Weekday, Day], ...]:
        """The days that differ from the usual week (what `WeekChanges.days` keeps)."""
        return tuple((w, self.week[w]) for w in Weekday if self.week[w] != usual[w])


def _run_text(day: Day) -> str:
    return wp._format_day(Weekday.MON, day).split(" ", 1)[1]


def _a(label: str) -> str:
    return f"an {label}" if label[0] in "aeiou" else f"a {label}"


def _names(days: list[Weekday]) -> str:
    short = [WEEKDAY_NAMES[d][:3] for d in days]
    return short[0] if len(short) == 1 else ", ".join(short[:-1]) + " and " + short[-1]


def _drop(clause: str, week: Week) -> tuple[Week, str]:
    """ "no long run", "skip Thursday": that day is a rest day this week. Raises
    `MoveRefused` (with the question) when the run or the day is not clear."""
    words = [w.removesuffix("'s") for w in re.findall(r"[a-z']+", clause)]
    days = [d for d in (wp.parse_weekday(w) for w in words if len(w) >= 3) if d is not None]
    rest = [w for w in words if wp.parse_weekday(w) is None or len(w) < 3]
    kind_words = [w for w in rest if w not in _DROP_FILLERS]
    kind = wp.parse_day_kind(" ".join(kind_words)) if kind_words else None
    if kind_words and kind is None:
        kind = wp.parse_day_kind(" ".join([*kind_words, "run"]))
    if (kind_words and kind is None) or len(days) > 1:
        raise MoveRefused(f'I couldn\'t tell which run "{clause}" drops: name its day or run.')
    if kind is None and not days:
        raise MoveRefused('Which run is off this week? For example, "no long run".')
    found = days or [w for w in Weekday if week[w].kind is kind]
    if kind is not None and days and week[days[0]].kind is not kind:
        raise MoveRefused(
            f"{WEEKDAY_NAMES[days[0]]} is your {week[days[0]].kind.label} this week, "
            f"not a {kind.label}."
        )
    if not found:
        assert kind is not None
        raise MoveRefused(f"There's no {kind.label} in this week to drop.")
    if len(found) > 1:
        assert kind is not None
        raise MoveRefused(
            f"You have {_a(kind.label)} on {_names(found)} this week: which one is off? "
            f'For example, "no {WEEKDAY_NAMES[found[0]]} {kind.label}".'
        )
    day = found[0]
    if week[day].kind in (DayKind.REST, DayKind.OFF):
        raise MoveRefused(f"{WEEKDAY_NAMES[day]} has no run this week already.")
    label = week[day].kind.label
    days_list = list(week.days)
    days_list[day] = Day(kind=DayKind.REST)
    return Week(days=tuple(days_list)), f"No {label} on {WEEKDAY_NAMES[day]} this week."


def names_this_week(text: str) -> bool:
    """The message says it is about this week ("this week", "just this week"): typed with no
    question open, such a message may be a change to this week's runs."""
    return _RE_THIS_WEEK.search(text.lower()) is not None


def read_this_week(text: str, week: Week) -> ThisWeekReading | None:
    """This week's runs (`week`: the usual week, with any change already made this week)
    after the changes typed in `text`; None when the message is not a change at all."""
    from core.pain import mentions_pain  # here: core.pain is heavy
    from core.symptoms import Recognised, read_symptoms

    if mentions_pain(text) or read_symptoms(text).kind is not Recognised.NONE:
        return None
    cleaned = _RE_THIS_WEEK.sub(" ", text.lower().replace("’", "'"))
    cleaned = " ".join(cleaned.split()).strip(" .!:,-")
    if not cleaned:
        return None
    said: list[str] = []
    typed: list[str] = []
    for clause in _RE_SPLIT.split(cleaned):
        clause = clause.strip(" .!:-").removeprefix("and ").strip()
        if not clause:
            continue
        try:
            if _RE_DROP.match(clause):
                week, sentence = _drop(_RE_DROP.sub("", clause, count=1), week)
                said.append(sentence)
                continue
            move = read_move(_RE_IS_ON.sub("to", clause))
            if move is not None:
                moved = apply_move(week, move)
                week = moved.week
                said.append(_RE_MOVED.sub(r"This week your \1 moves from", moved.said, count=1))
                continue
        except MoveRefused as refused:
            return ThisWeekReading(week=week, question=str(refused))
        typed.append(clause)
    if typed:
        reading = read_week(", ".join(typed))
        if not reading.days and all(not p.days for p in reading.problems):
            return ThisWeekReading(week=week, question=NOT_A_CHANGE)
        if reading.problems:
            return ThisWeekReading(week=week, question=reading.summary())
        for day in reading.days:
            week = reading.week(week)
            said.append(f"{WEEKDAY_NAMES[day.weekday]} this week: {_run_text(day.day)}.")
    return ThisWeekReading(week=week, said=tuple(said))
