"""Body areas as runners name them: labels to show and words to understand."""

from __future__ import annotations

import re

from core.fuzzy import guess
from core.models import BodyArea

AREA_LABELS = {
    BodyArea.FOOT: "Foot / heel",
    BodyArea.ACHILLES: "Achilles",
    BodyArea.CALF: "Calf",
    BodyArea.SHIN: "Shin",
    BodyArea.KNEE_FRONT: "Knee (front)",
    BodyArea.KNEE_OUTSIDE: "Knee (outside)",
    BodyArea.HIP: "Hip / glute",
    BodyArea.HAMSTRING: "Hamstring / sit-bone",
    BodyArea.LOWER_BACK: "Lower back",
    BodyArea.SHOULDER: "Shoulder",
}


def area_label(area: str) -> str:
    """A stored area as the runner reads it ("Knee (front)"); an area no longer known, from
    its name ("knee-front" -> "Knee front")."""
    try:
        return AREA_LABELS[BodyArea(area)]
    except (ValueError, KeyError):
        return re.sub(r"[-_]", " ", area).capitalize()


# Longest phrases first, so "outside of the knee" wins over "knee".
_WORDS: tuple[tuple[str, frozenset[BodyArea]], ...] = tuple(
    sorted(
        (
            (phrase, frozenset(areas))
            for phrase, areas in {
                "foot": {BodyArea.FOOT},
                "feet": {BodyArea.FOOT},
                "heel": {BodyArea.FOOT},
                "heels": {BodyArea.FOOT},
                "arch": {BodyArea.FOOT},
                "plantar": {BodyArea.FOOT},
                "plantar fascia": {BodyArea.FOOT},
                "toe": {BodyArea.FOOT},
                "toes": {BodyArea.FOOT},
                "ankle": {BodyArea.FOOT, BodyArea.ACHILLES},
                "achilles": {BodyArea.ACHILLES},
                "achilles tendon": {BodyArea.ACHILLES},
                "calf": {BodyArea.CALF},
                "calves": {BodyArea.CALF},
                "soleus": {BodyArea.CALF},
                "shin": {BodyArea.SHIN},
                "shins": {BodyArea.SHIN},
                "shin splints": {BodyArea.SHIN},
                "knee": {BodyArea.KNEE_FRONT, BodyArea.KNEE_OUTSIDE},
                "knees": {BodyArea.KNEE_FRONT, BodyArea.KNEE_OUTSIDE},
                "kneecap": {BodyArea.KNEE_FRONT},
                "front of knee": {BodyArea.KNEE_FRONT},
                "front of the knee": {BodyArea.KNEE_FRONT},
                "knee front": {BodyArea.KNEE_FRONT},
                "knee (front)": {BodyArea.KNEE_FRONT},
                "knee (outside)": {BodyArea.KNEE_OUTSIDE},
                "patella": {BodyArea.KNEE_FRONT},
                "runners knee": {BodyArea.KNEE_FRONT},
                "runner's knee": {BodyArea.KNEE_FRONT},
                "outside of knee": {BodyArea.KNEE_OUTSIDE},
                "outside of the knee": {BodyArea.KNEE_OUTSIDE},
                "outer knee": {BodyArea.KNEE_OUTSIDE},
                "knee outside": {BodyArea.KNEE_OUTSIDE},
                "itb": {BodyArea.KNEE_OUTSIDE},
                "it band": {BodyArea.KNEE_OUTSIDE},
                "itband": {BodyArea.KNEE_OUTSIDE},
                "iliotibial": {BodyArea.KNEE_OUTSIDE},
                "hip": {BodyArea.HIP},
                "hips": {BodyArea.HIP},
                "glute": {BodyArea.HIP},
                "glutes": {BodyArea.HIP},
                "buttock": {BodyArea.HIP},
                "groin": {BodyArea.HIP},
                "hip flexor": {BodyArea.HIP},
                "hamstring": {BodyArea.HAMSTRING},
                "hamstrings": {BodyArea.HAMSTRING},
                "hammy": {BodyArea.HAMSTRING},
                "sit bone": {BodyArea.HAMSTRING},
                "sit-bone": {BodyArea.HAMSTRING},
                "back": {BodyArea.LOWER_BACK},
                "lower back": {BodyArea.LOWER_BACK},
                "low back": {BodyArea.LOWER_BACK},
                "spine": {BodyArea.LOWER_BACK},
                "shoulder": {BodyArea.SHOULDER},
                "shoulders": {BodyArea.SHOULDER},
            }.items()
        ),
        key=lambda item: -len(item[0]),
    )
)
_NONE_WORDS = {"none", "no", "nothing", "nope", "n/a", "na", "-", "all good", "no niggles"}
_FILLER = {"and", "my", "the", "a", "left", "right", "both", "sore", "a bit", "slightly", "bit"}


class UnknownArea(ValueError):
    """A word that names no body area we know."""

    def __init__(self, part: str, suggestion: str | None = None) -> None:
        self.part = part
        self.suggestion = suggestion  # a close area word to offer ("did you mean ...?")
        super().__init__(part)


def parse_areas(text: str) -> frozenset[BodyArea]:
    """Areas named in free text ("left knee and achilles"); empty for "none".

    A word that could mean two areas ("knee") gives both: keeping load off too much is safe,
    too little is not. Raises UnknownArea for a part it cannot place.
    """
    cleaned = text.strip().lower().rstrip(".!")
    if cleaned in _NONE_WORDS:
        return frozenset()
    found: set[BodyArea] = set()
    for part in re.split(r"[,;/&+\n]|\band\b", cleaned):
        rest = f" {part.strip()} "
        matched = False
        for phrase, areas in _WORDS:
            pattern = f" {phrase} "
            if pattern in rest:
                found |= areas
                rest = rest.replace(pattern, " ")
                matched = True
        leftover = [w for w in rest.split() if w not in _FILLER]
        if leftover and not matched:
            raise UnknownArea(part.strip())
    return frozenset(found)


_AREA_WORDS = {word: areas for phrase, areas in _WORDS for word in [phrase] if " " not in phrase}


def read_areas(text: str) -> frozenset[BodyArea]:
    """Like `parse_areas`, and also reads typos of area words ("achiles", "hamstrng").

    A word close enough to be sure (`core.fuzzy`) is read as the area; otherwise UnknownArea
    is raised as before, with `suggestion` set when one area word is somewhat close.
    """
    try:
        return parse_areas(text)
    except UnknownArea as error:
        unknown = error
    words = re.split(r"(\W+)", text.lower())
    offered: str | None = None
    for i, word in enumerate(words):
        if not word.isalpha() or word in _AREA_WORDS or word in _FILLER:
            continue
        found = guess(word, {w: tuple(sorted(a)) for w, a in _AREA_WORDS.items()})
        if found is not None and found.sure:
            words[i] = found.word
        elif found is not None and offered is None:
            offered = found.word
    try:
        return parse_areas("".join(words))
    except UnknownArea as error:
        raise UnknownArea(error.part, offered) from unknown
