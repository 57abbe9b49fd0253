"""SQLModel tables: the schema Alembic migrates to, with the statuses stored in it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

from core.models import Equipment, Goal, PlacementPreference, Week

# The mapping between rows and domain models lives in `storage.mapping`; still importable
# from here, where its callers import it.
from storage.mapping import apply_profile as apply_profile
from storage.mapping import apply_week as apply_week
from storage.mapping import day_from_json as day_from_json
from storage.mapping import day_to_json as day_to_json
from storage.mapping import runner_profile as runner_profile
from storage.mapping import runner_week as runner_week
from storage.mapping import week_to_json as week_to_json


class ReminderStatus(StrEnum):
    """Where a row of the reminder outbox stands."""

    PENDING = "pending"  # waiting to fall due (or for its `retry_at`)
    CLAIMED = "claimed"  # taken by a dispatcher, on its way
    SENT = "sent"
    EXPIRED = "expired"  # found too late to be worth sending
    CANCELLED = "cancelled"  # no longer wanted: rebuilt, paused, or the runner is gone
    UNKNOWN = "unknown"  # the send timed out after leaving: it may have arrived, never resent
    FAILED = "failed"  # gave up on it


class ReplyStatus(StrEnum):
    """Where a reply of a turn stands."""

    PENDING = "pending"  # written with its turn, not yet sent
    SENT = "sent"
    FAILED = "failed"


class SessionLogStatus(StrEnum):
    """What the runner did with a day's strength session."""

    DONE = "done"
    SKIPPED = "skipped"


# The status columns stay plain strings (a StrEnum annotation would make SQLModel declare an
# SQL ENUM type); the members are those strings, so they compare equal to what is read back.


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no offset)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: storage keeps aware UTC datetimes")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _created_at() -> Any:
    return Field(
        default_factory=utcnow,
        sa_column=sa.Column(UTCDateTime(), nullable=False, default=utcnow),
    )


def _updated_at() -> Any:
    return Field(
        default_factory=utcnow,
        sa_column=sa.Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow),
    )


def _runner_fk(*, index: bool = False) -> Any:
    # Tables whose unique key starts with runner_id need no index of their own.
    return Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("runner.id", ondelete="CASCADE"),
            nullable=False,
            index=index,
        )
    )


def _json(*, nullable: bool = False, default_factory: Any = None) -> Any:
    if default_factory is None:
        return Field(default=None, sa_column=sa.Column(sa.JSON, nullable=nullable))
    return Field(default_factory=default_factory, sa_column=sa.Column(sa.JSON, nullable=nullable))


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
    equipment: list[str] = _json(default_factory=lambda: [Equipment.NONE.value])
    niggles: list[str] = _json(default_factory=list)
    # Areas sore right now (from the pain flow): sessions keep load off them until it clears.
    pain_areas: list[str] = Field(
        default_factory=list,
        sa_column=sa.Column(sa.JSON, nullable=False, server_default=sa.text("'[]'")),
    )
    # The usual week: 7 days of {"kind", "start" ("HH:MM" or null), "minutes"}, Monday first.
    week: list[dict[str, Any]] = _json(default_factory=_default_week)
    # Reminders
    delay_minutes: int = 15
    morning_time: str = "07:00"
    strength_time: str = "18:00"  # strength on a day without a run
    reminders_off: list[str] = _json(default_factory=list)  # reminder kinds turned off
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
    created_at: dt.datetime = _created_at()
    updated_at: dt.datetime = _updated_at()


class PlanRow(SQLModel, table=True):
    """A week of a runner's plan: `core.models.Plan` as JSON, one per (runner, week)."""

    __tablename__ = "plan"
    __table_args__ = (sa.UniqueConstraint("runner_id", "week_start", name="uq_plan_runner_week"),)

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = _runner_fk()
    week_start: dt.date
    plan: dict[str, Any] = _json(default_factory=dict)
    created_at: dt.datetime = _created_at()
    updated_at: dt.datetime = _updated_at()


class SessionLog(SQLModel, table=True):
    """What the runner did with a day's strength session (`SessionLogStatus`)."""

    __tablename__ = "session_log"
    __table_args__ = (sa.UniqueConstraint("runner_id", "date", name="uq_session_log_runner_date"),)

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = _runner_fk()
    date: dt.date
    session_name: str
    status: str  # a SessionLogStatus
    feel: str | None = None  # a core.progression.Feel, the optional "How did it feel?"
    created_at: dt.datetime = _created_at()
    updated_at: dt.datetime = _updated_at()


class WeekStep(SQLModel, table=True):
    """The level step taken at the end of a week: one per (runner, week), taken once."""

    __tablename__ = "week_step"
    __table_args__ = (
        sa.UniqueConstraint("runner_id", "week_start", name="uq_week_step_runner_week"),
    )

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = _runner_fk()
    week_start: dt.date  # the Monday of the week the step was worked out from
    level_before: int
    level_after: int
    reason: str  # the line the weekly summary gave for it
    outcome: dict[str, Any] = _json(default_factory=dict)  # the core.progression.WeekOutcome
    created_at: dt.datetime = _created_at()


class WeekChange(SQLModel, table=True):
    """This week's changes to the usual week (a `core.models.WeekChanges` as JSON): one row
    per (runner, week), for that week only; no changes, no row."""

    __tablename__ = "week_change"
    __table_args__ = (
        sa.UniqueConstraint("runner_id", "week_start", name="uq_week_change_runner_week"),
    )

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = _runner_fk()
    week_start: dt.date  # the Monday of the week changed
    changes: dict[str, Any] = _json(default_factory=dict)
    updated_at: dt.datetime = _updated_at()


class KeyValue(SQLModel, table=True):
    """One JSON value per (namespace, key), such as a runner's open dialog.

    A value keyed by a runner's Telegram user or chat id is about that runner: it is exported
    and erased with them, whatever its namespace. Shared values use other keys.
    """

    __tablename__ = "kv"

    namespace: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    value: Any = _json()
    updated_at: dt.datetime = _updated_at()


class Reminder(SQLModel, table=True):
    """The reminder outbox: one row per message to send."""

    __tablename__ = "reminder"
    __table_args__ = (
        # `about`: the runner a coach's alert is about (0 for a runner's own reminders), so
        # two runners' red flags on one day are two alerts (docs/coaching_mode.md).
        sa.UniqueConstraint(
            "runner_id", "kind", "local_date", "about", name="uq_reminder_runner_kind_date_about"
        ),
        sa.Index("ix_reminder_status_due_at", "status", "due_at"),
        # A runner's pending rows (rebuilds, cancels): without it SQLite walks the index
        # above through every runner's pending rows.
        sa.Index("ix_reminder_runner_status_due_at", "runner_id", "status", "due_at"),
        # The claim: one range per kind, in deadline order (sending windows, migration 0012).
        sa.Index("ix_reminder_status_kind_due_at", "status", "kind", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = _runner_fk()
    kind: str
    local_date: dt.date
    due_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    payload: dict[str, Any] = _json(default_factory=dict)
    about: int = Field(
        default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default=sa.text("0"))
    )
    status: str = ReminderStatus.PENDING
    attempts: int = 0
    claimed_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    sent_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    retry_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    last_error: str | None = None
    created_at: dt.datetime = _created_at()


class InboxUpdate(SQLModel, table=True):
    """The inbox: every update from Telegram, stored before it is acknowledged.

    `handled_at` is set in the transaction that handles the update, so an update is handled
    once however often Telegram delivers it and whenever the process dies.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        # What is left to handle, per user and in order: a small partial index.
        sa.Index(
            "ix_inbox_unhandled",
            "user_id",
            "update_id",
            sqlite_where=sa.text("handled_at IS NULL"),
            postgresql_where=sa.text("handled_at IS NULL"),
        ),
        sa.Index("ix_inbox_received_at", "received_at"),
    )

    update_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False)
    )
    user_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    payload: dict[str, Any] = _json(default_factory=dict)
    received_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    handled_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    attempts: int = 0
    last_error: str | None = None


class Reply(SQLModel, table=True):
    """What a turn says (messages, edits, answers to button presses), written in the turn's
    transaction and sent after it commits. No foreign key: the reply to /delete outlives
    the runner it was for."""

    __tablename__ = "reply"
    __table_args__ = (
        sa.Index(
            "ix_reply_unsent",
            "claimed_at",
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
        sa.Index("ix_reply_chat", "chat_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    update_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    chat_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    method: str
    params: dict[str, Any] = _json(default_factory=dict)
    status: str = ReplyStatus.PENDING
    created_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    claimed_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    # The process holding the claim (PostgreSQL: its advisory lock key; None: unknown, the
    # lease alone decides). A live process's replies are never taken over.
    claimed_by: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    sent_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    last_error: str | None = None


class PainReport(SQLModel, table=True):
    """A pain report and what the coach advised."""

    __tablename__ = "pain_report"

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = _runner_fk(index=True)
    created_at: dt.datetime = _created_at()
    area: str
    score: int
    timing: str
    red_flag: str | None = None  # red-flag tier, when one was raised
    advice_level: str
    plan_change: dict[str, Any] | None = _json(nullable=True)


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
    created_at: dt.datetime = _created_at()


class CalendarEvent(SQLModel, table=True):
    """What a feed's event last looked like (a digest of its content), its SEQUENCE and its
    LAST-MODIFIED: written only when the event's content changes (docs/calendar.md)."""

    __tablename__ = "calendar_event"
    __table_args__ = (
        sa.UniqueConstraint("runner_id", "uid", name="uq_calendar_event_runner_uid"),
    )

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = _runner_fk()
    uid: str = Field(sa_column=sa.Column(sa.String(120), nullable=False))
    day: dt.date  # the event's first day: where a pause seen earlier started
    digest: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    sequence: int = 0
    modified: dt.datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


# --- coach and physio mode (docs/coaching_mode.md) ------------------------------------------


class CoachRow(SQLModel, table=True):
    """A Telegram user the operator named a coach with `runcoach coach add` (the setting
    COACH_USER_IDS names more)."""

    __tablename__ = "coach"

    telegram_user_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False)
    )
    created_at: dt.datetime = _created_at()


class CoachInvite(SQLModel, table=True):
    """An invite link a coach handed out: only the token's SHA-256 is kept. Single-use
    (`used_at`), expiring (`expires_at`) and revocable (`revoked_at`). `runner_id` is the
    coach's own runner row."""

    __tablename__ = "coach_invite"
    __table_args__ = (sa.UniqueConstraint("token_hash", name="uq_coach_invite_token_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = _runner_fk(index=True)
    token_hash: str
    created_at: dt.datetime = _created_at()
    expires_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    used_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    revoked_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))


class ShareLink(SQLModel, table=True):
    """A runner (`runner_id`) shares their plan, adherence and pain reports with a coach
    (`coach_id`, the coach's runner row); no row, nothing shared."""

    __tablename__ = "share_link"
    __table_args__ = (
        sa.UniqueConstraint("runner_id", "coach_id", name="uq_share_link_runner_coach"),
    )

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = _runner_fk()
    coach_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("runner.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    created_at: dt.datetime = _created_at()


class ShareLog(SQLModel, table=True):
    """Who saw what of a runner's data, and when: one row per item shown or sent to a coach
    (the roster, the detail view, an alert), and the runner's own Share and Stop sharing."""

    __tablename__ = "share_log"

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = _runner_fk(index=True)
    coach_user_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    coach_name: str = ""
    what: str
    created_at: dt.datetime = _created_at()


class CoachNote(SQLModel, table=True):
    """A coach's note on a runner's week, shown in the runner's /plan."""

    __tablename__ = "coach_note"
    __table_args__ = (
        sa.UniqueConstraint(
            "runner_id", "coach_id", "week_start", name="uq_coach_note_runner_coach_week"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = _runner_fk()
    coach_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("runner.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    week_start: dt.date
    text: str
    updated_at: dt.datetime = _updated_at()
