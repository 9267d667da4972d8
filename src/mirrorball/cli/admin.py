"""`mirrorball admin …`: things the organizer does from the server's console."""

from __future__ import annotations

import typer

from mirrorball.cli.app import app

admin_app = typer.Typer(help="Organizer tasks on the server's console (sign-in links).", no_args_is_help=True)
app.add_typer(admin_app, name="admin")


@admin_app.command("link")
def link(
    db: str = typer.Option(None, "--db", help="Database URL or SQLite file (default: ./mirrorball.sqlite3)."),
    role: str = typer.Option("admin", help="admin, host or judge."),
    seat: int = typer.Option(None, help="The seat id, for a judge's link."),
    base_url: str = typer.Option("http://127.0.0.1:8000", help="URL people use to reach the server."),
    qr: bool = typer.Option(False, help="Also print the link as a QR code in the terminal."),
) -> None:
    """Issue a one-time sign-in link (e.g. when the first admin link was lost)."""
    # Imported here: other commands must not pay for SQLAlchemy, Alembic and argon2 (see cli/__init__).
    from mirrorball.service import auth as auth_service
    from mirrorball.service.principal import SYSTEM
    from mirrorball.store.db import default_url, make_engine, make_session_factory, normalize_url, transaction
    from mirrorball.store.migrate import migrate
    from mirrorball.web.links import sign_in_url

    engine = make_engine(normalize_url(db) if db else default_url())
    migrate(engine)  # the console may come first, before the server ever ran on this database
    with transaction(make_session_factory(engine)) as session:
        token = auth_service.issue_link(
            session, role=role, seat_id=seat, actor=SYSTEM, label="console", single_use=True
        )
    engine.dispose()
    url = sign_in_url(base_url, token)
    typer.echo(url)
    if qr:
        import segno

        segno.make(url).terminal(compact=True)
