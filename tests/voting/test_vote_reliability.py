"""Reliability against a real `mirrorball serve` process: crashes under load and concurrent caps.

These start the server as a subprocess (as in production) and talk HTTP to it over loopback.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import Counter
from pathlib import Path

import pytest

from mirrorball.voting.loadgen import PlannedVote, ServerProcess, prepare_vote, send_votes

from .ledger_check import ledger_of

pytestmark = pytest.mark.slow

ROUNDS = 20


def test_sigkill_under_load_loses_no_acknowledged_vote_and_retries_never_count_twice(tmp_path: Path) -> None:
    db_url = str(tmp_path / "crash.sqlite3")
    prepared = prepare_vote(db_url, caps={"per_window": 100_000, "per_couple": 100_000})
    voters = [prepared.voter_token(f"fan{n}@example.org") for n in range(200)]
    rng = random.Random(20)
    acknowledged: set[str] = set()
    pending: list[PlannedVote] = []
    replays = 0

    async def burst(
        server: ServerProcess, plan: list[PlannedVote], kill_after: float | None
    ) -> dict[str, int | None]:
        sending = asyncio.create_task(
            send_votes(server.url, prepared.window_id, plan, concurrency=16, timeout=5)
        )
        if kill_after is not None:
            await asyncio.sleep(kill_after)
            server.kill()
        return await sending

    for round_number in range(ROUNDS + 1):
        server = ServerProcess(db_url, log=tmp_path / "server.log")
        server.start()
        retried = asyncio.run(burst(server, pending, None)) if pending else {}
        assert all(status in (200, 201) for status in retried.values()), retried
        replays += sum(status == 200 for status in retried.values())
        acknowledged |= set(retried)
        if round_number == ROUNDS:
            server.stop()
            break
        plan = [PlannedVote(rng.choice(voters), str(rng.randint(1, 4)), uuid.uuid4().hex) for _ in range(400)]
        results = asyncio.run(burst(server, plan, kill_after=rng.uniform(0.05, 0.5)))
        assert all(status in (None, 200, 201) for status in results.values()), Counter(results.values())
        acknowledged |= {key for key, status in results.items() if status is not None}
        answered = {key for key, status in results.items() if status is not None}
        pending = [vote for vote in plan if vote.key not in answered]  # sent or not: the client retries all

    per_key, tally, matches = ledger_of(db_url, prepared.window_id)
    assert acknowledged, "the bursts must have got votes through"
    assert set(per_key) == acknowledged, "every acknowledged vote is in the ledger, and nothing else is"
    assert max(per_key.values()) == 1, "no request counted twice"
    assert sum(tally.values()) == len(acknowledged) and matches
    assert replays >= 0  # replays happen when the kill fell between commit and response


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_64_concurrent_requests_of_one_voter_on_two_workers_never_exceed_the_cap(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "postgres":
        db_url = request.getfixturevalue("postgres_databases").fresh()
    else:
        db_url = str(tmp_path / "caps.sqlite3")
    prepared = prepare_vote(db_url, caps={"per_window": 7, "per_couple": 3, "editable": True})
    # The per-voter rate limit would refuse some of the 64 (429) before the cap does: lift it here.
    server = ServerProcess(
        db_url, workers=2, log=tmp_path / "server.log", env={"MIRRORBALL_VOTE_RATE_VOTER": "1000"}
    )
    server.start()
    try:
        token = prepared.voter_token("greedy@example.org")
        plan = [PlannedVote(token, str(1 + n % 4), uuid.uuid4().hex) for n in range(64)]
        results = asyncio.run(send_votes(server.url, prepared.window_id, plan, concurrency=64))
    finally:
        server.stop()
    statuses = Counter(results.values())
    assert statuses[201] == 7 and statuses[409] == 57, statuses
    per_key, tally, matches = ledger_of(db_url, prepared.window_id)
    assert sum(tally.values()) == 7 and max(tally.values()) <= 3 and matches
    assert len(per_key) == 7
