"""docs/voting.md's walkthrough, run exactly as written (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

DOC = Path(__file__).resolve().parents[2] / "docs" / "voting.md"


def test_the_walkthrough_in_docs_voting_md_runs(
    client: TestClient, admin: dict[str, str], codes_file: Path
) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks, "docs/voting.md has a python walkthrough"

    def read_code(email: str) -> str:
        codes = [json.loads(line) for line in codes_file.read_text().splitlines()]
        return str([c["code"] for c in codes if c["email"] == email][-1])

    for block in blocks:
        exec(compile(block, str(DOC), "exec"), {"client": client, "admin": admin, "read_code": read_code})
