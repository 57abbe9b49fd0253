"""This week's changes: one row per runner and week holding the changes to the usual week
for that week only (moved sessions, changed runs), as JSON (docs/coaching.md, "This week").

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "week_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "runner_id",
            sa.Integer(),
            sa.ForeignKey("runner.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("runner_id", "week_start", name="uq_week_change_runner_week"),
    )


def downgrade() -> None:
    op.drop_table("week_change")
