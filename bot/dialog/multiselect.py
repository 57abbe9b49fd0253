"""Multi-select questions, equipment and niggles: each press ticks or unticks a button (the
ticks so far are the dialog's `pending`, seen here as `Context.pending`), Done or a typed
list answers."""

from __future__ import annotations

import re

from bot import texts
from bot.dialog.question import (
    Accepted,
    Answers,
    Button,
    Context,
    Invalid,
    Prompt,
    did_you_mean,
    norm,
    rows,
    short,
)
from core.answers import read_equipment, yes_no
from core.areas import AREA_LABELS, UnknownArea, read_areas
from core.models import Equipment

DONE = "done"
MULTI_SELECT = ("equipment", "niggles")  # the keys of the questions here
EQUIPMENT_LABELS = {
    Equipment.NONE.value: "Bodyweight only",
    Equipment.BAND.value: "Resistance band",
    Equipment.DUMBBELLS.value: "Dumbbells or kettlebell",
    Equipment.PULLUP_BAR.value: "Pull-up bar",
    Equipment.GYM.value: "Gym",
}
EQUIPMENT_WORDS = {
    "none": "none",
    "nothing": "none",
    "bodyweight": "none",
    "body weight": "none",
    "no": "none",
    "band": "band",
    "bands": "band",
    "resistance band": "band",
    "mini band": "band",
    "dumbbell": "dumbbells",
    "dumbbells": "dumbbells",
    "kettlebell": "dumbbells",
    "kettlebells": "dumbbells",
    "weights": "dumbbells",
    "db": "dumbbells",
    "kb": "dumbbells",
    "pull-up bar": "pullup-bar",
    "pullup bar": "pullup-bar",
    "pull up bar": "pullup-bar",
    "bar": "pullup-bar",
    "gym": "gym",
    "bodyweight only": "none",
    "dumbbells or kettlebell": "dumbbells",
    "dumbbells or kettlebells": "dumbbells",
    "full gym": "gym",
    "barbell": "gym",
}


def _toggle_prompt(
    text: str,
    labels: dict[str, str],
    chosen: tuple[str, ...],
    per_row: int,
    none_value: str | None,
) -> Prompt:
    buttons = [Button(("✅ " if v in chosen else "") + label, v) for v, label in labels.items()]
    last = [Button("None", none_value)] if none_value else []
    return Prompt(text, (*rows(buttons, per_row), (*last, Button("Done", DONE))))


def ask_equipment(a: Answers, c: Context) -> Prompt:
    return _toggle_prompt(texts.ASK_EQUIPMENT, EQUIPMENT_LABELS, c.pending, 2, None)


def show_equipment(a: Answers) -> str:
    return ", ".join(EQUIPMENT_LABELS[e] for e in a["equipment"])


def accept_equipment(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    pending = list(c.pending)
    if pressed and raw in EQUIPMENT_LABELS:
        if raw in pending:
            pending.remove(raw)
        else:
            pending.append(raw)
        return Accepted(a, "", stay=True, pending=tuple(pending))
    if (pressed and raw == DONE) or norm(raw) == DONE:
        chosen = pending or [Equipment.NONE.value]
    else:
        chosen = []
        for part in re.split(r"[,;/&+\n]|\band\b", norm(raw)):
            word = part.strip()
            if word in EQUIPMENT_WORDS:
                chosen.append(EQUIPMENT_WORDS[word])
            elif word:
                chosen = []
                break
        if not chosen:  # "no equipment", "nothing really, just my body", "a pair of dumbbells"
            read = read_equipment(raw)
            if read is None:
                raise Invalid(texts.HINT_EQUIPMENT)
            chosen = [e.value for e in read]
    if len(chosen) > 1 and Equipment.NONE.value in chosen:
        chosen.remove(Equipment.NONE.value)
    ordered = [e for e in EQUIPMENT_LABELS if e in chosen]
    new = {**a, "equipment": ordered}
    return Accepted(new, show_equipment(new))


AREA_BUTTONS = {area.value: label for area, label in AREA_LABELS.items()}
NO_NIGGLES = "none"


def ask_niggles(a: Answers, c: Context) -> Prompt:
    return _toggle_prompt(texts.ASK_NIGGLES, AREA_BUTTONS, c.pending, 2, NO_NIGGLES)


def show_niggles(a: Answers) -> str:
    return ", ".join(AREA_BUTTONS[n] for n in a["niggles"]) or "none"


def accept_niggles(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    pending = list(c.pending)
    if pressed and raw in AREA_BUTTONS:
        if raw in pending:
            pending.remove(raw)
        else:
            pending.append(raw)
        return Accepted(a, "", stay=True, pending=tuple(pending))
    if pressed and raw == NO_NIGGLES:
        chosen: list[str] = []
    elif (pressed and raw == DONE) or norm(raw) == DONE:
        chosen = list(pending)
    elif c.suggested is not None and yes_no(raw) is True:
        chosen = [area.value for area in read_areas(c.suggested)]
    else:
        try:
            chosen = [area.value for area in read_areas(raw)]
        except UnknownArea as error:
            if error.suggestion is not None:
                raise Invalid(did_you_mean(error.suggestion), suggest=error.suggestion) from None
            raise Invalid(texts.HINT_NIGGLES.format(part=short(error.part, 60))) from None
    new = {**a, "niggles": [n for n in AREA_BUTTONS if n in chosen]}
    return Accepted(new, show_niggles(new))
