"""What a dialog's question is: a prompt to show, and a reading of the answer.

A dialog's answers are a JSON dict keyed by question; the engine (`bot.dialog.engine`) works
out the next question from what is missing, so a dialog can be resumed after a restart,
edited one answer at a time, and never asks twice for what it already has.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.answers import Option, match_option, yes_no

Answers = dict[str, Any]


@dataclass(frozen=True)
class Button:
    """A button of a question: its label, and the answer it gives."""

    label: str
    value: str


@dataclass(frozen=True)
class Prompt:
    """A question as shown: its text and its buttons, row by row."""

    text: str
    rows: tuple[tuple[Button, ...], ...] = ()


class Invalid(Exception):
    """An answer we can't use; the message is the hint the runner sees.

    `suggest` is a value to offer ("Did you mean ...?"): the next "yes" takes it. `keep` is
    what the answer did give (a week read in part): stored, so nothing typed is lost.
    """

    def __init__(self, hint: str, *, suggest: str | None = None, keep: Answers | None = None):
        super().__init__(hint)
        self.suggest = suggest
        self.keep = keep


@dataclass(frozen=True)
class Accepted:
    """An answer read: the new answers, and how it reads back under the question."""

    answers: Answers
    echo: str  # the answer as understood, shown under the question
    # Said before the next question, typed or pressed: what was assumed, what stays.
    note: str = ""
    # A multi-select's toggle keeps the same question open, with these ticks so far.
    stay: bool = False
    pending: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """What a question sees besides the answers."""

    today: dt.date
    pending: tuple[str, ...] = ()  # a multi-select's ticks so far
    suggested: str | None = None  # the value offered last time ("Did you mean ...?")


@dataclass(frozen=True)
class Question:
    """One question: how to ask it, how to read an answer, how to show the answer."""

    key: str
    label: str  # name of the answer in the summary and the edit menu
    prompt: Callable[[Answers, Context], Prompt]
    accept: Callable[[str, bool, Answers, Context], Accepted]
    show: Callable[[Answers], str] = field(default=lambda a: "")


def rows(buttons: list[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    """Buttons laid out `per_row` to a row."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def norm(text: str) -> str:
    """An answer as compared with labels and synonyms: trimmed, lower case, single spaces."""
    return re.sub(r"\s+", " ", text.strip().lower().strip(".!"))


def choice(raw: str, options: dict[str, str], synonyms: dict[str, str], hint: str) -> str:
    """A value from a button press or a typed label/synonym (case-insensitive)."""
    said = norm(raw)
    if raw in options:
        return raw
    for value, label in options.items():
        if said in (norm(label), value.lower()):
            return value
    if said in synonyms:
        return synonyms[said]
    raise Invalid(hint)


def resolve(raw: str, pressed: bool, options: Sequence[Option], c: Context, hint: str) -> Option:
    """The option a pressed or typed answer picks: a button's value, a label, a synonym,
    yes/no, a number (in words, approximate), a label with a typo; "yes" after a "Did you
    mean ...?" takes what was offered. Raises Invalid with the hint, or with the offer."""
    by_value = {o.value: o for o in options}
    if pressed and raw in by_value:
        return by_value[raw]
    said = yes_no(raw)
    if c.suggested is not None and c.suggested in by_value:
        if said is True or norm(raw) == norm(by_value[c.suggested].label):
            return by_value[c.suggested]
        if said is False:
            raise Invalid(hint)
    found = match_option(raw, options)
    if found.option is not None:
        return found.option
    if found.suggestion is not None:
        raise Invalid(did_you_mean(found.suggestion.label), suggest=found.suggestion.value)
    raise Invalid(hint)


def did_you_mean(label: str) -> str:
    return f'Did you mean "{label}"? Say yes, or type it another way.'


def options(labels: dict[str, str], synonyms: dict[str, str] | None = None) -> list[Option]:
    """Options from button labels by value, with synonyms (synonym -> value)."""
    extra: dict[str, list[str]] = {}
    for word, value in (synonyms or {}).items():
        extra.setdefault(value, []).append(word)
    return [Option(v, label, tuple(extra.get(v, ()))) for v, label in labels.items()]


def short(text: str, limit: int = 200) -> str:
    """Text quoted back in a hint, cut to `limit` characters."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
