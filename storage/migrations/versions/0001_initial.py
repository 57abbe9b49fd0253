"""Initial schema: runner, plan, session_log, conversation_state, kv, reminder, pain_report.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Types are spelled with plain SQLAlchemy types so that this file never changes when the
models do: timestamps are `DateTime(timezone=True)` (timestamptz on PostgreSQL; on SQLite
`storage.tables.UTCDateTime` stores UTC and reads it back as aware UTC).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _runner_id() -> sa.Column[int]:
    return sa.Column(
        "runner_id",
        sa.Integer(),
        sa.ForeignKey("runner.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "runner",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("first_name", sa.String(), nullable=False),
        sa.Column("time_zone", sa.String(), nullable=False),
        sa.Column("goal", sa.String(), nullable=False),
        sa.Column("race_date", sa.Date(), nullable=True),
        sa.Column("sessions_per_week", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("placement", sa.String(), nullable=False),
        sa.Column("equipment", sa.JSON(), nullable=False),
        sa.Column("niggles", sa.JSON(), nullable=False),
        sa.Column("week", sa.JSON(), nullable=False),
        sa.Column("delay_minutes", sa.Integer(), nullable=False),
        sa.Column("morning_time", sa.String(), nullable=False),
        sa.Column("strength_time", sa.String(), nullable=False),
        sa.Column("reminders_off", sa.JSON(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("onboarded", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("pause_reason", sa.String(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.UniqueConstraint("telegram_user_id", name="uq_runner_telegram_user_id"),
    )
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner_id(),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.UniqueConstraint("runner_id", "week_start", name="uq_plan_runner_week"),
    )
    op.create_table(
        "session_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner_id(),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("session_name", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.UniqueConstraint("runner_id", "date", name="uq_session_log_runner_date"),
    )
    op.create_table(
        "conversation_state",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("state", sa.JSON(), nullable=False),
        _timestamp("updated_at"),
    )
    op.create_table(
        "kv",
        sa.Column("namespace", sa.String(), primary_key=True),
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        _timestamp("updated_at"),
    )
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner_id(),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        _timestamp("due_at"),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _timestamp("claimed_at", nullable=True),
        _timestamp("sent_at", nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        _timestamp("created_at"),
        sa.UniqueConstraint(
            "runner_id", "kind", "local_date", name="uq_reminder_runner_kind_date"
        ),
    )
    op.create_index("ix_reminder_status_due_at", "reminder", ["status", "due_at"])
    op.create_table(
        "pain_report",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner_id(),
        _timestamp("created_at"),
        sa.Column("area", sa.String(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("timing", sa.String(), nullable=False),
        sa.Column("red_flag", sa.String(), nullable=True),
        sa.Column("advice_level", sa.String(), nullable=False),
        sa.Column("plan_change", sa.JSON(), nullable=True),
    )
    op.create_index("ix_pain_report_runner_id", "pain_report", ["runner_id"])


def downgrade() -> None:
    op.drop_index("ix_pain_report_runner_id", table_name="pain_report")
    op.drop_table("pain_report")
    op.drop_index("ix_reminder_status_due_at", table_name="reminder")
    op.drop_table("reminder")
    op.drop_table("kv")
    op.drop_table("conversation_state")
    op.drop_table("session_log")
    op.drop_table("plan")
    op.drop_table("runner")
