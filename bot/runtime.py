"""What every handler and job needs besides the update, and the one way to reach it.

This module imports only the leaf modules of `bot/` (settings, turns, flood, pace), so any
module can use it without an import cycle.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.ext import Application

from bot.flood import FloodGate
from bot.pace import Pace
from bot.sender import ReplySender
from bot.settings import Settings
from bot.turns import RunnerLocks

Clock = Callable[[], dt.datetime]
App = Application[Any, Any, Any, Any, Any, Any]
RUNTIME_KEY = "runtime"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UpdateInbox(Protocol):
    """The inbox worker (`bot.inbox.Inbox`), as the web server and polling use it."""

    async def accept(self, data: dict[str, Any]) -> None: ...

    async def accept_many(self, updates: Sequence[dict[str, Any]]) -> None: ...

    async def idle(self) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Runtime:
    """The settings, the database, the clock, the runner locks, the reply sender, the pace,
    the inbox, the dispatch lock and the flood gate of one Application."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    locks: RunnerLocks
    sender: ReplySender
    pace: Pace  # one pace for replies and reminders: the sender and the dispatcher wait on it
    inbox: UpdateInbox | None = None  # set once the Application exists
    # Held by the reminder dispatcher's pass: a tick that finds it taken leaves the pass be.
    dispatch_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_dispatch: dt.datetime | None = None  # the reminder dispatcher's last run (health)
    flood_gate: FloodGate = field(kw_only=True)  # updates per runner, in memory


class _HasBotData(Protocol):
    @property
    def bot_data(self) -> Any: ...


def runtime(holder: _HasBotData) -> Runtime:
    """The Runtime of an Application, or of the Application behind a handler's context."""
    value = holder.bot_data[RUNTIME_KEY]
    assert isinstance(value, Runtime)
    return value
