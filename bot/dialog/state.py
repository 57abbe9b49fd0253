"""A runner's open dialog: which flow, the answers so far, and the engine's own marks kept
apart from them (Edit pressed, the answer picked in /settings, the ticks of a multi-select,
a "Did you mean ...?" offered, paused, the dialog a pain check interrupted). The step it is
on is derived, never stored.

Stored in the kv table (namespace "dialog") in the shape it has always had, with the marks
inside the answers (`_edit`, `_pick`, `_suggest`, `<key>_pending`): dialogs saved before this
model load as they are, and a process of the previous version can still read what this one writes
(two processes share one PostgreSQL database during a deploy). A stored dialog that does not
read at all is dropped with a warning rather than failing every turn of its runner.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from bot.dialog.pain_questions import pain_step
from bot.dialog.question import Answers
from bot.dialog.setup import first_missing

log = logging.getLogger(__name__)

DIALOG = "dialog"  # kv namespace: one open dialog per runner
PENDING = "_pending"  # stored suffix of a multi-select's ticks so far


class Flow(StrEnum):
    ONBOARDING = "onboarding"  # the first setup
    SETTINGS = "settings"  # /settings: change one answer, applied at once
    RESTART = "restart"  # /start after setup: change something, or keep the plan
    PAIN = "pain"  # the pain check, from any state


# Steps that are not questions (a question's step is its key; "" is a finished dialog).
SUMMARY, EDIT = "summary", "edit"
SETTINGS, RESTART = Flow.SETTINGS.value, Flow.RESTART.value


class Dialog(BaseModel):
    """One runner's open dialog."""

    flow: Flow
    answers: Answers = Field(default_factory=dict)
    edit: bool = False  # Edit pressed at the summary: the menu of answers to change is open
    pick: str | None = None  # /settings: the answer picked to change
    pending: dict[str, list[str]] = Field(default_factory=dict)  # multi-select ticks so far
    suggest: str | None = None  # a value offered ("Did you mean ...?"): "yes" takes it
    paused: bool = False  # stopped (/cancel, or after an escalation): /start resumes it
    resume: Dialog | None = None  # the pain check's: the dialog it interrupted

    @property
    def active(self) -> bool:
        """Whether the runner is being asked (a paused dialog waits for /start)."""
        return not self.paused

    @property
    def step(self) -> str:
        """The question the dialog is on, derived from its answers alone."""
        if self.flow is Flow.RESTART:
            return RESTART
        if self.flow is Flow.PAIN:
            return pain_step(self.answers)
        if self.flow is Flow.SETTINGS and self.pick is None:
            return SETTINGS
        missing = first_missing(self.answers)
        if missing is not None:
            return missing
        if self.flow is Flow.SETTINGS:
            return ""  # complete: applied at once
        return EDIT if self.edit else SUMMARY

    def stored(self) -> dict[str, Any]:
        """The dialog as the kv table keeps it (see the module's docstring)."""
        answers = dict(self.answers)
        if self.edit:
            answers["_edit"] = True
        if self.pick is not None:
            answers["_pick"] = self.pick
        if self.suggest is not None:
            answers["_suggest"] = self.suggest
        for key, ticked in self.pending.items():
            answers[key + PENDING] = list(ticked)
        value: dict[str, Any] = {"flow": self.flow.value, "answers": answers}
        if self.paused:
            value["paused"] = True
        if self.flow is Flow.PAIN:
            value["resume"] = self.resume.stored() if self.resume is not None else None
        return value

    @classmethod
    def from_stored(cls, value: dict[str, Any]) -> Dialog:
        """A dialog from the kv table; raises ValueError when it is not one."""
        if not isinstance(value, dict) or not isinstance(value.get("answers"), dict):
            raise ValueError("not a stored dialog")
        answers = dict(value["answers"])
        edit = bool(answers.pop("_edit", False))
        pick = answers.pop("_pick", None)
        suggest = answers.pop("_suggest", None)
        pending = {
            key.removesuffix(PENDING): answers.pop(key)
            for key in [k for k in answers if k.endswith(PENDING)]
        }
        resume = value.get("resume")
        return cls.model_validate(
            {
                "flow": value.get("flow"),
                "answers": answers,
                "edit": edit,
                "pick": pick,
                "suggest": suggest,
                "pending": pending,
                "paused": bool(value.get("paused")),
                "resume": cls.from_stored(resume) if resume is not None else None,
            }
        )


def load_dialog(value: dict[str, Any] | None, *, user_id: int) -> Dialog | None:
    """The runner's open dialog from its stored value; one that does not read is dropped."""
    if value is None:
        return None
    try:
        return Dialog.from_stored(value)
    except (ValueError, ValidationError) as error:  # ValidationError is a ValueError too
        log.warning("user %s: stored dialog unreadable, dropped: %s", user_id, error)
        return None
