"""The illness check-in's words and buttons, for the morning reminder (bot.reminders) and
the illness handlers (bot.illness) alike."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from telegram import InlineKeyboardMarkup

from bot import keyboards

CHECKIN = "Good morning. How do you feel today?"
CHECKIN_HINT = "Tap one or type better / still ill. Nothing restarts until you're better."


@dataclass(frozen=True)
class IllPress:
    """A button of the illness check-in ("better", "still") or of "how long?" (a number of
    days, or "open")."""

    value: str
    pattern: ClassVar[re.Pattern[str]] = re.compile(r"^i:")

    def encode(self) -> str:
        return f"i:{self.value}"

    @classmethod
    def parse(cls, data: str) -> IllPress | None:
        return cls(data[2:]) if cls.pattern.match(data) else None


def checkin_keyboard() -> InlineKeyboardMarkup:
    return keyboards.markup(
        [
            [
                ("Better", IllPress("better").encode()),
                ("Still ill", IllPress("still").encode()),
            ]
        ]
    )


def length_keyboard() -> InlineKeyboardMarkup:
    return keyboards.markup(
        [
            [("2 days", IllPress("2").encode()), ("3 days", IllPress("3").encode())],
            [("A week", IllPress("7").encode()), ("Not sure", IllPress("open").encode())],
        ]
    )


def checkin_message() -> tuple[str, InlineKeyboardMarkup]:
    """The morning check-in while ill (sent by the reminder dispatcher)."""
    return f"{CHECKIN}\n{CHECKIN_HINT}", checkin_keyboard()
