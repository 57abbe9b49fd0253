"""Drop conversation_state: it was made for python-telegram-bot's ConversationHandler
persistence, which the bot never used; a runner's open dialog is a value in `kv`.

The downgrade recreates the table empty, as 0001 made it; its rows are gone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("conversation_state")


def downgrade() -> None:
    op.create_table(
        "conversation_state",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
