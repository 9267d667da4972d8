"""Live events: delivered after commit only, filtered by competition and audience, over real SSE."""

from __future__ import annotations

import asyncio
import contextlib
import json

import httpx
import pytest
from fastapi import FastAPI
from tests.server.conftest import PostgresDatabases
from tests.server.helpers import link_token
from tests.server.live_server import SSEReader, serving

from mirrorball.service.live import STAFF, LiveEvent, announce
from mirrorball.store.db import transaction
from mirrorball.web.app import create_app
from mirrorball.web.settings import Settings


def _announce(app: FastAPI, *events: LiveEvent, fail: bool = False) -> None:
    with (
        pytest.raises(RuntimeError) if fail else contextlib.nullcontext(),
        transaction(app.state.mirrorball.sessions) as session,
    ):
        for event in events:
            announce(session, event)
        if fail:
            raise RuntimeError("use case failed")


def _bearer(base: str, app: FastAPI, role: str) -> dict[str, str]:
    token = httpx.post(f"{base}/api/auth/signin", json={"token": link_token(app, role)}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_sse_delivers_committed_events_only_for_the_competition_and_audience(app: FastAPI) -> None:
    with serving(app) as base:
        staff = _bearer(base, app, "admin")
        with (
            httpx.stream("GET", f"{base}/api/competitions/7/live", timeout=20) as public_stream,
            httpx.stream("GET", f"{base}/api/competitions/7/live", headers=staff, timeout=20) as staff_stream,
        ):
            assert public_stream.headers["content-type"].startswith("text/event-stream")
            public, admin = SSEReader(public_stream.iter_lines()), SSEReader(staff_stream.iter_lines())

            public.wait_connected()
            admin.wait_connected()
            _announce(app, LiveEvent(7, "never", {"n": 0}), fail=True)  # rolled back: never heard
            _announce(app, LiveEvent(8, "other_competition", {"n": 1}))
            _announce(app, LiveEvent(7, "mark_arrived", {"n": 2}, audience=STAFF))
            _announce(app, LiveEvent(7, "result_published", {"n": 3}))
            assert public.next_event() == ("result_published", json.dumps({"n": 3}, separators=(",", ":")))
            assert admin.next_event()[0] == "mark_arrived"
            assert admin.next_event()[0] == "result_published"


@pytest.mark.postgres
def test_postgres_broker_carries_an_event_between_two_app_instances(
    postgres_databases: PostgresDatabases,
) -> None:
    """Two apps on one database stand for two workers: LISTEN/NOTIFY, not memory, links them."""
    db_url = postgres_databases.fresh()
    producer, consumer = create_app(Settings(db_url=db_url)), create_app(Settings(db_url=db_url))

    async def scenario() -> LiveEvent:
        for app in (producer, consumer):
            await app.state.mirrorball.broker.start()
        try:
            async with consumer.state.mirrorball.broker.subscribe() as queue:
                await asyncio.to_thread(_announce, producer, LiveEvent(1, "reveal_step", {"step": 4}))
                return await asyncio.wait_for(queue.get(), timeout=10)
        finally:
            for app in (producer, consumer):
                await app.state.mirrorball.broker.stop()

    assert asyncio.run(scenario()) == LiveEvent(1, "reveal_step", {"step": 4})
