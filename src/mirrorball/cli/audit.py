"""`mirrorball audit verify`: check the hash chain and recompute every published result from the log."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from mirrorball.cli.app import app

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")

TAMPERED_EXIT = 1


@audit_app.command("verify")
def verify_command(
    db: str = typer.Option(None, "--db", help="Database URL or SQLite file (default: ./mirrorball.sqlite3)."),
) -> None:
    """Detect altered, removed or reordered records; recompute results from the log; compare the store."""
    # Imported here: other commands must not pay for SQLAlchemy (see cli/__init__).
    from mirrorball.audit.verify import verify
    from mirrorball.store.db import default_url, make_engine, make_session_factory, normalize_url, transaction

    engine = make_engine(normalize_url(db) if db else default_url())
    with transaction(make_session_factory(engine, read_only=True)) as session:
        report = verify(session)
    engine.dispose()
    console = Console(highlight=False)
    summary = (
        f"{report.records} records, {report.results_recomputed} results recomputed from the log, "
        f"{report.publications_checked} publications checked, "
        f"{report.windows_recounted} voting windows recounted"
    )
    if report.ok:
        console.print(f"[green]audit log intact[/]: {summary}")
        return
    table = Table("record", "problem", title="audit log problems")
    for problem in report.problems:
        table.add_row(str(problem.seq) if problem.seq is not None else "-", problem.what)
    console.print(table)
    console.print(f"[bold red]{len(report.problems)} problem(s)[/]: {summary}")
    raise typer.Exit(TAMPERED_EXIT)
