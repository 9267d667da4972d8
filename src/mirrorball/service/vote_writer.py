"""Group commit: concurrent single votes share one transaction, each acknowledged only after its commit.

A durable commit costs an fsync (SQLite `synchronous=FULL`, PostgreSQL `synchronous_commit=on`), and a
disk does a few hundred to a few thousand of those a second. One commit per vote would cap a server
there. Instead one writer thread per worker process takes every vote waiting in its queue (up to
`max_batch`), counts them in ONE transaction through `apply_batch`, commits, and only then hands each
request its outcome. While it waits for the disk, new requests queue up, so the batch grows exactly
when the load does; an idle server still commits a lone vote immediately (no timer, no added delay).

If the batch's transaction fails (a race caught by a CHECK or unique constraint across workers, a
deadlock, a lost connection), nothing of it was acknowledged: the writer retries the requests one by
one, each in its own transaction, so one bad request cannot sink the others.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from mirrorball.service.vote_ledger import VoteOutcome, VoteRequest, apply_batch

log = logging.getLogger(__name__)
RETRIES = 5


@dataclass
class _Pending:
    request: VoteRequest
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[VoteOutcome]


class VoteWriter:
    """The per-process group-commit writer for single votes."""

    def __init__(self, sessions: sessionmaker[Session], max_batch: int = 256) -> None:
        self._sessions = sessions
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.batches = 0
        self.requests = 0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mirrorball-vote-writer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None

    async def submit(self, request: VoteRequest) -> VoteOutcome:
        """Count `request`; returns once its outcome is durable (or it was refused)."""
        self.start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[VoteOutcome] = loop.create_future()
        self._queue.put(_Pending(request, loop, future))
        return await future

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(item)
            self._count(batch)

    def _count(self, batch: list[_Pending]) -> None:
        try:
            outcomes = self._transaction([p.request for p in batch])
        except DBAPIError as exc:
            if len(batch) == 1:
                outcomes = self._retry_alone(batch[0].request, exc)
            else:
                log.info("vote batch of %d rolled back (%s); counting one by one", len(batch), exc.orig)
                for pending in batch:
                    self._count([pending])
                return
        except Exception as exc:  # never leave a voter waiting forever
            log.exception("vote batch failed")
            for pending in batch:
                pending.loop.call_soon_threadsafe(_set_exception, pending.future, exc)
            return
        self.batches += 1
        self.requests += len(batch)
        for pending, outcome in zip(batch, outcomes, strict=True):
            pending.loop.call_soon_threadsafe(_set_result, pending.future, outcome)

    def _retry_alone(self, request: VoteRequest, first: DBAPIError) -> list[VoteOutcome]:
        error: DBAPIError = first
        for _ in range(RETRIES):
            try:
                return self._transaction([request])
            except DBAPIError as exc:
                error = exc
        log.warning("vote could not be stored after %d attempts: %s", RETRIES, error.orig)
        return [VoteOutcome(503, "busy", "the vote could not be stored; send it again with the same key")]

    def _transaction(self, requests: list[VoteRequest]) -> list[VoteOutcome]:
        with self._sessions() as session, session.begin():
            return apply_batch(session, requests, datetime.now(UTC))


def _set_result(future: asyncio.Future[VoteOutcome], outcome: VoteOutcome) -> None:
    if not future.done():
        future.set_result(outcome)


def _set_exception(future: asyncio.Future[VoteOutcome], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)
