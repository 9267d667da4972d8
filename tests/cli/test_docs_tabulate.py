"""docs/tabulate.md is run, not just read: its files are written, its commands run, its outputs compared.

Fenced blocks: ```csv file=NAME / ```json file=NAME are written to a scratch folder; in ```console
blocks each `$ mirrorball …` line runs through the real main() there and must print the lines that follow
it (stdout, or the error message when it fails; a line `...` stands for any lines); ```python blocks run.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "tabulate.md"
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.S | re.M)


def _blocks() -> list[tuple[str, str, str]]:
    return FENCE.findall(DOC.read_text(encoding="utf-8"))


def _matches(expected: list[str], actual: str) -> bool:
    pattern = "\n".join(".*?" if line == "..." else re.escape(line) for line in expected)
    pattern = pattern.replace("\n.*?\n", "(?:\n.*?)?\n")  # '...' may also stand for no lines at all
    lines = "\n".join(line.rstrip() for line in actual.rstrip("\n").split("\n"))
    return re.fullmatch(pattern, lines, re.S) is not None


def _commands(block: str) -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = []
    for line in block.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            commands.append((line[2:], []))
        else:
            commands[-1][1].append(line)
    return commands


def test_the_doc_has_runnable_examples_of_every_kind() -> None:
    kinds = {lang for lang, _, _ in _blocks()}
    assert {"csv", "json", "console", "python"} <= kinds


def test_every_command_in_the_doc_prints_what_the_doc_shows(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ran = 0
    for lang, attributes, body in _blocks():
        if name := re.search(r"file=(\S+)", attributes):
            (tmp_path / name[1]).write_text(body, encoding="utf-8")
        elif lang == "console":
            for command, expected in _commands(body):
                words = shlex.split(command)
                assert words[0] == "mirrorball", command
                run = cli(*words[1:])
                shown = run.stdout if run.code == 0 else run.error
                assert _matches(expected, shown), (
                    f"{command}\n--- doc\n" + "\n".join(expected) + f"\n--- got\n{shown}"
                )
                ran += 1
        elif lang == "python":
            exec(compile(body, f"{DOC.name} python block", "exec"), {})
            ran += 1
    assert ran >= 8
