"""In-process Bot API stand-in: a PTB request class that answers from an in-memory chat state.

The real `Application` runs on top of it unchanged, so end-to-end tests, `runcoach chat` and the
benchmarks exercise the same handlers, keyboards and error handling as production, without a
network. Faults and Telegram's rate limits are injected here, at the HTTP boundary, and come back
through `BaseRequest`'s normal path so PTB raises its own exception types.

- `request.py`: `BotApiStandIn`, the request path (latency, faults, limits) and fault injection;
- `state.py`: the chats and messages as the runner sees them, and what tests inspect;
- `methods.py`: the Bot API methods (sendMessage, editMessageText, getUpdates...);
- `updates.py`: incoming updates (a runner's message, a button press) and the polling queue;
- `api.py`: the Bot API's error answers, uploaded files and Telegram-HTML;
- `limits.py`: Telegram's send limits and the fault kinds.

`tests/bot/http_standin.py` serves the same stand-in over real HTTP.
"""

from __future__ import annotations

from bot.standin.api import UploadedFile
from bot.standin.limits import FaultKind, RateLimits
from bot.standin.request import BotApiStandIn

__all__ = [
    "TOKEN",
    "BotApiStandIn",
    "FaultKind",
    "RateLimits",
    "UploadedFile",
]

TOKEN = "123:TEST"
