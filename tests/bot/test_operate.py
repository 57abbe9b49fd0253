"""The operator's promises (issue 6): webhook with a secret, health, data rights, hardening."""

from __future__ import annotations

import datetime as dt
import json
import logging

import httpx
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel
from telegram import Update

from bot import texts
from bot.reminders import dispatch_job
from bot.web import SECRET_HEADER, WebhookServer
from storage import repo
from tests.bot.conftest import Coach

SECRET = "s3cret-s3cret-s3cret-s3cret"


@pytest.fixture
async def webhook(coach: Coach):
    await coach.app.start()
    inbox = coach.app.bot_data["runtime"].inbox  # as serve_webhook hands updates over
    server = WebhookServer(coach.app, path="/telegram", secret=SECRET, accept=inbox.accept)
    port = server.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            yield client
    finally:
        await server.stop()
        await coach.app.stop()


async def _wait_for(coach: Coach, chat_id: int, count: int) -> None:
    # The server stored the update before its 200; the inbox handles it in its own task.
    await coach.app.bot_data["runtime"].inbox.idle()
    assert len(coach.standin.sent_to(chat_id)) >= count, coach.standin.sent_to(chat_id)


async def test_webhook_refuses_requests_without_the_secret(coach: Coach, webhook):
    body = coach.standin.text_update_data(7, "/start", 7)
    for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET[:-1]}):
        response = await webhook.post("/telegram", json=body, headers=headers)
        assert response.status_code == 403
    await coach.app.bot_data["runtime"].inbox.idle()
    assert coach.standin.sent_to(7) == []
    async with coach.app.bot_data["runtime"].sessions() as db:
        assert await repo.get_runner(db, telegram_user_id=7) is None  # nothing changed


async def test_webhook_with_the_secret_reaches_the_coach(coach: Coach, webhook):
    body = coach.standin.text_update_data(7, "/start", 7)
    response = await webhook.post("/telegram", json=body, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    await _wait_for(coach, 7, 2)
    assert coach.last(7) == texts.ASK_GOAL
    bad = await webhook.post("/telegram", content=b"{not json", headers={SECRET_HEADER: SECRET})
    assert bad.status_code == 400


async def test_health_reports_database_and_dispatcher(coach: Coach, webhook):
    first = (await webhook.get("/health")).json()
    assert first["database"] == "ok" and first["dispatcher_last_tick"] is None

    class Context:
        application = coach.app

    await dispatch_job(Context())  # type: ignore[arg-type]
    second = (await webhook.get("/health")).json()
    assert second["status"] == "ok" and second["dispatcher_last_tick"] is not None


async def test_export_sends_everything_stored(coach: Coach, clock):
    await coach.onboard_typing()
    clock.now = clock.now.replace(day=29, hour=11)
    await coach.send("/today")
    await coach.tap("✅ Done")
    await coach.send("pain")
    await coach.send("not now")
    await coach.send("/export")
    document = coach.standin.documents[-1]
    data = json.loads(document["data"])
    assert document["filename"].endswith(".json")
    assert data["runner"]["time_zone"] == "Europe/London"
    assert [d["kind"] for d in data["runner"]["week"]][1] == "intervals"
    assert data["session_log"][0]["status"] == "done"
    assert data["reminders"] and data["plans"]


async def test_delete_erases_every_row_about_the_runner(coach: Coach, clock):
    await coach.onboard_typing()
    await coach.onboard_typing(chat_id=43)  # someone else, who must keep everything
    await coach.send("pain")
    for _ in range(4):
        await coach.tap("None of these")
    await coach.tap("Calf")
    await coach.tap("5")
    await coach.tap("Yes, normally")
    await coach.tap("After the run")
    await coach.tap("No")
    await coach.send("/delete")
    await coach.tap("No, keep it")
    assert coach.last() == texts.DELETE_KEPT
    await coach.send("/delete")
    await coach.tap("Yes, erase everything")
    assert coach.last() == texts.DELETED

    async with coach.app.bot_data["runtime"].sessions() as db:
        other = await repo.get_runner(db, telegram_user_id=43)
        assert other is not None
        for table in SQLModel.metadata.sorted_tables:
            rows = (await db.exec(sa.select(table))).all()  # type: ignore[call-overload]
            for row in rows:
                values = dict(row._mapping)
                if "runner_id" in values:
                    assert values["runner_id"] == other.id, table.name
                if table.name == "runner":
                    assert values["telegram_user_id"] == 43
                if "key" in values:
                    assert "42" not in str(values["key"]), table.name
                assert values.get("chat_id") != 42


async def test_a_forged_button_from_another_account_changes_nothing(coach: Coach, clock):
    await coach.onboard_typing()
    clock.now = clock.now.replace(day=29, hour=11)
    await coach.send("/today")
    message = coach.standin.last_message(42)
    data = next(d for row in coach.standin.buttons(message) for label, d in row if "Done" in label)
    forged = coach.standin.press_data(42, message["message_id"], data, 99)
    forged["callback_query"]["from"]["id"] = 99
    await coach.app.process_update(Update.de_json(forged, coach.app.bot))
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=42)
        logs = await repo.session_logs(db, runner_id=runner.id, since=dt.date(2026, 11, 1))
    assert logs == []  # the owner's session is not marked done by someone else
    assert list(coach.standin.answered_callbacks.values())[-1].get("text") == texts.STALE_BUTTON


async def test_a_flood_from_one_runner_is_throttled_without_delaying_others(db_url, clock):
    async with Coach(db_url, clock, flood_max_updates=30) as coach:
        await _flood(coach)


async def _flood(coach: Coach) -> None:
    await coach.send("/start", chat_id=43)
    for _ in range(60):
        await coach.send("hello?")
    slow = [t for t in coach.texts() if t == texts.SLOW_DOWN]
    assert len(slow) == 1  # told once, not sixty times
    assert len(coach.texts()) < 60
    await coach.send("5k", chat_id=43)  # another runner is answered at once
    assert "When is your race" in coach.last(43)


async def test_the_token_never_appears_in_logs(coach: Coach, caplog):
    caplog.set_level(logging.DEBUG)
    await coach.onboard_typing()
    await coach.send("/plan")
    token = coach.app.bot.token
    assert token not in caplog.text


ACTIONS = st.one_of(
    st.text(max_size=60).map(lambda t: ("text", t)),
    st.sampled_from(
        [
            "/start",
            "/cancel",
            "/plan",
            "/week next",
            "/today",
            "/settings",
            "/help",
            "/pain",
            "/painlog",
            "/pause",
            "/resume",
            "/reminders",
            "/export",
            "/delete",
            "/nope",
            "pain",
            "not now",
            "no race",
            "yes",
            "2",
            "25",
            "none",
            "UTC",
        ]
    ).map(lambda t: ("text", t)),
    st.text(alphabet="qtmfpxz:0123456789-abcdefghijklmnopsuvwy_", max_size=40).map(
        lambda t: ("button", t)
    ),
    st.just(("tap", "")),
    st.just(("sticker", "")),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(ACTIONS, min_size=1, max_size=12), st.integers(1000, 10**9))
async def test_fuzz_any_input_in_any_state_gets_an_answer(coach: Coach, actions, chat_id):
    for kind, value in actions:
        before = len(coach.standin.calls)
        if kind == "text":
            await coach.send(value or ".", chat_id=chat_id)
        elif kind == "tap":
            try:
                message = coach.standin.last_message(chat_id)
            except LookupError:
                continue
            buttons = [d for row in coach.standin.buttons(message) for _, d in row if d]
            if not buttons:
                continue
            update = coach.standin.press(chat_id, message["message_id"], buttons[0], chat_id)
            await coach.app.process_update(update)
        elif kind == "button":
            data = coach.standin.text_update_data(chat_id, "x", chat_id)
            press = {
                "update_id": data["update_id"],
                "callback_query": {
                    "id": str(data["update_id"]),
                    "from": data["message"]["from"],
                    "chat_instance": "1",
                    "data": value or "q",
                    "message": {**data["message"], "from": coach.standin.bot_user},
                },
            }
            await coach.app.process_update(Update.de_json(press, coach.app.bot))
        else:
            data = coach.standin.text_update_data(chat_id, "x", chat_id)
            del data["message"]["text"]
            data["message"]["sticker"] = {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
            await coach.app.process_update(Update.de_json(data, coach.app.bot))
        answered = coach.standin.calls[before:]
        assert answered, f"no answer to {kind} {value!r}"
        for _, params in answered:
            assert params.get("text") != texts.SOMETHING_WENT_WRONG, (kind, value)


async def test_a_late_tick_still_runs(coach: Coach):
    # A tick delayed by a busy event loop must run late, not be dropped as missed (as
    # APScheduler does after one second by default).
    assert coach.app.job_queue is not None
    jobs = {job.name: job.job for job in coach.app.job_queue.jobs()}
    assert set(jobs) == {"dispatch_job", "horizon_job", "coach_menus_job"}
    for job in jobs.values():
        assert job.misfire_grace_time is None and job.coalesce
