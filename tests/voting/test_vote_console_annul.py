"""The console's annulment of fraud, without a browser: the two steps (the votes shown with nothing
changed, then the annulment confirmed) and every refusal, each answered on the week's page with why."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.pages.pages_data import build_show

from mirrorball.service import votes as voting
from mirrorball.service.principal import SYSTEM
from mirrorball.service.vote_ledger import VoteRequest, apply_batch
from mirrorball.store.db import transaction
from mirrorball.store.models import AuditRecord
from server.helpers import link_token


def _week_with_votes(app: FastAPI) -> tuple[int, int]:
    """Stars Test's Week 1 with an open window: bulk@ gave couple 4 two votes, fan@ couple 3 three."""
    week = build_show(app).rounds["Week 1"]
    with transaction(app.state.mirrorball.sessions) as session:
        spec = voting.WindowSpec(
            title="Week 1 vote",
            couples=[{"key": str(n)} for n in (1, 2, 3, 4)],
            caps={"online": {"per_window": 10}},
            round_id=week,
        )
        window = voting.create_window(session, SYSTEM.actor, spec).id
        voting.open_window(session, SYSTEM.actor, window)
    with transaction(app.state.mirrorball.sessions) as session:
        requests = [
            VoteRequest(window, "online", "email:bulk@example.org", "bulk-1", couple="4", votes=2),
            VoteRequest(window, "online", "email:fan@example.org", "fan-1", couple="3", votes=3),
        ]
        apply_batch(session, requests, datetime.now(UTC))
    return week, window


def _said(response: object) -> str:
    """The message the week's page is sent back with (303 to /console/rounds/<id>?message=…)."""
    location = response.headers["location"]  # type: ignore[attr-defined]
    return parse_qs(urlparse(location).query)["message"][0]


def test_the_votes_are_shown_first_and_annulled_only_when_confirmed(app: FastAPI, client: TestClient) -> None:
    week, window = _week_with_votes(app)
    csrf = client.post("/api/auth/signin", json={"token": link_token(app, "admin")}).json()["csrf_token"]
    url = f"/console/rounds/{week}/windows/{window}/annul"
    form = {"csrf_token": csrf, "reason": "one person, many accounts", "voter": "email:bulk@example.org"}

    page = client.get(f"/console/rounds/{week}")
    assert "Annul votes found to be fraud" in page.text

    preview = client.post(url, data=form, follow_redirects=False)
    assert preview.status_code == 200
    assert re.search(r"<h1>Annul 2 votes in window \d+\?</h1>", preview.text)
    assert "4 — Di Star &amp; Pro Four</th><td>2</td>" in preview.text
    with transaction(app.state.mirrorball.readers) as session:
        assert voting.window_tally(session, window) == {"1": 0, "2": 0, "3": 3, "4": 2}  # nothing yet

    done = client.post(url, data={**form, "step": "annul"}, follow_redirects=False)
    assert done.status_code == 303
    assert _said(done) == (
        f"Annulled 2 votes in window {window} (invalidation 1); the recount from the audit log matches."
    )
    with transaction(app.state.mirrorball.readers) as session:
        assert voting.window_tally(session, window) == {"1": 0, "2": 0, "3": 3, "4": 0}
        logged = session.scalars(
            select(AuditRecord).where(AuditRecord.kind == voting.AUDIT_INVALIDATION)
        ).one()
        assert json.loads(logged.payload)["reason"] == "one person, many accounts" and logged.actor == "admin"


def test_refusals_name_what_is_wrong_and_change_nothing(app: FastAPI, client: TestClient) -> None:
    week, window = _week_with_votes(app)
    csrf = client.post("/api/auth/signin", json={"token": link_token(app, "admin")}).json()["csrf_token"]
    url = f"/console/rounds/{week}/windows/{window}/annul"
    later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    cases = [
        ({"reason": " ", "voter": "email:bulk@example.org"}, "say why these votes are annulled"),
        ({"reason": "fraud"}, "name the votes to annul"),
        ({"reason": "fraud", "since": "yesterday"}, "since: 'yesterday' is not a time"),
        ({"reason": "fraud", "since": later}, "nothing to annul"),  # a time in UTC, from a picker
        ({"reason": "fraud", "voter": "email:nobody@example.org"}, "nothing to annul"),
    ]
    for fields, message in cases:
        for step in ("preview", "annul"):
            answer = client.post(
                url, data={"csrf_token": csrf, "step": step, **fields}, follow_redirects=False
            )
            assert answer.status_code == 303 and message in _said(answer), (fields, step)
    other_week = client.post(
        f"/console/rounds/{week + 1000}/windows/{window}/annul",
        data={"csrf_token": csrf, "reason": "fraud", "voter": "email:bulk@example.org"},
        follow_redirects=False,
    )
    assert "not this week's" in _said(other_week)
    forged = client.post(
        url, data={"reason": "fraud", "voter": "email:bulk@example.org"}, follow_redirects=False
    )
    assert forged.status_code == 403  # no CSRF token: refused before anything is read
    with transaction(app.state.mirrorball.readers) as session:
        assert voting.window_tally(session, window) == {"1": 0, "2": 0, "3": 3, "4": 2}
