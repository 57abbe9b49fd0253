"""The week as a picture and progress as a chart, sent as photos (docs/pictures.md).

- `core.pictures`: what each picture shows, as plain data.
- `bot.pictures.gather`: that data from the plan, the pause and the session log.
- `bot.pictures.draw` (the week) and `bot.pictures.chart` (progress): the PNGs (matplotlib,
  Agg, in a worker thread), on `bot.pictures.canvas` (size, palette, PNG bytes).
- `bot.pictures.captions`: the same facts in words, for screen readers.
"""

from __future__ import annotations

from bot.pictures.gather import (
    PROGRESS_WEEKS,
    Photo,
    draw_progress,
    draw_week,
    progress_of,
    progress_photo,
    week_of,
    week_photo,
)

__all__ = [
    "PROGRESS_WEEKS",
    "Photo",
    "draw_progress",
    "draw_week",
    "progress_of",
    "progress_photo",
    "week_of",
    "week_photo",
]
