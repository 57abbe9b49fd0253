"""Enough, not too much (issue 15): the sessions question says how many sessions the week has
room for; where it has none for the number asked, a short session after a hard run is offered
with the runner's consent, in setup and /settings (docs/coaching.md, "Hard days hard")."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from bot.episodes import load_comeback
from bot.plans import plan_for
from bot.reminders import dispatch_due
from core.models import BodyArea
from core.planner import week_start_of
from tests.bot.conftest import WORKED_WEEK, Clock, Coach
from tests.bot.test_onboarding import stored_runner
from tests.bot.test_pain import followup, report, upcoming

ROOM = "Your week has room for 2, or 3 with short sessions after hard runs."
ASKED = "Your week has room for 2 of the 3 sessions you asked for."
BUTTONS = ["Yes, after a hard run", "No, keep it to 2"]


async def set_up(coach: Coach, sessions: str, *hard_days: str) -> None:
    for answer in ("/start", "no race", WORKED_WEEK, sessions, *hard_days):
        await coach.send(answer)
    for answer in ("25", "after runs", "none", "Europe/London", "none", "yes"):
        await coach.send(answer)
    assert (await stored_runner(coach)).onboarded


async def next_week(coach: Coach):
    runner = await stored_runner(coach)
    return plan_for(runner, week_start_of(runner.created_at.date()) + dt.timedelta(weeks=1))


async def test_the_sessions_question_says_how_many_the_week_has_room_for(coach: Coach) -> None:
    for answer in ("/start", "no race", WORKED_WEEK):
        await coach.send(answer)
    assert coach.last().endswith(ROOM)
    assert coach.labels() == ["2", "3", "4"]


async def test_a_runner_who_agrees_gets_a_short_session_after_a_hard_run(coach: Coach) -> None:
    await set_up(coach, "3", "maybe", "yes please")
    asked = [t for t in coach.texts() if t.startswith(ASKED)]
    assert len(asked) == 2  # a puzzling answer: a hint and the same question again
    assert any("type yes or no" in t for t in coach.texts())
    assert "never after the long run, never the day before a race" in asked[0]
    # What Yes gives, as the plan then holds it: 3, two of them after hard runs.
    assert "That would give you 3, 2 of them short sessions after hard runs." in asked[0]
    runner = await stored_runner(coach)
    assert runner.hard_day_sessions is True and runner.sessions_per_week == 3
    plan = await next_week(coach)
    assert len(plan.sessions) == 3 and plan.shortfall is None
    hard = [d for d in plan.sessions if d.day.kind.is_hard]
    assert len(hard) == 2 and all(d.session is not None and d.session.minutes <= 20 for d in hard)
    assert all("hard days hard" in d.reason for d in hard)
    assert all(d.day.kind.value != "long" for d in plan.sessions)
    days = sorted(d.date for d in plan.sessions)
    assert all((b - a).days > 1 for a, b in pairwise(days))


async def test_not_asked_when_the_week_has_room(coach: Coach) -> None:
    await set_up(coach, "2")
    assert not any(t.startswith("Your week has room for 2 of") for t in coach.texts())
    assert (await stored_runner(coach)).hard_day_sessions is False


async def test_settings_ask_when_more_sessions_are_wanted_and_change_the_answer(
    coach: Coach,
) -> None:
    await set_up(coach, "2")
    await coach.send("/settings")
    await coach.send("sessions")
    assert coach.last().endswith(ROOM)
    await coach.send("3")
    assert coach.last().startswith(ASKED) and coach.labels() == BUTTONS
    await coach.tap("No, keep it to 2")
    runner = await stored_runner(coach)
    assert runner.sessions_per_week == 3 and runner.hard_day_sessions is False
    plan = await next_week(coach)
    assert len(plan.sessions) == 2 and plan.shortfall is not None
    # Changed the mind later: the answer has its own line in /settings.
    await coach.send("/settings")
    assert "After hard runs" in coach.labels()
    await coach.tap("After hard runs")
    assert coach.last().startswith(ASKED)
    await coach.send("yes")
    assert (await stored_runner(coach)).hard_day_sessions is True
    assert len((await next_week(coach)).sessions) == 3


async def test_pain_typed_at_the_hard_day_question_reaches_the_pain_check(coach: Coach) -> None:
    for answer in ("/start", "no race", WORKED_WEEK, "3"):
        await coach.send(answer)
    assert coach.last().startswith(ASKED)
    seen = len(coach.texts())
    await coach.send("no, my knee hurts since the long run")
    said = coach.texts()[seen:]
    assert said[0].startswith("I'm sorry it hurts.")  # the pain check, not a "no" to the offer
    assert (await stored_runner(coach)).hard_day_sessions is False


# --- the stepped return after a pain episode (docs/coaching.md, "Progression") ------------

MONDAY = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


async def summary_on(coach: Coach, clock: Clock, sunday: dt.date) -> str:
    """The weekly summary the dispatcher sends at 19:00 on `sunday` (London is on UTC)."""
    clock.now = dt.datetime.combine(sunday, dt.time(19, 1), tzinfo=dt.UTC)
    before = len(coach.texts())
    await dispatch_due(coach.app, now=clock.now)
    weekly = [t for t in coach.texts()[before:] if t.startswith("Your week in numbers")]
    assert len(weekly) == 1, coach.texts()[before:]
    return weekly[0]


def loads_achilles(runner, monday: dt.date) -> bool:
    return any(
        BodyArea.ACHILLES in p.exercise.loads
        for d in plan_for(runner, monday).sessions
        if d.session is not None
        for p in d.session.exercises
    )


async def test_exercises_come_back_in_steps_after_a_pain_episode_clears(
    coach: Coach, clock: Clock
) -> None:
    clock.now = MONDAY
    await coach.onboard_typing()
    usual = (await stored_runner(coach)).level
    await coach.send("pain")
    await report(coach, area="Achilles", score="6", when="During the run")
    assert (await stored_runner(coach)).level == usual - 1
    await followup(coach, clock, "3")  # Tuesday
    await followup(coach, clock, "0")  # Wednesday: pain-free, the episode clears
    cleared = next(t for t in coach.texts()[-3:] if t.startswith("No pain today"))
    assert (
        "This week: sessions a step easier, still without the exercises that load the sore "
        "area. Next week: every exercise back, 1 step easier than usual." in cleared
    )
    runner = await stored_runner(coach)
    assert runner.level == usual - 1 and "achilles" in runner.pain_areas
    said = await followup(coach, clock, "0")  # Thursday: the check-ins end, the steps don't
    assert said.startswith("Still no pain") and "Next week: every exercise back" in said
    runner = await stored_runner(coach)
    assert runner.level == usual - 1 and runner.pain_areas == ["achilles"]
    assert not loads_achilles(runner, MONDAY.date())  # this week still spares it
    assert "pain" not in await upcoming(coach)  # no more check-ins
    # Sunday: next week brings the exercises back, still a step easier.
    summary = await summary_on(coach, clock, dt.date(2026, 12, 6))
    assert (
        "Next week: every exercise back, 1 step easier than usual. The week after: your usual "
        "sessions, at your usual level." in summary
    )
    runner = await stored_runner(coach)
    assert runner.level == usual - 1 and runner.pain_areas == []
    assert loads_achilles(runner, dt.date(2026, 12, 7))  # its exercises are back
    # The Sunday after: the usual level again, and the return is over.
    summary = await summary_on(coach, clock, dt.date(2026, 12, 13))
    assert "Next week: your usual sessions, at your usual level." in summary
    runner = await stored_runner(coach)
    assert runner.level == usual and runner.pain_areas == []
    async with coach.app.bot_data["runtime"].sessions() as db:
        assert await load_comeback(db, runner) is None  # the weekly step is back in charge
