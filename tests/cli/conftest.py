"""Run `mirrorball` the way a user does: through the real `main()`, in process (fast) or as a subprocess."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mirrorball.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def error(self) -> str:
        """stderr with line wrapping undone (rich wraps the message to the terminal width)."""
        return " ".join(self.stderr.split())


Runner = Callable[..., Run]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    """`cli("tabulate", "x.csv", stdin="...")` runs main() with those arguments and returns what it did."""

    def run(*args: str, stdin: str = "") -> Run:
        monkeypatch.setattr(sys, "argv", ["mirrorball", *args])
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


@pytest.fixture
def cli_process() -> Runner:
    """The real command in its own process: proves no traceback escapes and stdin really is read."""

    def run(*args: str, stdin: str | bytes | None = None) -> Run:
        env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        data = stdin.encode() if isinstance(stdin, str) else stdin  # bytes: to send what is not UTF-8
        done = subprocess.run(
            [sys.executable, "-m", "mirrorball", *args], input=data, capture_output=True, env=env
        )
        return Run(done.returncode, done.stdout.decode(), done.stderr.decode())

    return run
