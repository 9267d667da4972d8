"""Kill the server with SIGKILL while judges submit: every acknowledged sheet survives, none is half-written.

A real `mirrorball serve` process; judges' tablets submit in parallel threads until the process dies
mid-load; the restarted server must hold every sheet it acknowledged (2xx), each complete, with an
intact audit chain, and the tablets' retries (same submission ids) must then finish the round.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

import httpx
import pytest
from tests.server.processes import ServerProcess, running

from mirrorball.audit.verify import verify
from mirrorball.store.db import make_engine, make_session_factory, transaction

pytestmark = pytest.mark.slow
JUDGES = "ABCDEF"
DANCES = [f"Dance {n}" for n in range(1, 13)]
TARGET = 10


def _setup(base: str, admin: httpx.Client) -> tuple[int, dict[str, str]]:
    def ok(response: httpx.Response) -> Any:
        assert response.is_success, response.text
        return response.json()

    cid = ok(admin.post("/api/competitions", json={"name": "Crash Open"}))["id"]
    rows = "\n".join(f"{n},L{n},F{n}" for n in range(1, 31))
    ok(
        admin.post(
            f"/api/competitions/{cid}/couples/import", json={"csv": f"number,leader,follower\n{rows}\n"}
        )
    )
    ok(
        admin.post(
            f"/api/competitions/{cid}/judges", json={"judges": [{"letter": j, "name": j} for j in JUDGES]}
        )
    )
    panel = ok(admin.post(f"/api/competitions/{cid}/panels", json={"name": "P", "judges": list(JUDGES)}))
    event = ok(
        admin.post(
            f"/api/competitions/{cid}/events", json={"name": "E", "dances": DANCES, "panel_id": panel["id"]}
        )
    )
    round_ = ok(
        admin.post(
            f"/api/events/{event['id']}/rounds",
            json={"name": "R1", "kind": "recall", "recall_target": TARGET},
        )
    )
    ok(admin.post(f"/api/rounds/{round_['id']}/open"))
    tokens = {}
    for seat in panel["seats"]:
        link = ok(
            admin.post(
                "/api/auth/links", json={"role": "judge", "seat_id": seat["seat_id"], "single_use": False}
            )
        )
        tokens[seat["judge"]] = ok(httpx.post(f"{base}/api/auth/signin", json={"token": link["token"]}))[
            "token"
        ]
    return round_["id"], tokens


def _marks(judge: str, dance: str) -> list[int]:
    offset = (JUDGES.index(judge) * 7 + DANCES.index(dance) * 3) % 30
    return sorted((offset + k) % 30 + 1 for k in range(TARGET))


def _body(round_id: int, judge: str, dance: str) -> dict[str, Any]:
    return {"dance": dance, "recalls": _marks(judge, dance), "submission_id": f"{round_id}/{judge}/{dance}"}


def test_every_acknowledged_sheet_survives_a_sigkill(db_url: str) -> None:
    server = ServerProcess(db_url)
    try:
        token = server.admin_link_token
        assert token is not None
        admin_token = httpx.post(f"{server.base}/api/auth/signin", json={"token": token}).json()["token"]
        admin = httpx.Client(
            base_url=server.base, headers={"Authorization": f"Bearer {admin_token}"}, timeout=30
        )
        round_id, judge_tokens = _setup(server.base, admin)
        work: queue.Queue[tuple[str, str]] = queue.Queue()
        for dance in DANCES:
            for judge in JUDGES:
                work.put((judge, dance))
        acknowledged: list[tuple[str, str]] = []
        lock = threading.Lock()

        def tablet() -> None:
            while True:
                try:
                    judge, dance = work.get_nowait()
                except queue.Empty:
                    return
                headers = {"Authorization": f"Bearer {judge_tokens[judge]}"}
                try:
                    response = httpx.post(
                        f"{server.base}/api/rounds/{round_id}/marks",
                        json=_body(round_id, judge, dance),
                        headers=headers,
                        timeout=30,
                    )
                except httpx.HTTPError:
                    return  # the server died under us: this sheet was never acknowledged
                if response.status_code in (200, 201):
                    with lock:
                        acknowledged.append((judge, dance))

        tablets = [threading.Thread(target=tablet) for _ in range(4)]
        for thread in tablets:
            thread.start()
        while len(acknowledged) < 20 and any(t.is_alive() for t in tablets):
            threading.Event().wait(0.01)
        server.kill()
        for thread in tablets:
            thread.join(timeout=60)
        acked = set(acknowledged)
        assert 20 <= len(acked) < len(DANCES) * len(JUDGES), "the kill must land mid-load"
    finally:
        server.stop()

    with running(db_url) as restarted:
        admin = httpx.Client(
            base_url=restarted.base, headers={"Authorization": f"Bearer {admin_token}"}, timeout=30
        )
        sheets = admin.get(f"/api/rounds/{round_id}/marks").json()
        stored = {(s["judge"], s["dance"]): sorted(int(n) for n in s["marks"]) for s in sheets}
        for judge, dance in acked:
            assert stored.get((judge, dance)) == _marks(judge, dance), (
                f"acknowledged sheet {judge}/{dance} lost"
            )
        assert all(len(marks) == TARGET for marks in stored.values()), "a half-written sheet"
        # The tablets retry everything they did not see acknowledged, with the same submission ids.
        for dance in DANCES:
            for judge in JUDGES:
                retry = httpx.post(
                    f"{restarted.base}/api/rounds/{round_id}/marks",
                    json=_body(round_id, judge, dance),
                    headers={"Authorization": f"Bearer {judge_tokens[judge]}"},
                    timeout=30,
                )
                assert retry.status_code == (200 if (judge, dance) in stored else 201), retry.text
        assert admin.post(f"/api/rounds/{round_id}/close").status_code == 200
    engine = make_engine(db_url)
    with transaction(make_session_factory(engine, read_only=True)) as session:
        report = verify(session)
    engine.dispose()
    assert report.ok, report.problems
