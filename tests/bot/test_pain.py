"""Flow 4 of product.md and everything in safety.md, through the real dispatcher."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import texts
from bot.plans import plan_for
from bot.reminders import dispatch_due
from core import pain_content as content
from core.exercises import LIBRARY
from core.models import BodyArea
from storage import repo
from storage.tables import Runner
from tests.bot.conftest import Coach

NO_FLAGS = ("None of these", "None of these", "None of these")
BY_NAME = {e.name: e for e in LIBRARY}


async def runner_of(coach: Coach, chat_id: int = 42) -> Runner:
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=chat_id)
        assert runner is not None
        return runner


async def report(coach: Coach, *, area: str, score: str, when: str, building: str = "No"):
    for label in NO_FLAGS:
        await coach.tap(label)
    await coach.tap(area)
    await coach.tap(score)
    await coach.tap(when)
    await coach.tap(building)


async def test_pain_mid_setup_screens_first_then_resumes_the_question(coach: Coach):
    await coach.send("/start")
    await coach.send("marathon")
    race_question = coach.last()
    await coach.send("ouch, my knee hurts")
    assert coach.texts()[-2] == texts.PAIN_START
    assert coach.last() == content.EMERGENCY_SCREEN  # red flags come first
    await report(coach, area="Knee (front)", score="3", when="After the run")
    after = coach.texts()
    i = after.index(content.GREEN_ADVICE)
    assert after[i + 1] == content.AREA_NOTES[BodyArea.KNEE_FRONT]
    assert "never push through pain" in after[i + 2] and "not medical advice" in after[i + 2]
    assert after[-2] == texts.BACK_TO_QUESTIONS
    assert after[-1] == race_question  # the interrupted setup carries on
    await coach.send("2027-04-25")
    assert coach.last().startswith("Now your usual running week")


@pytest.mark.parametrize(
    ("taps", "advice"),
    [
        (["Yes, one of these"], content.EMERGENCY_ADVICE),
        (["None of these", "Yes, one of these"], content.SAME_DAY_ADVICE),
    ],
)
async def test_a_red_flag_gets_escalation_only_and_pauses_the_plan(coach: Coach, taps, advice):
    await coach.onboard_typing()
    await coach.send("/pain")
    before = len(coach.texts())
    for label in taps:
        await coach.tap(label)
    said = coach.texts()[before:]
    assert said[-1] == advice  # first and alone: nothing after it, no exercise tips
    assert not any("Strength" in t or "exercise" in t.lower() for t in said if t != advice)
    assert content.ASK_AREA not in said  # no more questions once a red flag is raised
    runner = await runner_of(coach)
    assert runner.pause_reason == "injury"
    async with coach.app.bot_data["runtime"].sessions() as db:
        rows = await repo.upcoming_reminders(
            db, runner_id=runner.id, now=coach.app.bot_data["runtime"].clock()
        )
    assert [r.kind for r in rows] == ["pain"]  # only the next-day check, nothing else


async def test_within_days_flags_send_to_a_professional_and_adapt(coach: Coach):
    await coach.onboard_typing()
    await coach.send("/pain")
    await coach.tap("None of these")
    await coach.tap("None of these")
    await coach.tap("Yes, one of these")
    await coach.tap("Shin")
    await coach.tap("4")
    await coach.tap("During the run")
    await coach.tap("No")
    assert content.WITHIN_DAYS_ADVICE in coach.texts()
    assert (await runner_of(coach)).pain_areas == ["shin"]


@pytest.mark.parametrize(
    ("score", "building", "advice", "level"),
    [
        ("2", "No", content.GREEN_ADVICE, 0),
        ("5", "No", content.AMBER_ADVICE, 0),
        ("7", "No", content.RED_ADVICE, -1),
        ("1", "Yes", content.RED_ADVICE, -1),
    ],
)
async def test_each_severity_band_gets_its_advice(coach: Coach, score, building, advice, level):
    await coach.onboard_typing()
    await coach.send("pain")
    await report(coach, area="Calf", score=score, when="During the run", building=building)
    assert advice in coach.texts()
    assert (await runner_of(coach)).level == level


@pytest.mark.parametrize("area", [a for a in BodyArea])
async def test_the_plan_drops_every_exercise_loading_the_sore_area(coach: Coach, area):
    await coach.onboard_typing()
    await coach.send("pain")
    from core.areas import AREA_LABELS

    await report(coach, area=AREA_LABELS[area], score="5", when="After the run")
    runner = await runner_of(coach)
    today = dt.date(2026, 11, 23)
    for weeks in range(3):
        plan = plan_for(runner, today + dt.timedelta(weeks=weeks))
        for day in plan.sessions:
            for p in day.session.exercises:
                assert area not in p.exercise.loads, (area, p.exercise.name)
    await coach.send("/plan")
    shown = "\n".join(coach.texts()[-3:])
    for line in shown.splitlines():
        if line.strip().startswith("• ") and ":" in line:
            name = line.strip()[2:].split(":")[0]
            if name in BY_NAME:
                assert area not in BY_NAME[name].loads, name


async def test_knee_typed_is_asked_which_part(coach: Coach):
    await coach.onboard_typing()
    await coach.send("pain")
    for label in NO_FLAGS:
        await coach.tap(label)
    await coach.send("knee")
    assert "tap the area" in coach.texts()[-2].lower()
    assert coach.last() == content.ASK_AREA
    await coach.send("achilles")
    assert coach.last() == content.ASK_SCORE


async def test_not_now_stops_and_nothing_is_changed(coach: Coach):
    await coach.onboard_typing()
    await coach.send("my calf hurts")
    await coach.send("not now")
    assert coach.last() == content.NOT_NOW
    runner = await runner_of(coach)
    assert runner.pain_areas == [] and runner.pause_reason is None
    await coach.send("/plan")
    assert "Your week" in coach.texts()[-1] or any("Your week" in t for t in coach.texts()[-3:])


async def followup(coach: Coach, clock, score: str) -> str:
    """Next morning: the check-in arrives; the runner taps a score; the coach's answer."""
    clock.now = clock.now + dt.timedelta(days=1)
    clock.now = clock.now.replace(hour=7, minute=5)
    before = len(coach.texts())
    await dispatch_due(coach.app, now=clock.now)
    # The morning message may come first: one message a second per chat.
    await dispatch_due(coach.app, now=clock.now + dt.timedelta(seconds=2))
    assert any(t.startswith("Checking in:") for t in coach.texts()[before:]), coach.texts()
    await coach.tap(score)
    return coach.last()


async def test_followups_until_it_clears_then_the_plan_steps_back_up(coach: Coach, clock):
    await coach.onboard_typing()
    await coach.send("pain")
    await report(coach, area="Achilles", score="6", when="During the run")
    assert (await runner_of(coach)).level == -1
    assert await followup(coach, clock, "3") == content.FOLLOWUP_BETTER
    assert await followup(coach, clock, "0") == content.FOLLOWUP_CLEARED
    runner = await runner_of(coach)
    assert runner.pain_areas == [] and runner.level == 0


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
    clock.now = clock.now + dt.timedelta(days=1)
    before = len(coach.texts())
    await dispatch_due(coach.app, now=clock.now.replace(hour=7, minute=5))
    await dispatch_due(coach.app, now=clock.now.replace(hour=7, minute=5, second=2))
    assert not any(t.startswith("Checking in") for t in coach.texts()[before:])


async def test_worse_twice_in_a_row_leads_to_a_physio(coach: Coach, clock):
    await coach.onboard_typing()
    await coach.send("pain")
    await report(coach, area="Foot / heel", score="3", when="The next morning")
    await followup(coach, clock, "5")
    await followup(coach, clock, "7")
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
    assert coach.last() == content.EMERGENCY_SCREEN


async def test_pain_during_settings_resumes_settings(coach: Coach):
    await coach.onboard_typing()
    await coach.send("/settings")
    await coach.send("minutes")
    await coach.send("pain")
    await coach.send("not now")
    assert coach.last() == texts.ASK_MINUTES
    await coach.send("30")
    assert (await runner_of(coach)).minutes == 30
