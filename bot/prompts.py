"""A question asked outside any dialog (/delete's confirmation, /pause's "until when?"), kept
open so that a typed answer reaches it: "yes" erases, "2 weeks" pauses. Stored in the kv
table (namespace "prompt") in the turn's transaction; an answer, a press of its buttons or
half an hour closes it."""

from __future__ import annotations

import datetime as dt

from bot.turn import Turn
from storage import repo

PROMPT = "prompt"  # kv namespace: the one open prompt of a runner
DELETE, PAUSE = "delete", "pause"
OPEN_FOR = dt.timedelta(minutes=30)


async def open_prompt(turn: Turn, kind: str) -> None:
    """The question just asked, waiting for a typed answer."""
    value = {"kind": kind, "at": turn.clock().isoformat()}
    await repo.set_kv(turn.db, namespace=PROMPT, key=str(turn.chat_id), value=value)


async def take_prompt(turn: Turn) -> str | None:
    """The open prompt's kind (closing it), or None when none is open or it is too old."""
    key = str(turn.chat_id)
    value = await repo.get_kv(turn.db, namespace=PROMPT, key=key)
    if value is None:
        return None
    await repo.delete_kv(turn.db, namespace=PROMPT, key=key)
    try:
        at = dt.datetime.fromisoformat(value["at"])
        kind = str(value["kind"])
    except (KeyError, TypeError, ValueError):
        return None
    return kind if turn.clock() - at <= OPEN_FOR else None


async def close_prompt(turn: Turn) -> None:
    """Its buttons were pressed: nothing typed answers it any more."""
    await repo.delete_kv(turn.db, namespace=PROMPT, key=str(turn.chat_id))
