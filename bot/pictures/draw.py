"""Drawing the week picture as PNG bytes (docs/pictures.md): a column a day, the run in its
row, the strength session in its own; the palette and the canvas are `canvas`'s, the
progress chart is `chart`'s.

Colour is never alone: each run says its kind in words and carries a pattern of its own,
strength is a black-framed box that says STRENGTH, today's column is framed and labelled
TODAY, a paused day is greyed and says PAUSED.
"""

from __future__ import annotations

import textwrap

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot import texts
from bot.pictures.canvas import (
    BLACK,
    BLUE,
    DPI,
    GREEN,
    GREY,
    LIGHT,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    WHITE,
    WIDTH_PX,
    YELLOW,
    png,
    without_collection,
)
from core.models import DayKind
from core.pictures import DayTile, PainMark, WeekPicture

# Each run kind its colour, its pattern and its text colour.
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
    return png(figure)


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
