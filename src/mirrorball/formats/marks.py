"""A round's marks as read from a file, before any rule is applied.

Three shapes of round reach the scrutineer's desk: a final where every judge ranked every couple in every
dance (`FinalMarks`), a final known only by its per-dance places (`DancePlacesMarks`, how old result sheets
are published), and a recall round of X marks (`RecallMarks`). Readers (`marks_json`, `marks_csv`) build
these and check only the *shape* of the file (every row complete, numbers where numbers belong); whether
the marks obey the rules (no duplicate rank, the right number of X's) is the scoring engine's call, so
the error a scrutineer sees for a wrong mark always comes from one place and names judge, dance and couple.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeAlias

from mirrorball.formats.errors import InputError
from mirrorball.scoring import Place

InputFormat = Literal["json", "csv"]

#: The name a single-dance final gets when its file names no dance (the vectors' single_dance cases).
DEFAULT_DANCE = "Dance"

#: How standard input is named in error messages.
STDIN = "<stdin>"


@dataclass(frozen=True)
class FinalMarks:
    """Every judge's rank (1..N) for every couple in every dance of a final.

    `ranks[dance][couple]` lists one rank per judge, in the order of `judges`. Couples keep file order.
    """

    judges: tuple[str, ...]
    dances: tuple[str, ...]
    ranks: Mapping[str, Mapping[str, tuple[int, ...]]]

    @property
    def couples(self) -> tuple[str, ...]:
        return tuple(self.ranks[self.dances[0]])


@dataclass(frozen=True)
class DancePlacesMarks:
    """A multi-dance final given only by each couple's place in each dance (Rule 9 onwards)."""

    dances: tuple[str, ...]
    places: Mapping[str, Mapping[str, Place]]

    @property
    def couples(self) -> tuple[str, ...]:
        return tuple(self.places[self.dances[0]])


@dataclass(frozen=True)
class RecallMarks:
    """X marks of a recall round: `crosses[dance][couple]` has one bool per judge.

    `recall` is the number of couples the Chairman asked for (None when the file does not say and the
    command line must).
    """

    judges: tuple[str, ...]
    dances: tuple[str, ...]
    crosses: Mapping[str, Mapping[str, tuple[bool, ...]]]
    recall: int | None

    @property
    def couples(self) -> tuple[str, ...]:
        return tuple(self.crosses[self.dances[0]])


RoundMarks: TypeAlias = FinalMarks | DancePlacesMarks | RecallMarks


def input_format_for(name: str, given: str | None) -> InputFormat:
    """The format named on the command line, else the one the file name's extension says."""
    choice = (given or Path(name).suffix.lstrip(".")).lower()
    if choice in ("json", "csv"):
        return choice  # type: ignore[return-value]
    if given:
        raise InputError(f"unknown input format {given!r} (use json or csv)", source=name)
    raise InputError(
        "cannot tell the format from the file name: name it .json or .csv, or give --input-format",
        source=name,
    )


def parse_marks(text: str, *, source: str, input_format: InputFormat) -> RoundMarks:
    """Read a round's marks from the text of a JSON or CSV file; `source` names it in errors."""
    # Imported here: each reader imports this module for the data classes.
    from mirrorball.formats import marks_csv, marks_json

    if input_format == "json":
        return marks_json.parse(text, source=source)
    return marks_csv.parse(text, source=source)


def read_marks(path: str, *, input_format: str | None = None, stdin_text: str | None = None) -> RoundMarks:
    """Read a file (or standard input when `path` is "-", whose text is `stdin_text`)."""
    if path == "-":
        text = (stdin_text or "").removeprefix("\ufeff")
        fmt = input_format_for(STDIN, input_format) if input_format else _sniff(text)
        return parse_marks(text, source=STDIN, input_format=fmt)
    fmt = input_format_for(path, input_format)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", source=path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV", source=path) from None
    return parse_marks(text, source=path, input_format=fmt)


def _sniff(text: str) -> InputFormat:
    """Standard input has no file name: JSON starts with '{' (or '['), anything else is taken as CSV."""
    return "json" if text.lstrip().startswith(("{", "[")) else "csv"


def check_same_couples(by_dance: Mapping[str, Mapping[str, object]], *, source: str) -> None:
    """Every dance of a round must list the same couples: a couple missing from one dance is a gap in the
    file (a row not typed), reported before the engine sees a final with a hole in it."""
    dances = list(by_dance)
    if not dances:
        raise InputError("no marks at all", source=source)
    first = dances[0]
    expected = set(by_dance[first])
    for dance in dances[1:]:
        got = set(by_dance[dance])
        if missing := sorted(expected - got):
            raise InputError(
                f"couple {missing[0]} has marks in {first} but none in {dance}", source=source, field=dance
            )
        if extra := sorted(got - expected):
            raise InputError(
                f"couple {extra[0]} has marks in {dance} but none in {first}", source=source, field=dance
            )
