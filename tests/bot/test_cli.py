"""The operator's commands: `runcoach plan` and `runcoach chat`, as typed in a terminal."""

from __future__ import annotations

import io

from bot.chat import chat
from bot.cli import main
from bot.settings import Settings
from tests.bot.conftest import WORKED_WEEK


def test_plan_prints_the_worked_example_with_reasons(capsys):
    assert main(["plan", WORKED_WEEK, "--prefer", "after-runs", "--week-of", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    entries = [block for block in out.split("\n\n") if block.split(" ", 1)[0].endswith("day")]
    assert [e.split(" ", 1)[0] for e in entries] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    strength = [e.split(" ", 1)[0] for e in entries if "Strength" in e]
    assert strength == ["Wednesday", "Sunday"]
    assert "Why here: easy run in the morning, so strength goes after it" in out


def test_plan_with_three_sessions_says_why_only_two(capsys):
    assert main(["plan", WORKED_WEEK, "--sessions", "3", "--week-of", "2026-11-30"]) == 0
    assert "You asked for 3 sessions, but only 2 fit this week" in capsys.readouterr().out


def test_plan_in_race_week_is_mobility_only(capsys):
    week = "Mon easy, Tue easy, Wed easy, Thu easy, Fri easy, Sat easy, Sun race 09:00"
    assert main(["plan", week, "--race", "2026-12-06", "--week-of", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert "Race week" in out and "(mobility)" in out
    assert "Saturday 05 Dec — easy run\n  The day before your race" in out


def test_plan_explains_bad_input_and_shows_an_example(capsys):
    assert main(["plan", "Mon rest, Tue intervalz 18:00"]) == 2
    err = capsys.readouterr().err
    assert "intervalz" in err and "Try something like" in err


def test_plan_rejects_an_impossible_number_of_sessions(capsys):
    assert main(["plan", WORKED_WEEK, "--sessions", "6"]) == 2
    err = capsys.readouterr().err
    assert "--sessions" in err and "4" in err


async def test_terminal_chat_sets_up_a_plan_with_numbers_and_words(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    typed = "\n".join(
        ["6", WORKED_WEEK, "2", "25 min", "After easy runs", "1", "6", "8", "11", "1", "/quit"]
    )
    out = io.StringIO()
    assert await chat(settings, stdin=io.StringIO(typed + "\n"), out=out) == 0
    screen = out.getvalue()
    assert "coach ▸ What are you training for?" in screen
    assert "[1] 5k  [2] 10k  [3] Half marathon" in screen
    assert "All set! Here is your week." in screen
    assert "Wednesday" in screen and "Strength A" in screen
    assert "Bye!" in screen
    # The answers are kept: a second session knows the runner and offers to change things.
    out2 = io.StringIO()
    assert await chat(settings, stdin=io.StringIO("/quit\n"), out=out2) == 0
    assert "You already have a plan" in out2.getvalue()
