"""Property: a round written as JSON, converted to CSV and read back is the same round."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from mirrorball.formats import marks_csv, marks_json
from mirrorball.formats.marks import DancePlacesMarks, FinalMarks, RecallMarks, RoundMarks
from mirrorball.scoring import Place

judge_labels = st.lists(
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=2), min_size=1, max_size=9, unique=True
)
couple_numbers = st.lists(st.integers(1, 999).map(str), min_size=2, max_size=8, unique=True)
dance_names = st.lists(
    st.sampled_from(
        ["Waltz", "Tango", "Viennese Waltz", "Slow Foxtrot", "Quickstep", "Samba", "Cha Cha", "Jive"]
    ),
    min_size=1,
    max_size=5,
    unique=True,
)


@st.composite
def finals(draw: st.DrawFn) -> FinalMarks:
    judges, couples, dances = draw(judge_labels), draw(couple_numbers), draw(dance_names)
    ranks = {}
    for dance in dances:
        columns = [draw(st.permutations(range(1, len(couples) + 1))) for _ in judges]
        ranks[dance] = {c: tuple(col[i] for col in columns) for i, c in enumerate(couples)}
    return FinalMarks(judges=tuple(judges), dances=tuple(dances), ranks=ranks)


@st.composite
def recalls(draw: st.DrawFn) -> RecallMarks:
    judges, couples, dances = draw(judge_labels), draw(couple_numbers), draw(dance_names)
    crosses = {
        dance: {
            c: tuple(draw(st.lists(st.booleans(), min_size=len(judges), max_size=len(judges))))
            for c in couples
        }
        for dance in dances
    }
    recall = draw(st.none() | st.integers(1, len(couples)))
    return RecallMarks(judges=tuple(judges), dances=tuple(dances), crosses=crosses, recall=recall)


@st.composite
def dance_places(draw: st.DrawFn) -> DancePlacesMarks:
    couples, dances = draw(couple_numbers), draw(dance_names)
    places = {}
    for dance in dances:
        order = draw(st.permutations(couples))
        # Share the last two places when asked: exercises "2.5"-style values through both formats.
        share = draw(st.booleans())
        n = len(order)
        places[dance] = {
            c: Place(n - 1, n) if share and i >= n - 2 else Place.single(i + 1) for i, c in enumerate(order)
        }
    return DancePlacesMarks(dances=tuple(dances), places=places)


@given(finals() | recalls() | dance_places())
def test_json_to_csv_and_back_gives_the_same_marks(marks: RoundMarks) -> None:
    from_json = marks_json.parse(json.dumps(marks_json.to_case(marks)), source="round.json")
    assert from_json == marks
    from_csv = marks_csv.parse(marks_csv.dumps(from_json), source="round.csv")
    assert from_csv == marks
