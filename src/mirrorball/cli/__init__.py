"""Command-line entry point.

Users see a one-line error and exit status 2 for anything wrong with what they gave us (marks, files,
options), never a traceback: the scrutineer at the desk must know which mark to fix, not where our code is.

Start-up time: `mirrorball version`, `tabulate` and `show` must not pay for the server (SQLAlchemy,
Alembic, argon2, FastAPI: ~0.5 s of imports). Command modules keep heavy imports inside their
commands; a family whose module imports them at the top is listed in `LAZY` and imported only when
its command is asked for, or when the whole command tree is needed (`--help`, an unknown command,
`from mirrorball.cli import app`).
"""

from __future__ import annotations

import importlib
import sys
import types

# Importing a command module registers its commands with `app`: one line per family keeps merges easy.
import mirrorball.cli.admin
import mirrorball.cli.audit
import mirrorball.cli.serve
import mirrorball.cli.show
import mirrorball.cli.tabulate
import mirrorball.cli.version  # noqa: F401
from mirrorball.cli.app import app as _app
from mirrorball.formats.errors import InputError
from mirrorball.scoring.errors import ScoringError
from mirrorball.service.errors import ServiceError

# Command families whose modules import the server's libraries at import time: {command: module}.
LAZY = {"votes": "mirrorball.cli.votes"}
USER_ERROR_EXIT = 2


def load_commands(command: str | None = None) -> None:
    """Register the lazy family of `command`; every lazy family when `command` names none of them
    and is not one of the commands already registered (help, a typo: the tree must be complete)."""
    eager = {c.name or (c.callback.__name__ if c.callback else "") for c in _app.registered_commands}
    eager |= {g.name or "" for g in _app.registered_groups} - set(LAZY)
    if command in eager:
        return
    for name, module in LAZY.items():
        if command in (None, name) or command not in LAZY:
            importlib.import_module(module)


def main() -> None:
    load_commands(sys.argv[1] if len(sys.argv) > 1 else None)
    try:
        _app(standalone_mode=True)
    except (ScoringError, InputError, ServiceError) as exc:
        from rich.console import Console

        # soft_wrap: a long message stays one line for scripts reading stderr; the message itself is never
        # read as markup, since it quotes the user's own text (couple names, file contents).
        console = Console(stderr=True, highlight=False, soft_wrap=True)
        console.print("[bold red]error:[/] ", end="")
        console.print(str(exc), markup=False)
        sys.exit(USER_ERROR_EXIT)


class _Package(types.ModuleType):
    """`mirrorball.cli.app` (the attribute) is the complete Typer app, as it always was.

    A data descriptor on the module's class wins over the attribute the import system sets when the
    submodule `mirrorball.cli.app` is imported, so `from mirrorball.cli import app` loads every lazy
    family first and gives the Typer app, never the submodule."""

    @property
    def app(self) -> object:
        load_commands()
        return _app

    @app.setter
    def app(self, _submodule: object) -> None:
        pass  # the import system binding the submodule: the property above answers instead


sys.modules[__name__].__class__ = _Package
