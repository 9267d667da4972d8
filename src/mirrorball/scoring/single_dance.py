"""One dance of a final: Rules 2–8 (validation, then the majority engine from column 1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mirrorball.scoring.majority import column_label, place_by_majority
from mirrorball.scoring.tabulation import DanceResult
from mirrorball.scoring.validation import check_panel, check_ranks


def place_dance(
    marks: Mapping[str, Sequence[int]], *, judges: Sequence[str], dance: str = "Dance"
) -> DanceResult:
    """Place one dance: ``marks[couple][j]`` is judge ``judges[j]``'s rank (1..N, no ties).

    Raises a ScoringError subclass (naming dance, judge and couple) for marks Rules 2–4 forbid.
    """
    panel = check_panel(judges)
    check_ranks(marks, panel, dance)
    rows = {couple: tuple(row) for couple, row in marks.items()}
    n = len(rows)
    majority = len(panel) // 2 + 1
    outcome = place_by_majority(rows, majority=majority, first_column=1, last_column=n, dance=dance)
    return DanceResult(
        dance=dance,
        judges=panel,
        couples=tuple(rows),
        marks=rows,
        majority=majority,
        columns=tuple(column_label(k) for k in outcome.columns),
        cells=outcome.cells,
        places={c: outcome.places[c] for c in rows},
        decisions=outcome.decisions,
    )
