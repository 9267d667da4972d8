"""Properties every skating result must have, whatever the marks (hypothesis)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from mirrorball.scoring import (
    CutPolicy,
    Place,
    Rule11NeedsMarks,
    place_dance,
    place_final,
    place_final_from_dance_places,
    recall,
)
from mirrorball.scoring.tabulation import RULES

Marks = dict[str, list[int]]


@st.composite
def panels(draw: st.DrawFn, *, max_dances: int = 3) -> tuple[list[str], list[str], dict[str, Marks]]:
    """judges, couples, and per dance every judge's ranking of the couples (a permutation)."""
    n = draw(st.integers(1, 7))
    j = draw(st.integers(1, 7))
    d = draw(st.integers(1, max_dances))
    judges = [chr(ord("A") + i) for i in range(j)]
    couples = [str(c) for c in draw(st.lists(st.integers(1, 999), min_size=n, max_size=n, unique=True))]
    dances: dict[str, Marks] = {}
    for name in ["W", "T", "V", "S", "Q"][:d]:
        rankings = [draw(st.permutations(range(1, n + 1))) for _ in judges]
        dances[name] = {c: [rankings[k][i] for k in range(j)] for i, c in enumerate(couples)}
    return judges, couples, dances


def assert_valid_ranking(places: Mapping[str, Place]) -> None:
    """The intervals tile 1..N: each shared place is held by exactly as many couples as it spans."""
    holders = Counter(places.values())
    expected = 1
    for place in sorted(holders):
        assert place.low == expected
        assert holders[place] == place.size
        expected = place.high + 1
    assert expected == len(places) + 1


@given(panels(max_dances=1), st.randoms(use_true_random=False))
def test_single_dance_independent_of_judge_and_couple_order(data, rnd) -> None:  # type: ignore[no-untyped-def]
    judges, couples, dances = data
    marks = dances["W"]
    base = place_dance(marks, judges=judges)
    order = list(range(len(judges)))
    rnd.shuffle(order)
    shuffled_couples = list(couples)
    rnd.shuffle(shuffled_couples)
    shuffled = {c: [marks[c][k] for k in order] for c in shuffled_couples}
    other = place_dance(shuffled, judges=[judges[k] for k in order])
    assert dict(other.places) == dict(base.places)


@given(panels(), st.randoms(use_true_random=False))
def test_final_independent_of_judge_and_couple_order(data, rnd) -> None:  # type: ignore[no-untyped-def]
    judges, couples, dances = data
    base = place_final(dances, judges=judges)
    order = list(range(len(judges)))
    rnd.shuffle(order)
    shuffled_couples = list(couples)
    rnd.shuffle(shuffled_couples)
    shuffled = {d: {c: [m[c][k] for k in order] for c in shuffled_couples} for d, m in dances.items()}
    other = place_final(shuffled, judges=[judges[k] for k in order])
    assert dict(other.places) == dict(base.places)
    assert dict(other.decided_by) == dict(base.decided_by)


@given(panels())
def test_relabelling_couples_relabels_the_result(data) -> None:  # type: ignore[no-untyped-def]
    judges, couples, dances = data
    rename = {c: f"x{c}" for c in couples}
    base = place_final(dances, judges=judges)
    renamed = place_final({d: {rename[c]: r for c, r in m.items()} for d, m in dances.items()}, judges=judges)
    assert dict(renamed.places) == {rename[c]: p for c, p in base.places.items()}


@given(panels())
def test_places_form_a_valid_ranking(data) -> None:  # type: ignore[no-untyped-def]
    judges, _, dances = data
    result = place_final(dances, judges=judges)
    assert_valid_ranking(result.places)
    for dance in result.dances:
        assert_valid_ranking(result.dance_places[dance])
        dance_result = result.dance_results[dance]
        for place in dance_result.places.values():
            assert place.value == Fraction(place.low + place.high, 2)


@given(panels())
def test_every_decision_is_labelled_and_explained(data) -> None:  # type: ignore[no-untyped-def]
    judges, _, dances = data
    result = place_final(dances, judges=judges)
    for decision in result.decisions:
        assert decision.rule in RULES
        assert decision.note.endswith(".") and "\n" not in decision.note
        assert set(decision.outcome) <= set(decision.couples)
        for couple in decision.outcome:
            assert decision.place is not None
            if decision.dance is None:
                assert result.places[couple] == decision.place
            else:
                assert result.dance_places[decision.dance][couple] == decision.place
    placed_by_summary = [c for d in result.decisions if d.dance is None for c in d.outcome]
    assert sorted(placed_by_summary) == sorted(result.couples)


@given(panels())
def test_a_unanimous_panel_gives_its_ranking(data) -> None:  # type: ignore[no-untyped-def]
    judges, couples, _ = data
    unanimous = {c: [i + 1] * len(judges) for i, c in enumerate(couples)}
    result = place_final({"W": unanimous, "T": unanimous}, judges=judges)
    assert dict(result.places) == {c: Place.single(i + 1) for i, c in enumerate(couples)}
    assert all(d.rule in ("R5", "R9") for d in result.decisions)


def better_or_equal(places: Mapping[str, Mapping[str, Place]], couple: str, p: int) -> tuple[int, Fraction]:
    good = [m[couple].value for m in places.values() if m[couple].value <= p]
    return len(good), sum(good, Fraction(0))


@given(panels())
def test_rule11_only_after_rule10_ties(data) -> None:  # type: ignore[no-untyped-def]
    judges, _, dances = data
    result = place_final(dances, judges=judges)
    in_rule11 = set()
    for table in result.rule11:
        in_rule11 |= set(table.couples)
        assert len(table.couples) >= 2
        assert len({result.totals[c] for c in table.couples}) == 1
        assert len({better_or_equal(result.dance_places, c, table.place) for c in table.couples}) == 1
        assert table.majority == len(judges) * len(dances) // 2 + 1
    assert {c for c, rule in result.decided_by.items() if rule == "R11"} <= in_rule11
    for couple, rule in result.decided_by.items():
        if rule == "R9":
            assert list(result.totals.values()).count(result.totals[couple]) == 1


@given(panels())
def test_dance_places_alone_agree_unless_rule11_is_needed(data) -> None:  # type: ignore[no-untyped-def]
    judges, _, dances = data
    full = place_final(dances, judges=judges)
    try:
        short = place_final_from_dance_places(full.dance_places)
    except Rule11NeedsMarks:
        assert full.rule11
        return
    assert not full.rule11
    assert dict(short.places) == dict(full.places)


@given(panels(max_dances=1))
def test_place_dance_equals_place_final_on_that_dance(data) -> None:  # type: ignore[no-untyped-def]
    judges, _, dances = data
    single = place_dance(dances["W"], judges=judges, dance="W")
    final = place_final(dances, judges=judges)
    assert dict(final.places) == dict(single.places)
    assert final.dance_results["W"] == single


@st.composite
def recall_rounds(draw: st.DrawFn) -> tuple[list[str], dict[str, dict[str, list[int]]], int, int]:
    n = draw(st.integers(2, 12))
    j = draw(st.integers(1, 5))
    per_judge = draw(st.integers(1, n))
    judges = [chr(ord("A") + i) for i in range(j)]
    couples = [str(100 + i) for i in range(n)]
    rounds: dict[str, dict[str, list[int]]] = {}
    for dance in ["W", "T", "Q"][: draw(st.integers(1, 3))]:
        picks = [set(draw(st.permutations(couples))[:per_judge]) for _ in judges]
        rounds[dance] = {c: [int(c in picks[k]) for k in range(j)] for c in couples}
    requested = draw(st.integers(1, n))
    return judges, rounds, per_judge, requested


@given(recall_rounds())
def test_recall_totals_and_policies_agree_with_the_options(data) -> None:  # type: ignore[no-untyped-def]
    judges, rounds, per_judge, requested = data
    ask = recall(rounds, judges=judges, requested=requested, marks_per_judge=per_judge)
    for couple in ask.couples:
        assert ask.totals[couple] == sum(sum(rounds[d][couple]) for d in rounds)
    assert sum(ask.totals.values()) == per_judge * len(judges) * len(rounds)
    results = {
        policy: recall(rounds, judges=judges, requested=requested, marks_per_judge=per_judge, policy=policy)
        for policy in (CutPolicy.MORE, CutPolicy.FEWER, CutPolicy.NEAREST)
    }
    for result in results.values():
        assert result.resolved
        assert result.options == ask.options
        # Never splits a tie: everyone with the cut's total is in.
        low = min(result.totals[c] for c in result.recalled)
        assert set(result.recalled) == {c for c in result.couples if result.totals[c] >= low}
    more, fewer = set(results[CutPolicy.MORE].recalled), set(results[CutPolicy.FEWER].recalled)
    assert fewer <= more
    if ask.resolved and not ask.options:  # a clean cut
        assert more == fewer == set(ask.recalled)
        assert len(ask.recalled) == min(requested, len(ask.couples))
    elif ask.resolved:  # a tie with nobody above it: the whole tie is the only option
        (only,) = ask.options
        assert more == fewer == set(ask.recalled) == set(only.recalled)
        assert len(ask.recalled) > requested
    else:
        assert len(ask.options) == 2
        assert (fewer, more) == (set(ask.options[0].recalled), set(ask.options[1].recalled))
        assert len(fewer) < requested < len(more)
        assert set(results[CutPolicy.NEAREST].recalled) in (fewer, more)
