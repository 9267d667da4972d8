"""Rules 9–11: the summary tables a sheet prints, and the endings of Rule 11."""

from __future__ import annotations

from fractions import Fraction

import pytest

from mirrorball.scoring import (
    InvalidPlaces,
    Place,
    Rule11NeedsMarks,
    place_final,
    place_final_from_dance_places,
)

from .vectors import load_vectors

CASES = {case["id"]: case for case in load_vectors("multi_dance")}


def from_marks(case_id: str):  # type: ignore[no-untyped-def]
    case = CASES[case_id]
    return place_final(case["marks"]["dances"], judges=case["judges"])


def test_rule10_recounts_for_the_next_place() -> None:
    """TSO Beispiel K: 60 loses 3rd to 40 on the sum, then 4th to 50 on the count of '4 or better'."""
    result = place_final_from_dance_places(CASES["tso-beispiel-k"]["expected_dance_places"])
    (table,) = result.rule10
    assert table.total == 17 and table.first_place == 2
    assert [(s.place, s.rule, s.awarded) for s in table.steps] == [
        (2, "R10a", ("30",)),
        (3, "R10b", ("40",)),
        (4, "R10a", ("50",)),
        (5, "R10", ("60",)),
    ]
    third = table.steps[1]
    assert third.counts["40"] == third.counts["60"] == 3
    assert (third.sums["40"], third.sums["60"]) == (5, 8)
    assert (table.steps[2].counts["50"], table.steps[2].counts["60"]) == (5, 4)
    assert result.decided_by["60"] == "R10"


def test_a_shared_place_is_not_that_place_or_better() -> None:
    """1.5 in dance V is not '1 or better': 25 and 35 have two 1sts each, so Rule 10 cannot split them."""
    result = from_marks("tso-beispiel-m")
    first = next(t for t in result.rule10 if t.first_place == 1)
    assert first.steps[0].counts == {"25": 2, "35": 2}
    assert first.steps[0].rule == "R11"


def test_rule11_table_for_two_couples() -> None:
    """TSO Beispiel M, 5th: 17 marks each in 1-5, 75 wins on the sum (66 against 68), 65 takes 6th."""
    result = from_marks("tso-beispiel-m")
    table = next(t for t in result.rule11 if t.place == 5)
    assert table.couples == ("65", "75")
    assert table.majority == 13 and len(table.sources) == 25
    assert table.sources[:2] == ("W/A", "W/B")
    assert table.columns == ("1-5", "1-6")
    assert (table.cells["75"][0].count, table.cells["75"][0].total) == (17, 66)
    assert (table.cells["65"][0].count, table.cells["65"][0].total) == (17, 68)
    assert table.cells["75"][0].sum_used and table.cells["75"][0].deciding
    assert table.places == {"75": Place.single(5), "65": Place.single(6)}
    assert result.decided_by["65"] == result.decided_by["75"] == "R11"


def test_rule11_majority_for_seven_judges_two_dances_is_eight() -> None:
    result = from_marks("textbook-rule11-example1")
    (table,) = result.rule11
    assert table.majority == 8 and table.place == 3
    assert (table.cells["114"][1].count, table.cells["112"][1].count) == (13, 11)


def test_rule11_two_couples_loser_takes_next_place_directly() -> None:
    """112/113/117 tie for 6th: Rule 10 drops 117, Rule 11 puts 112 6th and 113 7th; 117 is left 8th."""
    result = from_marks("textbook-rule11-example2")
    table = next(t for t in result.rule10 if t.first_place == 6)
    assert table.steps[0].couples == ("112", "113", "117")
    assert table.steps[0].rule == "R11" and table.steps[0].awarded == ("112", "113")
    assert table.steps[1].awarded == ("117",)
    rule11 = next(t for t in result.rule11 if t.place == 6)
    assert rule11.couples == ("112", "113")


def test_rule11_three_couples_decides_only_the_place_under_review() -> None:
    """Three couples on 6 with one 1st each: Rule 11 (9 marks, majority 5) gives 1st to 1, the only
    couple with five 1sts; 2 and 3 go back to Rule 10 for 2nd (both: two places 2 or better, sum 3), and
    a second Rule 11 from column 1-2 gives 2 the 2nd on count (6 marks against 5)."""
    dances = {
        "W": {"1": [2, 2, 1], "2": [1, 1, 3], "3": [3, 3, 2]},
        "T": {"1": [3, 3, 1], "2": [2, 2, 2], "3": [1, 1, 3]},
        "F": {"1": [1, 1, 1], "2": [2, 3, 3], "3": [3, 2, 2]},
    }
    result = place_final(dances, judges=["A", "B", "C"])
    assert set(result.totals.values()) == {6}
    first, second = result.rule11
    assert first.couples == ("1", "2", "3") and first.majority == 5
    assert first.places == {"1": Place.single(1)}
    (table,) = result.rule10
    assert [(s.place, s.rule, s.couples) for s in table.steps] == [
        (1, "R11", ("1", "2", "3")),
        (2, "R11", ("2", "3")),
    ]
    assert (table.steps[1].counts, table.steps[1].sums) == ({"2": 2, "3": 2}, {"2": 3, "3": 3})
    assert second.place == 2 and second.columns[0] == "1-2"
    assert (second.cells["2"][0].count, second.cells["3"][0].count) == (6, 5)
    assert result.places == {"1": Place.single(1), "2": Place.single(2), "3": Place.single(3)}
    assert set(result.decided_by.values()) == {"R11"}


def test_decisions_are_dances_then_summary() -> None:
    result = from_marks("textbook-rule11-example1")
    rules = [d.rule for d in result.decisions]
    summary = [i for i, d in enumerate(result.decisions) if d.dance is None]
    assert summary == list(range(summary[0], len(rules)))
    assert {rules[i] for i in summary} <= {"R9", "R10a", "R10b", "R11"}


def test_totals_are_exact_fractions() -> None:
    result = from_marks("tso-beispiel-m")
    assert result.totals["65"] == result.totals["75"] == Fraction(55, 2)
    assert result.dance_places["V"]["25"] == Place(1, 2)


def test_dance_places_accept_values_and_places() -> None:
    result = place_final_from_dance_places(
        {"W": {"a": 1, "b": Fraction(5, 2), "c": 2.5}, "T": {"a": Place(1, 1), "b": 2, "c": 3}}
    )
    assert result.dance_places["W"]["b"] == Place(2, 3)
    assert result.places == {"a": Place.single(1), "b": Place.single(2), "c": Place.single(3)}


@pytest.mark.parametrize(
    "places, fragment",
    [
        ({"a": 1, "b": 1}, "place 1 cannot be shared by 2"),
        ({"a": Place(1, 1), "b": Place(1, 1)}, "place 1 does not fit"),
        ({"a": 1, "b": 3}, "place 3 does not fit"),
        ({"a": 1.5, "b": 1.5, "c": 1.5}, "cannot be shared by 3"),
        ({"a": "1", "b": 2}, "is not a number"),
        ({"a": True, "b": 2}, "is not a number"),
    ],
)
def test_invalid_dance_places_are_refused(places: dict[str, object], fragment: str) -> None:
    with pytest.raises(InvalidPlaces, match=fragment) as info:
        place_final_from_dance_places({"W": places})  # type: ignore[dict-item]
    assert info.value.dance == "W"


def test_rule10_with_no_place_p_or_better_goes_to_rule11_as_written() -> None:
    """a (3,3,2) and e (2,2,4) tie on 8 for 1st and neither has a 1st: counts and sums are equal (0, 0),
    so by the text of Rule 10(c) the tie goes to Rule 11 — not to a count of '2nd or better'. This pins
    the reading documented in docs/scoring.md."""
    dance_places = {
        "W": {"a": 3, "b": 5, "c": 4, "d": 6, "e": 2, "f": 1},
        "T": {"a": 3, "b": 4, "c": 1, "d": 6, "e": 2, "f": 5},
        "F": {"a": 2, "b": 5, "c": 6, "d": 1, "e": 4, "f": 3},
    }
    with pytest.raises(Rule11NeedsMarks, match=r"a, e still equal after Rule 10 for 1st \(0 dances"):
        place_final_from_dance_places(dance_places)
