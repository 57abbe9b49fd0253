"""The pain flow's decisions (safety.md) as pure functions: every path, no Telegram."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import pain_content as content
from core.models import BodyArea
from core.pain import (
    Followup,
    Light,
    PainAnswers,
    Timing,
    Urgency,
    follow_up,
    physio_summary,
    triage,
)

AREAS = [*BodyArea, None]
ALL_TEXTS = [v for k, v in vars(content).items() if k.isupper() and isinstance(v, str)]
ALL_TEXTS += list(content.AREA_NOTES.values())


@pytest.mark.parametrize("tier", [Urgency.EMERGENCY, Urgency.SAME_DAY])
@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("score", [0, 5, 10])
def test_emergency_and_same_day_flags_give_escalation_only(tier, area, score):
    outcome = triage(PainAnswers(red_flag=tier, area=area, score=score, timing=Timing.DURING))
    assert outcome.urgency is tier
    expected = content.EMERGENCY_ADVICE if tier is Urgency.EMERGENCY else content.SAME_DAY_ADVICE
    assert outcome.messages == (expected,)  # alone: no exercise advice, no area notes
    assert outcome.pause_plan and outcome.followup


@pytest.mark.parametrize("area", AREAS)
def test_within_days_flags_and_pain_at_rest_send_to_a_professional(area):
    for answers in (
        PainAnswers(red_flag=Urgency.WITHIN_DAYS, area=area, score=3, timing=Timing.AFTER),
        PainAnswers(area=area, score=2, timing=Timing.REST),
    ):
        outcome = triage(answers)
        assert outcome.urgency is Urgency.WITHIN_DAYS
        assert outcome.messages[0] == content.WITHIN_DAYS_ADVICE
        assert outcome.avoid == (frozenset({area}) if area else frozenset())
        assert not outcome.pause_plan


@pytest.mark.parametrize(
    ("score", "building", "light", "level"),
    [
        (0, False, Light.GREEN, 0),
        (3, False, Light.GREEN, 0),
        (4, False, Light.AMBER, 0),
        (5, False, Light.AMBER, 0),
        (6, False, Light.RED, -1),
        (10, False, Light.RED, -1),
        (1, True, Light.RED, -1),
    ],
)
@pytest.mark.parametrize("area", AREAS)
def test_traffic_light_by_score(score, building, light, level, area):
    outcome = triage(PainAnswers(area=area, score=score, timing=Timing.DURING, building=building))
    assert outcome.light is light and outcome.level_change == level
    advice = {
        Light.GREEN: content.GREEN_ADVICE,
        Light.AMBER: content.AMBER_ADVICE,
        Light.RED: content.RED_ADVICE,
    }[light]
    assert outcome.messages[0] == advice
    assert outcome.messages[1] == content.AREA_NOTES[area]
    assert content.NOT_MEDICAL_ADVICE in outcome.messages[2]
    assert "never push through pain" in outcome.messages[2]


@given(
    st.sampled_from(AREAS),
    st.integers(0, 10),
    st.sampled_from(list(Timing)),
    st.booleans(),
    st.sampled_from([None, *Urgency]),
)
def test_every_path_is_safe(area, score, timing, building, flag):
    answers = PainAnswers(
        red_flag=None if flag is Urgency.SELF_CARE else flag,
        area=area,
        score=score,
        timing=timing,
        building=building,
    )
    outcome = triage(answers)
    if outcome.urgency in (Urgency.EMERGENCY, Urgency.SAME_DAY):
        assert len(outcome.messages) == 1
    else:
        # Self-care always carries a re-check and a way to a professional.
        joined = " ".join(outcome.messages)
        assert "physio" in joined or "doctor" in joined
        assert content.NOT_MEDICAL_ADVICE in joined


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_wording_never_diagnoses_or_says_push_through(text):
    lowered = text.lower()
    assert not re.search(r"\byou have (a|an|got)\b", lowered), text
    assert "push through" not in lowered.replace("never push through", "")
    assert "run through it" not in lowered.replace("don't run through it", "")


@pytest.mark.parametrize(
    "text",
    [content.GREEN_ADVICE, content.AMBER_ADVICE, content.RED_ADVICE, content.WITHIN_DAYS_ADVICE],
)
def test_every_self_care_message_has_a_time_limit(text):
    assert re.search(r"tomorrow|1-2 weeks|few days|next few days|today", text)


@pytest.mark.parametrize(
    ("scores", "verdict"),
    [
        ([5, 0], Followup.CLEARED),
        ([5, 3], Followup.BETTER),
        ([5, 5], Followup.SAME),
        ([3, 5], Followup.WORSE),
        ([4, 4, 3, 3], Followup.SEE_PHYSIO),  # three check-ins in a row with pain
        ([3, 5, 7], Followup.SEE_PHYSIO),  # worse twice in a row
        ([5, 4, 0], Followup.CLEARED),
        ([5, 2, 1], Followup.BETTER),
    ],
)
def test_follow_up_ladder(scores, verdict):
    assert follow_up(scores)[0] is verdict


def test_the_physio_summary_has_what_a_physio_needs():
    text = physio_summary(
        area=BodyArea.ACHILLES,
        since=dt.date(2026, 11, 27),
        scores=[(dt.date(2026, 11, 27), 5), (dt.date(2026, 11, 28), 6)],
        changes=["Wednesday: left out Calf raise"],
    )
    assert "Where: Achilles" in text and "Since: 27 November 2026" in text
    assert "27 Nov 5, 28 Nov 6" in text and "left out Calf raise" in text
