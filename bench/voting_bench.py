"""Voting bench: single votes over HTTP vs a bare endpoint, and gateway batches vs a plain bulk INSERT.

Run from the repository root (loopback only, stops by itself, about three minutes a run):

    PYTHONPATH=src python bench/voting_bench.py --runs 3

1. HTTP. One uvicorn server (the real app from `bench/voting_app.py`, `--workers` processes, SQLite
   file) serves both endpoints; `wrk` drives each in turn at `--connections` for `--duration` s, with
   every request a distinct vote (own idempotency key, one of 2000 voters). The vote endpoint checks the
   voter token, enforces the caps and answers only after the group commit. Printed: votes/s,
   p50/p99, the ratio vote/bare, and wrk's own CPU use (to show the load generator is not the limit).
   Afterwards the ledger is checked to hold at least every acknowledged vote. On PostgreSQL a third
   endpoint, bare plus one autocommitted INSERT per request (`voting_app.plain_insert`), shows what any
   endpoint that stores a vote durably reaches beside the bare one on the same machine.
2. Gateway. The same rows go (a) as partner batches through the gateway endpoint over HTTP, caps,
   idempotency and audit included, and (b) as a plain bulk INSERT (executemany, one transaction per
   batch) into a table with the ledger's columns and no constraints, in the same database. On SQLite
   and on PostgreSQL (a dedicated database, `mb_bench_votes`, dropped afterwards). The target's ratio
   is taken against SQLAlchemy Core's `insert()` with the rows, the plain way to bulk-insert in this
   stack; beside it the same rows go through the driver alone (DB-API `executemany` of tuples), the
   database's own floor, and that ratio is printed too.

Figures are medians over `--runs` runs; each run does everything side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from random import Random

import httpx
import voting_app  # the bench's own server module, beside this file
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import make_url

from mirrorball.service import vote_access
from mirrorball.store.db import make_engine, make_session_factory, normalize_url, transaction
from mirrorball.store.models.vote import Vote
from mirrorball.voting.loadgen import SOURCE_ROOT, free_port, prepare_vote

BENCH = Path(__file__).resolve().parent
COUPLES = 8
VOTERS = 2000
LATENCY_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}
# The targets: single votes at 0.8 of the bare endpoint with p99 under 50 ms; gateway batches
# at half the plain INSERT's rate.
SINGLE_TARGET, P99_TARGET_MS, GATEWAY_TARGET = 0.8, 50, 0.5


SERVER_PIDS: dict[str, int] = {}  # bench server URL -> its uvicorn process
TICKS = os.sysconf("SC_CLK_TCK")


@contextmanager
def uvicorn_server(db_url: str, workers: int, log: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": f"{SOURCE_ROOT}{os.pathsep}{BENCH}", "MIRRORBALL_DB": db_url}
    env.setdefault("MIRRORBALL_VOTE_WRITER", "process")  # as `mirrorball serve` runs it
    command = [sys.executable, "-m", "uvicorn", "voting_app:create", "--factory", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    SERVER_PIDS[url] = process.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"bench server did not start (see {log})")
            time.sleep(0.1)
        yield url
    finally:
        SERVER_PIDS.pop(url, None)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _processes() -> dict[int, tuple[int, str, float]]:
    """Every process: pid -> (parent, name, CPU seconds so far), from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text_value = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        name = text_value[text_value.index("(") + 1 : text_value.rindex(")")]
        fields = text_value[text_value.rindex(")") + 2 :].split()
        found[int(entry.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def cpu_by_role(server_pid: int) -> dict[str, float]:
    """CPU seconds so far of the bench server (uvicorn, its workers, the vote writer) and of PostgreSQL."""
    processes = _processes()
    server = {server_pid}
    for _ in range(4):  # workers, and the writer a worker starts
        server |= {pid for pid, (parent, _, _) in processes.items() if parent in server}
    return {
        "server": sum(cpu for pid, (_, _, cpu) in processes.items() if pid in server),
        "database": sum(cpu for _, name, cpu in processes.values() if name == "postgres"),
    }


def _ms(text_value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text_value).groups()  # type: ignore[union-attr]
    return float(number) * LATENCY_UNITS[unit]


def wrk(url: str, path: str, tokens: Path, seconds: float, connections: int, nonce: str) -> dict[str, float]:
    """One wrk run; requests/s, p50/p99 in ms, non-2xx count, and wrk's CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    roles_before = cpu_by_role(SERVER_PIDS[url])
    command = ["wrk", "-t2", f"-c{connections}", f"-d{int(seconds)}s", "--latency", "--timeout", "10s"]
    command += ["-s", str(BENCH / "voting_vote.lua"), url, "--", str(tokens), path, str(COUPLES), nonce]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    roles_after = cpu_by_role(SERVER_PIDS[url])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if "99" not in latency:
        raise RuntimeError(f"wrk measured nothing on {path}:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = float(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        "requests": requests,
        # CPU per request in µs: the server's processes and the database server's
        "server_us": (roles_after["server"] - roles_before["server"]) / requests * 1e6,
        "database_us": (roles_after["database"] - roles_before["database"]) / requests * 1e6,
        "p50": _ms(latency["50"]),
        "p99": _ms(latency["99"]),
        "non2xx": float(errors.group(1)) if errors else 0.0,
        "wrk_cpu": cpu / seconds,
    }


def http_run(
    db_url: str, workers: int, seconds: float, connections: int, run: int, work: Path
) -> dict[str, dict[str, float]]:
    prepared = prepare_vote(db_url, couples=COUPLES, caps={"per_window": 1_000_000, "per_couple": 1_000_000})
    tokens = work / "tokens.txt"
    tokens.write_text("\n".join(prepared.voter_token(f"fan{n}@example.org") for n in range(VOTERS)) + "\n")
    vote_path = f"/api/votes/windows/{prepared.window_id}/votes"
    order = [("bare", voting_app.BARE_PATH), ("vote", vote_path)]
    engine = make_engine(db_url)
    if engine.dialect.name == "postgresql":
        # The control with one INSERT per request. Not on SQLite: there each would be a transaction of
        # its own with an fsync, queued on the one write lock, which is why votes are group-committed.
        plain_metadata.create_all(engine)
        order.append(("insert", voting_app.INSERT_PATH))
    results: dict[str, dict[str, float]] = {}
    with uvicorn_server(db_url, workers, work / "server.log") as url:
        for _, path in order:  # warm each up: imports, keys, connections
            wrk(url, path, tokens, 2, connections, f"warm{run}{secrets.token_hex(3)}")
        turn = run % len(order)  # the order rotates run by run: no endpoint always goes first
        for name, path in order[turn:] + order[:turn]:
            results[name] = wrk(
                url, path, tokens, seconds, connections, f"r{run}{name}{secrets.token_hex(3)}"
            )
    with engine.connect() as connection:
        ledger = connection.execute(select(func.count()).select_from(Vote)).scalar_one()
        if "insert" in results:
            stored = connection.execute(select(func.count()).select_from(plain_votes)).scalar_one()
            results["insert"]["stored_ok"] = float(stored >= results["insert"]["requests"])
    engine.dispose()
    acknowledged = results["vote"]["requests"] - results["vote"]["non2xx"]
    results["vote"]["ledger_ok"] = float(ledger >= acknowledged)
    return results


# --- gateway ---------------------------------------------------------------------------------------------

plain_metadata = MetaData()
plain_votes = Table(
    "bench_plain_votes",
    plain_metadata,
    Column("id", Integer, primary_key=True),
    Column("window_id", Integer),
    Column("channel", String(40)),
    Column("voter", String(240)),
    Column("couple", String(40)),
    Column("delta", Integer),
    Column("request_key", String(80)),
    Column("part", Integer),
    Column("address", String(64)),
    Column("received_at", DateTime(timezone=True)),
    Column("batch_id", Integer),
)


def batches_of(run: int, count: int, size: int) -> list[list[dict[str, object]]]:
    rng = Random(run)
    return [
        [
            {
                "voter": f"+44{rng.randrange(10**9):09d}",
                "couple": str(rng.randint(1, COUPLES)),
                "key": f"gw{run}-{b}-{i:06d}",
            }
            for i in range(size)
        ]
        for b in range(count)
    ]


def gateway_run(db_url: str, batches: list[list[dict[str, object]]], work: Path) -> dict[str, float]:
    prepared = prepare_vote(db_url, couples=COUPLES, caps={"per_window": 10})
    engine = make_engine(db_url)
    with transaction(make_session_factory(engine)) as session:
        secret = vote_access.add_partner(session, "telco", "online")
    plain_metadata.create_all(engine)
    rows = sum(len(b) for b in batches)

    with (
        uvicorn_server(db_url, 1, work / "gateway.log") as url,
        httpx.Client(base_url=url, timeout=120) as client,
    ):
        headers = {"Authorization": f"Bearer {secret}"}
        client.post(
            "/api/votes/gateway/telco/batches",
            headers=headers,
            json={"window": prepared.window_id, "batch": "warm", "votes": [{"voter": "w", "couple": "1"}]},
        )
        # Encoded before and checked after the clock runs: the partner's own JSON work is not the server's.
        bodies = [
            json.dumps({"window": prepared.window_id, "batch": f"b{number}", "votes": batch}).encode()
            for number, batch in enumerate(batches)
        ]
        headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        responses = [
            client.post("/api/votes/gateway/telco/batches", content=body, headers=headers) for body in bodies
        ]
        gateway_seconds = time.perf_counter() - started
        for response, batch in zip(responses, batches, strict=True):
            assert response.status_code == 200 and response.json()["counted"] == len(batch), response.text[
                :300
            ]

    now = datetime.now(UTC)
    started = time.perf_counter()
    for number, batch in enumerate(batches):
        plain_rows = [
            {
                "window_id": prepared.window_id,
                "channel": "online",
                "voter": f"partner:telco:{v['voter']}",
                "couple": v["couple"],
                "delta": 1,
                "request_key": v["key"],
                "part": 0,
                "address": None,
                "received_at": now,
                "batch_id": number,
            }
            for v in batch
        ]
        with engine.begin() as connection:
            connection.execute(insert(plain_votes), plain_rows)
    plain_seconds = time.perf_counter() - started

    # The same rows once more through the driver alone (DB-API executemany of tuples, a transaction per
    # batch): the database's own floor, without SQLAlchemy's per-row parameter processing.
    columns = [c.name for c in plain_votes.columns if c.name != "id"]
    marker = "%s" if engine.dialect.name == "postgresql" else "?"
    statement = (
        f"INSERT INTO {plain_votes.name} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"
    )
    stamp = plain_votes.c.received_at.type.bind_processor(engine.dialect)
    at = stamp(now) if stamp is not None else now
    started = time.perf_counter()
    for number, batch in enumerate(batches):
        tuples = [
            (
                prepared.window_id,
                "online",
                f"partner:telco:{v['voter']}",
                v["couple"],
                1,
                v["key"],
                0,
                None,
                at,
                number,
            )
            for v in batch
        ]
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            if engine.dialect.name == "sqlite":
                cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(statement, tuples)
            connection.commit()
        finally:
            connection.close()
    raw_seconds = time.perf_counter() - started
    engine.dispose()
    return {"gateway": rows / gateway_seconds, "plain": rows / plain_seconds, "raw": rows / raw_seconds}


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    server = make_url(normalize_url(server_url))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "mb_bench_votes" WITH (FORCE)'))
        connection.execute(text('CREATE DATABASE "mb_bench_votes"'))
    try:
        yield server.set(database="mb_bench_votes").render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text('DROP DATABASE IF EXISTS "mb_bench_votes" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs; figures are medians")
    parser.add_argument("--duration", type=int, default=10, help="seconds per HTTP measurement")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--sqlite-workers", type=int, default=1, help="uvicorn workers on SQLite (a single-writer database)"
    )
    parser.add_argument("--postgres-workers", type=int, default=2, help="uvicorn workers on PostgreSQL")
    parser.add_argument("--batches", type=int, default=10, help="gateway batches per run")
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("MIRRORBALL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"),
        help="PostgreSQL server for the gateway bench ('' to skip)",
    )
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-gateway", action="store_true")
    args = parser.parse_args()

    http: dict[str, list[dict[str, dict[str, float]]]] = {"sqlite": [], "postgresql": []}
    gateway: dict[str, list[dict[str, float]]] = {"sqlite": [], "postgresql": []}
    with tempfile.TemporaryDirectory(prefix="mb-bench-") as tmp:
        work = Path(tmp)
        for run in range(args.runs):
            if not args.skip_http:
                sqlite_url = str(work / f"http-{run}.sqlite3")
                http["sqlite"].append(
                    http_run(sqlite_url, args.sqlite_workers, args.duration, args.connections, run, work)
                )
                if args.postgres:
                    with postgres_database(args.postgres) as url:
                        http["postgresql"].append(
                            http_run(url, args.postgres_workers, args.duration, args.connections, run, work)
                        )
                latest = {backend: runs[-1:] for backend, runs in http.items()}
                print(f"run {run + 1}: http {summary_http(latest)}", flush=True)
            if not args.skip_gateway:
                batches = batches_of(run, args.batches, args.batch_size)
                gateway["sqlite"].append(gateway_run(str(work / f"gateway-{run}.sqlite3"), batches, work))
                if args.postgres:
                    with postgres_database(args.postgres) as url:
                        gateway["postgresql"].append(gateway_run(url, batches, work))
                latest_gateway = {backend: runs[-1:] for backend, runs in gateway.items()}
                print(f"run {run + 1}: gateway {summary_gateway(latest_gateway)}", flush=True)
    print()
    print(
        f"== medians of {args.runs} run(s); {os.cpu_count()} CPUs; {args.connections} connections; "
        f"workers: SQLite {args.sqlite_workers}, PostgreSQL {args.postgres_workers} (same for both endpoints)"
    )
    if not args.skip_http:
        print(summary_http(http))
    if not args.skip_gateway:
        print(summary_gateway(gateway))


def _median(values: list[float]) -> float:
    return statistics.median(values)


def summary_http(backends: dict[str, list[dict[str, dict[str, float]]]]) -> str:
    return "".join(_summary_http(backend, runs) for backend, runs in backends.items() if runs)


def _summary_http(backend: str, runs: list[dict[str, dict[str, float]]]) -> str:
    lines = [f"  single votes over HTTP, {backend}:"]
    for name in [n for n in ("bare", "vote", "insert") if n in runs[0]]:
        rps = _median([r[name]["rps"] for r in runs])
        p50 = _median([r[name]["p50"] for r in runs])
        p99 = _median([r[name]["p99"] for r in runs])
        non2xx = sum(r[name]["non2xx"] for r in runs)
        cpu = _median([r[name]["wrk_cpu"] for r in runs])
        server = _median([r[name]["server_us"] for r in runs])
        database = _median([r[name]["database_us"] for r in runs])
        lines.append(
            f"  {name:6} {rps:8.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
            f"non-2xx {non2xx:.0f}  wrk CPU {cpu:.2f} cores  CPU/request: server {server:4.0f} µs"
            + (f", database {database:4.0f} µs" if backend == "postgresql" else "")
        )
    ratio = _median([r["vote"]["rps"] / r["bare"]["rps"] for r in runs])
    p99 = _median([r["vote"]["p99"] for r in runs])
    ledger = all(r["vote"]["ledger_ok"] for r in runs)
    lines.append(
        f"  vote/bare throughput ratio {ratio:.2f} ({_verdict(ratio >= SINGLE_TARGET)} ≥ {SINGLE_TARGET}), "
        f"vote p99 {p99:.1f} ms ({_verdict(p99 < P99_TARGET_MS)} < {P99_TARGET_MS} ms); "
        f"every acknowledged vote in the ledger: {ledger}"
    )
    if "insert" in runs[0]:
        plain = _median([r["insert"]["rps"] / r["bare"]["rps"] for r in runs])
        versus = _median([r["vote"]["rps"] / r["insert"]["rps"] for r in runs])
        stored = all(r["insert"]["stored_ok"] for r in runs)
        lines.append(
            f"  control: one plain INSERT per request reaches {plain:.2f} of bare"
            f" (every row stored: {stored}); the vote endpoint {versus:.2f} of that"
        )
        # The database server shares this machine's CPUs with the server and wrk, and the bare run
        # keeps them all busy: a vote endpoint whose own server work cost no more than bare's would
        # still spend the database's CPU per vote, on the same cores.
        ceiling = _median([_ceiling(r) for r in runs])
        lines.append(
            f"  ceiling on this machine: a vote endpoint that cost the server no more than bare, plus the"
            f" database's CPU per vote, would reach {ceiling:.2f} of bare"
        )
    return "\n" + "\n".join(lines)


def _ceiling(run: dict[str, dict[str, float]]) -> float:
    bare = run["bare"]
    per_request = bare["server_us"] + bare["wrk_cpu"] / bare["rps"] * 1e6  # µs of CPU a bare request
    return per_request / (per_request + run["vote"]["database_us"])


def _verdict(met: bool) -> str:
    return "target met:" if met else "target NOT met:"


def summary_gateway(gateway: dict[str, list[dict[str, float]]]) -> str:
    lines = []
    for backend, runs in gateway.items():
        if runs:
            g = _median([r["gateway"] for r in runs])
            p = _median([r["plain"] for r in runs])
            ratio = _median([r["gateway"] / r["plain"] for r in runs])
            raw = _median([r["raw"] for r in runs])
            raw_ratio = _median([r["gateway"] / r["raw"] for r in runs])
            lines.append(
                f"  {backend:10} gateway {g:8.0f} votes/s  plain INSERT {p:8.0f} rows/s  ratio {ratio:.2f}"
                f" ({_verdict(ratio >= GATEWAY_TARGET)} ≥ {GATEWAY_TARGET})\n"
                f"  {'':10} {'':23}  through the driver alone {raw:8.0f} rows/s: ratio {raw_ratio:.2f}"
            )
    return "\n" + "\n".join(lines)


if __name__ == "__main__":
    main()
