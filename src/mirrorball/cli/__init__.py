"""Command-line entry point.

Users see a one-line error and exit status 2 for anything wrong with what they gave us (marks, files,
options), never a traceback: the scrutineer at the desk must know which mark to fix, not where our code is.
"""

from __future__ import annotations

import sys

from rich.console import Console

# Importing a command module registers its commands with `app`: one line per family keeps merges easy.
import mirrorball.cli.admin
import mirrorball.cli.audit
import mirrorball.cli.serve
import mirrorball.cli.show
import mirrorball.cli.tabulate
import mirrorball.cli.version
import mirrorball.cli.votes  # noqa: F401
from mirrorball.cli.app import app
from mirrorball.formats.errors import InputError
from mirrorball.scoring.errors import ScoringError
from mirrorball.service.errors import ServiceError

USER_ERROR_EXIT = 2


def main() -> None:
    try:
        app(standalone_mode=True)
    except (ScoringError, InputError, ServiceError) as exc:
        # soft_wrap: a long message stays one line for scripts reading stderr; the message itself is never
        # read as markup, since it quotes the user's own text (couple names, file contents).
        console = Console(stderr=True, highlight=False, soft_wrap=True)
        console.print("[bold red]error:[/] ", end="")
        console.print(str(exc), markup=False)
        sys.exit(USER_ERROR_EXIT)
