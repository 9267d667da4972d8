"""Many tablets at once: concurrent judges on one round, racing retries, out-of-order arrival."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.server.builders import LATIN, build, recall_marks
from tests.server.live_server import serving

from mirrorball.audit.verify import verify
from mirrorball.store.db import transaction
from mirrorball.store.models import AuditRecord

pytestmark = pytest.mark.slow


def test_concurrent_judges_and_racing_retries_store_each_sheet_once(client: TestClient, app: FastAPI) -> None:
    c = build(client, app, couples=20, judges="ABCDEFG", dances=LATIN)
    r = c.round("Round 1", "recall", recall_target=8)
    c.post(f"/api/rounds/{r['id']}/open")
    headers = {judge: c.judge(judge) for judge in "ABCDEFG"}
    requests: list[tuple[str, str]] = [(j, d) for j in "ABCDEFG" for d in LATIN] * 2  # every sheet sent twice
    random.Random(7).shuffle(requests)  # arrival in any order, duplicates racing each other

    with serving(app) as base:

        def send(item: tuple[str, str]) -> tuple[str, str, int]:
            judge, dance = item
            body = {
                "dance": dance,
                "recalls": recall_marks(r["couples"], 8, judge, dance),
                "submission_id": f"{judge}-{dance}",
            }
            response = httpx.post(
                f"{base}/api/rounds/{r['id']}/marks", json=body, headers=headers[judge], timeout=60
            )
            return judge, dance, response.status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(send, requests))

    by_sheet: dict[tuple[str, str], list[int]] = {}
    for judge, dance, status in outcomes:
        by_sheet.setdefault((judge, dance), []).append(status)
    assert all(sorted(statuses) == [200, 201] for statuses in by_sheet.values()), by_sheet
    sheets = client.get(f"/api/rounds/{r['id']}/marks", headers=c.admin).json()
    assert len(sheets) == 35 and {s["version"] for s in sheets} == {1}
    with transaction(app.state.mirrorball.readers) as session:
        submitted = session.scalar(
            select(func.count()).select_from(AuditRecord).where(AuditRecord.kind == "sheet.submitted")
        )
        report = verify(session)
    assert submitted == 35
    assert report.ok, report.problems
    assert c.post(f"/api/rounds/{r['id']}/close")["version"] == 1


def test_a_late_retry_of_a_corrected_sheet_does_not_undo_the_correction(
    client: TestClient, app: FastAPI
) -> None:
    c = build(client, app, couples=3, judges="AB", dances=["Waltz"])
    r = c.round("Final", "final")
    c.post(f"/api/rounds/{r['id']}/open")
    url = f"/api/rounds/{r['id']}/marks"
    original: dict[str, Any] = {
        "dance": "Waltz",
        "ranks": {"101": 1, "102": 2, "103": 3},
        "submission_id": "k1",
    }
    assert client.post(url, json=original, headers=c.judge("A")).status_code == 201
    c.post(f"/api/rounds/{r['id']}/unlock", {"dance": "Waltz", "judge": "A", "reason": "wrong order"})
    fixed = {"dance": "Waltz", "ranks": {"101": 3, "102": 2, "103": 1}, "submission_id": "k2"}
    assert client.post(url, json=fixed, headers=c.judge("A")).status_code == 201
    late = client.post(url, json=original, headers=c.judge("A"))  # the first request's delayed retry
    assert late.status_code == 200 and late.json()["version"] == 1 and late.json()["status"] == "superseded"
    current = client.get(url, headers=c.judge("A")).json()
    assert [(s["version"], s["marks"]["101"]) for s in current] == [(2, 3)]
    c.post(url, {"dance": "Waltz", "ranks": {"101": 1, "102": 2, "103": 3}}, as_=c.judge("B"))
    c.post(f"/api/rounds/{r['id']}/close")
    # After the close: a retry is still answered, a new sheet is refused.
    assert client.post(url, json=fixed, headers=c.judge("A")).status_code == 200
    other = {"dance": "Waltz", "ranks": {"101": 2, "102": 1, "103": 3}}
    assert client.post(url, json=other, headers=c.judge("B")).status_code == 409
