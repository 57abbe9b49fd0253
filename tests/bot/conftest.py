"""A runner's-eye harness: the real Application and handlers behind the Bot API stand-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Update

from bot.app import build_application, shut_down, start_up
from bot.settings import Settings
from bot.standin import TOKEN, BotApiStandIn
from bot.texts import SOMETHING_WENT_WRONG

WORKED_WEEK = (
    "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00, Fri rest, Sat long 08:00, "
    "Sun easy 09:00"
)

# The whole setup typed, no buttons, with the week in one message.
SETUP_ANSWERS = (
    "/start",
    "no race",
    WORKED_WEEK,
    "2",
    "25",
    "after runs",
    "none",
    "Europe/London",
    "none",
    "yes",
)


class Clock:
    """The time the bot believes it is; tests move it instead of sleeping."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class Coach:
    """One Application on one database, and helpers to chat with it as a runner."""

    def __init__(
        self,
        db_url: str,
        clock: Clock,
        standin: BotApiStandIn | None = None,
        *,
        flood_max_updates: int = 100_000,  # tests type faster than any runner
        rate_limit_per_second: float = 0,  # Telegram's limit runs on real time: off here
        # The morning's early window (issue 19) is tested on its own (test_reminder_windows):
        # elsewhere reminders arrive at their exact minute, as the tests state them.
        morning_early_minutes: int = 0,
        **settings_kw: Any,
    ) -> None:
        self.standin = standin or BotApiStandIn()
        settings = Settings(
            database_url=db_url,
            flood_max_updates=flood_max_updates,
            rate_limit_per_second=rate_limit_per_second,
            morning_early_minutes=morning_early_minutes,
            **settings_kw,
            _env_file=None,  # type: ignore[call-arg]
        )
        self.app = build_application(settings, token=TOKEN, request=self.standin, clock=clock)
        self.standin.bind(self.app)

    async def __aenter__(self) -> Coach:
        await self.app.initialize()
        await start_up(self.app, migrate=False)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.app.shutdown()
        await shut_down(self.app)

    async def deliver(self, update: Update) -> None:
        """As Telegram would: into the inbox, handled, replies sent."""
        inbox = self.app.bot_data["runtime"].inbox
        await inbox.accept(update.to_dict())
        await inbox.idle()

    async def send(self, text: str, chat_id: int = 42, **kw: Any) -> None:
        await self.deliver(self.standin.text_update(chat_id, text, chat_id, **kw))

    async def tap(self, label: str, chat_id: int = 42) -> None:
        await self.deliver(self.standin.tap(chat_id, label, chat_id))

    def texts(self, chat_id: int = 42) -> list[str]:
        return [m.get("text", "") for m in self.standin.sent_to(chat_id)]

    def last(self, chat_id: int = 42) -> str:
        return self.texts(chat_id)[-1]

    def labels(self, chat_id: int = 42) -> list[str]:
        message = self.standin.last_message(chat_id)
        return [label for row in self.standin.buttons(message) for label, _ in row]

    async def onboard_typing(self, chat_id: int = 42, week: str = WORKED_WEEK) -> None:
        """The whole setup typed, no buttons, with the week in one message."""
        for answer in SETUP_ANSWERS:
            await self.send(week if answer == WORKED_WEEK else answer, chat_id)


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC))  # a Friday


@pytest.fixture
async def coach(db_url: str, clock: Clock) -> AsyncIterator[Coach]:
    async with Coach(db_url, clock) as c:
        yield c
    # Whatever the test did, the runner never saw the bot fail.
    for chat in c.standin.chats.values():
        for message in chat:
            assert message.get("text") != SOMETHING_WENT_WRONG, "a handler raised"
