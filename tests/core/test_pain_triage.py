"""The pain check's decisions (docs/safety.md) as pure functions: every path, no Telegram."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import pain_content as content
from core.countries import ZONE_COUNTRY
from core.flags import FLAG_TIER, NO_EXERCISE, SCREEN_FLAGS, RedFlag, Screen, Urgency
from core.models import BodyArea
from core.pain import (
    Hold,
    Light,
    PainAnswers,
    Restrictions,
    Services,
    Timing,
    escalation_text,
    follow_up,
    physio_summary,
    services_for,
    still_escalated,
    triage,
)

AREAS = [*BodyArea, None]
UK = services_for("Europe/London")
ALL_TEXTS = [v for k, v in vars(content).items() if k.isupper() and isinstance(v, str)]
for _name in ("AREA_NOTES", "FLAG_REASONS", "ESCALATION_HEAD", "NOT_SEEN_TEXT", "SCREEN_TEXTS"):
    ALL_TEXTS += list(getattr(content, _name).values())
SELF_CARE_TEXTS = [
    content.GREEN_ADVICE,
    content.GREEN_TENDON_ADVICE,
    content.AMBER_ADVICE,
    content.OTHER_AREA_ADVICE,
    content.RED_ADVICE,
    content.FOLLOWUP_BETTER,
    content.FOLLOWUP_SAME,
    content.FOLLOWUP_WORSE,
    content.FOLLOWUP_SORE_AGAIN,
]


@pytest.mark.parametrize("flag", list(RedFlag))
@pytest.mark.parametrize("area", [BodyArea.CALF, None])
def test_every_red_flag_gets_its_escalation_alone(flag, area):
    outcome = triage(PainAnswers(flags=(flag,), area=area, score=2), UK)
    tier = FLAG_TIER[flag]
    assert outcome.urgency is tier
    assert len(outcome.messages) == 1  # first and alone: no tips, no area notes
    (text,) = outcome.messages
    assert content.FLAG_REASONS[flag].split("{")[0] in text
    assert "🟢" not in text and "usually OK to train" not in text
    if tier is Urgency.WITHIN_DAYS:
        assert outcome.hold is Hold.RUNNING
        assert "don't run until you've been seen" in text
    else:
        assert outcome.hold is Hold.ALL and outcome.pause_plan
    if tier is Urgency.EMERGENCY:
        assert text.startswith("🚨") and "999" in text
    if tier is Urgency.SAME_DAY:
        assert text.startswith("⚠️") and "NHS 111" in text


def test_every_flag_on_a_screen_has_a_button_and_every_screen_flag_a_tier():
    for screen, flags in SCREEN_FLAGS.items():
        for flag in flags:
            assert flag in content.FLAG_BUTTONS and flag in FLAG_TIER
            assert len(content.FLAG_BUTTONS[flag]) <= 40  # fits a phone's button
        assert screen in content.SCREEN_TEXTS
    assert set(content.FLAG_REASONS) == set(RedFlag)


def test_exertional_chest_symptoms_that_went_away_are_same_day_at_least():
    assert FLAG_TIER[RedFlag.CHEST_RECENT] is Urgency.SAME_DAY
    assert RedFlag.CHEST_RECENT in SCREEN_FLAGS[Screen.RECENT]
    assert "even if it has gone" in content.SCREEN_TEXTS[Screen.RECENT]


@pytest.mark.parametrize(
    ("answers", "flag"),
    [
        (PainAnswers(torso=True, score=2), RedFlag.TORSO),
        (PainAnswers(area=BodyArea.KNEE_FRONT, score=8), RedFlag.SEVERE),
        (PainAnswers(area=None, score=10), RedFlag.SEVERE),
        (PainAnswers(area=BodyArea.FOOT, score=3, walking=False), RedFlag.NOT_WALKING),
        (PainAnswers(area=BodyArea.HIP, score=2, timing=Timing.REST), RedFlag.NIGHT),
    ],
)
def test_answers_that_escalate_by_themselves(answers, flag):
    outcome = triage(answers, UK)
    assert flag in outcome.flags
    assert outcome.urgency is FLAG_TIER[flag]
    assert len(outcome.messages) == 1


def test_chest_head_or_tummy_always_escalates_whatever_the_score():
    for score in range(11):
        outcome = triage(PainAnswers(torso=True, score=score), UK)
        assert outcome.urgency in (Urgency.EMERGENCY, Urgency.SAME_DAY)


@pytest.mark.parametrize("score", range(8))
@pytest.mark.parametrize("timing", list(Timing)[:3])
def test_somewhere_else_is_never_green(score, timing):
    outcome = triage(PainAnswers(area=None, score=score, timing=timing), UK)
    assert outcome.light is not Light.GREEN
    assert outcome.avoid == frozenset()  # nothing to unload, and nothing claimed


@pytest.mark.parametrize(
    ("score", "timing", "building", "light", "level"),
    [
        (0, Timing.DURING, False, Light.GREEN, 0),
        (3, Timing.AFTER, False, Light.GREEN, 0),
        (3, Timing.MORNING, False, Light.AMBER, 0),  # next-morning pain: amber at least
        (4, Timing.DURING, False, Light.AMBER, 0),
        (5, Timing.DURING, False, Light.AMBER, 0),
        (6, Timing.DURING, False, Light.RED, -1),
        (7, Timing.AFTER, False, Light.RED, -1),
        (1, Timing.DURING, True, Light.RED, -1),
    ],
)
@pytest.mark.parametrize("area", list(BodyArea))
def test_traffic_light(score, timing, building, light, level, area):
    answers = PainAnswers(area=area, score=score, timing=timing, building=building, walking=True)
    outcome = triage(answers, UK)
    assert outcome.light is light and outcome.level_change == level
    assert outcome.urgency is Urgency.SELF_CARE
    assert outcome.messages[1] == content.AREA_NOTES[area]
    assert content.NOT_MEDICAL_ADVICE in outcome.messages[-1]
    assert "never push through pain" in outcome.messages[-1]


@pytest.mark.parametrize("area", [BodyArea.ACHILLES, BodyArea.FOOT, BodyArea.KNEE_FRONT])
def test_a_mildly_sore_tendon_keeps_loading_gently(area):
    outcome = triage(PainAnswers(area=area, score=2, timing=Timing.AFTER), UK)
    assert outcome.messages[0] == content.GREEN_TENDON_ADVICE
    assert outcome.ease == {area} and outcome.avoid == frozenset()
    worse = triage(PainAnswers(area=area, score=4, timing=Timing.AFTER), UK)
    assert worse.avoid == {area} and worse.ease == frozenset()


@given(
    st.sampled_from(AREAS),
    st.integers(0, 10),
    st.sampled_from([None, *Timing]),
    st.booleans(),
    st.sampled_from([None, True, False]),
    st.lists(st.sampled_from(list(RedFlag)), max_size=2),
    st.booleans(),
)
def test_every_path_is_safe(area, score, timing, building, walking, flags, torso):
    answers = PainAnswers(
        flags=tuple(flags),
        area=area,
        torso=torso,
        score=score,
        timing=timing,
        building=building,
        walking=walking,
    )
    outcome = triage(answers, Services())
    joined = " ".join(outcome.messages)
    if flags or torso or score >= 8 or walking is False or timing is Timing.REST:
        # No path from a red flag ends in self-care advice.
        assert outcome.urgency is not Urgency.SELF_CARE
        assert len(outcome.messages) == 1
        assert "🟢" not in joined and "🟠" not in joined
        assert "112 from any mobile" in joined or "don't run" in joined
    else:
        assert "physio" in joined or "doctor" in joined
        assert content.NOT_MEDICAL_ADVICE in joined
    if area is None and outcome.urgency is Urgency.SELF_CARE:
        assert outcome.light is not Light.GREEN


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_wording_never_diagnoses_or_says_push_through(text):
    lowered = text.lower()
    assert not re.search(r"\byou(?:'ve| have) (a|an|got)\b", lowered), text
    assert "push through" not in lowered.replace("never push through", "")
    assert "run through it" not in lowered.replace("don't run through it", "")
    assert "without a clear strain" not in lowered  # a clot can follow a strain
    assert "111" not in text or "NHS 111" in text or "0800 611 116" in text


@pytest.mark.parametrize("text", SELF_CARE_TEXTS)
def test_every_self_care_message_has_a_time_limit_and_a_re_check(text):
    assert re.search(r"tomorrow|1-2 weeks|few days|within a week", text), text
    assert "physio" in text or "doctor" in text, text


@pytest.mark.parametrize(
    ("zone", "emergency", "same_day"),
    [
        ("Europe/London", "999", "NHS 111"),
        ("America/New_York", "911", "urgent care"),
        ("America/Toronto", "911", "811"),
        ("Australia/Sydney", "000", "healthdirect"),
        ("Pacific/Auckland", "111", "Healthline"),
        ("Europe/Berlin", "112", "116 117"),
        ("Europe/Madrid", "112", "urgent care"),
        ("Asia/Tokyo", "119", "urgent care"),
    ],
)
def test_numbers_come_from_the_runners_time_zone(zone, emergency, same_day):
    services = services_for(zone)
    text = escalation_text((RedFlag.CALF_CLOT,), services, has_plan=True)
    assert emergency in text and same_day in text
    assert services.note == ""
    if zone != "Europe/London":
        assert "111" not in text or zone == "Pacific/Auckland"


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kathmandu", "America/Argentina/Cordoba", "Etc/GMT"])
def test_an_unknown_country_gets_112_and_a_line_to_check_the_local_number(zone):
    text = escalation_text((RedFlag.CHEST_NOW,), services_for(zone), has_plan=True)
    assert "112 from any mobile" in text
    assert content.FALLBACK_NOTE in text
    assert "999" not in text and "911" not in text and "111" not in text


def test_escalation_mentions_the_plan_only_when_there_is_one():
    with_plan = escalation_text((RedFlag.CHEST_NOW,), UK, has_plan=True)
    without = escalation_text((RedFlag.CHEST_NOW,), UK, has_plan=False)
    assert content.PLAN_PAUSED in with_plan
    assert "plan" not in without.lower() and content.CHECK_IN_TOMORROW in without
    days = escalation_text((RedFlag.BONE_SPOT,), UK, has_plan=True)
    assert content.RUNNING_PAUSED in days


def test_restrictions_survive_their_tags():
    r = Restrictions(
        avoid=frozenset({BodyArea.SHIN}),
        ease=frozenset({BodyArea.ACHILLES}),
        upper_only=True,
        running_paused=True,
        no_exercise=True,
        checkins=True,
    )
    assert Restrictions.from_tags(r.tags()) == r
    assert Restrictions.from_tags(["knee-front"]).avoid == {BodyArea.KNEE_FRONT}  # old rows
    assert Restrictions.from_tags(["nonsense"]) == Restrictions()


@pytest.mark.parametrize(
    ("scores", "verdict"),
    [
        ([5, 0], "cleared"),
        ([5, 3], "better"),
        ([5, 5], "same"),
        ([3, 5], "worse"),
        ([4, 4, 3, 3], "see-physio"),
        ([3, 5, 7], "see-physio"),
    ],
)
def test_the_score_ladder(scores, verdict):
    assert follow_up(scores)[0].value == verdict


def test_the_physio_summary_has_what_a_physio_needs():
    text = physio_summary(
        area=BodyArea.ACHILLES,
        since=dt.date(2026, 11, 27),
        scores=[(dt.date(2026, 11, 27), 5), (dt.date(2026, 11, 28), 6)],
        changes=["Wednesday: left out Calf raise"],
        flags=(RedFlag.RISING,),
    )
    assert "Where: Achilles" in text and "Since: 27 November 2026" in text
    assert "27 Nov 5, 28 Nov 6" in text and "left out Calf raise" in text
    assert "Warning signs reported: rising" in text


# --- from the safety review ------------------------------------------------------------------


def test_groin_or_hip_pain_worse_with_running_is_seen_within_24_to_48_hours():
    text = escalation_text((RedFlag.HIP_GROIN,), UK, has_plan=True)
    assert "24-48 hours" in text and "next few days" not in text  # one time frame, not two
    assert text.startswith("Please book a doctor or a sports physio")
    assert "next few days" in escalation_text((RedFlag.BONE_SPOT,), UK, has_plan=True)


@pytest.mark.parametrize("flag", sorted(NO_EXERCISE))
def test_escalation_after_a_no_exercise_sign_never_offers_strength(flag):
    text = escalation_text((flag,), UK, has_plan=True)
    assert "upper body" not in text and "kept strength" not in text
    if FLAG_TIER[flag] is Urgency.WITHIN_DAYS:
        assert content.REST_PAUSED in text


def test_a_self_care_report_while_escalated_gets_no_traffic_light():
    answers = PainAnswers(area=BodyArea.SHOULDER, score=2, timing=Timing.AFTER, walking=True)
    outcome = triage(answers, UK)
    assert outcome.messages[0].startswith("🟢")
    held = still_escalated(outcome, dt.date(2026, 11, 27))
    joined = " ".join(held.messages)
    assert not any(mark in joined for mark in ("🟢", "🟠", "🔴", "usually OK to train"))
    assert "Friday 27 November" in held.messages[0] and "running stays" in held.messages[0]
    assert content.NOT_MEDICAL_ADVICE in held.messages[-1]
    assert held.avoid == outcome.avoid  # the new sore area is still unloaded
    urgent = triage(PainAnswers(flags=(RedFlag.CALF_CLOT,)), UK)
    assert still_escalated(urgent, dt.date(2026, 11, 27)) == urgent


@pytest.mark.parametrize("area", [BodyArea.KNEE_FRONT, BodyArea.FOOT])
def test_mild_kneecap_or_heel_pain_is_not_called_a_tendon(area):
    # Advice, not a diagnosis: the knee front and the heel are not all tendon pain.
    outcome = triage(PainAnswers(area=area, score=2, timing=Timing.AFTER), UK)
    assert "tendon" not in outcome.messages[0].lower()
    assert "tendon" not in content.PLAN_KEEPS_LOADING.lower()


def test_red_advice_says_when_it_will_ask_again():
    outcome = triage(PainAnswers(area=BodyArea.CALF, score=7, timing=Timing.AFTER), UK)
    assert "tomorrow morning" in outcome.messages[0]


def test_the_screens_ask_every_sign_in_the_evidence_table():
    # Red flags: symptoms in both legs, hard sore veins, a history of cancer.
    assert "both legs" in content.SCREEN_TEXTS[Screen.NOW]
    assert "hard, sore veins" in content.SCREEN_TEXTS[Screen.TODAY]
    assert "cancer" in content.SCREEN_TEXTS[Screen.DAYS]


def test_every_zone_in_the_country_table_is_real_and_has_its_numbers():
    known = zoneinfo.available_timezones()
    for zone, country in ZONE_COUNTRY.items():
        assert zone in known, zone
        assert country in content.SERVICES, (zone, country)
    assert services_for("America/Thunder_Bay").emergency == "911"  # Ontario, Canada
    assert "Northern Ireland" in services_for("Europe/London").same_day
