"""`serve --demo`'s competitions: load once, are fully published, and verify against their audit log."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mirrorball.audit.verify import verify
from mirrorball.service.demo import DEMO_NAME, SHOW_NAME, load_demo
from mirrorball.store.db import transaction


def test_the_demo_loads_once_and_its_results_are_public_and_verifiable(
    client: TestClient, app: FastAPI
) -> None:
    with transaction(app.state.mirrorball.sessions) as session:
        assert "loaded" in load_demo(session)
    with transaction(app.state.mirrorball.sessions) as session:
        assert "already loaded" in load_demo(session)
    competitions = client.get("/api/competitions").json()
    assert [c["name"] for c in competitions] == [DEMO_NAME, SHOW_NAME]
    event = client.get(f"/api/competitions/{competitions[0]['id']}/events").json()[0]
    rounds = client.get(f"/api/events/{event['id']}/rounds").json()
    assert [(r["kind"], r["status"]) for r in rounds] == [("recall", "closed"), ("final", "closed")]
    final = client.get(f"/api/rounds/{rounds[1]['id']}/result").json()
    finalists = len(rounds[1]["couples"])
    assert sum(final["outcome"]["places"].values()) == finalists * (finalists + 1) / 2  # shared places too
    assert set(final["outcome"]["places"]) == {str(n) for n in rounds[1]["couples"]}
    assert len(rounds[0]["heats"]) == 2
    with transaction(app.state.mirrorball.readers) as session:
        report = verify(session)
    assert report.ok and report.publications_checked == 4  # two rounds, two finale nights
