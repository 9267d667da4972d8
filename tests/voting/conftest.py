"""Voting test fixtures: the server's per-test databases (SQLite and PostgreSQL), plus a producer, voters
and a window. Codes are delivered to a file the tests read, exactly as a developer would."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from mirrorball.service import votes as voting
from mirrorball.store.db import transaction
from mirrorball.voting.identity import VoterIdentity
from mirrorball.web.api.votes import VotingConfig
from mirrorball.web.app import create_app
from mirrorball.web.settings import Settings
from server.conftest import db_url, postgres_databases, settings, sqlite_template  # noqa: F401
from server.helpers import sign_in


@pytest.fixture
def codes_file(tmp_path: Path) -> Path:
    return tmp_path / "codes.jsonl"


@pytest.fixture
def voting_config(codes_file: Path) -> VotingConfig:
    return VotingConfig(code_delivery=f"file:{codes_file}")


@pytest.fixture
def app(settings: Settings, voting_config: VotingConfig) -> FastAPI:  # noqa: F811
    application = create_app(settings)
    application.state.voting_config = voting_config
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def admin(client: TestClient, app: FastAPI) -> dict[str, str]:
    return sign_in(client, app, "admin")


def window_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Week 3",
        "couples": [{"key": str(n), "name": f"Couple {n}"} for n in (1, 2, 3)],
        "caps": {"online": {"per_couple": 3, "per_window": 5, "editable": True}, "phone": {"per_window": 10}},
    }
    body.update(overrides)
    return body


def make_window(client: TestClient, admin: dict[str, str], open_now: bool = True, **overrides: Any) -> int:
    response = client.post("/api/votes/windows", json=window_body(**overrides), headers=admin)
    assert response.status_code == 201, response.text
    window_id: int = response.json()["id"]
    if open_now:
        assert client.post(f"/api/votes/windows/{window_id}/open", headers=admin).status_code == 200
    return window_id


def voter_token(app: FastAPI, client: TestClient, subject: str, **flags: Any) -> dict[str, str]:
    """Headers of a voter whose token the server itself issued (as after e-mail sign-in)."""
    client.get("/api/votes/receipt-key")  # makes sure the worker's voting keys exist
    token = app.state.voting.tokens.issue(VoterIdentity(kind="email", subject=subject, **flags))
    return {"Authorization": f"Bearer {token}"}


def sign_in_by_code(client: TestClient, codes_file: Path, email: str) -> dict[str, str]:
    assert client.post("/api/votes/signin/code", json={"email": email}).status_code == 202
    code = [json.loads(line) for line in codes_file.read_text().splitlines()][-1]["code"]
    response = client.post("/api/votes/signin/verify", json={"email": email, "code": code})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def key() -> str:
    return uuid.uuid4().hex


def opened_window(factory: sessionmaker[Session], spec: voting.WindowSpec) -> int:
    """A window made from `spec` through the service and opened now; its id."""
    with transaction(factory) as session:
        window = voting.create_window(session, "test", spec)
        voting.open_window(session, "test", window.id)
        return window.id
