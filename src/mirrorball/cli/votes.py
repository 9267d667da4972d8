"""`mirrorball votes …`: the producer's console view of audience voting (tallies, recount, annulment,
partners)."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from mirrorball.cli.app import app
from mirrorball.service import vote_access
from mirrorball.service import votes as voting
from mirrorball.service.errors import ServiceError
from mirrorball.service.vote_ledger import partner_source
from mirrorball.store.db import default_url, make_engine, make_session_factory, normalize_url, transaction

votes_app = typer.Typer(
    help="Audience voting: windows, tallies, the recount, annulling fraud, gateway partners.",
    no_args_is_help=True,
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


def _when(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        Console(stderr=True, highlight=False).print(
            f"[bold red]error:[/] {option} {text!r}: give a time with its zone, e.g. 2026-11-29T20:15:00Z"
        )
        raise typer.Exit(2)
    return moment


def _actor() -> str:
    """Who annulled, as the audit log names it: the operating-system user at the console."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name to be had (a bare container)
        return "cli"


def _removed_table(removed: dict[str, int]) -> Table:
    table = Table("couple", "votes")
    for couple, votes in removed.items():
        table.add_row(couple, f"{-votes:+,}".replace("-", "−"))
    return table


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@votes_app.command("annul")
def annul(
    window: int = typer.Argument(..., help="The window id."),
    reason: str = typer.Option(..., "--reason", help="Why, in words: it goes into the audit log."),
    voter: str = typer.Option(
        None, "--voter", help="A ledger voter, e.g. email:fan@example.org or partner:telco:+447700900001."
    ),
    address: str = typer.Option(None, "--address", help="The client address the votes came from."),
    since: str = typer.Option(None, "--since", help="Votes received at or after this time (with its zone)."),
    until: str = typer.Option(None, "--until", help="Votes received before this time (with its zone)."),
    partner: str = typer.Option(
        None, "--partner", help="A gateway partner's votes (with --partner-batch: one batch)."
    ),
    partner_batch: str = typer.Option(None, "--partner-batch", help="The partner's own batch name."),
    yes: bool = typer.Option(False, "--yes", help="Annul without showing the votes first and asking."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Annul votes found to be fraud (by voter, address, time range or partner batch), with a reason.

    Shows the votes and asks first. Logged in the audit log; the tally drops and the window is recounted.
    """
    criteria = voting.Criteria(
        voter=voter,
        address=address,
        since=_when(since, "--since"),
        until=_when(until, "--until"),
        source=partner_source(partner) if partner else None,
        partner_batch=partner_batch,
    )
    console = Console(highlight=False)
    with _session(db) as session:
        preview = voting.annulment_preview(session, window, criteria)
    if not preview["rows"]:  # an annulment of nothing is not logged
        console.print(f"No valid votes in window {window} match; nothing to annul.")
        return
    if not yes:
        votes = sum(preview["removed"].values())
        console.print(f"Window {window}: {_plural(preview['rows'], 'ledger row')} match")
        console.print(_removed_table(preview["removed"]))
        if not typer.confirm(f"Annul {_plural(votes, 'vote')} because {reason.strip()!r}?"):
            console.print("Nothing annulled.")
            raise typer.Exit(1)
    with _session(db, read_only=False) as session:
        done = voting.invalidate(session, _actor(), window, reason, criteria)
    console.print(f"Invalidation {done['invalidation']}: {_plural(done['rows'], 'ledger row')} annulled")
    console.print(_removed_table(done["removed"]))
    console.print(f"tally now: {json.dumps(done['tally'])}")
    console.print(
        "recount from the audit log: "
        + ("matches" if done["recount_matches"] else "[bold red]DOES NOT MATCH[/]")
    )
    if not done["recount_matches"]:
        raise typer.Exit(RECOUNT_MISMATCH_EXIT)
