"""SQLModel tables: the schema Alembic migrates to, with the statuses stored in it.

Importing this package registers every table on `SQLModel.metadata` (Alembic's
`storage/migrations/env.py` and `storage.db` rely on it), so a new table's module is imported
here. `columns` holds the statuses and the shared columns, `runners` the runner's own rows,
`messages` the outbox, the inbox and the replies, `coaching` coach mode's rows. Every name is
importable from `storage.tables`.
"""

from __future__ import annotations

# The mapping between rows and domain models lives in `storage.mapping`; still importable
# from here, where its callers import it.
from storage.mapping import apply_profile as apply_profile
from storage.mapping import apply_week as apply_week
from storage.mapping import day_from_json as day_from_json
from storage.mapping import day_to_json as day_to_json
from storage.mapping import runner_profile as runner_profile
from storage.mapping import runner_week as runner_week
from storage.mapping import week_to_json as week_to_json
from storage.tables.coaching import CoachInvite, CoachNote, CoachRow, ShareLink, ShareLog
from storage.tables.columns import (
    ReminderStatus,
    ReplyStatus,
    SessionLogStatus,
    UTCDateTime,
    utcnow,
)
from storage.tables.messages import InboxUpdate, Reminder, Reply
from storage.tables.runners import (
    CalendarEvent,
    CalendarFeed,
    KeyValue,
    PainReport,
    PlanRow,
    Runner,
    SessionLog,
    WeekChange,
    WeekStep,
)

__all__ = [
    "CalendarEvent",
    "CalendarFeed",
    "CoachInvite",
    "CoachNote",
    "CoachRow",
    "InboxUpdate",
    "KeyValue",
    "PainReport",
    "PlanRow",
    "Reminder",
    "ReminderStatus",
    "Reply",
    "ReplyStatus",
    "Runner",
    "SessionLog",
    "SessionLogStatus",
    "ShareLink",
    "ShareLog",
    "UTCDateTime",
    "WeekChange",
    "WeekStep",
    "apply_profile",
    "apply_week",
    "day_from_json",
    "day_to_json",
    "runner_profile",
    "runner_week",
    "utcnow",
    "week_to_json",
]
