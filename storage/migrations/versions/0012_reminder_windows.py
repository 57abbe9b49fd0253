"""Reminders by kind: an index on (status, kind, due_at), for the claim's sending windows.

The dispatcher claims open rows in order of their deadline, and the deadline depends on the
kind (a morning message may leave early and has a later deadline than its time; the others
keep their exact time): one range of this index per kind gives each kind's rows in deadline
order, where the (status, due_at) index would walk every morning row due at 07:00 to find the
strength reminders due at 07:20 (docs/architecture.md, "Reminders: the outbox").

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_reminder_status_kind_due_at", "reminder", ["status", "kind", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_reminder_status_kind_due_at", table_name="reminder")
