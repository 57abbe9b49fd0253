"""Typo-tolerant word matching, shared by the week reader, typed answers and dates.

One rule everywhere, built on `rapidfuzz` (optimal string alignment, so a swapped pair of
letters counts as one slip): a word is *read as* a known word when it is close enough that a
runner would not be asked ("thrusday" → thursday, "achiles" → achilles), and *suggested* when
it is only somewhat close ("song" → long?), so the caller asks "did you mean ...?".
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["SUGGEST", "SURE", "Guess", "guess"]

SURE = 0.8  # similarity from which a word is read as the candidate without asking
SUGGEST = 0.6  # similarity from which the candidate is offered as "did you mean ...?"
MIN_LENGTH = 4  # shorter words are too easy to confuse ("run" and "ran", "mon" and "man")


@dataclass(frozen=True)
class Guess:
    """The known word closest to a typed one; `sure` when it can be used without asking."""

    word: str
    score: float
    sure: bool


def _same_letters(a: str, b: str) -> bool:
    return sorted(a) == sorted(b)


def guess(
    word: str,
    choices: Iterable[str] | Mapping[str, Hashable],
    *,
    min_length: int = MIN_LENGTH,
) -> Guess | None:
    """The closest of `choices` to `word`, or None when nothing is close.

    Sure when the similarity is at least `SURE`, or when the word has the same letters as the
    candidate (a transposition such as "lnog" for "long"), as long as no other candidate is
    as close. With a mapping, candidates with the same meaning (its value: "interval" and
    "intervals") do not count as rivals. Words shorter than `min_length` and exact matches
    return None.
    """
    word = word.lower()
    meaning: dict[str, Hashable] = {}
    if isinstance(choices, Mapping):
        for choice, value in choices.items():
            meaning.setdefault(choice.lower(), value)
    else:
        for choice in choices:
            meaning.setdefault(choice.lower(), choice.lower())
    pool = list(meaning)
    if len(word) < min_length or word in meaning or not pool:
        return None
    ranked = process.extract(
        word, pool, scorer=OSA.normalized_similarity, limit=None, score_cutoff=SUGGEST
    )
    if not ranked:
        return None
    best, score, _ = ranked[0]
    tied = any(s >= score and meaning[c] != meaning[best] for c, s, _ in ranked[1:])
    sure = not tied and (score >= SURE or (_same_letters(word, best) and len(word) >= 4))
    return Guess(best, float(score), sure)
