"""The stand-in's memory: the chats as the runner sees them, the calls, and what tests inspect.

`StandInState` is the base of `BotApiStandIn`: the Bot API methods (`methods.py`) change this
state, the update builders (`updates.py`) read it, and tests look at it through the
inspection methods below.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any

from telegram import Bot
from telegram.ext import Application

from bot.standin.api import JSON, ApiError

Listener = Callable[[str, JSON], None]


class StandInState:
    """Chats, messages, uploads, commands and queued updates, as Telegram would hold them."""

    def __init__(
        self,
        *,
        bot_id: int,
        username: str,
        first_name: str,
        now: Callable[[], float],
        keep_transcript: bool,
        parse_html: bool,
    ) -> None:
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.now = now
        self.keep_transcript = keep_transcript
        self.parse_html = parse_html
        self.calls: list[tuple[str, JSON]] = []
        self.chats: dict[int, list[JSON]] = {}
        self.documents: list[JSON] = []
        self.photos: list[JSON] = []  # sendPhoto: the bytes, caption and size of each
        self.commands: dict[str, list[JSON]] = {}
        self.answered_callbacks: dict[str, JSON] = {}
        self.webhook_url: str = ""
        # setChatMenuButton: the default for every chat, and per chat.
        self.menu_button: JSON = {"type": "default"}
        self.menu_buttons: dict[int, JSON] = {}
        self.bot: Bot | None = None
        self._messages: dict[tuple[int, int], JSON] = {}
        self._chat_info: dict[int, JSON] = {}
        self._next_message_id: dict[int, int] = {}
        self._next_query_id = 1
        self._updates: deque[JSON] = deque()
        self._waiters: set[asyncio.Event] = set()
        self._listeners: list[Listener] = []

    # --- setup and inspection ----------------------------------------------------------------

    def bind(self, target: Bot | Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Bind incoming updates built here to this bot (or the application's bot)."""
        self.bot = target.bot if isinstance(target, Application) else target

    def add_listener(self, listener: Listener) -> None:
        """Call `listener(event, message)` on "sent", "edited" and "deleted" (terminal chat)."""
        self._listeners.append(listener)

    def sent_to(self, chat_id: int) -> list[JSON]:
        """The bot's messages in this chat as the runner sees them now (edits applied)."""
        return list(self.chats.get(chat_id, ()))

    def last_message(self, chat_id: int) -> JSON:
        """The bot's newest message in this chat; LookupError if it sent none."""
        messages = self.chats.get(chat_id)
        if not messages:
            raise LookupError(f"the bot sent nothing to chat {chat_id}")
        return messages[-1]

    @staticmethod
    def buttons(message: JSON) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard rows as (text, callback_data); URL and Mini App buttons have None
        as data (`web_apps` gives a Mini App button's URL)."""
        markup = message.get("reply_markup") or {}
        return [
            [(button["text"], button.get("callback_data")) for button in row]
            for row in markup.get("inline_keyboard", [])
        ]

    @staticmethod
    def web_apps(message: JSON) -> dict[str, str]:
        """The Mini App buttons under a message: label to URL."""
        markup = message.get("reply_markup") or {}
        return {
            button["text"]: button["web_app"]["url"]
            for row in markup.get("inline_keyboard", [])
            for button in row
            if "web_app" in button
        }

    @property
    def queued_updates(self) -> list[JSON]:
        """Updates waiting for getUpdates: queued and not yet confirmed by an offset."""
        return list(self._updates)

    def calls_to(self, method: str) -> list[JSON]:
        """Parameters of every recorded call to one Bot API method."""
        return [params for name, params in self.calls if name == method]

    def clear(self) -> None:
        """Forget recorded calls, transcripts and uploads (keeps ids increasing)."""
        self.calls.clear()
        self.chats.clear()
        self._messages.clear()
        self.documents.clear()
        self.photos.clear()
        self.answered_callbacks.clear()

    # --- internals: chats and messages -----------------------------------------------------

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _remember_chat(self, chat_id: int, chat_type: str, name: str) -> JSON:
        chat = self._chat_info.get(chat_id)
        if chat is None or chat["type"] != chat_type:
            if chat_type == "private":
                chat = {"id": chat_id, "type": "private", "first_name": name}
            else:
                chat = {"id": chat_id, "type": chat_type, "title": "Runners"}
            self._chat_info[chat_id] = chat
        return chat

    def _chat(self, chat_id: int) -> JSON:
        chat = self._chat_info.get(chat_id)
        if chat is not None:
            return chat
        if chat_id > 0:
            return self._remember_chat(chat_id, "private", "Runner")
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return self._remember_chat(chat_id, kind, "Runners")

    @staticmethod
    def _chat_id(params: JSON) -> int | None:
        value = params.get("chat_id")
        if value is None:
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None

    def _emit(self, event: str, message: JSON) -> None:
        for listener in self._listeners:
            listener(event, message)
