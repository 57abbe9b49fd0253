"""The calendar feed: a runner's private address (the token's hash, a random feed id) and
what each event last looked like, for its SEQUENCE and LAST-MODIFIED (docs/calendar.md).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_feed",
        sa.Column(
            "runner_id",
            sa.Integer(),
            sa.ForeignKey("runner.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("feed_id", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "calendar_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "runner_id",
            sa.Integer(),
            sa.ForeignKey("runner.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("uid", sa.String(120), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("runner_id", "uid", name="uq_calendar_event_runner_uid"),
    )


def downgrade() -> None:
    op.drop_table("calendar_event")
    op.drop_table("calendar_feed")
