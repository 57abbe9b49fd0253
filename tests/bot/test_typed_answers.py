"""Typed answers to every question, through the real dispatcher: each with the reading or the
follow-up question expected (issue 14: typos, loose times, workout notation, partial weeks,
yes/no, numbers in words, dates)."""

from __future__ import annotations

import pytest

from bot import texts
from storage import repo
from tests.bot.conftest import WORKED_WEEK, Coach

GOAL = ("/start",)
DATE = (*GOAL, "marathon")
WEEK = (*GOAL, "no race")
SESSIONS = (*WEEK, WORKED_WEEK)
MINUTES = (*SESSIONS, "2")
PLACEMENT = (*MINUTES, "25")
EQUIPMENT = (*PLACEMENT, "either")
ZONE = (*EQUIPMENT, "none")
LIFTING = (*EQUIPMENT, "a gym")
NIGGLES = (*ZONE, "UTC")
SUMMARY = (*NIGGLES, "none")
MONDAY = (*WEEK, "day by day")
TUESDAY_TIME = (*MONDAY, "rest", "intervals")

RACE_Q = "When is your race"
WEEK_Q = "Now your usual running week"
SESSIONS_Q = "How many strength sessions"
MINUTES_Q = "How many minutes"
HARD_DAYS_Q = "Your week has room for 2 of"
PLACEMENT_Q = "Where would you like strength"
EQUIPMENT_Q = "What can you train with"
ZONE_Q = "Which time zone"
LIFTING_Q = "How much lifting have you done"
NIGGLES_Q = "Any niggles"
SUMMARY_Q = "Here's what I have"

TABLE = [
    # the goal
    (GOAL, "HALF", RACE_Q),
    (GOAL, "half marathon", RACE_Q),
    (GOAL, "Marthon", RACE_Q),
    (GOAL, "10km", RACE_Q),
    (GOAL, "parkrun", RACE_Q),
    (GOAL, "no", WEEK_Q),
    (GOAL, "just fitness", WEEK_Q),
    (GOAL, "banana", "Pick one of the buttons"),
    # the race date
    (DATE, "no", WEEK_Q),
    (DATE, "not yet", WEEK_Q),
    (DATE, "15 march", WEEK_Q),
    (DATE, "15 febuary 2027", WEEK_Q),
    (DATE, "in 2 weeks", WEEK_Q),
    (DATE, "next friday", WEEK_Q),
    (DATE, "05/01/2027", "Just to be sure: Tuesday 05 January 2027?"),
    (DATE, "2020-01-01", "already passed"),
    (DATE, "sometime", "couldn't read that as a date"),
    # the week in one message
    (WEEK, "Mon rest, Tue 8x400 at 6pm, Wed easy 5k at 7, Sat 10 mile long run", SESSIONS_Q),
    (WEEK, "Mon rest, Tue 8x400 at 6pm, Sat long run", "about 50 min for 8x400"),
    (WEEK, "Tue 8x400 at 6pm, Thu easy 0730, Sat long run 8am", "Mon, Wed, Fri and Sun: rest"),
    (WEEK, "Tue intervals 18h, Thu tempo 18h00, Sat long run morning", "Tue intervals 18:00"),
    (WEEK, "Tue gym, Wed run commute, Sat parkrun tempo", "Wed easy"),
    (WEEK, "Mon double run 6am and 6pm, Sat long run", SESSIONS_Q),
    (WEEK, "Thrusday tempo 18:00, Sat lnog run 8am", "Thu tempo 18:00"),
    (WEEK, "Tue intervalz 18:00, Sat long 8am", SESSIONS_Q),
    (WEEK, "Wed easy before work, Fri easy lunchtime, Sun long run after work", "Wed easy 06:30"),
    (WEEK, "Mon easy 7am, Thu tempo at 3, Sat long 8am", 'read Thu ("Thu tempo at 3")'),
    (WEEK, "Mon easy 7am, Sat 10k", "What kind of run is it"),
    (WEEK, "Mon easy 7am, Tue banana", "I got Mon"),
    (WEEK, "hello there", "couldn't find a day of the week"),
    (WEEK, "day by day", "Monday: what do you usually do?"),
    # day by day
    (MONDAY, "rest", "Tuesday: what do you usually do?"),
    (MONDAY, "No run", "Tuesday: what do you usually do?"),
    (MONDAY, "lnog run", "Monday: what time"),
    (MONDAY, "easy 7am", "Tuesday: what do you usually do?"),
    (MONDAY, "8x400 at 6pm", "Tuesday: what do you usually do?"),
    (MONDAY, "back", WEEK_Q),
    (MONDAY, "banana", "Tap one of the buttons"),
    (TUESDAY_TIME, "at 7", "Wednesday: what do you usually do?"),
    (TUESDAY_TIME, "0730", "Wednesday: what do you usually do?"),
    (TUESDAY_TIME, "18h", "Wednesday: what do you usually do?"),
    (TUESDAY_TIME, "after work", "Wednesday: what do you usually do?"),
    (TUESDAY_TIME, "no fixed time", "Wednesday: what do you usually do?"),
    (TUESDAY_TIME, "back", "Tuesday: what do you usually do?"),
    (TUESDAY_TIME, "at 3", 'Is "at 3" 15:00 (3pm)?'),
    # sessions
    (SESSIONS, "two please", MINUTES_Q),
    # three or four don't fit the worked week: a session after a hard run is offered
    (SESSIONS, "three", HARD_DAYS_Q),
    (SESSIONS, "4 sessions", HARD_DAYS_Q),
    (SESSIONS, "5", 'Did you mean "4"?'),
    (SESSIONS, "7", "choose 2, 3 or 4"),
    # minutes
    (MINUTES, "about 20 mins", PLACEMENT_Q),
    (MINUTES, "twenty-five", PLACEMENT_Q),
    (MINUTES, "half an hour", PLACEMENT_Q),
    (MINUTES, "45", PLACEMENT_Q),
    (MINUTES, "500", "between 10 and 90"),
    # placement
    (PLACEMENT, "after runs", EQUIPMENT_Q),
    (PLACEMENT, "on days without a run", "Every day without a run in your week is a rest day"),
    (PLACEMENT, "dont mind", EQUIPMENT_Q),
    (PLACEMENT, "afetr easy runs", EQUIPMENT_Q),
    (PLACEMENT, "sometimes", "after runs, days off or either"),
    # equipment
    (EQUIPMENT, "no equipment", ZONE_Q),
    (EQUIPMENT, "nothing really, just my body", ZONE_Q),
    (EQUIPMENT, "dumbbells and a band", LIFTING_Q),  # off-season with dumbbells
    # lifting experience
    (LIFTING, "never lifted", ZONE_Q),
    (LIFTING, "a bit", ZONE_Q),
    (LIFTING, "EXPERIENCED", ZONE_Q),
    (LIFTING, "purple", "type new, some or experienced"),
    (EQUIPMENT, "a car", "none for bodyweight"),
    # time zone
    (ZONE, "Londn", NIGGLES_Q),
    (ZONE, "paris", NIGGLES_Q),
    (ZONE, "Atlantis", "don't know that"),
    # niggles
    (NIGGLES, "achiles", SUMMARY_Q),
    (NIGGLES, "left knee and hamstrng", SUMMARY_Q),
    (NIGGLES, "none", SUMMARY_Q),
    (NIGGLES, "elbow", "elbow"),
    # the summary
    (SUMMARY, "yep", texts.SETUP_DONE),
    (SUMMARY, "no", "Which answer would you like to change?"),
    # a command in the middle of a question
    (SESSIONS, "/frobnicate", "I don't know /frobnicate"),
]


@pytest.mark.parametrize(("before", "typed", "expected"), TABLE)
async def test_a_typed_answer_is_read_or_asked_about(coach: Coach, before, typed, expected):
    for answer in before:
        await coach.send(answer)
    seen = len(coach.texts())
    await coach.send(typed)
    replies = "\n".join(coach.texts()[seen:])
    assert expected in replies, replies
    async with coach.app.bot_data["runtime"].sessions() as db:
        dialog = await repo.get_kv(db, namespace="dialog", key="42")
    if expected != texts.SETUP_DONE:  # nothing entered is lost
        assert dialog is not None


def test_the_table_is_big_enough():
    assert len(TABLE) >= 60


async def test_did_you_mean_takes_yes(coach: Coach):
    for answer in SESSIONS:
        await coach.send(answer)
    await coach.send("5")
    assert 'Did you mean "4"?' in coach.last()
    await coach.send("yes")
    assert coach.last().startswith(HARD_DAYS_Q)  # four don't fit the worked week


async def test_a_week_problem_is_asked_alone_and_the_rest_kept(coach: Coach):
    for answer in WEEK:
        await coach.send(answer)
    await coach.send("Mon easy 7am, Thu tempo at 3, Sat long 8am")
    assert "I got Mon and Sat" in coach.last()
    await coach.send("yes")  # its own suggestion: 15:00
    replies = "\n".join(coach.texts()[-3:])
    assert "Thu tempo 15:00" in replies and "Sat long 08:00" in replies
    assert coach.last().startswith(SESSIONS_Q)


async def test_settings_changes_only_the_day_typed(coach: Coach):
    await coach.onboard_typing()
    await coach.send("/settings")
    await coach.send("running week")
    assert "Your running week now:" in coach.last() and "Tue intervals 18:00" in coach.last()
    await coach.send("Thu easy 7am")
    replies = "\n".join(coach.texts()[-4:])
    assert "Changed Thu; the other days stay." in replies
    assert "Tue intervals 18:00, Wed easy 07:00, Thu easy 07:00" in replies


async def test_day_by_day_in_settings_has_keep_and_back(coach: Coach):
    await coach.onboard_typing()
    await coach.send("/settings")
    await coach.send("running week")
    await coach.tap("Day by day")
    assert {"Keep", "Back"} <= set(coach.labels())
    assert "Now: Mon rest" in coach.last()
    await coach.tap("Keep")
    assert coach.last().startswith("Tuesday: what do you usually do?")
    await coach.send("back")  # not a run: Monday again
    assert coach.last().startswith("Monday: what do you usually do?")
    for _ in range(7):
        await coach.send("keep")
        if coach.last().startswith(("Tuesday: what time", "Thursday: what time")):
            await coach.send("keep")
    text = "\n".join(coach.texts())
    assert texts.SETTINGS_SAVED in text


async def test_delete_and_pause_take_typed_answers(coach: Coach):
    await coach.onboard_typing()
    await coach.send("/pause")
    await coach.send("2 weeks")
    assert coach.last().startswith("Reminders paused until")
    await coach.send("/delete")
    await coach.send("no")
    assert coach.last() == texts.DELETE_KEPT
    await coach.send("/delete")
    await coach.send("yes")
    assert coach.last() == texts.DELETED


async def test_command_words_without_the_slash(coach: Coach):
    await coach.onboard_typing()
    seen = len(coach.texts())
    await coach.send("plan")
    assert any("Your week from" in t for t in coach.texts()[seen:])
    await coach.send("reminders")
    assert "/reminders" in coach.last()


async def test_settings_changes_one_day_from_its_button(coach: Coach):
    await coach.onboard_typing()
    await coach.send("/settings")
    await coach.send("running week")
    assert coach.labels()[:7] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    await coach.tap("Thu")
    assert coach.last().startswith("Thursday: what do you usually do?")
    assert "Now: Thu tempo 18:00" in coach.last()
    await coach.send("back")  # the week question again, nothing changed
    assert coach.last().startswith("Your running week now:")
    await coach.tap("Thu")
    await coach.send("easy")
    assert coach.last().startswith("Thursday: what time")
    await coach.send("7am")
    replies = "\n".join(coach.texts()[-4:])
    assert "Changed Thu; the other days stay." in replies
    await coach.send("/settings")
    await coach.send("running week")
    assert (
        "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu easy 07:00, Fri rest, "
        "Sat long 08:00, Sun easy 09:00" in coach.last()
    )
    await coach.tap("Sat")
    await coach.send("keep")  # the same day kept: nothing changed, and said so
    assert texts.WEEK_KEPT in "\n".join(coach.texts()[-3:])
