"""SQLite's one writer in a process of its own: the web workers hand it their votes over a local socket.

Why a process. On SQLite a vote's durable work (the group commit's statements, the COMMIT, the
receipt's Merkle path) cost ~300 µs of CPU a vote on the worker's event loop, measured under load,
while the HTTP side of the same request costs about as much again: one Python process, one GIL, so
the two took turns on one core and the second core sat idle. SQLite has a single writer anyway; giving
it a process of its own lets the web worker only parse, authenticate and answer, while the counting
runs beside it, and several web workers no longer queue on the database's write lock.

Nothing about durability changes: the writer process runs the same `VoteWriter` group commit (same
`apply_batch`, same transaction, same fsync), and a worker answers a voter only when the writer has
sent back the committed outcome with its receipt. If the writer dies with votes in flight, those
requests are answered 503 "send it again with the same key": the idempotency key then makes the retry
count at most once (a 200 replay if the lost batch had committed after all).

Who starts it. The first worker that needs a writer and finds none starts one
(`python -m mirrorball.service.vote_writer_process`). The writer holds an OS lock (`<db>-writer.lock`)
for its whole life, so a second one exits at once, and workers can tell a starting writer from none.
It stays in the server's process group (stopping or killing the server stops it) and exits when the
worker that started it is gone and no worker is connected any more.

The socket is a Unix socket readable by the server's user only; frames are a 4-byte length and a
pickle of plain dataclasses, exchanged only between processes of that user.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import functools
import hashlib
import itertools
import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from mirrorball.service.live import LiveEvent, take_pending
from mirrorball.service.vote_ledger import VoteOutcome, VoteRequest
from mirrorball.service.vote_writer import GATHER, VoteWriter
from mirrorball.store.db import sqlite_file

log = logging.getLogger(__name__)
FRAME = struct.Struct("!I")
EVENTS = 0  # the frame id of live events the writer broadcasts to every worker
START_TIMEOUT = 20.0  # seconds a worker waits for a writer to come up
IDLE_EXIT = 30.0  # seconds without any connected worker before the writer exits
REQUEST_FIELDS = tuple(f.name for f in fields(VoteRequest))
UNAVAILABLE = VoteOutcome(503, "busy", "votes cannot be counted at the moment; send the vote again shortly")
LOST = VoteOutcome(
    503, "busy", "the vote writer restarted before answering; send the vote again with the same key"
)


def writer_paths(db_url: str) -> tuple[Path, Path]:
    """(socket, lock) of the writer for the SQLite database `db_url`. The socket lives in the temp
    directory under a hash of the file's path (a Unix socket's path must stay under ~100 bytes), the
    lock beside the file."""
    database = sqlite_file(db_url)
    if database is None:
        raise ValueError(f"a vote writer process serves a SQLite file, not {db_url!r}")
    resolved = str(database.resolve())
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:20]
    return Path(tempfile.gettempdir()) / f"mirrorball-writer-{digest}.sock", Path(f"{resolved}-writer.lock")


@dataclass(frozen=True)
class Counted:
    """A counted vote as the writer process answers it: the voter's JSON, already rendered there."""

    status: int
    body: bytes


def _request_fields(request: VoteRequest) -> tuple[Any, ...]:
    # A tuple pickles in a third of the time of the dataclass; the order is VoteRequest's own.
    return tuple(getattr(request, name) for name in REQUEST_FIELDS)


def _frame(message: Any) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return FRAME.pack(len(payload)) + payload


async def _read_frame(reader: asyncio.StreamReader) -> Any:
    (size,) = FRAME.unpack(await reader.readexactly(FRAME.size))
    return pickle.loads(await reader.readexactly(size))


class _Outbox:
    """Messages for one stream, sent as one frame per turn of the event loop (both directions)."""

    def __init__(self, stream: asyncio.StreamWriter) -> None:
        self.stream = stream
        self._items: list[tuple[int, Any]] = []

    def put(self, number: int, message: Any) -> None:
        if self.stream.is_closing():
            return
        if not self._items:
            asyncio.get_running_loop().call_soon(self._flush)
        self._items.append((number, message))

    def _flush(self) -> None:
        items, self._items = self._items, []
        if items and not self.stream.is_closing():
            self.stream.write(_frame(items))


def _writer_alive(lock: Path) -> bool:
    """Whether some process holds the writer's lock (a writer running or starting)."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False  # closing the file releases the lock at once


class RemoteVoteWriter:
    """What a web worker uses instead of `VoteWriter` on SQLite: the same `submit`, counted elsewhere."""

    def __init__(self, db_url: str, on_events: Callable[[list[LiveEvent]], None]) -> None:
        self._db_url = db_url
        self._socket, self._lock = writer_paths(db_url)
        self._on_events = on_events
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[VoteOutcome | Counted]] = {}
        self._outbox: _Outbox | None = None  # of the current connection
        self._connecting: asyncio.Lock | None = None
        self._spawned: subprocess.Popen[bytes] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def submit(self, request: VoteRequest) -> VoteOutcome | Counted:
        """Count `request`; returns once the writer has committed it (or refused it)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (a test client's): the old connection is unusable
            self._loop, self._outbox, self._connecting, self._pending = loop, None, None, {}
        outbox = self._outbox if self._outbox is not None and not self._outbox.stream.is_closing() else None
        if outbox is None:
            try:
                outbox = await self._connect()
            except (RuntimeError, OSError) as exc:  # answered 503, never a 500: the voter may retry
                log.error("no vote writer: %s", exc)
                return UNAVAILABLE
        number = next(self._ids)
        future: asyncio.Future[VoteOutcome | Counted] = loop.create_future()
        self._pending[number] = future
        outbox.put(number, _request_fields(request))
        return await future

    async def _connect(self) -> _Outbox:
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:
            if self._outbox is not None and not self._outbox.stream.is_closing():
                return self._outbox
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                try:
                    reader, stream = await asyncio.open_unix_connection(str(self._socket))
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"the vote writer did not start (socket {self._socket})") from None
                    if not _writer_alive(self._lock):
                        self._start_writer()
                    await asyncio.sleep(0.02)
            self._outbox = _Outbox(stream)
            asyncio.get_running_loop().create_task(self._read(reader, self._outbox))
            return self._outbox

    def _start_writer(self) -> None:
        if self._spawned is not None and self._spawned.poll() is None:
            return  # ours is still starting
        command = [sys.executable, "-m", "mirrorball.service.vote_writer_process", self._db_url]
        command += ["--socket", str(self._socket), "--lock", str(self._lock)]
        self._spawned = subprocess.Popen(command)  # same process group: a server's stop stops it too
        log.info("started the vote writer (pid %d)", self._spawned.pid)

    async def _read(self, reader: asyncio.StreamReader, outbox: _Outbox) -> None:
        try:
            while True:
                for number, message in await _read_frame(reader):
                    if number == EVENTS:
                        self._on_events(message)
                        continue
                    future = self._pending.pop(number, None)
                    if future is not None and not future.done():
                        future.set_result(message)
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        except Exception:  # a frame we cannot read: drop the connection, answer its votes "send again"
            log.exception("reading from the vote writer failed")
        finally:
            outbox.stream.close()
            if self._outbox in (outbox, None):  # its requests are lost (a newer connection's are not)
                self._outbox = None
                lost, self._pending = self._pending, {}
                for future in lost.values():
                    if not future.done():
                        future.set_result(LOST)

    async def close(self) -> None:
        if self._outbox is not None:
            self._outbox.stream.close()
            self._outbox = None


class _WriterServer:
    """The writer process: one `VoteWriter` (group commit) for the votes of every connected worker."""

    def __init__(self, writer: VoteWriter, parent: int) -> None:
        self.writer = writer
        self.parent = parent
        self.clients: set[_Outbox] = set()

    def broadcast(self, events: list[LiveEvent]) -> None:
        for client in self.clients:
            client.put(EVENTS, events)

    async def serve_client(self, reader: asyncio.StreamReader, stream: asyncio.StreamWriter) -> None:
        outbox = _Outbox(stream)
        self.clients.add(outbox)
        try:
            while True:
                for number, request_fields in await _read_frame(reader):
                    future = self.writer.enqueue(VoteRequest(*request_fields))
                    future.add_done_callback(functools.partial(self._answer, outbox, number))
        except (asyncio.IncompleteReadError, ConnectionError, OSError, asyncio.CancelledError):
            pass  # the worker went away, or we are stopping: its votes in flight are answered "again"
        finally:
            self.clients.discard(outbox)
            stream.close()

    @staticmethod
    def _answer(outbox: _Outbox, number: int, done: asyncio.Future[VoteOutcome]) -> None:
        outcome = LOST if done.cancelled() or done.exception() is not None else done.result()
        if outcome.counted and outcome.receipt is not None:
            outbox.put(number, Counted(outcome.status, outcome.answer()))
        else:
            outbox.put(number, outcome)

    async def watch_parent(self, stop: asyncio.Event) -> None:
        """Return on SIGTERM, or when nobody is connected and either the worker that started us is
        gone or nobody has been for IDLE_EXIT seconds (a worker starts a new writer when it needs one)."""
        idle_since = time.monotonic()
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            if self.clients:
                idle_since = time.monotonic()
            elif os.getppid() != self.parent or time.monotonic() - idle_since > IDLE_EXIT:
                return


async def _serve(db_url: str, socket_path: Path) -> None:
    from mirrorball.service import vote_access
    from mirrorball.store.db import make_engine, make_session_factory, transaction
    from mirrorball.voting.receipts import ReceiptSigner

    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        signer = ReceiptSigner(vote_access.shared_secret(session, "receipt_seed"))

    def seal(batch: list[VoteOutcome]) -> None:
        for outcome, receipt in zip(batch, signer.sign_batch([o.facts for o in batch]), strict=True):
            outcome.receipt = receipt

    server_state = _WriterServer(VoteWriter(sessions, seal=seal, gather=GATHER), parent=os.getppid())

    loop = asyncio.get_running_loop()

    def after_commit(session: Session) -> None:
        events = take_pending(session)
        if events:  # thread-safe: a held-back progress pulse is committed from a timer thread
            loop.call_soon_threadsafe(server_state.broadcast, events)

    sa_event.listen(sessions, "after_commit", after_commit)
    with contextlib.suppress(FileNotFoundError):
        socket_path.unlink()  # a dead writer's; we hold the lock, so no live writer uses it
    old_mask = os.umask(0o077)
    try:
        server = await asyncio.start_unix_server(server_state.serve_client, path=str(socket_path))
    finally:
        os.umask(old_mask)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        async with server:
            await server_state.watch_parent(stop)
    finally:
        with contextlib.suppress(FileNotFoundError):
            socket_path.unlink()
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The SQLite vote writer (started by the web workers).")
    parser.add_argument("db_url")
    parser.add_argument("--socket", required=True, type=Path)
    parser.add_argument("--lock", required=True, type=Path)
    args = parser.parse_args(argv)
    with args.lock.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # another writer runs: the workers connect to it
        try:
            import uvloop

            runner: Any = uvloop.run
        except ImportError:  # uvicorn[standard] brings uvloop; plain asyncio works too
            runner = asyncio.run
        with contextlib.suppress(KeyboardInterrupt):
            runner(_serve(args.db_url, args.socket))
    return 0


if __name__ == "__main__":
    # Run the module's importable copy, not `__main__`: the classes it pickles must be found by their
    # real name in the workers.
    from mirrorball.service import vote_writer_process

    sys.exit(vote_writer_process.main())
