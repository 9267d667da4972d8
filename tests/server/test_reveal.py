"""The host's reveal: last place first, the public sees only what was announced, events on each step."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.server.builders import build
from tests.server.helpers import sign_in


def test_the_reveal_announces_from_last_place_and_shows_the_public_only_that(
    client: TestClient, app: FastAPI
) -> None:
    c = build(client, app, couples=3, judges="ABC", dances=["Waltz"])
    r = c.round("Final", "final")
    c.post(f"/api/rounds/{r['id']}/open")
    for judge in "ABC":
        c.post(
            f"/api/rounds/{r['id']}/marks",
            {"dance": "Waltz", "ranks": {"101": 2, "102": 1, "103": 3}},
            as_=c.judge(judge),
        )
    host = sign_in(client, app, "host")
    assert (
        client.post(f"/api/rounds/{r['id']}/reveal", json={"step": 1}, headers=host).status_code == 409
    )  # not closed
    c.post(f"/api/rounds/{r['id']}/close")
    assert client.get(f"/api/rounds/{r['id']}/reveal").json()["revealed"] == []
    moved = client.post(f"/api/rounds/{r['id']}/reveal", json={"step": 2}, headers=host)
    assert moved.status_code == 200
    assert moved.json()["upcoming"] == [{"couple": "102", "place": 1}]
    public = client.get(f"/api/rounds/{r['id']}/reveal").json()
    assert public["revealed"] == [{"couple": "103", "place": 3}, {"couple": "101", "place": 2}]
    assert public["upcoming"] is None and public["total"] == 3
    assert client.post(f"/api/rounds/{r['id']}/reveal", json={"step": 4}, headers=host).status_code == 422
    assert client.post(f"/api/rounds/{r['id']}/reveal", json={"step": 3}).status_code == 401
    judge = c.judge("A")
    assert client.post(f"/api/rounds/{r['id']}/reveal", json={"step": 3}, headers=judge).status_code == 403
