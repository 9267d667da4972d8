"""Rule 1 and the cut: ties at the cut are never split; policies and the Chairman settle them."""

from __future__ import annotations

import pytest

from mirrorball.scoring import CutOption, CutPolicy, recall

JUDGES = ["A", "B", "C"]


def round_with_totals(totals: dict[str, int]) -> dict[str, dict[str, list[int]]]:
    """One dance where couple c gets totals[c] X's (from judges A, B, C in that order); no count check."""
    return {"Waltz": {c: [1 if j < t else 0 for j in range(3)] for c, t in totals.items()}}


def test_the_documented_example_six_asked_four_or_seven() -> None:
    totals = {"a": 3, "b": 3, "c": 3, "d": 3, "e": 2, "f": 2, "g": 2, "h": 1}
    result = recall(round_with_totals(totals), judges=JUDGES, requested=6, marks_per_judge=None)
    assert not result.resolved and result.recalled == () and result.min_marks is None
    assert result.options == (
        CutOption(3, ("a", "b", "c", "d")),
        CutOption(2, ("a", "b", "c", "d", "e", "f", "g")),
    )
    cut = result.decisions[-1]
    assert cut.rule == "cut" and cut.couples == ("e", "f", "g")
    assert "the Chairman chooses 4 (3 or more marks) or 7 (2 or more marks)" in cut.note


@pytest.mark.parametrize(
    "policy, size",
    [(CutPolicy.MORE, 7), (CutPolicy.FEWER, 4), (CutPolicy.NEAREST, 7)],
)
def test_policies(policy: CutPolicy, size: int) -> None:
    totals = {"a": 3, "b": 3, "c": 3, "d": 3, "e": 2, "f": 2, "g": 2, "h": 1}
    result = recall(
        round_with_totals(totals), judges=JUDGES, requested=6, marks_per_judge=None, policy=policy
    )
    assert result.resolved and len(result.recalled) == size
    assert policy.value in result.decisions[-1].note


def test_nearest_prefers_fewer_when_closer_and_more_on_equal_distance() -> None:
    closer_fewer = {"a": 3, "b": 3, "c": 3, "d": 3, "e": 3, "f": 2, "g": 2, "h": 2, "i": 1}
    result = recall(
        round_with_totals(closer_fewer),
        judges=JUDGES,
        requested=6,
        marks_per_judge=None,
        policy=CutPolicy.NEAREST,
    )
    assert len(result.recalled) == 5  # 5 is 1 away, 8 is 2 away
    equal = {"a": 3, "b": 3, "c": 3, "d": 3, "e": 3, "f": 2, "g": 2, "h": 1}
    result = recall(
        round_with_totals(equal), judges=JUDGES, requested=6, marks_per_judge=None, policy=CutPolicy.NEAREST
    )
    assert len(result.recalled) == 7  # 5 and 7 are both 1 away: more
    assert "equal distance goes to more" in result.decisions[-1].note


def test_fewer_falls_back_to_more_when_nobody_is_above_the_tie() -> None:
    totals = {"a": 2, "b": 2, "c": 2, "d": 1}
    for policy in CutPolicy:
        result = recall(
            round_with_totals(totals), judges=JUDGES, requested=2, marks_per_judge=None, policy=policy
        )
        assert result.resolved and result.recalled == ("a", "b", "c")
        assert result.options == (CutOption(2, ("a", "b", "c")),)


def test_asking_for_everyone_recalls_everyone() -> None:
    totals = {"a": 2, "b": 0}
    result = recall(round_with_totals(totals), judges=JUDGES, requested=5, marks_per_judge=None)
    assert result.resolved and result.recalled == ("a", "b") and result.options == ()


def test_final_size_uses_the_same_tie_rule() -> None:
    """Semi-final to a final of 6 whose 6th place is tied: the same options come back."""
    totals = {str(n): t for n, t in zip(range(1, 9), [3, 3, 3, 3, 3, 2, 2, 0], strict=True)}
    result = recall(round_with_totals(totals), judges=JUDGES, requested=6, marks_per_judge=None)
    assert [len(o.recalled) for o in result.options] == [5, 7]


def test_totals_span_dances_and_x_marks_are_kept_as_booleans() -> None:
    x = {"W": {"1": [1, 0], "2": [0, 1]}, "T": {"1": [True, True], "2": [False, False]}}
    result = recall(x, judges=["A", "B"], requested=1, marks_per_judge={"W": 1, "T": 1})
    assert result.totals == {"1": 3, "2": 1}
    assert result.x_marks["W"]["1"] == (True, False)
    assert result.recalled == ("1",) and result.min_marks == 3
    assert result.decisions[0].rule == "R1" and result.decisions[0].counts == {"1": 3, "2": 1}
