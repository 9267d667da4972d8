"""`mirrorball version`."""

from __future__ import annotations

import typer

from mirrorball import __version__
from mirrorball.cli.app import app


@app.command()
def version() -> None:
    """Print the installed mirrorball version."""
    typer.echo(__version__)
