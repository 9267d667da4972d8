"""Driving a real server with votes: the reliability tests (crash under load, concurrent caps) and the
bench use the same pieces, so what is tested is what is measured.

`ServerProcess` runs `mirrorball serve` in its own process group (so SIGKILL takes the supervisor and
every worker at once, like a power cut of the host); `prepare_vote` sets a window up directly through
the services; `send_votes` fires requests concurrently and records, per idempotency key, whether the
server acknowledged it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

import mirrorball
from mirrorball.service import vote_access
from mirrorball.service import votes as voting
from mirrorball.store.db import make_engine, make_session_factory, transaction
from mirrorball.store.migrate import migrate
from mirrorball.voting.identity import VoterIdentity, VoterTokens

SOURCE_ROOT = Path(mirrorball.__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerProcess:
    """`mirrorball serve` on a loopback port, in a process group of its own."""

    def __init__(
        self, db_url: str, workers: int = 1, log: Path | None = None, env: dict[str, str] | None = None
    ):
        self.db_url, self.workers, self.log = db_url, workers, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PYTHONPATH": str(SOURCE_ROOT), **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        command = [sys.executable, "-m", "mirrorball", "serve", "--db", self.db_url]
        command += ["--port", str(self.port), "--workers", str(self.workers)]
        output = self.log.open("ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env=self.env, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode} (log: {self.log})")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"server did not answer within {timeout} s")

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown code runs, as in a crash."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


@dataclass(frozen=True)
class PreparedVote:
    window_id: int
    tokens: VoterTokens

    def voter_token(self, subject: str) -> str:
        return self.tokens.issue(VoterIdentity(kind="email", subject=subject))


def prepare_vote(db_url: str, couples: int = 4, caps: dict[str, Any] | None = None) -> PreparedVote:
    """Migrate `db_url`, open a window with `couples` couples, and return a way to make voter tokens."""
    engine = make_engine(db_url)
    migrate(engine)
    spec = voting.WindowSpec(
        title="Load test",
        couples=[{"key": str(n), "name": f"Couple {n}"} for n in range(1, couples + 1)],
        caps={"online": caps or {"per_couple": 10, "per_window": 10, "editable": True}},
    )
    with transaction(make_session_factory(engine)) as session:
        window = voting.create_window(session, "loadgen", spec)
        voting.open_window(session, "loadgen", window.id)
        secret = vote_access.shared_secret(session, "voter_token_secret")
        window_id = window.id
    engine.dispose()
    return PreparedVote(window_id, VoterTokens(secret))


@dataclass(frozen=True)
class PlannedVote:
    token: str
    couple: str
    key: str


async def send_votes(
    base_url: str, window_id: int, plan: Sequence[PlannedVote], concurrency: int, timeout: float = 10
) -> dict[str, int | None]:
    """POST every planned vote (at most `concurrency` in flight); status per key, None if no answer."""
    results: dict[str, int | None] = {}
    queue: asyncio.Queue[PlannedVote] = asyncio.Queue()
    for vote in plan:
        queue.put_nowait(vote)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout, limits=limits) as client:

        async def worker() -> None:
            while not queue.empty():
                vote = queue.get_nowait()
                try:
                    response = await client.post(
                        f"/api/votes/windows/{window_id}/votes",
                        json={"couple": vote.couple, "votes": 1, "key": vote.key},
                        headers={"Authorization": f"Bearer {vote.token}"},
                    )
                    results[vote.key] = response.status_code
                except httpx.HTTPError:
                    results[vote.key] = None

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results
