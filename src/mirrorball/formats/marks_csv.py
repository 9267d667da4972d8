"""Marks as CSV: what a scrutineer types into a spreadsheet, one row per couple per dance.

```
# recall: 6
dance,couple,A,B,C,D,E
Waltz,25,1,1,2,5,3
```

- A heading row names the columns: `dance` (optional: leave it out for a single dance), `couple`, then one
  column per judge, headed by the judge's label. A final has ranks (1..N) in the judge columns; a recall
  round has `X` where the judge marked the couple and an empty cell where not.
- A final known only by its places in each dance has the columns `dance,couple,place` (places as `2`,
  `2.5` or `2-3`).
- Lines starting with `#` are comments, except `# recall: N` (the number of couples asked for in a recall
  round) and `# kind: final|recall|places` (to say what the file is when the cells cannot tell).

What spreadsheets do is forgiven: a byte-order mark, CRLF line ends, `;` or tab instead of `,`, spaces
around values, empty rows and trailing empty columns. What a person might have got wrong is not: a
missing rank, a word where a rank belongs, a row for the same couple and dance twice, a value under no
heading. Those are `InputError`s naming the file, line and column; ranks that break the rules (a
duplicate, out of range) are refused by the scoring engine, naming judge, dance and couple.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction

from mirrorball.formats.errors import InputError
from mirrorball.formats.marks import (
    DEFAULT_DANCE,
    DancePlacesMarks,
    FinalMarks,
    RecallMarks,
    RoundMarks,
    check_same_couples,
)
from mirrorball.scoring import Place

KINDS = ("final", "recall", "places")
_SETTING = re.compile(r"^#\s*(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*?)\s*$")
_CROSS = ("x", "X")


@dataclass
class _Row:
    line: int
    dance: str
    couple: str
    cells: list[str]


@dataclass
class _Sheet:
    """The rows of the file, split from the settings and checked for shape only."""

    source: str
    settings: dict[str, tuple[int, str]] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)

    def fail(self, problem: str, line: int | None = None, column: str | None = None) -> InputError:
        return InputError(problem, source=self.source, line=line, field=column)


def parse(text: str, *, source: str) -> RoundMarks:
    sheet = _read_sheet(text.removeprefix("\ufeff"), source)
    kind = _kind(sheet)
    if kind == "places":
        return _places(sheet)
    if kind == "recall":
        return _recall(sheet)
    return _final(sheet)


def dumps(marks: RoundMarks) -> str:
    """Write a round in the form `parse` reads back (LF line ends; spreadsheets take either)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if isinstance(marks, RecallMarks):
        if marks.recall is not None:
            out.write(f"# recall: {marks.recall}\n")
        else:
            out.write("# kind: recall\n")
        writer.writerow(["dance", "couple", *marks.judges])
        for dance in marks.dances:
            for couple, row in marks.crosses[dance].items():
                writer.writerow([dance, couple, *("X" if x else "" for x in row)])
    elif isinstance(marks, DancePlacesMarks):
        writer.writerow(["dance", "couple", "place"])
        for dance in marks.dances:
            for couple, place in marks.places[dance].items():
                # "2-3" is exact where "2.5" is not: 2.5 may also be 1-4 shared by four.
                writer.writerow([dance, couple, place.format("range")])
    else:
        writer.writerow(["dance", "couple", *marks.judges])
        for dance in marks.dances:
            for couple, ranks in marks.ranks[dance].items():
                writer.writerow([dance, couple, *ranks])
    return out.getvalue()


def _delimiter(text: str) -> str:
    """The heading row's separator: German spreadsheets write `;`, some exports use tabs."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            counts = {sep: line.count(sep) for sep in (",", ";", "\t")}
            best = max(counts, key=lambda sep: counts[sep])
            return best if counts[best] else ","
    return ","


def _records(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        for cells in reader:
            yield reader.line_num, [cell.strip() for cell in cells]
    except csv.Error as exc:
        raise InputError(f"not readable as CSV: {exc}", source=source, line=reader.line_num) from None


def _read_sheet(text: str, source: str) -> _Sheet:
    sheet = _Sheet(source)
    seen: dict[tuple[str, str], int] = {}
    for line, cells in _records(text, source):
        while cells and not cells[-1]:  # trailing empty columns, and empty rows altogether
            cells.pop()
        if not cells:
            continue
        if cells[0].startswith("#"):
            _setting(sheet, line, cells)
        elif not sheet.columns:
            sheet.columns = _heading(sheet, line, cells)
        else:
            row = _row(sheet, line, cells)
            key = (row.dance, row.couple)
            if key in seen:
                raise sheet.fail(
                    f"couple {row.couple} in {row.dance} already has a row (line {seen[key]})", line, "couple"
                )
            seen[key] = line
            sheet.rows.append(row)
    if not sheet.columns:
        raise sheet.fail("no heading row (dance,couple,A,B,…) and no marks")
    if not sheet.rows:
        raise sheet.fail("a heading row but no marks under it")
    return sheet


def _setting(sheet: _Sheet, line: int, cells: list[str]) -> None:
    # A spreadsheet may split "# recall: 6, to be confirmed" into cells; a setting lives in the first one.
    match = _SETTING.match(cells[0])
    if match and match["key"].lower() in ("recall", "kind"):
        sheet.settings[match["key"].lower()] = (line, match["value"])


def _heading(sheet: _Sheet, line: int, cells: list[str]) -> list[str]:
    columns = [cell.lower() if cell.lower() in ("dance", "couple", "place") else cell for cell in cells]
    if "couple" not in columns:
        raise sheet.fail(f"the heading row has no 'couple' column (it reads: {','.join(cells)})", line)
    for i, name in enumerate(columns):
        if not name:
            raise sheet.fail(f"column {i + 1} has no heading", line)
        if name in columns[:i]:
            raise sheet.fail(f"two columns are headed {name!r}", line, name)
    judges = [c for c in columns if c not in ("dance", "couple", "place")]
    if "place" in columns and judges:
        raise sheet.fail("a file gives either a place per couple or judges' marks, not both", line, judges[0])
    if "place" not in columns and not judges:
        raise sheet.fail("the heading row names no judges (dance,couple,A,B,C,…)", line)
    return columns


def _row(sheet: _Sheet, line: int, cells: list[str]) -> _Row:
    columns = sheet.columns
    if len(cells) > len(columns):
        raise sheet.fail(
            f"a value ({cells[len(columns)]!r}) in column {len(columns) + 1}, which has no heading", line
        )
    cells = cells + [""] * (len(columns) - len(cells))  # spreadsheets drop trailing empty cells
    named = dict(zip(columns, cells, strict=True))
    couple = named["couple"]
    if not couple:
        raise sheet.fail("no couple number", line, "couple")
    dance = named.get("dance", DEFAULT_DANCE)
    if not dance:
        raise sheet.fail("no dance name", line, "dance")
    marks = [named[c] for c in columns if c not in ("dance", "couple")]
    return _Row(line=line, dance=dance, couple=couple, cells=marks)


def _judges(sheet: _Sheet) -> tuple[str, ...]:
    return tuple(c for c in sheet.columns if c not in ("dance", "couple"))


def _kind(sheet: _Sheet) -> str:
    line, given = sheet.settings.get("kind", (None, ""))
    if given:
        if given.lower() not in KINDS:
            raise sheet.fail(f"unknown kind {given!r} (use one of {', '.join(KINDS)})", line, "kind")
        return given.lower()
    if "place" in sheet.columns:
        return "places"
    if "recall" in sheet.settings or any(cell in _CROSS for row in sheet.rows for cell in row.cells):
        return "recall"
    return "final"


def _by_dance(sheet: _Sheet) -> dict[str, dict[str, _Row]]:
    by_dance: dict[str, dict[str, _Row]] = {}
    for row in sheet.rows:
        by_dance.setdefault(row.dance, {})[row.couple] = row
    check_same_couples(by_dance, source=sheet.source)
    return by_dance


def _final(sheet: _Sheet) -> FinalMarks:
    judges = _judges(sheet)
    ranks: dict[str, dict[str, tuple[int, ...]]] = {}
    for dance, rows in _by_dance(sheet).items():
        ranks[dance] = {}
        for couple, row in rows.items():
            values = []
            for judge, cell in zip(judges, row.cells, strict=True):
                if not cell:
                    raise sheet.fail(f"no rank for couple {couple} in {dance}", row.line, judge)
                if not cell.isdigit():
                    raise sheet.fail(f"a rank is a whole number, not {cell!r}", row.line, judge)
                values.append(int(cell))
            ranks[dance][couple] = tuple(values)
    return FinalMarks(judges=judges, dances=tuple(ranks), ranks=ranks)


def _recall(sheet: _Sheet) -> RecallMarks:
    judges = _judges(sheet)
    crosses: dict[str, dict[str, tuple[bool, ...]]] = {}
    for dance, rows in _by_dance(sheet).items():
        crosses[dance] = {}
        for couple, row in rows.items():
            for judge, cell in zip(judges, row.cells, strict=True):
                if cell and cell not in _CROSS:
                    raise sheet.fail(f"a recall mark is X or an empty cell, not {cell!r}", row.line, judge)
            crosses[dance][couple] = tuple(cell in _CROSS for cell in row.cells)
    recall = None
    if "recall" in sheet.settings:
        line, text = sheet.settings["recall"]
        if not text.isdigit() or int(text) < 1:
            raise sheet.fail(
                f"the number of couples to recall is a whole number, not {text!r}", line, "recall"
            )
        recall = int(text)
    return RecallMarks(judges=judges, dances=tuple(crosses), crosses=crosses, recall=recall)


def _places(sheet: _Sheet) -> DancePlacesMarks:
    places: dict[str, dict[str, Place]] = {}
    for dance, rows in _by_dance(sheet).items():
        places[dance] = {couple: _place(sheet, row) for couple, row in rows.items()}
    return DancePlacesMarks(dances=tuple(places), places=places)


def _place(sheet: _Sheet, row: _Row) -> Place:
    """'2', '2.5', '2,5' (a German decimal comma, in a `;` file) or '2-3' (a shared place, 2.5)."""
    text = row.cells[0].replace(",", ".")
    match = re.fullmatch(r"(\d+)\s*-\s*(\d+)", text)
    try:
        if match:
            return Place(int(match[1]), int(match[2]))
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return Place.from_value(Fraction(text))
    except ValueError:
        pass
    raise sheet.fail(f"a place is a number like 2, 2.5 or 2-3, not {row.cells[0]!r}", row.line, "place")
