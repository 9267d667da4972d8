"""`mirrorball serve` as a real subprocess, for tests that need separate processes or a hard kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from tests.server.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]


class ServerProcess:
    def __init__(self, db_url: str, *, workers: int = 1) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.output: list[str] = []
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mirrorball",
                "serve",
                "--db",
                db_url,
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            start_new_session=True,  # a SIGKILL of the group takes uvicorn's worker processes too
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._wait_healthy()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited:\n" + "".join(self.output))
            try:
                if httpx.get(f"{self.base}/api/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not come up:\n" + "".join(self.output))

    @property
    def admin_link_token(self) -> str | None:
        for line in self.output:
            if "/signin?token=" in line:
                return line.strip().partition("token=")[2]
        return None

    def kill(self) -> None:
        """SIGKILL, no shutdown: as if the power went."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def running(db_url: str, *, workers: int = 1) -> Iterator[ServerProcess]:
    server = ServerProcess(db_url, workers=workers)
    try:
        yield server
    finally:
        server.stop()
