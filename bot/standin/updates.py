"""Incoming updates built as Telegram would send them: a runner's message, a shared
location, a button press.

Also the queue that `getUpdates` serves (polling).
"""

from __future__ import annotations

import itertools
import time
from typing import Literal

from telegram import Bot, Update
from telegram.ext import ExtBot

from bot.standin.api import JSON, utf16_len
from bot.standin.state import StandInState

_UPDATE_IDS = itertools.count(int(time.time() * 1000) % 10**9)


class UpdateBuilders(StandInState):
    """The runner's side of the chat: messages and button presses, and the polling queue."""

    def text_update(
        self,
        chat_id: int,
        text: str,
        user_id: int | None = None,
        first_name: str = "Runner",
        *,
        chat_type: Literal["private", "group", "supergroup"] = "private",
        bot: Bot | None = None,
    ) -> Update:
        """A runner's text message (a command if it starts with "/"), bound to the bot."""
        return self._to_update(
            self.text_update_data(chat_id, text, user_id, first_name, chat_type=chat_type), bot
        )

    def text_update_data(
        self,
        chat_id: int,
        text: str,
        user_id: int | None = None,
        first_name: str = "Runner",
        *,
        chat_type: Literal["private", "group", "supergroup"] = "private",
    ) -> JSON:
        """The Bot API JSON of a runner's text message, e.g. for `queue_update`."""
        chat = self._remember_chat(chat_id, chat_type, first_name)
        message: JSON = {
            "message_id": self._new_message_id(chat_id),
            "date": int(self.now()),
            "chat": chat,
            "from": self._user(chat_id, user_id, first_name, chat_type),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        return {"update_id": self._new_update_id(), "message": message}

    def location_update(
        self,
        chat_id: int,
        latitude: float,
        longitude: float,
        user_id: int | None = None,
        first_name: str = "Runner",
        *,
        bot: Bot | None = None,
    ) -> Update:
        """A runner shares a location (the paperclip's Location), bound to the bot."""
        return self._to_update(
            self.location_update_data(chat_id, latitude, longitude, user_id, first_name), bot
        )

    def location_update_data(
        self,
        chat_id: int,
        latitude: float,
        longitude: float,
        user_id: int | None = None,
        first_name: str = "Runner",
    ) -> JSON:
        """The Bot API JSON of a shared location, as Telegram sends it (a private chat)."""
        chat = self._remember_chat(chat_id, "private", first_name)
        message: JSON = {
            "message_id": self._new_message_id(chat_id),
            "date": int(self.now()),
            "chat": chat,
            "from": self._user(chat_id, user_id, first_name, "private"),
            "location": {"latitude": latitude, "longitude": longitude},
        }
        return {"update_id": self._new_update_id(), "message": message}

    def press(
        self,
        chat_id: int,
        message_id: int,
        callback_data: str,
        user_id: int | None = None,
        *,
        first_name: str = "Runner",
        bot: Bot | None = None,
    ) -> Update:
        """The runner taps an inline button with `callback_data` on the bot's message."""
        return self._to_update(
            self.press_data(chat_id, message_id, callback_data, user_id, first_name=first_name),
            bot,
        )

    def press_data(
        self,
        chat_id: int,
        message_id: int,
        callback_data: str,
        user_id: int | None = None,
        *,
        first_name: str = "Runner",
    ) -> JSON:
        """The Bot API JSON of a button tap; ValueError if no such button is on the message."""
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise LookupError(f"the bot has no message {message_id} in chat {chat_id}")
        if not any(data == callback_data for row in self.buttons(message) for _, data in row):
            raise ValueError(
                f"message {message_id} has no button with callback_data {callback_data!r}; "
                f"it has {self.buttons(message)}"
            )
        query_id = str(self._next_query_id)
        self._next_query_id += 1
        chat_type = message["chat"]["type"]
        return {
            "update_id": self._new_update_id(),
            "callback_query": {
                "id": query_id,
                "from": self._user(chat_id, user_id, first_name, chat_type),
                "chat_instance": str(chat_id),
                "data": callback_data,
                "message": message,
            },
        }

    def tap(
        self,
        chat_id: int,
        button_text: str,
        user_id: int | None = None,
        *,
        bot: Bot | None = None,
    ) -> Update:
        """Press the button labelled `button_text` on the newest bot message that shows it."""
        for message in reversed(self.chats.get(chat_id, [])):
            for row in self.buttons(message):
                for text, data in row:
                    if text == button_text and data is not None:
                        return self.press(chat_id, message["message_id"], data, user_id, bot=bot)
        raise LookupError(f"no button {button_text!r} in chat {chat_id}")

    def queue_update(self, update: Update | JSON) -> None:
        """Queue an update for getUpdates (polling); an update_id is assigned if missing."""
        data = update.to_dict() if isinstance(update, Update) else dict(update)
        if "update_id" not in data:
            data["update_id"] = self._new_update_id()
        self._updates.append(data)
        for waiter in self._waiters:
            waiter.set()

    # --- internals ---------------------------------------------------------------------------

    def _to_update(self, data: JSON, bot: Bot | None) -> Update:
        bot = bot or self.bot
        if bot is None:
            raise RuntimeError("call standin.bind(app) (or pass bot=) before building updates")
        update = Update.de_json(data, bot)
        # Polling does this inside ExtBot.get_updates; process_update does not.
        if isinstance(bot, ExtBot) and bot.callback_data_cache is not None:
            bot.insert_callback_data(update)
        return update

    def _new_update_id(self) -> int:
        # Telegram never reuses an update_id for a bot; nor do two stand-ins of one process
        # (a test that restarts the bot on the same database gets new ids, as it would).
        return next(_UPDATE_IDS)

    @staticmethod
    def _user(chat_id: int, user_id: int | None, first_name: str, chat_type: str) -> JSON:
        if user_id is None:
            user_id = chat_id if chat_type == "private" else 1
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}
