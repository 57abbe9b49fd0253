"""Drawing the progress chart as PNG bytes (docs/pictures.md): sessions planned, done and
skipped a week, the level as a step line, pain scores as labelled points; the palette and
the canvas are `canvas`'s."""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from bot import texts
from bot.pictures.canvas import (
    BLACK,
    BLUE,
    DPI,
    LIGHT,
    ORANGE,
    VERMILLION,
    WHITE,
    WIDTH_PX,
    png,
    without_collection,
)
from core.pictures import Progress


@without_collection
def progress_png(progress: Progress) -> bytes:
    """The weeks as a PNG, WIDTH_PX wide: sessions planned, done and skipped per week (bars,
    each labelled done/planned), the level (a step line), pain scores by day (points
    labelled with the area), the streak in the title."""
    figure = Figure(figsize=(WIDTH_PX / DPI, 8.0), dpi=DPI, facecolor=WHITE)
    grid = figure.add_gridspec(
        2, 1, height_ratios=(3, 2), hspace=0.25, left=0.08, right=0.92, top=0.86, bottom=0.04
    )
    bars: Axes = figure.add_subplot(grid[0])
    pain: Axes = figure.add_subplot(grid[1])
    unit = "week" if progress.streak == 1 else "weeks"
    figure.suptitle(
        texts.PROGRESS_TITLE.format(weeks=len(progress.weeks), streak=progress.streak, unit=unit),
        fontsize=20,
        fontweight="bold",
    )
    xs = list(range(len(progress.weeks)))
    planned = [w.planned for w in progress.weeks]
    done = [w.done for w in progress.weeks]
    skipped = [w.skipped for w in progress.weeks]
    # One collection per series, not a patch per bar: the chart draws in well under 150 ms.
    zeros = [0] * len(xs)
    _columns(bars, xs, zeros, planned, 0.8, facecolor="none", edgecolor=BLACK, linewidth=2)
    _columns(bars, xs, zeros, done, 0.6, facecolor=BLUE, edgecolor=BLUE)
    _columns(bars, xs, done, skipped, 0.6, facecolor=ORANGE, edgecolor=BLACK, hatch="//")
    for x, week in zip(xs, progress.weeks, strict=True):
        top = max(week.planned, week.done + week.skipped)
        label = f"{week.done}/{week.planned}"
        bars.text(x, top + 0.1, label, ha="center", va="bottom", fontsize=13, fontweight="bold")
    ceiling = max([*planned, *(d + s for d, s in zip(done, skipped, strict=True)), 1])
    bars.set_xlim(-0.5, len(xs) - 0.5)
    bars.set_ylim(0, ceiling + 2.8)
    bars.set_yticks(range(ceiling + 1))  # sessions only: the band above is the level's
    bars.set_ylabel(texts.PROGRESS_SESSIONS, fontsize=13)
    bars.set_xticks(xs, [f"{w.monday:%d %b}" for w in progress.weeks], fontsize=12)
    bars.tick_params(axis="y", labelsize=12)
    # The level as a step line in a band above the bars, labelled where it changes (a second
    # y axis would cost a third of the drawing time).
    levels = [w.level for w in progress.weeks] or [0]
    low, high = min(levels), max(levels)
    band = ceiling + 0.9, ceiling + 2.1

    def height(value: int) -> float:
        return band[0] + (value - low) / max(high - low, 1) * (band[1] - band[0])

    (line,) = bars.step(
        xs,
        [height(v) for v in levels[: len(xs)]],
        where="mid",
        color=BLACK,
        linewidth=2.5,
        linestyle="--",
        marker="o",
        label=texts.PROGRESS_LEVEL,
    )
    for x, value in enumerate(levels[: len(xs)]):
        if x == 0 or value != levels[x - 1]:
            bars.text(
                x,
                height(value) + 0.15,
                texts.PROGRESS_LEVEL_AT.format(level=value),
                ha="center",
                va="bottom",
                fontsize=12,
            )
    handles = [
        Patch(facecolor="none", edgecolor=BLACK, linewidth=2, label=texts.PROGRESS_PLANNED),
        Patch(facecolor=BLUE, label=texts.PROGRESS_DONE),
        Patch(facecolor=ORANGE, edgecolor=BLACK, hatch="//", label=texts.PROGRESS_SKIPPED),
        line,
    ]
    bars.legend(
        handles=handles,
        loc="upper left",
        fontsize=12,
        ncols=4,
        frameon=False,
        bbox_to_anchor=(0, 1.13),
    )
    _pains(pain, progress)
    return png(figure)


def _columns(
    ax: Axes,
    xs: list[int],
    bottoms: list[int],
    heights: list[int],
    width: float,
    **style: Any,
) -> None:
    """Bars as one collection of rectangles (empty ones left out)."""
    half = width / 2
    verts = [
        [(x - half, b), (x + half, b), (x + half, b + h), (x - half, b + h)]
        for x, b, h in zip(xs, bottoms, heights, strict=True)
        if h
    ]
    if verts:
        ax.add_collection(PolyCollection(verts, **style), autolim=False)


def _pains(ax: Axes, progress: Progress) -> None:
    if not progress.weeks:
        return
    first = progress.weeks[0].monday
    days = [(p.day - first).days / 7 - 0.5 + 1 / 14 for p in progress.pains]
    ax.set_xlim(-0.5, len(progress.weeks) - 0.5)
    ax.set_ylim(0, 11)
    ax.set_ylabel(texts.PROGRESS_PAIN, fontsize=13)
    ax.set_xticks(range(len(progress.weeks)), [""] * len(progress.weeks))  # dates above
    ax.set_yticks((0, 5, 10))
    ax.tick_params(axis="y", labelsize=12)
    ax.grid(axis="y", color=LIGHT)
    if not progress.pains:
        ax.text(
            0.5,
            0.5,
            texts.PROGRESS_NO_PAIN,
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=15,
        )
        return
    ax.plot(
        days,
        [p.score for p in progress.pains],
        color=VERMILLION,
        marker="D",
        markersize=9,
        linewidth=1.5,
    )
    for x, point in zip(days, progress.pains, strict=True):
        ax.annotate(
            f"{point.area} {point.score}",
            (x, point.score),
            textcoords="offset points",
            xytext=(0, 9),
            ha="center",
            fontsize=12,
            fontweight="bold",
        )
