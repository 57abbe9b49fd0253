"""Moving runs in the usual week by typing, through the real bot: /settings → Running week →
a typed move → /plan shows it (docs/understanding.md, "Moves")."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import texts
from storage import repo
from storage.tables import runner_week
from tests.bot.conftest import WORKED_WEEK, Clock, Coach

# Joined on Monday: the whole week is planned, so every day shows in /plan.
JOINED_MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


async def onboarded(coach: Coach, clock: Clock) -> None:
    clock.now = JOINED_MONDAY
    await coach.onboard_typing()
    await coach.send("/settings")
    await coach.tap("Running week")
    assert "Sat long 08:00" in coach.last()


async def stored_week(coach: Coach) -> str:
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=42)
        assert runner is not None
        return ", ".join(
            f"{d.kind.value}{' ' + format(d.start, '%H:%M') if d.start else ''}"
            for d in runner_week(runner).days
        )


def overview(coach: Coach) -> str:
    return next(t for t in reversed(coach.texts()) if t.startswith("Your week from"))


@pytest.mark.parametrize("typed", ["move long run to sunday", "move lnog run to sunday"])
async def test_moving_the_long_run_to_sunday(coach: Coach, clock: Clock, typed: str):
    await onboarded(coach, clock)
    await coach.send(typed)
    text = "\n".join(coach.texts()[-4:])
    assert "Moved your long run from Saturday to Sunday; Saturday is now a rest day." in text
    assert texts.SETTINGS_SAVED in text
    # The other days are kept; Saturday rests, Sunday is the long run at its own time.
    assert await stored_week(coach) == (
        "rest, intervals 18:00, easy 07:00, tempo 18:00, rest, rest, long 08:00"
    )
    await coach.send("/plan")
    lines = overview(coach).splitlines()
    assert any(line.startswith("Sat 28 · rest day") for line in lines)
    assert any(line.startswith("Sun 29 · long run 08:00") for line in lines)
    assert any(line.startswith("Tue 24 · intervals 18:00") for line in lines)


async def test_swapping_two_days(coach: Coach, clock: Clock):
    await onboarded(coach, clock)
    await coach.send("swap tue and thrusday")
    assert any(t.startswith("Swapped Tuesday and Thursday") for t in coach.texts()[-4:])
    await coach.send("/plan")
    lines = overview(coach).splitlines()
    assert any(line.startswith("Tue 24 · tempo run 18:00") for line in lines)
    assert any(line.startswith("Thu 26 · intervals 18:00") for line in lines)


async def test_moving_a_named_days_run(coach: Coach, clock: Clock):
    await onboarded(coach, clock)
    await coach.send("move thursday's tempo to friday")
    assert any("Thursday is now a rest day" in t for t in coach.texts()[-4:])
    await coach.send("/plan")
    lines = overview(coach).splitlines()
    assert any(line.startswith("Fri 27 · tempo run 18:00") for line in lines)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("move hills to sunday", "There's no hill session in your week to move."),
        ("long run on saturday", "Your long run is already on Saturday."),
        ("move easy run to monday", "You have an easy run on Wed and Sun: which one?"),
    ],
)
async def test_an_impossible_move_answers_and_asks_again(
    coach: Coach, clock: Clock, typed: str, why: str
):
    await onboarded(coach, clock)
    question = coach.last()
    before = await stored_week(coach)
    await coach.send(typed)
    replies = coach.texts()[-2:]
    assert any(why in t for t in replies), replies
    assert coach.last() == question  # the same question again
    assert await stored_week(coach) == before  # nothing changed
    await coach.send("move long run to sunday")  # and the dialog goes on
    assert any("Moved your long run" in t for t in coach.texts()[-4:])


async def test_a_move_at_the_setup_week_question_before_any_week(coach: Coach):
    await coach.send("/start")
    await coach.send("no race")
    await coach.send("move long run to sunday")
    assert "Type it first" in "\n".join(coach.texts()[-2:])
    await coach.send(WORKED_WEEK)  # the week question is still open
    assert "Got it:" in "\n".join(coach.texts()[-3:])


async def test_a_move_with_pain_goes_to_the_pain_check(coach: Coach, clock: Clock):
    await onboarded(coach, clock)
    before = await stored_week(coach)
    await coach.send("my knee hurts, move long run to sunday")
    assert not any("Moved your long run" in t for t in coach.texts()[-3:])
    assert await stored_week(coach) == before
    assert any("knee" in t.lower() or "pain" in t.lower() for t in coach.texts()[-3:])


async def test_a_move_at_the_setup_week_question_from_edit(coach: Coach, clock: Clock):
    clock.now = JOINED_MONDAY
    for answer in ("/start", "no race", WORKED_WEEK, "2", "25", "either", "none", "UTC", "none"):
        await coach.send(answer)
    await coach.tap("✏️ Edit")
    await coach.tap("Running week")
    await coach.send("long run on sunday")
    assert any("Moved your long run from Saturday to Sunday" in t for t in coach.texts()[-3:])
    assert "Sun long 08:00" in coach.last()  # the summary, with the week as moved
    await coach.tap("✅ Confirm")
    assert await stored_week(coach) == (
        "rest, intervals 18:00, easy 07:00, tempo 18:00, rest, rest, long 08:00"
    )
    await coach.send("/plan")
    assert any(line.startswith("Sun 29 · long run 08:00") for line in overview(coach).splitlines())
