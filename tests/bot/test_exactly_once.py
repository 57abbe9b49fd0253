"""Every update handled once, every reply true (issue 11): replays, double presses, order
within a runner, one slow call not stalling the others, a commit that fails, and two
processes on one PostgreSQL acting as one."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url
from sqlmodel import select
from telegram import Update

from bot import texts
from bot.reminders import dispatch_due
from bot.standin import BotApiStandIn
from storage import repo
from storage.tables import InboxUpdate, PainReport, Reply
from tests.bot.conftest import WORKED_WEEK, Clock, Coach


def _inbox(coach: Coach) -> Any:
    return coach.app.bot_data["runtime"].inbox


async def _rows(coach: Coach, table: Any) -> list[Any]:
    async with coach.app.bot_data["runtime"].sessions() as db:
        return list((await db.exec(select(table))).all())


async def test_a_replayed_update_is_answered_once(coach: Coach):
    update = coach.standin.text_update(42, "/start", 42).to_dict()
    for _ in range(3):  # Telegram redelivers, or a proxy replays it
        await _inbox(coach).accept(update)
        await _inbox(coach).idle()
    await coach.app.process_update(Update.de_json(update, coach.app.bot))  # and once directly
    assert coach.texts().count(texts.ASK_GOAL) == 1
    assert len(coach.texts()) == 2  # the welcome and the first question, once each


async def test_updates_of_one_runner_are_handled_in_order(coach: Coach):
    answers = ["/start", "no race", WORKED_WEEK, "2", "25", "after runs", "none"]
    updates = [coach.standin.text_update(42, a, 42).to_dict() for a in answers]
    await _inbox(coach).accept_many(updates)  # one batch, as polling gets them
    await _inbox(coach).idle()
    assert coach.last() == texts.ASK_TIMEZONE
    assert not [t for t in coach.texts() if "didn't" in t or "Please" in t]
    stored = await _rows(coach, InboxUpdate)
    assert all(row.handled_at is not None for row in stored)
    assert all(row.payload == {} for row in stored)  # handled: the runner's words not kept


async def test_a_check_in_score_pressed_three_times_counts_once(coach: Coach, clock: Clock):
    await coach.onboard_typing()
    await coach.send("my calf hurts")
    for label in ("None of these",) * 4 + ("Calf", "3", "Yes, normally"):
        await coach.tap(label)
    await coach.tap("After the run")
    await coach.tap("No")
    # Tomorrow's check-in arrives; its score is pressed three times (a double tap, a slow
    # network).
    clock.now = (clock.now + dt.timedelta(days=1)).replace(hour=7, minute=5)
    await dispatch_due(coach.app, now=clock.now)
    await dispatch_due(coach.app, now=clock.now + dt.timedelta(seconds=2))
    checkin = next(
        m for m in reversed(coach.standin.sent_to(42)) if m["text"].startswith("Checking in:")
    )
    data = next(d for row in coach.standin.buttons(checkin) for label, d in row if label == "4")
    presses = [coach.standin.press_data(42, checkin["message_id"], data, 42) for _ in range(3)]
    for press in presses:  # all three left the phone before the buttons went away
        await _inbox(coach).accept(press)
    await _inbox(coach).idle()
    reports = [r for r in await _rows(coach, PainReport) if r.timing == "follow-up"]
    assert len(reports) == 1
    answers = [c["text"] for c in coach.standin.answered_callbacks.values() if c.get("text")]
    assert answers.count(texts.ALREADY_SCORED) == 2
    # Three presses are one check-in, not three: no "time to see a physio".
    assert not any(t.startswith("It's time to see a physio") for t in coach.texts()[-3:])


async def test_a_press_on_someone_elses_chat_creates_no_runner(coach: Coach, clock: Clock):
    await coach.onboard_typing()
    await coach.send("/delete")  # runner 42's own confirmation, with its Erase button
    message = coach.standin.last_message(42)
    forged = coach.standin.press_data(42, message["message_id"], "x:erase", 99)
    forged["callback_query"]["from"]["id"] = 99
    await _inbox(coach).accept(forged)
    await _inbox(coach).idle()
    async with coach.app.bot_data["runtime"].sessions() as db:
        assert await repo.get_runner(db, telegram_user_id=99) is None
        assert await repo.get_runner(db, telegram_user_id=42) is not None
    assert coach.standin.sent_to(99) == []
    assert list(coach.standin.answered_callbacks.values())[-1]["text"] == texts.STALE_BUTTON


class GatedStandIn(BotApiStandIn):
    """Telegram, where messages to one chat hang until the test lets them through."""

    def __init__(self, slow_chat: int) -> None:
        super().__init__()
        self.slow_chat = slow_chat
        self.gate = asyncio.Event()

    async def do_request(self, url: str, method: str, request_data: Any = None, **kw: Any) -> Any:
        if url.endswith("/sendMessage") and request_data is not None:
            chat = request_data.parameters.get("chat_id")
            if chat == self.slow_chat:
                await self.gate.wait()
        return await super().do_request(url, method, request_data, **kw)


async def test_one_slow_telegram_call_does_not_stall_other_runners(db_url: str, clock: Clock):
    standin = GatedStandIn(slow_chat=41)
    async with Coach(db_url, clock, standin) as coach:
        inbox = _inbox(coach)
        await inbox.accept(standin.text_update(41, "/start", 41).to_dict())
        await inbox.accept(standin.text_update(42, "/start", 42).to_dict())
        for _ in range(200):  # runner 42 is answered while 41's reply hangs
            if len(standin.sent_to(42)) >= 2:  # the welcome and the first question
                break
            await asyncio.sleep(0.01)
        assert texts.ASK_GOAL in [m["text"] for m in standin.sent_to(42)]
        assert standin.sent_to(41) == []
        standin.gate.set()
        await inbox.idle()
        assert texts.ASK_GOAL in [m["text"] for m in standin.sent_to(41)]


# --- a commit that fails ---------------------------------------------------------------------


async def _admin(url: str) -> asyncpg.Connection:
    parsed = make_url(url)
    return await asyncpg.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        database=parsed.database,
    )


async def test_nothing_is_said_when_the_commit_fails(postgres_url: str, clock: Clock):
    admin = await _admin(postgres_url)
    try:
        # A check PostgreSQL runs at COMMIT: the turn's work is done, then the commit fails,
        # as it does when the disk is full or the server goes away at that moment.
        await admin.execute(
            """
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN RAISE EXCEPTION 'commit refused'; END $$;
            CREATE CONSTRAINT TRIGGER refuse_dialogs AFTER INSERT OR UPDATE ON kv
              DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse();
            """
        )
        async with Coach(postgres_url, clock) as coach:
            inbox = _inbox(coach)
            await inbox.accept(coach.standin.text_update(42, "/start", 42).to_dict())
            await asyncio.sleep(0)  # let the first attempt run and fail
            for _ in range(300):
                if any(r.attempts >= 1 for r in await _rows(coach, InboxUpdate)):
                    break
                await asyncio.sleep(0.01)
            assert coach.standin.sent_to(42) == []  # no question that was never stored
            await admin.execute("DROP TRIGGER refuse_dialogs ON kv")
            await inbox.idle()  # the retry goes through
            assert coach.texts().count(texts.ASK_GOAL) == 1
            assert texts.SOMETHING_WENT_WRONG not in coach.texts()
            assert await _rows(coach, Reply) == []  # sent, so not kept
    finally:
        await admin.close()


# --- two processes on one PostgreSQL --------------------------------------------------------


async def test_two_processes_on_one_database_act_as_one(postgres_url: str, clock: Clock):
    standin = BotApiStandIn()  # one Telegram in front of both
    async with (
        Coach(postgres_url, clock, standin) as one,
        Coach(postgres_url, clock, standin) as two,
    ):
        runners = range(500, 520)
        for chat in runners:
            for answer in ("/start", "no race", WORKED_WEEK, "2", "25", "after runs"):
                await one.send(answer, chat)
        assert all(standin.sent_to(c)[-1]["text"] == texts.ASK_EQUIPMENT for c in runners)
        # Each runner presses two equipment toggles at the same moment, one reaching each
        # process (a load balancer), and both processes handle them at once.
        presses = []
        for chat in runners:
            question = standin.last_message(chat)["message_id"]
            presses.append((one, standin.press_data(chat, question, "q:equipment:band", chat)))
            presses.append(
                (two, standin.press_data(chat, question, "q:equipment:dumbbells", chat))
            )
        await asyncio.gather(*(_inbox(c).accept(p) for c, p in presses))
        await asyncio.gather(_inbox(one).idle(), _inbox(two).idle())
        async with one.app.bot_data["runtime"].sessions() as db:
            for chat in runners:
                dialog = await repo.get_kv(db, namespace="dialog", key=str(chat))
                assert sorted(dialog["answers"]["equipment_pending"]) == ["band", "dumbbells"]


async def test_two_processes_never_interleave_one_runners_turns(postgres_url: str, clock: Clock):
    """The same, with each process handling its update as soon as it has it (no shared
    inbox order to wait on): the runner's lock alone keeps the turns apart."""
    standin = BotApiStandIn()
    async with (
        Coach(postgres_url, clock, standin) as one,
        Coach(postgres_url, clock, standin) as two,
    ):
        runners = range(600, 620)
        for chat in runners:
            for answer in ("/start", "no race", WORKED_WEEK, "2", "25", "after runs"):
                await one.send(answer, chat)
        presses = []
        for chat in runners:
            question = standin.last_message(chat)["message_id"]
            for coach, item in ((one, "band"), (two, "dumbbells"), (one, "gym")):
                data = standin.press_data(chat, question, f"q:equipment:{item}", chat)
                presses.append(coach.app.process_update(Update.de_json(data, coach.app.bot)))
        await asyncio.gather(*presses)
        async with one.app.bot_data["runtime"].sessions() as db:
            for chat in runners:
                dialog = await repo.get_kv(db, namespace="dialog", key=str(chat))
                assert sorted(dialog["answers"]["equipment_pending"]) == [
                    "band",
                    "dumbbells",
                    "gym",
                ]
