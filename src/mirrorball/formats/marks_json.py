"""Marks as JSON: one case object in the schema of the bundled Skating vectors.

Using the vectors' schema (docs/skating-rules.md, "Vectors file schema") means every known-answer case is
also a valid input file, and a round exported here can be added to the vectors as it is:

- `{"kind": "single_dance", "judges": [...], "marks": {couple: [rank per judge]}}`, optionally
  `"dances": [name]`;
- `{"kind": "multi_dance", "judges": [...], "marks": {"dances": {dance: {couple: [ranks]}}}}`, or
  `{"kind": "multi_dance", "input": "dance_places_only", "expected_dance_places": {dance: {couple: place}}}`;
- `{"kind": "callback", "judges": [...], "dances": [...], "marks": {"x_marks": {couple: [0/1 per judge,
  dance after dance]}}, "recall": n}`.

Other keys (`id`, `expected`, `notes` …) are ignored. Errors name the JSON path of the bad field.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from mirrorball.formats.errors import InputError
from mirrorball.formats.marks import (
    DEFAULT_DANCE,
    DancePlacesMarks,
    FinalMarks,
    RecallMarks,
    RoundMarks,
    check_same_couples,
)
from mirrorball.scoring import Place

KINDS = ("single_dance", "multi_dance", "callback")


def parse(text: str, *, source: str) -> RoundMarks:
    try:
        case = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", source=source, line=exc.lineno
        ) from None
    return from_case(case, source=source)


def from_case(case: Any, *, source: str) -> RoundMarks:
    """Build a round from an already-decoded case object (the web API hands these over directly)."""
    reader = _Reader(source)
    if isinstance(case, list):
        raise InputError("a list of cases: give one case object ({...})", source=source)
    obj = reader.mapping(case, "")
    kind = obj.get("kind")
    if kind not in KINDS:
        raise InputError(
            f"unknown kind {kind!r} (use one of {', '.join(KINDS)})", source=source, field="kind"
        )
    if kind == "callback":
        return reader.recall(obj)
    if kind == "multi_dance" and (obj.get("input") == "dance_places_only" or obj.get("marks") is None):
        return reader.dance_places(obj)
    return reader.final(obj, single=kind == "single_dance")


def to_case(marks: RoundMarks) -> dict[str, Any]:
    """The case object `from_case` reads back as the same round."""
    if isinstance(marks, FinalMarks):
        if len(marks.dances) == 1:
            return {
                "kind": "single_dance",
                "judges": list(marks.judges),
                "dances": list(marks.dances),
                "marks": {c: list(r) for c, r in marks.ranks[marks.dances[0]].items()},
            }
        return {
            "kind": "multi_dance",
            "judges": list(marks.judges),
            "marks": {"dances": {d: {c: list(r) for c, r in by.items()} for d, by in marks.ranks.items()}},
        }
    if isinstance(marks, DancePlacesMarks):
        return {
            "kind": "multi_dance",
            "input": "dance_places_only",
            "judges": None,
            "marks": None,
            "expected_dance_places": {
                d: {c: p.as_number() for c, p in by.items()} for d, by in marks.places.items()
            },
        }
    case: dict[str, Any] = {
        "kind": "callback",
        "judges": list(marks.judges),
        "dances": list(marks.dances),
        "marks": {
            "x_marks": {c: [int(x) for d in marks.dances for x in marks.crosses[d][c]] for c in marks.couples}
        },
    }
    if marks.recall is not None:
        case["recall"] = marks.recall
    return case


def dumps(marks: RoundMarks) -> str:
    return json.dumps(to_case(marks), indent=1) + "\n"


class _Reader:
    """Field-by-field checks that name the JSON path of whatever is wrong."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, problem: str, path: str) -> InputError:
        return InputError(problem, source=self.source, field=path or None)

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict) or not value:
            raise self.fail("expected a non-empty object {...}", path)
        return value

    def names(self, value: Any, path: str) -> tuple[str, ...]:
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise self.fail("expected a non-empty list of names", path)
        names = tuple(v.strip() for v in value)
        if len(set(names)) != len(names):
            raise self.fail("a name is listed twice", path)
        return names

    def integer(self, value: Any, path: str) -> int:
        # bool is an int in Python; true as a rank is a typing slip, not a 1.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"expected a whole number, got {json.dumps(value)}", path)
        return value

    def row(self, value: Any, length: int, path: str, what: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(f"expected a list of {what}", path)
        if len(value) != length:
            raise self.fail(f"expected {length} {what}, got {len(value)}", path)
        return value

    def final(self, obj: dict[str, Any], *, single: bool) -> FinalMarks:
        judges = self.names(obj.get("judges"), "judges")
        marks = self.mapping(obj.get("marks"), "marks")
        if single:
            dances = self.names(obj["dances"], "dances") if "dances" in obj else (DEFAULT_DANCE,)
            if len(dances) != 1:
                raise self.fail("a single_dance case names one dance", "dances")
            by_dance = {dances[0]: marks}
            prefix = "marks"
        else:
            by_dance = self.mapping(marks.get("dances"), "marks.dances")
            dances = tuple(by_dance)
            prefix = "marks.dances"
        ranks: dict[str, dict[str, tuple[int, ...]]] = {}
        for dance, by_couple in by_dance.items():
            dance_path = prefix if single else f"{prefix}.{dance}"
            ranks[dance] = {}
            for couple, row in self.mapping(by_couple, dance_path).items():
                path = f"{dance_path}.{couple}"
                values = self.row(row, len(judges), path, "ranks (one per judge)")
                ranks[dance][couple] = tuple(self.integer(v, f"{path}[{i}]") for i, v in enumerate(values))
        check_same_couples(ranks, source=self.source)
        return FinalMarks(judges=judges, dances=dances, ranks=ranks)

    def dance_places(self, obj: dict[str, Any]) -> DancePlacesMarks:
        by_dance = self.mapping(obj.get("expected_dance_places"), "expected_dance_places")
        places: dict[str, dict[str, Place]] = {}
        for dance, by_couple in by_dance.items():
            path = f"expected_dance_places.{dance}"
            places[dance] = {}
            for couple, place in self.mapping(by_couple, path).items():
                if isinstance(place, bool) or not isinstance(place, int | float):
                    raise self.fail(f"expected a place number, got {json.dumps(place)}", f"{path}.{couple}")
                try:
                    places[dance][couple] = Place.from_value(Fraction(place))
                except ValueError:
                    raise self.fail(f"not a place: {json.dumps(place)}", f"{path}.{couple}") from None
        check_same_couples(places, source=self.source)
        return DancePlacesMarks(dances=tuple(places), places=places)

    def recall(self, obj: dict[str, Any]) -> RecallMarks:
        judges = self.names(obj.get("judges"), "judges")
        dances = self.names(obj["dances"], "dances") if "dances" in obj else (DEFAULT_DANCE,)
        marks = self.mapping(obj.get("marks"), "marks")
        x_marks = self.mapping(marks.get("x_marks"), "marks.x_marks")
        crosses: dict[str, dict[str, tuple[bool, ...]]] = {d: {} for d in dances}
        width = len(judges)
        for couple, row in x_marks.items():
            path = f"marks.x_marks.{couple}"
            values = self.row(row, width * len(dances), path, "0/1 marks (one per judge per dance)")
            for i, value in enumerate(values):
                if value not in (0, 1):  # True/False compare equal to 1/0, which is what they mean here
                    raise self.fail(f"expected 0 or 1, got {json.dumps(value)}", f"{path}[{i}]")
            for d, dance in enumerate(dances):
                crosses[dance][couple] = tuple(bool(v) for v in values[d * width : (d + 1) * width])
        recall = obj.get("recall")
        if recall is not None:
            recall = self.integer(recall, "recall")
        return RecallMarks(judges=judges, dances=dances, crosses=crosses, recall=recall)
