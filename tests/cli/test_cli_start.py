"""`mirrorball version`, `tabulate` and `show` start without loading the server's libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
SERVER_LIBRARIES = ("sqlalchemy", "alembic", "argon2", "fastapi", "uvicorn", "psycopg")
PROBE = """
import json, sys
sys.argv = ["mirrorball", *json.loads(sys.argv[1])]
from mirrorball.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})), file=sys.stderr)
"""


def _modules_after(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        check=True,
    )
    loaded: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return set(loaded)


@pytest.mark.parametrize(
    "args",
    [
        ("version",),
        ("tabulate", str(SRC / "mirrorball" / "data" / "examples" / "five-dance-final.csv")),
        ("example", "show", "five-dance-final"),
        ("show", "season", "--help"),
    ],
)
def test_commands_without_a_server_do_not_import_its_libraries(args: tuple[str, ...]) -> None:
    assert _modules_after(*args).isdisjoint(SERVER_LIBRARIES)


def test_help_lists_every_command_family_including_the_lazy_ones() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mirrorball", "--help"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "COLUMNS": "200"},
        check=True,
    )
    rows = [line.split() for line in done.stdout.splitlines() if line.startswith("│ ")]
    names = {row[1] for row in rows if len(row) > 2}
    assert {"admin", "audit", "example", "serve", "show", "tabulate", "version", "votes"} <= names


def test_the_package_attribute_app_is_the_complete_typer_app() -> None:
    from mirrorball.cli import app

    assert "votes" in {group.name for group in app.registered_groups}
