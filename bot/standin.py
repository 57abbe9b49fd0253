"""In-process Bot API stand-in: a PTB request class that answers from an in-memory chat state.

The real `Application` runs on top of it unchanged, so end-to-end tests, `runcoach chat` and the
benchmarks exercise the same handlers, keyboards and error handling as production, without a
network. Faults and Telegram's rate limits are injected here, at the HTTP boundary, and come back
through `BaseRequest`'s normal path so PTB raises its own exception types.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any, Literal

import httpx
from telegram import Bot, Update
from telegram.error import NetworkError, TimedOut
from telegram.ext import Application, ExtBot
from telegram.request import BaseRequest, RequestData

__all__ = [
    "TOKEN",
    "BotApiStandIn",
    "FaultKind",
    "RateLimits",
    "UploadedFile",
]

TOKEN = "123:TEST"

JSON = dict[str, Any]
FaultKind = Literal[
    "retry_after",
    "forbidden",
    "server_error",
    "timeout_before",
    "connect_timeout",
    "timeout_after",
    "chat_migrated",
]
Listener = Callable[[str, JSON], None]

_FAULT_KINDS: frozenset[str] = frozenset(FaultKind.__args__)  # type: ignore[attr-defined]
_MAX_TEXT = 4096
_MAX_CALLBACK_DATA = 64
# Methods Telegram counts against the ~30/s total and ~1/s per chat message limits.
_RATE_LIMITED = frozenset({"sendmessage", "senddocument"})
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^>]*)?)>")
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file the bot uploaded (multipart part), as Telegram would have received it."""

    filename: str
    data: bytes
    mime_type: str


@dataclass(slots=True)
class RateLimits:
    """Telegram's send limits; sends beyond them are answered with 429 and a retry_after."""

    total_per_second: int = 30
    per_chat_per_second: int = 1
    clock: Callable[[], float] = time.monotonic
    _total: deque[float] = field(default_factory=deque, repr=False)
    _per_chat: dict[int, list[float]] = field(default_factory=dict, repr=False)

    def admit(self, chat_id: int, at: float | None = None) -> int:
        """Record a send arriving `at` (default: now) and return 0, or return the seconds to
        wait if it is over a limit. Arrivals must come in order."""
        now = self.clock() if at is None else at
        total = self._total
        while total and now - total[0] >= 1.0:
            total.popleft()
        recent = [t for t in self._per_chat.get(chat_id, ()) if now - t < 1.0]
        waits: list[float] = []
        if len(recent) >= self.per_chat_per_second:
            waits.append(recent[0] + 1.0 - now)
        if len(total) >= self.total_per_second:
            waits.append(total[0] + 1.0 - now)
        if waits:
            self._per_chat[chat_id] = recent
            return max(1, int(max(waits) + 0.999))
        recent.append(now)
        self._per_chat[chat_id] = recent
        total.append(now)
        return 0


@dataclass(slots=True)
class _Fault:
    method: str
    kind: FaultKind
    chat_id: int | None
    retry_after: int
    migrate_to_chat_id: int | None
    times: int


class _ApiError(Exception):
    """A Bot API error answer; turned into the JSON body PTB expects."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> bytes:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return json.dumps(body).encode()


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _parse_html(source: str) -> tuple[str, list[JSON]]:
    """Strip Telegram-HTML to the plain text the runner sees, plus its entities.

    Raises _ApiError like Telegram does for markup it cannot parse, e.g. an unescaped "<".
    """
    out: list[str] = []
    entities: list[JSON] = []
    open_tags: list[tuple[str, int, JSON]] = []
    offset = 0  # in UTF-16 code units, as Telegram counts entity offsets
    pos = 0
    while pos < len(source):
        lt = source.find("<", pos)
        chunk = source[pos : len(source) if lt < 0 else lt]
        text = html.unescape(chunk)
        out.append(text)
        offset += _utf16_len(text)
        if lt < 0:
            break
        match = _TAG.match(source, lt)
        if match is None:
            raise _ApiError(
                400,
                "Bad Request: can't parse entities: Unexpected character after '<' "
                f"at byte offset {len(source[:lt].encode())}",
            )
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if name not in _HTML_TAGS or (
            name == "span" and not closing and "tg-spoiler" not in attrs
        ):
            raise _ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" '
                f"at byte offset {len(source[:lt].encode())}",
            )
        if closing:
            if not open_tags or open_tags[-1][0] != name:
                raise _ApiError(
                    400,
                    "Bad Request: can't parse entities: Unmatched end tag "
                    f'"</{name}>" at byte offset {len(source[:lt].encode())}',
                )
            _, start, entity = open_tags.pop()
            if offset > start:
                entity["offset"] = start
                entity["length"] = offset - start
                entities.append(entity)
        else:
            entity = {"type": _HTML_TAGS[name]}
            if name == "a":
                href = _HREF.search(attrs)
                url = next((g for g in href.groups() if g is not None), "") if href else ""
                entity["url"] = html.unescape(url)
            open_tags.append((name, offset, entity))
        pos = match.end()
    if open_tags:
        raise _ApiError(
            400,
            f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \""
            f'{open_tags[-1][0]}"',
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


_UPDATE_IDS = itertools.count(int(time.time() * 1000) % 10**9)


class BotApiStandIn(BaseRequest):
    """A `BaseRequest` that answers the Bot API methods runcoach uses from in-memory state.

    Pass one instance as both `request` and `get_updates_request` of `ApplicationBuilder`, then
    `bind(app)` so incoming updates built here are bound to the application's bot.
    """

    def __init__(
        self,
        *,
        bot_id: int = 1000,
        username: str = "runcoach_test_bot",
        first_name: str = "runcoach",
        now: Callable[[], float] = time.time,
        rate_limits: RateLimits | None = None,
        record_calls: bool = True,
        keep_transcript: bool = True,
        parse_html: bool = True,
        latency: float = 0.0,
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
        self.rate_limits = rate_limits
        self.record_calls = record_calls
        self.keep_transcript = keep_transcript
        self.parse_html = parse_html
        # Seconds each call takes, as a round trip to Telegram does: half on the way there
        # (limits are checked on arrival), half back. 0 answers at once.
        self.latency = latency
        self.calls: list[tuple[str, JSON]] = []
        self.chats: dict[int, list[JSON]] = {}
        self.documents: list[JSON] = []
        self.commands: dict[str, list[JSON]] = {}
        self.answered_callbacks: dict[str, JSON] = {}
        self.webhook_url: str = ""
        self.blocked: set[int] = set()
        self.rejected_429: int = 0
        self.bot: Bot | None = None
        self._messages: dict[tuple[int, int], JSON] = {}
        self._chat_info: dict[int, JSON] = {}
        self._next_message_id: dict[int, int] = {}
        self._next_query_id = 1
        self._updates: deque[JSON] = deque()
        self._waiters: set[asyncio.Event] = set()
        self._faults: list[_Fault] = []
        self._listeners: list[Listener] = []
        self._handlers: dict[str, Callable[[JSON], Any]] = {
            "getme": lambda _p: self.bot_user,
            "sendmessage": self._send_message,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendchataction": lambda _p: True,
            "close": lambda _p: True,
            "logout": lambda _p: True,
        }

    # --- BaseRequest -------------------------------------------------------------------------

    @property
    def read_timeout(self) -> float | None:
        """Default read timeout; nothing here ever waits on a socket."""
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open; state outlives `async with app` so tests can inspect it afterwards."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call as Telegram would: (HTTP status, JSON body)."""
        api_method = url.rsplit("/", 1)[-1]
        params = self._params(request_data)
        if self.record_calls:
            self.calls.append((api_method, params))
        key = api_method.lower()
        travel = self.latency / 2 if key != "getupdates" else 0.0  # long polls wait anyway
        # Limits count the call when it reaches Telegram, half a round trip after it left
        # here, and a network does not slow down when this process is busy.
        arrival = self.rate_limits.clock() + travel if self.rate_limits is not None else None
        if travel:
            await asyncio.sleep(travel)
        fault = self._take_fault(key, params)
        try:
            if fault is not None and fault.kind != "timeout_after":
                self._raise_fault(fault)
            if key == "getupdates":
                result: Any = await self._get_updates(params)
            else:
                self._check_chat(key, params, arrival)
                handler = self._handlers.get(key)
                if handler is None:
                    raise _ApiError(400, "Bad Request: method not found")
                result = handler(params)
        except _ApiError as err:
            if travel:
                await asyncio.sleep(travel)
            return err.code, err.payload()
        if travel:
            await asyncio.sleep(travel)
        if fault is not None:  # timeout_after: Telegram delivered it, the answer got lost
            raise TimedOut("Timed out") from httpx.ReadTimeout("timed out")
        return 200, self._ok(result)

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
        """Inline keyboard rows as (text, callback_data); URL buttons have None as data."""
        markup = message.get("reply_markup") or {}
        return [
            [(button["text"], button.get("callback_data")) for button in row]
            for row in markup.get("inline_keyboard", [])
        ]

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
        self.answered_callbacks.clear()

    # --- fault injection ---------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        kind: FaultKind,
        chat_id: int | None = None,
        retry_after: int = 5,
        migrate_to_chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls to `method` (for `chat_id`, if given) fail with `kind`.

        Kinds: retry_after (429), forbidden (403, blocked), server_error (502), timeout_before
        (connect error, nothing delivered), connect_timeout (TimedOut, nothing delivered),
        timeout_after (delivered, then TimedOut), chat_migrated (400 with migrate_to_chat_id).
        """
        if kind not in _FAULT_KINDS:
            raise ValueError(
                f"unknown fault kind {kind!r}; expected one of {sorted(_FAULT_KINDS)}"
            )
        self._faults.append(
            _Fault(method.lower(), kind, chat_id, retry_after, migrate_to_chat_id, times)
        )

    def block(self, chat_id: int) -> None:
        """The runner blocks the bot: every later send to this chat answers 403."""
        self.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The runner restarts the bot."""
        self.blocked.discard(chat_id)

    # --- incoming updates --------------------------------------------------------------------

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
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
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

    # --- internals: plumbing -----------------------------------------------------------------

    @staticmethod
    def _ok(result: Any) -> bytes:
        return json.dumps({"ok": True, "result": result}).encode()

    @staticmethod
    def _params(request_data: RequestData | None) -> JSON:
        if request_data is None:
            return {}
        params: JSON = dict(request_data.parameters)
        if request_data.contains_files:
            for part, (filename, content, mime_type) in request_data.multipart_data.items():
                data = content if isinstance(content, bytes) else _read(content)
                uploaded = UploadedFile(filename or part, data, mime_type or "")
                attach_uri = f"attach://{part}"
                for name, value in params.items():
                    if value == attach_uri:
                        params[name] = uploaded
                        break
                else:
                    params[part] = uploaded
        return params

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
    def _user(chat_id: int, user_id: int | None, first_name: str, chat_type: str) -> JSON:
        if user_id is None:
            user_id = chat_id if chat_type == "private" else 1
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}

    @staticmethod
    def _chat_id(params: JSON) -> int | None:
        value = params.get("chat_id")
        if value is None:
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _ApiError(400, "Bad Request: chat not found") from None

    def _take_fault(self, key: str, params: JSON) -> _Fault | None:
        if not self._faults:
            return None
        chat_id = params.get("chat_id")
        for index, fault in enumerate(self._faults):
            if fault.method != key:
                continue
            if fault.chat_id is not None and str(fault.chat_id) != str(chat_id):
                continue
            fault.times -= 1
            if fault.times <= 0:
                del self._faults[index]
            return fault
        return None

    def _raise_fault(self, fault: _Fault) -> None:
        if fault.kind == "retry_after":
            self.rejected_429 += 1
            raise _ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        if fault.kind == "forbidden":
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        if fault.kind == "server_error":
            raise _ApiError(502, "Bad Gateway")
        if fault.kind == "chat_migrated":
            new_id = fault.migrate_to_chat_id or int(f"-100{abs(fault.chat_id or 1234567890)}")
            raise _ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": new_id},
            )
        if fault.kind == "connect_timeout":
            raise TimedOut("Timed out") from httpx.ConnectTimeout("connect timed out")
        # timeout_before: the connection failed, the request never left.
        raise NetworkError("httpx.ConnectError: connection refused") from httpx.ConnectError(
            "connection refused"
        )

    def _check_chat(self, key: str, params: JSON, arrival: float | None = None) -> None:
        if not key.startswith("send"):
            return
        chat_id = self._chat_id(params)
        if chat_id is None:
            return
        if chat_id in self.blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        if self.rate_limits is not None and key in _RATE_LIMITED:
            wait = self.rate_limits.admit(chat_id, arrival)
            if wait:
                self.rejected_429 += 1
                raise _ApiError(
                    429, f"Too Many Requests: retry after {wait}", {"retry_after": wait}
                )

    def _emit(self, event: str, message: JSON) -> None:
        for listener in self._listeners:
            listener(event, message)

    def _render(self, params: JSON, text_key: str, entities_key: str) -> tuple[str, list[JSON]]:
        text = str(params.get(text_key, ""))
        entities: list[JSON] = list(params.get(entities_key) or [])
        if self.parse_html and str(params.get("parse_mode", "")).upper() == "HTML":
            text, entities = _parse_html(text)
        return text, entities

    @staticmethod
    def _check_markup(markup: Any) -> None:
        if not isinstance(markup, dict):
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and len(str(data).encode()) > _MAX_CALLBACK_DATA:
                    raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

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
        self._check_markup(markup)
        if markup is not None:
            message["reply_markup"] = markup
        return message

    def _find(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        message = self._messages.get((chat_id or 0, int(params.get("message_id", 0))))
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        return message

    # --- internals: Bot API methods ----------------------------------------------------------

    def _send_message(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        if chat_id is None:
            raise _ApiError(400, "Bad Request: chat_id is empty")
        text, entities = self._render(params, "text", "entities")
        if not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(text) > _MAX_TEXT:
            raise _ApiError(400, "Bad Request: message is too long")
        message = self._new_message(chat_id, params)
        message["text"] = text
        if entities:
            message["entities"] = entities
        return self._store(chat_id, message)

    def _send_document(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        if chat_id is None:
            raise _ApiError(400, "Bad Request: chat_id is empty")
        document = params.get("document")
        if isinstance(document, UploadedFile):
            upload = document
        elif isinstance(document, str) and document:
            upload = UploadedFile(document.rsplit("/", 1)[-1], b"", "")
        else:
            raise _ApiError(400, "Bad Request: there is no document in the request")
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

    def _edit(self, params: JSON, changes: JSON) -> JSON | bool:
        if params.get("inline_message_id"):
            return True
        message = self._find(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        # Telegram drops an inline keyboard that an edit does not repeat.
        changes["reply_markup"] = markup
        if all(message.get(key) == value for key, value in changes.items()):
            raise _ApiError(
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
            raise _ApiError(400, "Bad Request: text must be non-empty")
        if len(text) > _MAX_TEXT:
            raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return self._edit(params, {"text": text, "entities": entities or None})

    def _edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        return self._edit(params, {})

    def _delete_message(self, params: JSON) -> bool:
        chat_id = self._chat_id(params) or 0
        message = self._messages.pop((chat_id, int(params.get("message_id", 0))), None)
        if message is None:
            raise _ApiError(400, "Bad Request: message to delete not found")
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
            raise _ApiError(
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


def _read(content: IO[bytes]) -> bytes:
    data = content.read()
    return data if isinstance(data, bytes) else bytes(data)
