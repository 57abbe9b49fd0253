"""The running week: typed in one message, or day by day (a kind, then a time, per day)."""

from __future__ import annotations

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
from core.models import WEEKDAY_NAMES, DayKind, Week
from core.weekparse import (
    EXAMPLE_WEEK,
    WeekParseError,
    format_week,
    parse_day,
    parse_time,
    parse_week,
    parse_weekday,
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


def ask_week(a: Answers, c: Context) -> Prompt:
    return Prompt(
        texts.ASK_WEEK.format(example=EXAMPLE_WEEK), ((Button("Day by day", DAY_BY_DAY),),)
    )


def accept_week(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    if raw == DAY_BY_DAY or norm(raw) in {"day by day", "one by one", "each day"}:
        return Accepted({**a, "week_mode": DAY_BY_DAY, "week_days": []}, "Day by day")
    try:
        week = parse_week(raw)
    except WeekParseError as error:
        raise Invalid(str(error)) from None
    return Accepted(_set_week(a, week), format_week(week))


def _set_week(a: Answers, week: Week) -> Answers:
    new = {k: v for k, v in a.items() if k not in ("week_mode", "week_days")}
    new["week"] = [day_to_json(d) for d in week.days]
    return new


def needs_time(day: dict[str, Any]) -> bool:
    return DayKind(day["kind"]) not in (DayKind.REST, DayKind.OFF)


def ask_day(index: int) -> Callable[[Answers, Context], Prompt]:
    def ask(a: Answers, c: Context) -> Prompt:
        buttons = [Button(label, value) for value, label in KIND_LABELS.items()]
        return Prompt(texts.ASK_DAY.format(day=WEEKDAY_NAMES[index]), rows(buttons, 3))

    return ask


def accept_day(index: int) -> Callable[[str, bool, Answers, Context], Accepted]:
    def accept(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
        if pressed and raw in KIND_LABELS:
            day: dict[str, Any] = {"kind": raw}
        else:
            if index == 0 and _looks_like_whole_week(raw):
                return accept_week(raw, pressed, a, c)  # the whole week typed after all
            if _looks_like_whole_week(raw):
                raise Invalid(texts.HINT_ONE_DAY.format(day=WEEKDAY_NAMES[index]))
            try:  # "easy 7am 45min", with or without this day's name in front
                parsed = parse_day(_without_day_name(raw, index))
            except WeekParseError as error:
                raise Invalid(f"{short(error.problem)} {texts.HINT_DAY}") from None
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
        return Prompt(texts.ASK_TIME.format(day=WEEKDAY_NAMES[index], kind=kind), rows(buttons, 4))

    return ask


def accept_time(index: int) -> Callable[[str, bool, Answers, Context], Accepted]:
    def accept(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
        if raw == NO_TIME or norm(raw) in {"no fixed time", "none", "varies", "any", "no"}:
            start = None
        else:
            try:
                parsed = parse_time(raw)
            except WeekParseError as error:
                raise Invalid(f"{short(error.problem)} {texts.HINT_TIME}") from None
            if parsed is None:
                raise Invalid(texts.HINT_TIME)
            start = parsed.isoformat(timespec="minutes")
        days = [dict(d) for d in a["week_days"]]
        days[index]["start"] = start
        return _after_day({**a, "week_days": days}, start or "No fixed time")

    return accept


def show_week(a: Answers) -> str:
    return format_week(Week(days=tuple(day_from_json(d) for d in a["week"])))
