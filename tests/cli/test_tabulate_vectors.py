"""End to end: every known-answer case, written as a JSON file and as a CSV file, through `tabulate --json`.

This checks the readers, the service, the engine and the JSON export together against the vectors'
expected places (and recall outcomes), never against our own output.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mirrorball.formats import marks_csv, marks_json

FORMATS = ("json", "csv")
Runner = Callable[..., Any]  # the `cli` fixture (tests/cli/conftest.py)


def _write(case: dict[str, Any], fmt: str, folder: Path) -> Path:
    path = folder / f"{case['id']}.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(case), encoding="utf-8")  # the case object exactly as the vectors hold it
    else:
        path.write_text(marks_csv.dumps(marks_json.from_case(case, source=case["id"])), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_vector_gives_its_expected_places(
    fmt: str, skating_vectors: list[dict[str, Any]], cli: Runner, tmp_path: Path
) -> None:
    for case in skating_vectors:
        run = cli("tabulate", str(_write(case, fmt, tmp_path)), "--json")
        assert run.code == 0, (case["id"], run.stderr)
        body = json.loads(run.stdout)
        if case["kind"] == "callback":
            assert body["resolved"] == case["expected"]["resolved"], case["id"]
            if case["expected"]["resolved"]:
                assert body["recalled"] == case["expected"]["recalled"], case["id"]
            else:
                assert body["cutoff_options"] == case["expected"]["cutoff_options"], case["id"]
            continue
        assert body["places"] == case["expected"], case["id"]
        if case["kind"] == "multi_dance":
            assert body["dance_places"] == case["expected_dance_places"], case["id"]


def test_the_exported_tabulation_matches_the_vectors_counts_and_sums(
    skating_vectors: list[dict[str, Any]], cli: Runner, tmp_path: Path
) -> None:
    cases = [c for c in skating_vectors if "expected_tabulation" in c]
    assert cases
    for case in cases:
        body = json.loads(cli("tabulate", str(_write(case, "json", tmp_path)), "--json").stdout)
        (sheet,) = body["tabulation"]["dances"].values()
        expected = case["expected_tabulation"]
        assert sheet["columns"] == expected["columns"], case["id"]
        for couple, numbers in expected["by_couple"].items():
            assert sheet["by_couple"][couple]["counts"] == numbers["counts"], (case["id"], couple)
            assert sheet["by_couple"][couple]["sums"] == numbers["sums"], (case["id"], couple)
