"""Properties: any valid round renders in every format, and every format shows the engine's places."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from mirrorball.formats.marks import FinalMarks, RecallMarks
from mirrorball.scoring import CutPolicy, FinalResult, RecallResult
from mirrorball.service.tabulate import tabulate
from mirrorball.sheets import FORMATS, render


@st.composite
def finals(draw: st.DrawFn) -> FinalMarks:
    couples = [str(c) for c in range(1, draw(st.integers(2, 7)) + 1)]
    judges = tuple("ABCDEFG"[: draw(st.integers(1, 7))])
    dances = ("W", "T", "F", "Q")[: draw(st.integers(1, 4))]
    ranks = {}
    for dance in dances:
        # Few distinct permutations make ties (shared places, Rule 10, Rule 11) common.
        columns = [
            draw(
                st.sampled_from([list(range(1, len(couples) + 1)), list(range(len(couples), 0, -1))])
                if draw(st.booleans())
                else st.permutations(range(1, len(couples) + 1))
            )
            for _ in judges
        ]
        ranks[dance] = {c: tuple(column[i] for column in columns) for i, c in enumerate(couples)}
    return FinalMarks(judges=judges, dances=dances, ranks=ranks)


@st.composite
def recalls(draw: st.DrawFn) -> RecallMarks:
    couples = [str(c) for c in range(10, 10 + draw(st.integers(2, 12)))]
    judges = tuple("ABCDE"[: draw(st.integers(1, 5))])
    requested = draw(st.integers(1, len(couples)))
    dances = ("Samba", "Jive")[: draw(st.integers(1, 2))]
    crosses = {}
    for dance in dances:
        chosen = [set(draw(st.permutations(couples))[:requested]) for _ in judges]
        crosses[dance] = {c: tuple(c in marked for marked in chosen) for c in couples}
    return RecallMarks(judges=judges, dances=dances, crosses=crosses, recall=requested)


@settings(max_examples=60, deadline=None)
@given(finals(), st.sampled_from(["decimal", "range"]))
def test_every_final_renders_and_every_format_agrees_with_the_engine(marks: FinalMarks, style: str) -> None:
    result = tabulate(marks)
    sheets = {fmt: render(result, fmt, places=style) for fmt in FORMATS}  # type: ignore[arg-type]
    body = json.loads(sheets["json"])
    assert body["places"] == {c: p.as_number() for c, p in result.places.items()}
    rows = list(csv.reader(io.StringIO(sheets["csv"])))
    title = "# Summary" if isinstance(result, FinalResult) else f"# {marks.dances[0]}:"
    start = next(i for i, row in enumerate(rows) if row and row[0].startswith(title))
    header = rows[start + 1]
    shown = {row[0]: row[header.index("Place")] for row in rows[start + 2 : start + 2 + len(result.places)]}
    assert shown == {c: p.format(style) for c, p in result.places.items()}  # type: ignore[arg-type]
    for couple in result.places:
        assert f'<td class="couple">{couple}</td>' in sheets["html"]
    assert sheets["text"].count("=\n") == len(marks.dances) + (len(marks.dances) > 1)


@settings(max_examples=40, deadline=None)
@given(recalls(), st.sampled_from(list(CutPolicy)))
def test_every_recall_renders_and_marks_exactly_the_recalled(marks: RecallMarks, policy: CutPolicy) -> None:
    result = tabulate(marks, cut_policy=policy)
    assert isinstance(result, RecallResult)
    sheets = {fmt: render(result, fmt) for fmt in FORMATS}  # type: ignore[arg-type]
    rows = list(csv.reader(io.StringIO(sheets["csv"])))
    header = rows[1]
    marked = {row[0]: row[header.index("Recalled")] for row in rows[2 : 2 + len(result.couples)]}
    if result.resolved:
        assert {c for c, m in marked.items() if m == "R"} == set(result.recalled)
        assert json.loads(sheets["json"])["recalled"] == list(result.recalled)
    else:
        assert {c for c, m in marked.items() if m in ("R", "?")} == set(result.options[-1].recalled)
        assert "THE CHAIRMAN MUST CHOOSE" in sheets["text"]
