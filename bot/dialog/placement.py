"""Free days for strength: asked after "Where strength goes" when the runner prefers "On days
without a run" but every such day of their week is a rest day, which never gets strength
(docs/understanding.md, "Rest and off days"). A multi-select of the rest days: the days ticked
become off days (no run, but free for strength) in the week; "Keep them all as rest" leaves the
week as it is, and says where strength goes then."""

from __future__ import annotations

import re

from bot import texts
from bot.dialog.multiselect import DONE
from bot.dialog.question import (
    Accepted,
    Answers,
    Button,
    Context,
    Invalid,
    Prompt,
    Question,
    norm,
    rows,
)
from core.answers import yes_no
from core.fuzzy import guess
from core.models import WEEKDAY_NAMES, DayKind, PlacementPreference
from core.weekparse import parse_weekday

FREE_DAYS = "free_days"  # the answer: the weekdays made free (0 is Monday), [] kept as rest
KEEP = "keep"

KEEP_WORDS = {
    "keep",
    "keep them",
    "keep them all as rest",
    "keep all",
    "all rest",
    "rest",
    "none",
    "no",
    "nope",
    "neither",
    "no free day",
    "no free days",
    "none of them",
    "they are all rest",
}
FILLERS = {
    "and",
    "or",
    "the",
    "on",
    "only",
    "just",
    "both",
    "day",
    "days",
    "is",
    "are",
    "free",
    "off",
    "we",  # a word, not Wednesday
    "please",
    "maybe",
}
DAY_NAMES = tuple(name.lower() for name in WEEKDAY_NAMES)


def _kinds(a: Answers) -> list[DayKind]:
    return [DayKind(d.get("kind", DayKind.REST.value)) for d in a["week"]]


def rest_days(a: Answers) -> list[int]:
    """The weekdays of the answered week that are full rest days."""
    return [i for i, kind in enumerate(_kinds(a)) if kind is DayKind.REST]


def has_free_day(a: Answers) -> bool:
    """Whether some day of the week has no run and is not a full rest day (off, cross...)."""
    return any(not kind.is_run and kind is not DayKind.REST for kind in _kinds(a))


def needs_free_days(a: Answers) -> bool:
    """Whether to ask for free days: strength on days without a run is preferred, the week
    has rest days but no free one, and the question has not been answered."""
    return (
        FREE_DAYS not in a
        and a.get("placement") == PlacementPreference.OFF_DAYS.value
        and "week" in a
        and not has_free_day(a)
        and bool(rest_days(a))
    )


def no_free_day(a: Answers) -> bool:
    """Whether the runner kept every rest day though they prefer days without a run: what
    /settings says instead of "your strength days stay the same"."""
    return (
        a.get("placement") == PlacementPreference.OFF_DAYS.value
        and "week" in a
        and not has_free_day(a)
    )


def _names(days: list[int]) -> str:
    names = [WEEKDAY_NAMES[i] for i in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def ask_free_days(a: Answers, c: Context) -> Prompt:
    days = rest_days(a)
    buttons = [
        Button(("✅ " if str(i) in c.pending else "") + WEEKDAY_NAMES[i][:3], str(i)) for i in days
    ]
    text = texts.ASK_FREE_DAYS.format(days=", ".join(WEEKDAY_NAMES[i][:3] for i in days))
    return Prompt(
        text, (*rows(buttons, 4), (Button("Keep them all as rest", KEEP), Button("Done", DONE)))
    )


def _day_of(word: str) -> list[int] | str | None:
    """The weekdays a word names, or the day it may be a typo of ("wendsday": "wednesday"),
    or None."""
    if word in ("weekend", "weekends"):
        return [5, 6]
    day = parse_weekday(word)
    if day is not None:
        return [int(day)]
    found = guess(word, DAY_NAMES, min_length=4)
    if found is not None:
        return [DAY_NAMES.index(found.word)] if found.sure else found.word
    return None


def read_days(raw: str) -> list[int]:
    """The weekdays a typed answer names ("thursday and saturday", "sat", "Satrday");
    raises Invalid when a word is not a day, offering the answer with a close day's name
    ("wendsday and sun": "Did you mean Wednesday?"; "yes" takes it)."""
    days: list[int] = []
    words = [w for w in re.split(r"[\s,;/&+]+", norm(raw)) if w and w not in FILLERS]
    for word in words:
        found = _day_of(word)
        if isinstance(found, str):
            fixed = " ".join(found if w == word else w for w in words)
            raise Invalid(texts.FREE_DAY_DID_YOU_MEAN.format(day=found.title()), suggest=fixed)
        if found is None:
            raise Invalid(texts.HINT_FREE_DAYS)
        days += [d for d in found if d not in days]
    if not days:
        raise Invalid(texts.HINT_FREE_DAYS)
    return days


def _kept(a: Answers) -> Accepted:
    return Accepted({**a, FREE_DAYS: []}, "Keep them all as rest", note=texts.KEPT_AS_REST)


def accept_free_days(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    rest = rest_days(a)
    pending = list(c.pending)
    if pressed and raw.isdecimal() and int(raw) in rest:
        if raw in pending:
            pending.remove(raw)
        else:
            pending.append(raw)
        return Accepted(a, "", stay=True, pending=tuple(pending))
    if not pressed and c.suggested is not None and yes_no(raw) is True:
        raw = c.suggested  # "Did you mean Wednesday?" "yes"
    said = norm(raw)
    if (pressed and raw == KEEP) or said in KEEP_WORDS:
        return _kept(a)
    if (pressed and raw == DONE) or said == DONE:
        chosen = sorted(int(p) for p in pending)
        if not chosen:
            return _kept(a)
    else:
        chosen = sorted(read_days(raw))
        busy = [d for d in chosen if d not in rest]
        if busy:
            raise Invalid(
                texts.NOT_A_REST_DAY.format(day=WEEKDAY_NAMES[busy[0]], days=_names(rest))
            )
    week = [
        {**d, "kind": DayKind.OFF.value} if i in chosen else d for i, d in enumerate(a["week"])
    ]
    names = ", ".join(WEEKDAY_NAMES[i] for i in chosen)
    return Accepted(
        {**a, "week": week, FREE_DAYS: chosen},
        f"Free for strength: {names}",
        note=texts.MADE_FREE.format(days=names),
    )


def _show_free_days(a: Answers) -> str:
    days = a.get(FREE_DAYS) or []
    return ", ".join(WEEKDAY_NAMES[i] for i in days) or "kept as rest"


PLACEMENT_QUESTIONS: dict[str, Question] = {
    FREE_DAYS: Question(FREE_DAYS, "Free days", ask_free_days, accept_free_days, _show_free_days)
}
