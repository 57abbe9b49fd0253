"""Every question the dialog engine can ask, by key: built here, once, from setup's, the free
days' and the pain check's questions (a key names one question in one place)."""

from __future__ import annotations

from bot.dialog.pain_questions import PAIN_QUESTIONS
from bot.dialog.placement import PLACEMENT_QUESTIONS
from bot.dialog.question import Question
from bot.dialog.setup import SETUP_QUESTIONS


def _merged(*groups: dict[str, Question]) -> dict[str, Question]:
    merged: dict[str, Question] = {}
    for group in groups:
        clash = merged.keys() & group.keys()
        assert not clash, f"question keys used twice: {sorted(clash)}"
        merged.update(group)
    return merged


QUESTIONS: dict[str, Question] = _merged(SETUP_QUESTIONS, PLACEMENT_QUESTIONS, PAIN_QUESTIONS)
