"""Judging rules over HTTP: own seat only, open rounds only, engine validation, idempotent retries,
locks and logged corrections, paper double entry, the Chairman at a tied cut, published corrections."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.server.builders import Competition, build
from tests.server.helpers import error_of, sign_in


def _small_recall(client: TestClient, app: FastAPI) -> tuple[Competition, dict[str, Any]]:
    """4 couples, judges A and B, one dance, 2 to recall."""
    c = build(client, app, couples=4, judges="AB", dances=["Waltz"])
    r = c.round("Round 1", "recall", recall_target=2)
    c.post(f"/api/rounds/{r['id']}/open")
    return c, r


def _submit(c: Competition, round_id: int, judge: str, body: dict[str, Any]) -> Any:
    return c.client.post(f"/api/rounds/{round_id}/marks", json=body, headers=c.judge(judge))


def test_a_judge_writes_only_while_the_round_is_open(client: TestClient, app: FastAPI) -> None:
    c = build(client, app, couples=4, judges="AB", dances=["Waltz"])
    r = c.round("Round 1", "recall", recall_target=2)
    early = _submit(c, r["id"], "A", {"dance": "Waltz", "recalls": [101, 102]})
    assert early.status_code == 409 and error_of(early)["where"] == {"round_id": r["id"]}


def test_a_judge_of_another_panel_cannot_write_this_round(client: TestClient, app: FastAPI) -> None:
    c, r = _small_recall(client, app)
    c.post(f"/api/competitions/{c.competition_id}/judges", {"judges": [{"letter": "Z", "name": "Zed"}]})
    other = c.post(f"/api/competitions/{c.competition_id}/panels", {"name": "Other", "judges": ["Z"]})
    outsider = sign_in(client, app, "judge", seat_id=other["seats"][0]["seat_id"])
    response = client.post(
        f"/api/rounds/{r['id']}/marks", json={"dance": "Waltz", "recalls": [101, 102]}, headers=outsider
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"dance": "Waltz", "recalls": [101]}, {"dance": "Waltz", "judge": "A"}),  # too few X's
        ({"dance": "Waltz", "recalls": [101, 102, 103]}, {"dance": "Waltz", "judge": "A"}),  # too many
        ({"dance": "Waltz", "recalls": [101, 999]}, {"dance": "Waltz", "judge": "A", "couple": "999"}),
        ({"dance": "Tango", "recalls": [101, 102]}, {"round_id": None, "dance": "Tango"}),
        ({"dance": "Waltz", "ranks": {"101": 1}}, {"field": "recalls"}),
        ({"dance": "Waltz"}, {"dance": "Waltz"}),
    ],
)
def test_bad_sheets_are_refused_naming_what_is_wrong(
    client: TestClient, app: FastAPI, body: dict[str, Any], where: dict[str, Any]
) -> None:
    c, r = _small_recall(client, app)
    response = _submit(c, r["id"], "A", body)
    assert response.status_code in (404, 422), response.text
    got = error_of(response)["where"]
    if "round_id" in where:
        where = {**where, "round_id": r["id"]}
    assert {k: got.get(k) for k in where} == where
    assert client.get(f"/api/rounds/{r['id']}/progress", headers=c.admin).json()["Waltz"]["A"] == "missing"


def test_final_ranks_are_checked_by_the_engine_naming_the_couple(client: TestClient, app: FastAPI) -> None:
    c = build(client, app, couples=3, judges="AB", dances=["Waltz"])
    r = c.round("Final", "final")
    c.post(f"/api/rounds/{r['id']}/open")
    duplicate = _submit(c, r["id"], "A", {"dance": "Waltz", "ranks": {"101": 1, "102": 1, "103": 2}})
    assert duplicate.status_code == 422 and error_of(duplicate)["where"]["judge"] == "A"
    assert error_of(duplicate)["where"].get("couple") in {"101", "102"}
    missing = _submit(c, r["id"], "A", {"dance": "Waltz", "ranks": {"101": 1, "102": 2}})
    assert missing.status_code == 422 and error_of(missing)["where"]["couple"] == "103"


def test_retries_are_not_second_submissions_and_locked_marks_do_not_change(
    client: TestClient, app: FastAPI
) -> None:
    c, r = _small_recall(client, app)
    body = {"dance": "Waltz", "recalls": [101, 102], "submission_id": "tablet-A-1"}
    assert _submit(c, r["id"], "A", body).status_code == 201
    assert _submit(c, r["id"], "A", body).status_code == 200  # the same request again
    assert (
        _submit(c, r["id"], "A", {"dance": "Waltz", "recalls": [101, 102]}).status_code == 200
    )  # same marks, no key
    reused = _submit(c, r["id"], "A", {**body, "recalls": [101, 103]})
    assert reused.status_code == 409
    changed = _submit(c, r["id"], "A", {"dance": "Waltz", "recalls": [103, 104]})
    assert changed.status_code == 409 and error_of(changed)["where"] == {"judge": "A", "dance": "Waltz"}
    sheets = client.get(f"/api/rounds/{r['id']}/marks", headers=c.admin).json()
    assert [(s["judge"], s["version"], sorted(s["marks"])) for s in sheets] == [("A", 1, ["101", "102"])]


def test_a_correction_needs_the_scrutineers_unlock_and_keeps_the_old_sheet(
    client: TestClient, app: FastAPI
) -> None:
    c, r = _small_recall(client, app)
    _submit(c, r["id"], "A", {"dance": "Waltz", "recalls": [101, 102]})
    judge_tries = client.post(
        f"/api/rounds/{r['id']}/unlock",
        json={"dance": "Waltz", "judge": "A", "reason": "x"},
        headers=c.judge("A"),
    )
    assert judge_tries.status_code == 403
    no_reason = client.post(
        f"/api/rounds/{r['id']}/unlock", json={"dance": "Waltz", "judge": "A", "reason": ""}, headers=c.admin
    )
    assert no_reason.status_code == 422
    c.post(
        f"/api/rounds/{r['id']}/unlock",
        {"dance": "Waltz", "judge": "A", "reason": "judge A pressed the wrong couple"},
    )
    fixed = _submit(c, r["id"], "A", {"dance": "Waltz", "recalls": [101, 103]})
    assert fixed.status_code == 201 and fixed.json()["version"] == 2
    sheets = client.get(f"/api/rounds/{r['id']}/marks", headers=c.admin).json()
    assert [(s["version"], s["status"], sorted(s["marks"])) for s in sheets] == [
        (1, "superseded", ["101", "102"]),
        (2, "locked", ["101", "103"]),
    ]
    own = client.get(f"/api/rounds/{r['id']}/marks", headers=c.judge("A")).json()
    assert [s["version"] for s in own] == [2]


def test_paper_sheets_count_only_when_two_keyings_match(client: TestClient, app: FastAPI) -> None:
    c, r = _small_recall(client, app)
    url = f"/api/rounds/{r['id']}/paper"
    first = client.post(url, json={"dance": "Waltz", "judge": "B", "recalls": [101, 103]}, headers=c.admin)
    assert first.status_code == 202
    assert (
        client.get(f"/api/rounds/{r['id']}/progress", headers=c.admin).json()["Waltz"]["B"] == "first keying"
    )
    mismatch = client.post(url, json={"dance": "Waltz", "judge": "B", "recalls": [101, 104]}, headers=c.admin)
    assert mismatch.status_code == 409
    assert error_of(mismatch)["where"]["couples"] == ["103", "104"]
    second = client.post(url, json={"dance": "Waltz", "judge": "B", "recalls": [101, 103]}, headers=c.admin)
    assert second.status_code == 201 and second.json()["sheet"]["source"] == "paper"
    assert _submit(c, r["id"], "B", {"dance": "Waltz", "recalls": [102, 104]}).status_code == 409


def test_a_tie_at_the_cut_waits_for_the_chairman(client: TestClient, app: FastAPI) -> None:
    c, r = _small_recall(client, app)
    _submit(c, r["id"], "A", {"dance": "Waltz", "recalls": [101, 102]})
    early = client.post(f"/api/rounds/{r['id']}/close", headers=c.admin)
    assert early.status_code == 409 and error_of(early)["where"] == {"dance": "Waltz", "judge": "B"}
    _submit(c, r["id"], "B", {"dance": "Waltz", "recalls": [101, 103]})
    closed = c.post(f"/api/rounds/{r['id']}/close")
    assert closed["round_status"] == "deciding" and not closed["outcome"]["resolved"]
    assert [o["recalled"] for o in closed["outcome"]["cutoff_options"]] == [["101"], ["101", "102", "103"]]
    assert client.post(f"/api/rounds/{r['id']}/publish", json={}, headers=c.admin).status_code == 409
    assert (
        client.post(
            f"/api/rounds/{r['id']}/next", json={"name": "F", "kind": "final"}, headers=c.admin
        ).status_code
        == 409
    )
    wrong = client.post(f"/api/rounds/{r['id']}/decision", json={"recall": 2}, headers=c.admin)
    assert wrong.status_code == 422 and "1 or 3" in error_of(wrong)["message"]
    decided = c.post(f"/api/rounds/{r['id']}/decision", {"recall": 3, "reason": "keep the tie together"})
    assert decided["round_status"] == "closed" and decided["outcome"]["recalled"] == ["101", "102", "103"]
    assert decided["version"] == 2
    final = c.post(f"/api/rounds/{r['id']}/next", {"name": "Final", "kind": "final"})
    assert final["couples"] == [101, 102, 103]


def test_a_published_result_is_corrected_only_with_a_reason_and_the_old_version_stays(
    client: TestClient, app: FastAPI
) -> None:
    c = build(client, app, couples=3, judges="ABC", dances=["Waltz"])
    r = c.round("Final", "final")
    c.post(f"/api/rounds/{r['id']}/open")
    for judge in "ABC":
        _submit(c, r["id"], judge, {"dance": "Waltz", "ranks": {"101": 1, "102": 2, "103": 3}})
    c.post(f"/api/rounds/{r['id']}/close")
    c.post(f"/api/rounds/{r['id']}/publish")
    assert client.get(f"/api/rounds/{r['id']}/result").json()["outcome"]["places"] == {
        "101": 1,
        "102": 2,
        "103": 3,
    }
    c.post(
        f"/api/rounds/{r['id']}/unlock", {"dance": "Waltz", "judge": "A", "reason": "ranks keyed in reverse"}
    )
    c.post(
        f"/api/rounds/{r['id']}/unlock", {"dance": "Waltz", "judge": "B", "reason": "ranks keyed in reverse"}
    )
    for judge in "AB":
        _submit(c, r["id"], judge, {"dance": "Waltz", "ranks": {"101": 3, "102": 2, "103": 1}})
    c.post(f"/api/rounds/{r['id']}/close")
    # Still the old published result for the public until the correction is published.
    assert client.get(f"/api/rounds/{r['id']}/result").json()["outcome"]["places"]["103"] == 3
    assert client.post(f"/api/rounds/{r['id']}/publish", json={}, headers=c.admin).status_code == 422
    c.post(f"/api/rounds/{r['id']}/publish", {"reason": "judges A and B keyed in reverse"})
    history = client.get(f"/api/rounds/{r['id']}/publications").json()
    assert [
        (p["version"], p["result"]["version"], p["result"]["outcome"]["places"]["103"]) for p in history
    ] == [
        (2, 2, 1),
        (1, 1, 3),
    ]
    assert history[0]["reason"] == "judges A and B keyed in reverse"


def test_an_events_cut_policy_set_in_advance_settles_the_tie_without_the_chairman(
    client: TestClient, app: FastAPI
) -> None:
    c = build(client, app, couples=4, judges="AB", dances=["Waltz"])
    r = c.round("Round 1", "recall", recall_target=2)
    assert r["cut_policy"] == "ask"
    fewer = c.post(
        f"/api/events/{c.event_id}/rounds",
        {"name": "Round 1 (policy)", "kind": "recall", "recall_target": 2, "cut_policy": "fewer"},
    )
    c.post(f"/api/rounds/{fewer['id']}/open")
    _submit(c, fewer["id"], "A", {"dance": "Waltz", "recalls": [101, 102]})
    _submit(c, fewer["id"], "B", {"dance": "Waltz", "recalls": [101, 103]})
    closed = c.post(f"/api/rounds/{fewer['id']}/close")
    assert closed["round_status"] == "closed" and closed["outcome"]["recalled"] == ["101"]
    final_with_policy = client.post(
        f"/api/events/{c.event_id}/rounds",
        json={"name": "F", "kind": "final", "cut_policy": "more"},
        headers=c.admin,
    )
    assert final_with_policy.status_code == 422
