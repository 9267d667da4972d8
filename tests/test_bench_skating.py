"""The skating bench runs: one repetition, asserting only that it finishes and prints its figures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_runs_once_and_prints_its_figures() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "160"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_skating.py"), "--repeat", "1"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    figures = ("median ms", "p90 ms", "per second", "tabulate final", "tabulate recall", "render html sheet")
    for words in figures:
        assert words in done.stdout, words
