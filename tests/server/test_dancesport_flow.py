"""A DanceSport event over HTTP: recall round → semi-final → final, publishing, what the public sees."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.server.builders import build, final_ranks, judge_round

from mirrorball.scoring import place_final


def test_recall_semi_final_and_final_from_setup_to_publication(client: TestClient, app: FastAPI) -> None:
    c = build(client, app, couples=14, judges="ABCDE", dances=["Cha Cha", "Jive"])
    first = c.round("Round 1", "recall", recall_target=6)
    assert first["couples"] == list(range(101, 115)) and first["judges"] == list("ABCDE")
    c.post(f"/api/rounds/{first['id']}/heats", {"count": 2})
    c.post(f"/api/rounds/{first['id']}/open")
    judge_round(c, first)
    result = c.post(f"/api/rounds/{first['id']}/close")
    outcome = result["outcome"]
    if not outcome["resolved"]:  # a tie at the cut: the Chairman takes the larger option
        sizes = [len(o["recalled"]) for o in outcome["cutoff_options"]]
        result = c.post(
            f"/api/rounds/{first['id']}/decision", {"recall": max(sizes), "reason": "floor space"}
        )
        outcome = result["outcome"]
    assert result["round_status"] == "closed" and outcome["resolved"]
    recalled = sorted(int(n) for n in outcome["recalled"])
    semi = c.post(
        f"/api/rounds/{first['id']}/next", {"name": "Semi-final", "kind": "recall", "recall_target": 3}
    )
    assert semi["couples"] == recalled and semi["previous_round_id"] == first["id"]
    c.post(f"/api/rounds/{semi['id']}/open")
    judge_round(c, semi, seed=1)
    semi_result = c.post(f"/api/rounds/{semi['id']}/close")
    if not semi_result["outcome"]["resolved"]:
        sizes = [len(o["recalled"]) for o in semi_result["outcome"]["cutoff_options"]]
        semi_result = c.post(f"/api/rounds/{semi['id']}/decision", {"recall": max(sizes)})
    final = c.post(f"/api/rounds/{semi['id']}/next", {"name": "Final", "kind": "final"})
    c.post(f"/api/rounds/{final['id']}/open")
    judge_round(c, final, seed=2)
    final_result = c.post(f"/api/rounds/{final['id']}/close")

    # The stored places are the engine's answer for the same marks.
    expected = place_final(
        {
            d: {
                str(n): tuple(final_ranks(final["couples"], j, d, 2)[str(n)] for j in "ABCDE")
                for n in final["couples"]
            }
            for d in final["dances"]
        },
        judges=tuple("ABCDE"),
    )
    assert final_result["outcome"]["places"] == {
        c_: float(p.value) if p.value.denominator != 1 else int(p.value) for c_, p in expected.places.items()
    }
    assert set(final_result["outcome"]["tabulation"]["dances"]) == {"Cha Cha", "Jive"}
    assert final_result["couples"][str(final["couples"][0])]["leader"].startswith("Leader")

    # Nothing is public until published.
    assert client.get(f"/api/rounds/{final['id']}/result").status_code == 404
    assert client.get(f"/api/rounds/{final['id']}").json()["published_version"] is None
    c.post(f"/api/rounds/{final['id']}/publish")
    assert client.get(f"/api/rounds/{final['id']}").json()["published_version"] == 1
    public = client.get(f"/api/rounds/{final['id']}/result")
    assert public.status_code == 200 and public.json()["published"]
    assert public.json()["outcome"] == final_result["outcome"]
    assert client.get(f"/api/rounds/{first['id']}/result").status_code == 404  # round 1 still unpublished
