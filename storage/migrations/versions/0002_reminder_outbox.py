"""Reminder outbox: a retry time per row, and how far ahead each runner's reminders reach.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        batch.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("runner") as batch:
        batch.add_column(sa.Column("reminders_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runner") as batch:
        batch.drop_column("reminders_until")
    with op.batch_alter_table("reminder") as batch:
        batch.drop_column("retry_at")
