"""Command-line entry point.

Users see a one-line error and exit status 2 for anything wrong with what they gave us (marks, files,
options), never a traceback: the scrutineer at the desk must know which mark to fix, not where our code is.
"""

from __future__ import annotations

import sys

from rich.console import Console

from mirrorball.cli import admin, audit, serve, show, tabulate, version  # noqa: F401  (registers commands)
from mirrorball.cli.app import app
from mirrorball.formats.errors import InputError
from mirrorball.scoring.errors import ScoringError
from mirrorball.service.errors import ServiceError

USER_ERROR_EXIT = 2


def main() -> None:
    try:
        app(standalone_mode=True)
    except (ScoringError, InputError, ServiceError) as exc:
        Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {exc}", markup=True)
        sys.exit(USER_ERROR_EXIT)
