"""Typed answers to the questions under /today and /pause (issue 14, "typed answers everywhere
a button is offered"): a snooze time after Snooze, a day after Move, yes or no before a
recorded session changes, and a /pause date that reads two ways, echoed with the other
reading a tap away."""

from __future__ import annotations

import datetime as dt

from bot import texts
from tests.bot.conftest import WORKED_WEEK, Clock, Coach


async def sunday_strength(coach: Coach, clock: Clock) -> None:
    await coach.onboard_typing()
    clock.now = clock.now.replace(day=29, hour=11)  # Sunday 11:00 in London: a strength day


async def test_a_snooze_time_typed_after_snooze(coach, clock):
    await sunday_strength(coach, clock)
    await coach.send("/today")
    await coach.send("snooze")
    assert coach.last() == texts.SNOOZE_CHOICES
    await coach.send("in an hour")  # not one of the three: asked again, with the buttons
    assert coach.last() == texts.SNOOZE_WHICH
    assert coach.labels() == ["30 min", "2 h", "Tonight"]
    await coach.send("in 2 hours")
    assert coach.last() == "OK, I'll remind you again at 13:00."
    await coach.send("/today")
    assert coach.last().startswith("⏰ Snoozed until 13:00.")
    await coach.send("snooze")
    await coach.send("tonight")
    assert coach.last() == "OK, I'll remind you again at 19:00."


async def test_done_typed_while_the_snooze_question_is_open_is_done(coach, clock):
    await sunday_strength(coach, clock)
    await coach.send("snooze")
    await coach.send("done")
    assert coach.texts()[-2] == texts.LOGGED_DONE


async def test_yes_and_no_typed_before_a_recorded_session_changes(coach, clock):
    await sunday_strength(coach, clock)
    await coach.send("done")
    await coach.send("skip")  # at "How did it feel?": the question is skipped
    assert coach.last() == texts.FEEL_SKIPPED
    await coach.send("skip")
    assert coach.last() == "You logged today's session as done at 11:00. Change it to skipped?"
    await coach.send("maybe")
    assert coach.last() == texts.CHANGE_YES_OR_NO
    assert coach.labels() == ["Yes, mark skipped", "No, keep done"]
    await coach.send("nope")
    assert coach.last() == "Kept: done at 11:00."
    await coach.send("/today")
    assert coach.last().startswith("✅ Done at 11:00.")
    await coach.send("skip")
    await coach.send("yes please")
    assert coach.last() == "Changed: now logged as skipped."
    await coach.send("/today")
    assert coach.last().startswith("⏭ Skipped.")


# Two sessions among five easy runs: Monday's can move to a day that keeps them apart.
MOVE_WEEK = (
    "Mon easy 07:00, Tue easy 07:00, Wed easy 07:00, Thu easy 07:00, Fri easy 07:00, "
    "Sun long 08:00"
)


async def test_a_day_typed_after_move(coach, clock):
    clock.now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # Monday: a whole first week
    await coach.onboard_typing(week=MOVE_WEEK)
    await coach.send("/plan")
    assert "Mon 23 · easy run 07:00 · 💪" in coach.last()
    await coach.send("move it")
    assert coach.last().startswith("Move Monday's "), coach.texts()[-3:]
    offered = coach.labels()
    assert offered and "Sun 29" not in offered  # the long run's day is never offered
    await coach.send("banana")  # not a day: which day, and the days again
    assert coach.last().startswith(texts.MOVE_WHICH_DAY)
    assert coach.labels() == offered
    await coach.send("sundy")  # a typo of a day it may not go to: why not, and the days again
    assert coach.last().startswith("It can't go on Sun 29: ")
    assert coach.labels() == offered
    target = offered[0]  # e.g. "Thu 26"
    weekday = {"Tue": "tuesday", "Wed": "wednesday", "Thu": "thrusday", "Fri": "friday"}
    await coach.send(weekday[target[:3]])
    assert coach.last().startswith("Moved: ") and f" on {target[:3]}" in coach.last()


async def test_a_pause_date_that_reads_two_ways_is_echoed_by_zone(coach, clock):
    await coach.onboard_typing()  # Europe/London: day first
    await coach.send("/pause")
    await coach.send("05/01/2027")
    assert coach.texts()[-2].startswith("Reminders paused until Tuesday 05 January.")
    assert coach.last().startswith(
        "I read 05/01/2027 day first (as dates are written in Europe/London)"
    )
    assert coach.labels() == ["Until Sat 01 May"]
    await coach.tap("Until Sat 01 May")
    assert coach.last().startswith("Reminders paused until Saturday 01 May.")


async def test_a_pause_date_in_a_us_zone_is_month_first(coach, clock):
    for answer in ("/start", "no race", WORKED_WEEK, "2", "25", "after runs", "none"):
        await coach.send(answer)
    for answer in ("America/New_York", "none", "yes"):
        await coach.send(answer)
    await coach.send("/pause 05/01/2027")
    assert coach.texts()[-2].startswith("Reminders paused until Saturday 01 May.")
    assert "month first (as dates are written in America/New_York)" in coach.last()
    assert coach.labels() == ["Until Tue 05 Jan"]
    await coach.send("/pause 25/01/2027")  # one reading only: no echo
    assert coach.last().startswith("Reminders paused until Monday 25 January.")


async def test_yes_or_no_typed_to_switch_the_time_zone(coach, clock):
    await coach.onboard_typing()  # Europe/London
    await coach.deliver(coach.standin.location_update(42, 35.681, 139.767, 42))  # Tokyo
    assert coach.last().startswith("Switch to Asia/Tokyo?")
    await coach.send("hmm")  # neither: the question again, with its buttons
    assert coach.last() == texts.SWITCH_YES_OR_NO.format(zone="Asia/Tokyo")
    assert coach.labels() == ["Yes", "No"]
    await coach.send("nope")
    assert coach.last() == "Kept Europe/London. Your reminders stay on its time."
    await coach.deliver(coach.standin.location_update(42, 35.681, 139.767, 42))
    await coach.send("yes please")
    assert coach.last().startswith("Your time zone is now Asia/Tokyo")
    await coach.send("yes")  # the question is closed: not read as a second switch
    assert not coach.last().startswith("Your time zone is now")


async def test_move_typed_on_a_day_without_strength(coach, clock):
    await coach.onboard_typing()
    clock.now = clock.now.replace(day=28)  # Saturday: the long run, no strength
    await coach.send("move")
    assert coach.last() == texts.NO_SESSION_TODAY
