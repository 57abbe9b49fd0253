"""Lifting experience, asked once in setup when the runner is off-season with dumbbells or a
gym, and the heavy block the plan counts from it (docs/coaching.md, "The heavy block")."""

from __future__ import annotations

import datetime as dt

from bot.plans import plan_for
from bot.progress import block_start
from core.block import HeavyStage, block_week
from core.models import LiftingExperience, SessionKind
from core.planner import week_start_of
from storage.tables import Runner
from tests.bot.conftest import WORKED_WEEK, Clock, Coach
from tests.bot.test_onboarding import stored_runner

ASKED = "How much lifting have you done?"


async def set_up(
    coach: Coach, *, race: tuple[str, ...], equipment: str, lifting: str = ""
) -> None:
    """Setup typed to the end; `lifting` is typed when the question comes."""
    answers = ["/start", *race, WORKED_WEEK, "2", "25", "after runs", equipment]
    for answer in answers:
        await coach.send(answer)
    if lifting:
        assert coach.last().startswith(ASKED)
        assert coach.labels() == ["New to lifting", "Some", "Experienced"]
        await coach.send(lifting)
    for answer in ("Europe/London", "none", "yes"):
        await coach.send(answer)
    assert (await stored_runner(coach)).onboarded


async def test_off_season_with_a_gym_asks_once_and_a_new_lifter_starts_with_technique(
    coach: Coach,
) -> None:
    await set_up(coach, race=("no race",), equipment="gym", lifting="beginner")
    runner = await stored_runner(coach)
    assert runner.lifting_experience == "new"
    assert sum(text.startswith(ASKED) for text in coach.texts()) == 1
    monday = week_start_of(runner.created_at.date())
    assert block_week(LiftingExperience.NEW, monday, monday).stage is HeavyStage.TECHNIQUE
    plan = plan_for(runner, monday)
    # The worked week has no day for heavy legs (Wednesday is before the tempo, Sunday after
    # the long run): the note says which week of the block it is, and no technique work.
    assert all(d.session.kind is not SessionKind.HEAVY for d in plan.sessions if d.session)
    note = next(n for n in plan.notes if n.startswith("Heavy block, week 1 of 12:"))
    assert "no session is heavy this week" in note and "light weights" not in note


async def test_an_experienced_lifter_gets_the_shorter_block(coach: Coach) -> None:
    await set_up(coach, race=("no race",), equipment="dumbbells", lifting="Experienced")
    runner = await stored_runner(coach)
    assert runner.lifting_experience == "experienced"
    plan = plan_for(runner, week_start_of(runner.created_at.date()))
    assert any(note.startswith("Heavy block, week 1 of 8:") for note in plan.notes)


async def test_a_puzzling_answer_gets_a_hint_and_the_same_question(coach: Coach) -> None:
    for answer in ("/start", "no race", WORKED_WEEK, "2", "25", "after runs", "gym"):
        await coach.send(answer)
    await coach.send("purple")
    assert any("type new, some or experienced" in text for text in coach.texts()[-2:])
    assert coach.last().startswith(ASKED)  # the same question again, with its buttons
    assert coach.labels() == ["New to lifting", "Some", "Experienced"]
    await coach.send("some")
    assert not coach.last().startswith(ASKED)


async def test_not_asked_without_heavy_kit_or_in_the_build(coach: Coach, clock: Clock) -> None:
    await set_up(coach, race=("no race",), equipment="band")
    assert not any(text.startswith(ASKED) for text in coach.texts())
    race_day = (clock.now + dt.timedelta(weeks=6)).date()
    await coach.send("/delete")
    await coach.tap("Yes, erase everything")
    await set_up(coach, race=("10k", f"{race_day:%d %B %Y}"), equipment="gym")
    assert not any(text.startswith(ASKED) for text in coach.texts())
    assert (await stored_runner(coach)).lifting_experience is None


def test_the_block_starts_the_week_the_off_season_does() -> None:
    joined = dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC)  # a Tuesday
    race = dt.date(2026, 11, 1)  # a 10k on a Sunday: five days of recovery after it
    runner = Runner(
        telegram_user_id=1,
        chat_id=1,
        goal="10k",
        race_date=race,
        equipment=["gym"],
        created_at=joined,
    )
    race_week = dt.date(2026, 10, 26)
    recovery_week = dt.date(2026, 11, 2)
    assert block_start(runner, race_week) is None  # in season: no block
    # The week after the race is recovery until Friday: the block starts the Monday after.
    assert block_start(runner, recovery_week) == dt.date(2026, 11, 9)
    runner.heavy_block_start = dt.date(2026, 11, 9)
    assert block_start(runner, dt.date(2026, 11, 16)) == dt.date(2026, 11, 9)
    no_race = Runner(telegram_user_id=2, chat_id=2, equipment=["gym"], created_at=joined)
    assert block_start(no_race, dt.date(2026, 9, 7)) == dt.date(2026, 8, 31)  # joining week
    no_kit = Runner(telegram_user_id=3, chat_id=3, equipment=["band"], created_at=joined)
    assert block_start(no_kit, dt.date(2026, 9, 7)) is None


async def test_a_first_block_that_starts_in_the_taper_is_a_familiarisation(
    coach: Coach, clock: Clock
) -> None:
    """A runner new to the coach two weeks before their race reads a short familiarisation,
    never "the same exercises at half the volume" (they have none yet)."""
    race_day = (clock.now + dt.timedelta(days=13)).date()
    answers = ("/start", "10k", f"{race_day:%d %B %Y}", WORKED_WEEK, "2", "25", "after runs")
    for answer in (*answers, "none", "Europe/London", "none", "yes"):
        await coach.send(answer)
    assert (await stored_runner(coach)).onboarded
    await coach.send("/plan")
    overview = coach.last()
    assert "a short familiarisation of a few easy basic moves" in overview
    assert "the same exercises" not in overview and "half the volume" not in overview
    days = [b for b in coach.labels() if b.startswith("💪")]
    assert days
    for label in days:
        await coach.send("/plan")
        await coach.tap(label)
        day = coach.last()
        assert "familiarisation" in day.lower() and "half the volume" not in day
        assert "Nothing new" not in day and "the usual exercises" not in day
