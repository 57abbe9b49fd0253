"""What a dialog's question is: a prompt to show, and a reading of the answer.

A dialog's answers are a JSON dict keyed by question; the engine (`bot.dialog.engine`) works
out the next question from what is missing, so a dialog can be resumed after a restart,
edited one answer at a time, and never asks twice for what it already has.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
    """An answer we can't use; the message is the hint the runner sees."""


@dataclass(frozen=True)
class Accepted:
    """An answer read: the new answers, and how it reads back under the question."""

    answers: Answers
    echo: str  # the answer as understood, shown under the question
    # A multi-select's toggle keeps the same question open, with these ticks so far.
    stay: bool = False
    pending: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """What a question sees besides the answers."""

    today: dt.date
    pending: tuple[str, ...] = ()  # a multi-select's ticks so far


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


def short(text: str, limit: int = 200) -> str:
    """Text quoted back in a hint, cut to `limit` characters."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
