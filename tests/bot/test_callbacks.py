"""The button protocol: each codec's data is what buttons on runners' screens already carry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot import keyboards
from bot.callbacks import (
    DeleteChoice,
    DeletePress,
    DialogAnswer,
    FollowupPress,
    MovePress,
    PausePress,
    ReminderSetting,
    Setting,
    ThisWeekPress,
    TodayAction,
    TodayPress,
)
from bot.dialog.question import Button, Prompt
from core.pain import Seen

DAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("press", "data"),
    [
        (DialogAnswer("goal", "5k"), "q:goal:5k"),
        (DialogAnswer("time1", "06:00"), "q:time1:06:00"),
        (TodayPress(TodayAction.DONE, DAY), "t:done:2026-11-27"),
        (TodayPress(TodayAction.SNOOZE_30, DAY), "t:z30:2026-11-27"),
        (TodayPress(TodayAction.SNOOZE_EVENING, DAY), "t:zeve:2026-11-27"),
        (TodayPress(TodayAction.NO_PAIN, DAY), "t:ok:2026-11-27"),
        (TodayPress(TodayAction.CARRY_ON, DAY), "t:carryon:2026-11-27"),
        (TodayPress(TodayAction.FEEL_EASY, DAY), "t:easy:2026-11-27"),
        (TodayPress(TodayAction.FEEL_RIGHT, DAY), "t:right:2026-11-27"),
        (TodayPress(TodayAction.FEEL_HARD, DAY), "t:hard:2026-11-27"),
        (FollowupPress.of_score(7, DAY), "f:7:2026-11-27"),
        (FollowupPress.of_seen(Seen.NOT_YET, DAY), "f:not-seen:2026-11-27"),
        (FollowupPress.of_new(DAY), "f:new:2026-11-27"),
        (ReminderSetting(Setting.DELAY, "15"), "m:delay:15"),
        (ReminderSetting(Setting.MORNING, "07:00"), "m:morning:07:00"),
        (ReminderSetting(Setting.TOGGLE, "weekly"), "m:toggle:weekly"),
        (PausePress(7), "p:7"),
        (PausePress(None), "p:open"),
        (PausePress(None, ill=True), "p:ill"),
        (DeletePress(DeleteChoice.ERASE), "x:erase"),
        (MovePress(DAY), "mv:2026-11-27"),
        (MovePress(DAY, DAY + dt.timedelta(days=2)), "mv:2026-11-27:2026-11-29"),
        (ThisWeekPress(), "tw:change"),
    ],
)
def test_each_codec_writes_todays_strings_and_reads_them_back(press, data):
    assert press.encode() == data
    assert type(press).parse(data) == press
    assert type(press).pattern.match(data)


@pytest.mark.parametrize(
    ("codec", "data"),
    [
        (TodayPress, "t:done:not-a-date"),
        (TodayPress, "t:fly:2026-11-27"),
        (TodayPress, "q:done:2026-11-27"),
        (ReminderSetting, "m:delay:soon"),
        (ReminderSetting, "m:morning:7am"),
        (ReminderSetting, "m:volume:11"),
        (DeletePress, "x:maybe"),
        (DialogAnswer, "t:goal:5k"),
        (MovePress, "mv:2026-11-27:friday"),
        (MovePress, "m:delay:15"),
        (ReminderSetting, "mv:2026-11-27"),
        (ThisWeekPress, "tw:other"),
    ],
)
def test_data_that_is_not_the_kind_reads_as_none(codec, data):
    assert codec.parse(data) is None


def test_followup_presses_read_as_a_score_a_seen_or_new():
    assert FollowupPress.parse("f:10:2026-11-27").score == 10
    assert FollowupPress.parse("f:11:2026-11-27").score is None
    assert FollowupPress.parse("f:cleared:2026-11-27").seen is Seen.CLEARED
    assert FollowupPress.parse("f:new:2026-11-27").new


def test_the_reminders_buttons_carry_the_data_sent_since_the_first_release():
    # Reminders already in runners' chats carry these strings; a press must still be read.
    def data(board: Any) -> list[list[str]]:
        return [[b["callback_data"] for b in row] for row in board.to_dict()["inline_keyboard"]]

    d = DAY.isoformat()
    assert data(keyboards.strength_reminder(DAY)) == [
        [f"t:done:{d}", f"t:skip:{d}"],
        [f"t:z30:{d}", f"t:z120:{d}", f"t:zeve:{d}"],
        [f"t:pain:{d}"],
        [f"mv:{d}"],  # added with Move: the rows above are unchanged
    ]
    assert data(keyboards.checkin(DAY)) == [[f"t:ok:{d}", f"t:pain:{d}"]]


def test_every_keyboards_data_fits_telegrams_64_bytes():
    boards = [
        keyboards.dialog(Prompt("?", ((Button("x", "Europe/London"),),)), "timezone"),
        keyboards.today(DAY),
        keyboards.snooze(DAY),
        keyboards.feel(DAY),
        keyboards.pain_check(DAY),
        keyboards.pause(),
        keyboards.reminder_settings(["weekly"]),
        keyboards.delete_confirm(),
        keyboards.move_days(DAY, [("Sun 29", DAY + dt.timedelta(days=2))]),
        keyboards.plan_days([("💪 Fri 27", DAY)], change_week=True),
        keyboards.markup(keyboards.followup_rows(DAY, asks_seen=True)),
        keyboards.markup(keyboards.followup_rows(DAY, asks_seen=False)),
    ]
    for board in boards:
        assert board is not None
        for row in board.inline_keyboard:
            for button in row:
                assert button.callback_data is not None
                assert len(str(button.callback_data).encode()) <= 64
