"""Marks the rules forbid are refused with a specific error that names the dance, judge and couple."""

from __future__ import annotations

from typing import Any

import pytest

from mirrorball.scoring import (
    CouplesMismatch,
    CutPolicy,
    DuplicateJudge,
    DuplicateRank,
    EmptyPanel,
    InvalidCutChoice,
    InvalidMark,
    InvalidRequest,
    InvalidXMark,
    JudgesMismatch,
    MissingMark,
    NoCouples,
    RankOutOfRange,
    ScoringError,
    WrongRecallCount,
    place_dance,
    place_final,
    recall,
)

JUDGES = ["A", "B", "C"]
GOOD = {"11": [1, 2, 1], "12": [2, 1, 3], "13": [3, 3, 2]}


def with_mark(couple: str, judge: int, value: Any) -> dict[str, list[Any]]:
    marks: dict[str, list[Any]] = {c: list(row) for c, row in GOOD.items()}
    marks[couple][judge] = value
    return marks


@pytest.mark.parametrize(
    "marks, error, judge, couple, fragment",
    [
        (with_mark("13", 1, 1), DuplicateRank, "B", "13", "rank 1 given twice, also to couple 12"),
        (with_mark("12", 2, None), MissingMark, "C", "12", "no rank"),
        ({**GOOD, "12": [2, 1]}, MissingMark, "C", "12", "no mark from this judge"),
        (with_mark("11", 0, 4), RankOutOfRange, "A", "11", "outside 1..3"),
        (with_mark("11", 0, 0), RankOutOfRange, "A", "11", "outside 1..3"),
        (with_mark("11", 0, 1.5), InvalidMark, "A", "11", "not a whole number"),
        (with_mark("11", 0, True), InvalidMark, "A", "11", "not a whole number"),
        (with_mark("11", 0, "1"), InvalidMark, "A", "11", "not a whole number"),
        ({**GOOD, "12": [2, 1, 3, 4]}, JudgesMismatch, None, "12", "4 marks for a panel of 3"),
    ],
)
def test_bad_ranks_name_dance_judge_and_couple(
    marks: dict[str, list[Any]], error: type[ScoringError], judge: str | None, couple: str, fragment: str
) -> None:
    with pytest.raises(error) as info:
        place_dance(marks, judges=JUDGES, dance="Waltz")
    assert (info.value.dance, info.value.judge, info.value.couple) == ("Waltz", judge, couple)
    message = str(info.value)
    assert fragment in message and "dance Waltz" in message and f"couple {couple}" in message
    if judge:
        assert f"judge {judge}" in message


def test_a_dance_with_the_wrong_panel_size_is_named() -> None:
    with pytest.raises(JudgesMismatch, match="every couple has 2 marks but the panel has 3 judges") as info:
        place_final({"W": GOOD, "T": {c: row[:2] for c, row in GOOD.items()}}, judges=JUDGES)
    assert info.value.dance == "T"


def test_empty_panel_duplicate_judge_and_no_couples() -> None:
    with pytest.raises(EmptyPanel):
        place_dance(GOOD, judges=[])
    with pytest.raises(DuplicateJudge) as info:
        place_dance(GOOD, judges=["A", "B", "A"])
    assert info.value.judge == "A"
    with pytest.raises(NoCouples) as no_couples:
        place_dance({}, judges=JUDGES, dance="Jive")
    assert no_couples.value.dance == "Jive"
    with pytest.raises(ScoringError, match="no dances"):
        place_final({}, judges=JUDGES)


def test_couples_must_match_between_dances() -> None:
    other = {"11": [1, 2, 1], "12": [2, 1, 3], "14": [3, 3, 2]}
    with pytest.raises(CouplesMismatch) as info:
        place_final({"W": GOOD, "T": other}, judges=JUDGES)
    assert (info.value.dance, info.value.couple) == ("T", "13")
    with pytest.raises(CouplesMismatch) as extra:
        place_final({"W": GOOD, "T": {**GOOD, "14": [4, 4, 4]}}, judges=JUDGES)
    assert (extra.value.dance, extra.value.couple) == ("T", "14")


def test_errors_from_one_dance_of_a_final_name_that_dance() -> None:
    with pytest.raises(DuplicateRank) as info:
        place_final({"W": GOOD, "T": with_mark("13", 1, 1)}, judges=JUDGES)
    assert info.value.dance == "T"


X = {"Waltz": {"1": [1, 1], "2": [1, 0], "3": [0, 1]}, "Tango": {"1": [1, 1], "2": [0, 1], "3": [1, 0]}}


def test_wrong_number_of_x_marks_names_judge_and_dance() -> None:
    bad = {**X, "Tango": {"1": [1, 1], "2": [1, 1], "3": [1, 0]}}
    with pytest.raises(WrongRecallCount, match="marked 3 couples, 2 asked for") as info:
        recall(bad, judges=["A", "B"], requested=2, marks_per_judge=2)
    assert (info.value.dance, info.value.judge) == ("Tango", "A")
    # None means no check: the same marks are totalled as given.
    assert recall(bad, judges=["A", "B"], requested=2, marks_per_judge=None).totals["1"] == 4
    with pytest.raises(WrongRecallCount):
        recall(X, judges=["A", "B"], requested=2, marks_per_judge={"Waltz": 2, "Tango": 1})
    with pytest.raises(InvalidRequest, match="no number of X's"):
        recall(X, judges=["A", "B"], requested=2, marks_per_judge={"Waltz": 2})


@pytest.mark.parametrize("value", [2, -1, "X", 0.5, None])
def test_x_marks_must_be_zero_or_one(value: Any) -> None:
    bad = {"Waltz": {"1": [1, 1], "2": [1, value], "3": [0, 0]}}
    with pytest.raises((InvalidXMark, MissingMark)) as info:
        recall(bad, judges=["A", "B"], requested=2, marks_per_judge=None)
    assert (info.value.dance, info.value.judge, info.value.couple) == ("Waltz", "B", "2")


def test_recall_request_and_choice_errors() -> None:
    with pytest.raises(InvalidRequest):
        recall(X, judges=["A", "B"], requested=0, marks_per_judge=2)
    with pytest.raises(InvalidCutChoice, match="nothing to choose"):
        recall(X, judges=["A", "B"], requested=3, marks_per_judge=2, chairman_choice=3)
    with pytest.raises(InvalidCutChoice, match="already decides"):
        recall(X, judges=["A", "B"], requested=1, marks_per_judge=2, policy=CutPolicy.MORE, chairman_choice=3)
    with pytest.raises(InvalidCutChoice, match="not one of the options"):
        recall(X, judges=["A", "B"], requested=2, marks_per_judge=2, chairman_choice=1)
    with pytest.raises(CouplesMismatch):
        recall(
            {**X, "Tango": {"1": [1, 1], "2": [1, 1]}}, judges=["A", "B"], requested=2, marks_per_judge=None
        )
