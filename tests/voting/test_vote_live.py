"""Vote progress reaches live pages after the commit, and the public only under a `live` disclosure."""

from __future__ import annotations

import dataclasses
import json

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.helpers import link_token, sign_in
from server.live_server import SSEReader, serving

from .conftest import key, make_window, voter_token


@pytest.mark.parametrize("writer", ["inline", "process"])
def test_progress_events_respect_the_disclosure_policy(app: FastAPI, writer: str) -> None:
    # "process": on SQLite the votes are counted in the writer process, which relays the events to
    # the worker that serves the live streams (on PostgreSQL both modes count in the worker).
    app.state.voting_config = dataclasses.replace(app.state.voting_config, vote_writer=writer)
    with TestClient(app) as client:
        admin = sign_in(client, app, "admin")
        competition = client.post(
            "/api/competitions", json={"name": "Season 1", "kind": "show"}, headers=admin
        )
        assert competition.status_code == 201, competition.text
        season = competition.json()["id"]
        hidden = make_window(client, admin, competition_id=season)
        live = make_window(client, admin, disclosure="live", competition_id=season)
        voter = voter_token(app, client, "live@example.org")
    with serving(app) as base:
        staff_token = httpx.post(f"{base}/api/auth/signin", json={"token": link_token(app, "admin")}).json()[
            "token"
        ]
        with (
            httpx.stream("GET", f"{base}/api/competitions/{season}/live", timeout=20) as public_stream,
            httpx.stream(
                "GET",
                f"{base}/api/competitions/{season}/live",
                headers={"Authorization": f"Bearer {staff_token}"},
                timeout=20,
            ) as staff_stream,
        ):
            public, staff = SSEReader(public_stream.iter_lines()), SSEReader(staff_stream.iter_lines())
            public.wait_connected()
            staff.wait_connected()
            for window in (hidden, live):
                response = httpx.post(
                    f"{base}/api/votes/windows/{window}/votes",
                    json={"couple": "1", "key": key()},
                    headers=voter,
                )
                assert response.status_code == 201
            assert staff.next_event() == (
                "votes.progress",
                json.dumps({"window": hidden}, separators=(",", ":")),
            )
            assert staff.next_event()[1] == json.dumps({"window": live}, separators=(",", ":"))
            assert public.next_event() == (
                "votes.progress",
                json.dumps({"window": live}, separators=(",", ":")),
            )


@pytest.mark.parametrize("writer", ["inline", "process"])
def test_the_last_votes_of_a_burst_are_announced_after_the_interval(app: FastAPI, writer: str) -> None:
    """Progress pulses are at most one per interval, but the one held back is sent, not dropped."""
    app.state.voting_config = dataclasses.replace(app.state.voting_config, vote_writer=writer)
    with TestClient(app) as client:
        admin = sign_in(client, app, "admin")
        season = client.post("/api/competitions", json={"name": "S", "kind": "show"}, headers=admin).json()[
            "id"
        ]
        window = make_window(client, admin, disclosure="live", competition_id=season)
        voter = voter_token(app, client, "burst@example.org")
    with (
        serving(app) as base,
        httpx.stream("GET", f"{base}/api/competitions/{season}/live", timeout=20) as stream,
    ):
        events = SSEReader(stream.iter_lines())
        events.wait_connected()
        for _ in range(3):  # well within one interval
            response = httpx.post(
                f"{base}/api/votes/windows/{window}/votes", json={"couple": "1", "key": key()}, headers=voter
            )
            assert response.status_code == 201
        pulse = ("votes.progress", json.dumps({"window": window}, separators=(",", ":")))
        assert events.next_event() == pulse  # the first vote's, at once
        assert events.next_event() == pulse  # the others', once the interval is over
