"""A runner's open dialog as stored (the kv table, namespace "dialog"), and the step it is on.

The step is derived from the answers alone, so nothing but the answers needs storing.
"""

from __future__ import annotations

from typing import Any

from bot.dialog.pain_questions import pain_step
from bot.dialog.setup import first_missing

DIALOG = "dialog"  # kv namespace: one open dialog per runner

# Flows
ONBOARDING, SETTINGS, RESTART, PAIN = "onboarding", "settings", "restart", "pain"
# Steps that are not questions (SETTINGS and RESTART are steps too)
SUMMARY, EDIT = "summary", "edit"


def current_step(dialog: dict[str, Any]) -> str:
    """The question a dialog is on, derived from its answers alone."""
    answers = dialog["answers"]
    flow = dialog["flow"]
    if flow == RESTART:
        return RESTART
    if flow == PAIN:
        return pain_step(answers)
    if flow == SETTINGS and "_pick" not in answers:
        return SETTINGS
    missing = first_missing(answers)
    if missing is not None:
        return missing
    if flow == SETTINGS:
        return ""  # complete: applied at once
    return EDIT if answers.get("_edit") else SUMMARY
