"""The runner's own rows: the runner (profile, week, settings), their plans, the session log,
the weekly step, this week's changes, the key-value store, pain reports and the calendar
feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.models import Equipment, Goal, PlacementPreference, Week
from storage.mapping import week_to_json
from storage.tables.columns import (
    UTCDateTime,
    created_at_column,
    json_column,
    runner_fk,
    updated_at_column,
)


def _default_week() -> list[dict[str, Any]]:
    return week_to_json(Week.all_rest())


class Runner(SQLModel, table=True):
    """One runner: who they are on Telegram, their profile, their week and their settings."""

    __tablename__ = "runner"
    __table_args__ = (sa.UniqueConstraint("telegram_user_id", name="uq_runner_telegram_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    chat_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    first_name: str = ""
    time_zone: str = "UTC"  # IANA name
    # Profile
    goal: str = Goal.NONE.value
    race_date: dt.date | None = None
    sessions_per_week: int = 2
    minutes: int = 25
    placement: str = PlacementPreference.EITHER.value
    equipment: list[str] = json_column(default_factory=lambda: [Equipment.NONE.value])
    niggles: list[str] = json_column(default_factory=list)
    # Areas sore right now (from the pain flow): sessions keep load off them until it clears.
    pain_areas: list[str] = Field(
        default_factory=list,
        sa_column=sa.Column(sa.JSON, nullable=False, server_default=sa.text("'[]'")),
    )
    # The usual week: 7 days of {"kind", "start" ("HH:MM" or null), "minutes"}, Monday first.
    week: list[dict[str, Any]] = json_column(default_factory=_default_week)
    # Reminders
    delay_minutes: int = 15
    morning_time: str = "07:00"
    strength_time: str = "18:00"  # strength on a day without a run
    reminders_off: list[str] = json_column(default_factory=list)  # reminder kinds turned off
    reminders_until: dt.date | None = None  # last local date with reminders in the outbox
    level: int = 0  # progression (core.progression bounds it)
    # The heavy block and the weekly step (docs/coaching.md, "Progression", "The heavy block").
    lifting_experience: str | None = None  # a core.models.LiftingExperience, asked once
    # Consent to a short session after a hard run when the week has no other room
    # (docs/coaching.md, "Hard days hard").
    hard_day_sessions: bool = Field(
        default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false())
    )
    heavy_block_start: dt.date | None = None  # the Monday the heavy block began
    first_week: dt.date | None = None  # the Monday of the runner's first week with the coach
    last_step_week: dt.date | None = None  # the Monday of the last week the level was stepped
    onboarded: bool = False
    active: bool = True  # false once the runner blocked the bot
    paused_until: dt.date | None = None
    pause_reason: str | None = None
    created_at: dt.datetime = created_at_column()
    updated_at: dt.datetime = updated_at_column()


class PlanRow(SQLModel, table=True):
    """A week of a runner's plan: `core.models.Plan` as JSON, one per (runner, week)."""

    __tablename__ = "plan"
    __table_args__ = (sa.UniqueConstraint("runner_id", "week_start", name="uq_plan_runner_week"),)

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = runner_fk()
    week_start: dt.date
    plan: dict[str, Any] = json_column(default_factory=dict)
    created_at: dt.datetime = created_at_column()
    updated_at: dt.datetime = updated_at_column()


class SessionLog(SQLModel, table=True):
    """What the runner did with a day's strength session (`SessionLogStatus`)."""

    __tablename__ = "session_log"
    __table_args__ = (sa.UniqueConstraint("runner_id", "date", name="uq_session_log_runner_date"),)

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = runner_fk()
    date: dt.date
    session_name: str
    status: str  # a SessionLogStatus
    feel: str | None = None  # a core.progression.Feel, the optional "How did it feel?"
    created_at: dt.datetime = created_at_column()
    updated_at: dt.datetime = updated_at_column()


class WeekStep(SQLModel, table=True):
    """The level step taken at the end of a week: one per (runner, week), taken once."""

    __tablename__ = "week_step"
    __table_args__ = (
        sa.UniqueConstraint("runner_id", "week_start", name="uq_week_step_runner_week"),
    )

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = runner_fk()
    week_start: dt.date  # the Monday of the week the step was worked out from
    level_before: int
    level_after: int
    reason: str  # the line the weekly summary gave for it
    outcome: dict[str, Any] = json_column(default_factory=dict)  # the core.progression.WeekOutcome
    created_at: dt.datetime = created_at_column()


class WeekChange(SQLModel, table=True):
    """This week's changes to the usual week (a `core.models.WeekChanges` as JSON): one row
    per (runner, week), for that week only; no changes, no row."""

    __tablename__ = "week_change"
    __table_args__ = (
        sa.UniqueConstraint("runner_id", "week_start", name="uq_week_change_runner_week"),
    )

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = runner_fk()
    week_start: dt.date  # the Monday of the week changed
    changes: dict[str, Any] = json_column(default_factory=dict)
    updated_at: dt.datetime = updated_at_column()


class KeyValue(SQLModel, table=True):
    """One JSON value per (namespace, key), such as a runner's open dialog.

    A value keyed by a runner's Telegram user or chat id is about that runner: it is exported
    and erased with them, whatever its namespace. Shared values use other keys.
    """

    __tablename__ = "kv"

    namespace: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    value: Any = json_column()
    updated_at: dt.datetime = updated_at_column()


class PainReport(SQLModel, table=True):
    """A pain report and what the coach advised."""

    __tablename__ = "pain_report"

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = runner_fk(index=True)
    created_at: dt.datetime = created_at_column()
    area: str
    score: int
    timing: str
    red_flag: str | None = None  # red-flag tier, when one was raised
    advice_level: str
    plan_change: dict[str, Any] | None = json_column(nullable=True)


class CalendarFeed(SQLModel, table=True):
    """A runner's private calendar address (docs/calendar.md): only the SHA-256 of the token
    in the address is kept, so the database never holds a working address. `feed_id` is a
    random name for the feed's event UIDs (never the runner's id); it stays across resets."""

    __tablename__ = "calendar_feed"

    runner_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("runner.id", ondelete="CASCADE"), primary_key=True
        )
    )
    token_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    feed_id: str = Field(sa_column=sa.Column(sa.String(32), nullable=False))
    created_at: dt.datetime = created_at_column()


class CalendarEvent(SQLModel, table=True):
    """What a feed's event last looked like (a digest of its content), its SEQUENCE and its
    LAST-MODIFIED: written only when the event's content changes (docs/calendar.md)."""

    __tablename__ = "calendar_event"
    __table_args__ = (
        sa.UniqueConstraint("runner_id", "uid", name="uq_calendar_event_runner_uid"),
    )

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = runner_fk()
    uid: str = Field(sa_column=sa.Column(sa.String(120), nullable=False))
    day: dt.date  # the event's first day: where a pause seen earlier started
    digest: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    sequence: int = 0
    modified: dt.datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
