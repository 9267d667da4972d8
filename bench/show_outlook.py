"""How long the show engine takes for what a producer does live: combine a week, and the outlook.

Prints medians and ratios measured side by side in one run (no assertions):
    PYTHONPATH=src python bench/show_outlook.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from fractions import Fraction
from functools import partial

from mirrorball.scoring.show import PRESETS, Rules, combine, outlook


def median_ms(run: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def week(n: int) -> tuple[list[str], dict[str, Fraction], dict[str, Fraction]]:
    couples = [f"couple {i}" for i in range(n)]
    judges = {c: Fraction(20 + (7 * i) % 19) for i, c in enumerate(couples)}
    votes = {c: Fraction(1000 + (389 * i) % 977) for i, c in enumerate(couples)}
    return couples, judges, votes


def main() -> None:
    rows = []
    for n in (8, 13):
        couples, judges, votes = week(n)
        rows.append(
            (
                f"combine, percentage, {n} couples",
                median_ms(partial(combine, couples, judges, votes, Rules())),
            )
        )
        rows.append(
            (f"outlook, percentage, {n} couples", median_ms(partial(outlook, couples, judges, Rules())))
        )
    for n in (8, 15):
        couples, judges, _ = week(n)
        strictly = partial(outlook, couples, judges, PRESETS["strictly"])
        rows.append((f"outlook, Strictly greedy, {n} couples", median_ms(strictly)))
    couples, judges, _ = week(7)
    greedy = median_ms(partial(outlook, couples, judges, PRESETS["dwts-rank"]))
    enumerated = median_ms(
        partial(outlook, couples, judges, Rules(method="rank", tie_break=("order", "votes"))), 3
    )
    rows.append(("outlook, rank, 7 couples, greedy", greedy))
    rows.append(("outlook, rank, 7 couples, all 5040 orderings", enumerated))
    width = max(len(name) for name, _ in rows)
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:9.2f} ms")
    print(f"enumeration / greedy at 7 couples: {enumerated / greedy:.0f}x")


if __name__ == "__main__":
    main()
