"""Coach mode's button codecs (docs/coaching_mode.md), made as `bot/callbacks.py`'s are:
`encode()`, `parse(data)`, `pattern`. The strings are on screens already and never change.

| kind | data | handled in |
|---|---|---|
| `InvitePress` | `ci:<new, withdraw, digest-on or digest-off>` | `bot/handlers/coach.py` |
| `RosterPress` | `ro:<p, d or g>:<page or runner id>` | `bot/handlers/coach.py` |
| `SharePress` | `sh:<yes or no>:<invite id>` | `bot/handlers/sharing.py` |
| `StopPress` | `ss:<coach's runner id>` | `bot/handlers/sharing.py` |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from bot.callbacks import prefix


@dataclass(frozen=True)
class InvitePress:
    """Under /coach: another link, withdraw every open one, or turn the Monday digest on or
    off: `ci:<new, withdraw, digest-on or digest-off>`."""

    action: str
    pattern: ClassVar[re.Pattern[str]] = prefix("ci")

    def encode(self) -> str:
        return f"ci:{self.action}"

    @classmethod
    def parse(cls, data: str) -> InvitePress | None:
        match = re.fullmatch(r"ci:(new|withdraw|digest-on|digest-off)", data)
        return None if match is None else cls(match[1])


@dataclass(frozen=True)
class RosterPress:
    """A roster page (`ro:p:<page>`), a runner's detail (`ro:d:<runner id>`), or a page as a
    picture (`ro:g:<page>`)."""

    what: str  # "p", "d" or "g"
    value: int
    pattern: ClassVar[re.Pattern[str]] = prefix("ro")

    def encode(self) -> str:
        return f"ro:{self.what}:{self.value}"

    @classmethod
    def parse(cls, data: str) -> RosterPress | None:
        match = re.fullmatch(r"ro:([pdg]):(\d{1,12})", data)
        return None if match is None else cls(match[1], int(match[2]))


@dataclass(frozen=True)
class SharePress:
    """Share or No thanks under an invite's consent: `sh:<yes or no>:<invite id>`."""

    share: bool
    invite_id: int
    pattern: ClassVar[re.Pattern[str]] = prefix("sh")

    def encode(self) -> str:
        return f"sh:{'yes' if self.share else 'no'}:{self.invite_id}"

    @classmethod
    def parse(cls, data: str) -> SharePress | None:
        match = re.fullmatch(r"sh:(yes|no):(\d{1,12})", data)
        return None if match is None else cls(match[1] == "yes", int(match[2]))


@dataclass(frozen=True)
class StopPress:
    """Stop sharing with a coach: `ss:<coach's runner id>`."""

    coach_id: int
    pattern: ClassVar[re.Pattern[str]] = prefix("ss")

    def encode(self) -> str:
        return f"ss:{self.coach_id}"

    @classmethod
    def parse(cls, data: str) -> StopPress | None:
        match = re.fullmatch(r"ss:(\d{1,12})", data)
        return None if match is None else cls(int(match[1]))
