"""A real uvicorn server in a background thread, for what TestClient cannot do (endless SSE streams)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run `app` on a free local port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        # Open event streams never end by themselves: ask once, then force.
        server.should_exit = True
        thread.join(timeout=3)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout=5)


class SSEReader:
    """Reads `event:`/`data:` messages from an open httpx stream, skipping comments."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.last_id: str | None = None  # the `id:` of the last event read, as EventSource keeps it

    def wait_connected(self) -> None:
        """Until the server's ": connected" comment: from then on, every event is queued for us."""
        for line in self._lines:
            if line.startswith(": connected"):
                return
        raise EOFError("stream ended")

    def next_event(self) -> tuple[str, str]:
        kind, data = "message", ""
        for line in self._lines:
            if line.startswith(":"):
                continue
            if line.startswith("id:"):
                self.last_id = line.partition(":")[2].strip()
            elif line.startswith("event:"):
                kind = line.partition(":")[2].strip()
            elif line.startswith("data:"):
                data = line.partition(":")[2].strip()
            elif line == "" and data:
                return kind, data
        raise EOFError("stream ended")
