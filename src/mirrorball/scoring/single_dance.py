"""One dance of a final: Rules 2–8 (validation, then the majority engine from column 1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mirrorball.scoring.tabulation import DanceResult


def place_dance(
    marks: Mapping[str, Sequence[int]], *, judges: Sequence[str], dance: str = "Dance"
) -> DanceResult:
    """Place one dance: ``marks[couple][j]`` is judge ``judges[j]``'s rank (1..N, no ties)."""
    raise NotImplementedError
