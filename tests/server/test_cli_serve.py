"""`mirrorball serve` on a fresh database: migrates, prints the one-time admin link, serves."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
from tests.server.live_server import free_port

from mirrorball.service.auth import sign_in_with_link
from mirrorball.store.db import make_engine, make_session_factory, transaction

ROOT = Path(__file__).resolve().parents[2]


def test_serve_on_a_fresh_sqlite_file_prints_a_working_one_time_admin_link_and_loads_the_demo(
    tmp_path: Path,
) -> None:
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
            "--demo",
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
        competitions = httpx.get(f"http://127.0.0.1:{port}/api/competitions").json()
        assert [c["kind"] for c in competitions] == ["dancesport", "show"]
    finally:
        process.terminate()
        process.wait(timeout=15)
    assert (tmp_path / "fresh.sqlite3").exists()


def test_admin_link_issues_a_one_time_link_from_the_console(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    db = str(tmp_path / "console.sqlite3")
    command = [
        sys.executable,
        "-m",
        "mirrorball",
        "admin",
        "link",
        "--db",
        db,
        "--role",
        "host",
        "--base-url",
        "https://venue.example",
    ]
    issued = subprocess.run(command, capture_output=True, text=True, env=env)
    assert issued.returncode == 0, issued.stderr
    url = issued.stdout.strip()
    assert url.startswith("https://venue.example/signin?token=")
    engine = make_engine(db)
    with transaction(make_session_factory(engine)) as session:
        _, opened = sign_in_with_link(session, url.partition("token=")[2], ttl=timedelta(hours=1))
        assert opened.role == "host"
    engine.dispose()
    wrong = subprocess.run([*command[:-4], "--role", "judge"], capture_output=True, text=True, env=env)
    assert wrong.returncode == 2 and "seat" in wrong.stderr and "Traceback" not in wrong.stderr
