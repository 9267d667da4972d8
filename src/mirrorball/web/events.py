"""The live-event broker behind server-sent events.

`InMemoryBroker` serves one process. `PostgresBroker` carries events between workers and hosts with
LISTEN/NOTIFY: the NOTIFY is issued inside the use case's transaction, so PostgreSQL delivers it to
every listening worker (this one included) exactly when the transaction commits.

Both share the local fan-out to subscribers: each SSE client holds a bounded queue; a client too slow
to keep up loses events rather than slowing everyone (it re-reads state over the API on reconnect).

Resuming: the broker numbers every event it fans out and keeps the last `RING_SIZE` of each
competition. An event's SSE id is `<process epoch>-<number>`; a client that reconnects with
`Last-Event-ID` gets what it missed from the ring (`since`). With LISTEN/NOTIFY every worker receives
every event, so each worker's ring is complete; the epoch makes ids from another worker or an earlier
run of this one unmistakable, and those, like ids older than the ring, get `None`: the client must
re-read the state instead (the route sends a `resync` event).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import secrets
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from mirrorball.service.live import LiveEvent, take_pending

log = logging.getLogger(__name__)
QUEUE_SIZE = 256
RING_SIZE = 512  # events kept per competition for clients that reconnect
NOTIFY_CHANNEL = "mirrorball_live"


class EventBroker:
    """Fan-out of committed live events to this process's subscribers."""

    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[LiveEvent]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.epoch = secrets.token_hex(4)
        self._last = 0
        self._rings: dict[int, deque[LiveEvent]] = {}
        self._evicted: dict[int, int] = {}  # per competition: the newest seq dropped from its ring

    def install(self, factory: sessionmaker[Session]) -> None:
        """Hook the session factory so that committed sessions' events reach this broker."""
        sa_event.listen(factory, "after_soft_rollback", self._discard)

    @staticmethod
    def _discard(session: Session, _transaction: Any) -> None:
        take_pending(session)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        self._loop = None

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[LiveEvent]]:
        queue: asyncio.Queue[LiveEvent] = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.add(queue)
        try:
            yield queue
        finally:
            self._subscribers.discard(queue)

    def deliver(self, event: LiveEvent) -> None:
        """Hand `event` to local subscribers; safe to call from any thread (sync endpoints run in one)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._fan_out(event)
        else:
            loop.call_soon_threadsafe(self._fan_out, event)

    def _fan_out(self, event: LiveEvent) -> None:
        # Runs on the event loop only, so numbering, the ring and the queues never interleave with
        # a subscriber's `subscribe` + `since`.
        self._last += 1
        event = dataclasses.replace(event, seq=self._last)
        ring = self._rings.setdefault(event.competition_id, deque())
        if len(ring) == RING_SIZE:
            self._evicted[event.competition_id] = ring.popleft().seq
        ring.append(event)
        for queue in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(event)

    def event_id(self, seq: int | None = None) -> str:
        """The SSE id of event `seq` (default: the latest, for a `resync`)."""
        return f"{self.epoch}-{self._last if seq is None else seq}"

    def since(self, competition_id: int, last_event_id: str) -> list[LiveEvent] | None:
        """The competition's events after `last_event_id`, or None when they cannot all be known
        (an id from another process or run, or older than the ring): the client must re-read state.
        Call it on the event loop right after `subscribe`, before awaiting anything."""
        epoch, _, number = last_event_id.strip().partition("-")
        if epoch != self.epoch or not number.isdigit() or int(number) > self._last:
            return None
        seen = int(number)
        if seen < self._evicted.get(competition_id, 0):
            return None
        return [event for event in self._rings.get(competition_id, ()) if event.seq > seen]


class InMemoryBroker(EventBroker):
    """One process: deliver a session's events right after its commit."""

    def install(self, factory: sessionmaker[Session]) -> None:
        super().install(factory)
        sa_event.listen(factory, "after_commit", self._after_commit)

    def _after_commit(self, session: Session) -> None:
        for event in take_pending(session):
            self.deliver(event)


class PostgresBroker(EventBroker):
    """Several workers or hosts: NOTIFY in the transaction, LISTEN in every worker."""

    def __init__(self, url: str) -> None:
        super().__init__()
        # psycopg wants a libpq URL, not SQLAlchemy's "postgresql+psycopg://".
        self._dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    def install(self, factory: sessionmaker[Session]) -> None:
        super().install(factory)
        sa_event.listen(factory, "before_commit", self._before_commit)

    @staticmethod
    def _before_commit(session: Session) -> None:
        for event in take_pending(session):
            session.execute(select(func.pg_notify(NOTIFY_CHANNEL, event.to_json())))

    async def start(self) -> None:
        await super().start()
        self._ready = asyncio.Event()
        self._task = asyncio.create_task(self._listen(), name="mirrorball-listen")
        # Subscribers connected right after start-up must not miss events: wait until LISTEN is active.
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await super().stop()

    async def _listen(self) -> None:
        import psycopg

        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self._dsn, autocommit=True) as connection:
                    await connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._ready.set()
                    async for notice in connection.notifies():
                        self.deliver(LiveEvent.from_json(notice.payload))
            except asyncio.CancelledError:
                raise
            except Exception:  # the database restarted or the network dropped: listen again shortly
                log.exception("live events: LISTEN connection lost; reconnecting")
                await asyncio.sleep(1)


def broker_for(url: str) -> EventBroker:
    """PostgreSQL databases share events between workers; anything else stays in-process."""
    return PostgresBroker(url) if make_url(url).get_backend_name() == "postgresql" else InMemoryBroker()
