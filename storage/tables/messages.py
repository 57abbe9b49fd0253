"""The messages' rows: the reminder outbox, the inbox of updates and the turns' replies
(docs/architecture.md, "Every update once", "Commit, then speak", "Reminders")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.columns import (
    ReminderStatus,
    ReplyStatus,
    UTCDateTime,
    created_at_column,
    json_column,
    runner_fk,
)


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
    runner_id: int = runner_fk()
    kind: str
    local_date: dt.date
    due_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    payload: dict[str, Any] = json_column(default_factory=dict)
    about: int = Field(
        default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default=sa.text("0"))
    )
    status: str = ReminderStatus.PENDING
    attempts: int = 0
    claimed_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    sent_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    retry_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    last_error: str | None = None
    created_at: dt.datetime = created_at_column()


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
    payload: dict[str, Any] = json_column(default_factory=dict)
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
    params: dict[str, Any] = json_column(default_factory=dict)
    status: str = ReplyStatus.PENDING
    created_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    claimed_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    # The process holding the claim (PostgreSQL: its advisory lock key; None: unknown, the
    # lease alone decides). A live process's replies are never taken over.
    claimed_by: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    sent_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    last_error: str | None = None
