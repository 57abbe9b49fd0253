"""Logging: one line per event, never the bot token."""

from __future__ import annotations

import logging
import re

_TOKEN_IN_TEXT = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")


def redact(text: str) -> str:
    """The text with anything shaped like a bot token replaced by a placeholder."""
    return _TOKEN_IN_TEXT.sub("<token>", text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then redacts the whole line, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(level: str, *, quiet: bool = False) -> None:
    """Log to stderr at `level`. httpx logs request URLs, which hold the token: keep it quiet."""
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
