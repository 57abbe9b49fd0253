"""Drawing the week picture and the progress chart as PNG bytes (docs/pictures.md).

matplotlib's object API with the Agg canvas: a `Figure` of its own per image and never
pyplot, whose global figure manager is not thread-safe, so images can be drawn in worker
threads side by side. Nothing is kept between calls: a figure is cleared once saved.

Colours are the Okabe–Ito palette, which stays distinct under the common colour-vision
deficiencies, and colour is never alone: each run says its kind in words and carries a
pattern of its own, strength is a black-framed box that says STRENGTH, today's column is
framed and labelled TODAY, a paused day is greyed and says PAUSED.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import textwrap
import threading
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from bot import texts
from core.models import DayKind
from core.pictures import DayTile, PainMark, Progress, WeekPicture

WIDTH_PX = 1000
DPI = 100
BLACK = "#000000"
GREY = "#8C8C8C"
LIGHT = "#E6E6E6"
WHITE = "#FFFFFF"
# Okabe–Ito (Okabe & Ito 2008); each run kind its colour, its pattern and its text colour.
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
KIND_STYLE: dict[DayKind, tuple[str, str, str]] = {
    DayKind.EASY: (SKY, "", BLACK),
    DayKind.RECOVERY: (SKY, "--", BLACK),
    DayKind.LONG: (BLUE, "//", WHITE),
    DayKind.INTERVALS: (VERMILLION, "xx", WHITE),
    DayKind.TEMPO: (ORANGE, "\\\\", BLACK),
    DayKind.HILLS: (PURPLE, "..", BLACK),
    DayKind.RACE: (YELLOW, "**", BLACK),
    DayKind.CROSS: (GREEN, "++", BLACK),
}
PAIN_COLOUR = VERMILLION

# The week picture's rows, in axis units (x: 0-7, a column a day; y: 0-10, top down).
TITLE_Y = 0.45
HEAD = (0.95, 2.05)
RUN = (2.25, 5.55)
STRENGTH = (5.75, 9.05)
FOOT_Y = 9.5
PAD = 0.06


P = ParamSpec("P")
R = TypeVar("R")
_collector = threading.Lock()
_drawing = 0  # images being drawn now, in any thread
_collector_was_on = True


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector waits while images are drawn: a figure makes tens of
    thousands of objects, and a full collection in the middle of one doubled the slowest
    draws (bench/pictures.py, figure 7). The cycles a figure leaves are collected by the
    next automatic collection once no image is being drawn."""
    global _drawing, _collector_was_on
    with _collector:
        if _drawing == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _drawing += 1
    try:
        yield
    finally:
        with _collector:
            _drawing -= 1
            if _drawing == 0 and _collector_was_on:
                gc.enable()


def without_collection(draw: Callable[P, R]) -> Callable[P, R]:
    """`draw` run with the collector waiting (`_no_collection`)."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _no_collection():
            return draw(*args, **kwargs)

    return wrapper


def _png(figure: Figure) -> bytes:
    """The figure as PNG bytes. The figure is dropped afterwards: it belongs to no pyplot
    manager, so nothing keeps it (bench/pictures.py checks the memory over 1,000 renders)."""
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    # zlib level 1: a few KB more, a fifth of the encoding time (drawn flat colours pack well).
    figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _box(
    ax: Axes,
    x: float,
    rows: tuple[float, float],
    *,
    fill: str,
    edge: str = "none",
    width: float = 0.0,
    style: str = "solid",
    hatch: str = "",
) -> None:
    top, bottom = rows
    ax.add_patch(
        Rectangle(
            (x + PAD, top),
            1 - 2 * PAD,
            bottom - top,
            facecolor=fill,
            edgecolor=edge,
            linewidth=width,
            linestyle=style,
            hatch=hatch or None,
        )
    )


def _wrap(text: str, width: int = 10) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


@without_collection
def week_png(picture: WeekPicture) -> bytes:
    """The week as a PNG, WIDTH_PX wide: a column a day, Monday first."""
    figure = Figure(figsize=(WIDTH_PX / DPI, 7.5), dpi=DPI, facecolor=WHITE)
    ax = figure.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_xlim(0, 7)
    ax.set_ylim(10, 0)
    ax.set_axis_off()
    first = next((d.date for d in picture.days if d.planned), picture.week_start)
    ax.text(
        0.05,
        TITLE_Y,
        texts.PICTURE_TITLE.format(first=first),
        fontsize=22,
        fontweight="bold",
        va="center",
    )
    for x, day in enumerate(picture.days):
        _day(ax, float(x), day)
    return _png(figure)


def _day(ax: Axes, x: float, day: DayTile) -> None:
    centre = x + 0.5
    if day.today:  # framed, the header inverted, and the word TODAY under the column
        ax.add_patch(
            Rectangle(
                (x + 0.01, HEAD[0] - 0.05),
                0.98,
                FOOT_Y + 0.4 - HEAD[0],
                facecolor="none",
                edgecolor=BLACK,
                linewidth=4,
            )
        )
        _box(ax, x, HEAD, fill=BLACK)
    head_colour = WHITE if day.today else BLACK
    ax.text(
        centre,
        sum(HEAD) / 2,
        texts.PICTURE_DAY.format(day=day.date),
        ha="center",
        va="center",
        fontsize=17,
        fontweight="bold",
        color=head_colour,
        linespacing=1.2,
    )
    if not day.planned:
        ax.text(
            centre,
            sum(RUN) / 2,
            texts.PICTURE_NOT_PLANNED,
            ha="center",
            va="center",
            fontsize=14,
            color=GREY,
        )
        return
    _run(ax, x, day)
    _strength(ax, x, day)
    foot = texts.PICTURE_TODAY if day.today else ""
    if day.paused:
        _box(ax, x, (HEAD[1] + 0.1, STRENGTH[1]), fill=LIGHT, hatch="//")
        ax.text(
            centre,
            (RUN[1] + STRENGTH[0]) / 2,
            texts.PICTURE_PAUSED,
            ha="center",
            va="center",
            fontsize=16,
            fontweight="bold",
            color=BLACK,
            bbox={"facecolor": WHITE, "edgecolor": BLACK, "boxstyle": "round"},
        )
    if foot:
        ax.text(centre, FOOT_Y, foot, ha="center", va="center", fontsize=15, fontweight="bold")


def _run(ax: Axes, x: float, day: DayTile) -> None:
    centre = x + 0.5
    label = texts.PICTURE_KINDS[day.kind.value]
    style = KIND_STYLE.get(day.kind)
    if style is None:  # rest or no run: plain
        ax.text(
            centre,
            sum(RUN) / 2,
            label,
            ha="center",
            va="center",
            fontsize=16,
            color=GREY if day.kind is DayKind.REST else BLACK,
        )
        return
    fill, hatch, ink = style
    paused = day.run_paused
    if paused:  # the run as it would be, faded, framed in the pain colour
        fill, ink = LIGHT, BLACK
    _box(ax, x, RUN, fill=fill)
    _box(ax, x, (RUN[0], RUN[0] + 0.55), fill=fill, edge=ink, width=0.0, hatch=hatch)
    lines = [label]
    if day.start is not None:
        lines.append(f"{day.start:%H:%M}")
    if day.minutes is not None:
        lines.append(texts.PICTURE_MINUTES.format(minutes=day.minutes))
    ax.text(
        centre,
        RUN[0] + 0.75,
        "\n".join(lines),
        ha="center",
        va="top",
        fontsize=16,
        color=ink,
        fontweight="bold",
        linespacing=1.3,
    )
    if paused:
        _box(ax, x, RUN, fill="none", edge=PAIN_COLOUR, width=3, style="dashed")
        ax.text(
            centre,
            RUN[1] - 0.15,
            texts.PICTURE_PAIN[PainMark.RUN_PAUSED.value],
            ha="center",
            va="bottom",
            fontsize=13,
            color=BLACK,
            fontweight="bold",
        )


def _strength(ax: Axes, x: float, day: DayTile) -> None:
    centre = x + 0.5
    if day.strength is None and day.pain is not PainMark.SESSION_REMOVED:
        return
    pain = day.pain in (PainMark.SESSION_EASED, PainMark.SESSION_REMOVED)
    edge, style = (PAIN_COLOUR, "dashed") if pain else (BLACK, "solid")
    _box(ax, x, STRENGTH, fill=WHITE, edge=edge, width=3, style=style)
    _box(ax, x, (STRENGTH[0], STRENGTH[0] + 0.6), fill=BLACK if not pain else PAIN_COLOUR)
    ax.text(
        centre,
        STRENGTH[0] + 0.3,
        texts.PICTURE_STRENGTH,
        ha="center",
        va="center",
        fontsize=12,
        fontweight="bold",
        color=WHITE,
    )
    lines = []
    if day.strength is not None:
        lines.append(_wrap(day.strength))
        if day.strength_minutes is not None:
            lines.append(texts.PICTURE_MINUTES.format(minutes=day.strength_minutes))
    if pain and day.pain is not None:
        lines.append(texts.PICTURE_PAIN[day.pain.value])
    ax.text(
        centre,
        STRENGTH[0] + 0.8,
        "\n".join(lines),
        ha="center",
        va="top",
        fontsize=15,
        linespacing=1.25,
    )


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
    return _png(figure)


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
