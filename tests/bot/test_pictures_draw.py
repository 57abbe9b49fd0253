"""The week picture and the progress chart as images: decoded with Pillow and looked at where
a runner would look (a strength day's column, today's mark, the size on a phone)."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image, ImageChops

from bot.pictures import canvas, chart, draw
from bot.pictures.captions import CAPTION_LIMIT, progress_caption, week_caption
from core.models import DayKind
from core.pictures import DayTile, PainMark, PainPoint, Progress, WeekBar, WeekPicture

MONDAY = dt.date(2026, 11, 30)
KINDS = (
    DayKind.REST,
    DayKind.INTERVALS,
    DayKind.EASY,
    DayKind.TEMPO,
    DayKind.OFF,
    DayKind.LONG,
    DayKind.EASY,
)


def week(
    *, today: dt.date | None = None, strength: tuple[int, ...] = (2, 4), **marks: object
) -> WeekPicture:
    days = []
    for i, kind in enumerate(KINDS):
        day = MONDAY + dt.timedelta(days=i)
        days.append(
            DayTile(
                date=day,
                kind=kind,
                start=dt.time(18, 0) if kind.is_run else None,
                minutes=45 if kind.is_run else None,
                strength="Strength A (light)" if i in strength else None,
                strength_minutes=25 if i in strength else None,
                today=day == today,
                paused=day in marks.get("paused", ()),  # type: ignore[operator]
                run_paused=i in marks.get("run_paused", ()),  # type: ignore[operator]
                pain=marks.get("pain", {}).get(i),  # type: ignore[attr-defined]
            )
        )
    return WeekPicture(week_start=MONDAY, days=tuple(days))


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


def column(image: Image.Image, index: int, rows: tuple[float, float]) -> Image.Image:
    """One day's column between two of the picture's rows (draw's axis units)."""
    left, right = 0.01 * image.width, 0.99 * image.width
    top, height = 0.01 * image.height, 0.98 * image.height
    width = (right - left) / 7
    return image.crop(
        (
            round(left + index * width),
            round(top + rows[0] / 10 * height),
            round(left + (index + 1) * width),
            round(top + rows[1] / 10 * height),
        )
    )


def blank(region: Image.Image) -> bool:
    return region.convert("L").getextrema() == (255, 255)


def test_the_week_is_a_png_a_thousand_pixels_wide() -> None:
    image = decoded(draw.week_png(week()))
    assert image.width == canvas.WIDTH_PX == 1000
    assert 600 <= image.height <= 1000  # one screen on a phone, no scrolling


def test_a_strength_day_has_a_box_where_a_rest_day_has_nothing() -> None:
    image = decoded(draw.week_png(week()))
    rest, strength_day = column(image, 0, draw.STRENGTH), column(image, 4, draw.STRENGTH)
    assert blank(rest)
    assert not blank(strength_day)
    # The STRENGTH band is black, so it reads without colour.
    assert strength_day.convert("L").getextrema()[0] < 40
    # The same day without its session is as plain as the rest day.
    without = decoded(draw.week_png(week(strength=(2,))))
    assert blank(column(without, 4, draw.STRENGTH))


def test_today_is_marked_and_only_today_changes() -> None:
    marked = decoded(draw.week_png(week(today=MONDAY + dt.timedelta(days=2))))
    plain = decoded(draw.week_png(week()))
    whole = (0.0, 10.0)
    assert ImageChops.difference(column(marked, 2, whole), column(plain, 2, whole)).getbbox()
    for other in (0, 4, 6):
        assert not ImageChops.difference(
            column(marked, other, whole), column(plain, other, whole)
        ).getbbox()


def test_a_paused_day_and_a_pain_change_are_drawn_differently_from_a_normal_day() -> None:
    plain = decoded(draw.week_png(week()))
    marked = decoded(draw.week_png(week(paused=(MONDAY + dt.timedelta(days=6),), run_paused=(5,))))
    for index in (5, 6):
        assert ImageChops.difference(
            column(marked, index, draw.RUN), column(plain, index, draw.RUN)
        ).getbbox()


def test_every_run_kind_has_its_own_colour_and_pattern() -> None:
    styles = [(fill, hatch) for fill, hatch, _ in draw.KIND_STYLE.values()]
    assert len(set(styles)) == len(styles)
    assert len({hatch for _, hatch in styles}) == len(styles)  # a pattern, not colour alone


def test_the_week_caption_carries_the_pictures_facts() -> None:
    picture = week(
        today=MONDAY + dt.timedelta(days=2),
        paused=(MONDAY + dt.timedelta(days=6),),
        run_paused=(5,),
    )
    caption = week_caption(picture)
    lines = caption.splitlines()
    assert lines[0] == "Your week from Monday 30 November."
    assert lines[1] == (
        "Runs: Tue intervals 18:00, Wed easy 18:00, Thu tempo 18:00, "
        "Sat long run 18:00 (run paused for pain), Sun easy 18:00."
    )
    assert "💪 Wed 02: Strength A (light), 25 min" in lines
    assert "💪 Fri 04: Strength A (light), 25 min" in lines
    assert "Today: Wed 02." in lines and "Paused: Sun 06." in lines
    assert len(caption) <= CAPTION_LIMIT


def progress(pains: tuple[PainPoint, ...] = ()) -> Progress:
    weeks = tuple(
        WeekBar(
            monday=MONDAY - dt.timedelta(weeks=11 - i),
            planned=3,
            done=i % 4,
            skipped=1 if i % 4 == 0 else 0,
            level=1 + i // 4,
        )
        for i in range(12)
    )
    return Progress(weeks=weeks, pains=pains, streak=2)


def test_the_progress_chart_is_a_png_a_thousand_pixels_wide_and_shows_the_pain() -> None:
    knee = (PainPoint(day=MONDAY - dt.timedelta(days=20), score=6, area="Knee (front)"),)
    with_pain = decoded(chart.progress_png(progress(knee)))
    without = decoded(chart.progress_png(progress()))
    assert with_pain.width == without.width == 1000
    # The pain panel (the lower part) differs; the bars above are the same.
    lower = (0, with_pain.height // 2 + 40, with_pain.width, with_pain.height)
    assert ImageChops.difference(with_pain.crop(lower), without.crop(lower)).getbbox()
    upper = (0, 60, with_pain.width, with_pain.height // 2)
    assert not ImageChops.difference(with_pain.crop(upper), without.crop(upper)).getbbox()
    # Done weeks are drawn in the Okabe–Ito blue.
    assert (0x00, 0x72, 0xB2) in {c for _, c in with_pain.getcolors(1 << 20) or []}


def test_the_progress_caption_says_done_of_planned_the_level_and_the_last_pain() -> None:
    knee = tuple(
        PainPoint(day=MONDAY - dt.timedelta(days=d), score=s, area="Knee (front)")
        for d, s in ((30, 5), (20, 4), (10, 3), (3, 2))
    )
    caption = progress_caption(progress(knee))
    assert "Level 3 now; streak 2 weeks." in caption
    assert "0/3, 1/3, 2/3, 3/3, 0/3, 1/3, 2/3, 3/3, 0/3, 1/3, 2/3, 3/3" in caption
    assert "Skipped: 3 in all." in caption
    # The last three scores, oldest first.
    assert "10 Nov Knee (front) 4/10; 20 Nov Knee (front) 3/10; 27 Nov Knee (front) 2/10" in (
        caption
    )
    assert len(caption) <= CAPTION_LIMIT


def test_a_session_the_pain_check_removed_is_drawn_and_said() -> None:
    picture = week(strength=(2,), pain={4: PainMark.SESSION_REMOVED})
    image = decoded(draw.week_png(picture))
    assert not blank(column(image, 4, draw.STRENGTH))  # a dashed box where it was
    plain = decoded(draw.week_png(week(strength=(2,))))
    assert blank(column(plain, 4, draw.STRENGTH))
    assert "💪 Fri 04: removed for pain" in week_caption(picture).splitlines()
