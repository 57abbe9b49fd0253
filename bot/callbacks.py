"""Every button's callback data, one small codec per kind: `encode()` builds the data a button
carries, `parse(data)` reads it back as a typed value (None when it is not one), `pattern` is
what the kind's `CallbackQueryHandler` matches.

The strings are the protocol with buttons already on runners' screens: they stay exactly as
they are (`q:goal:5k`, `t:z30:2026-11-27`, ...). Telegram allows 64 bytes of data.

| kind | data | handled in |
|---|---|---|
| `DialogAnswer` | `q:<step>:<value>` | `bot/handlers/setup.py` |
| `TodayPress` | `t:<action, or feel: easy, right, hard>:<date>` | `bot/handlers/today.py` |
| `ChangePress` | `c:<done, skipped or keep>:<date>` | `bot/handlers/today.py` |
| `PlanDayPress` | `d:<date>` | `bot/handlers/today.py` |
| `FollowupPress` | `f:<score, seen or new>:<date asked>` | `bot/handlers/pain.py` |
| `ReminderSetting` | `m:<delay, morning, toggle>:<value>` | `bot/handlers/reminder_settings.py` |
| `PausePress` | `p:<days or open>` | `bot/handlers/pause.py` |
| `DeletePress` | `x:<erase or keep>` | `bot/handlers/data.py` |
| `MovePress` | `mv:<date>` (offer days), `mv:<date>:<new date>` | `bot/handlers/moves.py` |
| `ThisWeekPress` | `tw:change` | `bot/handlers/thisweek.py` |
| `PicturePress` | `pic:<the week's Monday>` | `bot/handlers/progress.py` |

Coach mode's kinds (`ci:`, `ro:`, `sh:`, `ss:`) are in `bot/coach_callbacks.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from core.pain import Seen

NEW = "new"  # the check-in button that starts a new pain check


def prefix(kind: str) -> re.Pattern[str]:
    """What a kind's `CallbackQueryHandler` matches: its data's prefix."""
    return re.compile(f"^{kind}:")


@dataclass(frozen=True)
class DialogAnswer:
    """A button of the dialog's question: the step it answers and the value it gives."""

    step: str
    value: str
    pattern: ClassVar[re.Pattern[str]] = prefix("q")

    def encode(self) -> str:
        return f"q:{self.step}:{self.value}"

    @classmethod
    def parse(cls, data: str) -> DialogAnswer | None:
        if not cls.pattern.match(data):
            return None
        step, _, value = data[2:].partition(":")  # a value may hold ":" ("06:00")
        return cls(step, value)


class TodayAction(StrEnum):
    """What a button under a day's session (in /today or a reminder) does."""

    DONE = "done"
    SKIP = "skip"
    SNOOZE = "snooze"  # offers the three snooze times below
    SNOOZE_30 = "z30"
    SNOOZE_2H = "z120"
    SNOOZE_EVENING = "zeve"
    NO_PAIN = "ok"  # the morning check-in's "no pain"
    PAIN = "pain"
    CARRY_ON = "carryon"  # "no" to "shall we do the pain check?"
    # "How did it feel?" after Done (the values are core.progression.Feel's, shortened)
    FEEL_EASY = "easy"
    FEEL_RIGHT = "right"
    FEEL_HARD = "hard"


@dataclass(frozen=True)
class TodayPress:
    """A button about one day: log its session, snooze its reminder, or pain."""

    action: TodayAction
    day: dt.date
    pattern: ClassVar[re.Pattern[str]] = prefix("t")

    def encode(self) -> str:
        return f"t:{self.action.value}:{self.day.isoformat()}"

    @classmethod
    def parse(cls, data: str) -> TodayPress | None:
        if not cls.pattern.match(data):
            return None
        action, _, day = data[2:].partition(":")
        try:
            return cls(TodayAction(action), dt.date.fromisoformat(day))
        except ValueError:
            return None


class Change(StrEnum):
    """The answer to "change what you recorded?": the new status, or keep the old one."""

    DONE = "done"
    SKIPPED = "skipped"
    KEEP = "keep"


@dataclass(frozen=True)
class ChangePress:
    """A button of the question asked before a recorded session's status changes."""

    change: Change
    day: dt.date
    pattern: ClassVar[re.Pattern[str]] = prefix("c")

    def encode(self) -> str:
        return f"c:{self.change.value}:{self.day.isoformat()}"

    @classmethod
    def parse(cls, data: str) -> ChangePress | None:
        if not cls.pattern.match(data):
            return None
        change, _, day = data[2:].partition(":")
        try:
            return cls(Change(change), dt.date.fromisoformat(day))
        except ValueError:
            return None


@dataclass(frozen=True)
class PlanDayPress:
    """A button under /plan's week overview: show that day's session in full."""

    day: dt.date
    pattern: ClassVar[re.Pattern[str]] = prefix("d")

    def encode(self) -> str:
        return f"d:{self.day.isoformat()}"

    @classmethod
    def parse(cls, data: str) -> PlanDayPress | None:
        if not cls.pattern.match(data):
            return None
        try:
            return cls(dt.date.fromisoformat(data[2:]))
        except ValueError:
            return None


@dataclass(frozen=True)
class FollowupPress:
    """A button of the morning check-in: a score, whether they have been seen, or new
    symptoms; `asked` is the day it asked about (each check-in counts once)."""

    token: str
    asked: str
    pattern: ClassVar[re.Pattern[str]] = prefix("f")

    @classmethod
    def of_score(cls, score: int, day: dt.date) -> FollowupPress:
        return cls(str(score), day.isoformat())

    @classmethod
    def of_seen(cls, seen: Seen, day: dt.date) -> FollowupPress:
        return cls(seen.value, day.isoformat())

    @classmethod
    def of_new(cls, day: dt.date) -> FollowupPress:
        return cls(NEW, day.isoformat())

    def encode(self) -> str:
        return f"f:{self.token}:{self.asked}"

    @classmethod
    def parse(cls, data: str) -> FollowupPress | None:
        if not cls.pattern.match(data):
            return None
        token, _, asked = data[2:].partition(":")
        return cls(token, asked)

    @property
    def new(self) -> bool:
        return self.token == NEW

    @property
    def score(self) -> int | None:
        """The score pressed (0-10), if this is a score."""
        if self.token.isdecimal() and 0 <= int(self.token) <= 10:
            return int(self.token)
        return None

    @property
    def seen(self) -> Seen | None:
        """The answer to "have you been seen?", if this is one."""
        return Seen(self.token) if self.token in {s.value for s in Seen} else None


class Setting(StrEnum):
    """What a /reminders button changes."""

    DELAY = "delay"  # minutes after the run ends
    MORNING = "morning"  # the morning message's time, HH:MM
    TOGGLE = "toggle"  # a kind of reminder on or off


@dataclass(frozen=True)
class ReminderSetting:
    """A button of /reminders."""

    setting: Setting
    value: str
    pattern: ClassVar[re.Pattern[str]] = prefix("m")

    def encode(self) -> str:
        return f"m:{self.setting.value}:{self.value}"

    @classmethod
    def parse(cls, data: str) -> ReminderSetting | None:
        if not cls.pattern.match(data):
            return None
        what, _, value = data[2:].partition(":")
        if what == Setting.DELAY and value.isdecimal():
            return cls(Setting.DELAY, value)
        if what == Setting.MORNING and re.fullmatch(r"\d\d:\d\d", value):
            return cls(Setting.MORNING, value)
        if what == Setting.TOGGLE:
            return cls(Setting.TOGGLE, value)  # the handler knows which kinds toggle
        return None

    @property
    def minutes(self) -> int:
        return int(self.value)


OPEN = "open"
ILL = "ill"


@dataclass(frozen=True)
class PausePress:
    """A button of /pause: a number of days, None for "until I say /resume", or `ill`
    ("I'm ill": the illness's pause, which asks how long)."""

    days: int | None
    ill: bool = False
    pattern: ClassVar[re.Pattern[str]] = prefix("p")

    def encode(self) -> str:
        if self.ill:
            return f"p:{ILL}"
        return f"p:{OPEN if self.days is None else self.days}"

    @classmethod
    def parse(cls, data: str) -> PausePress | None:
        if not cls.pattern.match(data):
            return None
        rest = data[2:]
        if rest == ILL:
            return cls(None, ill=True)
        # As it always has, anything but a number of days pauses until /resume.
        return cls(int(rest) if rest.isdecimal() else None)


class DeleteChoice(StrEnum):
    ERASE = "erase"
    KEEP = "keep"


@dataclass(frozen=True)
class DeletePress:
    """A button of /delete's confirmation."""

    choice: DeleteChoice
    pattern: ClassVar[re.Pattern[str]] = prefix("x")

    def encode(self) -> str:
        return f"x:{self.choice.value}"

    @classmethod
    def parse(cls, data: str) -> DeletePress | None:
        if not cls.pattern.match(data):
            return None
        try:
            return cls(DeleteChoice(data[2:]))
        except ValueError:
            return None


@dataclass(frozen=True)
class MovePress:
    """Move this week's session on `day`: without `to`, offer the days it could move to;
    with `to`, move it there (this week only)."""

    day: dt.date
    to: dt.date | None = None
    pattern: ClassVar[re.Pattern[str]] = prefix("mv")

    def encode(self) -> str:
        if self.to is None:
            return f"mv:{self.day.isoformat()}"
        return f"mv:{self.day.isoformat()}:{self.to.isoformat()}"

    @classmethod
    def parse(cls, data: str) -> MovePress | None:
        if not cls.pattern.match(data):
            return None
        day, _, to = data[3:].partition(":")
        try:
            return cls(dt.date.fromisoformat(day), dt.date.fromisoformat(to) if to else None)
        except ValueError:
            return None


@dataclass(frozen=True)
class ThisWeekPress:
    """/plan's "Change this week": asks what is different about this week's runs."""

    pattern: ClassVar[re.Pattern[str]] = prefix("tw")

    def encode(self) -> str:
        return "tw:change"

    @classmethod
    def parse(cls, data: str) -> ThisWeekPress | None:
        return cls() if data == "tw:change" else None


@dataclass(frozen=True)
class PicturePress:
    """/plan's (and /week's) "Picture": that week as an image (docs/pictures.md)."""

    week: dt.date  # the week's Monday
    pattern: ClassVar[re.Pattern[str]] = prefix("pic")

    def encode(self) -> str:
        return f"pic:{self.week.isoformat()}"

    @classmethod
    def parse(cls, data: str) -> PicturePress | None:
        if not cls.pattern.match(data):
            return None
        try:
            day = dt.date.fromisoformat(data[4:])
        except ValueError:
            return None
        return cls(day - dt.timedelta(days=day.weekday()))
