"""Results as plain JSON-ready dicts: the stable interface of `mirrorball tabulate --json` and the web API.

The keys promised in docs/tabulate.md ("The JSON interface") are:

- a final: ``places`` {couple: number}; for several dances also ``dance_places`` {dance: {couple:
  number}}; ``tabulation`` (every majority column, the Rule 10 and Rule 11 tables) and ``decisions``;
- a recall round: ``resolved``; when true ``recalled`` [couples], when false ``cutoff_options``
  [{"min_marks": n, "recalled": [couples]}].

Couples are strings; places are numbers (2.5 for a shared place; ``place_ranges`` gives the exact
[low, high] interval, since 2.5 alone could also be 1-4). Fractions become int or float: places, totals
and sums of places are whole numbers or halves, which floats hold exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from mirrorball.scoring import (
    Cell,
    DanceResult,
    Decision,
    FinalResult,
    Place,
    RecallResult,
    Rule10Table,
    Rule11Table,
)

#: Bumped when a key changes meaning or disappears (adding keys does not bump it).
SCHEMA_VERSION = 1


def to_dict(result: DanceResult | FinalResult | RecallResult) -> dict[str, Any]:
    if isinstance(result, DanceResult):
        return {
            **_final_head("single_dance", result.places),
            "tabulation": {"dances": {result.dance: dance_tabulation(result)}},
            "decisions": [decision(d) for d in result.decisions],
        }
    if isinstance(result, FinalResult):
        return {
            **_final_head("multi_dance", result.places),
            "dance_places": {d: _places(result.dance_places[d]) for d in result.dances},
            "totals": {c: number(t) for c, t in result.totals.items()},
            "decided_by": dict(result.decided_by),
            "judges": list(result.judges),
            "dances": list(result.dances),
            "tabulation": {
                "dances": {d: dance_tabulation(r) for d, r in result.dance_results.items()},
                "rule10": [rule10(t) for t in result.rule10],
                "rule11": [rule11(t) for t in result.rule11],
            },
            "decisions": [decision(d) for d in result.decisions],
        }
    return recall(result)


def _final_head(kind: str, places: Mapping[str, Place]) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "kind": kind,
        "places": _places(places),
        "place_ranges": _ranges(places),
    }


def recall(result: RecallResult) -> dict[str, Any]:
    body: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "kind": "callback",
        "resolved": result.resolved,
    }
    if result.resolved:
        body["recalled"] = list(result.recalled)
        body["min_marks"] = result.min_marks
    body["cutoff_options"] = [
        {"min_marks": option.min_marks, "recalled": list(option.recalled)} for option in result.options
    ]
    body.update(
        requested=result.requested,
        totals=dict(result.totals),
        judges=list(result.judges),
        dances=list(result.dances),
        x_marks={d: {c: [int(x) for x in row] for c, row in by.items()} for d, by in result.x_marks.items()},
        decisions=[decision(d) for d in result.decisions],
    )
    return body


def dance_tabulation(result: DanceResult) -> dict[str, Any]:
    """One dance's sheet; ``columns``/``by_couple.counts``/``sums`` match the vectors' expected_tabulation."""
    return {
        "judges": list(result.judges),
        "majority": result.majority,
        "marks": {c: list(m) for c, m in result.marks.items()},
        "columns": list(result.columns),
        "by_couple": _cells(result.cells),
        "places": _places(result.places),
    }


def rule10(table: Rule10Table) -> dict[str, Any]:
    return {
        "total": number(table.total),
        "first_place": table.first_place,
        "couples": list(table.couples),
        "steps": [
            {
                "place": step.place,
                "couples": list(step.couples),
                "counts": dict(step.counts),
                "sums": {c: number(s) for c, s in step.sums.items()},
                "rule": step.rule,
                "awarded": list(step.awarded),
                "places": _places(step.places),
            }
            for step in table.steps
        ],
    }


def rule11(table: Rule11Table) -> dict[str, Any]:
    return {
        "place": table.place,
        "couples": list(table.couples),
        "sources": list(table.sources),
        "marks": {c: list(m) for c, m in table.marks.items()},
        "majority": table.majority,
        "columns": list(table.columns),
        "by_couple": _cells(table.cells),
        "places": _places(table.places),
        "decisions": [decision(d) for d in table.decisions],
    }


def decision(d: Decision) -> dict[str, Any]:
    return {
        "rule": d.rule,
        "dance": d.dance,
        "place": d.place.as_number() if d.place else None,
        "place_range": [d.place.low, d.place.high] if d.place else None,
        "column": d.column,
        "couples": list(d.couples),
        "counts": dict(d.counts),
        "sums": {c: number(s) for c, s in d.sums.items()},
        "outcome": list(d.outcome),
        "note": d.note,
    }


def number(value: Fraction | int) -> int | float:
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else float(value)


def _places(places: Mapping[str, Place]) -> dict[str, int | float]:
    return {c: p.as_number() for c, p in places.items()}


def _ranges(places: Mapping[str, Place]) -> dict[str, list[int]]:
    return {c: [p.low, p.high] for c, p in places.items()}


def _cells(cells: Mapping[str, Sequence[Cell]]) -> dict[str, dict[str, list[Any]]]:
    return {
        c: {
            "counts": [cell.count for cell in row],
            "sums": [cell.total for cell in row],
            "used": [cell.used for cell in row],
            "sum_used": [cell.sum_used for cell in row],
            "deciding": [cell.deciding for cell in row],
        }
        for c, row in cells.items()
    }
