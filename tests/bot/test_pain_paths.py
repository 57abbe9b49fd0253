"""Issue 12 through the real dispatcher: runners' own messages, and every path from a red flag
to the end of its follow-ups, as the runner sees it."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import texts
from bot.pain import load_episode
from bot.reminders import dispatch_due
from core import pain_content as content
from core.flags import FLAG_TIER, RedFlag, Screen, Urgency
from core.models import BodyArea
from core.symptoms import Recognised
from storage import repo
from tests.bot.conftest import WORKED_WEEK, Clock, Coach
from tests.bot.test_pain import no_flags, runner_of, upcoming
from tests.pain_messages import MESSAGES

NONE = content.NONE_OF_THESE
UK_SAME_DAY = content.SERVICES["GB"][1]
RUN_WORDS = ("easy run", "long run", "intervals", "tempo run", "hill session")


def uk(text: str) -> str:
    return text.format(emergency="999", same_day=UK_SAME_DAY)


def reason(flag: RedFlag) -> str:
    return content.FLAG_REASONS[flag].split("{")[0]


async def onboard(coach: Coach, zone: str = "Europe/London") -> None:
    for answer in ("/start", "no race", WORKED_WEEK, "2", "25", "after runs", "none", zone):
        await coach.send(answer)
    await coach.send("none")
    await coach.send("yes")


# --- the table of typed messages ------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "tier", "flag"), MESSAGES)
async def test_typed_messages_as_runners_write_them(coach: Coach, text, kind, tier, flag):
    await onboard(coach)
    before = len(coach.texts())
    await coach.send(text)
    said = coach.texts()[before:]
    if kind is Recognised.NONE:
        assert said == [texts.NOT_UNDERSTOOD]
        return
    if kind is Recognised.MAYBE:
        assert said == [content.MAYBE_CHECK]
        assert coach.labels() == [content.MAYBE_YES, content.MAYBE_NO]
        await coach.tap(content.MAYBE_YES)
        assert coach.texts()[-2:] == [texts.PAIN_START, content.SCREEN_TEXTS[Screen.NOW]]
        return
    if tier in (Urgency.EMERGENCY, Urgency.SAME_DAY):
        # Escalation first and alone: no "sorry it hurts", no question, nothing after it.
        assert len(said) == 1, said
        assert said[0].startswith("🚨" if tier is Urgency.EMERGENCY else "⚠️")
        assert reason(flag) in said[0]
        assert (await runner_of(coach)).pause_reason == "injury"
        return
    assert said == [texts.PAIN_START, content.SCREEN_TEXTS[Screen.NOW]]
    if tier is Urgency.WITHIN_DAYS:
        # The flag named counts: its screen (the last) is not asked again.
        for screen in (Screen.NOW, Screen.RECENT, Screen.TODAY):
            assert coach.last() == content.SCREEN_TEXTS[screen]
            await coach.tap(NONE)
        assert coach.last() == content.ASK_AREA
        await coach.tap("Shin")
        await coach.tap("3")
        await coach.tap("Yes, normally")
        assert coach.last().startswith("Please book a doctor or a sports physio")
        assert reason(flag) in coach.last()
        return
    await coach.send("not now")
    assert coach.last() == uk(content.NOT_NOW)


# --- typed answers at the screens (issue 12, findings 2 and 3) ------------------------------


async def test_a_typed_symptom_at_the_emergency_screen_counts(coach: Coach):
    await onboard(coach)
    await coach.send("/pain")
    await coach.send("what do you mean")
    assert coach.texts()[-2] == content.SCREEN_HINT
    assert coach.last() == content.SCREEN_TEXTS[Screen.NOW]  # the question again, with buttons
    assert content.FLAG_BUTTONS[RedFlag.CHEST_NOW] in coach.labels()
    await coach.send("yes")
    assert coach.texts()[-2] == content.WHICH_ONE
    before = len(coach.texts())
    await coach.send("chest pain and I'm short of breath")
    said = coach.texts()[before:]
    assert len(said) == 1 and said[0].startswith("🚨")
    assert reason(RedFlag.CHEST_NOW) in said[0]


async def test_a_short_typed_answer_names_the_screens_flag(coach: Coach):
    await onboard(coach)
    await coach.send("/pain")
    await coach.tap(NONE)
    await coach.send("fainted")  # at "in the last few days"
    assert coach.last().startswith("⚠️") and reason(RedFlag.CHEST_RECENT) in coach.last()


async def test_chest_tightness_that_went_away_is_seen_the_same_day(coach: Coach):
    await onboard(coach)
    await coach.send("/pain")
    await coach.tap(NONE)  # nothing right now: it went when they stopped
    await coach.tap(content.FLAG_BUTTONS[RedFlag.CHEST_RECENT])
    assert coach.last().startswith("⚠️")
    assert "usually OK to train" not in " ".join(coach.texts())


@pytest.mark.parametrize(
    "answer",
    ["tap", "chest", "my stomach", "in my chest", "my ribs", "the side of my head", "Heart?"],
)
async def test_chest_head_or_tummy_always_escalates(coach: Coach, answer):
    await onboard(coach)
    await coach.send("pain")
    await no_flags(coach)
    if answer == "tap":
        await coach.tap(content.TORSO_LABEL)
    else:
        await coach.send(answer)
    assert coach.last().startswith("⚠️")
    assert reason(RedFlag.TORSO) in coach.last()


async def test_a_symptom_typed_at_a_later_question_counts_and_the_answer_is_kept(coach: Coach):
    await onboard(coach)
    await coach.send("pain")
    await no_flags(coach)
    await coach.send("calf, and it's swollen and warm")
    assert coach.last().startswith("⚠️") and reason(RedFlag.CALF_CLOT) in coach.last()


async def test_not_now_on_a_screen_leaves_with_one_safety_line(coach: Coach):
    await onboard(coach)
    await coach.send("/pain")
    before = len(coach.texts())
    await coach.send("not now")
    assert coach.texts()[before:] == [uk(content.NOT_NOW)]


# --- escalation alone in every state (finding 10) ---------------------------------------------


async def test_an_emergency_during_setup_is_alone_and_setup_waits(coach: Coach, clock: Clock):
    await coach.send("/start")
    await coach.send("marathon")
    before = len(coach.texts())
    await coach.send("chest pain and short of breath")
    said = coach.texts()[before:]
    assert len(said) == 1 and said[0].startswith("🚨")
    assert "plan" not in said[0].lower()  # there is no plan yet
    assert texts.BACK_TO_QUESTIONS not in coach.texts()
    # Setup waits for /start; finished later in New York: no training reminders, and the
    # check-in at 07:00 New York time.
    await coach.send("/start")
    assert coach.texts()[-2] == texts.WELCOME_BACK
    for answer in ("2027-04-25", WORKED_WEEK, "2", "25", "after runs", "none"):
        await coach.send(answer)
    await coach.send("America/New_York")
    await coach.send("none")
    await coach.send("yes")
    assert await upcoming(coach) == ["pain"]
    await coach.send("/reminders")
    shown = coach.last()
    assert "07:00: pain check-in" in shown
    assert "morning message" not in shown and "strength reminder" not in shown


async def test_an_emergency_during_settings_is_alone(coach: Coach):
    await onboard(coach)
    await coach.send("/settings")
    await coach.send("minutes")
    before = len(coach.texts())
    await coach.send("I fainted at the end of my run")
    said = coach.texts()[before:]
    assert len(said) == 1 and said[0].startswith("⚠️")


async def test_the_pain_button_leads_to_escalation_alone(coach: Coach, clock: Clock):
    await onboard(coach)
    clock.now = clock.now.replace(day=29, hour=11)
    await coach.send("/today")
    await coach.tap("🩹 Pain")
    before = len(coach.texts())
    await coach.tap(content.FLAG_BUTTONS[RedFlag.DEFORMED])
    said = coach.texts()[before:]
    assert len(said) == 1 and said[0].startswith("🚨")


async def test_after_an_emergency_today_shows_the_pause_and_resume_cautions(
    coach: Coach, clock: Clock
):
    await onboard(coach)
    await coach.send("chest pain and short of breath")
    clock.now = clock.now.replace(day=29, hour=11)  # Sunday: an easy run and strength
    await coach.send("/today")
    shown = coach.last()
    assert shown.startswith("⏸ Running is paused")
    assert not any(word in shown for word in RUN_WORDS)
    await coach.send("/resume")
    assert coach.last().startswith("Your reminders are back on, but please be careful")
    runner = await runner_of(coach)
    assert runner.pause_reason is None and "no-running" in runner.pain_areas
    kinds = await upcoming(coach)
    assert "morning" in kinds and "strength" not in kinds


async def test_an_unknown_country_gets_112_and_a_line_to_check(coach: Coach):
    await onboard(coach, zone="Asia/Kathmandu")
    await coach.send("my chest feels tight")
    said = coach.last()
    assert "112 from any mobile" in said and content.FALLBACK_NOTE in said
    assert "999" not in said and "911" not in said and "111" not in said


# --- follow-ups: every path from each tier ---------------------------------------------------


async def next_morning(coach: Coach, clock: Clock) -> list[str]:
    """The next morning's messages (morning message and check-in), by 07:05 London time."""
    clock.now = (clock.now + dt.timedelta(days=1)).replace(hour=7, minute=5)
    before = len(coach.texts())
    await dispatch_due(coach.app, now=clock.now)
    await dispatch_due(coach.app, now=clock.now + dt.timedelta(seconds=2))
    return coach.texts()[before:]


async def rest_of_day(coach: Coach, clock: Clock) -> list[str]:
    """Whatever reminders come later that day (strength after the run, the evening)."""
    before = len(coach.texts())
    for hour in range(8, 23):
        await dispatch_due(coach.app, now=clock.now.replace(hour=hour, minute=30))
    return coach.texts()[before:]


async def escalate(coach: Coach, tier: Urgency) -> None:
    await coach.send("/pain")
    if tier is Urgency.EMERGENCY:
        await coach.tap(content.FLAG_BUTTONS[RedFlag.SADDLE])
    elif tier is Urgency.SAME_DAY:
        await coach.tap(NONE)
        await coach.tap(NONE)
        await coach.tap(content.FLAG_BUTTONS[RedFlag.KNEE])
    else:
        for _ in range(3):
            await coach.tap(NONE)
        await coach.tap(content.FLAG_BUTTONS[RedFlag.BONE_SPOT])
    if tier is Urgency.WITHIN_DAYS:
        await coach.tap("Shin")
        await coach.tap("2")
        await coach.tap("Yes, normally")


@pytest.mark.parametrize("tier", [Urgency.EMERGENCY, Urgency.SAME_DAY, Urgency.WITHIN_DAYS])
async def test_not_seen_for_a_week_then_cleared_then_back_in_steps(
    coach: Coach, clock: Clock, tier
):
    await onboard(coach)
    await escalate(coach, tier)
    paused_all = tier is not Urgency.WITHIN_DAYS
    for day in range(1, 9):
        said = await next_morning(coach, clock)
        checkins = [t for t in said if t.startswith("Checking in")]
        assert len(checkins) == 1 and "Have you been seen" in checkins[0], said
        assert coach.labels() == [
            content.SEEN_CLEARED,
            content.SEEN_REHAB,
            content.NOT_SEEN,
            content.NEW_SYMPTOMS,
        ]
        mornings = [t for t in said if t.startswith("Good morning")]
        if paused_all:
            assert mornings == []  # training reminders paused altogether
        else:
            assert mornings and all(m.startswith(content.MORNING_PAUSED) for m in mornings)
        assert not any(word in t for t in said for word in RUN_WORDS)  # no run named
        await coach.tap(content.NOT_SEEN)
        replies = coach.texts()[-2:] if day >= 7 else coach.texts()[-1:]
        assert replies[0] == uk(content.NOT_SEEN_TEXT[tier])
        assert (replies[-1] == content.NOT_SEEN_WEEK) == (day >= 7)
        later = await rest_of_day(coach, clock)
        assert not any(t.startswith("💪 Time for") for t in later), later  # no strength
        assert not any(word in t for t in later for word in RUN_WORDS)
    runner = await runner_of(coach)
    assert "no-running" in runner.pain_areas
    # Cleared by a clinician: running and strength back, the sore area's exercises not yet.
    said = await next_morning(coach, clock)
    await coach.tap(content.SEEN_CLEARED)
    assert content.CLEARED_BY_CLINICIAN in coach.texts()[-3:]  # each flag names its area
    assert any(t.startswith("Training comes back in steps") for t in coach.texts()[-2:])
    runner = await runner_of(coach)
    assert runner.pause_reason is None and "no-running" not in runner.pain_areas
    assert runner.level == -1
    assert "strength" in await upcoming(coach)
    # Two pain-free mornings end the check-ins; training comes back in weekly steps
    # (tests/bot/test_room.py), so the level is still a step down.
    said = await next_morning(coach, clock)
    assert any(t.startswith("Checking in: how is your") for t in said)
    await coach.tap("0")
    assert any(t.startswith("No pain today") for t in coach.texts()[-2:])
    said = await next_morning(coach, clock)
    await coach.tap("0")
    assert coach.last().startswith("Still no pain")
    runner = await runner_of(coach)
    assert "check-ins" not in runner.pain_areas and runner.level == -1
    said = await next_morning(coach, clock)
    assert not any(t.startswith("Checking in") for t in said)


async def test_told_to_rest_or_do_rehab_checks_in_three_days_later(coach: Coach, clock: Clock):
    await onboard(coach)
    await escalate(coach, Urgency.SAME_DAY)
    await next_morning(coach, clock)
    await coach.tap(content.SEEN_REHAB)
    assert coach.last() == content.REHAB_PLAN.format(days=3)
    for _ in range(2):
        said = await next_morning(coach, clock)
        assert not any(t.startswith("Checking in") for t in said)
    said = await next_morning(coach, clock)
    assert any("Have you been seen" in t for t in said)
    runner = await runner_of(coach)
    assert "no-running" in runner.pain_areas and "upper-only" in runner.pain_areas


async def test_new_symptoms_during_follow_up_start_the_check_and_can_escalate(
    coach: Coach, clock: Clock
):
    await onboard(coach)
    await escalate(coach, Urgency.WITHIN_DAYS)
    await next_morning(coach, clock)
    await coach.tap(content.NEW_SYMPTOMS)
    assert coach.texts()[-2:] == [texts.PAIN_START, content.SCREEN_TEXTS[Screen.NOW]]
    before = len(coach.texts())
    await coach.send("chest pain and I'm short of breath")
    said = coach.texts()[before:]
    assert len(said) == 1 and said[0].startswith("🚨")
    runner = await runner_of(coach)
    assert runner.pause_reason == "injury"
    said = await next_morning(coach, clock)
    assert any("Have you been seen" in t for t in said)


async def test_a_new_symptom_typed_during_self_care_follow_up_escalates(
    coach: Coach, clock: Clock
):
    await onboard(coach)
    await coach.send("my calf is a bit sore")
    await no_flags(coach)
    await coach.tap("Calf")
    await coach.tap("3")
    await coach.tap("Yes, normally")
    await coach.tap("After the run")
    await coach.tap("No")
    said = await next_morning(coach, clock)
    assert any(t.startswith("Checking in: how is your calf") for t in said)
    before = len(coach.texts())
    await coach.send("now my calf is swollen, warm and red")
    said = coach.texts()[before:]
    assert len(said) == 1 and said[0].startswith("⚠️")
    said = await next_morning(coach, clock)
    assert any("Have you been seen" in t for t in said)


async def test_a_self_care_report_during_an_escalated_episode_reminds_it_is_escalated(
    coach: Coach,
):
    await onboard(coach)
    await escalate(coach, Urgency.SAME_DAY)
    await coach.send("my shoulder is a bit sore")
    await no_flags(coach)
    await coach.tap("Shoulder")
    await coach.tap("2")
    await coach.tap("Yes, normally")
    await coach.tap("After the run")
    before = len(coach.texts())
    await coach.tap("No")
    said = coach.texts()[before:]
    # The reminder first; no traffic light, no "OK to train", no area note.
    assert said[0].startswith("Please don't forget the symptoms"), said
    assert "running stays paused" in said[0]
    assert not any("🟢" in t or "usually OK to train" in t for t in said)
    assert content.AREA_NOTES[BodyArea.SHOULDER] not in said
    assert content.STILL_ESCALATED.split("{")[0] not in " ".join(said[1:])  # said once
    runner = await runner_of(coach)
    assert "no-running" in runner.pain_areas and runner.pause_reason == "injury"


async def test_a_jump_of_three_between_check_ins_sends_to_be_seen(coach: Coach, clock: Clock):
    await onboard(coach)
    await coach.send("pain")
    await no_flags(coach)
    await coach.tap("Shin")
    await coach.tap("2")
    await coach.tap("Yes, normally")
    await coach.tap("During the run")
    await coach.tap("No")
    await next_morning(coach, clock)
    before = len(coach.texts())
    await coach.tap("5")
    said = coach.texts()[before:]
    assert len(said) == 1 and said[0].startswith("Please book a doctor or a sports physio")
    assert reason(RedFlag.RISING) in said[0]
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=42)
        assert runner is not None and "no-running" in runner.pain_areas


def test_every_tier_is_walked_through_here():
    walked = {Urgency.EMERGENCY, Urgency.SAME_DAY, Urgency.WITHIN_DAYS}
    assert walked == set(FLAG_TIER.values()) - {Urgency.SELF_CARE}


async def test_not_seen_pressed_twice_counts_once(coach: Coach, clock: Clock):
    await onboard(coach)
    await escalate(coach, Urgency.SAME_DAY)
    await next_morning(coach, clock)
    checkin = coach.standin.last_message(42)
    assert "Have you been seen" in checkin["text"]
    data = next(
        d
        for row in coach.standin.buttons(checkin)
        for label, d in row
        if label == content.NOT_SEEN
    )
    # Both presses left the phone before the buttons went away (a double tap).
    presses = [coach.standin.press_data(42, checkin["message_id"], data, 42) for _ in range(2)]
    inbox = coach.app.bot_data["runtime"].inbox
    for press in presses:
        await inbox.accept(press)
    await inbox.idle()
    assert coach.texts().count(uk(content.NOT_SEEN_TEXT[Urgency.SAME_DAY])) == 1
    answers = [c["text"] for c in coach.standin.answered_callbacks.values() if c.get("text")]
    assert answers == [texts.ALREADY_SCORED]
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=42)
        assert runner is not None
        episode = await load_episode(db, runner)
    assert episode is not None and episode.not_seen == 1


async def test_maybe_during_setup_carries_on_with_the_question(coach: Coach):
    await coach.send("/start")
    question = coach.last()
    await coach.send("my legs feel heavy")
    assert coach.last() == content.MAYBE_CHECK
    await coach.tap(content.MAYBE_NO)
    assert coach.last() == question


# --- the physio review of the bot layer ------------------------------------------------------

GROIN = "groin pain that gets worse every run"


@pytest.mark.parametrize("leave", ["not now", "/cancel"])
async def test_leaving_after_a_flag_was_named_finishes_the_report(
    coach: Coach, clock: Clock, leave
):
    await onboard(coach)
    clock.now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # Tuesday: intervals 18:00
    await coach.send(GROIN)
    assert coach.last() == content.SCREEN_TEXTS[Screen.NOW]
    before = len(coach.texts())
    await coach.send(leave)
    said = coach.texts()[before:]
    # The escalation alone: not the general safety line, not "Stopped".
    assert len(said) == 1, said
    assert said[0].startswith("Please book a doctor or a sports physio")
    assert reason(RedFlag.HIP_GROIN) in said[0]
    runner = await runner_of(coach)
    assert "no-running" in runner.pain_areas  # running paused, as the tier says
    assert "pain" in await upcoming(coach)  # and followed up
    await coach.send("/today")
    assert coach.last().startswith("⏸ Running is paused")
    assert "intervals" not in coach.last()


async def test_cancel_in_the_pain_check_is_not_now(coach: Coach):
    await onboard(coach)
    await coach.send("/pain")
    before = len(coach.texts())
    await coach.send("/cancel")
    assert coach.texts()[before:] == [uk(content.NOT_NOW)]
    await coach.send("/cancel")
    assert coach.last() == texts.NOTHING_TO_CANCEL  # the pain check is over


async def test_cancel_in_the_pain_check_during_setup_brings_setup_back(coach: Coach):
    await coach.send("/start")
    await coach.send("no race")
    question = coach.last()
    await coach.send("my calf hurts")
    assert coach.last() == content.SCREEN_TEXTS[Screen.NOW]
    before = len(coach.texts())
    await coach.send("/cancel")
    said = coach.texts()[before:]
    assert said[0].startswith("OK, we'll leave it for now.") and "call" in said[0]
    assert said[1:] == [texts.BACK_TO_QUESTIONS, question]  # asked again where it was
    await coach.send(WORKED_WEEK)
    assert coach.last() != question and not coach.last().startswith("Hi ")


async def test_cancel_after_a_flag_during_setup_escalates_and_setup_waits(coach: Coach):
    await coach.send("/start")
    await coach.send("no race")
    question = coach.last()
    await coach.send(GROIN)
    before = len(coach.texts())
    await coach.send("/cancel")
    said = coach.texts()[before:]
    assert len(said) == 1 and said[0].startswith("Please book a doctor or a sports physio")
    await coach.send("/start")
    assert coach.texts()[-2:] == [texts.WELCOME_BACK, question]  # not a new setup


async def test_a_flag_named_in_the_first_message_is_not_asked_again(coach: Coach):
    await onboard(coach)
    await coach.send(GROIN)
    for screen in (Screen.NOW, Screen.RECENT, Screen.TODAY):
        assert coach.last() == content.SCREEN_TEXTS[screen]
        await coach.tap(NONE)
    assert content.SCREEN_TEXTS[Screen.DAYS] not in coach.texts()
    assert coach.last() == content.ASK_AREA


@pytest.mark.parametrize("none", ["none of them", "All good", "none of those.", "all fine"])
async def test_none_in_own_words_at_a_screen_counts_as_none(coach: Coach, none):
    await onboard(coach)
    await coach.send("/pain")
    await coach.send(none)
    assert coach.last() == content.SCREEN_TEXTS[Screen.RECENT]
    assert content.SCREEN_HINT not in coach.texts()


async def test_an_eased_tendon_with_nothing_loading_it_claims_no_change(coach: Coach):
    await onboard(coach)
    await escalate(coach, Urgency.SAME_DAY)  # strength is upper body and trunk only
    await coach.send("my achilles is a bit sore")
    await no_flags(coach)
    await coach.tap("Achilles")
    await coach.tap("2")
    await coach.tap("Yes, normally")
    await coach.tap("After the run")
    await coach.tap("No")
    assert content.PLAN_KEEPS_LOADING not in coach.texts()
    assert content.PLAN_NOTHING_LOADS in coach.texts()


async def test_after_a_sign_that_stops_all_exercise_the_notices_say_no_strength_either(
    coach: Coach,
):
    await coach.onboard_typing()
    await coach.send("I felt dizzy and my chest was tight on the hill yesterday")
    await coach.send("/today")
    notice = next(t for t in coach.texts()[-2:] if t.startswith("⏸"))
    assert "no running and no strength" in notice
    assert "upper body and trunk" not in notice  # the plan has no strength: say so
    await coach.send("/resume")
    assert "no running and no strength" in coach.texts()[-1] or any(
        "no running and no strength" in t for t in coach.texts()[-2:]
    )
