"""The code rules of DESIGN.md, checked on every run: ruff clean, mypy (strict on scoring), scoring pure."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORING = ROOT / "src" / "mirrorball" / "scoring"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_is_clean() -> None:
    result = _run("ruff", "check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_scoring_imports_nothing_else_from_the_package() -> None:
    forbidden = re.compile(
        r"^\s*(from|import)\s+(mirrorball\.(?!scoring)\w+|sqlalchemy|fastapi|starlette|httpx|requests|typer|rich)"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in SCORING.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if forbidden.match(line)
    ]
    assert offenders == []
