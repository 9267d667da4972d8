"""The audit log: an intact log verifies; each kind of tampering is detected and names the record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from tests.server.builders import build

from mirrorball.audit.chain import record_hash
from mirrorball.audit.verify import Report, verify
from mirrorball.store.db import transaction
from mirrorball.store.models import AuditHead, AuditRecord, Result

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def audited(client: TestClient, app: FastAPI) -> FastAPI:
    """A recall round settled by the Chairman and a corrected, re-published final."""
    c = build(client, app, couples=4, judges="AB", dances=["Waltz"])
    r = c.round("Round 1", "recall", recall_target=2)
    c.post(f"/api/rounds/{r['id']}/open")
    c.post(f"/api/rounds/{r['id']}/marks", {"dance": "Waltz", "recalls": [101, 102]}, as_=c.judge("A"))
    c.post(f"/api/rounds/{r['id']}/paper", {"dance": "Waltz", "judge": "B", "recalls": [101, 103]})
    c.post(f"/api/rounds/{r['id']}/paper", {"dance": "Waltz", "judge": "B", "recalls": [101, 103]})
    c.post(f"/api/rounds/{r['id']}/close")
    c.post(f"/api/rounds/{r['id']}/decision", {"recall": 3})
    c.post(f"/api/rounds/{r['id']}/publish")
    f = c.post(f"/api/rounds/{r['id']}/next", {"name": "Final", "kind": "final"})
    c.post(f"/api/rounds/{f['id']}/open")
    for judge in "AB":
        c.post(
            f"/api/rounds/{f['id']}/marks",
            {"dance": "Waltz", "ranks": {"101": 1, "102": 2, "103": 3}},
            as_=c.judge(judge),
        )
    c.post(f"/api/rounds/{f['id']}/close")
    c.post(f"/api/rounds/{f['id']}/publish")
    c.post(f"/api/rounds/{f['id']}/unlock", {"dance": "Waltz", "judge": "A", "reason": "reversed"})
    c.post(
        f"/api/rounds/{f['id']}/marks",
        {"dance": "Waltz", "ranks": {"101": 3, "102": 2, "103": 1}},
        as_=c.judge("A"),
    )
    c.post(f"/api/rounds/{f['id']}/close")
    c.post(f"/api/rounds/{f['id']}/publish", {"reason": "judge A reversed"})
    return app


def _verify(app: FastAPI) -> Report:
    with transaction(app.state.mirrorball.readers) as session:
        return verify(session)


def _seq_of(app: FastAPI, kind: str, nth: int = 0) -> int:
    with transaction(app.state.mirrorball.readers) as session:
        return list(
            session.scalars(select(AuditRecord.seq).where(AuditRecord.kind == kind).order_by(AuditRecord.seq))
        )[nth]


def _sql(app: FastAPI, statement: str, **params: object) -> None:
    with transaction(app.state.mirrorball.sessions) as session:
        session.execute(text(statement), params)


def _rechain_from(app: FastAPI, seq: int) -> None:
    """What a careful forger does: recompute every hash from `seq` on, and the head."""
    with transaction(app.state.mirrorball.sessions) as session:
        records = list(
            session.scalars(select(AuditRecord).where(AuditRecord.seq >= seq).order_by(AuditRecord.seq))
        )
        prev = session.scalars(select(AuditRecord.hash).where(AuditRecord.seq == seq - 1)).one()
        for record in records:
            record.prev_hash = prev
            record.hash = prev = record_hash(
                prev, record.seq, record.at, record.actor, record.kind, record.payload
            )
        session.execute(update(AuditHead).values(hash=prev))


def test_an_intact_log_verifies_and_recomputes_every_result(audited: FastAPI) -> None:
    report = _verify(audited)
    assert report.problems == []
    assert report.results_recomputed == 4  # round 1 (tie, then decided), final v1 and v2
    assert report.publications_checked == 3


def test_an_altered_record_is_named(audited: FastAPI) -> None:
    seq = _seq_of(audited, "sheet.submitted")
    _sql(audited, "UPDATE audit_log SET actor = 'admin' WHERE seq = :s", s=seq)
    assert [p.seq for p in _verify(audited).problems] == [seq]


def test_a_removed_record_is_detected(audited: FastAPI) -> None:
    seq = _seq_of(audited, "sheet.unlocked")
    _sql(audited, "DELETE FROM audit_log WHERE seq = :s", s=seq)
    problems = _verify(audited).problems
    assert problems and problems[0].seq == seq + 1 and "missing" in problems[0].what


def test_records_cut_off_the_end_are_detected(audited: FastAPI) -> None:
    _sql(audited, "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
    assert any("removed from the end" in p.what for p in _verify(audited).problems)


def test_reordered_records_are_detected(audited: FastAPI) -> None:
    first, second = _seq_of(audited, "sheet.submitted", 0), _seq_of(audited, "sheet.submitted", 1)
    with transaction(audited.state.mirrorball.sessions) as session:
        a, b = session.get_one(AuditRecord, first), session.get_one(AuditRecord, second)
        a.payload, b.payload = b.payload, a.payload
    assert {first, second} <= {p.seq for p in _verify(audited).problems}


def test_a_forged_mark_with_a_recomputed_chain_is_caught_by_the_replay(audited: FastAPI) -> None:
    """The chain alone cannot catch a forger who rehashes everything; recomputing the results can."""
    seq = _seq_of(audited, "sheet.submitted", 2)  # judge A's first final sheet
    with transaction(audited.state.mirrorball.sessions) as session:
        record = session.get_one(AuditRecord, seq)
        payload = json.loads(record.payload)
        payload["marks"] = {"101": 2, "102": 1, "103": 3}
        record.payload = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    _rechain_from(audited, seq)
    problems = _verify(audited).problems
    assert problems[0].seq == _seq_of(audited, "result.computed", 2)
    assert "does not follow from the logged marks" in problems[0].what
    assert any("as stored differs" in p.what for p in problems)


def test_a_stored_result_edited_behind_the_logs_back_is_detected(audited: FastAPI) -> None:
    with transaction(audited.state.mirrorball.sessions) as session:
        result = session.scalars(select(Result).order_by(Result.id.desc())).first()
        assert result is not None
        result.outcome = {**result.outcome, "places": {"101": 1, "102": 2, "103": 3}}
    problems = _verify(audited).problems
    assert len(problems) == 1 and "as stored differs" in problems[0].what


def test_the_cli_exits_non_zero_and_names_the_record(audited: FastAPI, db_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "mirrorball", "audit", "verify", "--db", db_url]
    audited.state.mirrorball.engine.dispose()
    ok = subprocess.run(command, capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "audit log intact" in ok.stdout
    seq = _seq_of(audited, "result.published")
    _sql(audited, "UPDATE audit_log SET payload = '{}' WHERE seq = :s", s=seq)
    audited.state.mirrorball.engine.dispose()
    bad = subprocess.run(command, capture_output=True, text=True, env=env)
    assert bad.returncode == 1
    assert f"{seq}" in bad.stdout and "altered" in bad.stdout
