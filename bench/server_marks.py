"""How fast the server takes judges' sheets: a real uvicorn server, tablets in parallel threads.

Each sheet is one HTTP request that validates the marks with the engine, stores them, appends to the
hash-chained audit log and commits durably (SQLite: WAL + synchronous=FULL). Prints sheets per second
and the median and 95th-percentile latency per backend, and PostgreSQL's figures relative to SQLite's
when MIRRORBALL_TEST_POSTGRES names a server.

    PYTHONPATH=src python bench/server_marks.py [--sheets 180] [--tablets 8]
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mirrorball.service import auth
from mirrorball.store.db import normalize_url, transaction
from mirrorball.web.app import create_app
from mirrorball.web.settings import Settings


def _serve(db_url: str) -> tuple[str, Any, uvicorn.Server, threading.Thread]:
    app = create_app(Settings(db_url=db_url))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", app, server, thread


def _token(app: Any, role: str, seat_id: int | None = None) -> str:
    with transaction(app.state.mirrorball.sessions) as session:
        token, _ = auth.open_session(session, role=role, seat_id=seat_id, ttl=timedelta(hours=1))
    return token


def run(db_url: str, sheets: int, tablets: int) -> dict[str, float]:
    base, app, server, thread = _serve(db_url)
    admin = httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {_token(app, 'admin')}"}, timeout=60
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
    headers = {
        s["judge"]: {"Authorization": f"Bearer {_token(app, 'judge', s['seat_id'])}"} for s in panel["seats"]
    }
    work = [(j, d) for d in dances for j in judges][:sheets]

    def submit(item: tuple[str, str]) -> float:
        judge, dance = item
        offset = (judges.index(judge) * 5 + dances.index(dance)) % 48
        body = {"dance": dance, "recalls": sorted((offset + k) % 48 + 1 for k in range(24))}
        start = time.perf_counter()
        response = httpx.post(
            f"{base}/api/rounds/{round_['id']}/marks", json=body, headers=headers[judge], timeout=60
        )
        assert response.status_code == 201, response.text
        return time.perf_counter() - start

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=tablets) as pool:
        latencies = sorted(pool.map(submit, work))
    elapsed = time.perf_counter() - started
    server.should_exit = True
    thread.join(timeout=30)  # closes the database connections before the benchmark drops the database
    return {
        "sheets/s": len(work) / elapsed,
        "median ms": statistics.median(latencies) * 1000,
        "p95 ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=180, help="at most 180 (9 judges × 20 dances)")
    parser.add_argument("--tablets", type=int, default=8)
    args = parser.parse_args()
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        figures["sqlite"] = run(normalize_url(str(Path(tmp) / "bench.sqlite3")), args.sheets, args.tablets)
    server_url = os.environ.get("MIRRORBALL_TEST_POSTGRES")
    if server_url:
        admin = create_engine(make_url(normalize_url(server_url)), isolation_level="AUTOCOMMIT")
        name = f"mb_bench_{secrets.token_hex(4)}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(normalize_url(server_url)).set(database=name).render_as_string(hide_password=False)
            figures["postgres"] = run(url, args.sheets, args.tablets)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()
    print(f"{args.sheets} sheets from {args.tablets} tablets (each: validate, store, audit, durable commit)")
    for backend, values in figures.items():
        print(f"  {backend:9} " + "  ".join(f"{key} {value:8.1f}" for key, value in values.items()))
    if "postgres" in figures:
        ratio = figures["postgres"]["sheets/s"] / figures["sqlite"]["sheets/s"]
        print(f"  postgres/sqlite throughput ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
