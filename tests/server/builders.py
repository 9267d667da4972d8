"""Build competitions over the HTTP API, as an organizer would, for the API tests."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.server.helpers import sign_in

LATIN = ["Samba", "Cha Cha", "Rumba", "Paso Doble", "Jive"]


@dataclass
class Competition:
    client: TestClient
    app: FastAPI
    admin: dict[str, str]
    competition_id: int
    event_id: int
    seats: dict[str, int]  # judge letter → seat id
    judges: dict[str, dict[str, str]] = field(default_factory=dict)  # letter → bearer headers

    def judge(self, letter: str) -> dict[str, str]:
        if letter not in self.judges:
            self.judges[letter] = sign_in(self.client, self.app, "judge", seat_id=self.seats[letter])
        return self.judges[letter]

    def post(
        self, path: str, body: dict[str, Any] | None = None, *, as_: dict[str, str] | None = None
    ) -> Any:
        response = self.client.post(path, json=body or {}, headers=as_ if as_ is not None else self.admin)
        assert response.status_code < 300, f"{path}: {response.status_code} {response.text}"
        return response.json()

    def round(
        self, name: str, kind: str, *, recall_target: int | None = None, couples: list[int] | None = None
    ) -> Any:
        body: dict[str, Any] = {
            "name": name,
            "kind": kind,
            "recall_target": recall_target,
            "couples": couples,
        }
        return self.post(f"/api/events/{self.event_id}/rounds", body)


def build(
    client: TestClient, app: FastAPI, *, couples: int, judges: str = "ABCDE", dances: list[str] | None = None
) -> Competition:
    admin = sign_in(client, app, "admin")

    def post(path: str, body: dict[str, Any]) -> Any:
        response = client.post(path, json=body, headers=admin)
        assert response.status_code == 201, response.text
        return response.json()

    competition_id = post("/api/competitions", {"name": "Test Open", "kind": "dancesport"})["id"]
    rows = "\n".join(f"{100 + i},Leader {i},Follower {i},Studio {i % 4},NL" for i in range(1, couples + 1))
    post(
        f"/api/competitions/{competition_id}/couples/import",
        {"csv": f"number,leader,follower,studio,country\n{rows}\n"},
    )
    post(
        f"/api/competitions/{competition_id}/judges",
        {"judges": [{"letter": j, "name": f"Judge {j}"} for j in judges]},
    )
    panel = post(f"/api/competitions/{competition_id}/panels", {"name": "Panel", "judges": list(judges)})
    event = post(
        f"/api/competitions/{competition_id}/events",
        {"name": "Adult Latin", "dances": dances or LATIN, "panel_id": panel["id"]},
    )
    seats = {s["judge"]: s["seat_id"] for s in panel["seats"]}
    return Competition(client, app, admin, competition_id, event["id"], seats)


def recall_marks(couples: list[int], target: int, judge: str, dance: str, seed: int = 0) -> list[int]:
    """A judge's X's: the better couples (lower numbers) are likelier to be marked; deterministic."""
    rng = random.Random(f"{seed}-{judge}-{dance}")
    scored = sorted(couples, key=lambda n: rng.gauss(couples.index(n), len(couples) / 4))
    return sorted(scored[:target])


def final_ranks(couples: list[int], judge: str, dance: str, seed: int = 0) -> dict[str, int]:
    rng = random.Random(f"{seed}-{judge}-{dance}")
    order = sorted(couples, key=lambda n: rng.gauss(couples.index(n), 1.2))
    return {str(n): place for place, n in enumerate(order, start=1)}


def judge_round(competition: Competition, round_: dict[str, Any], seed: int = 0) -> None:
    """Every judge submits every dance of an open round."""
    for letter in round_["judges"]:
        for dance in round_["dances"]:
            if round_["kind"] == "recall":
                body: dict[str, Any] = {
                    "dance": dance,
                    "recalls": recall_marks(round_["couples"], round_["recall_target"], letter, dance, seed),
                }
            else:
                body = {"dance": dance, "ranks": final_ranks(round_["couples"], letter, dance, seed)}
            competition.post(f"/api/rounds/{round_['id']}/marks", body, as_=competition.judge(letter))
