"""Repository functions: keyword-only, async, each taking the caller's `AsyncSession`.

They flush but never commit: the caller owns the transaction, one per update or job run:

    async with sessionmaker.begin() as session:
        runner = await repo.get_or_create_runner(session, telegram_user_id=..., ...)

One module per aggregate; every public name is importable from `storage.repo`:
`runners` (runners, and erasing one), `plans` (plans and the session log), `reminders` (the
outbox as the scheduler fills it), `dispatch` (the outbox as a dispatcher drains it), `pain`
(pain reports and check-ins), `weeks` (the weekly step, how sessions felt, this week's
changes), `kv` (the key-value store), `export` (a runner's own data), `calendar` (the
calendar feed's token hash and its events' stamps), `coaching` (coach mode, a package, used as
`repo.coaching.<name>`).
"""

from __future__ import annotations

from storage.repo import coaching
from storage.repo.calendar import (
    FeedRows,
    event_stamps,
    feed_by_token,
    get_feed,
    save_event_stamps,
    set_feed_token,
)
from storage.repo.dispatch import (
    Claimed,
    Finish,
    WeekKey,
    batch_week_changes,
    batch_week_notes,
    claim_due_reminders,
    finish_reminders,
    reminder_still_claimed,
    reminders_still_claimed,
)
from storage.repo.export import export_runner
from storage.repo.kv import delete_kv, get_kv, set_kv
from storage.repo.pain import add_pain_report, pain_reports, record_no_pain
from storage.repo.plans import (
    SessionStatus,
    done_per_week,
    get_plan,
    log_session,
    save_plan,
    session_log,
    session_logs,
    week_numbers,
)
from storage.repo.reminders import (
    REBUILDABLE,
    cancel_pending_reminders,
    pending_snooze,
    replace_reminders,
    runners_needing_reminders,
    schedule_followup,
    snooze_reminder,
    upcoming_reminders,
)
from storage.repo.runners import (
    MAX_FIRST_NAME,
    delete_runner,
    get_or_create_runner,
    get_runner,
    get_runner_by_id,
    get_runner_with_kv,
    runners_by_id,
    save_runner,
)
from storage.repo.weeks import (
    get_week_changes,
    pain_between,
    record_week_step,
    runners_behind_on_steps,
    save_week_changes,
    set_feel,
    set_level,
    week_logs,
    week_step,
    week_steps,
)
from storage.tables import ReminderStatus

# The reminder statuses under their names from before `ReminderStatus` (`repo.PENDING`...).
PENDING = ReminderStatus.PENDING
CLAIMED = ReminderStatus.CLAIMED
SENT = ReminderStatus.SENT
EXPIRED = ReminderStatus.EXPIRED
CANCELLED = ReminderStatus.CANCELLED
UNKNOWN = ReminderStatus.UNKNOWN
FAILED = ReminderStatus.FAILED

__all__ = [
    "CANCELLED",
    "CLAIMED",
    "EXPIRED",
    "FAILED",
    "MAX_FIRST_NAME",
    "PENDING",
    "REBUILDABLE",
    "SENT",
    "UNKNOWN",
    "Claimed",
    "FeedRows",
    "Finish",
    "SessionStatus",
    "WeekKey",
    "add_pain_report",
    "batch_week_changes",
    "batch_week_notes",
    "cancel_pending_reminders",
    "claim_due_reminders",
    "coaching",
    "delete_kv",
    "delete_runner",
    "done_per_week",
    "event_stamps",
    "export_runner",
    "feed_by_token",
    "finish_reminders",
    "get_feed",
    "get_kv",
    "get_or_create_runner",
    "get_plan",
    "get_runner",
    "get_runner_by_id",
    "get_runner_with_kv",
    "get_week_changes",
    "log_session",
    "pain_between",
    "pain_reports",
    "pending_snooze",
    "record_no_pain",
    "record_week_step",
    "reminder_still_claimed",
    "reminders_still_claimed",
    "replace_reminders",
    "runners_behind_on_steps",
    "runners_by_id",
    "runners_needing_reminders",
    "save_event_stamps",
    "save_plan",
    "save_runner",
    "save_week_changes",
    "schedule_followup",
    "session_log",
    "session_logs",
    "set_feed_token",
    "set_feel",
    "set_kv",
    "set_level",
    "snooze_reminder",
    "upcoming_reminders",
    "week_logs",
    "week_numbers",
    "week_step",
    "week_steps",
]
