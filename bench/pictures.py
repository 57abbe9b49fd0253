"""Figure 7: the week picture and the progress chart (docs/pictures.md): render time per
image, p50 and p99, and the process's memory over many renders.

Each image is drawn as the bot draws it (`bot.pictures.draw` and `.chart`, matplotlib's Agg
canvas, a new Figure each time), in this process, from the worked week with two strength
sessions, today marked, a paused day and a pain change, and from twelve weeks of bars with
pain points. The goal: under 150 ms an image, and no memory growth over the renders (RSS
after warm-up, then after every render; growth = last - first).

Ceiling beside each: the same canvas size with one line of text, encoded the same way, what
any matplotlib PNG of that size costs (so the ratio says what our drawing adds).

`python -m bench.pictures [--renders 1000]` runs this figure alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import os
import time

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure

from bench.common import Figure, Row, percentile, rss_mb
from bot.pictures import canvas, draw
from bot.pictures.chart import progress_png
from core.models import DayKind
from core.pictures import DayTile, PainMark, PainPoint, Progress, WeekBar, WeekPicture

MONDAY = dt.date(2026, 11, 30)
GOAL_MS = 150.0
GOAL_GROWTH_MB = 5.0
WARM_UP = 10


def week() -> WeekPicture:
    kinds = (
        DayKind.REST,
        DayKind.INTERVALS,
        DayKind.EASY,
        DayKind.TEMPO,
        DayKind.OFF,
        DayKind.LONG,
        DayKind.EASY,
    )
    days = []
    for i, kind in enumerate(kinds):
        strength = i in (2, 4, 6)
        days.append(
            DayTile(
                date=MONDAY + dt.timedelta(days=i),
                kind=kind,
                start=dt.time(7 + i, 0) if kind.is_run else None,
                minutes=40 if kind.is_run else None,
                strength="Strength B (heavy)" if strength else None,
                strength_minutes=30 if strength else None,
                today=i == 2,
                paused=i == 6,
                run_paused=i == 5,
                pain=PainMark.SESSION_EASED if i == 4 else None,
            )
        )
    return WeekPicture(week_start=MONDAY, days=tuple(days))


def progress() -> Progress:
    weeks = tuple(
        WeekBar(
            monday=MONDAY - dt.timedelta(weeks=11 - i),
            planned=3,
            done=(i * 7) % 4,
            skipped=1 if i % 3 == 0 else 0,
            level=1 + i // 3,
        )
        for i in range(12)
    )
    pains = tuple(
        PainPoint(day=MONDAY - dt.timedelta(days=d), score=s, area="Knee (front)")
        for d, s in ((60, 5), (55, 4), (41, 3), (20, 2), (6, 1))
    )
    return Progress(weeks=weeks, pains=pains, streak=3)


def blank_png(height_in: float) -> bytes:
    """The ceiling: a figure of the same size with one line of text, encoded alike."""
    figure = MplFigure(figsize=(canvas.WIDTH_PX / canvas.DPI, height_in), dpi=canvas.DPI)
    figure.text(0.05, 0.95, "Your week", fontsize=22)
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png", dpi=canvas.DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _times(render: object, renders: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds (this thread's) of each render. On a shared machine the
    wall time includes waiting for a core; the CPU time is the drawing's own cost."""
    assert callable(render)
    for _ in range(min(WARM_UP, renders)):
        render()
    wall, cpu = [], []
    for _ in range(renders):
        begin, begin_cpu = time.perf_counter(), time.thread_time()
        render()
        wall.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.thread_time() - begin_cpu) * 1000)
    return wall, cpu


def run(renders: int) -> Figure:
    figure = Figure("7. Pictures")
    started = time.perf_counter()
    picture, chart = week(), progress()
    rows = (
        ("week picture", lambda: draw.week_png(picture), lambda: blank_png(7.5)),
        ("progress chart", lambda: progress_png(chart), lambda: blank_png(8.0)),
    )
    load = os.getloadavg()[0]
    for name, render, ceiling in rows:
        ours, cpu = _times(render, renders)
        floor, _ = _times(ceiling, max(renders // 10, 5))
        p50, p99 = percentile(ours, 50), percentile(ours, 99)
        figure.rows.append(
            Row(
                f"7 Render time, {name}: p99",
                p99,
                percentile(floor, 99),
                "ms",
                f"≤ {GOAL_MS:.0f} ms",
                p99 <= GOAL_MS,
                ceiling_label="a blank PNG of the same size",
                notes=f"p50 {p50:.1f} ms; CPU p50 {percentile(cpu, 50):.1f} ms, "
                f"p99 {percentile(cpu, 99):.1f} ms; {renders:,} renders",
            )
        )
    # Memory: both images, one after the other, as many renders in all; RSS after each.
    gc.collect()
    for _ in range(WARM_UP):
        draw.week_png(picture)
        progress_png(chart)
    gc.collect()
    before = rss_mb()
    samples = []
    for i in range(renders):
        if i % 2:
            progress_png(chart)
        else:
            draw.week_png(picture)
        samples.append(rss_mb())
    gc.collect()
    after = rss_mb()
    growth = after - before
    half = samples[len(samples) // 2] if samples else before
    figure.rows.append(
        Row(
            f"7 Memory over {renders:,} renders",
            growth,
            0.0,
            "MB",
            f"≤ {GOAL_GROWTH_MB:.0f} MB (no growth)",
            growth <= GOAL_GROWTH_MB,
            ceiling_label="no growth",
            ratio=None,
            notes=f"RSS {before:.0f} → {after:.0f} MB (halfway {half:.0f} MB)",
        )
    )
    figure.details.append(
        f"7: `bot.pictures` in this process, wall time per image after {WARM_UP} "
        f"warm-up renders; the week picture (worked week, 3 strength days, today, a pause, "
        f"pain changes) and the 12-week chart (bars, level, 5 pain points), {renders:,} "
        f"renders each; memory: {renders:,} renders alternating the two, RSS {before:.1f} MB "
        f"after warm-up, {half:.1f} MB halfway, {after:.1f} MB at the end; the bot draws "
        "them in a worker thread (asyncio.to_thread), which this measures without; "
        f"1-minute load average {load:.1f} at the start of the figure, {os.getloadavg()[0]:.1f} "
        "at its end (other processes on these cores lengthen the wall times, not the CPU ones)."
    )
    figure.seconds = time.perf_counter() - started
    return figure


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pictures", description=__doc__)
    parser.add_argument("--renders", type=int, default=1000)
    args = parser.parse_args(argv)
    result = run(args.renders)
    for row in result.rows:
        met = "—" if row.met is None else ("yes" if row.met else "no")
        print(
            f"{row.figure}: {row.ours:.2f} {row.unit} ({row.notes}); ceiling "
            f"{row.ceiling:.2f} {row.unit} ({row.ceiling_label}); goal {row.goal}: {met}"
        )
    for detail in result.details:
        print(f"- {detail}")


if __name__ == "__main__":
    main()
