"""The week as a picture and /progress, as a runner meets them: /plan's Picture button, the
chart, the Sunday summary's picture (once, and not when the summary is off), all sent with
sendPhoto through the real Application and the Bot API stand-in."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from PIL import Image
from telegram.error import BadRequest, RetryAfter
from telegram.ext import Application

from bot import texts
from bot.chat import chat
from bot.plans import plan_for
from bot.settings import Settings
from bot.standin import BotApiStandIn, RateLimits
from core.planner import week_start_of
from storage import repo
from tests.bot.conftest import WORKED_WEEK, Clock, Coach
from tests.bot.test_reminders import (
    LEASE,
    LONDON,
    START,
    SUN,
    Watch,
    at,
    change_runner,
    coach_at,
    onboard,
    rows_of,
    stored,
)
from tests.bot.test_standin import build

MINUTE = dt.timedelta(minutes=1)


def png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image


async def test_plans_picture_button_sends_the_week_as_a_png_with_its_facts(
    coach: Coach, clock: Clock
) -> None:
    await coach.onboard_typing()
    await coach.send("/plan")
    assert texts.PICTURE_BUTTON in coach.labels()
    await coach.tap(texts.PICTURE_BUTTON)

    (photo,) = coach.standin.photos
    assert png(photo["data"]).width == 1000
    message = coach.standin.last_message(42)
    assert max(size["width"] for size in message["photo"]) == 1000
    caption = message["caption"]
    assert caption == photo["caption"]
    runner = await stored(coach, 42)
    plan = plan_for(runner, week_start_of(clock.now.date()))
    lines = caption.splitlines()
    assert lines[0] == f"Your week from {plan.first_day:%A %d %B}."
    strength = [line for line in lines if line.startswith("💪")]
    assert strength == [
        f"💪 {d.date:%a %d}: {d.session.name}, {d.session.minutes} min"
        for d in plan.sessions
        if d.session is not None
    ]
    assert f"Today: {clock.now:%a %d}." in lines


async def test_next_weeks_picture_is_next_week_without_today(coach: Coach) -> None:
    await coach.onboard_typing()
    await coach.send("/week next")
    await coach.tap(texts.PICTURE_BUTTON)
    caption = coach.standin.photos[-1]["caption"]
    assert caption.startswith("Your week from Monday 30 November.")
    assert "Today:" not in caption
    assert "Runs: Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00" in caption


async def test_progress_without_history_is_a_friendly_line_not_an_empty_chart(
    coach: Coach,
) -> None:
    await coach.onboard_typing()
    await coach.send("/progress")
    assert coach.last() == texts.PROGRESS_NONE
    assert coach.standin.photos == []


async def test_progress_charts_the_weeks_done_and_the_pain(coach: Coach, clock: Clock) -> None:
    await coach.onboard_typing()
    runner = await stored(coach, 42)
    assert runner.id is not None
    mondays = [dt.date(2026, 11, 30), dt.date(2026, 12, 7)]
    rt = coach.app.bot_data["runtime"]
    async with rt.sessions() as db, db.begin():
        for monday, statuses in zip(mondays, (("done", "skipped"), ("done", "done")), strict=True):
            for day, status in zip(plan_for(runner, monday).sessions, statuses, strict=True):
                assert day.session is not None
                await repo.log_session(
                    db,
                    runner_id=runner.id,
                    day=day.date,
                    session_name=day.session.name,
                    status=status,  # type: ignore[arg-type]
                )
        await repo.add_pain_report(
            db,
            runner_id=runner.id,
            now=dt.datetime(2026, 12, 9, 12, tzinfo=dt.UTC),
            area="knee-front",
            score=4,
            timing="during",
            red_flag=None,
            advice_level="modify",
        )
    clock.now = dt.datetime(2026, 12, 16, 9, tzinfo=dt.UTC)
    await coach.send("/progress")

    (photo,) = coach.standin.photos
    assert png(photo["data"]).width == 1000
    caption = photo["caption"]
    first = plan_for(runner, week_start_of(dt.date(2026, 11, 27)))
    third = plan_for(runner, dt.date(2026, 12, 14))
    per_week = f"0/{len(first.sessions)}, 1/2, 2/2, 0/{len(third.sessions)}"
    assert f"(oldest first): {per_week}." in caption  # from the week they joined
    assert "Skipped: 1 in all." in caption
    assert "Last pain scores: 09 Dec Knee (front) 4/10." in caption
    # Last week had every session done: a streak of one.
    assert "streak 1 week." in caption


async def test_the_sunday_summarys_picture_is_sent_once_even_after_a_restart(db_url) -> None:
    clock = Clock(START)
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON)
        watch = Watch(coach, clock, {42: LONDON})
        watch.skip()
        summary = at(SUN, "19:00")
        await watch.dispatch(summary)
        assert [g.kind for g in watch.got] == ["weekly"]
        await watch.dispatch(summary + MINUTE)
        assert [g.kind for g in watch.got] == ["weekly", "picture"]
        (photo,) = coach.standin.photos
        assert png(photo["data"]).width == 1000
        assert photo["caption"].startswith("Your week from Monday 30 November.")
        for later in (2, 5, 60):
            await watch.dispatch(summary + dt.timedelta(minutes=later))
    async with coach_at(db_url, clock) as again:  # a new process on the same database
        watch = Watch(again, clock, {42: LONDON})
        await watch.dispatch(summary + LEASE + MINUTE)
        assert again.standin.photos == []
        rows = [r for r in await rows_of(again, 42) if r.kind == "weekly_picture"]
    sent = [r for r in rows if r.local_date == SUN]
    assert [(r.status, r.attempts) for r in sent] == [(repo.SENT, 1)]


async def test_no_picture_when_the_weekly_summary_is_off(db_url) -> None:
    clock = Clock(START)
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON)
        await change_runner(coach, 42, reminders_off=["weekly"])
        watch = Watch(coach, clock, {42: LONDON})
        watch.skip()
        for minutes in (0, 1, 2, 10):
            await watch.dispatch(at(SUN, "19:00") + dt.timedelta(minutes=minutes))
        assert coach.standin.photos == []
        assert "weekly" not in [g.kind for g in watch.got]
        pending = {r.kind for r in await rows_of(coach, 42) if r.status == repo.PENDING}
    assert not pending & {"weekly", "weekly_picture", "monthly_progress"}


async def test_a_months_first_summary_brings_the_progress_chart(db_url) -> None:
    clock = Clock(START)
    first_sunday = dt.date(2026, 12, 6)
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON)
        runner = await stored(coach, 42)
        assert runner.id is not None
        async with coach.app.bot_data["runtime"].sessions() as db, db.begin():
            day = plan_for(runner, dt.date(2026, 11, 30)).sessions[0]
            assert day.session is not None
            await repo.log_session(
                db, runner_id=runner.id, day=day.date, session_name=day.session.name, status="done"
            )
        watch = Watch(coach, clock, {42: LONDON})
        summary = at(first_sunday, "19:00")
        for minutes in (0, 1, 2, 30):
            await watch.dispatch(summary + dt.timedelta(minutes=minutes))
        week, chart = coach.standin.photos
    assert week["caption"].startswith("Your week from Monday 07 December.")
    assert chart["caption"].startswith("Your last 2 weeks.")
    assert chart["caption"].endswith(texts.MONTHLY_PROGRESS)
    assert png(chart["data"]).width == 1000


# --- the stand-in's sendPhoto --------------------------------------------------------------


@pytest.fixture
def standin() -> BotApiStandIn:
    return BotApiStandIn()


@pytest.fixture
async def app(standin: BotApiStandIn) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    application = build(standin)
    async with application:
        yield application


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 600), "white").save(buffer, format="PNG")
    return buffer.getvalue()


async def test_send_photo_answers_as_telegram_and_keeps_the_bytes(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    data = tiny_png()
    message = await app.bot.send_photo(42, data, caption="Your week")
    assert message.caption == "Your week"
    assert [(p.width, p.height) for p in message.photo] == [
        (90, 54),
        (320, 192),
        (800, 480),
        (1000, 600),
    ]
    (stored_photo,) = standin.photos
    assert stored_photo["data"] == data and stored_photo["caption"] == "Your week"


async def test_send_photo_refuses_what_telegram_refuses(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await app.bot.send_photo(42, b"not an image at all, just bytes")
    with pytest.raises(BadRequest, match="caption is too long"):
        await app.bot.send_photo(42, tiny_png(), caption="x" * 1025)
    assert standin.photos == []


async def test_send_photo_counts_against_the_chats_one_message_a_second(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    now = [100.0]
    standin.rate_limits = RateLimits(clock=lambda: now[0])
    await app.bot.send_message(42, "the summary")
    with pytest.raises(RetryAfter):
        await app.bot.send_photo(42, tiny_png())
    now[0] += 1.0
    await app.bot.send_photo(42, tiny_png())
    assert len(standin.photos) == 1


async def test_the_terminal_chat_saves_the_picture_in_the_data_folder(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    setup = ["6", WORKED_WEEK, "2", "25 min", "After easy runs", "1", "6", "8", "11", "1"]
    typed = "\n".join([*setup, "/plan", "picture", "/quit"])
    out = io.StringIO()
    monday = Clock(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
    assert await chat(settings, stdin=io.StringIO(typed + "\n"), out=out, clock=monday) == 0
    [path] = (tmp_path / "data").glob("week-*.png")
    assert path.name == "week-2026-11-23.png"
    screen = out.getvalue()
    assert f"Saved to {path.resolve()}" in screen
    assert "coach ▸ Your week from Monday 23 November." in screen  # the caption, as text
    assert png(path.read_bytes()).width == 1000
