"""The pain check (docs/safety.md), through the real dispatcher."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import texts
from bot.pain import NO_PAIN_TODAY, STILL_NO_PAIN
from bot.plans import plan_for
from bot.reminders import dispatch_due
from core import pain_content as content
from core.areas import AREA_LABELS
from core.exercises import LIBRARY
from core.flags import RedFlag, Screen, Urgency
from core.models import BodyArea
from storage import repo
from storage.tables import Runner
from tests.bot.conftest import Coach

NONE = content.NONE_OF_THESE
BY_NAME = {e.name: e for e in LIBRARY}


async def runner_of(coach: Coach, chat_id: int = 42) -> Runner:
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=chat_id)
        assert runner is not None
        return runner


async def upcoming(coach: Coach) -> list[str]:
    runner = await runner_of(coach)
    async with coach.app.bot_data["runtime"].sessions() as db:
        rows = await repo.upcoming_reminders(
            db, runner_id=runner.id, now=coach.app.bot_data["runtime"].clock(), limit=50
        )
    return [r.kind for r in rows]


async def no_flags(coach: Coach) -> None:
    for screen in Screen:
        assert coach.last() == content.SCREEN_TEXTS[screen]
        await coach.tap(NONE)


async def report(
    coach: Coach, *, area: str, score: str, when: str, building: str = "No", walking="Yes"
):
    await no_flags(coach)
    await coach.tap(area)
    await coach.tap(score)
    await coach.tap("Yes, normally" if walking == "Yes" else "No, I'm limping or can't")
    await coach.tap(when)
    await coach.tap(building)


async def test_pain_mid_setup_screens_first_then_resumes_the_question(coach: Coach):
    await coach.send("/start")
    await coach.send("marathon")
    race_question = coach.last()
    await coach.send("ouch, my knee hurts")
    assert coach.texts()[-2] == texts.PAIN_START
    assert coach.last() == content.SCREEN_TEXTS[Screen.NOW]  # red flags come first
    await report(coach, area="Knee (outside)", score="3", when="After the run")
    after = coach.texts()
    i = after.index(content.GREEN_ADVICE)
    assert after[i + 1] == content.AREA_NOTES[BodyArea.KNEE_OUTSIDE]
    assert "never push through pain" in after[i + 2] and "not medical advice" in after[i + 2]
    assert after[-2] == texts.BACK_TO_QUESTIONS
    assert after[-1] == race_question  # the interrupted setup carries on
    await coach.send("2027-04-25")
    assert coach.last().startswith("Now your usual running week")


@pytest.mark.parametrize(
    ("taps", "head"),
    [
        ([content.FLAG_BUTTONS[RedFlag.CHEST_NOW]], "🚨"),
        ([NONE, content.FLAG_BUTTONS[RedFlag.CHEST_RECENT]], "⚠️"),
        ([NONE, NONE, content.FLAG_BUTTONS[RedFlag.CALF_CLOT]], "⚠️"),
    ],
)
async def test_a_red_flag_gets_escalation_only_and_pauses_the_plan(coach: Coach, taps, head):
    await coach.onboard_typing()
    await coach.send("/pain")
    before = len(coach.texts())
    for label in taps:
        await coach.tap(label)
    said = coach.texts()[before:]
    assert said[-1].startswith(head)  # first and alone: nothing after it, no exercise tips
    assert "999" in said[-1]  # Europe/London: the UK's numbers
    assert ("NHS 111" in said[-1]) == (head == "⚠️")
    assert content.PLAN_PAUSED in said[-1]
    assert not any("Strength" in t or "🟢" in t for t in said)
    assert content.ASK_AREA not in said  # no more questions once a red flag is raised
    runner = await runner_of(coach)
    assert runner.pause_reason == "injury"
    assert "no-running" in runner.pain_areas and "upper-only" in runner.pain_areas
    assert await upcoming(coach) == ["pain"]  # only the next-day check, nothing else


async def test_within_days_flags_pause_running_and_keep_strength_to_upper_body(coach: Coach):
    await coach.onboard_typing()
    await coach.send("/pain")
    for _ in range(3):
        await coach.tap(NONE)
    await coach.tap(content.FLAG_BUTTONS[RedFlag.BONE_SPOT])
    await coach.tap("Shin")
    await coach.tap("4")
    await coach.tap("Yes, normally")
    said = coach.last()
    assert said.startswith("Please book a doctor or a sports physio")
    assert content.FLAG_REASONS[RedFlag.BONE_SPOT] in said
    assert "hop" in said  # never asked to hop-test: told not to
    runner = await runner_of(coach)
    assert runner.pause_reason is None  # reminders go on, without runs
    for day in plan_for(runner, dt.date(2026, 11, 23)).days:
        assert not day.day.kind.is_run
        if day.session is not None:
            assert day.session.notes[0] == content.UPPER_ONLY_NOTE
            for p in day.session.exercises:
                assert not p.exercise.loads & {BodyArea.SHIN, BodyArea.CALF, BodyArea.KNEE_FRONT}
    assert "strength" not in await upcoming(coach)


@pytest.mark.parametrize(
    ("score", "when", "building", "advice", "level"),
    [
        ("2", "After the run", "No", content.GREEN_ADVICE, 0),
        ("2", "The next morning", "No", content.AMBER_ADVICE, 0),
        ("5", "During the run", "No", content.AMBER_ADVICE, 0),
        ("7", "During the run", "No", content.RED_ADVICE, -1),
        ("1", "During the run", "Yes", content.RED_ADVICE, -1),
    ],
)
async def test_each_severity_band_gets_its_advice(
    coach: Coach, score, when, building, advice, level
):
    await coach.onboard_typing()
    await coach.send("pain")
    await report(coach, area="Calf", score=score, when=when, building=building)
    assert advice in coach.texts()
    assert (await runner_of(coach)).level == level


@pytest.mark.parametrize("score", ["8", "10"])
async def test_eight_or_more_goes_to_same_day_care(coach: Coach, score):
    await coach.onboard_typing()
    await coach.send("pain")
    await no_flags(coach)
    await coach.tap("Hip / glute")
    await coach.tap(score)
    assert coach.last().startswith("⚠️")
    assert content.FLAG_REASONS[RedFlag.SEVERE] in coach.last()


async def test_not_walking_normally_goes_to_same_day_care(coach: Coach):
    await coach.onboard_typing()
    await coach.send("pain")
    await no_flags(coach)
    await coach.tap("Foot / heel")
    await coach.tap("3")
    await coach.tap("No, I'm limping or can't")
    assert coach.last().startswith("⚠️")


@pytest.mark.parametrize("area", list(BodyArea))
async def test_the_plan_drops_every_exercise_loading_the_sore_area(coach: Coach, area):
    await coach.onboard_typing()
    await coach.send("pain")
    await report(coach, area=AREA_LABELS[area], score="5", when="After the run")
    runner = await runner_of(coach)
    today = dt.date(2026, 11, 23)
    for weeks in range(3):
        plan = plan_for(runner, today + dt.timedelta(weeks=weeks))
        for day in plan.sessions:
            for p in day.session.exercises:
                assert area not in p.exercise.loads, (area, p.exercise.name)
    change = next(
        t for t in coach.texts() if t.startswith(content.PLAN_ADAPTED) or t.startswith("None")
    )
    # What the runner is told changed is what changed: each name said to be gone is gone
    # from that day's session, and what it was swapped for is there.
    week = {d.weekday.title: d for d in plan_for(runner, dt.date(2026, 11, 23)).days}
    for line in change.splitlines()[1:]:
        day = week[line.removeprefix("• ").split(":")[0]]
        kept = {p.exercise.name for p in day.session.exercises} if day.session else set()
        for name in BY_NAME:
            left_out = "left out" in line and name in line.split("left out")[1]
            if left_out or f"{name} swapped" in line:
                assert name not in kept, (line, area)
            if f"swapped for {name}" in line:
                assert name in kept, (line, area)
    await coach.send("/plan")
    shown = "\n".join(coach.texts()[-3:])
    for line in shown.splitlines():
        if line.strip().startswith("• ") and ":" in line:
            name = line.strip()[2:].split(":")[0]
            if name in BY_NAME:
                assert area not in BY_NAME[name].loads, name


async def test_a_mildly_sore_achilles_keeps_its_calf_raises(coach: Coach):
    await coach.onboard_typing()
    await coach.send("pain")
    await report(coach, area="Achilles", score="2", when="After the run")
    assert content.GREEN_TENDON_ADVICE in coach.texts()
    assert content.PLAN_KEEPS_LOADING in coach.texts()  # true here: the calf raises stay
    runner = await runner_of(coach)
    keys = {
        p.exercise.key
        for d in plan_for(runner, dt.date(2026, 11, 30)).sessions
        for p in d.session.exercises
    }
    assert keys & {"standing_calf_raise", "bent_knee_calf_raise", "eccentric_heel_drop"}
    assert "pogo_hops" not in keys


async def test_knee_typed_is_asked_which_part(coach: Coach):
    await coach.onboard_typing()
    await coach.send("pain")
    await no_flags(coach)
    await coach.send("knee")
    assert "tap the area" in coach.texts()[-2].lower()
    assert coach.last() == content.ASK_AREA
    await coach.send("achilles")
    assert coach.last() == content.ASK_SCORE


async def test_not_now_stops_with_one_safety_line_and_nothing_is_changed(coach: Coach):
    await coach.onboard_typing()
    await coach.send("my calf hurts")
    await coach.send("not now")
    assert coach.last().startswith("OK, we'll leave it for now.")
    assert "999" in coach.last()  # the safety line, with the UK's number
    runner = await runner_of(coach)
    assert runner.pain_areas == [] and runner.pause_reason is None
    await coach.send("/plan")
    assert any("Your week" in t for t in coach.texts()[-3:])


async def followup(coach: Coach, clock, answer: str) -> str:
    """Next morning: the check-in arrives; the runner taps an answer; the coach's reply."""
    clock.now = clock.now + dt.timedelta(days=1)
    clock.now = clock.now.replace(hour=7, minute=5)
    before = len(coach.texts())
    await dispatch_due(coach.app, now=clock.now)
    # The morning message may come first: one message a second per chat.
    await dispatch_due(coach.app, now=clock.now + dt.timedelta(seconds=2))
    assert any(t.startswith("Checking in") for t in coach.texts()[before:]), coach.texts()
    await coach.tap(answer)
    return coach.last()


async def test_followups_until_it_settles_then_the_plan_steps_back_up(coach: Coach, clock):
    await coach.onboard_typing()
    await coach.send("pain")
    await report(coach, area="Achilles", score="6", when="During the run")
    assert (await runner_of(coach)).level == -1
    assert await followup(coach, clock, "3") == content.FOLLOWUP_BETTER
    await followup(coach, clock, "0")
    # Cleared: back in steps over the weeks (tests/bot/test_room.py), the area out this week.
    assert any(t.startswith(NO_PAIN_TODAY) for t in coach.texts()[-2:])
    runner = await runner_of(coach)
    assert runner.pain_areas == ["achilles", "check-ins"] and runner.level == -1
    await followup(coach, clock, "0")  # Monday: the next week of the return
    assert any(t.startswith(STILL_NO_PAIN) for t in coach.texts()[-2:])
    runner = await runner_of(coach)
    assert runner.pain_areas == [] and runner.level == -1  # every exercise, a step easier


async def test_three_checkins_with_pain_lead_to_a_physio_with_a_summary(coach: Coach, clock):
    await coach.onboard_typing()
    await coach.send("pain")
    await report(coach, area="Hamstring / sit-bone", score="4", when="After the run")
    await followup(coach, clock, "4")
    await followup(coach, clock, "3")
    summary = await followup(coach, clock, "3")
    assert coach.texts()[-2].startswith(
        "It's time to see a physio or doctor: it has hurt at three"
    )
    assert "Where: Hamstring / sit-bone" in summary and "Scores (0-10)" in summary
    # From now on the check-ins ask whether they've been seen.
    assert await followup(coach, clock, content.NOT_SEEN) == (
        content.NOT_SEEN_TEXT[Urgency.WITHIN_DAYS].format(
            emergency="999", same_day=content.SERVICES["GB"][1]
        )
    )


async def test_worse_twice_in_a_row_leads_to_a_physio(coach: Coach, clock):
    await coach.onboard_typing()
    await coach.send("pain")
    await report(coach, area="Foot / heel", score="3", when="After the run")
    await followup(coach, clock, "4")
    await followup(coach, clock, "5")
    assert coach.texts()[-2].startswith("It's time to see a physio or doctor: it has got worse")


async def test_painlog_lists_every_report(coach: Coach, clock):
    await coach.onboard_typing()
    await coach.send("/painlog")
    assert coach.last() == texts.PAINLOG_EMPTY
    await coach.send("pain")
    await report(coach, area="Shin", score="5", when="After the run")
    await followup(coach, clock, "2")
    await coach.send("/painlog")
    log = coach.last()
    assert "Shin, 5/10 (report)" in log and "Shin, 2/10 (check-in)" in log


async def test_the_pain_button_on_today_starts_the_flow(coach: Coach, clock):
    await coach.onboard_typing()
    clock.now = clock.now.replace(day=29, hour=11)
    await coach.send("/today")
    await coach.tap("🩹 Pain")
    assert coach.last() == content.SCREEN_TEXTS[Screen.NOW]


async def test_pain_during_settings_resumes_settings(coach: Coach):
    await coach.onboard_typing()
    await coach.send("/settings")
    await coach.send("minutes")
    await coach.send("pain")
    await coach.send("not now")
    assert coach.last() == texts.ASK_MINUTES
    await coach.send("30")
    assert (await runner_of(coach)).minutes == 30
