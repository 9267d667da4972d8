"""`mirrorball votes …`: the producer's console view of audience voting (tallies, recount, partners)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from mirrorball.cli.app import app
from mirrorball.service import vote_access
from mirrorball.service import votes as voting
from mirrorball.service.errors import ServiceError
from mirrorball.store.db import default_url, make_engine, make_session_factory, normalize_url, transaction

votes_app = typer.Typer(
    help="Audience voting: windows, tallies, the recount, gateway partners.", no_args_is_help=True
)
app.add_typer(votes_app, name="votes")

DB_HELP = "Database URL or SQLite file (default: ./mirrorball.sqlite3)."
RECOUNT_MISMATCH_EXIT = 1


@contextmanager
def _session(db: str | None, *, read_only: bool = True) -> Iterator[Session]:
    engine = make_engine(normalize_url(db) if db else default_url())
    try:
        with transaction(make_session_factory(engine, read_only=read_only)) as session:
            yield session
    except ServiceError as exc:
        Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {exc.message}")
        raise typer.Exit(2) from exc
    finally:
        engine.dispose()


@votes_app.command("windows")
def windows(db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """List the voting windows and whether each takes votes now."""
    table = Table("id", "title", "state", "now")
    with _session(db) as session:
        for window in voting.list_windows(session):
            described = voting.describe_window(window)
            table.add_row(str(window.id), window.title, window.state, described["status_message"])
    Console(highlight=False).print(table)


@votes_app.command("tally")
def tally(
    window: int = typer.Argument(..., help="The window id."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Print the window's tally as JSON {couple: votes}: the input the show engine combines."""
    with _session(db) as session:
        result = voting.window_tally(session, window)
    typer.echo(json.dumps(result))


@votes_app.command("recount")
def recount(
    window: list[int] = typer.Option(None, "--window", help="Only these windows (repeatable)."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Recount windows from the audit log and compare with the ledger and the running tally."""
    with _session(db) as session:
        results = voting.recount(session, window or None)
    table = Table("window", "votes (log)", "ledger", "tally", "matches")
    for result in results:
        table.add_row(
            str(result.window),
            str(sum(result.from_log.values())),
            str(sum(result.from_ledger.values())),
            str(sum(result.tally.values())),
            "yes" if result.matches else "[bold red]NO[/]",
        )
    console = Console(highlight=False)
    console.print(table)
    for result in results:
        for problem in result.problems:
            console.print(f"window {result.window}: {problem}")
    if not all(r.matches for r in results):
        raise typer.Exit(RECOUNT_MISMATCH_EXIT)


@votes_app.command("partner")
def partner(
    name: str = typer.Argument(..., help="The partner's name (lower-case letters, digits, - and _)."),
    channel: str = typer.Option(..., "--channel", help="The channel its votes count on, e.g. phone or sms."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Register a gateway partner and print its secret (shown once; only a hash is stored)."""
    with _session(db, read_only=False) as session:
        secret = vote_access.add_partner(session, name, channel)
    typer.echo(secret)
