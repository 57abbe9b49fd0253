"""The web server: Telegram's updates (webhook mode), health, and the calendar feed.

Our own server rather than PTB's `run_webhook`, because it must check before it spends:

- The secret header is compared (in constant time) as soon as the headers are in, before a
  byte of the body is read: a request without it gets 403 and its body is never read. Every
  route streams its body, so nothing is buffered before a route has said yes, and an
  update's body is cut off at `MAX_BODY` with 413 (`routes.py`).
- Headers must arrive within `HEADER_TIMEOUT` and the body within `BODY_TIMEOUT`, or the
  connection is closed. At most `max_connections` are open at once, and accept errors pause
  accepting for a moment (`server.py`).
- The parsed update (`updates.py`) goes to `accept`. The server answers 200 only once
  `accept` has returned (it stores the update), and 503 when it raises, so that Telegram
  sends the update again.
- `GET /health` writes a row and commits it, within `HEALTH_TIMEOUT`: 200 only when the
  database takes writes (`health.py`).
- `GET /calendar/<token>.ics` serves a runner's calendar feed (`feed.py`, docs/calendar.md):
  rate-limited per token, one query, cached until the plan changes.
- `serve_webhook` (`serve.py`) runs all of it with the inbox until SIGTERM or SIGINT; in
  polling mode `bot.polling.serve_polling` runs the same server without the update route.
"""

from __future__ import annotations

from bot.web.health import HEALTH_REUSE, HEALTH_TIMEOUT, HealthProbe, database_state
from bot.web.serve import FD_RESERVE, connection_cap, serve_webhook
from bot.web.server import (
    ACCEPT_BATCH,
    ACCEPT_PAUSE,
    BODY_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
    DRAIN_TIMEOUT,
    HEADER_TIMEOUT,
    MAX_HEADER_SIZE,
    WebhookServer,
)
from bot.web.updates import (
    MAX_BODY,
    MAX_UPDATE_ID,
    SECRET_HEADER,
    Accept,
    UnreadableUpdate,
    parse_update,
)

__all__ = [
    "ACCEPT_BATCH",
    "ACCEPT_PAUSE",
    "BODY_TIMEOUT",
    "DEFAULT_MAX_CONNECTIONS",
    "DRAIN_TIMEOUT",
    "FD_RESERVE",
    "HEADER_TIMEOUT",
    "HEALTH_REUSE",
    "HEALTH_TIMEOUT",
    "MAX_BODY",
    "MAX_HEADER_SIZE",
    "MAX_UPDATE_ID",
    "SECRET_HEADER",
    "Accept",
    "HealthProbe",
    "UnreadableUpdate",
    "WebhookServer",
    "connection_cap",
    "database_state",
    "parse_update",
    "serve_webhook",
]
