"""Every inline keyboard the coach shows, built from the button codecs in `bot.callbacks`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot import texts
from bot.callbacks import (
    Change,
    ChangePress,
    DeleteChoice,
    DeletePress,
    DialogAnswer,
    FollowupPress,
    MovePress,
    PausePress,
    PicturePress,
    PlanDayPress,
    ReminderSetting,
    Setting,
    ThisWeekPress,
    TodayAction,
    TodayPress,
)
from bot.dialog.question import Prompt
from core import pain_content as content
from core.pain import Seen

Rows = Sequence[Sequence[tuple[str, str]]]  # (label, callback data), row by row

REMINDER_KIND_LABELS = {
    "strength": "Strength reminders",
    "morning": "Morning messages",
    "weekly": "Weekly summary",
}
DELAYS = (0, 15, 30, 60)
MORNINGS = ("06:00", "07:00", "08:00", "09:00")


def markup(rows: Rows) -> InlineKeyboardMarkup:
    """A keyboard from rows of (label, callback data)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def dialog(prompt: Prompt, step: str) -> InlineKeyboardMarkup | None:
    """A dialog question's buttons: each answers `step` with its value (None: no buttons)."""
    if not prompt.rows:
        return None
    return markup(
        [[(b.label, DialogAnswer(step, b.value).encode()) for b in row] for row in prompt.rows]
    )


def _today(action: TodayAction, day: dt.date) -> str:
    return TodayPress(action, day).encode()


def today(day: dt.date, recorded: str | None = None) -> InlineKeyboardMarkup:
    """Under /today's session: done, skip, snooze, pain, move; once it is `recorded` (done or
    skipped), only what still makes sense: pain, or done after all."""
    if recorded == "done":
        return markup([[("🩹 Pain", _today(TodayAction.PAIN, day))]])
    if recorded == "skipped":
        return markup(
            [
                [
                    ("✅ Done after all", _today(TodayAction.DONE, day)),
                    ("🩹 Pain", _today(TodayAction.PAIN, day)),
                ]
            ]
        )
    return markup(
        [
            [
                ("✅ Done", _today(TodayAction.DONE, day)),
                ("⏭ Skip", _today(TodayAction.SKIP, day)),
            ],
            [
                ("⏰ Snooze", _today(TodayAction.SNOOZE, day)),
                ("🩹 Pain", _today(TodayAction.PAIN, day)),
            ],
            [("📅 Move", MovePress(day).encode())],  # this week only
        ]
    )


def feel(day: dt.date) -> InlineKeyboardMarkup:
    """Under "How did it feel?", after a session is marked done (optional: it can be ignored)."""
    return markup(
        [
            [
                ("😌 Easy", _today(TodayAction.FEEL_EASY, day)),
                ("👌 About right", _today(TodayAction.FEEL_RIGHT, day)),
                ("🥵 Hard", _today(TodayAction.FEEL_HARD, day)),
            ]
        ]
    )


def change_recorded(day: dt.date, to: str, recorded: str) -> InlineKeyboardMarkup:
    """Before a recorded session's status changes: change it to `to`, or keep `recorded`."""
    return markup(
        [
            [
                (f"Yes, mark {to}", ChangePress(Change(to), day).encode()),
                (f"No, keep {recorded}", ChangePress(Change.KEEP, day).encode()),
            ]
        ]
    )


def plan_days(
    days: Sequence[tuple[str, dt.date]],
    *,
    change_week: bool = False,
    week: dt.date | None = None,
    week_app: str | None = None,
) -> InlineKeyboardMarkup | None:
    """Under /plan's overview: a button per strength day, showing that day's exercises, and
    with `change_week` (this week's plan) "Change this week" (`/thisweek`). "Picture" sends
    the week as an image: the week of `week`, else of the strength days. With `week_app`
    (the Mini App's address), "Open week" opens it."""
    rows: list[list[tuple[str, str]]] = []
    if days:
        rows.append([(label, PlanDayPress(day).encode()) for label, day in days])
    picture = week if week is not None else (days[0][1] if days else None)
    if picture is not None:
        rows.append([(texts.PICTURE_BUTTON, PicturePress(picture).encode())])
    if change_week:
        rows.append([("✏️ Change this week", ThisWeekPress().encode())])
    keyboard = list(markup(rows).inline_keyboard)
    if week_app:
        keyboard.append((InlineKeyboardButton(texts.WEBAPP_OPEN, web_app=WebAppInfo(week_app)),))
    return InlineKeyboardMarkup(keyboard) if keyboard else None


def move_days(day: dt.date, days: Sequence[tuple[str, dt.date]]) -> InlineKeyboardMarkup | None:
    """After Move: a button per day this week the session on `day` can move to."""
    if not days:
        return None
    return markup([[(label, MovePress(day, to).encode()) for label, to in days]])


def snooze(day: dt.date) -> InlineKeyboardMarkup:
    """The snooze times offered after Snooze."""
    return markup(
        [
            [
                ("30 min", _today(TodayAction.SNOOZE_30, day)),
                ("2 h", _today(TodayAction.SNOOZE_2H, day)),
                ("Tonight", _today(TodayAction.SNOOZE_EVENING, day)),
            ]
        ]
    )


def strength_reminder(day: dt.date) -> InlineKeyboardMarkup:
    """Under a strength reminder."""
    return markup(
        [
            [
                ("✅ Done", _today(TodayAction.DONE, day)),
                ("⏭ Skip", _today(TodayAction.SKIP, day)),
            ],
            [
                ("⏰ 30 min", _today(TodayAction.SNOOZE_30, day)),
                ("⏰ 2 h", _today(TodayAction.SNOOZE_2H, day)),
                ("🌙 Tonight", _today(TodayAction.SNOOZE_EVENING, day)),
            ],
            [("🩹 Pain", _today(TodayAction.PAIN, day))],
            [("📅 Move", MovePress(day).encode())],
        ]
    )


def checkin(day: dt.date) -> InlineKeyboardMarkup:
    """Under the morning check-in."""
    return markup(
        [
            [
                ("👍 No pain", _today(TodayAction.NO_PAIN, day)),
                ("🩹 Pain", _today(TodayAction.PAIN, day)),
            ]
        ]
    )


def pain_check(day: dt.date) -> InlineKeyboardMarkup:
    """For a message that may be a symptom: shall we do the pain check?"""
    return markup(
        [
            [
                (content.MAYBE_YES, _today(TodayAction.PAIN, day)),
                (content.MAYBE_NO, _today(TodayAction.CARRY_ON, day)),
            ]
        ]
    )


def followup_rows(day: dt.date, *, asks_seen: bool) -> list[list[tuple[str, str]]]:
    """The morning follow-up's buttons as rows: "have you been seen?" or a score, then new
    symptoms (rows, because `bot.reminders` lays them out itself)."""
    new_row = [(content.NEW_SYMPTOMS, FollowupPress.of_new(day).encode())]
    if asks_seen:
        return [
            [(content.SEEN_CLEARED, FollowupPress.of_seen(Seen.CLEARED, day).encode())],
            [(content.SEEN_REHAB, FollowupPress.of_seen(Seen.REHAB, day).encode())],
            [(content.NOT_SEEN, FollowupPress.of_seen(Seen.NOT_YET, day).encode())],
            new_row,
        ]
    return [
        [(str(n), FollowupPress.of_score(n, day).encode()) for n in range(0, 6)],
        [(str(n), FollowupPress.of_score(n, day).encode()) for n in range(6, 11)],
        new_row,
    ]


def pause() -> InlineKeyboardMarkup:
    """/pause's choices."""
    return markup(
        [
            [("1 week", PausePress(7).encode()), ("2 weeks", PausePress(14).encode())],
            [("Until I say /resume", PausePress(None).encode())],
            [("🤒 I'm ill", PausePress(None, ill=True).encode())],
        ]
    )


def reminder_settings(off: Sequence[str]) -> InlineKeyboardMarkup:
    """/reminders' buttons: the delay after a run, the morning time, each kind on or off
    (`off`: the kinds turned off)."""
    return markup(
        [
            [(f"+{m} min", ReminderSetting(Setting.DELAY, str(m)).encode()) for m in DELAYS],
            [(t, ReminderSetting(Setting.MORNING, t).encode()) for t in MORNINGS],
            [
                (
                    ("🔕 " if kind in off else "🔔 ") + label,
                    ReminderSetting(Setting.TOGGLE, kind).encode(),
                )
                for kind, label in REMINDER_KIND_LABELS.items()
            ],
        ]
    )


def delete_confirm() -> InlineKeyboardMarkup:
    """/delete's confirmation."""
    return markup(
        [
            [
                ("Yes, erase everything", DeletePress(DeleteChoice.ERASE).encode()),
                ("No, keep it", DeletePress(DeleteChoice.KEEP).encode()),
            ]
        ]
    )
