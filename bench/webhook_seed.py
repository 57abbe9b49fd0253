"""Figure 8's lead-in, seeded: every runner at their step of the script before a system starts.

Walking 2,000 runners to a random step through the live process is about 11,000 updates per
system (minutes on this machine); the stream only needs each runner's state at their step.

**Ours.** The real Application in-process (`bench.paced.prepare`: the real handlers, the
inbox, a frozen clock at the seeding time, answers at once) brings one *template* runner to
each step of the script on a template SQLite file. Every row about a template is then read
back through the typed tables and written again for each runner at that step, under their
own ids, into the system's database (SQLite or PostgreSQL): the runner row, the kv rows keyed
by the runner's user id (the open dialog), and the rows that reference `runner.id` (this
week's plan, the reminders, once set up). Not copied: the inbox's handled updates and the
sent replies, history that no later turn reads (pruned after a day). The seeding refuses to
run if the templates wrote into any other table (a new kind of per-runner state must be
taught here first) or if a template's user id shows up inside a copied value.

**The peer.** Its real Application (`bench.peer_bot.build`) in-process on the stand-in, one
template runner per step, then the template's user data, chat data and conversation state
copied to every runner at that step: written with PTB's own `PicklePersistence`, or as
`DbPersistence`'s rows.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel
from telegram import Update
from telegram.ext import ExtBot, PicklePersistence

from bench import peer_bot
from bench.common import fresh_sqlite
from bench.conversations import SCRIPT
from bench.paced import prepare
from bot.standin import TOKEN, BotApiStandIn
from storage.db import make_engine
from storage.tables import InboxUpdate, KeyValue, Reply, Runner

TEMPLATE_CHAT = 4_000_000  # the warm-up runner; the template at step k is TEMPLATE_CHAT + k
CONVERSATION = "onboarding"  # the peer's ConversationHandler
_RUNNER: sa.Table = Runner.__table__  # type: ignore[attr-defined]
_KV: sa.Table = KeyValue.__table__  # type: ignore[attr-defined]
# History a later turn never reads: not copied.
_HISTORY = {InboxUpdate.__tablename__, Reply.__tablename__}
_IDENTITY = ("id", "telegram_user_id", "chat_id")


def _template(step: int) -> int:
    return TEMPLATE_CHAT + step


# --- ours ---------------------------------------------------------------------------------------


@dataclass
class Children:
    """One table's rows about a template runner, their primary key left out."""

    table: sa.Table
    column: str  # the column that holds runner.id
    rows: list[dict[str, Any]]


@dataclass
class OurTemplates:
    counts: list[int]  # messages each step of the script answers with
    runners: dict[int, dict[str, Any]] = field(default_factory=dict)  # step: runner row
    kv: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # step: kv rows
    children: dict[int, list[Children]] = field(default_factory=dict)


def _runner_columns(table: sa.Table) -> list[str]:
    """The columns of `table` that hold a runner's id (a foreign key to runner.id)."""
    return [
        c.name
        for c in table.columns
        if any(fk.column.table is _RUNNER and fk.column.name == "id" for fk in c.foreign_keys)
    ]


def _without_serial(table: sa.Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row without the key the database numbers itself (the copy gets its own)."""
    serial = table.autoincrement_column
    return {k: v for k, v in row.items() if serial is None or k != serial.name}


async def our_templates(workdir: Path, now: dt.datetime) -> OurTemplates:
    """One template runner per step of the script, walked by the real Application on a
    template SQLite file; their rows read back typed."""
    url = await fresh_sqlite(workdir / "ours-template.sqlite3")
    steps = range(1, len(SCRIPT))  # a runner at step 0 has typed nothing: no row
    starts = [(_template(k), k) for k in steps]
    counts = await prepare(url, BotApiStandIn(record_calls=False), starts, now, TEMPLATE_CHAT)
    out = OurTemplates(counts)
    step_of = {_template(k): k for k in steps}
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            runners = await conn.execute(
                sa.select(_RUNNER).where(_RUNNER.c.telegram_user_id.in_(list(step_of)))
            )
            step_by_id: dict[int, int] = {}
            for row in runners.mappings():
                step = step_of[row["telegram_user_id"]]
                step_by_id[row["id"]] = step
                out.runners[step] = {k: v for k, v in row.items() if k not in _IDENTITY}
            keys = {str(chat): step for chat, step in step_of.items()}
            kv = await conn.execute(sa.select(_KV).where(_KV.c.key.in_(list(keys))))
            for row in kv.mappings():
                out.kv.setdefault(keys[row["key"]], []).append(dict(row))
            for table in SQLModel.metadata.sorted_tables:
                if table is _RUNNER or table is _KV or table.name in _HISTORY:
                    continue
                columns = _runner_columns(table)
                if len(columns) != 1:  # not about one runner (or between two: coach mode)
                    left = await conn.execute(sa.select(sa.func.count()).select_from(table))
                    if left.scalar_one():
                        raise RuntimeError(f"seeding does not know what {table.name} holds")
                    continue
                (column,) = columns
                rows = await conn.execute(
                    sa.select(table).where(table.c[column].in_(list(step_by_id)))
                )
                for row in rows.mappings():
                    step = step_by_id[row[column]]
                    kept = _without_serial(table, row)
                    by_table = out.children.setdefault(step, [])
                    if not by_table or by_table[-1].table is not table:
                        by_table.append(Children(table, column, []))
                    by_table[-1].rows.append(kept)
    finally:
        await engine.dispose()
    _no_identity_inside(out)
    return out


def _no_identity_inside(templates: OurTemplates) -> None:
    """A template's user id inside a copied value would be copied to every runner."""
    for step, row in templates.runners.items():
        values = [row, *(r["value"] for r in templates.kv.get(step, ()))]
        values += [r for c in templates.children.get(step, ()) for r in c.rows]
        text = json.dumps(values, default=str)
        if str(_template(step)) in text:
            raise RuntimeError(f"the template at step {step} holds its own id in a value")


async def seed_ours(url: str, templates: OurTemplates, steps: Mapping[int, int]) -> None:
    """Every runner `chat` at `steps[chat]`, as its template is, in one transaction."""
    chats = sorted(steps)
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            rows = [
                {**templates.runners[steps[c]], "telegram_user_id": c, "chat_id": c}
                for c in chats
                if steps[c] in templates.runners
            ]
            if rows:
                await conn.execute(_RUNNER.insert(), rows)
            found = await conn.execute(
                sa.select(_RUNNER.c.telegram_user_id, _RUNNER.c.id).where(
                    _RUNNER.c.telegram_user_id.between(chats[0], chats[-1])
                )
            )
            ids = {user: runner for user, runner in found}
            kv = [{**row, "key": str(c)} for c in chats for row in templates.kv.get(steps[c], ())]
            if kv:
                await conn.execute(_KV.insert(), kv)
            by_table: dict[str, tuple[sa.Table, list[dict[str, Any]]]] = {}
            for c in chats:
                for children in templates.children.get(steps[c], ()):
                    _, out = by_table.setdefault(children.table.name, (children.table, []))
                    out += [{**row, children.column: ids[c]} for row in children.rows]
            for table in SQLModel.metadata.sorted_tables:  # parents before children
                if table.name in by_table:
                    await conn.execute(table.insert(), by_table[table.name][1])
    finally:
        await engine.dispose()


# --- the peer -----------------------------------------------------------------------------------


@dataclass
class PeerTemplates:
    user_data: dict[int, dict[Any, Any]] = field(default_factory=dict)  # step: user data
    chat_data: dict[int, dict[Any, Any]] = field(default_factory=dict)
    states: dict[int, object] = field(default_factory=dict)  # step: conversation state


async def peer_templates(workdir: Path) -> PeerTemplates:
    """One template runner per step, walked by the peer's real Application in-process."""
    standin = BotApiStandIn(record_calls=False, keep_transcript=False)
    persistence: PicklePersistence[Any, Any, Any] = PicklePersistence(
        filepath=workdir / "peer-template.pickle"
    )
    app = peer_bot.build("https://api.telegram.org/bot", TOKEN, persistence, request=standin)
    standin.bind(app)
    await app.initialize()
    try:
        for k, text in enumerate(SCRIPT):
            for step in range(k + 1, len(SCRIPT)):
                chat = _template(step)
                data = standin.text_update_data(chat, text, chat)
                await app.process_update(Update.de_json(data, app.bot))
        await app.update_persistence()
        user_data = await persistence.get_user_data()
        chat_data = await persistence.get_chat_data()
        states = await persistence.get_conversations(CONVERSATION)
    finally:
        await app.shutdown()
    out = PeerTemplates()
    for step in range(1, len(SCRIPT)):
        chat = _template(step)
        if chat in user_data:
            out.user_data[step] = user_data[chat]
        if chat in chat_data:
            out.chat_data[step] = chat_data[chat]
        if (chat, chat) in states:
            out.states[step] = states[(chat, chat)]
    return out


def _at(steps: Mapping[int, int], known: Mapping[int, object]) -> list[tuple[int, int]]:
    return [(chat, step) for chat, step in steps.items() if step in known]


async def seed_peer(
    kind: str, where: str, templates: PeerTemplates, steps: Mapping[int, int]
) -> None:
    """Every runner at their step, as the peer stores it: `kind` "pickle" (`where` the file)
    or "db" (`where` the database URL, as the peer's `--db-url` takes it)."""
    user_data = {
        c: copy.deepcopy(templates.user_data[k]) for c, k in _at(steps, templates.user_data)
    }
    chat_data = {
        c: copy.deepcopy(templates.chat_data[k]) for c, k in _at(steps, templates.chat_data)
    }
    states = {(c, c): templates.states[k] for c, k in steps.items() if k in templates.states}
    if kind == "db":
        await peer_bot.write_state(peer_bot.async_url(where), {CONVERSATION: states}, user_data)
        return
    persistence: PicklePersistence[Any, Any, Any] = PicklePersistence(
        filepath=where, on_flush=True
    )
    persistence.set_bot(ExtBot(TOKEN))
    await persistence.get_user_data()  # loads the file (or starts empty)
    await persistence.get_chat_data()
    await persistence.get_bot_data()
    await persistence.get_callback_data()
    await persistence.get_conversations(CONVERSATION)
    for chat, data in user_data.items():
        await persistence.update_user_data(chat, data)
    for chat, data in chat_data.items():
        await persistence.update_chat_data(chat, data)
    for key, state in states.items():
        await persistence.update_conversation(CONVERSATION, key, state)
    await persistence.flush()
