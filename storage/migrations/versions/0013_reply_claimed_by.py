"""Replies: which process holds a claim (`claimed_by`), so a live one's are never taken over.

A reply claimed by a process that is still running (on PostgreSQL it holds a session
advisory lock under this key for as long as it lives) is not taken over by another process
however old the claim is: only a dead process's replies are, after their lease
(docs/architecture.md, "Commit, then speak").

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reply") as batch:
        batch.add_column(sa.Column("claimed_by", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reply") as batch:
        batch.drop_column("claimed_by")
