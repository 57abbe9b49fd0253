"""Reminders by runner: an index on (runner_id, status, due_at).

Rebuilding one runner's reminders looks up their pending rows. With only the (status, due_at)
index SQLite read every pending row of every runner for it: 2.3 s per rebuild with 100,000
runners (bench/README.md); with this index, 0.1 ms.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_reminder_runner_status_due_at", "reminder", ["runner_id", "status", "due_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_reminder_runner_status_due_at", table_name="reminder")
