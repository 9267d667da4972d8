"""Group commit: concurrent single votes share one transaction, each acknowledged only after its commit.

A durable commit costs an fsync (SQLite `synchronous=FULL`, PostgreSQL `synchronous_commit=on`) plus a
fixed cost per transaction (a dozen statements: window, counters, ledger, tallies, audit record). One
transaction per vote would cap a server at a few hundred votes a second. Instead each worker process
has one writer task that takes every vote waiting in its queue (up to `max_batch`), counts them in ONE
transaction through `apply_batch`, commits, and only then hands each request its outcome. While one
batch is being written, new requests queue up, so the batch grows exactly when the load does; an idle
server still commits a lone vote at once (no timer, no added delay).

On SQLite the batch's statements run on the event loop's own thread. Measured: in a helper thread every
database call released the GIL and then waited for the busy event loop to give it back, which
stretched a 3 ms batch to 15-30 ms, all of it spent holding the database's only write lock. On the
loop they are well under a millisecond of uninterrupted work. Only the durable COMMIT (the WAL fsync,
0.5-3 ms here) waits in a thread: it is one call that releases the GIL, so the loop keeps reading
requests meanwhile, and they form the next batch. On PostgreSQL a batch is mostly network round trips
and the locks it takes are per voter, so it runs in a helper thread and the loop keeps serving.

On SQLite several worker processes share one write lock, and SQLite's busy handler waits for it by
sleeping (1, 2, 5 … up to 100 ms) and retrying, so a writer often slept long after the lock was free.
Vote writers therefore first take an OS file lock (`flock`) next to the database, trying it without
blocking every 0.3 ms and serving HTTP in between. (Waiting for it in a helper thread was measured
worse: the lock was granted while the busy event loop had not yet resumed the writer, so it was held,
idle, for milliseconds while the other worker waited.) The lock is held only while the batch runs.

After the commit, `seal` (given by the web layer) gets the batch's counted outcomes at once, so that
their receipts share one signature (`mirrorball.voting.receipts`).

If a batch's transaction fails (a race across workers caught by a CHECK or unique constraint, a
deadlock, a lost connection), nothing of it was acknowledged: the requests are counted again one by
one, each in its own transaction, so one bad request cannot sink the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from mirrorball.service.vote_ledger import VoteOutcome, VoteRequest, apply_batch
from mirrorball.store.db import sqlite_file

log = logging.getLogger(__name__)
RETRIES = 5
GATHER = 0.002  # seconds a batch fills before it is counted, where the writer may wait (see `gather`)
LOCK_POLL = 0.0003  # seconds between tries for the SQLite writers' file lock


@dataclass
class _Pending:
    request: VoteRequest
    future: asyncio.Future[VoteOutcome]


class VoteWriter:
    """The per-process group-commit writer for single votes (one per event loop)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        max_batch: int = 512,
        seal: Callable[[list[VoteOutcome]], None] | None = None,
        gather: float = 0.0,
    ) -> None:
        self._sessions = sessions
        self._seal = seal  # called once per committed batch with its counted outcomes (receipts)
        self._max_batch = max_batch
        # Seconds to let a batch fill after its first vote. 0 in a web worker, whose own HTTP work
        # spaces the batches out; the writer process has nothing else to do, and without a pause it
        # committed batches of ~3 votes, each paying the ~1.3 ms a transaction costs whatever its size.
        self._gather = gather
        self._lock_path = _sqlite_lock_path(sessions)
        self._queue: asyncio.Queue[_Pending] | None = None
        self._task: asyncio.Task[None] | None = None
        self.batches = 0
        self.requests = 0

    async def submit(self, request: VoteRequest) -> VoteOutcome:
        """Count `request`; returns once its outcome is durable (or it was refused)."""
        return await self.enqueue(request)

    async def close(self) -> None:
        """Nothing to release: a batch in flight finishes with its event loop."""

    def enqueue(self, request: VoteRequest) -> asyncio.Future[VoteOutcome]:
        """Queue `request` for the next batch; the future is set once its outcome is durable."""
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._queue = asyncio.Queue()
            self._task = loop.create_task(self._run(self._queue))
        assert self._queue is not None
        future: asyncio.Future[VoteOutcome] = loop.create_future()
        self._queue.put_nowait(_Pending(request, future))
        return future

    async def _run(self, queue: asyncio.Queue[_Pending]) -> None:
        while True:
            batch = [await queue.get()]
            if self._gather:
                await asyncio.sleep(self._gather)
            while len(batch) < self._max_batch and not queue.empty():
                batch.append(queue.get_nowait())
            requests = [p.request for p in batch]
            if self._lock_path is not None:  # SQLite: statements on the loop, the fsync in a thread
                async with self._writer_lock():
                    outcomes = await self._count_sqlite(requests)
            else:  # PostgreSQL: mostly network round trips; let the loop serve HTTP meanwhile
                outcomes = await asyncio.to_thread(self._count, requests)
            self.batches += 1
            self.requests += len(batch)
            counted = [o for o in outcomes if isinstance(o, VoteOutcome) and o.counted]
            if self._seal is not None and counted:
                try:
                    self._seal(counted)
                except Exception:  # the votes are stored: answer without a receipt rather than hang
                    log.exception("sealing the receipts of a vote batch failed")
            for pending, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    if not pending.future.done():
                        pending.future.set_exception(outcome)
                elif not pending.future.done():
                    pending.future.set_result(outcome)

    async def _count_sqlite(self, requests: list[VoteRequest]) -> list[VoteOutcome | BaseException]:
        """Count on the loop, then wait for the durable COMMIT in a thread (sqlite3 releases the GIL)."""
        try:
            with self._sessions() as session:
                session.begin()
                outcomes: list[VoteOutcome | BaseException] = list(
                    apply_batch(session, requests, datetime.now(UTC))
                )
                await asyncio.to_thread(_commit_driver, session)
                session.commit()  # the driver's transaction is over: only SQLAlchemy's bookkeeping left
            return outcomes
        except Exception:  # rare (a failed write or COMMIT): nothing was acknowledged;
            return self._count(requests)  # the careful path below, with retries and one by one

    def _count(self, requests: list[VoteRequest]) -> list[VoteOutcome | BaseException]:
        try:
            return list(self._transaction(requests))
        except DBAPIError as exc:
            if len(requests) > 1:
                log.info("vote batch of %d rolled back (%s); counting one by one", len(requests), exc.orig)
                return [self._count([request])[0] for request in requests]
            return [self._retry_alone(requests[0], exc)]
        except Exception as exc:  # never leave a voter waiting forever
            log.exception("vote batch failed")
            return [exc for _ in requests]

    def _retry_alone(self, request: VoteRequest, first: DBAPIError) -> VoteOutcome:
        error: DBAPIError = first
        for _ in range(RETRIES):
            try:
                return self._transaction([request])[0]
            except DBAPIError as exc:
                error = exc
        log.warning("vote could not be stored after %d attempts: %s", RETRIES, error.orig)
        return VoteOutcome(503, "busy", "the vote could not be stored; send it again with the same key")

    def _transaction(self, requests: list[VoteRequest]) -> list[VoteOutcome]:
        with self._sessions() as session, session.begin():
            return apply_batch(session, requests, datetime.now(UTC))

    @contextlib.asynccontextmanager
    async def _writer_lock(self) -> AsyncIterator[None]:
        if self._lock_path is None:
            yield
            return
        with self._lock_path.open("a") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    await asyncio.sleep(LOCK_POLL)
            yield  # closing the file releases the lock, after the commit


def _commit_driver(session: Session) -> None:
    """COMMIT on the sqlite3 connection itself: pure C that releases the GIL for the fsync."""
    session.connection().connection.driver_connection.commit()  # type: ignore[union-attr]


def _sqlite_lock_path(sessions: sessionmaker[Session]) -> Path | None:
    url = getattr(sessions.kw.get("bind"), "url", None)
    database = sqlite_file(url) if url is not None else None
    return Path(f"{database}-votes.lock") if database is not None else None
