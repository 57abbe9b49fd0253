"""The pictures' facts in words: the photo's caption, for screen readers and for anyone whose
phone does not load the image (Telegram allows 1,024 characters)."""

from __future__ import annotations

from bot import texts
from core.pictures import PainMark, Progress, WeekPicture

CAPTION_LIMIT = 1024


def fit(text: str) -> str:
    return text if len(text) <= CAPTION_LIMIT else text[: CAPTION_LIMIT - 1] + "…"


def week_caption(picture: WeekPicture) -> str:
    """The title, the runs in one line, a line per strength day, today, pauses."""
    days = [d for d in picture.days if d.planned]
    first = days[0].date if days else picture.week_start
    lines = [texts.CAPTION_TITLE.format(first=first)]
    runs = []
    for day in days:
        if not day.kind.is_run:
            continue
        run = f"{day.date:%a} {texts.PICTURE_KINDS[day.kind.value].lower()}"
        if day.start is not None:
            run += f" {day.start:%H:%M}"
        if day.run_paused:
            run += f" ({texts.CAPTION_PAIN[PainMark.RUN_PAUSED.value]})"
        runs.append(run)
    lines.append(
        texts.CAPTION_RUNS.format(runs=", ".join(runs)) if runs else texts.CAPTION_NO_RUNS
    )
    strength = [d for d in days if d.strength is not None or d.pain is PainMark.SESSION_REMOVED]
    for day in strength:
        pain = ""
        if day.pain in (PainMark.SESSION_EASED, PainMark.SESSION_REMOVED) and day.pain:
            pain = f" ({texts.CAPTION_PAIN[day.pain.value]})"
        lines.append(
            texts.CAPTION_STRENGTH.format(
                day=day.date,
                name=day.strength or "",
                minutes=day.strength_minutes or 0,
                pain=pain,
            )
            if day.strength is not None
            else texts.CAPTION_REMOVED.format(
                day=day.date, what=texts.CAPTION_PAIN[PainMark.SESSION_REMOVED.value]
            )
        )
    if not strength:
        lines.append(texts.CAPTION_NO_STRENGTH)
    today = next((d for d in days if d.today), None)
    if today is not None:
        lines.append(texts.CAPTION_TODAY.format(day=today.date))
    paused = [f"{d.date:%a %d}" for d in days if d.paused]
    if paused:
        lines.append(texts.CAPTION_PAUSED.format(days=", ".join(paused)))
    return fit("\n".join(lines))


def progress_caption(progress: Progress) -> str:
    """Done of planned per week, the level and the streak, the last pain scores. Once this
    week's step is taken, the level is said as the Sunday line says it: this week's, and the
    one the runner trains at from next week."""
    unit = "week" if progress.streak == 1 else "weeks"
    template = texts.PROGRESS_CAPTION
    if progress.level_next != progress.level:
        template = texts.PROGRESS_CAPTION_STEPPED
    lines = [
        template.format(
            next=progress.level_next,
            weeks=len(progress.weeks),
            level=progress.level,
            streak=progress.streak,
            unit=unit,
            per_week=", ".join(f"{w.done}/{w.planned}" for w in progress.weeks),
            skipped=sum(w.skipped for w in progress.weeks),
        )
    ]
    if progress.pains:
        scores = [
            texts.CAPTION_PAIN_SCORE.format(day=p.day, area=p.area, score=p.score)
            for p in progress.pains[-3:]
        ]
        lines.append(texts.PROGRESS_CAPTION_PAIN.format(scores="; ".join(scores)))
    else:
        lines.append(texts.PROGRESS_CAPTION_NO_PAIN)
    return fit("\n".join(lines))
