"""The Mini App's init data, checked as Telegram documents it (docs/miniapp.md, "Who is
asking").

Telegram signs the init data it hands the page: the data-check-string is every field but
`hash`, as `key=value` with the values URL-decoded, sorted by key and joined by line feeds;
the secret key is HMAC-SHA256 of the bot token keyed with "WebAppData"; `hash` is the hex
HMAC-SHA256 of the data-check-string under that secret. The check compares in constant time,
refuses an `auth_date` older than the allowed age, and names the runner from the `user`
field. Pure: the caller passes the token, the time and the age.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

KEY = b"WebAppData"
# A clock a little behind Telegram's must not refuse data signed a moment ago.
FUTURE_SKEW = dt.timedelta(minutes=5)


class InitDataError(Exception):
    """The init data is not Telegram's, not whole, or too old; the message says which (for the
    log: it never contains the token or the hash)."""


@dataclass(frozen=True)
class WebAppUser:
    """The runner the init data names."""

    id: int
    first_name: str
    auth_date: dt.datetime


def _secret(token: str) -> bytes:
    return hmac.new(KEY, token.encode(), hashlib.sha256).digest()


def data_check_string(fields: Mapping[str, str]) -> str:
    """Every field but `hash`, `key=value`, sorted by key, one a line."""
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def signature(fields: Mapping[str, str], token: str) -> str:
    """The hex HMAC-SHA256 Telegram puts in `hash` for these fields."""
    return hmac.new(_secret(token), data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def sign_init_data(fields: Mapping[str, str], token: str) -> str:
    """Init data as Telegram builds it (the fields, URL-encoded, and their `hash`): for the
    tests and the terminal, which play Telegram's part."""
    return urlencode({**fields, "hash": signature(fields, token)})


def check_init_data(
    init_data: str, *, token: str, now: dt.datetime, max_age: dt.timedelta
) -> WebAppUser:
    """The runner the init data names, or InitDataError."""
    if not init_data:
        raise InitDataError("no init data")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as error:
        raise InitDataError("init data is not a query string") from error
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("a field is given twice")
    given = fields.get("hash", "")
    if not given:
        raise InitDataError("no hash")
    if not hmac.compare_digest(signature(fields, token).encode(), given.encode()):
        raise InitDataError("the hash does not match")
    try:
        signed = dt.datetime.fromtimestamp(int(fields["auth_date"]), dt.UTC)
    except (KeyError, ValueError, OverflowError, OSError) as error:
        raise InitDataError("no readable auth_date") from error
    if now - signed > max_age:
        raise InitDataError(f"signed {now - signed} ago, more than {max_age}")
    if signed - now > FUTURE_SKEW:
        raise InitDataError("signed in the future")
    try:
        user = json.loads(fields["user"])
        user_id = user["id"]
    except (KeyError, ValueError, TypeError) as error:
        raise InitDataError("no readable user") from error
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise InitDataError("the user has no id")
    first_name = user.get("first_name")
    return WebAppUser(user_id, first_name if isinstance(first_name, str) else "", signed)
