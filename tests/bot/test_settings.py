"""Operator settings: what an operator sets, and what they are told when it is wrong."""

from __future__ import annotations

import logging

import pytest

from bot.cli import main
from bot.logs import RedactingFormatter
from bot.settings import Settings, SettingsError

GOOD_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_defaults_need_nothing_installed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.db_url == f"sqlite:///{tmp_path / 'data' / 'runcoach.sqlite3'}"
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.file_base_url == "https://api.telegram.org/file/bot"


def test_a_self_hosted_bot_api_server_is_used_for_files_too():
    settings = Settings(telegram_base_url="http://localhost:8081/bot", _env_file=None)  # type: ignore[call-arg]
    assert settings.file_base_url == "http://localhost:8081/file/bot"


@pytest.mark.parametrize("token", [None, "", "hello", "123:short", f"'{GOOD_TOKEN}'"])
def test_a_missing_or_malformed_token_names_the_setting(token):
    settings = Settings(telegram_bot_token=token, _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN"):
        settings.require_token()


def test_a_good_token_is_accepted_and_never_printed_in_settings():
    settings = Settings(telegram_bot_token=GOOD_TOKEN, _env_file=None)  # type: ignore[call-arg]
    assert settings.require_token() == GOOD_TOKEN
    assert GOOD_TOKEN not in repr(settings) and GOOD_TOKEN not in str(settings.model_dump())


def test_settings_come_from_a_dot_env_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={GOOD_TOKEN}\nDATABASE_URL=postgresql://u@db/rc\nLOG_LEVEL=debug\n"
    )
    settings = Settings()
    assert settings.require_token() == GOOD_TOKEN
    assert settings.db_url == "postgresql://u@db/rc"
    assert settings.log_level == "DEBUG"


def test_a_bad_log_level_stops_with_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", "loud")
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "LOG_LEVEL" in err[0]


def test_logs_never_show_the_token_even_in_tracebacks():
    formatter = RedactingFormatter("%(message)s")
    try:
        raise RuntimeError(f"GET https://api.telegram.org/bot{GOOD_TOKEN}/getMe failed")
    except RuntimeError as error:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "request %s",
            (GOOD_TOKEN,),
            (type(error), error, None),
        )
    line = formatter.format(record)
    assert GOOD_TOKEN not in line and "<token>" in line
    assert "failed" in line  # the rest of the message stays useful


def test_the_webhook_secret_is_redacted_once_the_settings_are_checked():
    secret = "Zq9-webhook-secret-4f1c2b7e"
    settings = Settings(
        webhook_url="https://coach.example.com",
        webhook_secret=secret,
        _env_file=None,  # type: ignore[call-arg]
    )
    assert settings.require_webhook()[1] == secret
    formatter = RedactingFormatter("%(message)s")
    try:
        raise RuntimeError(f"setWebhook with {{'secret_token': '{secret}'}} failed")
    except RuntimeError as error:
        record = logging.LogRecord(
            "telegram.Bot",
            logging.DEBUG,
            __file__,
            1,
            "Calling Bot API endpoint `setWebhook` with parameters `%s`",
            ({"url": "https://coach.example.com/telegram", "secret_token": secret},),
            (type(error), error, None),
        )
    line = formatter.format(record)
    assert secret not in line and line.count("<secret>") == 2
    assert "coach.example.com/telegram" in line


def test_db_upgrade_creates_the_default_sqlite_file(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "DATA_DIR", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "data" / "runcoach.sqlite3").exists()
    assert "newest schema" in capsys.readouterr().out
