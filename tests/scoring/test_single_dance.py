"""Rules 5–8 beyond the final places: the working a sheet prints (cells, decisions) must be right too."""

from __future__ import annotations

from fractions import Fraction

from mirrorball.scoring import Place, place_dance

from .vectors import load_vectors

CASES = {case["id"]: case for case in load_vectors("single_dance")}


def run(case_id: str, dance: str = "Waltz"):  # type: ignore[no-untyped-def]
    case = CASES[case_id]
    return place_dance(case["marks"], judges=case["judges"], dance=dance)


def test_column_pointer_does_not_jump_to_the_place_number() -> None:
    """TSO Beispiel C: 4th is examined in column 1-3 (after 2nd and 3rd came from 1-2), not 1-4."""
    result = run("tso-beispiel-c")
    fourth = next(d for d in result.decisions if d.place == Place.single(4))
    assert (fourth.rule, fourth.column, fourth.outcome) == ("R7a", "1-3", ("104",))
    assert fourth.counts == {"104": 3, "105": 3}
    assert fourth.sums == {"104": Fraction(7), "105": Fraction(9)}
    assert "104 takes 4th" in fourth.note and "7 against 9" in fourth.note
    # The sheet marks the sums Rule 7 compared and the deciding cell.
    c104 = result.cells["104"][2]
    assert (c104.count, c104.total, c104.sum_used, c104.deciding) == (3, 7, True, True)
    assert not result.cells["104"][3].used  # after its place, column 1-4 is blank for 104


def test_rule7b_takes_only_the_tied_couples_to_the_next_column() -> None:
    result = run("wikipedia-tied-subgroup-only")
    r7b = [d for d in result.decisions if d.rule == "R7b"]
    assert r7b, "the case is decided by Rule 7b"
    for decision in r7b:
        assert set(decision.couples) <= {"12", "13"}


def test_shared_place_decision_and_cells() -> None:
    result = run("railskating-fractional-3.5")
    shared = [d for d in result.decisions if d.rule == "R7c"]
    assert len(shared) == 1
    assert shared[0].place == Place(3, 4)
    assert set(shared[0].outcome) == {"83", "84"}
    assert result.places["83"] == result.places["84"] == Place(3, 4)
    # Their comparison ran to the last column, which decided.
    assert result.cells["83"][-1].deciding and result.cells["84"][-1].deciding


def test_rule8_is_logged_when_no_couple_has_a_majority() -> None:
    result = run("wdsf-rule8-example")
    first = result.decisions[0]
    assert (first.rule, first.column, first.place) == ("R8", "1", None)
    assert set(first.couples) == set(result.couples)


def test_every_couple_has_exactly_one_deciding_cell_and_used_cells_are_a_prefix() -> None:
    for case_id in CASES:
        result = run(case_id)
        for couple in result.couples:
            cells = result.cells[couple]
            assert sum(cell.deciding for cell in cells) == 1, (case_id, couple)
            used = [cell.used for cell in cells]
            assert used == sorted(used, reverse=True), (case_id, couple)
            deciding = next(i for i, cell in enumerate(cells) if cell.deciding)
            # Used up to and including the deciding cell, blank after it.
            assert used == [i <= deciding for i in range(len(cells))], (case_id, couple)


def test_every_place_comes_from_one_decision_of_this_dance() -> None:
    for case_id in CASES:
        result = run(case_id, dance="Tango")
        placed = [c for d in result.decisions if d.place is not None for c in d.outcome]
        assert sorted(placed) == sorted(result.couples)
        assert all(d.dance == "Tango" for d in result.decisions)
        for decision in result.decisions:
            for couple in decision.outcome:
                assert result.places[couple] == decision.place


def test_result_keeps_input_order_and_labels() -> None:
    result = run("wdsf-rule5-example")
    assert result.couples == ("51", "52", "53", "54", "55", "56")
    assert result.judges == ("A", "B", "C", "D", "E")
    assert result.columns == ("1", "1-2", "1-3", "1-4", "1-5", "1-6")
    assert result.marks["52"] == (4, 2, 2, 1, 2)
