"""A final of several dances: Rules 9–11 over the dances' places (and, for Rule 11, their marks)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from mirrorball.scoring.places import Place
from mirrorball.scoring.tabulation import FinalResult


def place_final(dances: Mapping[str, Mapping[str, Sequence[int]]], *, judges: Sequence[str]) -> FinalResult:
    """Place every dance (Rules 5–8), then the final (Rules 9–11). ``dances[dance][couple][j]``."""
    raise NotImplementedError


def place_final_from_dance_places(
    dance_places: Mapping[str, Mapping[str, Place | Fraction | int]],
) -> FinalResult:
    """Rules 9–10 from published dance places; raises Rule11NeedsMarks when only Rule 11 could decide."""
    raise NotImplementedError
