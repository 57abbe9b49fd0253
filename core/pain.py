"""Pain words in a runner's message: when they start the pain flow, and when they don't."""

from __future__ import annotations

import re

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
