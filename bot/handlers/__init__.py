"""Telegram handlers, one module per feature; each registers its own commands and buttons.

Every handler runs as one turn (`bot.turn`): one database session, replies sent after the
commit. A dialog (setup, settings, the pain check) is stored after every answer, so a runner
who comes back after a restart carries on where they were.
"""

from __future__ import annotations

from bot import illness
from bot.handlers import (
    asides,
    calendar,
    coach,
    data,
    guards,
    location,
    moves,
    pain,
    pause,
    progress,
    reminder_settings,
    setup,
    sharing,
    thisweek,
    today,
)
from bot.runtime import App


def register_handlers(app: App) -> None:
    """Every handler, in an order that matters:

    1. The gates, in negative groups, run before anything else and can stop an update: a
       flood is dropped before it costs a query, and a group chat is turned away before it
       creates a runner.
    2. Group 0 takes the first handler that matches, so the features' commands and buttons
       (each button kind matched by its own pattern) come before free text, and free text
       (setup's answers and pain reports) before the fallbacks.
    3. The fallbacks come last: other content, then any command nobody handled, then any
       press nobody handled (answered as a stale button).
    """
    guards.register_gates(app)
    asides.register(app)  # /plan and /today mid-question, before the plan's own
    today.register(app)
    moves.register(app)  # Move under /today, a strength reminder or the Mini App
    pain.register(app)
    pause.register(app)
    illness.register(app)  # the illness check-in's buttons
    location.register(app)  # a shared location: switch time zone (travel)
    reminder_settings.register(app)
    data.register(app)
    calendar.register(app)  # /calendar and its New address button
    thisweek.register(app)
    coach.register(app)  # coach mode: /coach, /roster, /note
    sharing.register(app)  # an invite's /start c_<token> comes before setup's /start
    progress.register(app)  # /progress and the week picture (pic:)
    setup.register(app)
    setup.register_text(app)
    guards.register_fallbacks(app)
