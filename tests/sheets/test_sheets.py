"""Result sheets: they show what the engine decided, in every format, and nothing else."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from mirrorball.formats.marks_json import from_case
from mirrorball.scoring import DanceResult, FinalResult, RecallResult
from mirrorball.service.tabulate import tabulate
from mirrorball.sheets import render, to_dict


def _result(vectors: list[dict[str, Any]], case_id: str) -> Any:
    case = next(c for c in vectors if c["id"] == case_id)
    return tabulate(from_case(case, source=case_id))


def _text_table(sheet: str, title: str, caption: str | None = None) -> list[dict[str, str]]:
    """The rows of the first table on page `title` (after `caption`) of a text sheet, as dicts by heading.

    Splitting on two or more spaces works for finals, whose cells are never empty except at the end.
    """
    page = sheet.split(f"{title}\n{'=' * len(title)}\n", 1)[1]
    if caption:
        page = page.split(caption, 1)[1]
    lines = page.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Couple"))
    header = re.split(r" {2,}", lines[start].strip())
    rows = []
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        cells = re.split(r" {2,}", line.strip())
        # Right-aligned columns: only trailing cells (Rule, Place) can be empty, and they vanish at the end.
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    return rows


def test_text_sheet_of_beispiel_c_shows_the_rule_7_sum_where_104_beat_105(
    skating_vectors: list[dict[str, Any]],
) -> None:
    sheet = render(_result(skating_vectors, "tso-beispiel-c"), "text")
    rows = {row["Couple"]: row for row in _text_table(sheet, "Dance")}
    assert rows["104"]["1-3"] == "3 (7)*"  # the deciding cell, marked
    assert rows["105"]["1-3"] == "3 (9)*"
    assert rows["104"]["1-4"] == "-"  # not needed once 104 was placed
    assert rows["104"]["Place"] == "4"
    assert "'*' marks the cell that decided the place" in sheet


def test_text_sheets_print_the_engines_places_and_deciding_cells(
    skating_vectors: list[dict[str, Any]],
) -> None:
    for case in skating_vectors:
        if case["kind"] == "callback" or case.get("marks") is None:
            continue
        result = _result(skating_vectors, case["id"])
        sheet = render(result, "text", places="range")
        dances = [result] if isinstance(result, DanceResult) else list(result.dance_results.values())
        for dance in dances:
            for row in _text_table(sheet, dance.dance):
                couple = row["Couple"]
                assert row["Place"] == dance.places[couple].format("range"), (case["id"], couple)
                starred = [column for column in dance.columns if row[column].endswith("*")]
                deciding = [
                    c for c, cell in zip(dance.columns, dance.cells[couple], strict=True) if cell.deciding
                ]
                assert starred == deciding, (case["id"], dance.dance, couple)
        if isinstance(result, FinalResult):
            for row in _text_table(sheet, "Summary"):
                assert row["Place"] == result.places[row["Couple"]].format("range"), case["id"]


def test_the_summary_carries_the_rule_10_and_rule_11_tables(skating_vectors: list[dict[str, Any]]) -> None:
    result = _result(skating_vectors, "tso-beispiel-m")
    sheet = render(result, "text")
    rule10 = {
        row["Couple"]: row for row in _text_table(sheet, "Summary", "Rule 10: couples on a total of 27.5")
    }
    assert rule10["65"]["1-5"].startswith("2 (10)")  # two dances placed 5th or better, places 5 + 5
    rule11 = {row["Couple"]: row for row in _text_table(sheet, "Summary", "Rule 11 for place 5")}
    assert rule11["75"]["1-5"] == "17 (66)*" and rule11["65"]["1-5"] == "17 (68)*"
    assert rule11["75"]["Place"] == "5"


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections = 0
        self.tables = 0
        self.headings: list[str] = []
        self.deciding = 0
        self.external: list[str] = []
        self.style = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        self.sections += tag == "section" and "page" in classes
        self.tables += tag == "table"
        self.deciding += tag == "td" and "deciding" in classes
        self.external += [v for k, v in attrs if k in ("src", "href") and v]
        self._in = tag if tag in ("h1", "style") else None

    def handle_data(self, data: str) -> None:
        if self._in == "h1":
            self.headings.append(data.strip())
        elif self._in == "style":
            self.style += data

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def test_html_has_one_printable_page_per_dance_and_one_for_the_summary(
    skating_vectors: list[dict[str, Any]],
) -> None:
    result = _result(skating_vectors, "tso-beispiel-m")
    structure = _Structure()
    structure.feed(render(result, "html", title="Beispiel M"))
    assert structure.headings == [*result.dances, "Summary"]
    assert structure.sections == len(result.dances) + 1
    assert structure.tables == len(result.dances) + 1 + len(result.rule10) + len(result.rule11)
    deciding = sum(
        cell.deciding
        for table in (*result.dance_results.values(), *result.rule11)
        for row in table.cells.values()
        for cell in row
    ) + sum(len(step.awarded) for table in result.rule10 for step in table.steps)
    assert structure.deciding == deciding
    assert "@media print" in structure.style and "break-after: page" in structure.style
    assert structure.external == []  # self-contained: no stylesheet, script or font to fetch


def test_html_escapes_names_from_the_file() -> None:
    case = {
        "kind": "single_dance",
        "judges": ["A"],
        "dances": ["<b>Waltz</b>"],
        "marks": {"1": [1], "2": [2]},
    }
    page = render(tabulate(from_case(case, source="x")), "html")
    assert "<b>Waltz</b>" not in page and "&lt;b&gt;Waltz&lt;/b&gt;" in page


def test_csv_sheet_parses_back_to_the_places(skating_vectors: list[dict[str, Any]]) -> None:
    result = _result(skating_vectors, "tso-beispiel-m")
    rows = list(csv.reader(io.StringIO(render(result, "csv", places="range"))))
    summary = next(i for i, row in enumerate(rows) if row and row[0].startswith("# Summary"))
    header = rows[summary + 1]
    places = {}
    for row in rows[summary + 2 :]:
        if not row:
            break
        places[row[0]] = row[header.index("Place")]
    assert places == {c: p.format("range") for c, p in result.places.items()}
    firsts = [row[0] for row in rows if row]
    assert all(any(cell.startswith(f"# {dance}: ") for cell in firsts) for dance in result.dances)


def test_recall_sheet_marks_the_recalled_and_the_marks_needed(skating_vectors: list[dict[str, Any]]) -> None:
    result = _result(skating_vectors, "railskating-recall-single")
    assert isinstance(result, RecallResult)
    sheet = render(result, "text")
    assert f"Marks needed to be recalled: {result.min_marks}." in sheet
    lines = [line for line in sheet.splitlines() if line[:2].strip().isdigit()]
    recalled = {line.split()[0] for line in lines if line.rstrip().endswith(" R")}
    assert recalled == set(result.recalled)
    eighteen = next(line for line in lines if line.startswith("18 "))
    assert eighteen.count("X") == result.totals["18"]


def test_an_unresolved_recall_sheet_marks_the_tie_and_lists_the_options(
    skating_vectors: list[dict[str, Any]],
) -> None:
    result = _result(skating_vectors, "textbook-rule1-recall-tie")
    sheet = render(result, "text")
    lines = {line.split()[0]: line.rstrip() for line in sheet.splitlines() if line[:2].strip().isdigit()}
    assert {c for c, line in lines.items() if line.endswith("?")} == {"10", "12", "14"}
    assert {c for c, line in lines.items() if line.endswith("R")} == {"11", "15", "17", "18"}
    assert "THE CHAIRMAN MUST CHOOSE" in sheet


@pytest.mark.parametrize("kind", ["single_dance", "multi_dance", "callback"])
def test_json_export_has_the_documented_keys_and_is_plain_json(
    kind: str, skating_vectors: list[dict[str, Any]]
) -> None:
    for case in skating_vectors:
        if case["kind"] != kind:
            continue
        body = to_dict(tabulate(from_case(case, source=case["id"])))
        assert json.loads(json.dumps(body)) == body  # nothing a JSON encoder would choke on or change
        if kind == "callback":
            assert {"resolved", "cutoff_options"} <= body.keys()
            assert ("recalled" in body) == body["resolved"]
        else:
            assert {"places", "tabulation", "decisions"} <= body.keys()
            assert ("dance_places" in body) == (kind == "multi_dance")
            assert all(isinstance(c, str) for c in body["places"])
