"""What the webhook takes: the secret header, the size limit, and a body read as an update.

Also the web server's one logger. It keeps the name `bot.webhook`, which every log line of the
server has carried since webhook mode began, so an operator's filters keep working.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application

log = logging.getLogger("bot.webhook")
App = Application[Any, Any, Any, Any, Any, Any]
Accept = Callable[[dict[str, Any]], Awaitable[None]]
"""Called with each update (a JSON object with an integer `update_id`); it stores the update.

It returns once the update is safely kept; the server then answers 200. It raises when it
could not keep it (the database is down, say); the server then answers 503 and Telegram sends
the update again later. An update it cannot use should be kept or dropped, not raised about:
a raise makes Telegram resend it.
"""

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # bytes; Telegram's updates are a few KB
MAX_UPDATE_ID = 2**63 - 1
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}


class UnreadableUpdate(ValueError):
    """The body is not a Telegram update: not JSON, not an object, or no integer update_id."""


def parse_update(body: bytes) -> dict[str, Any]:
    """The update in `body`, or UnreadableUpdate with a short reason (never the body itself)."""
    try:
        data = json.loads(body)
    except RecursionError:
        raise UnreadableUpdate("nested too deeply") from None
    except UnicodeDecodeError:
        raise UnreadableUpdate("not UTF-8") from None
    except ValueError as error:  # JSONDecodeError, or an integer with thousands of digits
        raise UnreadableUpdate(f"not JSON ({str(error)[:120]})") from None
    if not isinstance(data, dict):
        kind = "null" if data is None else _JSON_TYPES.get(type(data), "a number")
        raise UnreadableUpdate(f"{kind}, not an object")
    update_id = data.get("update_id")
    if isinstance(update_id, bool) or not isinstance(update_id, int):
        raise UnreadableUpdate("no integer update_id")
    if not 0 <= update_id <= MAX_UPDATE_ID:
        raise UnreadableUpdate("update_id out of range")
    return data
