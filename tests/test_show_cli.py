"""`mirrorball show …` end to end, and every example in docs/show.md run as written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mirrorball.cli.app import app
from mirrorball.formats.season import season_from_dict
from mirrorball.scoring.show.progression import run_season

DOC = Path(__file__).resolve().parents[1] / "docs" / "show.md"
runner = CliRunner()


def _doc_examples(kind: str) -> list[tuple[Any, Any]]:
    """(input, expected) JSON pairs following `<!-- test: kind -->` markers in docs/show.md."""
    text = DOC.read_text(encoding="utf-8")
    pairs = []
    for match in re.finditer(rf"<!-- test: {kind} -->\s*```json\n(.*?)```", text, re.S):
        following = re.compile(r"```json\n(.*?)```", re.S).search(text, match.end())
        expected = json.loads(following.group(1)) if following and kind in ("combine", "outlook") else None
        pairs.append((json.loads(match.group(1)), expected))
    return pairs


def _contains(actual: Any, expected: Any) -> bool:
    """`expected` is an abridged `actual`: dicts may omit keys, lists of objects may omit items."""
    if isinstance(expected, list) and expected and all(isinstance(e, dict) for e in expected):
        items = iter(actual if isinstance(actual, list) else [])
        return all(any(_contains(a, e) for a in items) for e in expected)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _contains(actual[k], v) for k, v in expected.items()
        )
    return bool(actual == expected)


def _run(tmp_path: Path, *args: str, data: Any = None) -> Any:
    argv = list(args)
    if data is not None:
        path = tmp_path / "input.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        argv.insert(2, str(path))
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in argv else result.output


@pytest.mark.parametrize("kind", ["combine", "outlook"])
def test_doc_examples_give_the_documented_output(tmp_path: Path, kind: str) -> None:
    examples = _doc_examples(kind)
    assert len(examples) == 2
    for given, expected in examples:
        output = _run(tmp_path, "show", kind, "--json", data=given)
        assert _contains(output, expected), (output, expected)


def test_doc_season_file_and_votes_file_work(tmp_path: Path) -> None:
    ((season_data, _),) = _doc_examples("season-file")
    ((votes_data, _),) = _doc_examples("votes-file")
    season = season_from_dict(season_data, "doc")
    reports = run_season(season)
    assert reports[1].points == {
        "Ann & Ben": 20 + 13 + 8,
        "Cat & Dan": 16 + 15 + 8,
        "Eve & Fin": 24 + 9 + 8 + 2,
    }
    (tmp_path / "season.json").write_text(json.dumps(season_data), encoding="utf-8")
    (tmp_path / "votes.json").write_text(json.dumps(votes_data), encoding="utf-8")
    season_file, votes_file = str(tmp_path / "season.json"), str(tmp_path / "votes.json")
    out = _run(tmp_path, "show", "season", season_file, "--votes", votes_file, "--json")
    week2 = out["weeks"][1]
    assert out["votes"].startswith("simulated")
    assert week2["outcome"]["bottom"] == ["Ann & Ben", "Cat & Dan"]
    assert week2["outcome"]["save"]["saved"] == "Ann & Ben" and week2["outcome"]["eliminated"] == [
        "Cat & Dan"
    ]


def test_doc_python_snippet_runs() -> None:
    text = DOC.read_text(encoding="utf-8")
    snippets = re.findall(r"```python\n(.*?)```", text, re.S)
    assert snippets
    for code in snippets:
        exec(compile(code, "docs/show.md", "exec"), {})


def test_bobby_bones_question_in_one_command(tmp_path: Path) -> None:
    text = _run(tmp_path, "show", "season", "dwts-27", "--what-if", "strictly")
    assert "Bobby & Sharna still wins under strictly." in text
    assert "never published" in text
    data = _run(tmp_path, "show", "season", "dwts-27", "--what-if", "dwts-rank", "--json")
    assert "would not have won" in data["summary"] and "Milo & Witney" in data["summary"]


def test_season_json_has_the_s19_finale_totals(tmp_path: Path) -> None:
    data = _run(tmp_path, "show", "season", "dwts-19", "--week", "11", "--json")
    (final,) = data["weeks"]
    assert final["points"] == {"Sadie & Mark": 118, "Janel & Val": 117, "Alfonso & Witney": 120}
    assert final["outcome"] is None  # no votes: nothing made up


def test_season_csv_and_text(tmp_path: Path) -> None:
    csv_text = _run(tmp_path, "show", "season", "dwts-28", "--week", "8", "--csv")
    lines = csv_text.splitlines()
    assert lines[0].startswith("week,place,couple,week_points,points,share,season_total")
    assert any("James & Emma" in line and "immune" in line for line in lines)
    text = _run(tmp_path, "show", "season", "dwts-11", "--week", "9")
    assert "Brandy & Maks" in text and "eliminated" in text


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mirrorball", *args], capture_output=True, text=True)


def test_bad_input_is_one_line_and_exit_two(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"couples": ["A", "B"], "judges_points": {"A": 10, "B": 8}, "votes": {"A": 1, "Z": 2}})
    )
    result = _cli("show", "combine", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "votes.Z" in result.stderr and "not in couples" in result.stderr
    missing = _cli("show", "season", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "not a bundled season" in missing.stderr
    unknown = _cli("show", "season", "dwts-27", "--what-if", "coin-toss")
    assert unknown.returncode == 2 and "unknown rules" in unknown.stderr
