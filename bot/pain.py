"""The pain flow on Telegram: red flags first, then where, how bad and when; advice, the plan
change and next-morning follow-ups. The decisions are `core.pain`'s; this module asks and tells.

It starts from any state (the word, the button, /pain). An interrupted setup or settings
dialog is kept aside and asked again when the pain flow ends; "not now" ends it at any step.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from bot.questions import QUESTIONS, Accepted, Answers, Button, Context, Invalid, Prompt, Question
from core import pain_content as content
from core.areas import AREA_LABELS, UnknownArea, parse_areas
from core.models import BodyArea
from core.pain import (
    TIMING_LABELS,
    Followup,
    PainAnswers,
    PainOutcome,
    Timing,
    Urgency,
    follow_up,
    physio_summary,
    triage,
)

log = logging.getLogger(__name__)

PAIN = "pain"
NOT_NOW_WORDS = {"not now", "later", "stop", "cancel", "/cancel", "never mind", "nevermind"}
YES, NO = "yes", "no"
OTHER_AREA = "other"


def _yes_no(raw: str, hint: str) -> bool:
    said = raw.strip().lower().rstrip(".!")
    if raw == YES or said in {"yes", "y", "yeah", "yep", "yes, one of these", "one of these"}:
        return True
    if raw == NO or said in {"no", "n", "nope", "none", "none of these", "no, none of these"}:
        return False
    raise Invalid(hint)


def _screen(key: str, text: str, tier: Urgency) -> Question:
    def ask(a: Answers, c: Context) -> Prompt:
        return Prompt(text, ((Button("Yes, one of these", YES), Button("None of these", NO)),))

    def accept(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
        flagged = _yes_no(raw, "Please tap Yes or None of these (or type yes or no).")
        new = {**a, key: flagged}
        if flagged and "red_flag" not in a:
            new["red_flag"] = tier.value
        return Accepted(new, "Yes" if flagged else "None of these")

    return Question(key, key, ask, accept)


def _ask_area(a: Answers, c: Context) -> Prompt:
    buttons = [Button(label, area.value) for area, label in AREA_LABELS.items()]
    buttons.append(Button("Somewhere else", OTHER_AREA))
    return Prompt(
        content.ASK_AREA, tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    )


def _accept_area(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    if raw == OTHER_AREA or raw.strip().lower() in {"other", "somewhere else", "elsewhere"}:
        return Accepted({**a, "area": None}, "Somewhere else")
    if pressed and raw in {area.value for area in BodyArea}:
        area = BodyArea(raw)
    else:
        try:
            areas = parse_areas(raw)
        except UnknownArea:
            areas = frozenset()
        if len(areas) != 1:
            # "knee" could be the front or the outside: ask rather than guess.
            raise Invalid("Please tap the area that fits best, or Somewhere else.")
        (area,) = areas
    return Accepted({**a, "area": area.value}, AREA_LABELS[area])


def _ask_score(a: Answers, c: Context) -> Prompt:
    row1 = tuple(Button(str(n), str(n)) for n in range(0, 6))
    row2 = tuple(Button(str(n), str(n)) for n in range(6, 11))
    return Prompt(content.ASK_SCORE, (row1, row2))


def parse_score(raw: str) -> int:
    said = raw.strip().lower().removesuffix("/10").strip()
    if said.isascii() and said.isdecimal() and 0 <= int(said) <= 10:
        return int(said)
    raise Invalid("Please give a number from 0 to 10, or tap one.")


def _accept_score(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    score = parse_score(raw)
    return Accepted({**a, "score": score}, f"{score}/10")


def _ask_when(a: Answers, c: Context) -> Prompt:
    buttons = [Button(label, timing.value) for timing, label in TIMING_LABELS.items()]
    return Prompt(content.ASK_WHEN, (tuple(buttons[:2]), tuple(buttons[2:])))


_WHEN_WORDS = {
    "during": Timing.DURING,
    "while running": Timing.DURING,
    "running": Timing.DURING,
    "after": Timing.AFTER,
    "afterwards": Timing.AFTER,
    "after running": Timing.AFTER,
    "morning": Timing.MORNING,
    "next morning": Timing.MORNING,
    "in the morning": Timing.MORNING,
    "at rest": Timing.REST,
    "rest": Timing.REST,
    "night": Timing.REST,
    "at night": Timing.REST,
    "all the time": Timing.REST,
    "constantly": Timing.REST,
}


def _accept_when(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    said = raw.strip().lower().rstrip(".!")
    timing = next((t for t in Timing if raw == t.value or said == TIMING_LABELS[t].lower()), None)
    timing = timing or _WHEN_WORDS.get(said)
    if timing is None:
        raise Invalid("Please tap when it hurts most.")
    return Accepted({**a, "timing": timing.value}, TIMING_LABELS[timing])


def _ask_building(a: Answers, c: Context) -> Prompt:
    return Prompt(content.ASK_SHARP, ((Button("Yes", YES), Button("No", NO)),))


def _accept_building(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    building = _yes_no(raw, "Please tap Yes or No.")
    return Accepted({**a, "building": building}, "Yes" if building else "No")


PAIN_QUESTIONS = {
    q.key: q
    for q in (
        _screen("pf_emergency", content.EMERGENCY_SCREEN, Urgency.EMERGENCY),
        _screen("pf_sameday", content.SAME_DAY_SCREEN, Urgency.SAME_DAY),
        _screen("pf_days", content.WITHIN_DAYS_SCREEN, Urgency.WITHIN_DAYS),
        Question("area", "Where", _ask_area, _accept_area),
        Question("score", "How bad", _ask_score, _accept_score),
        Question("timing", "When", _ask_when, _accept_when),
        Question("building", "Builds, sharp or limping", _ask_building, _accept_building),
    )
}
QUESTIONS.update(PAIN_QUESTIONS)  # one engine asks every dialog's questions
PAIN_ORDER = ("pf_emergency", "pf_sameday", "pf_days", "area", "score", "timing", "building")


def pain_step(answers: Answers) -> str:
    """The next pain question, or "" when there is enough to advise."""
    if answers.get("red_flag") in (Urgency.EMERGENCY.value, Urgency.SAME_DAY.value):
        return ""  # escalation only: no more questions
    return next((key for key in PAIN_ORDER if key not in answers), "")


def pain_answers(answers: Answers) -> PainAnswers:
    area = answers.get("area")
    timing = answers.get("timing")
    red_flag = answers.get("red_flag")
    return PainAnswers(
        red_flag=Urgency(red_flag) if red_flag else None,
        area=BodyArea(area) if area else None,
        score=answers.get("score"),
        timing=Timing(timing) if timing else None,
        building=bool(answers.get("building")),
    )


def outcome_record(answers: Answers, outcome: PainOutcome) -> dict[str, Any]:
    """The pain_report row's fields for this report."""
    return {
        "area": answers.get("area") or OTHER_AREA,
        "score": int(answers.get("score") or 0),
        "timing": answers.get("timing") or "unknown",
        "red_flag": answers.get("red_flag"),
        "advice_level": outcome.light.value if outcome.light else outcome.urgency.value,
    }


def followup_prompt(area: str | None, day: dt.date) -> tuple[str, list[list[tuple[str, str]]]]:
    label = AREA_LABELS[BodyArea(area)].lower() if area and area != OTHER_AREA else "pain"
    d = day.isoformat()
    rows = [
        [(str(n), f"f:{n}:{d}") for n in range(0, 6)],
        [(str(n), f"f:{n}:{d}") for n in range(6, 11)],
    ]
    return content.FOLLOWUP_QUESTION.format(area=label), rows


def next_morning(
    now: dt.datetime, zone: ZoneInfo, morning: dt.time
) -> tuple[dt.date, dt.datetime]:
    """Tomorrow's local date and the moment of the morning check-in."""
    tomorrow = now.astimezone(zone).date() + dt.timedelta(days=1)
    at = dt.datetime.combine(tomorrow, morning, tzinfo=zone).astimezone(dt.UTC)
    return tomorrow, at


__all__ = [
    "NOT_NOW_WORDS",
    "PAIN",
    "PAIN_QUESTIONS",
    "Followup",
    "follow_up",
    "followup_prompt",
    "next_morning",
    "outcome_record",
    "pain_answers",
    "pain_step",
    "physio_summary",
    "triage",
]
