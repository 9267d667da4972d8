"""How fast the server takes judges' sheets: a real uvicorn server process, tablets in parallel threads.

Each sheet is one HTTP request that validates the marks with the engine, stores them, appends to the
hash-chained audit log and commits durably (SQLite: WAL + synchronous=FULL). Prints sheets per second
and the median and 95th-percentile latency per backend, and PostgreSQL's figures relative to SQLite's
when MIRRORBALL_TEST_POSTGRES names a server.

The server runs in its own process (as in production), so the load generator never competes with it
for the GIL, and each tablet keeps one keep-alive connection, as a browser does. `--baseline REF`
also runs the same load against the server code of a git revision (e.g. `main`), alternating which
goes first, and prints the two side by side.

    PYTHONPATH=src python bench/server_marks.py [--sheets 180] [--tablets 8] [--runs 3] [--baseline main]
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mirrorball.service import auth
from mirrorball.store.db import make_engine, make_session_factory, normalize_url, transaction

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def _server(db_url: str, src: Path) -> Iterator[str]:
    """`uvicorn` on a free port, one worker, importing mirrorball from `src`."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(src), "MIRRORBALL_DB": db_url}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "mirrorball.web.app:app_from_env",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _token(db_url: str, role: str, seat_id: int | None = None) -> str:
    engine = make_engine(db_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            token, _ = auth.open_session(session, role=role, seat_id=seat_id, ttl=timedelta(hours=1))
    finally:
        engine.dispose()
    return token


def run(db_url: str, src: Path, sheets: int, tablets: int) -> dict[str, float]:
    with _server(db_url, src) as base:
        return _load(base, db_url, sheets, tablets)


def _load(base: str, db_url: str, sheets: int, tablets: int) -> dict[str, float]:
    admin = httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {_token(db_url, 'admin')}"}, timeout=60
    )
    judges = "ABCDEFGHI"
    dances = [f"Dance {n}" for n in range(1, min(20, -(-sheets // len(judges))) + 1)]  # an event has ≤ 20
    cid = admin.post("/api/competitions", json={"name": "Bench"}).json()["id"]
    rows = "\n".join(f"{n},L{n},F{n}" for n in range(1, 49))
    admin.post(f"/api/competitions/{cid}/couples/import", json={"csv": f"number,leader,follower\n{rows}\n"})
    admin.post(f"/api/competitions/{cid}/judges", json={"judges": [{"letter": j, "name": j} for j in judges]})
    panel = admin.post(f"/api/competitions/{cid}/panels", json={"name": "P", "judges": list(judges)}).json()
    event = admin.post(
        f"/api/competitions/{cid}/events", json={"name": "E", "dances": dances, "panel_id": panel["id"]}
    )
    round_ = admin.post(
        f"/api/events/{event.json()['id']}/rounds", json={"name": "R", "kind": "recall", "recall_target": 24}
    ).json()
    admin.post(f"/api/rounds/{round_['id']}/open")
    tablet = {
        s["judge"]: httpx.Client(
            base_url=base,
            headers={"Authorization": f"Bearer {_token(db_url, 'judge', s['seat_id'])}"},
            timeout=60,
        )
        for s in panel["seats"]
    }
    work = [(j, d) for d in dances for j in judges][:sheets]

    def submit(item: tuple[str, str]) -> float:
        judge, dance = item
        offset = (judges.index(judge) * 5 + dances.index(dance)) % 48
        body = {"dance": dance, "recalls": sorted((offset + k) % 48 + 1 for k in range(24))}
        start = time.perf_counter()
        response = tablet[judge].post(f"/api/rounds/{round_['id']}/marks", json=body)
        assert response.status_code == 201, response.text
        return time.perf_counter() - start

    for client in tablet.values():  # connect first: a tablet is signed in before the dance ends
        client.get("/api/auth/me")
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=tablets) as pool:
        latencies = sorted(pool.map(submit, work))
    elapsed = time.perf_counter() - started
    for client in [admin, *tablet.values()]:
        client.close()
    return {
        "sheets/s": len(work) / elapsed,
        "median ms": statistics.median(latencies) * 1000,
        "p95 ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


@contextmanager
def _source_of(ref: str) -> Iterator[Path]:
    """The `src` tree of git revision `ref`, unpacked in a temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "src.tar"
        subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), ref, "src"], check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / "src"


@contextmanager
def _databases(server_url: str | None) -> Iterator[dict[str, str]]:
    """A fresh database per backend: a SQLite file, and a new PostgreSQL database when one is named."""
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"sqlite": normalize_url(str(Path(tmp) / f"bench-{secrets.token_hex(4)}.sqlite3"))}
        if not server_url:
            yield urls
            return
        admin = create_engine(make_url(normalize_url(server_url)), isolation_level="AUTOCOMMIT")
        name = f"mb_bench_{secrets.token_hex(4)}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            urls["postgres"] = (
                make_url(normalize_url(server_url)).set(database=name).render_as_string(hide_password=False)
            )
            yield urls
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=180, help="at most 180 (9 judges × 20 dances)")
    parser.add_argument("--tablets", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1, help="report the median of this many runs")
    parser.add_argument("--baseline", metavar="REF", help="also measure the server code of this git revision")
    args = parser.parse_args()
    server_url = os.environ.get("MIRRORBALL_TEST_POSTGRES")
    samples: dict[tuple[str, str], list[dict[str, float]]] = {}
    with contextlib_nullable(args.baseline) as baseline_src:
        trees = {"this": ROOT / "src"}
        if baseline_src is not None:
            trees = {"baseline": baseline_src, **trees}
        for run_no in range(args.runs):
            order = list(trees.items())
            if run_no % 2:
                order.reverse()  # alternate which goes first: the machine is shared
            for name, src in order:
                with _databases(server_url) as urls:
                    for backend, url in urls.items():
                        samples.setdefault((name, backend), []).append(
                            run(url, src, args.sheets, args.tablets)
                        )
    load = os.getloadavg()
    print(
        f"{args.sheets} sheets from {args.tablets} tablets (each: validate, store, audit, durable commit);"
        f" medians of {args.runs} run(s); load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    figures = {
        key: {m: statistics.median(r[m] for r in runs) for m in runs[0]} for key, runs in samples.items()
    }
    for (name, backend), values in figures.items():
        label = f"{backend} ({name})" if baseline_src is not None else backend
        print(f"  {label:20} " + "  ".join(f"{key} {value:8.1f}" for key, value in values.items()))
    for backend in ("sqlite", "postgres"):
        if ("baseline", backend) in figures:
            before, after = figures[("baseline", backend)], figures[("this", backend)]
            print(
                f"  {backend}: throughput ×{after['sheets/s'] / before['sheets/s']:.1f},"
                f" median latency ×{after['median ms'] / before['median ms']:.2f} (this / baseline)"
            )
    if ("this", "postgres") in figures:
        ratio = figures[("this", "postgres")]["sheets/s"] / figures[("this", "sqlite")]["sheets/s"]
        print(f"  postgres/sqlite throughput ratio: {ratio:.2f}")


@contextmanager
def contextlib_nullable(ref: str | None) -> Iterator[Path | None]:
    if ref is None:
        yield None
        return
    with _source_of(ref) as src:
        yield src


if __name__ == "__main__":
    main()
