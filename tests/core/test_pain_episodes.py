"""Pain episodes, pure: every follow-up path from each tier, and the plan each stage allows.

An escalated episode stays escalated until the runner says a clinician cleared them; training
then comes back in steps; a pain-free morning alone clears nothing after a red flag."""

from __future__ import annotations

import datetime as dt

import pytest

from core import pain_content as content
from core.flags import BONE_STRESS, FLAG_TIER, NO_EXERCISE, RedFlag, Urgency
from core.models import BodyArea
from core.pain import (
    FLAG_AREAS,
    Episode,
    PainAnswers,
    Restrictions,
    Seen,
    Stage,
    Timing,
    answer_score,
    answer_seen,
    open_episode,
    restrictions_of,
    services_for,
    triage,
)

DAY = dt.date(2026, 11, 27)
UK = services_for("Europe/London")
SELF_CARE_MARKS = ("🟢", "🟠", "🔴", "usually OK to train")
ONE_PER_TIER = {
    Urgency.EMERGENCY: RedFlag.CHEST_NOW,
    Urgency.SAME_DAY: RedFlag.CALF_CLOT,
    Urgency.WITHIN_DAYS: RedFlag.BONE_SPOT,
}


def escalated(flag: RedFlag, area: BodyArea | None = BodyArea.SHIN) -> Episode:
    answers = PainAnswers(flags=(flag,), area=area)
    episode, change = open_episode(None, answers, triage(answers, UK), DAY)
    assert change == -1  # a step down, so training comes back in steps
    return episode


def no_self_care(messages: tuple[str, ...]) -> None:
    for text in messages:
        assert not any(mark in text for mark in SELF_CARE_MARKS), text


@pytest.mark.parametrize("flag", list(RedFlag))
def test_every_red_flag_opens_an_escalated_episode_that_pauses_running(flag):
    episode = escalated(flag)
    assert episode.stage is Stage.SEE and episode.escalated and episode.asks_seen
    assert episode.urgency is FLAG_TIER[flag]
    r = restrictions_of(episode)
    assert r.running_paused and r.upper_only and BodyArea.SHIN in r.avoid


@pytest.mark.parametrize("tier", list(ONE_PER_TIER))
def test_not_seen_yet_for_a_week_keeps_everything_escalated(tier):
    episode = escalated(ONE_PER_TIER[tier])
    for day in range(1, 9):
        step = answer_seen(episode, Seen.NOT_YET, DAY + dt.timedelta(days=day), UK)
        assert step.episode is not None
        episode = step.episode
        assert episode.stage is Stage.SEE and step.next_in_days == 1
        assert step.level_change == 0 and not step.lift_pause
        no_self_care(step.messages)
        assert step.messages[0] == UK.fill(content.NOT_SEEN_TEXT[tier])
        assert (content.NOT_SEEN_WEEK in step.messages) == (day >= 7)
        assert restrictions_of(episode).running_paused


@pytest.mark.parametrize("flag", list(RedFlag))
def test_a_pain_free_morning_clears_nothing_while_escalated(flag):
    episode = escalated(flag)
    step = answer_score(episode, 0, DAY + dt.timedelta(days=1), UK)
    assert step.episode is not None and step.episode.stage is Stage.SEE
    assert restrictions_of(step.episode).running_paused
    no_self_care(step.messages)


@pytest.mark.parametrize("tier", list(ONE_PER_TIER))
def test_cleared_brings_training_back_in_steps(tier):
    episode = escalated(ONE_PER_TIER[tier])
    cleared = answer_seen(episode, Seen.CLEARED, DAY + dt.timedelta(days=2), UK)
    assert cleared.lift_pause and cleared.messages == (content.CLEARED_BY_CLINICIAN,)
    assert cleared.level_change == 0  # still a step easier
    assert cleared.episode is not None and cleared.episode.stage is Stage.RETURN
    step1 = restrictions_of(cleared.episode)
    assert not step1.running_paused and not step1.upper_only
    sore = {BodyArea.SHIN} | FLAG_AREAS.get(ONE_PER_TIER[tier], frozenset())
    assert step1.avoid == sore  # the sore area's exercises are still out
    first = answer_score(cleared.episode, 0, DAY + dt.timedelta(days=3), UK)
    assert first.episode is not None and first.level_change == 0
    assert restrictions_of(first.episode).avoid == frozenset()  # area back, level still down
    assert first.messages == (content.FOLLOWUP_AREA_BACK,)
    last = answer_score(first.episode, 0, DAY + dt.timedelta(days=4), UK)
    assert last.episode is None and last.level_change == 1 and last.next_in_days == 0


def test_cleared_without_a_sore_area_says_so():
    episode = escalated(RedFlag.CHEST_RECENT, area=None)
    cleared = answer_seen(episode, Seen.CLEARED, DAY, UK)
    assert cleared.messages == (content.CLEARED_NO_AREA,)


def test_told_to_rest_or_do_rehab_keeps_running_paused_and_checks_less_often():
    episode = escalated(RedFlag.HIP_GROIN, area=BodyArea.HIP)
    step = answer_seen(episode, Seen.REHAB, DAY + dt.timedelta(days=2), UK)
    assert step.episode is not None and step.episode.stage is Stage.REHAB
    assert step.next_in_days == 3
    r = restrictions_of(step.episode)
    assert r.running_paused and r.upper_only and BodyArea.HIP in r.avoid
    no_self_care(step.messages)
    later = answer_seen(step.episode, Seen.CLEARED, DAY + dt.timedelta(days=5), UK)
    assert later.episode is not None and later.episode.stage is Stage.RETURN


def test_a_bone_stress_episode_only_clears_with_a_clinician():
    for flag in BONE_STRESS:
        episode = escalated(flag)
        assert episode.bone_stress
        for day in range(1, 5):
            step = answer_score(episode, 0, DAY + dt.timedelta(days=day), UK)
            assert step.episode is not None
            episode = step.episode
            assert episode.escalated


def test_pain_coming_back_after_clearance_unloads_the_area_again():
    cleared = answer_seen(escalated(RedFlag.KNEE, BodyArea.KNEE_FRONT), Seen.CLEARED, DAY, UK)
    assert cleared.episode is not None
    back = answer_score(cleared.episode, 0, DAY + dt.timedelta(days=1), UK)
    assert back.episode is not None
    sore = answer_score(back.episode, 2, DAY + dt.timedelta(days=2), UK)
    assert sore.episode is not None and sore.messages == (content.FOLLOWUP_SORE_AGAIN,)
    assert restrictions_of(sore.episode).avoid == {BodyArea.KNEE_FRONT, BodyArea.KNEE_OUTSIDE}
    severe = answer_score(sore.episode, 8, DAY + dt.timedelta(days=3), UK)
    assert severe.pause_all and severe.escalation
    assert severe.episode is not None and severe.episode.stage is Stage.SEE


def self_care(area: BodyArea, score: int, timing: Timing = Timing.AFTER) -> tuple[Episode, int]:
    answers = PainAnswers(area=area, score=score, timing=timing, walking=True)
    return open_episode(None, answers, triage(answers, UK), DAY)


def test_a_jump_of_three_points_between_check_ins_means_be_seen():
    episode, _ = self_care(BodyArea.CALF, 3)
    step = answer_score(episode, 6, DAY + dt.timedelta(days=1), UK)
    assert step.escalation and step.episode is not None
    assert RedFlag.RISING in step.episode.flags and step.episode.stage is Stage.SEE
    assert step.messages[0].startswith("Please book a doctor or a sports physio")


@pytest.mark.parametrize("score", [8, 9, 10])
def test_eight_or_more_at_a_check_in_means_today(score):
    episode, _ = self_care(BodyArea.CALF, 5)
    step = answer_score(episode, score, DAY + dt.timedelta(days=1), UK)
    assert step.pause_all and step.escalation
    assert step.messages[0].startswith("⚠️")


def test_three_check_ins_with_pain_send_to_a_physio_with_a_summary_and_stay_open():
    episode, _ = self_care(BodyArea.HAMSTRING, 4)
    for day, score in enumerate((4, 3), start=1):
        step = answer_score(episode, score, DAY + dt.timedelta(days=day), UK)
        assert step.episode is not None
        episode = step.episode
    step = answer_score(episode, 3, DAY + dt.timedelta(days=3), UK)
    assert step.summary and step.messages[0].startswith("It's time to see a physio")
    assert step.episode is not None and step.episode.asks_seen


def test_self_care_settles_in_steps_when_the_level_was_stepped_down():
    episode, change = self_care(BodyArea.ACHILLES, 6)
    assert change == -1
    better = answer_score(episode, 3, DAY + dt.timedelta(days=1), UK)
    assert better.messages == (content.FOLLOWUP_BETTER,)
    assert better.episode is not None
    zero = answer_score(better.episode, 0, DAY + dt.timedelta(days=2), UK)
    assert zero.episode is not None and zero.level_change == 0
    done = answer_score(zero.episode, 0, DAY + dt.timedelta(days=3), UK)
    assert done.episode is None and done.level_change == 1


def test_a_gently_loaded_tendon_that_gets_worse_is_unloaded():
    episode, _ = self_care(BodyArea.ACHILLES, 2)
    assert restrictions_of(episode).ease == {BodyArea.ACHILLES}
    worse = answer_score(episode, 4, DAY + dt.timedelta(days=1), UK)
    assert worse.episode is not None and worse.messages == (content.FOLLOWUP_WORSE,)
    r = restrictions_of(worse.episode)
    assert r.avoid == {BodyArea.ACHILLES} and r.ease == frozenset()


def test_a_new_report_during_an_escalated_episode_keeps_it_escalated():
    episode = escalated(RedFlag.CALF_CLOT, BodyArea.CALF)
    answers = PainAnswers(area=BodyArea.KNEE_FRONT, score=2, timing=Timing.AFTER, walking=True)
    merged, change = open_episode(episode, answers, triage(answers, UK), DAY)
    assert merged.stage is Stage.SEE and merged.urgency is Urgency.SAME_DAY
    assert change == 0
    r = restrictions_of(merged)
    assert r.running_paused and BodyArea.CALF in r.avoid


def test_a_new_red_flag_during_follow_up_raises_the_tier():
    episode, _ = self_care(BodyArea.SHIN, 3)
    answers = PainAnswers(flags=(RedFlag.CHEST_NOW,))
    merged, change = open_episode(episode, answers, triage(answers, UK), DAY)
    assert merged.stage is Stage.SEE and merged.urgency is Urgency.EMERGENCY
    assert change == -1 and merged.flagged_on == DAY


# --- from the safety review ------------------------------------------------------------------


@pytest.mark.parametrize("flag", sorted(NO_EXERCISE))
def test_after_a_heart_clot_heat_head_or_fever_sign_no_exercise_is_offered_until_seen(flag):
    # "Please don't exercise until then" and an upper-body session the same day disagree.
    episode = escalated(flag)
    assert episode.rest
    r = restrictions_of(episode)
    assert r.no_exercise and r.running_paused
    assert Restrictions.from_tags(r.tags()) == r
    for step in (
        answer_seen(episode, Seen.NOT_YET, DAY + dt.timedelta(days=1), UK),
        answer_seen(episode, Seen.REHAB, DAY + dt.timedelta(days=1), UK),
        answer_score(episode, 0, DAY + dt.timedelta(days=1), UK),
    ):
        assert step.episode is not None and restrictions_of(step.episode).no_exercise
        for text in step.messages:
            assert "upper body" not in text, text
    cleared = answer_seen(episode, Seen.CLEARED, DAY + dt.timedelta(days=2), UK)
    assert cleared.episode is not None and not restrictions_of(cleared.episode).no_exercise


@pytest.mark.parametrize("flag", sorted(set(RedFlag) - NO_EXERCISE))
def test_after_a_bone_joint_or_tendon_sign_upper_body_strength_goes_on(flag):
    episode = escalated(flag)
    assert not episode.rest and not restrictions_of(episode).no_exercise
    assert restrictions_of(episode).upper_only


def test_a_new_rest_sign_during_an_escalated_episode_rests_it_and_clearance_ends_that():
    episode = escalated(RedFlag.BONE_SPOT)
    answers = PainAnswers(flags=(RedFlag.CHEST_RECENT,))
    merged, _ = open_episode(episode, answers, triage(answers, UK), DAY)
    assert merged.rest and merged.urgency is Urgency.SAME_DAY
    calmer = PainAnswers(area=BodyArea.KNEE_FRONT, score=2, timing=Timing.AFTER, walking=True)
    kept, _ = open_episode(merged, calmer, triage(calmer, UK), DAY)
    assert kept.rest  # a self-care report clears nothing


def test_an_episode_stored_before_rest_existed_still_rests_after_a_chest_sign():
    stored = escalated(RedFlag.CHEST_RECENT).model_dump(mode="json")
    del stored["rest"]
    assert Episode.model_validate(stored).rest
    stored_msk = escalated(RedFlag.KNEE).model_dump(mode="json")
    del stored_msk["rest"]
    assert not Episode.model_validate(stored_msk).rest


def test_a_new_escalation_after_clearance_has_its_own_tier():
    # Cleared after chest pain, then a knee that jumps 3 points: that is "be seen within
    # days", not "if you have any of those symptoms now, call 999".
    cleared = answer_seen(escalated(RedFlag.CHEST_NOW, BodyArea.KNEE_FRONT), Seen.CLEARED, DAY, UK)
    assert cleared.episode is not None
    first = answer_score(cleared.episode, 2, DAY + dt.timedelta(days=1), UK)
    assert first.episode is not None
    rising = answer_score(first.episode, 5, DAY + dt.timedelta(days=2), UK)
    assert rising.escalation and rising.episode is not None
    assert rising.episode.urgency is Urgency.WITHIN_DAYS and not rising.episode.rest
    not_seen = answer_seen(rising.episode, Seen.NOT_YET, DAY + dt.timedelta(days=3), UK)
    assert not_seen.messages[0] == UK.fill(content.NOT_SEEN_TEXT[Urgency.WITHIN_DAYS])


def test_the_first_score_after_a_red_flag_is_not_called_about_the_same():
    # A red flag from a screen has no score: nothing to compare the first morning with.
    cleared = answer_seen(escalated(RedFlag.KNEE, BodyArea.KNEE_FRONT), Seen.CLEARED, DAY, UK)
    assert cleared.episode is not None and cleared.episode.scores == ()
    step = answer_score(cleared.episode, 3, DAY + dt.timedelta(days=1), UK)
    assert step.messages == (content.FOLLOWUP_FIRST,)


def test_sore_again_without_a_sore_area_claims_no_exercise_came_out():
    episode, _ = self_care_other(6)
    back = answer_score(episode, 0, DAY + dt.timedelta(days=1), UK)
    assert back.episode is not None and back.messages == (content.FOLLOWUP_NO_PAIN_STEP,)
    sore = answer_score(back.episode, 2, DAY + dt.timedelta(days=2), UK)
    assert sore.messages == (content.FOLLOWUP_SORE_AGAIN_NO_AREA,)
    assert "exercises that load it" not in sore.messages[0]


def self_care_other(score: int) -> tuple[Episode, int]:
    answers = PainAnswers(area=None, score=score, timing=Timing.AFTER, walking=True)
    return open_episode(None, answers, triage(answers, UK), DAY)
