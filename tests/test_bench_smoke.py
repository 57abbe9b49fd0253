"""`python -m bench --quick` runs every figure at a tiny size and writes the results table.

No timing is asserted: the benchmarks measure the machine they run on; this test only checks
that the harness works end to end (SQLite and PostgreSQL, child processes, the table).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = (
    "1 Conversations, SQLite: throughput",
    "1 Conversations, SQLite: p99 latency",
    "1 Conversations, PostgreSQL: throughput",
    "2a Reminder dispatch, limiter off",
    "2b Reminder dispatch, limiter 30/s",
    "3 Memory growth",
    "3 Start to ready",
    "4 Planner, random profiles",
    "5a Conversations, SQLite, backlog: replies sustained",
    "5b Conversations, SQLite,",
    "5a Conversations, PostgreSQL, backlog: replies sustained",
    "5b Conversations, PostgreSQL,",
    "6 Replies during a 07:00 burst: p99 arrival to last reply",
    "6 The burst's drain beside the replies",
    "7 Render time, week picture: p99",
    "7 Render time, progress chart: p99",
    "7 Memory over",
    "8 Webhook, SQLite, 30/s: p99 POST to first reply",
    "8 Webhook, SQLite, 300/s: p99 POST to first reply",
    "8 kill -9 mid-stream, SQLite: acknowledged updates never answered",
    "8 Webhook, PostgreSQL, 100/s: p99 POST to first reply",
    "8 kill -9 mid-stream, PostgreSQL: acknowledged updates never answered",
)


def test_quick_bench_runs_every_figure_and_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    env = dict(os.environ)
    env["RUNCOACH_BENCH_POSTGRES_URL"] = os.environ.get(
        "RUNCOACH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--postgres",
            "--scale",
            "--peer",
            "--out",
            str(out),
            "--workdir",
            str(tmp_path / "work"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=480,  # figure 8 starts and kills 10 processes
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    table = out.read_text(encoding="utf-8")
    assert "| Figure | Ours | Ceiling (same run) | Ratio | Goal | Met |" in table
    for figure in FIGURES:
        assert f"| {figure}" in table, figure
    assert table in done.stdout  # printed as well as written
