"""The Bot API methods the stand-in answers, each as Telegram would, from `StandInState`."""

from __future__ import annotations

import asyncio
import json
import struct
from collections.abc import Callable
from typing import Any

from bot.standin.api import (
    JSON,
    MAX_CALLBACK_DATA,
    MAX_TEXT,
    ApiError,
    UploadedFile,
    parse_html,
)
from bot.standin.state import StandInState

MENU_BUTTON_TYPES = frozenset({"default", "commands", "web_app"})


def _check_web_app(web_app: Any) -> None:
    """A WebAppInfo as Telegram takes it: an https URL (Telegram refuses http, even to
    localhost, outside its test servers; so does the stand-in)."""
    url = web_app.get("url") if isinstance(web_app, dict) else None
    if not isinstance(url, str) or not url.startswith("https://") or len(url) <= len("https://"):
        raise ApiError(400, "Bad Request: BUTTON_URL_INVALID: only HTTPS links are allowed")


MAX_CAPTION = 1024
PHOTO_SIDES = (90, 320, 800, 1280)  # the widths of the sizes Telegram makes of a photo
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int] | None:
    """A PNG's width and height from its header (None: not a PNG)."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return (width, height) if width and height else None


class BotApiMethods(StandInState):
    """sendMessage, editMessageText, getUpdates...: one method each, on the state."""

    def _bot_api_methods(self) -> dict[str, Callable[[JSON], Any]]:
        """Each Bot API method answered here, by its lower-case name (getUpdates aside)."""
        return {
            "getme": lambda _p: self.bot_user,
            "sendmessage": self._send_message,
            "senddocument": self._send_document,
            "sendphoto": self._send_photo,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendchataction": lambda _p: True,
            "close": lambda _p: True,
            "logout": lambda _p: True,
        }

    def _render(self, params: JSON, text_key: str, entities_key: str) -> tuple[str, list[JSON]]:
        text = str(params.get(text_key, ""))
        entities: list[JSON] = list(params.get(entities_key) or [])
        if self.parse_html and str(params.get("parse_mode", "")).upper() == "HTML":
            text, entities = parse_html(text)
        return text, entities

    def _check_markup(self, markup: Any, chat_id: int) -> None:
        if not isinstance(markup, dict):
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and len(str(data).encode()) > MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if "web_app" in button:
                    # Telegram: Mini App buttons only in a private chat with the bot.
                    if self._chat(chat_id)["type"] != "private":
                        raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
                    _check_web_app(button["web_app"])

    def _set_chat_menu_button(self, params: JSON) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in MENU_BUTTON_TYPES:
            raise ApiError(400, "Bad Request: can't parse menu button")
        if button["type"] == "web_app":
            if not str(button.get("text", "")).strip():
                raise ApiError(400, "Bad Request: menu button text is empty")
            _check_web_app(button.get("web_app"))
        chat_id = self._chat_id(params)
        if chat_id is None:
            self.menu_button = button
        else:
            self.menu_buttons[chat_id] = button
        return True

    def _get_chat_menu_button(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        if chat_id is not None and chat_id in self.menu_buttons:
            return self.menu_buttons[chat_id]
        return self.menu_button

    def _store(self, chat_id: int, message: JSON) -> JSON:
        if self.keep_transcript:
            self.chats.setdefault(chat_id, []).append(message)
            self._messages[(chat_id, message["message_id"])] = message
        self._emit("sent", message)
        return message

    def _new_message(self, chat_id: int, params: JSON) -> JSON:
        message: JSON = {
            "message_id": self._new_message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(self.now()),
        }
        markup = params.get("reply_markup")
        self._check_markup(markup, chat_id)
        if markup is not None:
            message["reply_markup"] = markup
        return message

    def _find(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        message = self._messages.get((chat_id or 0, int(params.get("message_id", 0))))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    # --- internals: Bot API methods ----------------------------------------------------------

    def _send_message(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        text, entities = self._render(params, "text", "entities")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        message = self._new_message(chat_id, params)
        message["text"] = text
        if entities:
            message["entities"] = entities
        return self._store(chat_id, message)

    def _send_document(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        document = params.get("document")
        if isinstance(document, UploadedFile):
            upload = document
        elif isinstance(document, str) and document:
            upload = UploadedFile(document.rsplit("/", 1)[-1], b"", "")
        else:
            raise ApiError(400, "Bad Request: there is no document in the request")
        message = self._new_message(chat_id, params)
        file_number = len(self.documents) + 1
        message["document"] = {
            "file_id": f"DOC{file_number}",
            "file_unique_id": f"UDOC{file_number}",
            "file_name": upload.filename,
            "mime_type": upload.mime_type,
            "file_size": len(upload.data),
        }
        caption, entities = self._render(params, "caption", "caption_entities")
        if caption:
            message["caption"] = caption
        if entities:
            message["caption_entities"] = entities
        self.documents.append(
            {
                "chat_id": chat_id,
                "message_id": message["message_id"],
                "filename": upload.filename,
                "data": upload.data,
                "mime_type": upload.mime_type,
                "caption": caption,
            }
        )
        return self._store(chat_id, message)

    def _send_photo(self, params: JSON) -> JSON:
        """As Telegram does: the upload decoded (a PNG here), the Message's `photo` the
        sizes Telegram keeps (thumbnails up to the original), the caption within 1,024."""
        chat_id = self._chat_id(params)
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        photo = params.get("photo")
        if not isinstance(photo, UploadedFile):
            raise ApiError(400, "Bad Request: there is no photo in the request")
        size = png_size(photo.data)
        if size is None:
            raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        caption, entities = self._render(params, "caption", "caption_entities")
        if len(caption) > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        message = self._new_message(chat_id, params)
        number = len(self.photos) + 1
        width, height = size
        sides = sorted({min(width, side) for side in PHOTO_SIDES} | {width})
        message["photo"] = [
            {
                "file_id": f"PHOTO{number}_{side}",
                "file_unique_id": f"UPHOTO{number}_{side}",
                "width": side,
                "height": max(1, round(height * side / width)),
                **({"file_size": len(photo.data)} if side == width else {}),
            }
            for side in sides
        ]
        if caption:
            message["caption"] = caption
        if entities:
            message["caption_entities"] = entities
        self.photos.append(
            {
                "chat_id": chat_id,
                "message_id": message["message_id"],
                "filename": photo.filename,
                "data": photo.data,
                "caption": caption,
                "width": width,
                "height": height,
            }
        )
        return self._store(chat_id, message)

    def _edit(self, params: JSON, changes: JSON) -> JSON | bool:
        if params.get("inline_message_id"):
            return True
        message = self._find(params)
        markup = params.get("reply_markup")
        self._check_markup(markup, message["chat"]["id"])
        # Telegram drops an inline keyboard that an edit does not repeat.
        changes["reply_markup"] = markup
        if all(message.get(key) == value for key, value in changes.items()):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        for key, value in changes.items():
            if value is None or value == []:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = int(self.now())
        self._emit("edited", message)
        return message

    def _edit_message_text(self, params: JSON) -> JSON | bool:
        text, entities = self._render(params, "text", "entities")
        if not text.strip():
            raise ApiError(400, "Bad Request: text must be non-empty")
        if len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return self._edit(params, {"text": text, "entities": entities or None})

    def _edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        return self._edit(params, {})

    def _delete_message(self, params: JSON) -> bool:
        chat_id = self._chat_id(params) or 0
        message = self._messages.pop((chat_id, int(params.get("message_id", 0))), None)
        if message is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        self.chats[chat_id].remove(message)
        self._emit("deleted", message)
        return True

    def _answer_callback_query(self, params: JSON) -> bool:
        self.answered_callbacks[str(params.get("callback_query_id"))] = params
        return True

    @staticmethod
    def _commands_key(params: JSON) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code", "")], sort_keys=True)

    def _set_my_commands(self, params: JSON) -> bool:
        self.commands[self._commands_key(params)] = list(params.get("commands", []))
        return True

    def _get_my_commands(self, params: JSON) -> list[JSON]:
        return self.commands.get(self._commands_key(params), [])

    def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _set_webhook(self, params: JSON) -> bool:
        self.webhook_url = str(params.get("url", ""))
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _delete_webhook(self, params: JSON) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, _params: JSON) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset", 0))
        limit = int(params.get("limit", 100))
        updates = self._updates
        if offset > 0:
            # Telegram forgets every update below the offset: they are confirmed.
            while updates and updates[0]["update_id"] < offset:
                updates.popleft()
        elif offset < 0:
            while len(updates) > -offset:
                updates.popleft()
        timeout = float(params.get("timeout", 0) or 0)
        if not updates and timeout > 0:
            # Long polling: wake as soon as something is queued, like Telegram does.
            waiter = asyncio.Event()
            self._waiters.add(waiter)
            try:
                await asyncio.wait_for(waiter.wait(), timeout)
            except TimeoutError:
                pass
            finally:
                self._waiters.discard(waiter)
        return [updates[i] for i in range(min(limit, len(updates)))]
