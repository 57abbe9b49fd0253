"""/today says what was recorded and offers only the buttons that still make sense; a second
press says what was recorded, a change is asked about first, a done session is not snoozed;
/reminders confirms each press and mentions a pause."""

from __future__ import annotations

import datetime as dt

from bot import texts
from tests.bot.conftest import Clock, Coach


async def sunday_strength(coach: Coach, clock: Clock) -> None:
    await coach.onboard_typing()
    clock.now = clock.now.replace(day=29, hour=11)  # Sunday 11:00 in London: a strength day


async def test_today_shows_the_status_and_only_the_buttons_that_make_sense(coach, clock):
    await sunday_strength(coach, clock)
    await coach.send("/today")
    assert coach.labels() == ["✅ Done", "⏭ Skip", "⏰ Snooze", "🩹 Pain", "📅 Move"]
    clock.now = clock.now.replace(minute=5)
    await coach.tap("✅ Done")
    assert coach.texts()[-2] == texts.LOGGED_DONE
    assert coach.labels() == ["😌 Easy", "👌 About right", "🥵 Hard"]  # how did it feel?
    clock.now = clock.now.replace(hour=18, minute=40)
    await coach.send("/today")
    assert coach.last().startswith("✅ Done at 11:05.\nToday, Sunday")
    assert coach.labels() == ["🩹 Pain"]


async def test_a_second_press_says_what_was_recorded_and_a_change_is_asked_first(coach, clock):
    await sunday_strength(coach, clock)
    await coach.send("/today")
    await coach.tap("✅ Done")
    await coach.tap("✅ Done")  # the same button again, on the same message
    assert coach.last() == "Already logged: done at 11:00. Nothing changed."
    await coach.tap("⏭ Skip")
    assert coach.last() == "You logged today's session as done at 11:00. Change it to skipped?"
    assert coach.labels() == ["Yes, mark skipped", "No, keep done"]
    await coach.tap("No, keep done")
    assert coach.last() == "Kept: done at 11:00."
    await coach.tap("⏭ Skip")
    await coach.tap("Yes, mark skipped")
    assert coach.last() == "Changed: now logged as skipped."
    await coach.send("/today")
    assert coach.last().startswith("⏭ Skipped.\nToday, Sunday")
    assert coach.labels() == ["✅ Done after all", "🩹 Pain"]
    await coach.tap("✅ Done after all")
    assert coach.last() == "You logged today's session as skipped. Change it to done?"


async def test_a_done_session_is_not_snoozed(coach, clock):
    await sunday_strength(coach, clock)
    await coach.send("/today")
    await coach.tap("✅ Done")
    for button in ("⏰ Snooze", "✅ Done"):  # the old /today message's buttons
        await coach.tap(button)
    await coach.tap("⏰ Snooze")
    refused = (
        "That session is already logged (done at 11:00), so there's nothing to remind you of."
    )
    assert coach.last().startswith(refused)
    await coach.send("snooze")
    assert coach.last().startswith(refused)


async def test_done_skip_and_snooze_typed_after_today(coach, clock):
    await sunday_strength(coach, clock)
    await coach.send("/today")
    await coach.send("snooze")
    assert coach.last() == texts.SNOOZE_CHOICES
    await coach.tap("30 min")
    await coach.send("/today")
    assert coach.last().startswith("⏰ Snoozed until 11:30.\nToday, Sunday")
    assert coach.labels() == ["✅ Done", "⏭ Skip", "⏰ Snooze", "🩹 Pain", "📅 Move"]
    await coach.send("Done!")
    assert coach.texts()[-2] == texts.LOGGED_DONE
    await coach.tap("👌 About right")  # the feel answered, "skip" is about the session again
    await coach.send("skip")
    assert coach.last() == "You logged today's session as done at 11:00. Change it to skipped?"


async def test_done_typed_on_a_day_without_strength(coach, clock):
    await coach.onboard_typing()
    clock.now = clock.now.replace(day=28)  # Saturday: the long run, no strength
    await coach.send("done")
    assert coach.last() == texts.NO_SESSION_TODAY


async def test_reminders_buttons_confirm_and_a_pause_is_mentioned(coach, clock):
    await coach.onboard_typing()
    await coach.send("/reminders")
    await coach.tap("+30 min")
    assert coach.last() == "✓ Strength reminders now come 30 min after your run ends."
    await coach.tap("08:00")
    assert coach.last() == "✓ Morning message now at 08:00."
    await coach.tap("🔔 Weekly summary")
    assert coach.last() == "✓ Weekly summary off."
    await coach.send("/pause")
    await coach.tap("1 week")
    await coach.send("/reminders")
    assert coach.last().startswith(
        "⏸ Reminders are paused until Thursday 03 December. /resume brings them back.\n"
        "Coming up after the pause:\n• Fri 04 Dec 08:00: morning message"
    )
    await coach.send("/resume")
    await coach.send("/reminders")
    assert not coach.last().startswith("⏸")


async def test_plan_is_a_short_week_overview_with_a_button_per_strength_day(coach, clock):
    friday = clock.now
    clock.now = friday - dt.timedelta(days=4)  # joined on Monday: a whole first week
    await coach.onboard_typing()
    clock.now = friday
    await coach.send("/plan")
    overview = coach.last()
    assert len(overview) < 1200, len(overview)
    assert "Sun 29 · easy run 09:00 · 💪 Strength B, 25 min" in overview
    assert "•" not in overview  # no exercises: they are a tap away
    assert coach.labels() == ["💪 Wed 25", "💪 Sun 29", "🖼 Picture", "✏️ Change this week"]
    await coach.tap("💪 Sun 29")
    assert "•" in coach.last() and "Why here" in coach.last()
