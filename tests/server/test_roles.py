"""Every endpoint refuses every role it must refuse: the public gets 401, other roles 403.

The matrix is read from the app itself (each route's role dependency), so a new endpoint is covered
the day it is added; an endpoint with no role requirement must be on the explicit public list below.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.server.builders import build
from tests.server.helpers import error_of, sign_in

ROLES = ("public", "judge", "host", "admin")
OPEN_TO_ALL = {
    ("GET", "/api/health"),
    ("POST", "/api/auth/signin"),
    ("POST", "/api/auth/pin"),
    ("POST", "/api/auth/signout"),
    ("GET", "/api/auth/me"),
    ("GET", "/api/competitions"),
    ("GET", "/api/competitions/{competition_id}"),
    ("GET", "/api/competitions/{competition_id}/couples"),
    ("GET", "/api/competitions/{competition_id}/judges"),
    ("GET", "/api/competitions/{competition_id}/events"),
    ("GET", "/api/competitions/{competition_id}/live"),
    ("GET", "/api/events/{event_id}/rounds"),
    ("GET", "/api/rounds/{round_id}"),
    ("GET", "/api/rounds/{round_id}/result"),  # the public sees only published results (tested elsewhere)
    ("GET", "/api/rounds/{round_id}/publications"),
    ("GET", "/api/rounds/{round_id}/reveal"),
    # audience voting (tests/voting): windows, public shares, receipts and e-mail sign-in are open
    ("GET", "/api/votes/windows"),
    ("GET", "/api/votes/windows/{window_id}"),
    ("GET", "/api/votes/windows/{window_id}/shares"),
    ("GET", "/api/votes/receipt-key"),
    ("POST", "/api/votes/receipts/verify"),
    ("POST", "/api/votes/signin/code"),
    ("POST", "/api/votes/signin/verify"),
}


def _allowed_roles(route: APIRoute) -> tuple[str, ...] | None:
    marked = getattr(route.endpoint, "roles", None)  # a route whose class signs the caller in
    if marked is not None:
        return tuple(marked)
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        roles = getattr(dependency.call, "roles", None)
        if roles is not None:
            return tuple(roles)
        stack.extend(dependency.dependencies)
    return None


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    """Routes, including those of included routers (FastAPI wraps them; we mount them without prefix)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(_api_routes(route.original_router.routes))
    return found


def _endpoints(app: FastAPI) -> list[tuple[str, str, tuple[str, ...] | None]]:
    return [
        (method, route.path, _allowed_roles(route))
        for route in _api_routes(app.routes)
        if route.path.startswith("/api/")
        for method in sorted(route.methods)
    ]


def test_every_endpoint_either_requires_a_role_or_is_deliberately_public(app: FastAPI) -> None:
    unguarded = {(method, path) for method, path, roles in _endpoints(app) if roles is None}
    assert unguarded == OPEN_TO_ALL


def test_every_endpoint_refuses_the_roles_it_must(client: TestClient, app: FastAPI) -> None:
    c = build(client, app, couples=3, judges="A", dances=["Waltz"])
    headers: dict[str, dict[str, str]] = {
        "public": {},
        "judge": c.judge("A"),
        "host": sign_in(client, app, "host"),
        "admin": c.admin,
    }
    checked = 0
    for method, path, roles in _endpoints(app):
        if roles is None:
            continue
        url = re.sub(r"\{[a-z_]+\}", "1", path)
        for role in ROLES:
            if role in roles:
                continue
            response = client.request(
                method, url, json={}, params={"dance": "x", "judge": "A"}, headers=headers[role]
            )
            expected = 401 if role == "public" else 403
            assert response.status_code == expected, f"{method} {path} as {role}: {response.status_code}"
            assert error_of(response)["code"] in ("unauthenticated", "forbidden")
            checked += 1
    assert checked >= 40


@pytest.mark.parametrize("role", ["judge", "host"])
def test_staff_only_reads_are_refused_to_other_roles(client: TestClient, app: FastAPI, role: str) -> None:
    c = build(client, app, couples=3, judges="A", dances=["Waltz"])
    who: Any = c.judge("A") if role == "judge" else sign_in(client, app, "host")
    assert client.get(f"/api/competitions/{c.competition_id}/panels", headers=who).status_code == 403
