"""Figure 4: plans per second from `core.planner.plan_week`, on one core.

Random profiles (goal, race date from 3 weeks back to 30 weeks ahead, 2-4 sessions, 10-90
minutes, placement, any equipment, up to two niggles), random weeks (any kind of day, most
with a start time), random Mondays, progression levels and sore areas. Every plan of a
repetition is different; the figure is the best of several repetitions (the least disturbed
by other processes), and the first, cold one is reported beside it.

Ceiling beside it, timed right after each repetition on the same plans: reading them back
from their stored JSON with pydantic (`Plan.model_validate`, what `storage.repo.get_plan`
does), which is what producing the output alone costs.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from bench.common import Figure, Row
from core.models import (
    BodyArea,
    Day,
    DayKind,
    Equipment,
    Goal,
    PlacementPreference,
    Plan,
    Profile,
    Week,
)
from core.planner import plan_week

MONDAY = dt.date(2026, 11, 30)
Inputs = tuple[Profile, Week, dt.date, int, frozenset[BodyArea]]


def random_inputs(rng: random.Random, count: int) -> list[Inputs]:
    out = []
    for _ in range(count):
        race = None
        if rng.random() < 0.6:
            race = MONDAY + dt.timedelta(days=rng.randint(-20, 210))
        profile = Profile(
            goal=rng.choice(list(Goal)) if race else Goal.NONE,
            race_date=race,
            sessions_per_week=rng.randint(2, 4),
            minutes=rng.randint(10, 90),
            placement=rng.choice(list(PlacementPreference)),
            equipment=frozenset(rng.sample(list(Equipment), rng.randint(0, 3))),
            niggles=frozenset(rng.sample(list(BodyArea), rng.randint(0, 2))),
        )
        days = []
        for _ in range(7):
            start = None
            if rng.random() < 0.7:
                start = dt.time(rng.randint(5, 20), rng.choice((0, 15, 30, 45)))
            days.append(Day(kind=rng.choice(list(DayKind)), start=start))
        week = Week(days=tuple(days))
        monday = MONDAY + dt.timedelta(weeks=rng.randint(-4, 30))
        level = rng.randint(-2, 4)
        avoid = frozenset(rng.sample(list(BodyArea), rng.choice((0, 0, 0, 1))))
        out.append((profile, week, monday, level, avoid))
    return out


def run(plans: int, repeats: int, seed: int = 7) -> Figure:
    figure = Figure("4. Planner")
    started = time.perf_counter()
    rng = random.Random(seed)
    rates: list[float] = []
    ceiling_rates: list[float] = []
    for _ in range(repeats):
        inputs = random_inputs(rng, plans)
        begin = time.process_time()
        for p, w, m, lv, a in inputs:  # each plan is dropped at once, as the bot does
            plan_week(p, w, m, level=lv, avoid=a)
        rates.append(plans / (time.process_time() - begin))
        # The ceiling right after, on the same plans, so both see the same machine.
        stored = [
            plan_week(p, w, m, level=lv, avoid=a).model_dump(mode="json")
            for p, w, m, lv, a in inputs
        ]
        begin = time.process_time()
        for data in stored:
            Plan.model_validate(data)
        ceiling_rates.append(plans / (time.process_time() - begin))
    best, ceiling = max(rates), max(ceiling_rates)
    ratios = [r / c for r, c in zip(rates, ceiling_rates, strict=True)]
    figure.rows.append(
        Row(
            "4 Planner, random profiles",
            best,
            ceiling,
            "plans/s",
            "≥ 5,000 plans/s",
            best >= 5000,
            ceiling_label="Plan.model_validate of the stored JSON",
            ratio=statistics.median(ratios),
            notes=f"median of the repetitions {statistics.median(rates):,.0f}/s; "
            f"first (cold) {rates[0]:,.0f}/s",
        )
    )
    figure.details.append(
        f"4: {repeats} repetitions of {plans:,} different random plans, CPU time of this "
        f"process (one core); plans/s per repetition: "
        f"{', '.join(f'{r:,.0f}' for r in rates)}; ceiling right after each: "
        f"{', '.join(f'{r:,.0f}' for r in ceiling_rates)}; ratio = median of the "
        "per-repetition ratios."
    )
    figure.seconds = time.perf_counter() - started
    return figure
