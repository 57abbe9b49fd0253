"""Which messages report pain (docs/safety.md), and which only mention it in passing."""

from __future__ import annotations

import pytest

from core.pain import mentions_pain


@pytest.mark.parametrize(
    "text",
    [
        "pain",
        "PAIN",
        "knee pain today",
        "my calf hurts",
        "I think I'm injured",
        "a niggle in my achilles",
        "it hurt on the downhill",
        "sharp pain, no idea why",
        "Pain!",
        "no sleep, pain",
    ],
)
def test_reports_of_pain(text):
    assert mentions_pain(text)


@pytest.mark.parametrize(
    "text",
    [
        "no pain today",
        "No pain",
        "pain free run",
        "pain-free",
        "it doesn't hurt",
        "didn't hurt at all",
        "without any pain",
        "painting the fence",
        "spain trip",
        "no niggles",
        "easy 7am",
    ],
)
def test_passing_mentions_are_not_reports(text):
    assert not mentions_pain(text)
