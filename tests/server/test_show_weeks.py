"""Show weeks over HTTP: paddles per routine, vote tallies per window, the combination, the judges' save,
the next week from who stayed, a two-night finale — and the audit replay of all of it."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.server.builders import Competition
from tests.server.helpers import error_of, sign_in

from mirrorball.audit.verify import verify
from mirrorball.service.demo import SHOW_NAME, load_demo
from mirrorball.store.db import transaction


def _season(client: TestClient, app: FastAPI) -> Competition:
    admin = sign_in(client, app, "admin")

    def post(path: str, body: dict[str, Any]) -> Any:
        response = client.post(path, json=body, headers=admin)
        assert response.status_code == 201, response.text
        return response.json()

    cid = post("/api/competitions", {"name": "Show", "kind": "show"})["id"]
    post(
        f"/api/competitions/{cid}/couples/import",
        {"csv": "number,leader,follower\n1,Ann,Pro1\n2,Bob,Pro2\n3,Cat,Pro3\n4,Dan,Pro4\n"},
    )
    post(f"/api/competitions/{cid}/judges", {"judges": [{"letter": j, "name": f"Judge {j}"} for j in "ABC"]})
    panel = post(f"/api/competitions/{cid}/panels", {"name": "Panel", "judges": ["A", "B", "C"]})
    event = post(
        f"/api/competitions/{cid}/events",
        {"name": "Season 1", "dances": ["Freestyle"], "panel_id": panel["id"]},
    )
    return Competition(
        client, app, admin, cid, event["id"], {s["judge"]: s["seat_id"] for s in panel["seats"]}
    )


def _paddles(c: Competition, week: dict[str, Any], scores: dict[str, int]) -> None:
    """Every judge gives each routine the paddle in `scores` (by routine name)."""
    for judge in "ABC":
        for routine in week["dances"]:
            couples = routine.rpartition(" — ")[2].split("+")
            body = {"dance": routine, "scores": {n: scores[routine] for n in couples}}
            c.post(f"/api/rounds/{week['id']}/marks", body, as_=c.judge(judge))


def test_a_week_with_a_judges_save_then_a_two_night_finale(client: TestClient, app: FastAPI) -> None:
    c = _season(client, app)
    rules = {"preset": "dwts-save", "head_judge": "B"}
    routines = [{"dance": "Jive", "couples": [n]} for n in (1, 2, 3, 4)]
    week = c.post(f"/api/events/{c.event_id}/weeks", {"name": "Week 1", "routines": routines, "rules": rules})
    assert week["kind"] == "show_week" and week["dances"] == ["Jive — 1", "Jive — 2", "Jive — 3", "Jive — 4"]
    c.post(f"/api/rounds/{week['id']}/open")
    _paddles(c, week, {"Jive — 1": 9, "Jive — 2": 8, "Jive — 3": 7, "Jive — 4": 6})
    c.post(f"/api/rounds/{week['id']}/votes", {"window": "night", "tallies": {"1": 400, "2": 300, "3": 200}})
    c.post(f"/api/rounds/{week['id']}/votes", {"window": "app", "tallies": {"4": 100, "3": 50}})
    assert client.get(f"/api/rounds/{week['id']}/votes", headers=c.admin).json()["totals"] == {
        "1": 400, "2": 300, "3": 250, "4": 100
    }  # fmt: skip
    closed = c.post(f"/api/rounds/{week['id']}/close")
    assert closed["round_status"] == "deciding" and closed["outcome"]["bottom"] == ["3", "4"]
    assert closed["outcome"]["points"] == {"1": 27, "2": 24, "3": 21, "4": 18}
    saved = c.post(f"/api/rounds/{week['id']}/save", {"votes": {"A": 4, "C": 4}})
    assert saved["round_status"] == "closed" and saved["outcome"]["eliminated"] == ["3"]
    assert saved["outcome"]["save"]["head_voted"] is False
    c.post(f"/api/rounds/{week['id']}/publish")

    night1 = c.post(
        f"/api/rounds/{week['id']}/next-week",
        {
            "name": "Finale night 1",
            "routines": [{"dance": "Samba", "couples": [n]} for n in (1, 2, 4)],
            "eliminate": 0,
        },
    )
    assert night1["couples"] == [1, 2, 4]
    c.post(f"/api/rounds/{night1['id']}/open")
    _paddles(c, night1, {"Samba — 1": 7, "Samba — 2": 10, "Samba — 4": 8})
    c.post(f"/api/rounds/{night1['id']}/votes", {"window": "night", "tallies": {"1": 10, "2": 10, "4": 10}})
    assert c.post(f"/api/rounds/{night1['id']}/close")["outcome"]["eliminated"] == []
    night2 = c.post(
        f"/api/rounds/{night1['id']}/next-week",
        {
            "name": "Finale night 2",
            "routines": [{"dance": "Freestyle", "couples": [n]} for n in (1, 2, 4)],
            "eliminate": 0,
            "final": True,
            "include_this_week": True,
        },
    )
    c.post(f"/api/rounds/{night2['id']}/open")
    _paddles(c, night2, {"Freestyle — 1": 10, "Freestyle — 2": 10, "Freestyle — 4": 10})
    c.post(
        f"/api/rounds/{night2['id']}/votes", {"window": "final", "tallies": {"1": 500, "2": 100, "4": 100}}
    )
    final = c.post(f"/api/rounds/{night2['id']}/close")
    assert final["outcome"]["points"] == {"1": 51, "2": 60, "4": 54}  # night 1 + night 2
    assert final["outcome"]["final"] and final["outcome"]["ranking"][0] == "1"
    c.post(f"/api/rounds/{night2['id']}/publish")
    reveal = c.post(f"/api/rounds/{night2['id']}/reveal", {"step": 3}, as_=sign_in(client, app, "host"))
    assert reveal["revealed"][-1] == {"couple": "1", "place": 1}
    with transaction(app.state.mirrorball.readers) as session:
        report = verify(session)
    assert report.ok, report.problems
    assert report.results_recomputed == 4


def test_paddles_votes_and_saves_are_checked(client: TestClient, app: FastAPI) -> None:
    c = _season(client, app)
    routines = [
        {"dance": "Team", "couples": [1, 2]},
        {"dance": "Tango", "couples": [3]},
        {"dance": "Jive", "couples": [4]},
    ]
    week = c.post(f"/api/events/{c.event_id}/weeks", {"name": "W", "routines": routines})
    c.post(f"/api/rounds/{week['id']}/open")
    url = f"/api/rounds/{week['id']}/marks"
    judge = c.judge("A")
    for body, where in (
        ({"dance": "Tango — 3", "scores": {"3": 11}}, {"dance": "Tango — 3", "judge": "A", "couple": "3"}),
        ({"dance": "Tango — 3", "scores": {"4": 8}}, {"dance": "Tango — 3", "judge": "A", "couple": "3"}),
        ({"dance": "Team — 1+2", "scores": {"1": 8, "2": 9}}, {"dance": "Team — 1+2", "judge": "A"}),
        ({"dance": "Tango — 3", "ranks": {"3": 1}}, {"field": "scores"}),
    ):
        response = client.post(url, json=body, headers=judge)
        assert response.status_code == 422, response.text
        assert {k: error_of(response)["where"].get(k) for k in where} == where
    votes = f"/api/rounds/{week['id']}/votes"
    assert client.post(votes, json={"window": "w", "tallies": {"9": 1}}, headers=c.admin).status_code == 422
    assert client.post(votes, json={"window": "w", "tallies": {"1": -1}}, headers=c.admin).status_code == 422
    c.post(votes, {"window": "w", "tallies": {"1": 5}})
    assert client.post(votes, json={"window": "w", "tallies": {"2": 5}}, headers=c.admin).status_code == 409
    assert (
        client.post(votes, json={"window": "x", "tallies": {"2": 5}}, headers=c.judge("B")).status_code == 403
    )
    early = client.post(f"/api/rounds/{week['id']}/close", headers=c.admin)
    assert early.status_code == 409 and error_of(early)["where"]["judge"] == "A"
    assert (
        client.post(f"/api/rounds/{week['id']}/save", json={"votes": {"A": 1}}, headers=c.admin).status_code
        == 409
    )


def test_the_demo_includes_the_season_19_finale_with_its_real_paddles(
    client: TestClient, app: FastAPI
) -> None:
    with transaction(app.state.mirrorball.sessions) as session:
        load_demo(session)
    show = next(c for c in client.get("/api/competitions").json() if c["name"] == SHOW_NAME)
    couples = {
        str(c["number"]): c["leader"] for c in client.get(f"/api/competitions/{show['id']}/couples").json()
    }
    event = client.get(f"/api/competitions/{show['id']}/events").json()[0]
    night1, night2 = client.get(f"/api/events/{event['id']}/rounds").json()
    first = client.get(f"/api/rounds/{night1['id']}/result").json()["outcome"]
    assert [couples[c] for c in first["eliminated"]] == ["Bethany Mota"]
    final = client.get(f"/api/rounds/{night2['id']}/result").json()["outcome"]
    assert [couples[c] for c in final["ranking"]] == ["Alfonso Ribeiro", "Sadie Robertson", "Janel Parrish"]
    assert sorted(final["points"].values()) == [117, 118, 120]  # 40 + 40 + 40 = 120 for the champion


def test_a_paddle_is_a_public_live_event_the_moment_it_goes_up(app: FastAPI) -> None:
    """The big screen hears each paddle without a staff session; the public never hears DanceSport marks."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx
    from tests.server.live_server import SSEReader, serving

    pool = ThreadPoolExecutor(1)
    with serving(app) as base, httpx.Client(base_url=base, timeout=20) as http:
        c = _season(http, app)  # type: ignore[arg-type]  # the same calls as TestClient, over a real socket
        routines = [{"dance": "Jive", "couples": [n]} for n in (1, 2, 3, 4)]
        week = c.post(f"/api/events/{c.event_id}/weeks", {"name": "Week 1", "routines": routines})
        c.post(f"/api/rounds/{week['id']}/open")
        with httpx.stream("GET", f"{base}/api/competitions/{c.competition_id}/live", timeout=20) as stream:
            public = SSEReader(stream.iter_lines())
            public.wait_connected()
            body = {"dance": "Jive — 1", "scores": {"1": 10}}
            c.post(f"/api/rounds/{week['id']}/marks", body, as_=c.judge("B"))
            # A missing event fails in 10 s instead of hanging; leaving the stream unblocks the reader.
            kind, data = pool.submit(public.next_event).result(timeout=10)
    pool.shutdown(wait=False)
    assert kind == "score_submitted"
    assert json.loads(data) == {"round_id": week["id"], "routine": "Jive — 1", "judge": "B"}
