"""Regression tests from an adversarial review of the commands: every input here once printed a
traceback or was accepted (exit 0); now each is refused on one line naming what and where, exit 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

GOOD_WEEK = {
    "method": "percentage",
    "couples": ["A", "B", "C"],
    "judges_points": {"A": 38, "B": 26, "C": 14},
    "votes": {"A": 20, "B": 40, "C": 40},
}
GOOD_SEASON = {
    "format": "mirrorball-season/1",
    "name": "S",
    "rules": {"method": "percentage"},
    "couples": [{"name": "A"}, {"name": "B"}],
    "judges": [{"name": "X"}],
    "weeks": [
        {
            "label": "1",
            "routines": [
                {"couples": ["A"], "dance": "Waltz", "marks": {"X": 7}},
                {"couples": ["B"], "dance": "Jive", "marks": {"X": 6}},
            ],
        }
    ],
}
DEEP = "[" * 100_000 + "]" * 100_000
Runner = Callable[..., Any]
HUGE = "9" * 5000  # longer than Python converts to int by default (4300 digits)


def refused(run: Any, *words: str) -> None:
    assert run.code == 2, run
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    for word in words:
        assert word in run.error, (word, run.error)


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def week(**changes: object) -> str:
    return json.dumps({**GOOD_WEEK, **changes})


# --- JSON that the standard decoder cannot take, in every command that reads JSON -------------------

JSON_COMMANDS = [("tabulate",), ("show", "combine"), ("show", "outlook"), ("show", "season")]


@pytest.mark.parametrize("command", JSON_COMMANDS)
def test_json_nested_too_deeply(cli: Runner, tmp_path: Path, command: tuple[str, ...]) -> None:
    refused(cli(*command, write(tmp_path, "deep.json", DEEP)), "deep.json", "nested too deeply")


@pytest.mark.parametrize("command", JSON_COMMANDS)
def test_json_number_too_long(cli: Runner, tmp_path: Path, command: tuple[str, ...]) -> None:
    refused(cli(*command, write(tmp_path, "huge.json", '{"couples": [' + HUGE + "]}")), "huge.json", "number")


@pytest.mark.parametrize("command", JSON_COMMANDS)
def test_json_not_utf8(cli: Runner, tmp_path: Path, command: tuple[str, ...]) -> None:
    refused(cli(*command, write(tmp_path, "bin.json", bytes(range(256)))), "bin.json", "not UTF-8")


@pytest.mark.parametrize("command", JSON_COMMANDS)
def test_json_key_given_twice(cli: Runner, tmp_path: Path, command: tuple[str, ...]) -> None:
    # json.loads keeps the last value silently: a couple listed twice would lose its first row.
    text = '{"kind": "single_dance", "judges": ["A"], "marks": {"1": [1], "2": [2], "1": [1]}}'
    refused(cli(*command, write(tmp_path, "twice.json", text)), "twice.json", "'1' appears twice")


def test_week_with_a_couples_points_given_twice(cli: Runner, tmp_path: Path) -> None:
    text = week().replace('"A": 38', '"A": 38, "A": 3')
    refused(cli("show", "combine", write(tmp_path, "w.json", text)), "'A' appears twice")


def test_json_error_does_not_say_csv(cli: Runner, tmp_path: Path) -> None:
    run = cli("tabulate", write(tmp_path, "bin.json", b"\x89PNG\r\n\x1a\n"))
    refused(run, "not UTF-8")
    assert "CSV" not in run.error


# --- tabulate --------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["²", HUGE])
def test_csv_rank_that_isdigit_but_is_no_int(cli: Runner, tmp_path: Path, cell: str) -> None:
    path = write(tmp_path, "r.csv", f"couple,A\n1,{cell}\n2,1\n")
    refused(cli("tabulate", path), "r.csv", "line 2", "field 'A'", "whole number")


def test_csv_recall_line_with_superscript_digit(cli: Runner, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "# recall: ²\ncouple,A\n1,X\n2,\n")
    refused(cli("tabulate", path), "field 'recall'")


def test_csv_long_cell_is_cut_short_in_the_message(cli: Runner, tmp_path: Path) -> None:
    run = cli("tabulate", write(tmp_path, "r.csv", f"couple,A\n1,x{HUGE}\n2,1\n"))
    refused(run, "whole number")
    assert len(run.error) < 200


def test_json_couple_with_no_number(cli: Runner, tmp_path: Path) -> None:
    case = {"kind": "single_dance", "judges": ["A"], "marks": {" ": [1], "2": [2]}}
    refused(cli("tabulate", write(tmp_path, "c.json", json.dumps(case))), "field 'marks'", "no number")


def test_recall_more_couples_than_danced(cli: Runner, tmp_path: Path) -> None:
    case = {"kind": "callback", "judges": ["A"], "marks": {"x_marks": {"1": [1], "2": [0]}}, "recall": 5}
    refused(
        cli("tabulate", write(tmp_path, "r.json", json.dumps(case))), "5 couples to recall", "only 2 danced"
    )


def test_output_to_a_directory(cli: Runner, tmp_path: Path) -> None:
    refused(cli("tabulate", "--example", "single-dance-final", "-o", str(tmp_path)), "cannot write")


def test_neither_file_nor_example(cli: Runner) -> None:
    refused(cli("tabulate"), "give a FILE")


def test_one_couple_and_one_judge_are_a_valid_final(cli: Runner, tmp_path: Path) -> None:
    """Degenerate but legal: Rules 5-8 place a lone couple 1st; one judge is a majority of one."""
    run = cli("tabulate", "--json", write(tmp_path, "one.csv", "couple,A\n7,1\n"))
    assert run.code == 0, run
    assert json.loads(run.stdout)["places"] == {"7": 1}


# --- show combine / outlook ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["combine", "outlook"])
@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"eliminate": 3}, ("eliminate 3 of 3", "one must stay")),
        ({"eliminate": 10**30}, ("one must stay",)),
        ({"eliminate": -1}, ("negative",)),
        ({"immune": ["Z"]}, ("immune", "Z")),
        ({"immune": ["A", "B", "C"]}, ("not immune",)),
        ({"panel": ["P", "P"]}, ("field 'panel'", "listed twice")),
        ({"votes": {"A": -1, "B": 1, "C": 1}}, ("field 'votes.A'", "negative")),
        ({"save_votes": {"P": "Z"}, "panel": ["P"]}, ("field 'save_votes.P'", "'Z'")),
        ({"save_votes": {"Q": "A"}, "panel": ["P"]}, ("field 'save_votes.Q'", "not on the panel")),
    ],
)
def test_week_that_makes_no_sense(
    cli: Runner, tmp_path: Path, command: str, changes: dict[str, object], words: tuple[str, ...]
) -> None:
    refused(cli("show", command, write(tmp_path, "w.json", week(**changes))), *words)


def test_one_couple_cannot_be_eliminated(cli: Runner, tmp_path: Path) -> None:
    path = write(tmp_path, "w.json", week(couples=["A"], judges_points={"A": 1}, votes={"A": 1}))
    refused(cli("show", "combine", path), "one must stay")


# --- show season -----------------------------------------------------------------------------------


def test_season_routine_danced_by_nobody(cli: Runner, tmp_path: Path) -> None:
    season = json.loads(json.dumps(GOOD_SEASON))
    season["weeks"][0]["routines"][0]["couples"] = []
    path = write(tmp_path, "s.json", json.dumps(season))
    refused(cli("show", "season", path), "weeks[0].routines[0].couples")


def test_season_json_and_csv_together(cli: Runner, tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", json.dumps(GOOD_SEASON))
    refused(cli("show", "season", path, "--json", "--csv"), "--json or --csv")
