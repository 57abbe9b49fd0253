"""Coach and physio mode's rows (docs/coaching_mode.md), used as `repo.coaching.<name>`:
`links` (the coaches the operator named, invites, who shares with whom, the share log),
`roster` (what the roster reads, a few queries for all its runners), `notes` (a coach's note
on a runner's week) and `alerts` (what a coach is sent, through the reminder outbox)."""

from __future__ import annotations

from storage.repo.coaching.alerts import (
    cancel_digests,
    coaches_with_runners,
    forget_alerts_about,
    queue_alert,
)
from storage.repo.coaching.links import (
    add_coach,
    add_invite,
    coaches_of,
    end_links,
    find_invite,
    get_invite,
    is_shared,
    is_stored_coach,
    log_shared,
    open_invites,
    remove_coach,
    revoke_invites,
    share,
    share_log,
    stop_sharing,
    stored_coaches,
    use_invite,
)
from storage.repo.coaching.notes import set_note, week_notes
from storage.repo.coaching.roster import (
    done_between,
    last_pains,
    pain_history,
    roster,
    week_changes_of,
)

__all__ = [
    "add_coach",
    "add_invite",
    "cancel_digests",
    "coaches_of",
    "coaches_with_runners",
    "done_between",
    "end_links",
    "find_invite",
    "forget_alerts_about",
    "get_invite",
    "is_shared",
    "is_stored_coach",
    "last_pains",
    "log_shared",
    "open_invites",
    "pain_history",
    "queue_alert",
    "remove_coach",
    "revoke_invites",
    "roster",
    "set_note",
    "share",
    "share_log",
    "stop_sharing",
    "stored_coaches",
    "use_invite",
    "week_changes_of",
    "week_notes",
]
