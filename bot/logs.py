"""Logging: one line per event, never the bot token or the webhook secret."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Iterable

_TOKEN_IN_TEXT = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
# Values that must never be written out (the webhook secret, the token as given), longest first.
_SECRETS: list[str] = []
MIN_SECRET_LENGTH = 8  # shorter strings would blank out ordinary words


def register_secret(value: str | None) -> None:
    """From now on, `value` is replaced by `<secret>` in every log line and traceback."""
    if value and len(value) >= MIN_SECRET_LENGTH and value not in _SECRETS:
        _SECRETS.append(value)
        _SECRETS.sort(key=len, reverse=True)


def redact(text: str) -> str:
    """The text with anything shaped like a bot token, and every registered secret, replaced."""
    text = _TOKEN_IN_TEXT.sub("<token>", text)
    for secret in _SECRETS:
        text = text.replace(secret, "<secret>")
    return text


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then redacts the whole line, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(level: str, *, quiet: bool = False, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at `level`. httpx logs request URLs, which hold the token: keep it quiet.

    `secrets` are registered with `register_secret` (the webhook secret, say).
    """
    for secret in secrets:
        register_secret(secret)
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel("WARNING" if quiet else level)
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def safe_url(url: str) -> str:
    """A database URL without its password, for logs and messages."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def one_line(error: BaseException) -> str:
    """An error as one short line: its type and the first line of its message."""
    cause = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    lines = str(cause).strip().splitlines()
    text = lines[0] if lines else ""
    return f"{type(cause).__name__}: {text[:300]}" if text else type(cause).__name__


class Throttled:
    """Logs the first event of a kind at once, then at most one line a second per kind.

    Events in between are counted, and the count is logged when the second is over: a flood
    of refused connections or accept errors costs a line a second, never a line per event.
    """

    def __init__(self, logger: logging.Logger, interval: float = 1.0) -> None:
        self.logger = logger
        self.interval = interval
        self._last: dict[str, float] = {}
        self._held: dict[str, tuple[int, int, str]] = {}  # kind -> (count, level, last line)

    def log(self, kind: str, level: int, message: str, *args: object) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        last = self._last.get(kind)
        if last is None or now - last >= self.interval:
            self._last[kind] = now
            self.logger.log(level, message, *args)
            return
        count, _, _ = self._held.get(kind, (0, level, ""))
        if count == 0:
            loop.call_later(self.interval - (now - last), self._flush, kind)
        self._held[kind] = (count + 1, level, message % args if args else message)

    def _flush(self, kind: str) -> None:
        count, level, line = self._held.pop(kind, (0, logging.INFO, ""))
        if count:
            self._last[kind] = asyncio.get_running_loop().time()
            self.logger.log(
                level, "%s (%d like this in the last %.0f s)", line, count, self.interval
            )


class RateLimitFilter(logging.Filter):
    """For a library's logger: each message template passes at most once per `interval`, cut
    to `max_length`; the next one to pass says how many were held back.

    tornado logs one INFO line per malformed request ("Malformed HTTP message from ...", with
    the offending header in it), so a client sending garbage could write a line per connection.
    """

    def __init__(self, interval: float = 1.0, max_length: int = 300) -> None:
        super().__init__()
        self.interval = interval
        self.max_length = max_length
        self._last: dict[object, float] = {}
        self._held: dict[object, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.msg)
        now = time.monotonic()
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            self._held[key] = self._held.get(key, 0) + 1
            return False
        self._last[key] = now
        message = record.getMessage()
        if len(message) > self.max_length:
            message = message[: self.max_length] + "..."
        held = self._held.pop(key, 0)
        if held:
            message += f" ({held} more like this held back)"
        record.msg, record.args = message, None
        return True
