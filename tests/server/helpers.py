"""Test helpers: sign in as each role through the real sign-in endpoint."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mirrorball.service import auth as auth_service
from mirrorball.service.principal import SYSTEM
from mirrorball.store.db import transaction


def link_token(app: FastAPI, role: str, *, seat_id: int | None = None, single_use: bool = True) -> str:
    """A sign-in link token issued the way the console does (`mirrorball admin link`)."""
    with transaction(app.state.mirrorball.sessions) as session:
        return auth_service.issue_link(
            session, role=role, actor=SYSTEM, seat_id=seat_id, single_use=single_use
        )


def sign_in(client: TestClient, app: FastAPI, role: str, *, seat_id: int | None = None) -> dict[str, str]:
    """Bearer headers for a fresh session of `role` (and a judge's seat).

    Opens the session directly: the link flow (argon2, a deliberately slow hash) is tested in
    test_auth.py; paying it for every judge of every test would dominate the suite's time.
    """
    with transaction(app.state.mirrorball.sessions) as session:
        token, _ = auth_service.open_session(session, role=role, seat_id=seat_id, ttl=timedelta(hours=1))
    return {"Authorization": f"Bearer {token}"}


def error_of(response: Any) -> dict[str, Any]:
    """The `error` object every 4xx carries."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "where"} <= set(body["error"]), body
    error: dict[str, Any] = body["error"]
    return error
