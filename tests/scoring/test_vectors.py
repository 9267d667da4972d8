"""Every known-answer case of src/mirrorball/data/skating/vectors.json, one test per case id."""

from __future__ import annotations

from typing import Any

import pytest

from mirrorball.scoring import (
    CutPolicy,
    Rule11NeedsMarks,
    place_dance,
    place_final,
    place_final_from_dance_places,
    recall,
)

from .vectors import load_vectors, split_x_marks

SINGLE = load_vectors("single_dance")
FROM_MARKS = load_vectors("multi_dance", dance_places_only=False)
FROM_PLACES = load_vectors("multi_dance", dance_places_only=True)
CALLBACK = load_vectors("callback")


def ids(cases: list[Any]) -> list[str]:
    return [case["id"] for case in cases]


def numbers(places: Any) -> dict[str, int | float]:
    return {couple: place.as_number() for couple, place in places.items()}


def test_every_vector_is_covered() -> None:
    everything = SINGLE + FROM_MARKS + FROM_PLACES + CALLBACK
    assert len(everything) == 30
    assert len(set(ids(everything))) == 30


@pytest.mark.parametrize("case", SINGLE, ids=ids(SINGLE))
def test_single_dance_places(case: dict[str, Any]) -> None:
    result = place_dance(case["marks"], judges=case["judges"])
    assert numbers(result.places) == case["expected"]
    assert result.majority == case["majority"]


@pytest.mark.parametrize("case", [c for c in SINGLE if "expected_tabulation" in c], ids=lambda c: c["id"])
def test_single_dance_tabulation(case: dict[str, Any]) -> None:
    result = place_dance(case["marks"], judges=case["judges"])
    expected = case["expected_tabulation"]
    assert list(result.columns) == expected["columns"]
    for couple, row in expected["by_couple"].items():
        assert [cell.count for cell in result.cells[couple]] == row["counts"], couple
        assert [cell.total for cell in result.cells[couple]] == row["sums"], couple


@pytest.mark.parametrize("case", FROM_MARKS, ids=ids(FROM_MARKS))
def test_multi_dance_from_marks(case: dict[str, Any]) -> None:
    result = place_final(case["marks"]["dances"], judges=case["judges"])
    for dance, expected in case["expected_dance_places"].items():
        assert numbers(result.dance_places[dance]) == expected, dance
    assert numbers(result.places) == case["expected"]


@pytest.mark.parametrize("case", FROM_MARKS, ids=ids(FROM_MARKS))
def test_rule11_cases_need_the_marks(case: dict[str, Any]) -> None:
    """Every multi-dance vector with marks exercises Rule 11, which dance places alone cannot decide."""
    assert "rule11" in case["rules_exercised"]
    with pytest.raises(Rule11NeedsMarks, match="Rule 11 needs the judges' marks"):
        place_final_from_dance_places(case["expected_dance_places"])


@pytest.mark.parametrize("case", FROM_PLACES, ids=ids(FROM_PLACES))
def test_multi_dance_from_dance_places(case: dict[str, Any]) -> None:
    result = place_final_from_dance_places(case["expected_dance_places"])
    assert numbers(result.places) == case["expected"]
    assert result.judges == ()
    assert result.dance_results == {}
    assert result.rule11 == ()


@pytest.mark.parametrize("case", CALLBACK, ids=ids(CALLBACK))
def test_callback(case: dict[str, Any]) -> None:
    result = recall(
        split_x_marks(case), judges=case["judges"], requested=case["recall"], marks_per_judge=case["recall"]
    )
    assert dict(result.totals) == case["marks"]["counts"]
    expected = case["expected"]
    assert result.resolved is expected["resolved"]
    if expected["resolved"]:
        assert sorted(result.recalled) == sorted(expected["recalled"])
        assert result.options == ()
    else:
        assert result.recalled == ()
        assert [(o.min_marks, sorted(o.recalled)) for o in result.options] == [
            (o["min_marks"], sorted(o["recalled"])) for o in expected["cutoff_options"]
        ]


@pytest.mark.parametrize(
    "case", [c for c in CALLBACK if not c["expected"]["resolved"]], ids=lambda c: c["id"]
)
def test_callback_chairman_choice_resolves_each_option(case: dict[str, Any]) -> None:
    for option in case["expected"]["cutoff_options"]:
        result = recall(
            split_x_marks(case),
            judges=case["judges"],
            requested=case["recall"],
            marks_per_judge=case["recall"],
            policy=CutPolicy.ASK,
            chairman_choice=option["min_marks"],
        )
        assert result.resolved
        assert sorted(result.recalled) == sorted(option["recalled"])
        assert result.min_marks == option["min_marks"]
