"""Live events resume after a reconnect: ids, Last-Event-ID, the per-competition ring and `resync`."""

from __future__ import annotations

import asyncio
import json

import httpx
from fastapi import FastAPI
from tests.server.live_server import SSEReader, serving
from tests.server.test_live_events import _announce, _bearer

from mirrorball.service.live import STAFF, LiveEvent
from mirrorball.web.events import RING_SIZE, InMemoryBroker


def _data(n: int) -> str:
    return json.dumps({"n": n}, separators=(",", ":"))


def test_a_reconnecting_client_gets_what_it_missed_then_the_live_events(app: FastAPI) -> None:
    with serving(app) as base:
        url = f"{base}/api/competitions/7/live"
        with httpx.stream("GET", url, timeout=20) as first:
            reader = SSEReader(first.iter_lines())
            reader.wait_connected()
            _announce(app, LiveEvent(7, "reveal_step", {"n": 1}))
            assert reader.next_event() == ("reveal_step", _data(1))
            last_id = reader.last_id
        assert last_id is not None
        # While the client is away: its competition's public events, a staff one and another competition's.
        _announce(app, LiveEvent(7, "reveal_step", {"n": 2}))
        _announce(app, LiveEvent(7, "marks_submitted", {"n": 3}, audience=STAFF))
        _announce(app, LiveEvent(8, "reveal_step", {"n": 4}))
        _announce(app, LiveEvent(7, "result_published", {"n": 5}))
        with httpx.stream("GET", url, headers={"Last-Event-ID": last_id}, timeout=20) as again:
            reader = SSEReader(again.iter_lines())
            reader.wait_connected()
            assert reader.next_event() == ("reveal_step", _data(2))
            assert reader.next_event() == ("result_published", _data(5))
            _announce(app, LiveEvent(7, "reveal_step", {"n": 6}))
            assert reader.next_event() == ("reveal_step", _data(6))
        staff = {**_bearer(base, app, "admin"), "Last-Event-ID": last_id}
        with httpx.stream("GET", url, headers=staff, timeout=20) as admin:
            reader = SSEReader(admin.iter_lines())
            reader.wait_connected()
            assert [reader.next_event()[1] for _ in range(4)] == [_data(n) for n in (2, 3, 5, 6)]


def test_an_unknown_or_too_old_id_gets_a_resync_event(app: FastAPI) -> None:
    with serving(app) as base:
        url = f"{base}/api/competitions/7/live"
        with httpx.stream("GET", url, headers={"Last-Event-ID": "0badc0de-3"}, timeout=20) as stream:
            reader = SSEReader(stream.iter_lines())
            reader.wait_connected()
            kind, data = reader.next_event()
            assert kind == "resync" and "re-read" in json.loads(data)["reason"]
            resync_id = reader.last_id
            _announce(app, LiveEvent(7, "reveal_step", {"n": 1}))
            assert reader.next_event() == ("reveal_step", _data(1))
        assert resync_id is not None and resync_id != reader.last_id


def test_the_ring_replays_exactly_the_events_after_an_id_and_knows_when_it_forgot() -> None:
    async def scenario() -> None:
        broker = InMemoryBroker()
        await broker.start()
        for n in range(1, 11):
            broker.deliver(LiveEvent(1 + n % 2, "step", {"n": n}))
        missed = broker.since(1, broker.event_id(4))  # competition 1 has the even n (seq = n)
        assert missed is not None
        assert [e.data["n"] for e in missed] == [6, 8, 10]
        assert broker.since(1, broker.event_id()) == []
        assert broker.since(1, "other-4") is None  # another worker or an earlier run
        assert broker.since(1, broker.event_id(11)) is None  # not issued yet: not ours
        assert broker.since(1, "garbage") is None
        for n in range(RING_SIZE + 1):
            broker.deliver(LiveEvent(3, "step", {"n": n}))
        # Competition 3's first event (seq 11) has left its ring: a client that last saw seq 10 missed
        # it; one that saw seq 11 missed nothing the ring does not hold.
        assert broker.since(3, broker.event_id(10)) is None
        kept = broker.since(3, broker.event_id(11))
        assert kept is not None and [e.seq for e in kept] == list(range(12, 12 + RING_SIZE))
        assert broker.since(1, broker.event_id(4)) == missed  # other competitions' rings untouched
        await broker.stop()

    asyncio.run(scenario())
