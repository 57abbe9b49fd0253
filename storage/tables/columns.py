"""What every table is made of: the statuses stored in the status columns, aware UTC
datetimes on every database (`UTCDateTime`), and the columns the tables share (created and
updated stamps, the runner's foreign key, JSON)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field


class ReminderStatus(StrEnum):
    """Where a row of the reminder outbox stands."""

    PENDING = "pending"  # waiting to fall due (or for its `retry_at`)
    CLAIMED = "claimed"  # taken by a dispatcher, on its way
    SENT = "sent"
    EXPIRED = "expired"  # found too late to be worth sending
    CANCELLED = "cancelled"  # no longer wanted: rebuilt, paused, or the runner is gone
    UNKNOWN = "unknown"  # the send timed out after leaving: it may have arrived, never resent
    FAILED = "failed"  # gave up on it


class ReplyStatus(StrEnum):
    """Where a reply of a turn stands."""

    PENDING = "pending"  # written with its turn, not yet sent
    SENT = "sent"
    FAILED = "failed"


class SessionLogStatus(StrEnum):
    """What the runner did with a day's strength session."""

    DONE = "done"
    SKIPPED = "skipped"


# The status columns stay plain strings (a StrEnum annotation would make SQLModel declare an
# SQL ENUM type); the members are those strings, so they compare equal to what is read back.


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no offset)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: storage keeps aware UTC datetimes")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def created_at_column() -> Any:
    return Field(
        default_factory=utcnow,
        sa_column=sa.Column(UTCDateTime(), nullable=False, default=utcnow),
    )


def updated_at_column() -> Any:
    return Field(
        default_factory=utcnow,
        sa_column=sa.Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow),
    )


def runner_fk(*, index: bool = False) -> Any:
    # Tables whose unique key starts with runner_id need no index of their own.
    return Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("runner.id", ondelete="CASCADE"),
            nullable=False,
            index=index,
        )
    )


def json_column(*, nullable: bool = False, default_factory: Any = None) -> Any:
    if default_factory is None:
        return Field(default=None, sa_column=sa.Column(sa.JSON, nullable=nullable))
    return Field(default_factory=default_factory, sa_column=sa.Column(sa.JSON, nullable=nullable))
