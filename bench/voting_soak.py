"""Voting soak: is counting as fast when the ledger holds a million votes as when it is empty?

Run from the repository root (loopback only; about a minute per backend at the default size):

    PYTHONPATH=src python bench/voting_soak.py --votes 1000000

Partner batches of 2000 phone votes go through the real server over HTTP (one uvicorn worker per
backend, as the gateway bench runs it) until the ledger holds `--votes` votes: a SQLite file, then a
PostgreSQL database (`mb_bench_votes`, dropped after). The voters are drawn from a pool a fifth the
size of the vote count, so most of them vote several times and their counters are updated, not only
created; the cap is 10 a window. Every `--slice` votes the rate of that slice is printed; a ledger whose
cost per batch grows with its size shows as a falling rate. The last line compares the last slice with
the first. The batches' bodies are encoded before each slice's clock starts.

On PostgreSQL it also prints how often the vote tables were analysed, by the server
(`mirrorball.store.planner_stats`) and by autovacuum: without fresh statistics the planner looked a
batch's keys up by walking the window (see `docs/performance.md`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from random import Random

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import text
from voting_bench import postgres_database, uvicorn_server  # the bench's own server helpers

from mirrorball.service import vote_access
from mirrorball.store.db import make_engine, make_session_factory, transaction
from mirrorball.voting.loadgen import prepare_vote

BATCH = 2000
COUPLES = 8
console = Console(width=130)  # a log, not a terminal: no wrapping at 80 columns


def _bodies(window_id: int, rng: Random, pool: int, first: int, count: int) -> list[bytes]:
    return [
        json.dumps(
            {
                "window": window_id,
                "batch": f"s{number}",
                "votes": [
                    {"voter": f"+44{rng.randrange(pool):09d}", "couple": str(rng.randint(1, COUPLES))}
                    for _ in range(BATCH)
                ],
            }
        ).encode()
        for number in range(first, first + count)
    ]


def soak(db_url: str, backend: str, votes: int, slice_votes: int, work: Path) -> list[float]:
    """Votes/s of each slice."""
    prepared = prepare_vote(db_url, couples=COUPLES, caps={"per_window": 10})
    engine = make_engine(db_url)
    with transaction(make_session_factory(engine)) as session:
        secret = vote_access.add_partner(session, "telco", "online")  # the channel prepare_vote caps
    rng = Random(7)
    pool = max(1, votes // 5)
    per_slice = max(1, slice_votes // BATCH)
    slices = max(1, votes // (per_slice * BATCH))
    rates: list[float] = []
    counted = refused = 0
    refusals: set[str] = set()
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    with (
        uvicorn_server(db_url, 1, work / f"soak-{backend}.log") as url,
        httpx.Client(base_url=url, timeout=300) as client,
        Progress(
            TextColumn(f"{backend:10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console,
        ) as progress,
    ):
        task = progress.add_task(backend, total=slices * per_slice * BATCH, rate="")
        for number in range(slices):
            bodies = _bodies(prepared.window_id, rng, pool, number * per_slice, per_slice)
            batch_ms, answers = [], []
            started = time.perf_counter()
            for body in bodies:
                begun = time.perf_counter()
                answer = client.post("/api/votes/gateway/telco/batches", content=body, headers=headers)
                batch_ms.append((time.perf_counter() - begun) * 1000)
                answers.append(answer)
                progress.advance(task, BATCH)
            rate = per_slice * BATCH / (time.perf_counter() - started)
            for answer in answers:  # checked after the clock: the partner's JSON work is not the server's
                if answer.status_code != 200:
                    raise SystemExit(
                        f"{backend}: the gateway answered {answer.status_code}: {answer.text[:300]}"
                    )
                outcome = answer.json()
                counted += outcome["counted"]
                refused += outcome["refused"]
                refusals |= {r["code"] for r in outcome["results"] if r["status"] >= 400}
            rates.append(rate)
            done = (number + 1) * per_slice * BATCH
            progress.update(task, rate=f"{rate:7.0f} votes/s")
            progress.console.print(
                f"  {backend:10} {done:>9,} votes sent   the last {per_slice * BATCH:,}: {rate:7.0f} votes/s,"
                f" batch median {statistics.median(batch_ms):5.1f} ms"
            )
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            for table, analysed, autoanalysed in connection.execute(
                text(
                    "SELECT relname, analyze_count, autoanalyze_count FROM pg_stat_user_tables"
                    " WHERE relname IN ('votes', 'vote_counters') ORDER BY relname"
                )
            ):
                console.print(
                    f"  {table}: analysed {analysed} times by the server, {autoanalysed} by autovacuum"
                )
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM votes")).scalar_one()
    engine.dispose()
    console.print(
        f"  {backend}: {counted:,} votes counted, {refused:,} refused ({', '.join(sorted(refusals)) or '-'});"
        f" {rows:,} ledger rows"
    )
    if rows != counted:
        raise SystemExit(f"{backend}: the ledger holds {rows} rows for {counted} counted votes")
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--votes", type=int, default=1_000_000, help="votes sent per backend")
    parser.add_argument("--slice", type=int, default=100_000, help="votes per printed rate")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("MIRRORBALL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"),
        help="PostgreSQL server ('' to skip)",
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="mb-soak-") as tmp:
        work = Path(tmp)
        if not args.skip_sqlite:
            results["sqlite"] = soak(str(work / "soak.sqlite3"), "sqlite", args.votes, args.slice, work)
        if args.postgres:
            with postgres_database(args.postgres) as url:
                results["postgresql"] = soak(url, "postgresql", args.votes, args.slice, work)
    console.print()
    for backend, rates in results.items():
        console.print(
            f"  {backend:10} first slice {rates[0]:7.0f} votes/s, last {rates[-1]:7.0f} votes/s:"
            f" last/first {rates[-1] / rates[0]:.2f}"
        )


if __name__ == "__main__":
    main()
