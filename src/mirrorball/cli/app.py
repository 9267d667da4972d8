"""The `mirrorball` command: one Typer app; each command family lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="mirrorball",
    help="Dance competition judging, audience voting and results: the Skating System, TV shows, live pages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Keeps `mirrorball` a group of commands even while only one is registered."""
