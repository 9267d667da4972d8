"""Preliminary rounds: Rule 1 (totals of X marks) and the cut, which never splits a tie."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mirrorball.scoring.tabulation import CutPolicy, RecallResult


def recall(
    x_marks: Mapping[str, Mapping[str, Sequence[bool | int]]],
    *,
    judges: Sequence[str],
    requested: int,
    marks_per_judge: int | Mapping[str, int] | None,
    policy: CutPolicy = CutPolicy.ASK,
    chairman_choice: int | None = None,
) -> RecallResult:
    """Total ``x_marks[dance][couple][j]`` (judge ``judges[j]``'s X) and cut at ``requested``.

    ``marks_per_judge``: the X's each judge must give per dance (an int, or per dance name); None makes
    no check. It has no default on purpose: skipping the check must be a visible choice.
    """
    raise NotImplementedError
