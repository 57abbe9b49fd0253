"""/reminders' buttons take typed answers, as the other questions' do (issue 14, "typed
answers everywhere a button is offered"): the labels and their usual synonyms, through the
real bot, with the stored settings and the rebuilt reminders checked."""

from __future__ import annotations

import pytest

from bot import texts
from bot.handlers.reminder_settings import read_setting
from storage import repo
from tests.bot.conftest import Clock, Coach


async def settings_of(coach: Coach) -> tuple[int, str, list[str]]:
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=42)
        assert runner is not None
        return runner.delay_minutes, runner.morning_time, list(runner.reminders_off)


async def pending_strength_times(coach: Coach) -> list[str]:
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=42)
        assert runner is not None and runner.id is not None
        rows = await repo.upcoming_reminders(db, runner_id=runner.id, now=coach_now(coach))
    return [f"{r.due_at:%H:%M}" for r in rows if r.kind == "strength"]


def coach_now(coach: Coach):  # type: ignore[no-untyped-def]
    return coach.app.bot_data["runtime"].clock()


async def test_reminders_buttons_typed(coach: Coach, clock: Clock) -> None:
    await coach.onboard_typing()
    await coach.send("/reminders")
    assert coach.labels()[:4] == ["+0 min", "+15 min", "+30 min", "+60 min"]
    before = await pending_strength_times(coach)

    await coach.send("+30 min")  # from the 15 minutes every runner starts with
    assert "✓ Strength reminders now come 30 min after your run ends." in coach.texts()[-2:]
    assert coach.last().startswith(texts.REMINDERS_HEADER)  # what is coming up, and buttons
    assert (await settings_of(coach))[0] == 30
    assert await pending_strength_times(coach) != before  # the reminders were rebuilt

    await coach.send("right after")  # the question stays open for the next change
    assert (await settings_of(coach))[0] == 0
    await coach.send("7am")
    assert "✓ Morning message now at 07:00." in coach.texts()[-2:]
    await coach.send("morning messages off")
    assert "✓ Morning messages off." in coach.texts()[-2:]
    await coach.send("turn off the morning message")  # off already: not turned back on
    assert coach.last() == "✓ Morning messages off already."
    assert await settings_of(coach) == (0, "07:00", ["morning"])

    await coach.send("purple")  # none of them: a hint and the buttons again
    assert coach.last() == texts.REMINDERS_TYPED_HINT
    assert "+15 min" in coach.labels()
    await coach.send("an hour")
    assert (await settings_of(coach))[0] == 60

    await coach.send("plan")  # something else the bot reads goes on to be read as that
    assert any(t.startswith("Your week from") for t in coach.texts()[-3:])
    await coach.send("15")  # the question closed with that: 15 is not a setting any more
    assert (await settings_of(coach))[0] == 60


@pytest.mark.parametrize(
    ("typed", "setting", "value"),
    [
        ("+0 min", "delay", "0"),
        ("right after", "delay", "0"),
        ("straight after", "delay", "0"),
        ("immediately", "delay", "0"),
        ("15 min", "delay", "15"),
        ("15", "delay", "15"),
        ("quarter of an hour", "delay", "15"),
        ("about 20 mins", "delay", "15"),
        ("+30 min", "delay", "30"),
        ("half an hour", "delay", "30"),
        ("60", "delay", "60"),
        ("an hour", "delay", "60"),
        ("1h", "delay", "60"),
        ("06:00", "morning", "06:00"),
        ("6 am", "morning", "06:00"),
        ("7", "morning", "07:00"),
        ("at 8", "morning", "08:00"),
        ("9:00", "morning", "09:00"),
        ("Strength reminders", "toggle", "strength"),
        ("🔔 Strength reminders", "toggle", "strength"),
        ("stop strength reminders", "toggle", "strength"),
        ("Morning messages", "toggle", "morning"),
        ("no morning message", "toggle", "morning"),
        ("weekly summary off", "toggle", "weekly"),
        ("turn off the summary", "toggle", "weekly"),
    ],
)
def test_each_button_read_from_its_label_and_synonyms(
    typed: str, setting: str, value: str
) -> None:
    read = read_setting(typed, [])
    assert read is not None
    press, already = read
    assert (press.setting.value, press.value, already) == (setting, value, False)


@pytest.mark.parametrize("typed", ["purple", "11:00", "20", "05:30", "no", "done"])
def test_what_names_no_button_is_none(typed: str) -> None:
    assert read_setting(typed, []) is None
