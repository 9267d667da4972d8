"""docs/scoring.md's example must run as written (DESIGN: documentation that matches the tests)."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"


def test_the_python_blocks_in_the_scoring_doc_run(capsys) -> None:  # type: ignore[no-untyped-def]
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert blocks, "docs/scoring.md has no python example"
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)
    printed = capsys.readouterr().out
    # The comment under the first print in the doc is what it really prints.
    assert "R7a 1-3 104 takes 4th: 3 marks of 1-3 like 105, but a lower sum (7 against 9 for 105)." in printed
