"""Several server processes (workers, hosts) on one PostgreSQL database share live events (LISTEN/NOTIFY)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.server.conftest import PostgresDatabases
from tests.server.live_server import SSEReader
from tests.server.processes import running

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _small_final(base: str, admin: dict[str, str]) -> tuple[int, int, dict[str, int]]:
    def post(path: str, body: dict[str, Any]) -> Any:
        response = httpx.post(f"{base}{path}", json=body, headers=admin, timeout=30)
        assert response.status_code < 300, response.text
        return response.json()

    competition = post("/api/competitions", {"name": "Two hosts", "kind": "dancesport"})["id"]
    post(
        f"/api/competitions/{competition}/couples/import",
        {"csv": "number,leader,follower\n1,A,B\n2,C,D\n3,E,F\n"},
    )
    post(f"/api/competitions/{competition}/judges", {"judges": [{"letter": "A", "name": "A"}]})
    panel = post(f"/api/competitions/{competition}/panels", {"name": "P", "judges": ["A"]})
    event = post(
        f"/api/competitions/{competition}/events", {"name": "E", "dances": ["Waltz"], "panel_id": panel["id"]}
    )
    round_ = post(f"/api/events/{event['id']}/rounds", {"name": "Final", "kind": "final"})
    post(f"/api/rounds/{round_['id']}/open", {})
    return competition, round_["id"], {"A": panel["seats"][0]["seat_id"]}


def test_an_event_raised_on_one_server_reaches_a_client_of_another(
    postgres_databases: PostgresDatabases,
) -> None:
    db_url = postgres_databases.fresh()
    # The first server runs two uvicorn workers itself; the second stands for another host.
    with running(db_url, workers=2) as first, running(db_url) as second:
        token = first.admin_link_token
        assert token is not None and second.admin_link_token is None  # one database, one first admin
        admin_token = httpx.post(f"{first.base}/api/auth/signin", json={"token": token}).json()["token"]
        admin = {"Authorization": f"Bearer {admin_token}"}
        competition, round_id, seats = _small_final(first.base, admin)
        link = httpx.post(
            f"{first.base}/api/auth/links", json={"role": "judge", "seat_id": seats["A"]}, headers=admin
        ).json()
        judge_token = httpx.post(f"{second.base}/api/auth/signin", json={"token": link["token"]}).json()[
            "token"
        ]
        judge = {"Authorization": f"Bearer {judge_token}"}

        with (
            httpx.stream(
                "GET", f"{second.base}/api/competitions/{competition}/live", headers=admin, timeout=30
            ) as staff,
            httpx.stream("GET", f"{second.base}/api/competitions/{competition}/live", timeout=30) as public,
        ):
            staff_events, public_events = SSEReader(staff.iter_lines()), SSEReader(public.iter_lines())

            staff_events.wait_connected()
            public_events.wait_connected()
            marks = {"dance": "Waltz", "ranks": {"1": 1, "2": 2, "3": 3}}
            assert (
                httpx.post(f"{first.base}/api/rounds/{round_id}/marks", json=marks, headers=judge).status_code
                == 201
            )
            assert httpx.post(f"{first.base}/api/rounds/{round_id}/close", headers=admin).status_code == 200
            assert (
                httpx.post(f"{first.base}/api/rounds/{round_id}/publish", json={}, headers=admin).status_code
                == 201
            )
            assert staff_events.next_event()[0] == "marks_submitted"
            assert public_events.next_event() == (
                "result_published",
                f'{{"round_id":{round_id},"publication":1,"correction":false}}',
            )
