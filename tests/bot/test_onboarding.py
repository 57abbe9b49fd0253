"""Setup, the plan and settings, as a runner lives them: through the real dispatcher."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from telegram import Update

from bot import texts
from storage import repo
from storage.tables import Runner, runner_profile, runner_week
from tests.bot.conftest import WORKED_WEEK, Coach

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The runner joins on the Monday, so their first week is whole (the clock is Friday).
JOINED_MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def day_entries(messages: list[str]) -> dict[str, str]:
    """The plan's day entries by weekday, from the messages the runner received."""
    entries: dict[str, str] = {}
    for message in messages:
        for block in message.split("\n\n"):
            first = block.split(" ", 1)[0]
            if first in DAYS:
                entries[first] = block
    return entries


def strength_days(messages: list[str]) -> list[str]:
    """The strength days, from a week overview (a line a day) or a day's entries."""
    names = {day[:3]: day for day in DAYS}
    for message in reversed(messages):
        lines = [line for line in message.splitlines() if line[:3] in names and " · " in line]
        if len(lines) == 7:
            return [names[line[:3]] for line in lines if "💪" in line]
    return [day for day, entry in day_entries(messages).items() if "Strength" in entry]


async def stored_runner(coach: Coach, chat_id: int = 42) -> Runner:
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=chat_id)
        assert runner is not None
        return runner


async def test_onboarding_by_buttons_only(coach: Coach, clock):
    clock.now = JOINED_MONDAY  # a whole first week (tests/bot/test_first_week.py: mid-week)
    await coach.send("/start")
    assert "Hi Runner" in coach.texts()[0]
    assert coach.last() == texts.ASK_GOAL
    await coach.tap("Marathon")
    assert "When is your race" in coach.last()
    await coach.tap("No date yet")
    await coach.tap("Day by day")
    plan = [
        ("Rest", None),
        ("Intervals", "18:00"),
        ("Easy", "07:00"),
        ("Tempo", "18:00"),
        ("Rest", None),
        ("Long run", "08:00"),
        ("Easy", "No fixed time"),
    ]
    for day, (kind, time) in zip(DAYS, plan, strict=True):
        assert coach.last().startswith(f"{day}: what do you usually do?")
        await coach.tap(kind)
        if time is not None:
            assert coach.last().startswith(f"{day}: what time")
            await coach.tap(time)
    assert coach.last().startswith(texts.ASK_SESSIONS)
    await coach.tap("2")
    await coach.tap("25 min")
    await coach.tap("After easy runs")
    await coach.tap("Resistance band")
    assert "✅ Resistance band" in coach.labels()  # the toggle shows on the same message
    await coach.tap("Done")
    await coach.tap("London")
    await coach.tap("Achilles")
    await coach.tap("Done")
    summary = coach.last()
    assert "Goal: Marathon" in summary and "Equipment: Resistance band" in summary
    assert "Niggles: Achilles" in summary
    assert "Sun easy" in summary and "Tue intervals 18:00" in summary
    await coach.tap("✅ Confirm")

    assert texts.SETUP_DONE in coach.texts()
    assert strength_days(coach.texts()) == ["Wednesday", "Sunday"]
    runner = await stored_runner(coach)
    assert runner.onboarded and runner.time_zone == "Europe/London"
    profile = runner_profile(runner)
    assert profile.sessions_per_week == 2 and {e.value for e in profile.equipment} == {"band"}
    assert {n.value for n in profile.niggles} == {"achilles"}


async def test_onboarding_by_typing_only_with_the_week_in_one_message(coach: Coach, clock):
    clock.now = JOINED_MONDAY  # a whole first week (tests/bot/test_first_week.py: mid-week)
    await coach.onboard_typing()
    assert strength_days(coach.texts()) == ["Wednesday", "Sunday"]
    # The end of setup is the overview, with a button per strength day for its exercises.
    assert coach.labels() == ["💪 Wed 25", "💪 Sun 29", texts.PICTURE_BUTTON]
    await coach.tap("💪 Wed 25")
    entries = day_entries(coach.texts())
    assert "easy run in the morning, so strength goes after it" in entries["Wednesday"]
    runner = await stored_runner(coach)
    assert [d.kind.value for d in runner_week(runner).days] == [
        "rest",
        "intervals",
        "easy",
        "tempo",
        "rest",
        "long",
        "easy",
    ]


async def test_typed_answers_accept_synonyms_and_any_case(coach: Coach):
    for answer in (
        "/start",
        "HALF",
        "25/4/2027",
        WORKED_WEEK,
        "three",
        "no",  # three don't fit the worked week: no short session after a hard run
        "30 minutes",
        "Days off",
        "keep",  # Mon and Fri are rest: asked whether one is free, and kept as rest
        "band, dumbbells",
        "A bit",  # lifting experience: off-season (the race is 21 weeks away) with dumbbells
        "paris",
        "left knee",
        "confirm",
    ):
        await coach.send(answer)
    runner = await stored_runner(coach)
    profile = runner_profile(runner)
    assert profile.goal.value == "half" and str(profile.race_date) == "2027-04-25"
    assert profile.sessions_per_week == 3 and profile.minutes == 30
    assert profile.placement.value == "off-days"
    assert {e.value for e in profile.equipment} == {"band", "dumbbells"}
    assert runner.lifting_experience == "some"
    assert runner.time_zone == "Europe/Paris"
    assert {n.value for n in profile.niggles} == {"knee-front", "knee-outside"}


@pytest.mark.parametrize(
    ("answers_before", "bad", "hint_part"),
    [
        ([], "banana", "Pick one of the buttons"),
        (["marathon"], "next tuesday-ish", "couldn't read that as a date"),
        (["marathon"], "2020-01-01", "already passed"),
        (["no race", WORKED_WEEK], "7", "choose 2, 3 or 4"),
        (["no race", WORKED_WEEK, "2"], "500", "between 10 and 90"),
        (["no race", WORKED_WEEK, "2", "25"], "sometimes", "after runs, days off or either"),
        (["no race", WORKED_WEEK, "2", "25", "either"], "a car", "none for bodyweight"),
        (["no race", WORKED_WEEK, "2", "25", "either", "none"], "Atlantis", "don't know that"),
        (["no race", WORKED_WEEK, "2", "25", "either", "none", "UTC"], "elbow", "elbow"),
    ],
)
async def test_bad_input_gets_a_hint_and_the_same_question_again(
    coach: Coach, answers_before, bad, hint_part
):
    await coach.send("/start")
    for answer in answers_before:
        await coach.send(answer)
    question = coach.last()
    await coach.send(bad)
    hint, again = coach.texts()[-2:]
    assert hint_part in hint
    assert again == question
    # Nothing entered before is lost: the dialog carries on from the same place.
    async with coach.app.bot_data["runtime"].sessions() as db:
        dialog = await repo.get_kv(db, namespace="dialog", key="42")
    assert dialog is not None
    assert len([k for k in dialog["answers"] if not k.startswith("_")]) >= len(answers_before)


async def test_day_by_day_accepts_a_typed_day_with_its_time(coach: Coach):
    for answer in (
        "/start",
        "no race",
        "day by day",
        "rest",
        "intervals 6pm",
        "easy 7am",
        "tempo 18:00",
        "off",
        "long run 8am",
        "swim",
    ):
        await coach.send(answer)
    assert coach.last().startswith("Sunday: what time")
    await coach.send("8:30")
    assert coach.last().startswith(texts.ASK_SESSIONS)


async def test_cancel_keeps_the_answers_and_start_picks_up_there(coach: Coach):
    for answer in ("/start", "marathon", "2027-05-02"):
        await coach.send(answer)
    week_question = coach.last()
    await coach.send("/cancel")
    assert coach.last() == texts.CANCELLED
    await coach.send("hello?")  # not in a dialog any more: no question is answered by this
    await coach.send("/start")
    assert texts.WELCOME_BACK in coach.texts()
    assert coach.last() == week_question


async def test_edit_one_answer_from_the_summary(coach: Coach):
    for answer in ("/start", "no race", WORKED_WEEK, "2", "25", "either", "none", "UTC", "none"):
        await coach.send(answer)
    assert "Sessions a week: 2" in coach.last()
    await coach.tap("✏️ Edit")
    await coach.tap("Minutes per session")
    assert coach.last() == texts.ASK_MINUTES
    await coach.send("40")
    summary = coach.last()
    assert "Minutes per session: 40 min" in summary and "Sessions a week: 2" in summary
    await coach.tap("✅ Confirm")
    assert (await stored_runner(coach)).minutes == 40


async def test_restart_mid_onboarding_carries_on(db_url, clock):
    async with Coach(db_url, clock) as first:
        for answer in ("/start", "10k", "no date yet", WORKED_WEEK):
            await first.send(answer)
        question = first.last()
    assert question.startswith(texts.ASK_SESSIONS)
    # The bot restarts: a new Application on the same database.
    async with Coach(db_url, clock) as second:
        await second.send("3")
        # Three don't fit the worked week: the short session after a hard run is offered.
        assert second.last().startswith("Your week has room for 2 of the 3 sessions")
        await second.send("no")
        assert second.last() == texts.ASK_MINUTES
        for answer in ("25", "either", "none", "UTC", "none", "yes"):
            await second.send(answer)
        assert texts.SETUP_DONE in second.texts()
        runner = await stored_runner(second)
        assert runner.sessions_per_week == 3 and runner.goal == "10k"


async def test_plan_for_the_worked_example_places_wednesday_and_sunday_only(coach: Coach, clock):
    clock.now = JOINED_MONDAY  # a whole first week (tests/bot/test_first_week.py: mid-week)
    await coach.onboard_typing()
    coach.standin.clear()
    await coach.send("/plan")
    [overview] = coach.texts()  # the week in one message, a line a day
    days = [line for line in overview.splitlines() if " · " in line]
    assert [line[:3] for line in days] == [d[:3] for d in DAYS]
    assert [line[:3] for line in days if "💪" in line] == ["Wed", "Sun"]
    # A button per strength day, and this week's changes (/thisweek).
    assert coach.labels() == [
        "💪 Wed 25",
        "💪 Sun 29",
        texts.PICTURE_BUTTON,
        "✏️ Change this week",
    ]
    await coach.tap("💪 Wed 25")
    messages = coach.texts()[1:]
    wednesday = day_entries(messages)["Wednesday"]
    assert re.search(r"Strength A.* · \d+ min", wednesday)
    assert re.search(r"• .+: \d+ × \d+", wednesday)  # exercises with their dose
    assert "Why here:" in wednesday
    assert all(len(m) <= 4096 for m in messages)


async def test_three_sessions_asked_shows_two_and_says_why(coach: Coach, clock):
    clock.now = JOINED_MONDAY  # a whole first week (tests/bot/test_first_week.py: mid-week)
    for answer in (
        "/start",
        "no race",
        WORKED_WEEK,
        "3",
        "no",  # no short session after a hard run
        "25",
        "after runs",
        "none",
        "UTC",
        "none",
        "yes",
    ):
        await coach.send(answer)
    assert strength_days(coach.texts()) == ["Wednesday", "Sunday"]
    assert any("You asked for 3 sessions, but only 2 fit" in t for t in coach.texts())


async def test_week_next_shows_next_week(coach: Coach):
    await coach.onboard_typing()
    coach.standin.clear()
    await coach.send("/week next")
    assert "Your week from Monday 30 November" in coach.texts()[0]
    await coach.send("/plan")
    # Joined on Friday: the first week starts that day.
    assert "Your week from Friday 27 November" in coach.texts()[-1] or any(
        "Friday 27 November" in t for t in coach.texts()
    )


async def test_today_buttons_record_done_once(coach: Coach, clock):
    await coach.onboard_typing()
    clock.now = clock.now.replace(day=29, hour=11)  # Sunday 11:00: a strength day
    await coach.send("/today")
    assert coach.last().startswith("Today, Sunday")
    assert coach.labels() == ["✅ Done", "⏭ Skip", "⏰ Snooze", "🩹 Pain", "📅 Move"]
    today_message = coach.standin.last_message(42)["message_id"]
    await coach.tap("✅ Done")
    assert "Logged as done" in coach.texts()[-2]
    assert coach.last().startswith("How did it feel?")
    # Pressed again on the same message: answered politely, recorded once.
    data = next(
        d
        for row in coach.standin.buttons(coach.standin.sent_to(42)[-3])
        for label, d in row
        if label == "✅ Done"
    )
    await coach.app.process_update(coach.standin.press(42, today_message, data, 42))
    answers = list(coach.standin.answered_callbacks.values())
    assert answers[-1].get("text") == "Already noted as done."
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=42)
        logs = await repo.session_logs(
            db, runner_id=runner.id, since=clock.now.date().replace(day=1)
        )
    assert [(log.date.day, log.status) for log in logs] == [(29, "done")]
    await coach.tap("⏰ Snooze")  # a done session has nothing left to remind of
    assert coach.last().startswith("That session is already logged (done at 11:00)")


async def test_today_on_a_day_without_strength(coach: Coach, clock):
    await coach.onboard_typing()
    await coach.send("/today")  # Friday: rest day
    assert coach.last().startswith("Today, Friday")
    assert "Rest day" in coach.last()
    assert coach.labels() == []


async def test_settings_change_rebuilds_the_plan_and_says_what_changed(coach: Coach, clock):
    clock.now = JOINED_MONDAY  # a whole first week (tests/bot/test_first_week.py: mid-week)
    await coach.onboard_typing()
    await coach.send("/settings")
    assert coach.last() == texts.ASK_SETTINGS
    await coach.tap("Running week")
    # Only the days typed change (a partial week): Wed and Sun made rest, Mon an easy run.
    await coach.send("Mon easy 7am, Wed rest, Sun rest")
    changed = next(t for t in coach.texts() if t.startswith(texts.SETTINGS_SAVED))
    assert "Strength now on Monday (Strength A" in changed
    assert "No strength on Wednesday and Sunday any more." in changed
    assert "1 strength session this week (was 2)." in changed
    assert "Why here" not in changed and "•" not in changed  # what changed, not the week
    # The days changed: then the new week's overview, with Monday's button.
    assert strength_days(coach.texts()[-1:]) == ["Monday"]
    assert coach.labels() == ["💪 Mon 23", texts.PICTURE_BUTTON]
    runner = await stored_runner(coach)
    assert runner_week(runner).days[0].kind.value == "easy"


async def test_settings_time_zone_and_sessions(coach: Coach):
    await coach.onboard_typing()
    await coach.send("/settings")
    await coach.send("time zone")
    await coach.send("Sydney")
    assert (await stored_runner(coach)).time_zone == "Australia/Sydney"
    saved = coach.last()  # one message: no week reprinted
    assert saved.startswith(f"Saved. {texts.PLAN_UNCHANGED}")
    assert "Your time zone is now Australia/Sydney" in saved
    assert re.search(r"Next: [A-Z][a-z ]+, \w{3} \d\d \w{3} \d\d:\d\d\.", saved)


async def test_start_again_offers_to_change_rather_than_wipe(coach: Coach):
    await coach.onboard_typing()
    await coach.send("/start")
    assert coach.last() == texts.ALREADY_SET_UP
    await coach.tap("Keep my plan")
    assert coach.last() == texts.KEEP_PLAN
    assert (await stored_runner(coach)).onboarded
    await coach.send("/start")
    await coach.tap("Change something")
    assert coach.last() == texts.ASK_SETTINGS


async def test_stale_buttons_change_nothing(coach: Coach):
    await coach.send("/start")
    goal_message = coach.standin.last_message(42)["message_id"]
    # A press on "10k" that arrives late, after the runner already answered 5k and moved on.
    stale = coach.standin.press_data(42, goal_message, "q:goal:10k", 42)
    await coach.tap("5k")
    question = coach.last()
    await coach.app.process_update(Update.de_json(stale, coach.app.bot))
    assert list(coach.standin.answered_callbacks.values())[-1]["text"] == texts.STALE_BUTTON
    assert coach.last() == question
    async with coach.app.bot_data["runtime"].sessions() as db:
        dialog = await repo.get_kv(db, namespace="dialog", key="42")
    assert dialog["answers"]["goal"] == "5k"


async def test_plan_before_setup_points_to_start(coach: Coach):
    await coach.send("/plan")
    assert coach.last() == texts.NO_PLAN_YET
    await coach.send("/today")
    assert coach.last() == texts.NO_PLAN_YET


async def test_help_and_the_command_menu_list_every_command(coach: Coach):
    from telegram.ext import CommandHandler

    handled = {
        command
        for group in coach.app.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    menu = {c["command"] for c in coach.standin.calls_to("setMyCommands")[0]["commands"]}
    coaches = {name for name, _ in texts.COACH_COMMANDS}  # in a coach's own menu only
    assert menu == handled - coaches and coaches <= handled
    await coach.send("/help")
    for command in handled - coaches:
        assert f"/{command}" in coach.last()
    assert "/week next" in coach.last()


async def test_stickers_and_unknown_commands_get_a_helpful_answer(coach: Coach):
    await coach.send("/start")
    update = coach.standin.text_update(42, "x", 42)
    data = update.to_dict()
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
    assert "only read text" in coach.texts()[-2]
    assert coach.last() == texts.ASK_GOAL
    await coach.send("/frobnicate")  # mid-question: a short hint, then the question again
    assert "I don't know /frobnicate" in coach.texts()[-2]
    assert coach.last() == texts.ASK_GOAL
    await coach.send("/cancel")
    await coach.send("/frobnicate")  # no question open: what works
    assert coach.last() == texts.NOT_UNDERSTOOD


async def test_group_chats_are_turned_away_and_nothing_is_stored(coach: Coach):
    await coach.send("/start", chat_id=-100, chat_type="group")
    assert coach.last(-100) == texts.PRIVATE_ONLY
    async with coach.app.bot_data["runtime"].sessions() as db:
        rows = (await db.exec(select(Runner))).all()  # type: ignore[call-overload]
    assert rows == []


async def test_keyboards_fit_telegrams_limits(coach: Coach):
    await coach.onboard_typing()
    for name, params in coach.standin.calls:
        markup = params.get("reply_markup")
        if markup:
            for row in markup["inline_keyboard"] if isinstance(markup, dict) else []:
                for button in row:
                    assert len(button["callback_data"].encode()) <= 64
        assert len(params.get("text", "")) <= 4096, name


# --- found by trying it as a runner would ---------------------------------------------------


async def test_switching_from_no_race_to_a_race_asks_for_its_date(coach: Coach):
    for answer in ("/start", "no race", WORKED_WEEK, "2", "25", "either", "none", "UTC", "none"):
        await coach.send(answer)
    await coach.tap("✏️ Edit")
    await coach.tap("Goal")
    await coach.tap("Marathon")
    assert "When is your race" in coach.last()
    await coach.send("25 Apr 27")  # a two-digit year is this century
    assert "Race date: 25 April 2027" in coach.last()


@pytest.mark.parametrize("bad", ["a" * 5000, "Mon " + "x" * 4500, "²", "25 april ²"])
async def test_very_long_or_odd_text_gets_a_hint_not_a_crash(coach: Coach, bad):
    await coach.send("/start")
    await coach.send("marathon")
    if bad.startswith("25"):
        await coach.send(bad)
        assert coach.last().startswith("When is your race")
        return
    await coach.send("no date yet")
    await coach.send(bad)  # at the week question
    # The week question again, or (a day named) the question about the part not understood.
    assert coach.last().startswith(("Now your usual running week", "I couldn't read Mon"))
    assert all(len(t) <= 4096 for t in coach.texts())


async def test_superscript_digits_are_not_numbers(coach: Coach):
    for answer in ("/start", "no race", WORKED_WEEK, "²"):
        await coach.send(answer)
    assert coach.last().startswith(texts.ASK_SESSIONS)


async def test_an_edited_answer_is_ignored_not_a_crash(coach: Coach):
    await coach.send("/start")
    update = coach.standin.text_update(42, "5k", 42).to_dict()
    update["edited_message"] = update.pop("message")
    update["edited_message"]["edit_date"] = update["edited_message"]["date"]
    await coach.app.process_update(Update.de_json(update, coach.app.bot))
    assert coach.last() == texts.ASK_GOAL


async def test_day_by_day_keeps_earlier_days_when_two_days_are_typed(coach: Coach):
    for answer in ("/start", "no race", "day by day", "rest", "intervals 6pm"):
        await coach.send(answer)
    await coach.send("Wed easy 7am, Thu tempo 18:00")
    assert "Just Wednesday for now" in coach.texts()[-2]
    assert coach.last().startswith("Wednesday: what do you usually do?")
    await coach.send("Wednesday easy 7am")  # the asked day's own name is fine
    assert coach.last().startswith("Thursday")
    await coach.send("easy 25:00")
    assert "25:00" in coach.texts()[-2] or "hour" in coach.texts()[-2]


async def test_cancel_in_settings_says_nothing_changed(coach: Coach):
    await coach.onboard_typing()
    await coach.send("/settings")
    await coach.send("/cancel")
    assert coach.last() == texts.CANCELLED_SETTINGS


async def test_settings_equipment_starts_from_what_the_runner_has(coach: Coach):
    for answer in (
        "/start",
        "no race",
        WORKED_WEEK,
        "2",
        "25",
        "either",
        "band, dumbbells",
        "some",  # lifting experience: off-season with dumbbells
        "UTC",
        "none",
        "yes",
    ):
        await coach.send(answer)
    await coach.send("/settings")
    await coach.send("equipment")
    assert {"✅ Resistance band", "✅ Dumbbells or kettlebell"} <= set(coach.labels())
    await coach.tap("Gym")
    await coach.tap("Done")
    runner = await stored_runner(coach)
    assert set(runner.equipment) == {"band", "dumbbells", "gym"}


async def test_button_labels_can_be_typed(coach: Coach):
    for answer in (
        "/start",
        "no race",
        WORKED_WEEK,
        "2",
        "25",
        "either",
        "Dumbbells or kettlebell",
        "Some",
        "UTC",
        "Knee (front)",
        "yes",
    ):
        await coach.send(answer)
    runner = await stored_runner(coach)
    assert runner.equipment == ["dumbbells"] and runner.niggles == ["knee-front"]
    assert runner.lifting_experience == "some"


async def test_no_pain_in_passing_is_just_an_answer(coach: Coach):
    await coach.onboard_typing()
    await coach.send("no pain today")
    assert coach.last() == texts.NOT_UNDERSTOOD
