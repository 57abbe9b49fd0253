"""The Mini App's init-data check against Telegram's documented algorithm (issue 17).

The expected hash is computed here from the documentation's own steps (hashlib and hmac, not
our module): data-check-string of the sorted key=value pairs without `hash`, secret key =
HMAC-SHA256(key "WebAppData", message bot token), hash = hex HMAC-SHA256(secret key,
data-check-string)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.webapp.auth import InitDataError, check_init_data, sign_init_data

TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
OTHER_TOKEN = "654321:ZYX-DEF1234ghIkl-zyx57W2v1u123ew11"
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def documented_init_data(
    user_id: int = 42, *, signed: dt.datetime = NOW, token: str = TOKEN
) -> str:
    """Init data built the way Telegram's documentation describes, step by step."""
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(
            {"id": user_id, "first_name": "Sam", "language_code": "en"}, separators=(",", ":")
        ),
        "auth_date": str(int(signed.timestamp())),
        "signature": "c2lnbmF0dXJl",  # the newer Ed25519 field is signed like any other
    }
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


def altered(init_data: str, **changes: str) -> str:
    fields = dict(parse_qsl(init_data))
    fields.update(changes)
    return urlencode(fields)


def check(init_data: str, *, token: str = TOKEN, now: dt.datetime = NOW) -> int:
    return check_init_data(init_data, token=token, now=now, max_age=DAY).id


def test_init_data_signed_as_documented_names_its_runner() -> None:
    user = check_init_data(documented_init_data(42), token=TOKEN, now=NOW, max_age=DAY)
    assert (user.id, user.first_name) == (42, "Sam")


def test_our_signing_matches_the_documented_one() -> None:
    """The tests and the browser test sign with `sign_init_data`: the same bytes as the
    documented steps give."""
    documented = dict(parse_qsl(documented_init_data(42)))
    fields = {k: v for k, v in documented.items() if k != "hash"}
    assert dict(parse_qsl(sign_init_data(fields, TOKEN)))["hash"] == documented["hash"]


@pytest.mark.parametrize(
    "change",
    [
        {"user": json.dumps({"id": 43, "first_name": "Sam"})},  # another runner named
        {"auth_date": str(int(NOW.timestamp()) + 1)},
        {"query_id": "AAHdF6IQAAAAAN0XohDhrOrd"},
        {"signature": "b3RoZXI="},
        {"extra": "1"},  # a field added
    ],
)
def test_an_altered_field_is_refused(change: dict[str, str]) -> None:
    with pytest.raises(InitDataError, match="hash"):
        check(altered(documented_init_data(42), **change))


def test_a_removed_field_is_refused() -> None:
    fields = dict(parse_qsl(documented_init_data(42)))
    del fields["query_id"]
    with pytest.raises(InitDataError, match="hash"):
        check(urlencode(fields))


def test_init_data_of_another_bot_is_refused() -> None:
    with pytest.raises(InitDataError, match="hash"):
        check(documented_init_data(42, token=OTHER_TOKEN))
    with pytest.raises(InitDataError, match="hash"):
        check(documented_init_data(42), token=OTHER_TOKEN)


def test_stale_init_data_is_refused_and_fresh_is_not() -> None:
    assert check(documented_init_data(42, signed=NOW - DAY + dt.timedelta(minutes=1))) == 42
    with pytest.raises(InitDataError, match="ago"):
        check(documented_init_data(42, signed=NOW - DAY - dt.timedelta(minutes=1)))
    with pytest.raises(InitDataError, match="future"):
        check(documented_init_data(42, signed=NOW + dt.timedelta(hours=1)))


@pytest.mark.parametrize("hash_value", [None, ""])
def test_missing_hash_is_refused(hash_value: str | None) -> None:
    fields = dict(parse_qsl(documented_init_data(42)))
    del fields["hash"]
    if hash_value is not None:
        fields["hash"] = hash_value
    with pytest.raises(InitDataError, match="no hash"):
        check(urlencode(fields))


@pytest.mark.parametrize("junk", ["", "hash", "a=1&a=2&hash=00", "%%%"])
def test_junk_is_refused(junk: str) -> None:
    with pytest.raises(InitDataError):
        check(junk)


def test_a_replay_for_another_user_is_refused() -> None:
    """Runner 42's genuine hash on init data naming runner 43 (the rest unchanged)."""
    mine = dict(parse_qsl(documented_init_data(42)))
    theirs = dict(parse_qsl(documented_init_data(43)))
    theirs["hash"] = mine["hash"]
    with pytest.raises(InitDataError, match="hash"):
        check(urlencode(theirs))
    assert check(documented_init_data(43)) == 43  # signed for 43 itself, it is 43


def test_signed_user_without_an_id_is_refused() -> None:
    fields = {"auth_date": str(int(NOW.timestamp())), "user": json.dumps({"first_name": "X"})}
    with pytest.raises(InitDataError, match="user"):
        check(sign_init_data(fields, TOKEN))
