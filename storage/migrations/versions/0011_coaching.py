"""Coach and physio mode (docs/coaching_mode.md): coaches, their invites, share links, the
share log and coach notes; and `reminder.about`, the runner a coach's alert is about, in the
outbox's unique key so two runners' alerts on one day are two rows.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _runner(name: str) -> sa.Column[int]:
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey("runner.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "coach",
        sa.Column("telegram_user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        _timestamp("created_at"),
    )
    op.create_table(
        "coach_invite",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner("runner_id"),
        sa.Column("token_hash", sa.String(), nullable=False),
        _timestamp("created_at"),
        _timestamp("expires_at"),
        _timestamp("used_at", nullable=True),
        _timestamp("revoked_at", nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_coach_invite_token_hash"),
    )
    op.create_index("ix_coach_invite_runner_id", "coach_invite", ["runner_id"])
    op.create_table(
        "share_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner("runner_id"),
        _runner("coach_id"),
        _timestamp("created_at"),
        sa.UniqueConstraint("runner_id", "coach_id", name="uq_share_link_runner_coach"),
    )
    op.create_index("ix_share_link_coach_id", "share_link", ["coach_id"])
    op.create_table(
        "share_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner("runner_id"),
        sa.Column("coach_user_id", sa.BigInteger(), nullable=False),
        sa.Column("coach_name", sa.String(), nullable=False),
        sa.Column("what", sa.String(), nullable=False),
        _timestamp("created_at"),
    )
    op.create_index("ix_share_log_runner_id", "share_log", ["runner_id"])
    op.create_table(
        "coach_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner("runner_id"),
        _runner("coach_id"),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        _timestamp("updated_at"),
        sa.UniqueConstraint(
            "runner_id", "coach_id", "week_start", name="uq_coach_note_runner_coach_week"
        ),
    )
    op.create_index("ix_coach_note_coach_id", "coach_note", ["coach_id"])
    with op.batch_alter_table("reminder") as batch:
        batch.add_column(
            sa.Column("about", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch.drop_constraint("uq_reminder_runner_kind_date", type_="unique")
        batch.create_unique_constraint(
            "uq_reminder_runner_kind_date_about", ["runner_id", "kind", "local_date", "about"]
        )


def downgrade() -> None:
    # Coaches' alerts go with the column: the old key holds one row per runner, kind and day.
    op.execute(sa.text("DELETE FROM reminder WHERE about <> 0"))
    with op.batch_alter_table("reminder") as batch:
        batch.drop_constraint("uq_reminder_runner_kind_date_about", type_="unique")
        batch.create_unique_constraint(
            "uq_reminder_runner_kind_date", ["runner_id", "kind", "local_date"]
        )
        batch.drop_column("about")
    for table in ("coach_note", "share_log", "share_link", "coach_invite", "coach"):
        op.drop_table(table)
