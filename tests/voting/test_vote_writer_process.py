"""SQLite's vote writer process (`mirrorball serve`'s default there): crashes of the writer alone, and
the live events it counts reaching the web workers' subscribers."""

from __future__ import annotations

import asyncio
import fcntl
import os
import random
import signal
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest

from mirrorball.service import vote_writer_process
from mirrorball.service.vote_ledger import VoteOutcome, VoteRequest
from mirrorball.voting.loadgen import PlannedVote, ServerProcess, prepare_vote, send_votes

from .ledger_check import ledger_of

pytestmark = pytest.mark.slow


def _writer_pids(db_url: str) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-f", f"vote_writer_process .*{db_url} "], capture_output=True, text=True
    )
    return [int(pid) for pid in found.stdout.split()]


def test_the_writer_killed_under_load_is_replaced_and_no_vote_is_lost_or_counted_twice(
    tmp_path: Path,
) -> None:
    db_url = str(tmp_path / "writer.sqlite3")
    prepared = prepare_vote(db_url, caps={"per_window": 100_000, "per_couple": 100_000})
    voters = [prepared.voter_token(f"fan{n}@example.org") for n in range(100)]
    rng = random.Random(7)
    server = ServerProcess(db_url, workers=2, log=tmp_path / "server.log")
    server.start()
    try:
        first = [PlannedVote(voters[1], "2", uuid.uuid4().hex)]  # the first vote starts the writer
        assert asyncio.run(send_votes(server.url, prepared.window_id, first, concurrency=1)) == {
            first[0].key: 201
        }
        acknowledged: set[str] = {first[0].key}
        pending: list[PlannedVote] = []
        killed: list[int] = []  # writers killed per burst
        for _ in range(3):
            plan = pending + [
                PlannedVote(rng.choice(voters), str(rng.randint(1, 4)), uuid.uuid4().hex) for _ in range(300)
            ]

            async def burst(plan: list[PlannedVote] = plan) -> dict[str, int | None]:
                sending = asyncio.create_task(
                    send_votes(server.url, prepared.window_id, plan, concurrency=16)
                )
                await asyncio.sleep(rng.uniform(0.05, 0.3))
                writers = _writer_pids(db_url)
                for pid in writers:
                    os.kill(pid, signal.SIGKILL)
                killed.append(len(writers))
                return await sending

            results = asyncio.run(burst())
            # Votes in flight when the writer died are answered 503 "send it again"; nothing else fails.
            assert set(results.values()) <= {200, 201, 503}, Counter(results.values())
            acknowledged |= {key for key, status in results.items() if status in (200, 201)}
            pending = [vote for vote in plan if results[vote.key] not in (200, 201)]
        # The retries, and one more vote: a new writer takes over after the last kill.
        pending.append(PlannedVote(voters[0], "1", uuid.uuid4().hex))
        final = asyncio.run(send_votes(server.url, prepared.window_id, pending, concurrency=16))
        assert all(status in (200, 201) for status in final.values()), Counter(final.values())
        acknowledged |= set(final)
        assert len(_writer_pids(db_url)) == 1
    finally:
        server.stop()

    per_key, _tally, matches = ledger_of(db_url, prepared.window_id)
    assert killed == [1, 1, 1], "each burst killed the one writer there was"
    assert set(per_key) == acknowledged, "every acknowledged vote is in the ledger, and nothing else is"
    assert max(per_key.values()) == 1, "no request counted twice"
    assert matches, "the recount from the audit log matches the tally"


def test_the_writer_stops_with_the_server(tmp_path: Path) -> None:
    db_url = str(tmp_path / "stop.sqlite3")
    prepared = prepare_vote(db_url)
    server = ServerProcess(db_url, log=tmp_path / "server.log")
    server.start()
    token = prepared.voter_token("fan@example.org")
    response = httpx.post(
        f"{server.url}/api/votes/windows/{prepared.window_id}/votes",
        json={"couple": "1", "key": "first-vote-1"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201 and response.json()["receipt"]
    assert len(_writer_pids(db_url)) == 1
    server.stop()
    deadline = time.monotonic() + 10
    while _writer_pids(db_url) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _writer_pids(db_url) == []


def test_a_vote_is_answered_503_when_no_writer_can_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Something holds the writer's lock but serves no socket: the vote waits, then gets 503, not 500."""
    monkeypatch.setattr(vote_writer_process, "START_TIMEOUT", 0.3)
    db_url = f"sqlite:///{tmp_path / 'stuck.sqlite3'}"
    _socket, lock = vote_writer_process.writer_paths(db_url)
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        writer = vote_writer_process.RemoteVoteWriter(db_url, on_events=lambda events: None)
        request = VoteRequest(
            window_id=1, channel="online", voter="email:a@example.org", request_key="stuck-key-1"
        )
        outcome = asyncio.run(writer.submit(request))
    assert isinstance(outcome, VoteOutcome)
    assert (outcome.status, outcome.code) == (503, "busy")
