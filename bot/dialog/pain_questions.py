"""The pain check's questions: red flags first (one screen at a time, each flag its own
button, typed symptoms read), then where, how bad, walking and when. `pain_step` says which
comes next, or that there is enough to advise or to escalate; the decisions are `core.pain`'s.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bot.dialog.question import Accepted, Answers, Button, Context, Invalid, Prompt, Question
from core import pain_content as content
from core.areas import AREA_LABELS, UnknownArea, parse_areas
from core.flags import SCREEN_FLAGS, SCREEN_ORDER, RedFlag, Screen, Urgency
from core.models import BodyArea
from core.pain import TIMING_LABELS, PainAnswers, PainOutcome, Timing, urgency_of
from core.symptoms import (
    CHEST,
    HEAD_PAIN,
    HEADACHE,
    HEART,
    TUMMY,
    flags_at_screen,
    read_symptoms,
)

NOT_NOW_WORDS = {"not now", "later", "stop", "cancel", "/cancel", "never mind", "nevermind"}
YES, NO = "yes", "no"
OTHER_AREA = "other"
TORSO_AREA = "torso"
URGENT = (Urgency.EMERGENCY, Urgency.SAME_DAY)


def _flags_of(answers: Answers) -> list[str]:
    return list(answers.get("flags", []))


def _with_flags(answers: Answers, flags: tuple[RedFlag, ...] | list[RedFlag]) -> Answers:
    merged = list(dict.fromkeys([*_flags_of(answers), *(f.value for f in flags)]))
    return {**answers, "flags": merged}


def _yes_no(raw: str, hint: str) -> bool:
    said = raw.strip().lower().rstrip(".!")
    if raw == YES or said in {"yes", "y", "yeah", "yep", "yes, one of these", "one of these"}:
        return True
    if raw == NO or said in {"no", "n", "nope", "none", "none of these", "no, none of these"}:
        return False
    raise Invalid(hint)


_NONE_WORDS = {
    "no",
    "n",
    "nope",
    "none",
    "none of these",
    "none of those",
    "none of them",
    "none of the above",
    "no none",
    "no, none",
    "no none of them",
    "no, none of them",
    "nothing",
    "neither",
    "nah",
    "all good",
    "all fine",
}


def _screen(screen: Screen) -> Question:
    flags = SCREEN_FLAGS[screen]

    def ask(a: Answers, c: Context) -> Prompt:
        rows = [(Button(content.FLAG_BUTTONS[f], f.value),) for f in flags]
        rows.append((Button(content.NONE_OF_THESE, NO),))
        return Prompt(content.SCREEN_TEXTS[screen], tuple(rows))

    def accept(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
        said = raw.strip().lower().rstrip(".!")
        by_value = {f.value: f for f in flags}
        if raw == NO or said in _NONE_WORDS:
            return Accepted({**a, screen.value: []}, content.NONE_OF_THESE)
        if pressed and raw in by_value:
            chosen: tuple[RedFlag, ...] = (by_value[raw],)
        elif said in {"yes", "y", "yeah", "yep", "one of these"}:
            raise Invalid(content.WHICH_ONE)
        else:
            label = {content.FLAG_BUTTONS[f].lower(): f for f in flags}.get(said)
            chosen = (label,) if label is not None else flags_at_screen(raw, screen)
            if not chosen:
                raise Invalid(content.SCREEN_HINT)
        new = _with_flags({**a, screen.value: [f.value for f in chosen]}, chosen)
        echo = "; ".join(content.FLAG_BUTTONS.get(f, f.value) for f in chosen)
        return Accepted(new, echo)

    return Question(screen.value, screen.value, ask, accept)


def _ask_area(a: Answers, c: Context) -> Prompt:
    buttons = [Button(label, area.value) for area, label in AREA_LABELS.items()]
    buttons.append(Button(content.TORSO_LABEL, TORSO_AREA))
    buttons.append(Button(content.OTHER_LABEL, OTHER_AREA))
    return Prompt(
        content.ASK_AREA, tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    )


# Chest, head or tummy anywhere in the answer ("in my chest", "my ribs", "head and neck"):
# the area that always escalates, never "Somewhere else". The recogniser's words.
_TORSO = (CHEST, HEART, TUMMY, HEAD_PAIN, HEADACHE, r"\b(?:head|lungs?)\b")


def _names_torso(raw: str) -> bool:
    said = raw.lower().replace("’", "'")
    return any(re.search(pattern, said) for pattern in _TORSO)


def _accept_area(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    said = raw.strip().lower().rstrip(".!")
    if raw == TORSO_AREA or (not pressed and _names_torso(raw)):
        return Accepted({**a, "area": None, "torso": True}, content.TORSO_LABEL)
    if raw == OTHER_AREA or said in {"other", "somewhere else", "elsewhere"}:
        return Accepted({**a, "area": None}, content.OTHER_LABEL)
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


def _ask_walking(a: Answers, c: Context) -> Prompt:
    return Prompt(
        content.ASK_WALKING,
        ((Button("Yes, normally", YES), Button("No, I'm limping or can't", NO)),),
    )


def _accept_walking(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    said = raw.strip().lower().rstrip(".!")
    if said in {"normally", "yes normally", "yes, normally", "fine"}:
        walking = True
    elif said in {"limping", "can't", "cant", "no, i'm limping or can't", "not really"}:
        walking = False
    else:
        walking = _yes_no(raw, "Please tap Yes or No.")
    return Accepted({**a, "walking": walking}, "Yes, normally" if walking else "No")


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
        *(_screen(s) for s in SCREEN_ORDER),
        Question("area", "Where", _ask_area, _accept_area),
        Question("score", "How bad", _ask_score, _accept_score),
        Question("walking", "Walking normally", _ask_walking, _accept_walking),
        Question("timing", "When", _ask_when, _accept_when),
        Question("building", "Builds or sharp", _ask_building, _accept_building),
    )
}
SCREEN_KEYS = frozenset(s.value for s in SCREEN_ORDER)


def _tier(answers: Answers) -> Urgency:
    return urgency_of(RedFlag(f) for f in _flags_of(answers))


def pain_step(answers: Answers) -> str:
    """The next pain question, or "" when there is enough to advise (or to escalate)."""
    tier = _tier(answers)
    if tier in URGENT:
        return ""  # escalation only: no more questions
    named = set(_flags_of(answers))
    for screen in SCREEN_ORDER:
        # A screen whose flag the runner already named ("groin pain that gets worse every
        # run") counts as answered: it isn't asked again.
        if screen.value not in answers and not named & {f.value for f in SCREEN_FLAGS[screen]}:
            return screen.value
    if "area" not in answers:
        return "area"
    if answers.get("torso"):
        return ""
    if "score" not in answers:
        return "score"
    if answers["score"] >= 8:
        return ""
    if "walking" not in answers:
        return "walking"
    if answers["walking"] is False or tier is Urgency.WITHIN_DAYS:
        return ""
    if "timing" not in answers:
        return "timing"
    if answers["timing"] == Timing.REST.value:
        return ""
    return "" if "building" in answers else "building"


def note_typed_flags(step: str, raw: str, answers: Answers) -> Answers | None:
    """A symptom typed at a question that is not a screen ("my calf is swollen and red" at
    "where?"): its red flags count. The answer itself is kept too when it also fits the
    question. None when the text names no new flag."""
    if step in SCREEN_KEYS or step not in PAIN_QUESTIONS:
        return None
    named = [f for f in read_symptoms(raw).flags if f.value not in _flags_of(answers)]
    if not named:
        return None
    noted = _with_flags(answers, named)
    try:
        return PAIN_QUESTIONS[step].accept(raw, False, noted, Context(today=dt.date.min)).answers
    except Invalid:
        return noted


def has_flags(answers: Answers) -> bool:
    """Whether the answers so far hold a red flag (named, tapped, or raised by an answer)."""
    return bool(pain_answers(answers).all_flags())


def start_answers(flags: tuple[RedFlag, ...]) -> Answers:
    """A new pain check's answers, with the flags the runner's message already named."""
    return _with_flags({}, flags)


def escalates_at_once(flags: tuple[RedFlag, ...]) -> bool:
    """Flags named in a message that need escalation before any question."""
    return urgency_of(flags) in URGENT


def pain_answers(answers: Answers) -> PainAnswers:
    area = answers.get("area")
    timing = answers.get("timing")
    return PainAnswers(
        flags=tuple(RedFlag(f) for f in _flags_of(answers)),
        area=BodyArea(area) if area else None,
        torso=bool(answers.get("torso")),
        score=answers.get("score"),
        walking=answers.get("walking"),
        timing=Timing(timing) if timing else None,
        building=bool(answers.get("building")),
    )


def outcome_record(answers: Answers, outcome: PainOutcome) -> dict[str, Any]:
    """The pain_report row's fields for this report."""
    flags = [f.value for f in outcome.flags]
    area = answers.get("area") or (TORSO_AREA if answers.get("torso") else OTHER_AREA)
    return {
        "area": area,
        "score": int(answers.get("score") or 0),
        "timing": answers.get("timing") or "unknown",
        "red_flag": ",".join(flags) if flags else None,
        "advice_level": outcome.light.value if outcome.light else outcome.urgency.value,
    }
