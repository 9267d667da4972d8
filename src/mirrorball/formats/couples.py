"""Reading a couples list (CSV) for import: number, leader, follower, studio, country.

Every problem in the file is reported, each with its line and field, so the organizer fixes the file
once rather than once per error.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from mirrorball.formats.errors import InputError

COLUMNS = ("number", "leader", "follower", "studio", "country")
REQUIRED = ("number", "leader", "follower")
MAX_NUMBER = 99_999


@dataclass(frozen=True)
class CoupleRow:
    number: int
    leader: str
    follower: str
    studio: str = ""
    country: str = ""


class CouplesFileError(InputError):
    """Several problems at once; `problems` lists each (line, field, what)."""

    def __init__(self, problems: list[InputError]) -> None:
        self.problems = problems
        first = problems[0]
        count = f"{len(problems)} problems; first: " if len(problems) > 1 else ""
        super().__init__(f"{count}{first.problem}", source=first.source, line=first.line, field=first.field)


def parse_couples_csv(text: str, *, source: str = "couples.csv") -> list[CoupleRow]:
    """Rows of a CSV with a header naming at least number, leader and follower (any order)."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InputError(
            f"the header needs the columns {', '.join(REQUIRED)}", source=source, line=1, field=missing[0]
        )
    reader.fieldnames = header
    rows: list[CoupleRow] = []
    problems: list[InputError] = []
    seen: dict[int, int] = {}
    for line, raw in enumerate(reader, start=2):
        values = {key: (value or "").strip() for key, value in raw.items() if key in COLUMNS}
        if not any(values.values()):
            continue  # blank line
        number_text = values.get("number", "")
        if not (number_text.isdigit() and 0 < int(number_text) <= MAX_NUMBER):
            problems.append(
                InputError(
                    f"{number_text!r} is not a back number (1-{MAX_NUMBER})",
                    source=source,
                    line=line,
                    field="number",
                )
            )
            continue
        number = int(number_text)
        if number in seen:
            problems.append(
                InputError(
                    f"back number {number} is also on line {seen[number]}",
                    source=source,
                    line=line,
                    field="number",
                )
            )
            continue
        seen[number] = line
        empty = [name for name in ("leader", "follower") if not values.get(name)]
        if empty:
            problems.append(
                InputError("a couple needs a leader and a follower", source=source, line=line, field=empty[0])
            )
            continue
        rows.append(
            CoupleRow(
                number,
                values["leader"],
                values["follower"],
                values.get("studio", ""),
                values.get("country", ""),
            )
        )
    if problems:
        raise CouplesFileError(problems)
    if not rows:
        raise InputError("no couples in the file", source=source)
    return rows
