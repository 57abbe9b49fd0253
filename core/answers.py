"""Typed replies to a question that offers buttons: match them to one of the options.

`match_option("two please", SESSION_OPTIONS)` finds the option "2". An option is matched by its
label, its value, its synonyms, the yes/no words when it stands for yes or no, and its number
("two please", "about 20 mins", "20ish"), and a label with a typo ("Intervls") through
`core.fuzzy`. When nothing is sure but one option is close, the answer carries it as a "did you
mean ...?" suggestion; a caller that offers it and hears "yes" (`yes_no`) takes it.

`read_equipment("dumbbells and a band")` reads the equipment question's free text. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.fuzzy import guess
from core.models import Equipment

__all__ = [
    "NO_WORDS",
    "YES_WORDS",
    "Answer",
    "Option",
    "match_option",
    "read_equipment",
    "read_number",
    "yes_no",
]

YES_WORDS = frozenset(
    {"yes", "y", "yep", "yeah", "yea", "ya", "yup", "sure", "ok", "okay", "k", "correct"}
    | {"right", "of course", "definitely", "absolutely", "please", "yes please", "go ahead"}
    | {"do it", "confirm", "that's right", "thats right", "sounds good", "fine", "👍"}
)
NO_WORDS = frozenset(
    {"no", "n", "nope", "nah", "not yet", "no thanks", "no thank you", "never mind"}
    | {"nevermind", "cancel", "not really", "don't", "dont", "negative", "not now", "👎"}
    | {"no way", "wrong", "that's wrong"}
)

# The numbers a clock shows in words ("at seven"); the week reader uses these alone.
CLOCK_HOURS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_UNITS = {
    "zero": 0,
    "a": 1,
    "an": 1,
    "couple": 2,
    **CLOCK_HOURS,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_APPROXIMATE = frozenset(
    {"about", "around", "roughly", "approx", "approximately", "maybe", "~", "ish", "or so"}
    | {"circa", "like", "perhaps", "say", "probably", "max", "up to"}
)
_FILLERS = frozenset(
    {"please", "pls", "thanks", "thank", "you", "i", "think", "would", "like", "want", "go"}
    | {"for", "with", "let's", "lets", "do", "just", "only", "the", "of", "it", "is", "be"}
    | {"minutes", "minute", "mins", "min", "m", "sessions", "session", "times", "x", "a"}
    | {"week", "per", "each", "every", "'", "days", "day"}
)


def _norm(text: str) -> str:
    text = text.strip().lower().replace("’", "'")
    text = re.sub(r"[!?.,;:]+$", "", text)
    return re.sub(r"\s+", " ", text).strip()


def yes_no(text: str) -> bool | None:
    """True for "yes", "yep", "sure"..., False for "no", "nope", "not yet"..., else None."""
    said = _norm(text)
    said = re.sub(r"\s*(please|thanks|thank you)$", "", said).strip() or said
    if said in YES_WORDS:
        return True
    if said in NO_WORDS:
        return False
    first = said.split(" ", 1)[0].strip(",")
    if first in {"yes", "yep", "yeah", "yup", "sure"}:
        return True
    if first in {"no", "nope", "nah"} and said not in {"no equipment", "no race"}:
        return False
    return None


def _words_number(words: list[str]) -> int | None:
    """ "twenty five" → 25, "forty-five" → 45, "a couple" → 2; None if any word is not one."""
    total = 0
    seen = False
    for word in words:
        if word in _TENS:
            total += _TENS[word]
        elif word in _UNITS:
            total += _UNITS[word]
        elif word == "half" and seen:
            continue
        else:
            return None
        seen = True
    return total if seen else None


@dataclass(frozen=True)
class Number:
    """A number read from text; `approximate` when the runner said "about", "~", "20ish"."""

    value: int
    approximate: bool = False


def read_number(text: str) -> Number | None:
    """The one number in a reply: "3", "two please", "about 20 mins", "twenty-five", "20ish",
    "half an hour" (30), "an hour" (60); None when there is none or more than one.
    """
    said = _norm(text).replace("-", " ")
    approximate = False
    if re.search(r"(^|\s)~|ish\b|\b(about|around|roughly|approx\w*|or so|circa|maybe)\b", said):
        approximate = True
    said = re.sub(r"ish\b", "", said).replace("~", " ")
    if re.search(r"\bhalf an? hour\b", said):
        return Number(30, approximate)
    if re.fullmatch(r"(?:\w+\s)*an? hour(?:\s\w+)*", said) and not re.search(r"\d", said):
        return Number(60, approximate)
    digits = re.findall(r"(?<![\w.])[0-9]{1,3}(?![\w.])|(?<![\w.])[0-9]{1,3}(?=min|m\b|x\b)", said)
    if len(digits) == 1:
        return Number(int(digits[0]), approximate)
    if len(digits) > 1:
        return None
    words = [w for w in said.split() if w not in _FILLERS and w not in _APPROXIMATE]
    if not words:
        return None
    value = _words_number(words)
    return Number(value, approximate) if value is not None else None


@dataclass(frozen=True)
class Option:
    """One button: its value, its label, other ways to say it, and what it stands for."""

    value: str
    label: str
    synonyms: tuple[str, ...] = ()
    number: int | None = None  # the number it stands for ("2", "20 min")
    yes: bool | None = None  # True: what "yes" picks; False: what "no" picks


@dataclass(frozen=True)
class Answer:
    """The option a reply picks (or None), and a close option to offer when none is sure."""

    option: Option | None
    suggestion: Option | None = None


def _approx_number(value: int, options: Sequence[Option], approximate: bool) -> Answer:
    numbered = [o for o in options if o.number is not None]
    if not numbered:
        return Answer(None)
    nearest = min(numbered, key=lambda o: (abs((o.number or 0) - value), o.number or 0))
    gap = abs((nearest.number or 0) - value)
    if gap == 0:
        return Answer(nearest)
    close = gap <= max(1, round(0.25 * value))
    if approximate and close:
        return Answer(nearest)
    return Answer(None, nearest if close else None)


def match_option(text: str, options: Sequence[Option]) -> Answer:
    """The option a typed reply names, or Answer(None, suggestion) when it names none."""
    said = _norm(text)
    if not said:
        return Answer(None)
    for option in options:
        names = {option.value.lower(), _norm(option.label), *(_norm(s) for s in option.synonyms)}
        if said in names:
            return Answer(option)
    said_yes = yes_no(said)
    if said_yes is not None:
        for option in options:
            if option.yes is said_yes:
                return Answer(option)
    number = read_number(said)
    if number is not None and any(o.number is not None for o in options):
        return _approx_number(number.value, options, number.approximate)
    names_of: dict[str, Option] = {}
    for option in options:
        for name in (option.label, *option.synonyms):
            names_of.setdefault(_norm(name), option)
    found = guess(said, names_of)
    if found is not None:
        option = names_of[found.word]
        return Answer(option) if found.sure else Answer(None, option)
    return Answer(None)


# --- equipment --------------------------------------------------------------------------------

_EQUIPMENT_WORDS: dict[str, Equipment] = {
    "none": Equipment.NONE,
    "nothing": Equipment.NONE,
    "no equipment": Equipment.NONE,
    "no kit": Equipment.NONE,
    "no gear": Equipment.NONE,
    "body": Equipment.NONE,
    "my body": Equipment.NONE,
    "bodyweight": Equipment.NONE,
    "body weight": Equipment.NONE,
    "bodyweight only": Equipment.NONE,
    "floor": Equipment.NONE,
    "mat": Equipment.NONE,
    "yoga mat": Equipment.NONE,
    "band": Equipment.BAND,
    "bands": Equipment.BAND,
    "resistance band": Equipment.BAND,
    "resistance bands": Equipment.BAND,
    "mini band": Equipment.BAND,
    "loop band": Equipment.BAND,
    "theraband": Equipment.BAND,
    "dumbbell": Equipment.DUMBBELLS,
    "dumbbells": Equipment.DUMBBELLS,
    "dumbells": Equipment.DUMBBELLS,
    "kettlebell": Equipment.DUMBBELLS,
    "kettlebells": Equipment.DUMBBELLS,
    "kettle bell": Equipment.DUMBBELLS,
    "weights": Equipment.DUMBBELLS,
    "free weights": Equipment.DUMBBELLS,
    "db": Equipment.DUMBBELLS,
    "dbs": Equipment.DUMBBELLS,
    "kb": Equipment.DUMBBELLS,
    "dumbbells or kettlebell": Equipment.DUMBBELLS,
    "pull-up bar": Equipment.PULLUP_BAR,
    "pullup bar": Equipment.PULLUP_BAR,
    "pull up bar": Equipment.PULLUP_BAR,
    "chin up bar": Equipment.PULLUP_BAR,
    "chin-up bar": Equipment.PULLUP_BAR,
    "bar": Equipment.PULLUP_BAR,
    "gym": Equipment.GYM,
    "full gym": Equipment.GYM,
    "a gym": Equipment.GYM,
    "gym membership": Equipment.GYM,
    "barbell": Equipment.GYM,
    "machines": Equipment.GYM,
}
_EQUIPMENT_FILLERS = (
    "i have",
    "i've got",
    "ive got",
    "i got",
    "got",
    "have",
    "really",
    "just",
    "only",
    "some",
    "a few",
    "a pair of",
    "pair of",
    "a couple of",
    "a",
    "an",
    "my",
    "own",
    "the",
    "at home",
    "home",
    "light",
    "heavy",
    "access to",
    "use",
    "of",
)


def _strip_fillers(part: str) -> str:
    words = f" {part} "
    for filler in sorted(_EQUIPMENT_FILLERS, key=len, reverse=True):
        words = words.replace(f" {filler} ", " ")
    return " ".join(words.split())


def read_equipment(text: str) -> frozenset[Equipment] | None:
    """The equipment named in a typed reply, or None when a part names nothing we know.

    "no equipment" and "nothing really, just my body" are bodyweight only (`Equipment.NONE`);
    "dumbbells and a band" is both; bodyweight is dropped when something else is named too.
    """
    said = _norm(text)
    if not said:
        return None
    found: set[Equipment] = set()
    for raw in re.split(r"[,;/&+\n]|\band\b|\bor\b|\bplus\b|\bwith\b|\bbut\b", said):
        part = _strip_fillers(raw.strip(" .!"))
        if not part:
            continue
        if part in _EQUIPMENT_WORDS:
            found.add(_EQUIPMENT_WORDS[part])
            continue
        close = guess(part, _EQUIPMENT_WORDS)
        if close is not None and close.sure:
            found.add(_EQUIPMENT_WORDS[close.word])
            continue
        return None
    if not found:
        return None
    if len(found) > 1:
        found.discard(Equipment.NONE)
    return frozenset(found)
