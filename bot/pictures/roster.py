"""The coach's roster as a picture (/roster's "Picture", docs/pictures.md): a row a runner,
as the roster's page lists them (red first), drawn like the week picture: matplotlib's
object API on the Agg canvas, in a worker thread.

Colour is never alone: each colour has its shape (red a square, amber a triangle, green a
circle) and its word beside it, and the caption says every row in words.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot import texts
from bot.pictures.canvas import (
    BLACK,
    DPI,
    GREY,
    LIGHT,
    ORANGE,
    VERMILLION,
    WIDTH_PX,
    png,
    without_collection,
)
from bot.pictures.captions import fit
from bot.pictures.gather import Photo
from core.coaching import Colour, RosterFacts

GREEN_OK = "#009E73"  # Okabe–Ito bluish green
STYLE: dict[Colour, tuple[str, str]] = {  # colour: (fill, marker)
    Colour.RED: (VERMILLION, "s"),
    Colour.AMBER: (ORANGE, "^"),
    Colour.GREEN: (GREEN_OK, "o"),
}
HEAD_PX = 120  # the title
ROW_PX = 72  # a runner
NAME_CHARS = 15


@without_collection
def roster_png(
    rows: Sequence[tuple[Colour, RosterFacts]], pains: Sequence[str], *, title: str
) -> bytes:
    """A row a runner: the colour's shape and word, the name, this week's done of planned
    as a bar, the streak, and the last pain report (`pains`, in words, a line each)."""
    from matplotlib.figure import Figure  # imported on the first picture, not at start-up
    from matplotlib.patches import Rectangle

    height_px = HEAD_PX + ROW_PX * max(1, len(rows))
    figure = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 100)
    top = HEAD_PX / ROW_PX
    ax.set_ylim(top + max(1, len(rows)), 0)
    ax.axis("off")
    ax.text(2, top * 0.4, title, fontsize=22, fontweight="bold", va="center", color=BLACK)
    for x, heading in zip((41, 61, 72.5), texts.ROSTER_PICTURE_HEADINGS, strict=True):
        ax.text(x, top * 0.85, heading, fontsize=12, va="center", color=GREY)
    for index, ((dot, facts), pain) in enumerate(zip(rows, pains, strict=True)):
        y = top + index + 0.5
        if index % 2:
            ax.add_patch(Rectangle((0, y - 0.5), 100, 1, facecolor=LIGHT, edgecolor="none"))
        fill, marker = STYLE[dot]
        ax.plot([3.5], [y], marker=marker, markersize=22, color=fill, markeredgecolor=BLACK)
        ax.text(6.5, y, texts.ROSTER_PICTURE_COLOURS[dot.value], fontsize=11, va="center")
        name = facts.name if len(facts.name) <= NAME_CHARS else facts.name[: NAME_CHARS - 1] + "…"
        ax.text(15, y, name, fontsize=17, fontweight="bold", va="center", color=BLACK)
        # This week's sessions: a bar of the planned, filled as far as done.
        share = facts.done / facts.planned if facts.planned else 0.0
        ax.add_patch(
            Rectangle((41, y - 0.18), 12, 0.36, facecolor="white", edgecolor=BLACK, lw=1.5)
        )
        ax.add_patch(Rectangle((41, y - 0.18), 12 * share, 0.36, facecolor=BLACK, lw=0))
        done = texts.ROSTER_PICTURE_DONE.format(done=facts.done, planned=facts.planned)
        ax.text(54.5, y, done, fontsize=14, va="center", color=BLACK)
        streak = texts.ROSTER_PICTURE_STREAK.format(streak=facts.streak)
        ax.text(61, y, streak, fontsize=14, va="center", color=BLACK)
        ax.text(72.5, y, pain, fontsize=13, va="center", color=BLACK if facts.last_pain else GREY)
    return png(figure)


async def roster_photo(
    rows: Sequence[tuple[Colour, RosterFacts]],
    pains: Sequence[str],
    lines: Sequence[str],
    *,
    title: str,
    page: int,
) -> Photo:
    """The roster page's picture, drawn in a worker thread; the caption is the page's own
    lines (the same facts in words)."""
    data = await asyncio.to_thread(roster_png, rows, pains, title=title)
    return Photo(data, fit("\n".join([title, *lines])), f"roster-page-{page + 1}.png")
