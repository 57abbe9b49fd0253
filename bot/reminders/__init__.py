"""Reminders: the outbox is rebuilt from the plan, and one repeating job sends what is due.

The database is the source of truth (docs/architecture.md, "Reminders: the outbox"): a
`reminder` row per message, claimed in batches, sent, and marked. Nothing about reminders lives
in the scheduler, so start-up cost does not grow with runners, and a restart or a second
instance loses nothing and doubles nothing but the sends in flight at a crash.

- `outbox`: the rows, built from the plan (`rebuild_reminders`, `extend_horizons`).
- `compose`: what each reminder says, and its buttons.
- `dispatcher`: claim, check, send at the pace, write each outcome (`dispatch_due`).
- `jobs`: the repeating dispatcher and the horizon job (`schedule_jobs`).

The pace that replies and reminders share is `bot.pace.Pace`, one per `Runtime`.
"""

from __future__ import annotations

from bot.reminders.compose import compose
from bot.reminders.dispatcher import BATCH, IN_FLIGHT, MAX_ATTEMPTS, DispatchReport, dispatch_due
from bot.reminders.jobs import dispatch_job, horizon_job, schedule_jobs
from bot.reminders.outbox import HORIZON_DAYS, extend_horizons, is_paused, rebuild_reminders

__all__ = [
    "BATCH",
    "HORIZON_DAYS",
    "IN_FLIGHT",
    "MAX_ATTEMPTS",
    "DispatchReport",
    "compose",
    "dispatch_due",
    "dispatch_job",
    "extend_horizons",
    "horizon_job",
    "is_paused",
    "rebuild_reminders",
    "schedule_jobs",
]
