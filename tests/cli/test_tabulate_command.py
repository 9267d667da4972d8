"""`mirrorball tabulate` and `mirrorball example`: every output format, every kind of bad input.

Bad input must give a one-line message naming what is wrong, exit status 2 and no traceback; an
unresolved recall still exits 0 and shows the Chairman's options.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mirrorball.formats import examples

Runner = Callable[..., Any]  # the `cli` / `cli_process` fixtures (tests/cli/conftest.py)

FINAL_CSV = "dance,couple,A,B,C\nWaltz,1,1,2,1\nWaltz,2,2,1,2\n"


def _file(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _refused(run: Any, *words: str) -> None:
    assert run.code == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    for word in words:
        assert word in run.error, run.error


# --- outputs -----------------------------------------------------------------------------------------


def test_text_is_the_default_and_shows_each_dance_and_the_summary(cli: Runner) -> None:
    run = cli("tabulate", "--example", "five-dance-final")
    assert run.code == 0
    for heading in (
        "Waltz",
        "Tango",
        "Viennese Waltz",
        "Slow Foxtrot",
        "Quickstep",
        "Summary",
        "Rule 10",
        "Rule 11",
    ):
        assert f"\n{heading}" in f"\n{run.stdout}", heading


def test_json_and_its_synonym_give_the_same_document(cli: Runner) -> None:
    long = cli("tabulate", "--example", "five-dance-final", "--format", "json")
    short = cli("tabulate", "--example", "five-dance-final", "--json")
    assert long.code == short.code == 0
    assert long.stdout == short.stdout
    body = json.loads(long.stdout)
    # TSO Beispiel M: 35 wins on Rule 11, 75 beats 65 for 5th on Rule 11.
    assert body["places"] == {"25": 2, "35": 1, "45": 3, "55": 4, "65": 6, "75": 5}
    assert body["dance_places"]["Viennese Waltz"]["25"] == 1.5
    assert body["decided_by"]["35"] == "R11"


def test_csv_output_is_csv(cli: Runner) -> None:
    run = cli("tabulate", "--example", "single-dance-final", "-f", "csv")
    assert run.code == 0
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0][0].startswith("# Waltz")
    assert rows[1] == ["Couple", "A", "B", "C", "D", "E", "1", "1-2", "1-3", "1-4", "1-5", "1-6", "Place"]


def test_html_output_is_a_whole_page(cli: Runner) -> None:
    run = cli("tabulate", "--example", "single-dance-final", "--format", "html")
    assert run.code == 0
    assert run.stdout.lstrip().startswith("<!DOCTYPE html>")
    assert run.stdout.rstrip().endswith("</html>")


def test_places_can_be_printed_as_ranges(cli: Runner) -> None:
    def viennese(*options: str) -> str:
        sheet = cli("tabulate", "--example", "five-dance-final", *options).stdout
        return sheet.split("Viennese Waltz\n")[1].split("Slow Foxtrot\n")[0]

    assert "  1.5\n" in viennese() and "  5.5\n" in viennese()
    assert "  1-2\n" in viennese("--places", "range") and "  5-6\n" in viennese("--places", "range")
    assert "  1.5\n" not in viennese("--places", "range")


def test_output_goes_to_a_file_when_asked(cli: Runner, tmp_path: Path) -> None:
    target = tmp_path / "sheet.html"
    run = cli("tabulate", "--example", "recall-round", "-f", "html", "--output", str(target))
    assert run.code == 0
    assert run.stdout == ""
    assert "<table>" in target.read_text(encoding="utf-8")


def test_a_file_is_read_by_its_extension(cli: Runner, tmp_path: Path) -> None:
    run = cli("tabulate", _file(tmp_path, "round.csv", FINAL_CSV), "--json")
    assert run.code == 0
    assert json.loads(run.stdout)["places"] == {"1": 1, "2": 2}


def test_input_format_overrides_the_extension(cli: Runner, tmp_path: Path) -> None:
    run = cli("tabulate", _file(tmp_path, "round.txt", FINAL_CSV), "--input-format", "csv", "--json")
    assert run.code == 0
    assert json.loads(run.stdout)["places"] == {"1": 1, "2": 2}


def test_stdin_is_read_and_its_format_sniffed(cli: Runner, skating_vectors: list[dict[str, Any]]) -> None:
    case = next(c for c in skating_vectors if c["id"] == "tso-beispiel-c")
    from_json = cli("tabulate", "-", "--json", stdin=json.dumps(case))
    from_csv = cli("tabulate", "-", "--json", stdin=FINAL_CSV)
    assert from_json.code == from_csv.code == 0
    assert json.loads(from_json.stdout)["places"] == case["expected"]
    assert json.loads(from_csv.stdout)["places"] == {"1": 1, "2": 2}


def test_stdin_through_a_real_pipe(cli_process: Runner) -> None:
    run = cli_process("tabulate", "-", "--json", stdin=FINAL_CSV)
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["places"] == {"1": 1, "2": 2}
    latin1 = cli_process("tabulate", "-", stdin=FINAL_CSV.replace("Waltz", "Walzer für").encode("latin-1"))
    assert latin1.code == 2 and "Traceback" not in latin1.stderr
    assert "not UTF-8" in latin1.error


# --- recall rounds and the Chairman ------------------------------------------------------------------


def test_an_unresolved_cut_exits_zero_and_shows_the_options(cli: Runner) -> None:
    run = cli("tabulate", "--example", "recall-tie")
    assert run.code == 0
    assert "THE CHAIRMAN MUST CHOOSE" in run.stdout
    assert "4 couples, those with 6 or more marks: 11, 15, 17, 18" in run.stdout
    assert "7 couples, those with 4 or more marks: 10, 11, 12, 14, 15, 17, 18" in run.stdout
    assert "--chairman" in run.error
    body = json.loads(cli("tabulate", "--example", "recall-tie", "--json").stdout)
    assert body["resolved"] is False
    assert [len(o["recalled"]) for o in body["cutoff_options"]] == [4, 7]


@pytest.mark.parametrize(("how", "recalled"), [(("--chairman", "4"), 4), (("--cut-policy", "more"), 7)])
def test_the_chairman_or_a_policy_settles_the_cut(cli: Runner, how: tuple[str, str], recalled: int) -> None:
    run = cli("tabulate", "--example", "recall-tie", *how, "--json")
    assert run.code == 0
    body = json.loads(run.stdout)
    assert body["resolved"] is True
    assert len(body["recalled"]) == recalled


def test_recall_on_the_command_line_overrides_the_file(cli: Runner, tmp_path: Path) -> None:
    text = "# recall: 2\ndance,couple,A,B\nW,1,X,X\nW,2,,\nW,3,,\n"
    run = cli("tabulate", _file(tmp_path, "r.csv", text), "--recall", "1", "--json")
    assert run.code == 0
    assert json.loads(run.stdout)["recalled"] == ["1"]


# --- bad input ---------------------------------------------------------------------------------------


def test_an_unreadable_file(cli: Runner, tmp_path: Path) -> None:
    _refused(cli("tabulate", str(tmp_path / "missing.csv")), "missing.csv", "cannot read")


def test_a_file_that_is_not_utf8(cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("dance,couple,A\nWalzer für Anfänger,1,1\n".encode("latin-1"))
    _refused(cli("tabulate", str(path)), "latin1.csv", "UTF-8")


def test_an_unwritable_output(cli: Runner, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "sheet.txt"
    run = cli("tabulate", "--example", "recall-round", "--output", str(target))
    assert run.code == 2 and "Traceback" not in run.stderr
    assert "cannot write the sheet" in run.error


def test_bad_json(cli: Runner, tmp_path: Path) -> None:
    _refused(
        cli("tabulate", _file(tmp_path, "r.json", '{"kind": "single_dance",\n "judges": [A]}')),
        "r.json",
        "line 2",
        "not valid JSON",
    )


def test_an_unknown_kind(cli: Runner, tmp_path: Path) -> None:
    _refused(
        cli("tabulate", _file(tmp_path, "r.json", '{"kind": "semifinal"}')), "field 'kind'", "unknown kind"
    )


def test_a_duplicate_rank_names_judge_dance_and_couple(cli: Runner, tmp_path: Path) -> None:
    text = "dance,couple,A,B,C\nTango,1,1,2,1\nTango,2,1,1,2\nTango,3,3,3,3\n"
    run = cli("tabulate", _file(tmp_path, "r.csv", text))
    _refused(run, "dance Tango", "judge A", "couple")
    assert "couple 1" in run.error or "couple 2" in run.error


def test_a_recall_judge_with_too_many_xs(cli: Runner, tmp_path: Path) -> None:
    text = "# recall: 1\ndance,couple,A,B\nRumba,1,X,X\nRumba,2,X,\n"
    _refused(cli("tabulate", _file(tmp_path, "r.csv", text)), "dance Rumba", "judge A")


def test_a_missing_column(cli: Runner, tmp_path: Path) -> None:
    _refused(cli("tabulate", _file(tmp_path, "r.csv", "dance,A,B\nW,1,2\n")), "line 1", "'couple'")


def test_a_missing_rank(cli: Runner, tmp_path: Path) -> None:
    _refused(
        cli("tabulate", _file(tmp_path, "r.csv", "dance,couple,A,B\nW,1,1,\nW,2,2,1\n")),
        "line 2",
        "field 'B'",
        "no rank",
    )


def test_bad_stdin(cli: Runner) -> None:
    _refused(cli("tabulate", "-", stdin="{not json"), "<stdin>", "not valid JSON")


def test_a_recall_round_without_a_number(cli: Runner, tmp_path: Path) -> None:
    _refused(cli("tabulate", _file(tmp_path, "r.csv", "dance,couple,A\nW,1,X\nW,2,\n")), "--recall")


def test_recall_options_for_a_final_are_refused(cli: Runner, tmp_path: Path) -> None:
    _refused(cli("tabulate", _file(tmp_path, "r.csv", FINAL_CSV), "--chairman", "2"), "--chairman", "final")


def test_a_chairman_choice_that_is_not_an_option(cli: Runner) -> None:
    _refused(cli("tabulate", "--example", "recall-tie", "--chairman", "5"), "4 or 7", "not 5")


def test_an_unknown_extension(cli: Runner, tmp_path: Path) -> None:
    _refused(cli("tabulate", _file(tmp_path, "marks.xlsx", "x")), "marks.xlsx", "--input-format")


@pytest.mark.parametrize(
    "args",
    [
        ("tabulate",),
        ("tabulate", "x.csv", "--example", "recall-round"),
        ("tabulate", "--example", "no-such-example"),
        ("tabulate", "--example", "recall-round", "--format", "pdf"),
        ("tabulate", "--example", "recall-round", "--recall", "0"),
    ],
)
def test_bad_options_are_usage_errors(cli: Runner, args: tuple[str, ...]) -> None:
    run = cli(*args)
    assert run.code == 2
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


def test_the_real_process_exits_two_without_a_traceback(cli_process: Runner, tmp_path: Path) -> None:
    text = "dance,couple,A,B\nW,1,1,1\nW,2,1,2\n"  # judge A ranks both couples 1st
    run = cli_process("tabulate", _file(tmp_path, "r.csv", text))
    assert run.code == 2
    assert "Traceback" not in run.stderr
    assert "judge A" in run.error


# --- examples ----------------------------------------------------------------------------------------


def test_example_list_names_every_bundled_example(cli: Runner) -> None:
    run = cli("example", "list")
    assert run.code == 0
    assert [line.split()[0] for line in run.stdout.splitlines()] == examples.names()
    assert len(examples.names()) >= 3


def test_every_example_tabulates(cli: Runner) -> None:
    for name in examples.names():
        run = cli("tabulate", "--example", name, "--json")
        assert run.code == 0, (name, run.stderr)


def test_example_show_prints_a_file_that_tabulates_like_the_example(cli: Runner, tmp_path: Path) -> None:
    shown = cli("example", "show", "five-dance-final").stdout
    copied = cli("tabulate", _file(tmp_path, "copy.csv", shown), "--json").stdout
    assert copied == cli("tabulate", "--example", "five-dance-final", "--json").stdout


def test_the_repository_examples_folder_matches_the_bundled_examples() -> None:
    folder = Path(__file__).resolve().parents[2] / "examples"
    assert sorted(p.stem for p in folder.glob("*.csv")) == examples.names()
    for name in examples.names():
        assert (folder / f"{name}.csv").read_text(encoding="utf-8") == examples.text(name), name
