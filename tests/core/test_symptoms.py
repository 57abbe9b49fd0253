"""The symptom recogniser: runners' own words in, a report (with its red flags), a maybe, or
nothing out. A missed symptom is far worse than one extra question."""

from __future__ import annotations

import pytest

from core.flags import FLAG_TIER, SCREEN_FLAGS, RedFlag, Screen, Urgency
from core.symptoms import Recognised, flags_at_screen, read_symptoms
from tests.pain_messages import MESSAGES


def test_the_table_is_big_and_covers_every_flag_a_runner_can_type():
    assert len(MESSAGES) >= 40
    named = {flag for *_, flag in MESSAGES if flag is not None}
    typed = set(FLAG_TIER) - {
        RedFlag.TORSO,  # an area button
        RedFlag.SEVERE,  # a score
        RedFlag.RISING,  # check-ins
        RedFlag.PERSISTING,
    }
    assert typed <= named, sorted(typed - named)


@pytest.mark.parametrize(("text", "kind", "tier", "flag"), MESSAGES)
def test_messages_as_runners_write_them(text, kind, tier, flag):
    reading = read_symptoms(text)
    assert reading.kind is kind, (text, reading)
    assert reading.urgency is tier, (text, reading.flags)
    if flag is not None:
        assert flag in reading.flags, (text, reading.flags)


@pytest.mark.parametrize(
    "text",
    ["pain", "PAIN", "my calf hurts", "I think I'm injured", "a niggle in my achilles", "Pain!"],
)
def test_the_old_trigger_words_still_start_the_check(text):
    assert read_symptoms(text).kind is Recognised.REPORT


@pytest.mark.parametrize(
    ("text", "screen", "flag"),
    [
        ("chest", Screen.NOW, RedFlag.CHEST_NOW),
        ("breathless", Screen.NOW, RedFlag.CHEST_NOW),
        ("my jaw", Screen.NOW, RedFlag.EFFORT_ARM_NOW),
        ("fainted", Screen.RECENT, RedFlag.CHEST_RECENT),
        ("the head one", Screen.RECENT, RedFlag.HEAD_INJURY),
        ("calf", Screen.TODAY, RedFlag.CALF_CLOT),
        ("the knee one", Screen.TODAY, RedFlag.KNEE),
        ("night", Screen.DAYS, RedFlag.NIGHT),
        ("tingling", Screen.DAYS, RedFlag.NERVE),
        ("I had cancer a few years ago", Screen.DAYS, RedFlag.SYSTEMIC),
    ],
)
def test_a_short_answer_at_a_screen_names_that_screens_flag(text, screen, flag):
    assert flag in flags_at_screen(text, screen)
    assert set(flags_at_screen(text, screen)) <= set(SCREEN_FLAGS[screen])


def test_a_flag_named_in_full_counts_at_any_screen():
    # Typed at the last screen, a chest emergency is still an emergency.
    named = flags_at_screen("chest pain and I'm short of breath", Screen.DAYS)
    assert RedFlag.CHEST_NOW in named and FLAG_TIER[named[0]] is Urgency.EMERGENCY


@pytest.mark.parametrize("text", ["what?", "no idea", "hmm", "asdf"])
def test_anything_else_at_a_screen_names_nothing(text):
    for screen in Screen:
        assert flags_at_screen(text, screen) == ()
