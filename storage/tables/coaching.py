"""Coach and physio mode's rows (docs/coaching_mode.md): the coaches the operator named,
invites, share links, the share log and coach notes."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.columns import (
    UTCDateTime,
    created_at_column,
    runner_fk,
    updated_at_column,
)


class CoachRow(SQLModel, table=True):
    """A Telegram user the operator named a coach with `runcoach coach add` (the setting
    COACH_USER_IDS names more)."""

    __tablename__ = "coach"

    telegram_user_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False)
    )
    created_at: dt.datetime = created_at_column()


class CoachInvite(SQLModel, table=True):
    """An invite link a coach handed out: only the token's SHA-256 is kept. Single-use
    (`used_at`), expiring (`expires_at`) and revocable (`revoked_at`). `runner_id` is the
    coach's own runner row."""

    __tablename__ = "coach_invite"
    __table_args__ = (sa.UniqueConstraint("token_hash", name="uq_coach_invite_token_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = runner_fk(index=True)
    token_hash: str
    created_at: dt.datetime = created_at_column()
    expires_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    used_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    revoked_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))


class ShareLink(SQLModel, table=True):
    """A runner (`runner_id`) shares their plan, adherence and pain reports with a coach
    (`coach_id`, the coach's runner row); no row, nothing shared."""

    __tablename__ = "share_link"
    __table_args__ = (
        sa.UniqueConstraint("runner_id", "coach_id", name="uq_share_link_runner_coach"),
    )

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = runner_fk()
    coach_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("runner.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    created_at: dt.datetime = created_at_column()


class ShareLog(SQLModel, table=True):
    """Who saw what of a runner's data, and when: one row per item shown or sent to a coach
    (the roster, the detail view, an alert), and the runner's own Share and Stop sharing."""

    __tablename__ = "share_log"

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = runner_fk(index=True)
    coach_user_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    coach_name: str = ""
    what: str
    created_at: dt.datetime = created_at_column()


class CoachNote(SQLModel, table=True):
    """A coach's note on a runner's week, shown in the runner's /plan."""

    __tablename__ = "coach_note"
    __table_args__ = (
        sa.UniqueConstraint(
            "runner_id", "coach_id", "week_start", name="uq_coach_note_runner_coach_week"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    runner_id: int = runner_fk()
    coach_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("runner.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    week_start: dt.date
    text: str
    updated_at: dt.datetime = updated_at_column()
