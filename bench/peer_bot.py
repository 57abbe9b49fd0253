"""The peer of figure 8: the same onboarding as a PTB developer would write it, in its own process.

`python -m bench.peer_bot --port P --base-url URL --persistence pickle --path FILE` (or
`--persistence db --db-url URL`): a `ConversationHandler` with one state per question of the
setup (the script of figure 1), each answer kept in `context.user_data` and answered with a
short fixed text (the next question), then `/plan` and `/today` answered from `user_data`.
Persistence is PTB's own:

- `pickle`: `PicklePersistence(filepath)` with its defaults (everything written every 60 s and
  at a clean shutdown), as PTB's examples use it;
- `db`: `DbPersistence`, a small `BasePersistence` over SQLAlchemy (aiosqlite or asyncpg),
  one row per conversation and per user, and a handler in a later group that calls
  `Application.update_persistence()` after every update, so every update is written to the
  database before the next one of that runner is read. The reply is sent first, as PTB
  runs the handlers: speak, then persist.

`concurrent_updates=True` (up to 256 updates at once), as a developer sets it to answer more
than one runner at a time with 100 ms round trips (PTB's default, one at a time, caps a bot
at about 10 updates a second then). PTB warns against it with a `ConversationHandler`,
because two updates of one user could then race; the benchmark's runners never type before
they are answered, so no race happens there. Served by PTB's own `run_webhook` (tornado);
PTB answers each POST 200 once the update is on its in-memory queue.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    BasePersistence,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PersistenceInput,
    PicklePersistence,
    TypeHandler,
    filters,
)
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey
from telegram.request import BaseRequest

# One state per question, in the order of figure 1's script; each answer's key, then the
# next question (a fixed text: what matters is the state machine and its persistence).
QUESTIONS = (
    ("goal", "Your usual running week?"),  # the script's runner has no race: no race date
    ("week", "Sessions a week?"),
    ("sessions", "Minutes per session?"),
    ("minutes", "Where should strength go?"),
    ("placement", "Equipment?"),
    ("equipment", "Time zone?"),
    ("zone", "Any niggles?"),
    ("niggles", "Confirm?"),
)
WELCOME = "Welcome! What is your goal?"
DONE = "All set. /plan shows your week."

_TABLES = sa.MetaData()
CONVERSATIONS = sa.Table(
    "peer_conversation",
    _TABLES,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("state", sa.Integer, nullable=False),
)
USER_DATA = sa.Table(
    "peer_user_data",
    _TABLES,
    sa.Column("user_id", sa.BigInteger, primary_key=True),
    sa.Column("data", sa.Text, nullable=False),
)


def async_url(url: str) -> str:
    """runcoach's database URL with the asyncio driver SQLAlchemy needs."""
    if url.startswith("sqlite:"):
        return "sqlite+aiosqlite:" + url[len("sqlite:") :]
    if url.startswith(("postgresql:", "postgres:")):
        return "postgresql+asyncpg:" + url.split(":", 1)[1]
    return url


async def create_tables(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_TABLES.create_all)
    finally:
        await engine.dispose()


def _conversation_row(name: str, key: ConversationKey, state: object) -> dict[str, Any]:
    return {"name": name, "key": json.dumps(list(key)), "state": int(state)}  # type: ignore[call-overload]


def _user_row(user_id: int, data: dict[Any, Any]) -> dict[str, Any]:
    return {"user_id": user_id, "data": json.dumps(data)}


async def write_state(
    url: str, conversations: dict[str, ConversationDict], user_data: dict[int, dict[Any, Any]]
) -> None:
    """Store conversations and user data as `DbPersistence` writes them, in bulk (figure 8
    seeds its runners' progress so before the peer starts; `url` is an async URL)."""
    await create_tables(url)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            rows = [
                _conversation_row(name, key, state)
                for name, states in conversations.items()
                for key, state in states.items()
            ]
            if rows:
                await conn.execute(CONVERSATIONS.insert(), rows)
            users = [_user_row(user, data) for user, data in user_data.items()]
            if users:
                await conn.execute(USER_DATA.insert(), users)
    finally:
        await engine.dispose()


class DbPersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Conversations and user data in a database, a row each, upserted as PTB hands them
    over (`Application.update_persistence`); chat data, bot data and callback data off."""

    def __init__(self, url: str) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, callback_data=False),
            update_interval=60,
        )
        self.engine: AsyncEngine = create_async_engine(url)
        self._insert = pg_insert if url.startswith("postgresql") else sqlite_insert
        if self.engine.dialect.name == "sqlite":

            @sa.event.listens_for(self.engine.sync_engine, "connect")
            def _wal(dbapi: Any, _record: Any) -> None:  # as runcoach runs SQLite
                cursor = dbapi.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA busy_timeout=5000")
                cursor.close()

    async def _upsert(self, table: sa.Table, keys: list[str], row: dict[str, Any]) -> None:
        statement = self._insert(table).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=keys, set_={k: v for k, v in row.items() if k not in keys}
        )
        async with self.engine.begin() as conn:
            await conn.execute(statement)

    # --- what PTB reads at start ----------------------------------------------------------

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                sa.select(CONVERSATIONS.c.key, CONVERSATIONS.c.state).where(
                    CONVERSATIONS.c.name == name
                )
            )
            return {tuple(json.loads(key)): state for key, state in rows}

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(sa.select(USER_DATA.c.user_id, USER_DATA.c.data))
            return defaultdict(dict, {user: json.loads(data) for user, data in rows})

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    # --- what PTB writes ------------------------------------------------------------------

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        encoded = json.dumps(list(key))
        if new_state is None:
            async with self.engine.begin() as conn:
                await conn.execute(
                    CONVERSATIONS.delete().where(
                        (CONVERSATIONS.c.name == name) & (CONVERSATIONS.c.key == encoded)
                    )
                )
            return
        await self._upsert(CONVERSATIONS, ["name", "key"], _conversation_row(name, key, new_state))

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        await self._upsert(USER_DATA, ["user_id"], _user_row(user_id, data))

    async def drop_user_data(self, user_id: int) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(USER_DATA.delete().where(USER_DATA.c.user_id == user_id))

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Chat data is not stored."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Chat data is not stored."""

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Bot data is not stored."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Callback data is not stored."""

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Chat data is not stored."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Bot data is not stored."""

    async def flush(self) -> None:
        await self.engine.dispose()


# --- the conversation -------------------------------------------------------------------------


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.message is not None and context.user_data is not None
    context.user_data.clear()
    await update.message.reply_text(WELCOME)
    return 0


def _step(index: int) -> Any:
    key, question = QUESTIONS[index]

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert update.message is not None and context.user_data is not None
        context.user_data[key] = update.message.text
        await update.message.reply_text(question)
        return index + 1

    return answer


async def _confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.message is not None and context.user_data is not None
    context.user_data["confirmed"] = True
    await update.message.reply_text(DONE)
    return ConversationHandler.END


async def _plan(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and context.user_data is not None
    data = context.user_data
    await update.message.reply_text(
        f"Your week: {data.get('sessions', '?')} sessions of {data.get('minutes', '?')} min."
    )


async def _persist(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After every update: write what it changed (conversation state, user data)."""
    await context.application.update_persistence()


def build(
    base_url: str,
    token: str,
    persistence: BasePersistence[Any, Any, Any],
    request: BaseRequest | None = None,
) -> Any:
    """The peer's Application; `request` swaps the HTTP layer (figure 8's seeding runs it
    in-process on the Bot API stand-in)."""
    text = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[Any]] = {
        i: [MessageHandler(text, _step(i))] for i in range(len(QUESTIONS))
    }
    states[len(QUESTIONS)] = [MessageHandler(text, _confirm)]
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .persistence(persistence)
        .concurrent_updates(True)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app = builder.build()
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", _start)],
            states=states,
            fallbacks=[CommandHandler("cancel", _start)],
            name="onboarding",
            persistent=True,
            allow_reentry=True,
        )
    )
    app.add_handler(CommandHandler(["plan", "today"], _plan))
    if isinstance(persistence, DbPersistence):
        app.add_handler(TypeHandler(Update, _persist), group=1)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.peer_bot")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--base-url", required=True, help="the Bot API, ending in /bot")
    parser.add_argument("--token", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--persistence", choices=("pickle", "db"), required=True)
    parser.add_argument("--path", help="the pickle file")
    parser.add_argument("--db-url", help="SQLAlchemy async URL for --persistence db")
    args = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("PEER_LOG_LEVEL", "WARNING"))
    persistence: BasePersistence[Any, Any, Any]
    if args.persistence == "pickle":
        persistence = PicklePersistence(filepath=args.path)
    else:
        url = async_url(args.db_url)
        asyncio.run(create_tables(url))
        persistence = DbPersistence(url)
    app = build(args.base_url, args.token, persistence)
    app.run_webhook(
        listen="127.0.0.1",
        port=args.port,
        url_path="telegram",
        secret_token=args.secret,
        webhook_url="https://peer.example.com/telegram",
    )


if __name__ == "__main__":
    main()
