"""Coach and physio mode end to end (docs/coaching_mode.md): the real Application behind the
Bot API stand-in, the real dispatcher, SQLite and PostgreSQL; several coaches and runners."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from PIL import Image
from sqlmodel import col, select
from telegram import Update

from bot import texts
from bot.cli import main
from bot.coaching import queue_digests, set_coach_menus
from bot.plans import plan_for
from bot.reminders import dispatch_due
from core import pain_content as content
from core.flags import RedFlag
from storage import repo
from storage.tables import Reminder, Runner, ShareLink, ShareLog
from tests.bot.conftest import Clock, Coach
from tests.bot.test_pain import followup, report

SAM, KIM = 7, 8  # coaches
ANN, BEN, CAT = 42, 43, 44  # runners
NAMES = {SAM: "Sam", KIM: "Kim", ANN: "Ann", BEN: "Ben", CAT: "Cat"}
LINK = re.compile(r"https://t\.me/runcoach_test_bot\?start=(c_[A-Za-z0-9_-]+)")


async def say(coach: Coach, user: int, text: str) -> None:
    await coach.send(text, user, first_name=NAMES[user])


async def name_coach(coach: Coach, user: int) -> None:
    """The operator names a coach (`runcoach coach add`), as the CLI stores it."""
    async with coach.app.bot_data["runtime"].sessions() as db, db.begin():
        await repo.coaching.add_coach(db, telegram_user_id=user)


async def invite(coach: Coach, user: int) -> str:
    """The coach's /coach: the deep link's start payload."""
    await say(coach, user, "/coach")
    found = LINK.search(coach.last(user))
    assert found is not None, coach.last(user)
    return found[1]


async def runner(coach: Coach, user: int) -> Runner:
    async with coach.app.bot_data["runtime"].sessions() as db:
        found = await repo.get_runner(db, telegram_user_id=user)
        assert found is not None
        return found


async def share(coach: Coach, user: int, payload: str) -> None:
    await say(coach, user, f"/start {payload}")
    assert "invites you to share your training" in coach.last(user)
    await coach.tap(texts.SHARE, user)


async def log_of(coach: Coach, user: int) -> list[tuple[int, str]]:
    found = await runner(coach, user)
    async with coach.app.bot_data["runtime"].sessions() as db:
        rows = await repo.coaching.share_log(db, runner_id=found.id or 0)
    return [(r.coach_user_id, r.what) for r in rows]


async def red_flag(coach: Coach, user: int) -> None:
    await say(coach, user, "/pain")
    await coach.tap(content.FLAG_BUTTONS[RedFlag.CHEST_NOW], user)


def forged_press(coach: Coach, user: int, data: str) -> Update:
    """A press with callback data the bot never put under the user's message."""
    message = coach.standin.last_message(user)
    payload: dict[str, Any] = {
        "update_id": coach.standin._new_update_id(),
        "callback_query": {
            "id": "forged",
            "from": {"id": user, "is_bot": False, "first_name": NAMES[user]},
            "chat_instance": str(user),
            "data": data,
            "message": message,
        },
    }
    return Update.de_json(payload, coach.app.bot)


async def test_nothing_is_shared_before_share_and_an_invite_works_once(coach: Coach):
    await name_coach(coach, SAM)
    payload = await invite(coach, SAM)
    assert "works once, for 7 days" in coach.last(SAM)
    await say(coach, SAM, "/roster")
    assert coach.last(SAM) == texts.ROSTER_EMPTY

    await say(coach, ANN, f"/start {payload}")
    consent = coach.last(ANN)
    assert consent.startswith("Sam invites you")
    assert "score, the area, the warning tier and the dates" in consent
    assert "never sees what you type or any chat message" in consent
    assert coach.labels(ANN) == [texts.SHARE, texts.NO_THANKS]
    # Opened, not yet shared: the coach sees nothing, nothing is logged.
    await say(coach, SAM, "/roster")
    assert coach.last(SAM) == texts.ROSTER_EMPTY
    assert await log_of(coach, ANN) == []

    await coach.tap(texts.SHARE, ANN)
    assert coach.last(ANN) == texts.SHARED.format(coach="Sam")
    await say(coach, SAM, "/roster")
    assert "Ann · 0/0 this week" in coach.last(SAM)
    assert await log_of(coach, ANN) == [
        (SAM, "shared: plan, adherence, pain reports"),
        (SAM, "roster"),
    ]
    # The same link a second time, for someone else: it does nothing, and says so.
    await say(coach, BEN, f"/start {payload}")
    assert coach.last(BEN) == texts.INVITE_BAD
    await say(coach, SAM, "/roster")
    assert "Ben" not in coach.last(SAM)


async def test_guessed_expired_withdrawn_and_declined_invites_share_nothing(
    coach: Coach, clock: Clock
):
    await name_coach(coach, SAM)
    await say(coach, ANN, "/start c_guessedTokenThatWasNeverIssued")
    assert coach.last(ANN) == texts.INVITE_BAD
    await say(coach, ANN, "/start c_")  # not even a token: setup's /start is not it either
    assert coach.last(ANN) == texts.INVITE_BAD

    declined = await invite(coach, SAM)
    await say(coach, ANN, f"/start {declined}")
    await coach.tap(texts.NO_THANKS, ANN)
    assert coach.last(ANN) == texts.NOT_SHARED.format(coach="Sam")

    withdrawn = await invite(coach, SAM)
    await coach.tap(texts.COACH_WITHDRAW, SAM)
    assert coach.last(SAM).startswith("Withdrew 2 open invite links")
    await say(coach, BEN, f"/start {withdrawn}")
    assert coach.last(BEN) == texts.INVITE_BAD

    late = await invite(coach, SAM)
    await say(coach, BEN, f"/start {late}")  # opened in time...
    clock.now += dt.timedelta(days=8)
    await coach.tap(texts.SHARE, BEN)  # ... but Share pressed after it expired
    assert coach.last(BEN) == texts.SHARE_STALE
    await say(coach, SAM, "/roster")
    assert coach.last(SAM) == texts.ROSTER_EMPTY


async def test_a_non_coach_gets_one_plain_line(coach: Coach):
    for command in ("/roster", "/coach", "/note 1 hello"):
        before = len(coach.texts(BEN))
        await say(coach, BEN, command)
        assert coach.texts(BEN)[before:] == [texts.COACH_ONLY]
    # Named by COACH_USER_IDS, a user is a coach without the table.
    coach.app.bot_data["runtime"].settings.coach_user_ids = f"{KIM}, not-an-id"
    assert (await invite(coach, KIM)).startswith("c_")


async def seed_roster(coach: Coach, count: int) -> None:
    """`count` runners who share with Sam, seeded through the repo: every 10th in pain 7,
    every 5th (otherwise) in pain 4."""
    rt = coach.app.bot_data["runtime"]
    async with rt.sessions() as db, db.begin():
        sam = await repo.get_runner(db, telegram_user_id=SAM)
        assert sam is not None and sam.id is not None
        for n in range(count):
            found = await repo.get_or_create_runner(
                db,
                telegram_user_id=1000 + n,
                chat_id=1000 + n,
                first_name=f"R{n:03d}",
                now=rt.clock(),
            )
            assert found.id is not None
            await repo.coaching.share(db, runner_id=found.id, coach_id=sam.id, now=rt.clock())
            score = 7 if n % 10 == 0 else 4 if n % 5 == 0 else 0
            if score:
                await repo.add_pain_report(
                    db,
                    runner_id=found.id,
                    now=rt.clock(),
                    area="calf",
                    score=score,
                    timing="after",
                    red_flag=None,
                    advice_level="amber",
                )


async def test_a_roster_of_205_runners_red_first_in_pages_of_ten(coach: Coach):
    await name_coach(coach, SAM)
    await say(coach, SAM, "/coach")
    await seed_roster(coach, 205)
    await say(coach, SAM, "/roster")
    page = coach.last(SAM).splitlines()
    assert page[0] == "Your runners (205), red first · page 1 of 21"
    lines = page[1:11]
    assert all(line.startswith("🔴") for line in lines)  # 21 in pain 7: red first
    assert lines[0] == "🔴 R000 · 0/0 this week · streak 0 · pain 7/10 calf, 27 Nov"
    assert coach.labels(SAM)[-2:] == [texts.ROSTER_PICTURE_BUTTON, texts.ROSTER_NEXT]
    assert len(coach.labels(SAM)) == 12  # ten names, Picture and the next page
    await coach.tap(texts.ROSTER_NEXT, SAM)
    await coach.tap(texts.ROSTER_NEXT, SAM)
    third = coach.last(SAM).splitlines()  # the page is edited in place
    assert third[0].endswith("page 3 of 21")
    assert third[1].startswith("🔴") and third[2].startswith("🟠")  # the 21st red, then amber
    for _ in range(18):
        await coach.tap(texts.ROSTER_NEXT, SAM)
    last = coach.last(SAM).splitlines()
    assert last[0].endswith("page 21 of 21") and all(x.startswith("🟢") for x in last[1:6])
    assert texts.ROSTER_NEXT not in coach.labels(SAM)


async def test_a_red_flag_alerts_each_coach_once_across_a_restart(db_url: str, clock: Clock):
    async with Coach(db_url, clock) as first:
        standin = first.standin
        await name_coach(first, SAM)
        await name_coach(first, KIM)
        await share(first, ANN, await invite(first, SAM))
        await share(first, ANN, await invite(first, KIM))
        await share(first, BEN, await invite(first, SAM))
        await red_flag(first, ANN)
        await red_flag(first, BEN)
        await red_flag(first, ANN)  # a second one the same day is the same alert
    sam_before, kim_before = len(standin.sent_to(SAM)), len(standin.sent_to(KIM))
    # The reports committed with their alerts; a new process sends them.
    async with Coach(db_url, clock, standin) as second:
        for step in range(3):  # one message a second per chat
            await dispatch_due(second.app, now=clock.now + dt.timedelta(seconds=2 * step))
    to_sam = [m["text"] for m in standin.sent_to(SAM)[sam_before:]]
    to_kim = [m["text"] for m in standin.sent_to(KIM)[kim_before:]]
    flag = texts.COACH_ALERT_FLAG.format(
        name="{name}", tier="emergency care advised", paused=texts.COACH_PAUSED_ALL
    )
    assert sorted(to_sam) == [flag.format(name="Ann"), flag.format(name="Ben")]
    assert to_kim == [flag.format(name="Ann")]
    # Another restart: nothing is sent again.
    async with Coach(db_url, clock, standin) as third:
        await dispatch_due(third.app, now=clock.now + dt.timedelta(seconds=10))
        assert len(standin.sent_to(SAM)) == sam_before + 2
        assert len(standin.sent_to(KIM)) == kim_before + 1
        assert (SAM, "alert: coach-flag") in await log_of(third, ANN)


async def test_stop_sharing_leaves_the_roster_and_stops_alerts(coach: Coach, clock: Clock):
    await name_coach(coach, SAM)
    await name_coach(coach, KIM)
    await share(coach, ANN, await invite(coach, SAM))
    await share(coach, ANN, await invite(coach, KIM))
    await red_flag(coach, ANN)  # queued for both, not yet sent
    await say(coach, ANN, "/sharing")
    assert "• Kim\n• Sam" in coach.last(ANN)
    await coach.tap("Stop sharing with Sam", ANN)
    assert coach.last(ANN) == texts.STOPPED_SHARING.format(coach="Sam")
    assert coach.labels(ANN) == []  # the confirmation; the list above lost Sam's button
    before = len(coach.texts(SAM))
    for step in range(2):
        await dispatch_due(coach.app, now=clock.now + dt.timedelta(seconds=2 * step))
    assert coach.texts(SAM)[before:] == []  # the pending alert went with the link
    assert coach.last(KIM).startswith("🚩 Ann reported a red flag today")
    await say(coach, SAM, "/roster")
    assert coach.last(SAM) == texts.ROSTER_EMPTY
    await say(coach, KIM, "/roster")
    assert "Ann" in coach.last(KIM)


async def test_delete_leaves_no_link_and_no_log_row(coach: Coach):
    await name_coach(coach, SAM)
    await share(coach, ANN, await invite(coach, SAM))
    await say(coach, SAM, "/roster")
    await coach.tap("🟢 Ann", SAM)
    assert texts.DETAIL_WEEKS in coach.last(SAM)
    ann = await runner(coach, ANN)
    await say(coach, SAM, f"/note {ann.id} rest well")
    async with coach.app.bot_data["runtime"].sessions() as db:  # what /export sends
        exported = await repo.export_runner(db, runner_id=ann.id or 0)
    assert [row["coach_id"] for row in exported["share_links"]] == [(await runner(coach, SAM)).id]
    assert [(row["coach_name"], row["what"]) for row in exported["share_log"]] == [
        ("Sam", "shared: plan, adherence, pain reports"),
        ("Sam", "roster"),
        ("Sam", "detail"),
    ]
    assert [row["text"] for row in exported["coach_notes"]] == ["rest well"]
    await say(coach, ANN, "/delete")
    await say(coach, ANN, "yes")
    async with coach.app.bot_data["runtime"].sessions() as db:
        links = (await db.exec(select(ShareLink).where(ShareLink.runner_id == ann.id))).all()
        logs = (await db.exec(select(ShareLog).where(ShareLog.runner_id == ann.id))).all()
    assert links == [] and logs == []
    await say(coach, SAM, "/roster")
    assert coach.last(SAM) == texts.ROSTER_EMPTY


async def test_the_operator_removes_a_coach_and_every_link_ends(
    coach: Coach, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("COACH_USER_IDS", raising=False)
    assert await asyncio.to_thread(main, ["coach", "add", str(SAM)]) == 0
    assert capsys.readouterr().out.startswith(f"{SAM} is now a coach")
    await share(coach, ANN, await invite(coach, SAM))
    await share(coach, BEN, await invite(coach, SAM))
    assert await asyncio.to_thread(main, ["coach", "list"]) == 0
    assert f"{SAM} (from runcoach coach add)" in capsys.readouterr().out
    assert await asyncio.to_thread(main, ["coach", "remove", str(SAM)]) == 0
    assert "2 runner link(s) ended" in capsys.readouterr().out
    await say(coach, ANN, "/sharing")
    assert coach.last(ANN) == texts.SHARING_NONE
    await say(coach, SAM, "/roster")
    assert coach.last(SAM) == texts.COACH_ONLY
    await red_flag(coach, BEN)
    async with coach.app.bot_data["runtime"].sessions() as db:
        alerts = (await db.exec(select(Reminder).where(col(Reminder.about) != 0))).all()
    assert alerts == []


async def test_forged_presses_change_nothing(coach: Coach):
    await name_coach(coach, SAM)
    await name_coach(coach, KIM)
    await share(coach, ANN, await invite(coach, SAM))
    ann, sam = await runner(coach, ANN), await runner(coach, SAM)
    await say(coach, KIM, "/roster")
    # Kim forges a press for Ann's detail: Ann shares only with Sam.
    await coach.deliver(forged_press(coach, KIM, f"ro:d:{ann.id}"))
    answers = coach.standin.calls_to("answerCallbackQuery")
    assert answers[-1].get("text") == texts.NOT_YOUR_RUNNER
    assert coach.last(KIM) == texts.ROSTER_EMPTY
    assert all(who == SAM for who, _ in await log_of(coach, ANN))
    # A roster picture forged by Kim is Kim's own (empty) roster; by Ben, a non-coach, nothing.
    await coach.deliver(forged_press(coach, KIM, "ro:g:0"))
    assert coach.last(KIM) == texts.ROSTER_EMPTY
    await say(coach, BEN, "/roster")
    assert coach.last(BEN) == texts.COACH_ONLY
    await coach.deliver(forged_press(coach, BEN, "ro:g:0"))
    assert coach.standin.calls_to("answerCallbackQuery")[-1].get("text") == texts.COACH_ONLY
    assert coach.standin.photos == []
    # Ben forges Stop sharing for Sam: only his own link could end, and he has none.
    await say(coach, BEN, "/sharing")
    await coach.deliver(forged_press(coach, BEN, f"ss:{sam.id}"))
    assert coach.last(BEN) == texts.NOT_SHARING
    # ... and a Share press for an invite he never opened.
    open_invite = await invite(coach, SAM)
    assert open_invite
    await coach.deliver(forged_press(coach, BEN, "sh:yes:1"))
    assert coach.standin.calls_to("answerCallbackQuery")[-1].get("text") == texts.STALE_BUTTON
    await say(coach, SAM, "/roster")
    roster = coach.last(SAM)
    assert "Ann" in roster and "Ben" not in roster


async def test_a_coach_note_shows_in_the_runner_s_plan(coach: Coach):
    await name_coach(coach, SAM)
    await say(coach, ANN, "/help")  # Ann exists before setup; she sets up afterwards
    await share(coach, ANN, await invite(coach, SAM))
    await coach.onboard_typing(ANN)
    ann = await runner(coach, ANN)
    await say(coach, SAM, f"/note {ann.id} easy week after your race")
    assert coach.last(SAM) == texts.NOTE_SAVED.format(name="Ann", monday=dt.date(2026, 11, 23))
    await say(coach, ANN, "/plan")
    assert "📝 Note from Sam: easy week after your race" in coach.last(ANN)
    await say(coach, SAM, "/note 99999 hello")
    assert coach.last(SAM) == texts.NOT_YOUR_RUNNER


async def test_roster_colours_from_the_runners_own_weeks(coach: Coach, clock: Clock):
    """Ann missed a session (amber), Ben did every one (green), Cat reported pain 6 (red)."""
    await name_coach(coach, SAM)
    payloads = [await invite(coach, SAM) for _ in range(3)]
    await say(coach, ANN, "/help")  # Ann, by her name, then her setup
    await coach.onboard_typing(ANN)
    rt = coach.app.bot_data["runtime"]
    async with rt.sessions() as db, db.begin():
        ann = await repo.get_runner(db, telegram_user_id=ANN)
        assert ann is not None
        data = ann.model_dump(exclude={"id", "telegram_user_id", "chat_id", "first_name"})
        for user, name in ((BEN, "Ben"), (CAT, "Cat")):
            await repo.save_runner(
                db, runner=Runner(**data, telegram_user_id=user, chat_id=user, first_name=name)
            )
    for user, payload in zip((ANN, BEN, CAT), payloads, strict=True):
        await share(coach, user, payload)
    clock.now = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)  # the next Thursday
    async with rt.sessions() as db, db.begin():
        ben = await repo.get_runner(db, telegram_user_id=BEN)
        cat = await repo.get_runner(db, telegram_user_id=CAT)
        assert ben is not None and ben.id is not None and cat is not None and cat.id is not None
        for monday in (dt.date(2026, 11, 23), dt.date(2026, 11, 30)):
            for day in plan_for(ben, monday).sessions:
                if dt.date(2026, 11, 27) <= day.date < dt.date(2026, 12, 3):
                    await repo.log_session(
                        db, runner_id=ben.id, day=day.date, session_name="S", status="done"
                    )
        await repo.add_pain_report(
            db,
            runner_id=cat.id,
            now=clock.now,
            area="achilles",
            score=6,
            timing="during",
            red_flag=None,
            advice_level="amber",
        )
    past = [d.date for d in plan_for(ben, dt.date(2026, 11, 30)).sessions]
    assert any(day < dt.date(2026, 12, 3) for day in past)  # a session Ann could miss
    await say(coach, SAM, "/roster")
    lines = coach.last(SAM).splitlines()[1:4]
    assert [line.split(" · ")[0] for line in lines] == ["🔴 Cat", "🟠 Ann", "🟢 Ben"]
    assert "pain 6/10 achilles, 03 Dec" in lines[0]
    # The same page as a picture: a row a runner, the caption the same lines in words.
    await coach.tap(texts.ROSTER_PICTURE_BUTTON, SAM)
    (photo,) = coach.standin.photos
    image = Image.open(io.BytesIO(photo["data"]))
    assert image.format == "PNG" and image.width == 1000
    assert photo["caption"].splitlines()[1:4] == lines
    assert (SAM, "roster picture") in await log_of(coach, CAT)
    await coach.tap("🟢 Ben", SAM)
    detail = coach.last(SAM)
    assert "• week of 30 Nov:" in detail and "• week of 23 Nov:" in detail
    assert f"/note {ben.id} your text" in detail


async def test_persisting_pain_sends_the_coach_the_physio_summary(coach: Coach, clock: Clock):
    await name_coach(coach, SAM)
    payload = await invite(coach, SAM)
    await say(coach, ANN, "/help")
    await coach.onboard_typing(ANN)
    await share(coach, ANN, payload)
    await say(coach, ANN, "pain")
    await report(coach, area="Hamstring / sit-bone", score="4", when="After the run")
    for score in ("4", "3", "3"):
        summary = await followup(coach, clock, score)
    assert summary.startswith("Runner's pain summary")
    before = len(coach.texts(SAM))
    await dispatch_due(coach.app, now=clock.now + dt.timedelta(seconds=5))
    [alert] = coach.texts(SAM)[before:]
    assert alert == texts.COACH_ALERT_PHYSIO.format(name="Ann", summary=summary)
    assert "Where: Hamstring / sit-bone" in alert


async def test_the_monday_digest_comes_once_and_can_be_turned_off(coach: Coach, clock: Clock):
    await name_coach(coach, SAM)
    await share(coach, ANN, await invite(coach, SAM))
    await share(coach, BEN, await invite(coach, SAM))
    ann = await runner(coach, ANN)
    async with coach.app.bot_data["runtime"].sessions() as db, db.begin():
        await repo.add_pain_report(
            db,
            runner_id=ann.id or 0,
            now=clock.now,
            area="calf",
            score=7,
            timing="during",
            red_flag=None,
            advice_level="red",
        )
    assert await queue_digests(coach.app) == 1  # Friday: for Monday 08:00 (Sam's zone, UTC)
    assert await queue_digests(coach.app) == 0  # the hourly job again: already queued
    before = len(coach.texts(SAM))
    await dispatch_due(coach.app, now=dt.datetime(2026, 11, 30, 7, 59, tzinfo=dt.UTC))
    assert coach.texts(SAM)[before:] == []
    monday = dt.datetime(2026, 11, 30, 8, 1, tzinfo=dt.UTC)
    clock.now = monday
    await dispatch_due(coach.app, now=monday)
    assert coach.texts(SAM)[before:] == [
        texts.COACH_DIGEST.format(count=2, red=1, amber=0, green=1)
        + "\n"
        + texts.COACH_DIGEST_RED.format(names="Ann")
    ]
    assert (SAM, "digest") in await log_of(coach, BEN)
    await dispatch_due(coach.app, now=monday + dt.timedelta(minutes=5))
    assert len(coach.texts(SAM)) == before + 1  # once
    assert await queue_digests(coach.app) == 1  # next Monday's
    await say(coach, SAM, "/coach")
    await coach.tap(texts.COACH_DIGEST_TURN_OFF, SAM)
    assert coach.last(SAM) == texts.COACH_DIGEST_IS_OFF
    await dispatch_due(coach.app, now=monday + dt.timedelta(days=7))
    assert len(coach.texts(SAM)) == before + 3  # the digest, /coach, its answer: no digest
    assert coach.last(SAM) == texts.COACH_DIGEST_IS_OFF
    assert await queue_digests(coach.app) == 0


async def test_a_coach_s_own_menu_has_the_coach_commands(coach: Coach):
    await name_coach(coach, SAM)
    await say(coach, ANN, "/help")
    assert await set_coach_menus(coach.app) == 1  # the job a few seconds after start
    menus = coach.standin.commands

    def names(scope: dict[str, Any]) -> list[str]:
        return [c["command"] for c in menus[json.dumps([scope, ""], sort_keys=True)]]

    runner_menu = [name for name, _ in texts.COMMANDS]
    assert names({"type": "default"}) == runner_menu
    sam = names({"type": "chat", "chat_id": SAM})
    assert sam == [*runner_menu, "coach", "roster", "note"]
    assert json.dumps([{"type": "chat", "chat_id": ANN}, ""], sort_keys=True) not in menus
