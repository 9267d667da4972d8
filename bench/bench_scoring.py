"""How long the skating engine takes on realistic sizes (medians; printed, never asserted).

Run: PYTHONPATH=src python bench/bench_scoring.py
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from mirrorball.scoring import place_dance, place_final, recall

JUDGES = [chr(ord("A") + i) for i in range(9)]
DANCES = ["Waltz", "Tango", "Viennese Waltz", "Slow Foxtrot", "Quickstep"]


def final_marks(rnd: random.Random, couples: int) -> dict[str, dict[str, list[int]]]:
    """Judges who broadly agree (a shared order plus noise), as real panels do, so ties happen sometimes."""
    names = [str(100 + i) for i in range(couples)]
    dances = {}
    for dance in DANCES:
        rankings = []
        for _ in JUDGES:
            noisy = sorted(names, key=lambda c: names.index(c) + rnd.gauss(0, 1.5))
            rankings.append({c: noisy.index(c) + 1 for c in names})
        dances[dance] = {c: [r[c] for r in rankings] for c in names}
    return dances


def x_marks(rnd: random.Random, couples: int, per_judge: int) -> dict[str, dict[str, list[int]]]:
    names = [str(100 + i) for i in range(couples)]
    result = {}
    for dance in DANCES:
        picks = [set(rnd.sample(names, per_judge)) for _ in JUDGES]
        result[dance] = {c: [int(c in p) for p in picks] for c in names}
    return result


def median_seconds(action: Callable[[], object], repeats: int = 200) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rnd = random.Random(2026)
    final = final_marks(rnd, 8)
    big = final_marks(rnd, 12)
    prelim = x_marks(rnd, 48, 24)
    one = median_seconds(lambda: place_dance(final["Waltz"], judges=JUDGES))
    five = median_seconds(lambda: place_final(final, judges=JUDGES))
    twelve = median_seconds(lambda: place_final(big, judges=JUDGES))
    cut = median_seconds(lambda: recall(prelim, judges=JUDGES, requested=24, marks_per_judge=24))
    rows = [
        ("place_dance   8 couples x 9 judges", one, ""),
        ("place_final   8 couples x 9 judges x 5 dances", five, f"{five / one:.1f}x one dance"),
        ("place_final  12 couples x 9 judges x 5 dances", twelve, f"{twelve / five:.1f}x 8 couples"),
        ("recall       48 couples x 9 judges x 5 dances", cut, ""),
    ]
    for label, seconds, ratio in rows:
        print(f"{label:<48} {seconds * 1e3:8.3f} ms  {ratio}")


if __name__ == "__main__":
    main()
