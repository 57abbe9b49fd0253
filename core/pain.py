"""Pain words in a runner's message: when they start the pain flow, and when they don't."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from enum import StrEnum

from pydantic import Field

from core import pain_content as content
from core.areas import AREA_LABELS
from core.models import BodyArea, Frozen

_TRIGGER = re.compile(r"\b(pain|painful|hurt|hurts|hurting|injured|injury|niggle|niggles)\b")
# "no pain", "pain free", "doesn't hurt": said in passing, not a report.
_NEGATED = re.compile(
    r"\b(no|not|without|zero|nil|never)\s+(any\s+|more\s+|real\s+)?"
    r"(pain|hurt|hurts|hurting|niggles?|injur(y|ed))\b"
    r"|\bpain[- ]?free\b"
    r"|\b(doesn'?t|don'?t|didn'?t|isn'?t|wasn'?t|won'?t)\s+(\w+\s+)?(hurt|hurts)\b"
)


def mentions_pain(text: str) -> bool:
    """True when a message reports pain ("knee pain today", "PAIN", "my calf hurts")."""
    said = text.lower()
    if not _TRIGGER.search(said):
        return False
    remaining = _NEGATED.sub(" ", said)
    return bool(_TRIGGER.search(remaining))


# --- triage: answers in, urgency, advice and plan change out (safety.md) ----------------------


class Urgency(StrEnum):
    EMERGENCY = "emergency"  # call the emergency number
    SAME_DAY = "same-day"  # urgent care or a doctor today
    WITHIN_DAYS = "within-days"  # a doctor or sports physio soon
    SELF_CARE = "self-care"


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Timing(StrEnum):
    DURING = "during"  # during the run
    AFTER = "after"  # after the run
    MORNING = "next-morning"
    REST = "at-rest"  # at rest or at night


TIMING_LABELS = {
    Timing.DURING: "During the run",
    Timing.AFTER: "After the run",
    Timing.MORNING: "The next morning",
    Timing.REST: "At rest or at night",
}


class PainAnswers(Frozen):
    """What the runner told the pain flow. A red flag ends the questions early."""

    red_flag: Urgency | None = None
    area: BodyArea | None = None  # None: somewhere not on the list
    score: int | None = Field(default=None, ge=0, le=10)
    timing: Timing | None = None
    building: bool = False  # builds during the run, turns sharp, or makes them limp


class PainOutcome(Frozen):
    """What the coach does about it."""

    urgency: Urgency
    light: Light | None
    messages: tuple[str, ...]  # each sent on its own, in order; escalation comes first
    avoid: frozenset[BodyArea]  # keep strength load off these from now on
    level_change: int  # progression step down (negative) at 6/10 or more
    pause_plan: bool
    followup: bool = True


def triage(answers: PainAnswers) -> PainOutcome:
    """Escalation for any red flag (and nothing else); otherwise traffic-light advice."""
    if answers.red_flag is Urgency.EMERGENCY:
        return PainOutcome(
            urgency=Urgency.EMERGENCY,
            light=None,
            messages=(content.EMERGENCY_ADVICE,),
            avoid=frozenset(),
            level_change=0,
            pause_plan=True,
        )
    if answers.red_flag is Urgency.SAME_DAY:
        return PainOutcome(
            urgency=Urgency.SAME_DAY,
            light=None,
            messages=(content.SAME_DAY_ADVICE,),
            avoid=frozenset(),
            level_change=0,
            pause_plan=True,
        )
    avoid = frozenset({answers.area}) if answers.area is not None else frozenset()
    if answers.red_flag is Urgency.WITHIN_DAYS or answers.timing is Timing.REST:
        return PainOutcome(
            urgency=Urgency.WITHIN_DAYS,
            light=Light.RED,
            messages=(
                content.WITHIN_DAYS_ADVICE,
                f"{content.ALWAYS} {content.NOT_MEDICAL_ADVICE}",
            ),
            avoid=avoid,
            level_change=-1,
            pause_plan=False,
        )
    score = answers.score or 0
    if score >= 6 or answers.building:
        light, advice, level = Light.RED, content.RED_ADVICE, -1
    elif score >= 4:
        light, advice, level = Light.AMBER, content.AMBER_ADVICE, 0
    else:
        light, advice, level = Light.GREEN, content.GREEN_ADVICE, 0
    return PainOutcome(
        urgency=Urgency.SELF_CARE,
        light=light,
        messages=(
            advice,
            content.AREA_NOTES[answers.area],
            f"{content.ALWAYS} {content.NOT_MEDICAL_ADVICE}",
        ),
        avoid=avoid,
        level_change=level,
        pause_plan=False,
    )


class Followup(StrEnum):
    CLEARED = "cleared"
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"
    SEE_PHYSIO = "see-physio"


def follow_up(checkins: Sequence[int]) -> tuple[Followup, str]:
    """The answer to the newest morning check-in, given all of this episode's scores so far
    (the first report first). Three check-ins in a row with pain, or worse twice in a row,
    lead to a firm recommendation to see a physio."""
    if not checkins:
        raise ValueError("a follow-up needs at least one score")
    *before, now = checkins
    if now == 0:
        return Followup.CLEARED, content.FOLLOWUP_CLEARED
    with_pain = 0
    for score in reversed(checkins[1:]):  # check-ins after the first report
        if score == 0:
            break
        with_pain += 1
    if with_pain >= 3:
        return Followup.SEE_PHYSIO, content.SEE_PHYSIO.format(reason=content.SEE_PHYSIO_THREE)
    if len(checkins) >= 3 and checkins[-1] > checkins[-2] > checkins[-3]:
        return Followup.SEE_PHYSIO, content.SEE_PHYSIO.format(reason=content.SEE_PHYSIO_WORSE)
    previous = before[-1] if before else now
    if now > previous:
        return Followup.WORSE, content.FOLLOWUP_WORSE
    if now < previous:
        return Followup.BETTER, content.FOLLOWUP_BETTER
    return Followup.SAME, content.FOLLOWUP_SAME


def physio_summary(
    *,
    area: BodyArea | None,
    since: dt.date,
    scores: Sequence[tuple[dt.date, int]],
    changes: Sequence[str],
) -> str:
    """A short summary the runner can forward to a physio."""
    where = AREA_LABELS[area] if area is not None else "another area"
    lines = [
        "Runner's pain summary (from runcoach, a training app; not a clinical record)",
        f"Where: {where}",
        f"Since: {since:%d %B %Y}",
        "Scores (0-10): " + ", ".join(f"{d:%d %b} {s}" for d, s in scores),
    ]
    if changes:
        lines.append("Training changes made: " + "; ".join(changes))
    return "\n".join(lines)
