"""Hard days hard: a runner's consent to a short session after a hard run when the week has
no other room (docs/coaching.md, "Hard days hard"). Existing runners have not agreed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("runner") as batch:
        batch.add_column(
            sa.Column("hard_day_sessions", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("runner") as batch:
        batch.drop_column("hard_day_sessions")
