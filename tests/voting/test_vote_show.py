"""After the close, a window's recounted tally goes to its show week: the show engine's input."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.helpers import error_of

from .conftest import key, make_window, voter_token


def _show_week(client: TestClient, admin: dict[str, str]) -> int:
    def post(path: str, body: dict[str, Any]) -> Any:
        response = client.post(path, json=body, headers=admin)
        assert response.status_code == 201, response.text
        return response.json()

    season = post("/api/competitions", {"name": "Show", "kind": "show"})["id"]
    post(
        f"/api/competitions/{season}/couples/import",
        {"csv": "number,leader,follower\n1,Ann,P1\n2,Bob,P2\n3,Cat,P3\n"},
    )
    post(
        f"/api/competitions/{season}/judges", {"judges": [{"letter": j, "name": f"Judge {j}"} for j in "ABC"]}
    )
    panel = post(f"/api/competitions/{season}/panels", {"name": "Panel", "judges": ["A", "B", "C"]})
    event = post(
        f"/api/competitions/{season}/events",
        {"name": "Season 1", "dances": ["Freestyle"], "panel_id": panel["id"]},
    )
    routines = [{"dance": "Jive", "couples": [n]} for n in (1, 2, 3)]
    week = post(
        f"/api/events/{event['id']}/weeks",
        {"name": "Week 1", "routines": routines, "rules": {"preset": "dwts-save", "head_judge": "B"}},
    )
    assert client.post(f"/api/rounds/{week['id']}/open", headers=admin).status_code == 200
    return int(week["id"])


def test_a_closed_windows_tally_feeds_the_show_week_once(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    week = _show_week(client, admin)
    window = make_window(client, admin, round_id=week)
    for n, couple in enumerate(["1", "1", "3"]):
        voter = voter_token(app, client, f"show{n}@example.org")
        assert (
            client.post(
                f"/api/votes/windows/{window}/votes",
                json={"couple": couple, "votes": 2, "key": key()},
                headers=voter,
            ).status_code
            == 201
        )
    early = client.post(f"/api/votes/windows/{window}/feed", headers=admin)
    assert early.status_code == 409 and "close the vote" in error_of(early)["message"]
    client.post(f"/api/votes/windows/{window}/close", headers=admin)
    fed = client.post(f"/api/votes/windows/{window}/feed", headers=admin)
    assert fed.status_code == 200, fed.text
    assert fed.json()["week_totals"] == {"1": 4, "2": 0, "3": 2}
    assert client.get(f"/api/rounds/{week}/votes", headers=admin).json()["totals"] == {"1": 4, "2": 0, "3": 2}
    again = client.post(f"/api/votes/windows/{window}/feed", headers=admin)
    assert again.status_code == 409 and "already counted" in error_of(again)["message"]
    unlinked = make_window(client, admin)
    client.post(f"/api/votes/windows/{unlinked}/close", headers=admin)
    assert client.post(f"/api/votes/windows/{unlinked}/feed", headers=admin).status_code == 422
