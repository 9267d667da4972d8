"""Our JavaScript modules in a real browser against small stand-in endpoints: the judge's outbox
(static/js/outbox.js) and the live stream's reconnect (static/js/live.js).

The endpoint stands in for the marks API so the queue's own promises can be checked in isolation:
stored before sending, kept while offline, resent with the same idempotency key after a lost answer.
The full judge → server path is covered by the judge tablet tests on the real server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from pages_harness import serve

from mirrorball.web.pages import mount_pages

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="en"><head><title>outbox</title></head><body><main>
<p data-outbox-state data-pending="0"></p>
<script type="module">
import { Outbox } from "/static/js/outbox.js";
window.outbox = new Outbox("test", {
  onChange: (pending) => { document.querySelector("[data-outbox-state]").dataset.pending = pending.length; },
});
window.ready = true;
</script></main></body></html>"""


class Recorder:
    def __init__(self) -> None:
        self.requests: list[tuple[str, Any]] = []
        self.fail_next = 0


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()
    app = FastAPI()
    mount_pages(app)

    @app.get("/t/outbox", response_class=HTMLResponse)
    def page() -> str:
        return PAGE

    @app.post("/t/marks")
    async def marks(request: Request) -> JSONResponse:
        # Record first, then maybe "lose" the answer: the mark arrived but the tablet never heard.
        recorder.requests.append((request.headers.get("idempotency-key", ""), await request.json()))
        if recorder.fail_next:
            recorder.fail_next -= 1
            return JSONResponse({"detail": "busy"}, status_code=503)
        return JSONResponse({"ok": True}, status_code=201)

    with serve(app) as url:
        yield url, recorder


def open_outbox(context: Any, url: str) -> Any:
    page = context.new_page()
    page.goto(f"{url}/t/outbox")
    page.wait_for_function("window.ready === true")
    return page


def test_a_mark_made_offline_waits_in_storage_and_goes_out_when_back_online(context, site) -> None:
    url, recorder = site
    recorder.requests.clear()
    page = open_outbox(context, url)
    context.set_offline(True)
    page.evaluate("outbox.enqueue('/t/marks', {dance_id: 7, recalled: [101, 102]}, 'Samba')")
    page.wait_for_function("outbox.pending().length === 1")
    stored = page.evaluate("JSON.parse(localStorage.getItem('mirrorball.outbox.test')).pending")
    assert [item["body"] for item in stored] == [{"dance_id": 7, "recalled": [101, 102]}]
    assert recorder.requests == []

    # Closing the page while offline must not lose it either: the queue lives in storage, not in the page.
    page.close()
    context.set_offline(False)
    page = open_outbox(context, url)
    page.evaluate("outbox.flush()")
    page.wait_for_function("outbox.pending().length === 0")
    assert recorder.requests == [(stored[0]["key"], {"dance_id": 7, "recalled": [101, 102]})]


def test_a_lost_answer_is_retried_with_the_same_idempotency_key(context, site) -> None:
    url, recorder = site
    recorder.requests.clear()
    recorder.fail_next = 1
    page = open_outbox(context, url)
    page.evaluate("outbox.enqueue('/t/marks', {dance_id: 8, ranks: {'101': 1}}, 'Jive')")
    page.wait_for_function("outbox.pending().length === 0", timeout=15_000)
    keys = [key for key, _ in recorder.requests]
    assert len(keys) == 2
    assert keys[0] == keys[1] != ""


def test_a_refused_mark_leaves_the_queue_and_is_kept_for_the_judge_to_see(context, site) -> None:
    url, _ = site
    page = open_outbox(context, url)
    page.evaluate("outbox.enqueue('/t/nowhere', {dance_id: 9}, 'Rumba')")
    page.wait_for_function("outbox.pending().length === 0 && outbox.refused().length === 1")
    refused = page.evaluate("outbox.refused()[0]")
    assert refused["status"] == 404
    assert refused["label"] == "Rumba"


LIVE_PAGE = """<!doctype html><html lang="en"><head><title>live</title></head><body><main>
<span data-live-status></span>
<script type="module">
import { subscribe } from "/static/js/live.js";
window.opens = 0; window.pings = [];
const onOpen = () => { window.opens += 1; };
subscribe("/t/events", { ping: (data) => window.pings.push(data.n) }, { onOpen });
</script></main></body></html>"""


@pytest.fixture(scope="module")
def flaky_stream() -> Iterator[str]:
    """An event stream that ends, then refuses once (503: EventSource gives up), then works again."""
    app = FastAPI()
    mount_pages(app)
    connections = {"n": 0}

    @app.get("/t/live", response_class=HTMLResponse)
    def page() -> str:
        return LIVE_PAGE

    @app.get("/t/events")
    async def events() -> Any:
        connections["n"] += 1
        n = connections["n"]
        if n == 2:
            return JSONResponse({"detail": "restarting"}, status_code=503)

        async def stream() -> Any:
            yield f'retry: 100\nevent: ping\ndata: {{"n": {n}}}\n\n'

        return StreamingResponse(stream(), media_type="text/event-stream")

    with serve(app) as url:
        yield url


def test_the_live_stream_reconnects_even_after_the_browser_gives_up(context, flaky_stream) -> None:
    page = context.new_page()
    page.goto(f"{flaky_stream}/t/live")
    # Connection 1 delivers ping 1 and ends; 2 is refused (the browser's EventSource closes for good);
    # live.js builds a new one, and connection 3 delivers ping 3.
    page.wait_for_function("window.pings.includes(3)", timeout=15_000)
    assert page.evaluate("window.opens") >= 2
    assert page.evaluate("window.pings")[:1] == [1]
