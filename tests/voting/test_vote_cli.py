"""`mirrorball votes …` and `mirrorball audit verify` on a database with votes in it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner

from mirrorball.cli import app
from mirrorball.service.vote_ledger import VoteRequest, apply_batch
from mirrorball.store.db import make_engine, make_session_factory, transaction
from mirrorball.store.models.vote import Vote
from mirrorball.voting.loadgen import prepare_vote

runner = CliRunner()


def _voted_database(tmp_path: Path) -> tuple[str, int]:
    db = str(tmp_path / "votes.sqlite3")
    window = prepare_vote(db, couples=3).window_id
    engine = make_engine(db)
    requests = [
        VoteRequest(window, "online", f"email:v{n}@example.org", f"key-{n:04d}", couple=str(1 + n % 2))
        for n in range(5)
    ]
    with transaction(make_session_factory(engine)) as session:
        apply_batch(session, requests, datetime.now(UTC))
    engine.dispose()
    return db, window


def test_tally_recount_partner_and_audit_verify(tmp_path: Path) -> None:
    db, window = _voted_database(tmp_path)
    tally = runner.invoke(app, ["votes", "tally", str(window), "--db", db])
    assert tally.exit_code == 0 and json.loads(tally.stdout) == {"1": 3, "2": 2, "3": 0}
    recount = runner.invoke(app, ["votes", "recount", "--db", db])
    assert recount.exit_code == 0 and "yes" in recount.stdout
    secret = runner.invoke(app, ["votes", "partner", "telco", "--channel", "phone", "--db", db])
    assert secret.exit_code == 0 and len(secret.stdout.strip()) >= 40
    again = runner.invoke(app, ["votes", "partner", "telco", "--channel", "phone", "--db", db])
    assert again.exit_code == 2 and "already exists" in again.output
    verify = runner.invoke(app, ["audit", "verify", "--db", db])
    assert verify.exit_code == 0 and "1 voting windows recounted" in verify.stdout
    assert runner.invoke(app, ["votes", "windows", "--db", db]).exit_code == 0


def test_a_tampered_vote_fails_the_recount_and_audit_verify(tmp_path: Path) -> None:
    db, _ = _voted_database(tmp_path)
    engine = make_engine(db)
    with transaction(make_session_factory(engine)) as session:
        session.execute(update(Vote).where(Vote.couple == "2").values(delta=5))
    engine.dispose()
    assert runner.invoke(app, ["votes", "recount", "--db", db]).exit_code == 1
    verify = runner.invoke(app, ["audit", "verify", "--db", db])
    assert verify.exit_code == 1 and "does not match its audit digest" in verify.stdout
