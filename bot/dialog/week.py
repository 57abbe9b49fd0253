"""The running week: typed in one message, or day by day (a kind, then a time, per day)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from bot import texts
from bot.dialog.question import (
    Accepted,
    Answers,
    Button,
    Context,
    Invalid,
    Prompt,
    norm,
    rows,
    short,
)
from core.answers import Option, match_option, yes_no
from core.models import WEEKDAY_NAMES, Day, DayKind, Week, Weekday
from core.weekparse import (
    EXAMPLE_WEEK,
    WeekParseError,
    format_week,
    parse_time,
    parse_weekday,
)
from core.weekread import (
    Move,
    MoveRefused,
    WeekReading,
    answer_problem,
    apply_move,
    read_move,
    read_week,
)
from storage.tables import day_from_json, day_to_json

DAY_BY_DAY = "days"
KIND_LABELS = {
    DayKind.REST.value: "Rest",
    DayKind.OFF.value: "No run",
    DayKind.EASY.value: "Easy",
    DayKind.RECOVERY.value: "Recovery",
    DayKind.LONG.value: "Long run",
    DayKind.INTERVALS.value: "Intervals",
    DayKind.TEMPO.value: "Tempo",
    DayKind.HILLS.value: "Hills",
    DayKind.RACE.value: "Race",
    DayKind.CROSS.value: "Cross-training",
}
NO_TIME = "notime"
TIME_BUTTONS = ("06:00", "07:00", "08:00", "12:00", "17:30", "18:00", "19:00")


READING = "week_reading"  # answers: a week read in part, its problems still to ask
BASE = "week_base"  # answers: the week before this change (settings, Edit), day by day
AGAIN = "weekagain"  # button: type the week again from scratch
KEEP, BACK = "keep", "back"  # day by day: this day as it is; the day before
ONE_DAY = "week_one_day"  # answers: the one day being changed (a day's button in /settings)
ONE = "one"  # button: change this one day ("one3": Thursday)
KEEP_WORDS = {"keep", "keep it", "same", "same as before", "no change", "unchanged", "as is"}
BACK_WORDS = {"back", "go back", "previous", "undo"}
AGAIN_WORDS = {"start again", "start over", "again", "type it again", "type the week again"}


def _base(a: Answers) -> Week | None:
    base = a.get(BASE)
    return Week(days=tuple(day_from_json(d) for d in base)) if base else None


def _reading(a: Answers) -> WeekReading | None:
    stored = a.get(READING)
    return WeekReading.model_validate(stored) if stored else None


def ask_week(a: Answers, c: Context) -> Prompt:
    reading = _reading(a)
    if reading is not None:  # only the parts not understood yet
        return Prompt(reading.summary(), ((Button("Type the week again", AGAIN),),))
    base = _base(a)
    if base is not None:
        days = [Button(name[:3], f"{ONE}{i}") for i, name in enumerate(WEEKDAY_NAMES)]
        return Prompt(
            texts.ASK_WEEK_CHANGE.format(week=format_week(base)) + texts.ASK_WEEK_ONE_DAY,
            (*rows(days, 4), (Button("Day by day", DAY_BY_DAY), Button("Keep it", KEEP))),
        )
    return Prompt(
        texts.ASK_WEEK.format(example=EXAMPLE_WEEK), ((Button("Day by day", DAY_BY_DAY),),)
    )


def accept_week(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    said = norm(raw)
    base = _base(a)
    if raw == AGAIN or said in AGAIN_WORDS:
        raise Invalid("", keep={k: v for k, v in a.items() if k != READING})
    if base is not None and (raw == KEEP or said in KEEP_WORDS):
        return Accepted(_set_week(a, base), "Kept as it is", note=texts.WEEK_KEPT)
    if raw == DAY_BY_DAY or said in {"day by day", "one by one", "each day"}:
        new = {k: v for k, v in a.items() if k not in (READING, ONE_DAY)}
        return Accepted({**new, "week_mode": DAY_BY_DAY, "week_days": []}, "Day by day")
    if base is not None and pressed and re.fullmatch(rf"{ONE}[0-6]", raw):
        index = int(raw[len(ONE) :])  # that day's question, then the week with it changed
        new = {k: v for k, v in a.items() if k != READING}
        kept = [dict(d) for d in a[BASE][:index]]
        one = {"week_mode": DAY_BY_DAY, "week_days": kept, ONE_DAY: index}
        return Accepted({**new, **one}, WEEKDAY_NAMES[index])
    before = _reading(a)
    if before is None and (move := read_move(raw)) is not None:
        return _accept_move(move, a, base)
    if before is not None:
        reading = answer_problem(before, raw)
        if reading == before:
            raise Invalid(texts.WEEK_STILL)
    else:
        reading = read_week(raw)
        if not reading.days and not any(p.days for p in reading.problems):
            raise Invalid(texts.HINT_WEEK)  # not a day in it: the week question again
    if reading.problems:  # keep what was understood; ask about the rest only
        raise Invalid("", keep={**a, READING: reading.model_dump(mode="json")})
    week = reading.week(base=base)
    return Accepted(_set_week(a, week), format_week(week), note=_week_note(reading, base))


NO_WEEK_TO_MOVE = "I can move runs once I know your week. Type it first, for example: {example}"


def _accept_move(move: Move, a: Answers, base: Week | None) -> Accepted:
    """A move typed at the week question ("move long run to sunday"): the week it gives, and
    what changed; an impossible move gets the reason and the question again."""
    week = base
    if week is None and a.get("week"):
        week = Week(days=tuple(day_from_json(d) for d in a["week"]))
    if week is None:
        raise Invalid(NO_WEEK_TO_MOVE.format(example=EXAMPLE_WEEK))
    try:
        moved = apply_move(week, move)
    except MoveRefused as refused:
        raise Invalid(str(refused)) from None
    return Accepted(_set_week(a, moved.week), format_week(moved.week), note=moved.said)


def _week_note(reading: WeekReading, base: Week | None) -> str:
    """What was assumed, and what happens to the days not typed."""
    lines = [f"Got it: {format_week(reading.week(base=base))}"]
    lines += [f"({note})" for note in reading.notes()]
    left_out = reading.unmentioned
    if base is not None and left_out:
        lines.append(texts.WEEK_PARTIAL.format(days=_names(reading.understood)))
    elif left_out:
        lines.append(
            texts.WEEK_LEFT_OUT.format(
                days=_names(left_out), them="it" if len(left_out) == 1 else "them"
            )
        )
    return "\n".join(lines)


def _names(days: tuple[Weekday, ...]) -> str:
    names = [WEEKDAY_NAMES[d][:3] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _set_week(a: Answers, week: Week) -> Answers:
    drop = ("week_mode", "week_days", READING, BASE, ONE_DAY)
    new = {k: v for k, v in a.items() if k not in drop}
    new["week"] = [day_to_json(d) for d in week.days]
    return new


def needs_time(day: dict[str, Any]) -> bool:
    return DayKind(day["kind"]) not in (DayKind.REST, DayKind.OFF)


def _nav_buttons(a: Answers) -> tuple[Button, ...]:
    keep = (Button("Keep", KEEP),) if a.get(BASE) else ()
    return (*keep, Button("Back", BACK))


def ask_day(index: int) -> Callable[[Answers, Context], Prompt]:
    def ask(a: Answers, c: Context) -> Prompt:
        buttons = [Button(label, value) for value, label in KIND_LABELS.items()]
        text = texts.ASK_DAY.format(day=WEEKDAY_NAMES[index])
        base = a.get(BASE)
        if base:
            now = format_week(Week(days=tuple(day_from_json(d) for d in base)))
            text += texts.DAY_NOW.format(now=now.split(", ")[index])
        return Prompt(text, (*rows(buttons, 3), _nav_buttons(a)))

    return ask


KIND_OPTIONS = [Option(value, label) for value, label in KIND_LABELS.items()]


def _go_back(a: Answers, index: int, *, from_time: bool = False) -> Accepted:
    """Day by day's Back: the question before this one (the week question before Monday)."""
    if from_time:  # back to this day's kind
        return Accepted({**a, "week_days": a["week_days"][:index]}, "Back")
    if index == 0 or a.get(ONE_DAY) is not None:  # one day changed: the week question again
        new = {k: v for k, v in a.items() if k not in ("week_mode", "week_days", ONE_DAY)}
        return Accepted(new, "Back")
    return Accepted({**a, "week_days": a["week_days"][: index - 1]}, "Back")


def _read_one_day(text: str, index: int, c: Context) -> Day:
    """One day typed ("easy 7am 45min", "lnog run", "8x400 at 6pm") through the week reader."""
    name = WEEKDAY_NAMES[index]
    if c.suggested is not None and yes_no(text) is True:
        reading = answer_problem(read_week(f"{name} {c.suggested}"), "yes")
    else:
        reading = read_week(f"{name} {text}")
    found = reading.day(Weekday(index))
    if found is not None and not reading.problems:
        return found
    if reading.problems:
        problem = reading.problems[0]
        suggest = text if problem.suggestion is not None else None
        raise Invalid(f"{short(problem.question)} {texts.HINT_DAY}", suggest=suggest)
    raise Invalid(texts.HINT_DAY)


def accept_day(index: int) -> Callable[[str, bool, Answers, Context], Accepted]:
    def accept(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
        said = norm(raw)
        base = a.get(BASE)
        if raw == BACK or said in BACK_WORDS:
            return _go_back(a, index)
        if base and (raw == KEEP or said in KEEP_WORDS):
            day: dict[str, Any] = dict(base[index])
        elif pressed and raw in KIND_LABELS:
            day = {"kind": raw}
        else:
            if index == 0 and _looks_like_whole_week(raw):
                return accept_week(raw, pressed, a, c)  # the whole week typed after all
            if _looks_like_whole_week(raw):
                raise Invalid(texts.HINT_ONE_DAY.format(day=WEEKDAY_NAMES[index]))
            found = match_option(raw, KIND_OPTIONS).option
            if found is not None:
                day = {"kind": found.value}
            else:
                parsed = _read_one_day(_without_day_name(raw, index), index, c)
                day = day_to_json(parsed)
                if parsed.start is None and needs_time(day):
                    del day["start"]  # still to ask
        days = [*a.get("week_days", [])[:index], day]
        return _after_day({**a, "week_days": days}, KIND_LABELS[day["kind"]])

    return accept


def _without_day_name(raw: str, index: int) -> str:
    words = raw.strip().split(maxsplit=1)
    if words and parse_weekday(words[0].rstrip(":,.-")) == index:
        return words[1] if len(words) > 1 else ""
    return raw


def _looks_like_whole_week(raw: str) -> bool:
    names = re.findall(r"\b(mon|tue|wed|thu|fri|sat|sun)", raw.lower())
    return len(set(names)) >= 2


def _after_day(a: Answers, echo: str) -> Accepted:
    days = a["week_days"]
    one = a.get(ONE_DAY)
    if (
        one is not None
        and len(days) == one + 1
        and ("start" in days[-1] or not needs_time(days[-1]))
    ):
        days = [*days, *(dict(d) for d in a[BASE][one + 1 :])]  # the other days as they were
        a = {**a, "week_days": days}
        same = day_from_json(days[one]) == day_from_json(a[BASE][one])
        note = texts.WEEK_KEPT if same else texts.WEEK_PARTIAL.format(days=WEEKDAY_NAMES[one][:3])
        full = [
            {"kind": d["kind"], "start": d.get("start"), "minutes": d.get("minutes")} for d in days
        ]
        week = Week(days=tuple(day_from_json(d) for d in full))
        return Accepted(_set_week(a, week), echo, note=note)
    if len(days) == 7 and ("start" in days[-1] or not needs_time(days[-1])):
        full = [
            {"kind": d["kind"], "start": d.get("start"), "minutes": d.get("minutes")} for d in days
        ]
        week = Week(days=tuple(day_from_json(d) for d in full))
        return Accepted(_set_week(a, week), echo)
    return Accepted(a, echo)


def ask_time(index: int) -> Callable[[Answers, Context], Prompt]:
    def ask(a: Answers, c: Context) -> Prompt:
        kind = DayKind(a["week_days"][index]["kind"]).label
        buttons = [Button(t, t) for t in TIME_BUTTONS] + [Button("No fixed time", NO_TIME)]
        return Prompt(
            texts.ASK_TIME.format(day=WEEKDAY_NAMES[index], kind=kind),
            (*rows(buttons, 4), _nav_buttons(a)),
        )

    return ask


def _read_time(text: str, c: Context) -> dt.time | None:
    """A start time typed the loose way: "7am", "at 7", "0730", "18h", "morning"."""
    try:
        parsed = parse_time(text)
    except WeekParseError:
        parsed = None
    if parsed is not None:
        return parsed
    if c.suggested is not None and yes_no(text) is True:
        reading = answer_problem(read_week(f"Mon easy {c.suggested}"), "yes")
    else:
        reading = read_week(f"Mon easy {text}")
    day = reading.day(Weekday.MON)
    if day is not None and day.start is not None and not reading.problems:
        return day.start
    if reading.problems:
        problem = reading.problems[0]
        suggest = text if problem.suggestion is not None else None
        raise Invalid(f"{short(problem.question)} {texts.HINT_TIME}", suggest=suggest)
    raise Invalid(texts.HINT_TIME)


def accept_time(index: int) -> Callable[[str, bool, Answers, Context], Accepted]:
    def accept(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
        said = norm(raw)
        base = a.get(BASE)
        if raw == BACK or said in BACK_WORDS:
            return _go_back(a, index, from_time=True)
        if base and (raw == KEEP or said in KEEP_WORDS):
            start = base[index].get("start")
        elif raw == NO_TIME or said in {"no fixed time", "none", "varies", "any", "no"}:
            start = None
        else:
            parsed = _read_time(raw, c)
            if parsed is None:
                raise Invalid(texts.HINT_TIME)
            start = parsed.isoformat(timespec="minutes")
        days = [dict(d) for d in a["week_days"]]
        days[index]["start"] = start
        return _after_day({**a, "week_days": days}, start or "No fixed time")

    return accept


def show_week(a: Answers) -> str:
    return format_week(Week(days=tuple(day_from_json(d) for d in a["week"])))
