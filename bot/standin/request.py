"""`BotApiStandIn`: the PTB request class that answers every Bot API call from memory.

The request path: latency (half a round trip each way), the injected fault if one is due, the
chat's checks (blocked, Telegram's limits) on arrival, then the method (`methods.py`).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import IO, Any

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.standin.api import JSON, ApiError, UploadedFile
from bot.standin.limits import FAULT_KINDS, RATE_LIMITED, Fault, FaultKind, RateLimits
from bot.standin.methods import BotApiMethods
from bot.standin.updates import UpdateBuilders


class BotApiStandIn(UpdateBuilders, BotApiMethods, BaseRequest):
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
        super().__init__(
            bot_id=bot_id,
            username=username,
            first_name=first_name,
            now=now,
            keep_transcript=keep_transcript,
            parse_html=parse_html,
        )
        self.rate_limits = rate_limits
        self.record_calls = record_calls
        # Seconds each call takes, as a round trip to Telegram does: half on the way there
        # (limits are checked on arrival), half back. 0 answers at once.
        self.latency = latency
        self.blocked: set[int] = set()
        self.rejected_429: int = 0
        self._faults: list[Fault] = []
        self._handlers = self._bot_api_methods()

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
                    raise ApiError(400, "Bad Request: method not found")
                result = handler(params)
        except ApiError as err:
            if travel:
                await asyncio.sleep(travel)
            return err.code, err.payload()
        if travel:
            await asyncio.sleep(travel)
        if fault is not None:  # timeout_after: Telegram delivered it, the answer got lost
            raise TimedOut("Timed out") from httpx.ReadTimeout("timed out")
        return 200, self._ok(result)

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
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        self._faults.append(
            Fault(method.lower(), kind, chat_id, retry_after, migrate_to_chat_id, times)
        )

    def block(self, chat_id: int) -> None:
        """The runner blocks the bot: every later send to this chat answers 403."""
        self.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The runner restarts the bot."""
        self.blocked.discard(chat_id)

    # --- internals ---------------------------------------------------------------------------

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

    def _take_fault(self, key: str, params: JSON) -> Fault | None:
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

    def _raise_fault(self, fault: Fault) -> None:
        if fault.kind == "retry_after":
            self.rejected_429 += 1
            raise ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        if fault.kind == "forbidden":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if fault.kind == "server_error":
            raise ApiError(502, "Bad Gateway")
        if fault.kind == "chat_migrated":
            new_id = fault.migrate_to_chat_id or int(f"-100{abs(fault.chat_id or 1234567890)}")
            raise ApiError(
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
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if self.rate_limits is not None and key in RATE_LIMITED:
            wait = self.rate_limits.admit(chat_id, arrival)
            if wait:
                self.rejected_429 += 1
                raise ApiError(
                    429, f"Too Many Requests: retry after {wait}", {"retry_after": wait}
                )


def _read(content: IO[bytes]) -> bytes:
    data = content.read()
    return data if isinstance(data, bytes) else bytes(data)
