"""The JSON marks format is the vectors' case schema; mistakes name the JSON path."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mirrorball.formats.errors import InputError
from mirrorball.formats.marks import DancePlacesMarks, FinalMarks, RecallMarks
from mirrorball.formats.marks_json import from_case, parse, to_case


def test_every_vector_case_is_read_and_written_back_as_the_same_round(
    skating_vectors: list[dict[str, Any]],
) -> None:
    kinds = {
        "single_dance": FinalMarks,
        "multi_dance": (FinalMarks, DancePlacesMarks),
        "callback": RecallMarks,
    }
    for case in skating_vectors:
        marks = from_case(case, source=case["id"])
        assert isinstance(marks, kinds[case["kind"]]), case["id"]
        assert from_case(json.loads(json.dumps(to_case(marks))), source="again") == marks, case["id"]


def test_callback_marks_are_split_judge_by_judge_dance_by_dance(
    skating_vectors: list[dict[str, Any]],
) -> None:
    case = next(c for c in skating_vectors if c["id"] == "railskating-recall-two-dances")
    marks = from_case(case, source="v")
    assert isinstance(marks, RecallMarks)
    assert marks.dances == ("Tango", "Foxtrot")
    row = case["marks"]["x_marks"]["16"]
    assert marks.crosses["Tango"]["16"] == tuple(bool(x) for x in row[:7])
    assert marks.crosses["Foxtrot"]["16"] == tuple(bool(x) for x in row[7:])
    assert marks.recall == case["recall"]


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        ({"kind": "semifinal"}, "kind", "unknown kind"),
        ({"judges": ["A"]}, "kind", "unknown kind"),
        ({"kind": "single_dance", "judges": [], "marks": {"1": [1]}}, "judges", "non-empty list"),
        ({"kind": "single_dance", "judges": ["A", "A"], "marks": {"1": [1]}}, "judges", "twice"),
        ({"kind": "single_dance", "judges": ["A", "B"], "marks": {"1": [1]}}, "marks.1", "expected 2 ranks"),
        ({"kind": "single_dance", "judges": ["A"], "marks": {"1": ["1"]}}, "marks.1[0]", "whole number"),
        ({"kind": "single_dance", "judges": ["A"], "marks": {"1": [True]}}, "marks.1[0]", "whole number"),
        ({"kind": "single_dance", "judges": ["A"], "marks": {"1": [1.5]}}, "marks.1[0]", "whole number"),
        ({"kind": "multi_dance", "judges": ["A"], "marks": {"W": {}}}, "marks.dances", "non-empty object"),
        (
            {"kind": "multi_dance", "marks": None, "expected_dance_places": {"W": {"1": "x"}}},
            "expected_dance_places.W.1",
            "place number",
        ),
        (
            {"kind": "multi_dance", "marks": None, "expected_dance_places": {"W": {"1": 2.25}}},
            "expected_dance_places.W.1",
            "not a place",
        ),
        (
            {"kind": "callback", "judges": ["A"], "dances": ["W"], "marks": {"x_marks": {"1": [2]}}},
            "marks.x_marks.1[0]",
            "0 or 1",
        ),
        (
            {"kind": "callback", "judges": ["A"], "dances": ["W", "T"], "marks": {"x_marks": {"1": [1]}}},
            "marks.x_marks.1",
            "expected 2",
        ),
        (
            {"kind": "callback", "judges": ["A"], "marks": {"x_marks": {"1": [1]}}, "recall": "6"},
            "recall",
            "whole number",
        ),
    ],
)
def test_mistakes_name_the_json_field(case: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        from_case(case, source="round.json")
    assert caught.value.field == field
    assert words in caught.value.problem


def test_broken_json_names_the_line() -> None:
    with pytest.raises(InputError) as caught:
        parse('{\n "kind": "single_dance",\n "judges": [A]\n}', source="round.json")
    assert caught.value.line == 3
    assert "not valid JSON" in str(caught.value)


def test_a_whole_vectors_file_is_refused_with_a_hint(skating_vectors: list[dict[str, Any]]) -> None:
    with pytest.raises(InputError, match="one case object"):
        parse(json.dumps(skating_vectors), source="vectors.json")
