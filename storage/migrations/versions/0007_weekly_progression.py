"""Weekly progression: the step taken at the end of each week, the feel of a session, and
what the heavy block is counted from (lifting experience, block start, first week).

Existing runners keep their level; the new runner columns are empty until the bot fills
them (docs/coaching.md, "Progression").

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("runner") as batch:
        batch.add_column(sa.Column("lifting_experience", sa.String(), nullable=True))
        batch.add_column(sa.Column("heavy_block_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("first_week", sa.Date(), nullable=True))
        batch.add_column(sa.Column("last_step_week", sa.Date(), nullable=True))
    with op.batch_alter_table("session_log") as batch:
        batch.add_column(sa.Column("feel", sa.String(), nullable=True))
    op.create_table(
        "week_step",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "runner_id",
            sa.Integer(),
            sa.ForeignKey("runner.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("level_before", sa.Integer(), nullable=False),
        sa.Column("level_after", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("runner_id", "week_start", name="uq_week_step_runner_week"),
    )


def downgrade() -> None:
    op.drop_table("week_step")
    with op.batch_alter_table("session_log") as batch:
        batch.drop_column("feel")
    with op.batch_alter_table("runner") as batch:
        batch.drop_column("last_step_week")
        batch.drop_column("first_week")
        batch.drop_column("heavy_block_start")
        batch.drop_column("lifting_experience")
