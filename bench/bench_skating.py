"""How fast `mirrorball tabulate` works a round, and what the sheets cost on top.

Two rounds, each generated from a seed so every run measures the same work:
- a 5-dance final of 8 couples and 11 judges (random but valid ranks: a permutation per judge and dance);
- a 300-couple recall round, 11 judges, 5 dances, each judge marking exactly the number asked for.

Each round is tabulated many times (cycling through a few differently seeded rounds, so one lucky set of
marks does not decide the figures), then its text and HTML sheets are rendered. Printed: median and
90th-percentile time per round, rounds per second, and the rendering cost as a ratio of the tabulation
measured in the same run.

    PYTHONPATH=src python bench/bench_skating.py [--repeat N] [--seed S]
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from mirrorball.formats import marks_csv
from mirrorball.formats.marks import FinalMarks, RecallMarks, RoundMarks
from mirrorball.scoring import CutPolicy
from mirrorball.service.tabulate import tabulate
from mirrorball.sheets import render

DANCES = ("Waltz", "Tango", "Viennese Waltz", "Slow Foxtrot", "Quickstep")
JUDGES = tuple("ABCDEFGHIJK")  # 11 judges
VARIANTS = 8  # differently seeded rounds of each shape


def final_round(rng: random.Random, couples: int = 8) -> FinalMarks:
    numbers = [str(n) for n in rng.sample(range(10, 200), couples)]
    ranks: dict[str, dict[str, tuple[int, ...]]] = {}
    for dance in DANCES:
        per_judge = [rng.sample(range(1, couples + 1), couples) for _ in JUDGES]
        ranks[dance] = {c: tuple(column[i] for column in per_judge) for i, c in enumerate(numbers)}
    return FinalMarks(judges=JUDGES, dances=DANCES, ranks=ranks)


def recall_round(rng: random.Random, couples: int = 300, recall: int = 48) -> RecallMarks:
    numbers = [str(n) for n in range(100, 100 + couples)]
    crosses: dict[str, dict[str, tuple[bool, ...]]] = {}
    for dance in DANCES:
        marked = [set(rng.sample(numbers, recall)) for _ in JUDGES]
        crosses[dance] = {c: tuple(c in chosen for chosen in marked) for c in numbers}
    return RecallMarks(judges=JUDGES, dances=DANCES, crosses=crosses, recall=recall)


def timings(
    work: Callable[[Any], object], inputs: list[Any], repeat: int, progress: Progress, label: str
) -> list[float]:
    task = progress.add_task(label, total=repeat)
    work(inputs[0])  # warm-up: template compilation and first-call costs are not per-round costs
    times = []
    for i in range(repeat):
        item = inputs[i % len(inputs)]
        start = time.perf_counter()
        work(item)
        times.append(time.perf_counter() - start)
        progress.advance(task)
    return times


def p90(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=500, help="tabulations of each round (default 500)")
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    repeat = max(1, args.repeat)
    sheets = max(1, repeat // 10)  # rendering is measured fewer times: it is not the hot path

    rng = random.Random(args.seed)
    finals: list[RoundMarks] = [final_round(rng) for _ in range(VARIANTS)]
    recalls: list[RoundMarks] = [recall_round(rng) for _ in range(VARIANTS)]
    console = Console(width=max(Console().width, 110))
    rows: list[tuple[str, list[float]]] = []
    with Progress(console=console, transient=True) as progress:
        for name, rounds in (
            ("final (5 dances, 8 couples, 11 judges)", finals),
            ("recall (300 couples, 11 judges, 5 dances)", recalls),
        ):
            texts = [marks_csv.dumps(r) for r in rounds]
            results = [tabulate(r, cut_policy=_policy_for(r)) for r in rounds]
            tab = timings(
                lambda r: tabulate(r, cut_policy=_policy_for(r)), rounds, repeat, progress, f"tabulate {name}"
            )
            rows.append((f"tabulate {name}", tab))
            rows.append(
                (
                    f"  read its CSV ({len(texts[0]) // 1024} KiB)",
                    timings(
                        lambda t: marks_csv.parse(t, source="bench"), texts, sheets, progress, "parse CSV"
                    ),
                )
            )
            for fmt in ("text", "html"):
                rows.append(
                    (
                        f"  render {fmt} sheet",
                        timings(
                            functools.partial(render, fmt=fmt), results, sheets, progress, f"render {fmt}"
                        ),
                    )
                )

    table = Table(title=f"mirrorball skating bench (repeat {repeat}, seed {args.seed})")
    for heading in ("work", "runs", "median ms", "p90 ms", "per second", "x tabulation"):
        table.add_column(heading, justify="left" if heading == "work" else "right")
    base = 1.0
    for label, times in rows:
        median = statistics.median(times)
        if label.startswith("tabulate"):
            base = median
        table.add_row(
            label,
            str(len(times)),
            f"{median * 1e3:.3f}",
            f"{p90(times) * 1e3:.3f}",
            f"{1 / median:,.0f}",
            f"{median / base:.2f}",
        )
    console.print(table)


def _policy_for(marks: RoundMarks) -> CutPolicy:
    """Random recall marks often tie at the cut; recall the whole tie so every run tabulates fully."""
    return CutPolicy.MORE if isinstance(marks, RecallMarks) else CutPolicy.ASK


if __name__ == "__main__":
    main()
