"""The operator's commands: `runcoach plan` and `runcoach chat`, as typed in a terminal."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from collections.abc import Callable

from bot.chat import chat
from bot.cli import main
from bot.settings import Settings
from tests.bot.conftest import WORKED_WEEK, Clock


def test_plan_prints_the_worked_example_as_an_overview(capsys):
    assert main(["plan", WORKED_WEEK, "--prefer", "after-runs", "--week-of", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    days = [line for line in out.splitlines() if " · " in line]
    assert [line[:3] for line in days] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert [line[:3] for line in days if "💪" in line] == ["Wed", "Sun"]
    assert "Wed 02 · easy run 07:00 · 💪 Strength A (light), 25 min" in out
    assert "•" not in out and "--full" in out and len(out) <= 1200


def test_plan_full_prints_the_worked_example_with_reasons(capsys):
    argv = ["plan", WORKED_WEEK, "--prefer", "after-runs", "--week-of", "2026-11-30", "--full"]
    assert main(argv) == 0
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
    argv = ["plan", week, "--race", "2026-12-06", "--week-of", "2026-11-30", "--full"]
    assert main(argv) == 0
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
    monday = Clock(dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC))  # a whole first week
    assert await chat(settings, stdin=io.StringIO(typed + "\n"), out=out, clock=monday) == 0
    screen = out.getvalue()
    assert "coach ▸ What are you training for?" in screen
    assert "[1] 5k  [2] 10k  [3] Half marathon" in screen
    assert "All set! Here is your week." in screen
    assert "easy run 07:00 · 💪 Strength A" in screen  # the week overview, a line a day
    assert "Bye!" in screen
    # The answers are kept: a second session knows the runner and offers to change things.
    out2 = io.StringIO()
    assert await chat(settings, stdin=io.StringIO("/quit\n"), out=out2, clock=monday) == 0
    assert "You already have a plan" in out2.getvalue()


class Typist:
    """The runner at the keyboard: lines typed one by one; a callable in the script runs
    instead of a line (move the clock, wait for the screen to show something)."""

    def __init__(self, *script: str | Callable[[], None]) -> None:
        self.script = list(script)

    def readline(self) -> str:
        while self.script:
            step = self.script.pop(0)
            if isinstance(step, str):
                return step + "\n"
            step()
        return ""

    def isatty(self) -> bool:
        return False


def _until_shown(
    out: io.StringIO, text: str, *, after: int = 0, clock: Clock | None = None
) -> Callable[[], None]:
    """A step that waits until the coach has printed `text` (past position `after`); with a
    `clock`, a fast one: each look at the screen moves it a second on (the dispatcher puts
    off a reminder to a chat that got a message less than a second ago)."""

    def wait() -> None:
        deadline = time.monotonic() + 20
        while text not in out.getvalue()[after:]:
            assert time.monotonic() < deadline, f"never shown: {text!r}"
            if clock is not None:
                clock.now += dt.timedelta(seconds=1)
            time.sleep(0.01)

    return wait


async def test_terminal_chat_delivers_a_snoozed_reminder_when_it_is_due(tmp_path):
    settings = Settings(
        data_dir=tmp_path / "data",
        reminder_dispatch_seconds=0.05,  # the job ticks fast; the clock below decides what is due
        _env_file=None,  # type: ignore[call-arg]
    )
    clock = Clock(dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC))  # a Wednesday, after the run
    out = io.StringIO()
    marks: dict[str, int] = {}

    def advance() -> None:
        marks["snoozed"] = len(out.getvalue())
        clock.now += dt.timedelta(minutes=31)

    def due() -> None:
        _until_shown(out, "Time for Strength", after=marks["snoozed"], clock=clock)()

    typist = Typist(
        *["6", WORKED_WEEK, "2", "25 min", "After easy runs", "1", "6", "8", "11", "1"],
        "/today",
        "Snooze",
        "30 min",
        _until_shown(out, "I'll remind you again at 12:30"),
        advance,
        due,
        "/quit",
    )
    assert await chat(settings, stdin=typist, out=out, clock=clock) == 0  # type: ignore[arg-type]
    screen = out.getvalue()
    assert "Hi there!" in screen  # no name given: none made up
    reminder = screen[marks["snoozed"] :]
    assert "💪 Time for Strength" in reminder and "[1] ✅ Done" in reminder


async def test_terminal_chat_greets_by_the_name_given_and_export_writes_a_file(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    out = io.StringIO()
    typist = Typist("/export", "/quit")
    assert await chat(settings, stdin=typist, out=out, name="Sam") == 0  # type: ignore[arg-type]
    screen = out.getvalue()
    assert "Hi Sam!" in screen
    [path] = (tmp_path / "data").glob("runcoach-*.json")
    assert f"Saved to {path.resolve()}" in screen
    assert json.loads(path.read_text())


async def test_terminal_chat_sends_a_gone_buttons_label_as_a_message(tmp_path):
    # "hard" names a button of "How did it feel?", gone once "Easy" was pressed: on Telegram
    # the word would reach the coach as a message, and so it does here.
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    wednesday = Clock(dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC))  # a strength day
    setup = ("6", WORKED_WEEK, "2", "25 min", "After easy runs", "1", "6", "8", "11", "1")
    typed = "\n".join((*setup, "/today", "Done", "Easy", "hard", "/quit"))
    out = io.StringIO()
    assert await chat(settings, stdin=io.StringIO(typed + "\n"), out=out, clock=wednesday) == 0
    screen = out.getvalue()
    assert "Noted: it felt easy." in screen
    assert "buttons are gone" not in screen
    assert (
        screen.rstrip()
        .split("you ▸ hard", 1)[1]
        .lstrip()
        .startswith("coach ▸ Noted: it felt hard.")
    )
