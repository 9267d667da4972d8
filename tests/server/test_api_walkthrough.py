"""docs/api.md, run as written: a 40-couple round, a semi-final, a five-dance final and a show week."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from tests.server.helpers import link_token
from tests.server.live_server import serving

from mirrorball.audit.verify import verify
from mirrorball.store.db import transaction

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"

pytestmark = pytest.mark.slow


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_walkthrough_runs_on_a_real_server(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 10
    with serving(app) as base:
        monkeypatch.setenv("MIRRORBALL_URL", base)
        monkeypatch.setenv("MIRRORBALL_ADMIN_TOKEN", link_token(app, "admin"))
        namespace: dict[str, object] = {"__name__": "walkthrough"}
        for number, block in enumerate(blocks, start=1):
            exec(compile(block, f"docs/api.md block {number}", "exec"), namespace)
    assert len(namespace["couples"]) == 40  # type: ignore[arg-type]
    assert len(namespace["final"]["dances"]) == 5  # type: ignore[index]
    with transaction(app.state.mirrorball.readers) as session:
        report = verify(session)
    assert report.ok, report.problems
    assert report.publications_checked == 5  # round 1, semi-final, final twice, show week 1
