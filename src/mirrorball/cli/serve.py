"""`mirrorball serve`: migrate, print the first admin sign-in link, run uvicorn."""

from __future__ import annotations

import os

import typer

from mirrorball.cli.app import app


@app.command()
def serve(
    db: str = typer.Option(None, "--db", help="Database URL or SQLite file (default: ./mirrorball.sqlite3)."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (0.0.0.0 for the venue network)."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(1, min=1, help="Worker processes (use PostgreSQL to share live events)."),
    base_url: str = typer.Option(None, help="URL people use to reach this server (for sign-in links)."),
    demo: bool = typer.Option(False, help="Load the demo competition first (once; later runs keep it)."),
) -> None:
    """Run the competition server: HTTP API (docs at /docs), pages and live events."""
    # Imported here, not at the top: every `mirrorball` command would pay for the server otherwise.
    import uvicorn

    from mirrorball.service import auth as auth_service
    from mirrorball.store.db import default_url, make_engine, make_session_factory, normalize_url, transaction
    from mirrorball.store.migrate import migrate
    from mirrorball.web.links import sign_in_url
    from mirrorball.web.settings import DEMO_ENV

    url = normalize_url(db) if db else default_url()
    public_url = base_url or f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    engine = make_engine(url)
    migrate(engine)
    with transaction(make_session_factory(engine)) as session:
        token = auth_service.first_admin_link(session)
    if demo:
        from mirrorball.service.demo import load_demo

        with transaction(make_session_factory(engine)) as session:
            typer.echo(f"demo: {load_demo(session)}")
    engine.dispose()
    if token is not None:
        typer.echo("A fresh database. Sign in as the organizer (this link works once):")
        typer.echo(f"  {sign_in_url(public_url, token)}")
    # Worker processes import the app by name and read these (see mirrorball.web.app.app_from_env).
    os.environ["MIRRORBALL_DB"] = url
    os.environ["MIRRORBALL_BASE_URL"] = public_url
    os.environ[DEMO_ENV] = "1" if demo else "0"
    # On a SQLite file, votes are counted in one writer process beside the workers (see
    # mirrorball.service.vote_writer_process); "inline" counts them in each worker instead.
    os.environ.setdefault("MIRRORBALL_VOTE_WRITER", "process")
    uvicorn.run(
        "mirrorball.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
