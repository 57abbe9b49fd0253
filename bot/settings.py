"""Operator settings, from the environment or a `.env` file."""

from __future__ import annotations

import ipaddress
import math
import re
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.logs import register_secret

TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
FREE_RATE = 30.0  # messages a second Telegram allows a bot without paid broadcast
# The sends kept in flight cover this long a round trip at the rate: half again a typical
# 100 ms, because answered sends waiting for their group write count too
# (bot/reminders/sending.py `write_group`) and Telegram's answers take 50-250 ms.
ROUND_TRIP_SECONDS = 0.15


class SettingsError(Exception):
    """A setting the operator must fix; the message says which and how."""


class Settings(BaseSettings):
    """Everything an operator can set. Names match the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = TELEGRAM_BASE_URL
    data_dir: Path = Path("data")
    database_url: str | None = None
    log_level: str = "INFO"
    # Webhook mode (runcoach run --webhook)
    webhook_url: str | None = None  # public https base URL Telegram posts to
    webhook_secret: SecretStr | None = None
    webhook_path: str = "/telegram"
    # The web server (webhook, /health, the calendar feed). WEB_LISTEN and WEB_PORT; the
    # names from before, WEBHOOK_LISTEN and WEBHOOK_PORT, still work.
    webhook_listen: str = Field(
        default="0.0.0.0", validation_alias=AliasChoices("web_listen", "webhook_listen")
    )
    webhook_port: int = Field(
        default=8080, ge=1, le=65535, validation_alias=AliasChoices("web_port", "webhook_port")
    )
    # The web server's public base address (the calendar feed's links, the Mini App). In
    # polling mode the server starts only when it is set; it defaults to WEBHOOK_URL.
    public_url: str | None = None
    # Open HTTP connections (webhook and /health together); more are closed at once.
    web_max_connections: int = Field(default=200, ge=1, le=100_000)
    # Paid broadcast (issue 19): Telegram lets a bot send up to 1,000 messages a second when
    # the operator pays for what is above the free 30 (`allow_paid_broadcast` on each send).
    # Declared before RATE_LIMIT_PER_SECOND, whose check reads it.
    paid_broadcast: bool = False
    # Telegram allows a bot about 30 messages a second in all; 0 turns our limiter off (tests).
    # Above 30 only with PAID_BROADCAST=true (refused otherwise), up to 1000.
    rate_limit_per_second: float = Field(default=30.0, ge=0, le=1000)
    # Reminder sends awaiting Telegram's answer at once; 0: derived from the rate (enough for
    # a 150 ms round trip at the limit, at least 8). A crash can repeat at most these.
    dispatch_in_flight: int = Field(default=0, ge=0, le=2000)
    # The morning message may leave up to this long before its time, silently (0: on time).
    morning_early_minutes: int = Field(default=30, ge=0, le=180)
    # Flood control: more updates than this from one runner within 10 seconds are dropped.
    flood_max_updates: int = Field(default=30, ge=5, le=100_000)
    # Turns for different runners handled at once (one runner's always one at a time).
    max_concurrent_turns: int = Field(default=64, ge=1, le=10_000)
    # Reminders
    reminder_grace_minutes: int = Field(default=120, ge=1, le=24 * 60)
    reminder_dispatch_seconds: float = Field(default=5.0, gt=0, le=300)
    # A claim older than this belongs to a dispatcher that died mid-send; the row is retried.
    reminder_lease_seconds: float = Field(default=120.0, gt=0, le=3600)
    # Replies a turn committed but whose process died before sending them: on PostgreSQL
    # another process sends them once they are this old (SQLite sends them at start).
    reply_lease_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Mini App: init data signed longer ago than this is refused (401).
    webapp_max_age_seconds: int = Field(default=86400, ge=60, le=30 * 86400)
    coach_user_ids: str = ""  # Telegram user ids of coaches, comma-separated (bot/coaching.py)

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @field_validator("rate_limit_per_second")
    @classmethod
    def _rate(cls, value: float, info: ValidationInfo) -> float:
        if value > FREE_RATE and not info.data.get("paid_broadcast", False):
            raise ValueError(
                f"above {FREE_RATE:g} messages a second Telegram charges for each message: set "
                "PAID_BROADCAST=true to pay for them (up to 1000), or keep it at 30 or less"
            )
        return value

    @property
    def in_flight(self) -> int:
        """DISPATCH_IN_FLIGHT, or derived: the sends a 150 ms round trip holds at the rate
        (150 at 1,000 a second), at least 8."""
        if self.dispatch_in_flight:
            return self.dispatch_in_flight
        return max(8, math.ceil(self.rate_limit_per_second * ROUND_TRIP_SECONDS))

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme == "https" and parts.hostname:
            return value
        if parts.scheme == "http" and parts.hostname and _loopback(parts.hostname):
            return value
        raise ValueError(
            "PUBLIC_URL must be the public https address of the web server, e.g. "
            "https://coach.example.com (plain http only for 127.0.0.1 or localhost, to try "
            "it on this machine)"
        )

    @property
    def web_listen(self) -> str:
        """WEB_LISTEN (or WEBHOOK_LISTEN): the address the web server listens on."""
        return self.webhook_listen

    @property
    def web_port(self) -> int:
        """WEB_PORT (or WEBHOOK_PORT): the port the web server listens on."""
        return self.webhook_port

    @property
    def public_base_url(self) -> str | None:
        """PUBLIC_URL, or WEBHOOK_URL when it is not set; None: no public web server."""
        if self.public_url:
            return self.public_url
        if self.webhook_url and self.webhook_url.startswith("https://"):
            return self.webhook_url.rstrip("/")
        return None

    @property
    def file_base_url(self) -> str:
        """Where files are downloaded from, beside the Bot API: ".../bot" -> ".../file/bot"."""
        base = self.telegram_base_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file"

    @property
    def db_url(self) -> str:
        """DATABASE_URL, or a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'runcoach.sqlite3').resolve()}"

    def require_webhook(self) -> tuple[str, str]:
        """The public webhook URL and the secret, or a SettingsError saying what to set."""
        if not self.webhook_url or not self.webhook_url.startswith("https://"):
            raise SettingsError(
                "WEBHOOK_URL must be the public https address Telegram can reach, e.g. "
                "https://coach.example.com (the path WEBHOOK_PATH is added to it)."
            )
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
            raise SettingsError(
                "WEBHOOK_SECRET must be 16-256 characters of letters, digits, _ or -, e.g. "
                "the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        register_secret(secret)  # PTB logs setWebhook's parameters at DEBUG
        return self.webhook_url.rstrip("/") + self.webhook_path, secret

    def require_token(self) -> str:
        """The bot token, or a SettingsError that tells the operator what to set."""
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in the "
                "environment or in a .env file (TELEGRAM_BOT_TOKEN=123456:ABC...). "
                "To try the coach without Telegram, run `runcoach chat`."
            )
        token = self.telegram_bot_token.get_secret_value().strip()
        if not TOKEN_PATTERN.match(token):
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN does not look like a bot token (expected digits, a colon, "
                "then letters, digits, - or _ as @BotFather gives it). Check for quotes or spaces."
            )
        register_secret(token)
        return token


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
