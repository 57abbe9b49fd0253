"""The web server's settings for the calendar feed: PUBLIC_URL (https, or http on a loopback
address only), WEB_LISTEN and WEB_PORT with their earlier names, as an operator sets them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.cli import main
from bot.settings import Settings


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://coach.example.com/", "https://coach.example.com"),
        ("https://coach.example.com/runcoach", "https://coach.example.com/runcoach"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:8080/", "http://localhost:8080"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_public_url_takes_https_or_a_loopback_http_address(given: str, kept: str):
    assert settings(public_url=given).public_base_url == kept


@pytest.mark.parametrize(
    "given",
    ["http://coach.example.com", "http://192.168.1.5:8080", "coach.example.com", "ftp://x"],
)
def test_any_other_public_url_is_refused_with_what_to_set(given: str):
    with pytest.raises(ValidationError, match="PUBLIC_URL must be the public https address"):
        settings(public_url=given)


def test_runcoach_run_stops_with_one_line_for_a_bad_public_url(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("PUBLIC_URL", "http://coach.example.com")
    assert main(["run"]) == 2
    said = capsys.readouterr().err
    assert said.startswith("runcoach: PUBLIC_URL") and "https" in said and said.count("\n") == 1


def test_public_url_defaults_to_the_webhook_url_and_is_unset_without_either():
    assert settings(webhook_url="https://hook.example.com/").public_base_url == (
        "https://hook.example.com"
    )
    assert settings().public_base_url is None


def test_web_listen_and_port_with_their_earlier_names(monkeypatch):
    monkeypatch.setenv("WEBHOOK_LISTEN", "127.0.0.2")
    monkeypatch.setenv("WEBHOOK_PORT", "8081")
    old = settings()
    assert (old.web_listen, old.web_port) == ("127.0.0.2", 8081)
    monkeypatch.setenv("WEB_LISTEN", "127.0.0.3")
    monkeypatch.setenv("WEB_PORT", "8082")
    new = settings()  # the general names win
    assert (new.web_listen, new.web_port) == ("127.0.0.3", 8082)
