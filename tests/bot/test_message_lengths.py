"""Messages that fit a phone: every message a runner receives in the README's worked example
and in a gym week stays short, and says each note once (docs/architecture.md, "Rendering")."""

from __future__ import annotations

import datetime as dt
import re

from bot import texts
from bot.reminders import dispatch_due
from tests.bot.conftest import Clock, Coach
from tests.bot.test_reminders import next_due

OVERVIEW_CAP = 1_200  # a week at a glance
MESSAGE_CAP = 1_600  # anything else: a day, a reminder, an answer
# Off-season, a gym, four sessions of 45 minutes asked: the longest sessions and week notes.
GYM_WEEK = (
    "Mon rest, Tue easy 07:00, Wed rest, Thu easy 07:00, Fri rest, Sat easy 08:00, Sun long 09:00"
)
GYM_SETUP = (
    "/start",
    "no race",
    GYM_WEEK,
    "4",
    "45",
    "after runs",
    "gym",
    "some",  # lifting experience: off-season with a gym
    "Europe/London",
    "none",
    "yes",
)
DAY_LINE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d · ", re.MULTILINE)

# The runner joins on a Monday, so the first week is whole.
JOINED_MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def is_overview(text: str) -> bool:
    return len(DAY_LINE.findall(text)) == 7


def repeated(text: str) -> list[str]:
    """Sentences said twice in one message (a note under every session, say)."""
    seen: set[str] = set()
    twice = []
    for line in text.splitlines():
        line = line.strip().removeprefix("ℹ️").strip()
        if len(line) < 30:
            continue
        if line in seen:
            twice.append(line)
        seen.add(line)
    return twice


def check(messages: list[str]) -> None:
    """Each message under its cap, no note said twice in it."""
    for text in messages:
        cap = OVERVIEW_CAP if is_overview(text) else MESSAGE_CAP
        assert len(text) <= cap, f"{len(text)} characters:\n{text}"
        assert not repeated(text), repeated(text)


async def tap_every_day(coach: Coach) -> list[str]:
    """Each strength day's button under the overview just sent: that day's messages."""
    others = ("✏️ Change this week", texts.PICTURE_BUTTON)
    days = [label for label in coach.labels() if label not in others]
    assert days and all(label.startswith("💪 ") for label in days)
    views = []
    for label in days:
        before = len(coach.texts())
        await coach.tap(label)  # on the overview: the newest message with that button
        [view] = coach.texts()[before:]  # one message a day
        views.append(view)
    return views


async def a_week_of_reminders(coach: Coach, clock: Clock) -> list[str]:
    """Move the clock through the next eight days, dispatching each reminder when due."""
    start, end = clock.now, clock.now + dt.timedelta(days=8)
    seen = len(coach.texts())
    now = start
    while (due := await next_due(coach, now)) is not None and due <= end:
        clock.now = due
        await dispatch_due(coach.app, now=due)
        now = due
    return coach.texts()[seen:]


async def test_the_worked_example_fits_a_phone(coach: Coach, clock: Clock):
    clock.now = JOINED_MONDAY  # a whole first week (tests/bot/test_first_week.py: mid-week)
    await coach.onboard_typing()
    setup = coach.texts()
    end = setup[setup.index(texts.SETUP_DONE) + 1]
    assert is_overview(end) and "Why here" not in end  # the overview, not the whole week
    assert coach.labels() == ["💪 Wed 25", "💪 Sun 29", texts.PICTURE_BUTTON]
    days = await tap_every_day(coach)
    assert all("Why here:" in view and "•" in view for view in days)
    await coach.send("/plan")
    plan = coach.last()
    assert is_overview(plan)
    days += await tap_every_day(coach)
    await coach.send("/settings")
    await coach.send("minutes")
    await coach.send("30")
    changed = coach.last()
    assert changed.startswith(texts.SETTINGS_SAVED)
    assert "Wednesday: now Strength A (light), 30 min (was Strength A (light), 25 min)." in changed
    assert "Sunday: now Strength B, 30 min" in changed and not is_overview(changed)
    reminders = await a_week_of_reminders(coach, clock)
    assert any(r.startswith("💪 Time for") for r in reminders)  # a strength reminder
    assert any(r.startswith("Good morning!") for r in reminders)  # the morning message
    weekly = [r for r in reminders if texts.WEEKLY_NEXT in r]
    assert weekly and all(is_overview(w) for w in weekly)
    check(coach.texts())
    print(f"\nworked example: setup end {len(end)}, /plan {len(plan)}, ", end="")
    print(f"longest day {max(map(len, days))}, weekly {max(map(len, weekly))}")


async def test_a_gym_week_fits_a_phone(coach: Coach, clock: Clock):
    clock.now = JOINED_MONDAY  # a whole first week (tests/bot/test_first_week.py: mid-week)
    for answer in GYM_SETUP:
        await coach.send(answer)
    setup = coach.texts()
    end = setup[setup.index(texts.SETUP_DONE) + 1]
    assert is_overview(end)
    # Four asked, three fit: the full reason once, at the end of setup.
    assert "You asked for 4 sessions, but only 3 fit this week" in end
    days = await tap_every_day(coach)
    await coach.send("/plan")
    plan = coach.last()
    assert "3 of the 4 sessions you asked for fit." in plan  # every week: one line
    assert "You asked for 4" not in plan
    # A time-zone change: the new zone and the next reminder, not the whole week again.
    await coach.send("/settings")
    await coach.send("time zone")
    await coach.send("Berlin")
    zone = coach.last()
    assert f"Saved. {texts.PLAN_UNCHANGED}" in zone and "Europe/Berlin" in zone
    assert "Next: " in zone and not is_overview(zone)
    reminders = await a_week_of_reminders(coach, clock)
    weekly = [r for r in reminders if texts.WEEKLY_NEXT in r]
    assert weekly and all("3 of the 4 sessions you asked for fit." in w for w in weekly)
    # Weeks later, in the heavy block: its guidance once in the overview, once in a day.
    clock.now += dt.timedelta(weeks=5)  # week 6 of the block: heavy lifts
    await coach.send("/plan")
    heavy = coach.last()
    assert "(heavy)" in heavy and is_overview(heavy)
    days += await tap_every_day(coach)
    check(coach.texts())
    print(
        f"\ngym week: setup end {len(end)}, /plan {len(plan)}, heavy /plan {len(heavy)}, ", end=""
    )
    print(f"longest day {max(map(len, days))}, weekly {max(map(len, weekly))}")
