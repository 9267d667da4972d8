"""`mirrorball votes …` and `mirrorball audit verify` on a database with votes in it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner, Result

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


def _annul(db: str, window: object, *options: str, answer: str | None = None) -> Result:
    return runner.invoke(app, ["votes", "annul", str(window), *options, "--db", db], input=answer)


def _tally(db: str, window: int) -> dict[str, int]:
    tally: dict[str, int] = json.loads(runner.invoke(app, ["votes", "tally", str(window), "--db", db]).stdout)
    return tally


def test_annul_shows_the_votes_asks_and_then_annuls_with_a_recount(tmp_path: Path) -> None:
    db, window = _voted_database(tmp_path)  # v0, v2, v4 voted for couple 1; v1, v3 for couple 2
    bulk = ["--reason", "bulk accounts", "--voter", "email:v2@example.org"]
    asked = _annul(db, window, *bulk, answer="n\n")
    assert (
        asked.exit_code == 1 and "1 ledger row match" in asked.stdout and "Nothing annulled" in asked.stdout
    )
    assert _tally(db, window)["1"] == 3

    done = _annul(db, window, *bulk, answer="y\n")
    assert done.exit_code == 0, done.stdout
    assert "1 ledger row annulled" in done.stdout and "recount from the audit log: matches" in done.stdout
    assert _tally(db, window) == {"1": 2, "2": 2, "3": 0}
    since = datetime.now(UTC).replace(year=2000).isoformat()
    rest = _annul(db, window, "--reason", "test night", "--since", since, "--yes")
    assert rest.exit_code == 0 and "4 ledger rows annulled" in rest.stdout
    for confirm in ([], ["--yes"]):  # an annulment of nothing is not logged, asked or not
        again = _annul(db, window, "--reason", "again", "--since", since, *confirm)
        assert again.exit_code == 0 and "nothing to annul" in again.stdout
    assert runner.invoke(app, ["votes", "recount", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["audit", "verify", "--db", db]).exit_code == 0


def test_annul_refuses_bad_requests_with_a_clear_message(tmp_path: Path) -> None:
    db, window = _voted_database(tmp_path)
    cases = [
        (["--reason", "x"], "name the votes to annul"),
        (["--reason", "  ", "--voter", "email:v0@example.org", "--yes"], "needs a reason"),
        (["--reason", "x", "--since", "yesterday"], "give a time with its zone"),
        (["--reason", "x", "--since", "2026-11-29T20:15:00"], "give a time with its zone"),
    ]
    for options, message in cases:
        result = _annul(db, window, *options)
        assert result.exit_code == 2, (options, result.output)
        assert message in result.output and "Traceback" not in result.output
    unknown = _annul(db, 999, "--reason", "x", "--voter", "v")
    assert unknown.exit_code == 2 and "999" in unknown.output
    assert _tally(db, window) == {"1": 3, "2": 2, "3": 0}
