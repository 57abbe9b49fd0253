"""Rest and off days explained, through the real dispatcher (issue 14): a runner who prefers
strength on days without a run, but whose every such day is a rest day, is told why and can
mark which of those days are free; the plan then uses them."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import texts
from bot.texts import KEPT_AS_REST, NO_FREE_DAY
from core.models import DayKind
from storage import repo
from storage.tables import runner_week
from tests.bot.conftest import WORKED_WEEK, Clock, Coach

RUN_DAYS_ONLY = "Mon easy 7am, Wed easy 7am, Fri easy 7am, Sun easy 9am"
FREE_Q = "Every day without a run in your week is a rest day (Tue, Thu, Sat)"
TO_FREE_DAYS = ("/start", "no race", RUN_DAYS_ONLY, "2", "25", "on days without a run")
AFTER = ("none", "UTC", "none", "yes")

JOINED_MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


async def week_kinds(coach: Coach) -> list[DayKind]:
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=42)
        assert runner is not None
        return [d.kind for d in runner_week(runner).days]


async def plan_days(coach: Coach) -> list[str]:
    """The strength days of a whole week ("Sat"...): next week's, as the runner joined on
    the clock's Friday and this week starts then (tests/bot/test_first_week.py)."""
    await coach.send("/week next")
    return [label.split()[1] for label in coach.labels() if label.startswith("💪")]


async def test_off_days_preferred_with_only_rest_days_explains_and_marks_saturday(coach: Coach):
    for answer in TO_FREE_DAYS:
        await coach.send(answer)
    assert coach.last().startswith(FREE_Q)
    assert "rest days clear of strength" in coach.last()
    assert coach.labels() == ["Tue", "Thu", "Sat", "Keep them all as rest", "Done"]
    await coach.tap("Sat")
    assert "✅ Sat" in coach.labels()
    await coach.tap("Done")
    assert "Saturday: no run, free for strength" in "\n".join(coach.texts()[-3:])
    assert coach.last().startswith("What can you train with")
    for answer in AFTER:
        await coach.send(answer)
    assert texts.SETUP_DONE in coach.texts()
    kinds = await week_kinds(coach)
    assert kinds[5] is DayKind.OFF and kinds[1] is DayKind.REST and kinds[3] is DayKind.REST
    assert "Sat" in await plan_days(coach)


async def test_keeping_every_rest_day_says_where_strength_goes(coach: Coach):
    for answer in TO_FREE_DAYS:
        await coach.send(answer)
    await coach.tap("Keep them all as rest")
    assert KEPT_AS_REST in coach.texts()
    for answer in AFTER:
        await coach.send(answer)
    assert DayKind.OFF not in await week_kinds(coach)
    days = await plan_days(coach)
    assert days and set(days) <= {"Mon", "Wed", "Fri", "Sun"}  # after runs, rest days clear


@pytest.mark.parametrize(
    ("typed", "free"),
    [
        ("sat", [5]),
        ("thursday and saturday", [3, 5]),
        ("Satrday", [5]),
        ("Tue, Thu", [1, 3]),
        ("none", []),
        ("keep", []),
        ("no", []),
    ],
)
async def test_typed_free_days(coach: Coach, typed, free):
    for answer in TO_FREE_DAYS:
        await coach.send(answer)
    await coach.send(typed)
    assert coach.last().startswith("What can you train with")
    for answer in AFTER:
        await coach.send(answer)
    kinds = await week_kinds(coach)
    assert [i for i, kind in enumerate(kinds) if kind is DayKind.OFF] == free


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("wed", "Wednesday has a run already. Which of Tuesday, Thursday or Saturday is free?"),
        ("banana", "type them (e.g. Sat), or say keep"),
    ],
)
async def test_a_wrong_free_day_gets_a_hint_and_the_question_again(coach: Coach, typed, hint):
    for answer in TO_FREE_DAYS:
        await coach.send(answer)
    await coach.send(typed)
    assert hint in coach.texts()[-2]
    assert coach.last().startswith(FREE_Q)
    await coach.send("sat")
    assert coach.last().startswith("What can you train with")


async def test_no_question_when_a_free_day_exists_or_runs_are_preferred(coach: Coach):
    for answer in ("/start", "no race", f"{RUN_DAYS_ONLY}, Sat off", "2", "25", "days off"):
        await coach.send(answer)
    assert coach.last().startswith("What can you train with")
    await coach.send("/start", chat_id=7)
    for answer in ("no race", RUN_DAYS_ONLY, "2", "25", "after runs"):
        await coach.send(answer, chat_id=7)
    assert coach.last(7).startswith("What can you train with")


async def test_settings_change_to_off_days_asks_for_free_days(coach: Coach, clock: Clock):
    clock.now = JOINED_MONDAY  # a whole first week, so the change shows in this week
    await coach.onboard_typing(week=RUN_DAYS_ONLY)  # "after runs"
    await coach.send("/settings")
    await coach.tap("Where strength goes")
    await coach.tap("On days without a run")
    assert coach.last().startswith(FREE_Q)
    seen = len(coach.texts())
    await coach.tap("Keep them all as rest")
    saved = next(t for t in coach.texts()[seen:] if t.startswith(texts.SETTINGS_SAVED))
    assert NO_FREE_DAY in saved and texts.PLAN_UNCHANGED not in saved
    # Again, this time with Thursday and Saturday free: the plan moves there.
    await coach.send("/settings")
    await coach.tap("Where strength goes")
    await coach.tap("On days without a run")
    seen = len(coach.texts())
    await coach.send("thursday and saturday")
    saved = next(t for t in coach.texts()[seen:] if t.startswith(texts.SETTINGS_SAVED))
    assert "Strength now on Thursday and Saturday" in saved
    assert set(await plan_days(coach)) <= {"Thu", "Sat"}
    # Another setting later does not ask again.
    await coach.send("/settings")
    await coach.tap("Sessions a week")
    await coach.send("3")
    assert not any(t.startswith("Every day without a run") for t in coach.texts()[-3:])


async def test_the_worked_week_with_off_days_preferred(coach: Coach):
    # Mon and Fri are rest in the worked example: asked, and Fri made free.
    for answer in ("/start", "no race", WORKED_WEEK, "2", "25", "days off"):
        await coach.send(answer)
    assert "(Mon, Fri)" in coach.last()
    await coach.send("/help")
    assert "which of your rest days are free" in coach.texts()[-2]
    await coach.send("fri")
    for answer in AFTER:
        await coach.send(answer)
    assert "Fri" in await plan_days(coach)


async def test_a_settings_week_without_its_free_day_asks_again(coach: Coach):
    for answer in ("/start", "no race", f"{RUN_DAYS_ONLY}, Sat off", "2", "25", "days off"):
        await coach.send(answer)
    for answer in AFTER:
        await coach.send(answer)
    assert "Sat" in await plan_days(coach)
    await coach.send("/settings")
    await coach.tap("Running week")
    await coach.send("Sat rest")
    assert coach.last().startswith(FREE_Q)
    await coach.send("thu")
    kinds = await week_kinds(coach)
    assert kinds[3] is DayKind.OFF and kinds[5] is DayKind.REST
    assert "Thu" in await plan_days(coach)


async def test_a_free_day_with_a_typo_is_offered_and_yes_takes_it(coach: Coach):
    for answer in TO_FREE_DAYS:
        await coach.send(answer)
    await coach.send("thirsday and saterday")  # close enough to read at once
    assert "Thursday, Saturday: no run, free for strength" in "\n".join(coach.texts()[-3:])


async def test_a_free_day_only_somewhat_close_is_asked_about(coach: Coach):
    for answer in TO_FREE_DAYS:
        await coach.send(answer)
    await coach.send("tusdy and sat")  # "tusdy": Tuesday? asked, not guessed
    assert coach.last().startswith("Did you mean Tuesday?")
    await coach.send("yes")
    assert "Tuesday, Saturday: no run, free for strength" in "\n".join(coach.texts()[-3:])
    for answer in AFTER:
        await coach.send(answer)
    kinds = await week_kinds(coach)
    assert kinds[1] is DayKind.OFF and kinds[5] is DayKind.OFF and kinds[3] is DayKind.REST
