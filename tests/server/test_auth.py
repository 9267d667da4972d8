"""Sign-in links, PINs, sessions, CSRF, and the role dependencies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.server.helpers import error_of, link_token, sign_in

from mirrorball.service import auth as auth_service
from mirrorball.service.principal import SYSTEM
from mirrorball.store.base import utcnow
from mirrorball.store.db import transaction
from mirrorball.store.models import AuthSession, Competition, Judge, Panel, Seat


def _seat(app: FastAPI) -> int:
    with transaction(app.state.mirrorball.sessions) as session:
        competition = Competition(name="Test Open", kind="dancesport")
        session.add(competition)
        session.flush()
        judge = Judge(competition_id=competition.id, letter="C", name="Carla")
        panel = Panel(competition_id=competition.id, name="Main")
        session.add_all([judge, panel])
        session.flush()
        seat = Seat(panel_id=panel.id, judge_id=judge.id, position=0)
        session.add(seat)
        session.flush()
        return seat.id


def test_the_first_admin_link_works_exactly_once(client: TestClient, app: FastAPI) -> None:
    with transaction(app.state.mirrorball.sessions) as session:
        token = auth_service.first_admin_link(session)
    with transaction(app.state.mirrorball.sessions) as session:
        assert auth_service.first_admin_link(session) is None  # never a second one
    assert token is not None
    first = client.post("/api/auth/signin", json={"token": token})
    assert first.status_code == 200
    assert first.json()["role"] == "admin"
    again = client.post("/api/auth/signin", json={"token": token})
    assert again.status_code == 401
    assert error_of(again)["code"] == "unauthenticated"


@pytest.mark.parametrize("token", ["nope", "abc.def", ".", "0123456789abcdef.wrong-secret"])
def test_wrong_link_tokens_open_nothing(client: TestClient, token: str) -> None:
    response = client.post("/api/auth/signin", json={"token": token})
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


def test_a_link_with_the_right_id_but_a_wrong_secret_is_refused(client: TestClient, app: FastAPI) -> None:
    credential_id, _, secret = link_token(app, "host").partition(".")
    response = client.post("/api/auth/signin", json={"token": f"{credential_id}.{secret[:-1]}x"})
    assert response.status_code == 401


def test_me_reports_the_role_of_the_bearer(client: TestClient, app: FastAPI) -> None:
    assert client.get("/api/auth/me").json()["role"] == "public"
    seat_id = _seat(app)
    for role, seat in (("admin", None), ("host", None), ("judge", seat_id)):
        me = client.get("/api/auth/me", headers=sign_in(client, app, role, seat_id=seat)).json()
        assert (me["role"], me["seat_id"]) == (role, seat)


def test_an_expired_session_is_refused_not_treated_as_public(client: TestClient, app: FastAPI) -> None:
    headers = sign_in(client, app, "admin")
    with transaction(app.state.mirrorball.sessions) as session:
        session.execute(update(AuthSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 401


def test_sign_out_ends_the_session(client: TestClient, app: FastAPI) -> None:
    headers = sign_in(client, app, "host")
    assert client.post("/api/auth/signout", headers=headers).status_code == 204
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_judge_pin_opens_that_seat_only_with_the_right_pin(client: TestClient, app: FastAPI) -> None:
    seat_id = _seat(app)
    with transaction(app.state.mirrorball.sessions) as session:
        auth_service.set_pin(session, seat_id=seat_id, pin="482913", actor=SYSTEM)
        competition_id = session.get_one(Judge, 1).competition_id
    wrong = client.post(
        "/api/auth/pin", json={"competition_id": competition_id, "judge": "C", "pin": "000000"}
    )
    assert wrong.status_code == 401
    other = client.post(
        "/api/auth/pin", json={"competition_id": competition_id, "judge": "D", "pin": "482913"}
    )
    assert other.status_code == 401
    right = client.post(
        "/api/auth/pin", json={"competition_id": competition_id, "judge": "C", "pin": "482913"}
    )
    assert right.status_code == 200
    assert (right.json()["role"], right.json()["seat_id"]) == ("judge", seat_id)


def test_cookie_writes_need_the_csrf_token_bearer_writes_do_not(client: TestClient, app: FastAPI) -> None:
    signed_in = client.post("/api/auth/signin", json={"token": link_token(app, "admin")})
    csrf = signed_in.json()["csrf_token"]
    assert client.cookies.get("mb_session")
    body = {"role": "host"}
    refused = client.post("/api/auth/links", json=body)
    assert refused.status_code == 403
    assert error_of(refused)["where"]["header"] == "X-CSRF-Token"
    assert client.post("/api/auth/links", json=body, headers={"X-CSRF-Token": csrf + "x"}).status_code == 403
    assert client.post("/api/auth/links", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    token = signed_in.json()["token"]
    client.cookies.clear()
    assert (
        client.post("/api/auth/links", json=body, headers={"Authorization": f"Bearer {token}"}).status_code
        == 201
    )


def test_only_the_admin_issues_links_with_a_qr_code(client: TestClient, app: FastAPI) -> None:
    seat_id = _seat(app)
    body = {"role": "judge", "seat_id": seat_id}
    assert client.post("/api/auth/links", json=body).status_code == 401
    for role, seat in (("host", None), ("judge", seat_id)):
        assert (
            client.post(
                "/api/auth/links", json=body, headers=sign_in(client, app, role, seat_id=seat)
            ).status_code
            == 403
        )
    issued = client.post("/api/auth/links", json=body, headers=sign_in(client, app, "admin"))
    assert issued.status_code == 201
    assert issued.json()["url"].startswith("http://testserver/signin?token=")
    assert issued.json()["qr_svg"].startswith("<svg")
    judge = client.post("/api/auth/signin", json={"token": issued.json()["token"]})
    assert judge.json()["seat_id"] == seat_id


def test_a_link_for_a_missing_seat_is_a_404_not_a_crash(client: TestClient, app: FastAPI) -> None:
    response = client.post(
        "/api/auth/links", json={"role": "judge", "seat_id": 999}, headers=sign_in(client, app, "admin")
    )
    assert response.status_code == 404
    assert error_of(response)["where"] == {"seat_id": 999}


def test_the_sign_in_page_signs_in_only_on_post_and_sets_the_cookie(client: TestClient, app: FastAPI) -> None:
    token = link_token(app, "host")
    page = client.get(f"/signin?token={token}")
    assert page.status_code == 200 and token in page.text
    posted = client.post("/signin", data={"token": token}, follow_redirects=False)
    assert posted.status_code == 303
    assert posted.headers["location"] == "/host"
    assert client.get("/api/auth/me").json()["role"] == "host"
