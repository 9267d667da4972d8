"""`mirrorball serve` on a fresh database: migrates, prints the one-time admin link, serves."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from tests.server.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_serve_on_a_fresh_sqlite_file_prints_a_working_one_time_admin_link(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mirrorball",
            "serve",
            "--db",
            str(tmp_path / "fresh.sqlite3"),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert process.stdout is not None
        link = ""
        for line in process.stdout:
            if "/signin?token=" in line:
                link = line.strip()
                break
        assert link.startswith(f"http://127.0.0.1:{port}/signin?token=")
        token = link.partition("token=")[2]
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.post(f"http://127.0.0.1:{port}/api/auth/signin", json={"token": token})
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["role"] == "admin"
        assert (
            httpx.post(f"http://127.0.0.1:{port}/api/auth/signin", json={"token": token}).status_code == 401
        )
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()["info"]["title"] == "mirrorball"
    finally:
        process.terminate()
        process.wait(timeout=15)
    assert (tmp_path / "fresh.sqlite3").exists()
