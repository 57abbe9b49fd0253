"""Figure 8's seeding (bench/webhook_seed.py): a runner seeded at a step of the script answers
their next message exactly as a runner walked there through the real handlers does.

For each step of the script, one runner is seeded there and one is walked there, in ours (on
SQLite and PostgreSQL) and in the PTB peer (PicklePersistence, DbPersistence); then every
runner types their next message and both get the same messages back. No timing is asserted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import BasePersistence, PicklePersistence

from bench import peer_bot
from bench.conversations import NOW, SCRIPT
from bench.paced import prepare
from bench.webhook_seed import our_templates, peer_templates, seed_ours, seed_peer
from bot.app import build_application, shut_down, start_up
from bot.runtime import runtime
from bot.settings import Settings
from bot.standin import TOKEN, BotApiStandIn

SEEDED = 6_000_000  # the runner seeded at step k is SEEDED + k
WALKED = 6_100_000  # ... and the one walked there WALKED + k
WARM = 6_200_000
STEPS = range(len(SCRIPT))


class Texts:
    """What each chat was sent, in order."""

    def __init__(self, standin: BotApiStandIn) -> None:
        self.by_chat: dict[int, list[str]] = {}
        standin.add_listener(self.listener)

    def listener(self, event: str, message: dict[str, Any]) -> None:
        if event == "sent":
            chat = int(message["chat"]["id"])
            self.by_chat.setdefault(chat, []).append(str(message.get("text", "")))


def _same_next_answers(texts: Texts) -> None:
    for step in STEPS:
        seeded, walked = texts.by_chat.get(SEEDED + step), texts.by_chat.get(WALKED + step)
        assert seeded, f"nothing answered {SCRIPT[step]!r} at step {step}"
        assert seeded == walked, f"step {step}, {SCRIPT[step]!r}"


async def _ours_next_messages(url: str, standin: BotApiStandIn) -> Texts:
    """Every runner types their next message; the real Application answers each."""
    texts = Texts(standin)
    settings = Settings(database_url=url, rate_limit_per_second=0, _env_file=None)
    app = build_application(
        settings, token=TOKEN, request=standin, clock=lambda: NOW, migrate=False
    )
    standin.bind(app)
    await app.initialize()
    await start_up(app, migrate=False)
    inbox = runtime(app).inbox
    assert inbox is not None
    try:
        batch = [
            standin.text_update_data(chat + step, SCRIPT[step], chat + step)
            for step in STEPS
            for chat in (SEEDED, WALKED)
        ]
        await inbox.accept_many(batch)
        await inbox.idle()
    finally:
        await app.shutdown()
        await shut_down(app)
    return texts


async def test_ours_seeded_at_a_step_answers_the_next_message_as_walked_there(
    db_url: str, tmp_path: Path
) -> None:
    templates = await our_templates(tmp_path, NOW)
    await seed_ours(db_url, templates, {SEEDED + step: step for step in STEPS})
    standin = BotApiStandIn(record_calls=False)
    await prepare(db_url, standin, [(WALKED + step, step) for step in STEPS], NOW, WARM)
    texts = await _ours_next_messages(db_url, standin)
    _same_next_answers(texts)
    # The seeded runner at the week's step was asked for their week: they get its echo.
    assert texts.by_chat[SEEDED + 2][0].startswith("Got it: Mon rest")


async def _peer_next_messages(persistence: BasePersistence[Any, Any, Any]) -> Texts:
    """The walked runners are walked, then every runner types their next message."""
    standin = BotApiStandIn(record_calls=False)
    app = peer_bot.build("https://api.telegram.org/bot", TOKEN, persistence, request=standin)
    standin.bind(app)
    await app.initialize()
    try:

        async def say(chat: int, text: str) -> None:
            data = standin.text_update_data(chat, text, chat)
            await app.process_update(Update.de_json(data, app.bot))

        for k, text in enumerate(SCRIPT):
            for step in range(k + 1, len(SCRIPT)):
                await say(WALKED + step, text)
        texts = Texts(standin)
        for step in STEPS:
            await say(SEEDED + step, SCRIPT[step])
            await say(WALKED + step, SCRIPT[step])
    finally:
        await app.shutdown()
    return texts


async def test_the_pickle_peer_seeded_at_a_step_answers_as_walked_there(tmp_path: Path) -> None:
    path = tmp_path / "peer.pickle"
    await seed_peer(
        "pickle", str(path), await peer_templates(tmp_path), {SEEDED + s: s for s in STEPS}
    )
    texts = await _peer_next_messages(PicklePersistence(filepath=path))
    _same_next_answers(texts)
    assert texts.by_chat[SEEDED + 9] == [peer_bot.DONE]  # "yes" at the confirm


async def test_the_database_peer_seeded_at_a_step_answers_as_walked_there(
    db_url: str, tmp_path: Path
) -> None:
    await seed_peer("db", db_url, await peer_templates(tmp_path), {SEEDED + s: s for s in STEPS})
    texts = await _peer_next_messages(peer_bot.DbPersistence(peer_bot.async_url(db_url)))
    _same_next_answers(texts)
    assert texts.by_chat[SEEDED + 9] == [peer_bot.DONE]
