"""The results the skating engines return, with the full working behind them.

Every sheet, page and JSON export renders from these objects: they carry each number a scrutineer's
sheet prints (counts, sums, which cells a decision used, the Rule 10 and Rule 11 tables) and a decision
log in plain English. A renderer must never re-apply a rule; if it needs a number that is not here, the
number belongs here.

All results are frozen. Mappings are keyed by couple (its back number as a string) and keep the couples'
input order; fractions are exact (`fractions.Fraction`), rounded only by whoever displays them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from mirrorball.scoring.places import Place

#: Rule labels used in `Decision.rule`.
RULES = ("R1", "cut", "R5", "R6", "R7a", "R7b", "R7c", "R8", "R9", "R10a", "R10b", "R11")


@dataclass(frozen=True)
class Decision:
    """One step of the working, in the order the scrutineer takes it.

    ``rule``: "R5", "R6", "R7a", "R7b", "R7c", "R8" (single dance or Rule 11 table), "R9", "R10a",
    "R10b", "R11" (the final summary), "R1", "cut" (recalls).
    ``dance``: the dance for Rules 5–8, None for summary and recall decisions.
    ``place``: the place awarded (shared for R7c / an inseparable Rule 11 tie); None when the step awards
    nothing (R8 moving to the next column, R1 totals, an unresolved cut).
    ``column``: "1-3" for Rules 5–8 and 11 (the majority column that decided); for Rule 10 the place
    number p meaning "places p or better" (e.g. "3"); None otherwise.
    ``couples``: the couples compared in this step; ``counts`` / ``sums``: their numbers in ``column``
    (for Rules 5–8/11: marks ≤ k and their sum; for Rule 10: dances placed p or better and the sum of
    those places; for R9: ``sums`` holds the totals; for R1: ``counts`` holds the X totals).
    ``outcome``: the couples placed (or recalled) by this step, in order.
    ``note``: one plain-English sentence a scrutineer could read out.
    """

    rule: str
    dance: str | None
    place: Place | None
    column: str | None
    couples: tuple[str, ...]
    counts: Mapping[str, int]
    sums: Mapping[str, Fraction]
    outcome: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Cell:
    """One couple in one majority column "1-k".

    ``count``: marks ≤ k; ``total``: the sum of those marks. ``used``: the column was examined while the
    couple was still unplaced (cells after its placement print blank or "-"). ``sum_used``: Rule 7
    compared the sum here, so the sheet prints "4 (10)". ``deciding``: the cell that awarded this
    couple's place (sheets mark it).
    """

    count: int
    total: int
    used: bool
    sum_used: bool
    deciding: bool


@dataclass(frozen=True)
class DanceResult:
    """One dance of a final placed by Rules 5–8, with its tabulation.

    ``columns`` are the labels "1", "1-2", … "1-N"; ``cells[couple][i]`` belongs to ``columns[i]``.
    ``marks[couple][j]`` is judge ``judges[j]``'s rank. ``majority`` is ⌊J/2⌋+1.
    ``decisions`` explain the places in the order they were awarded.
    """

    dance: str
    judges: tuple[str, ...]
    couples: tuple[str, ...]
    marks: Mapping[str, tuple[int, ...]]
    majority: int
    columns: tuple[str, ...]
    cells: Mapping[str, tuple[Cell, ...]]
    places: Mapping[str, Place]
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class Rule10Step:
    """One row group of the Rule 10 table: place ``place`` under review, counting places ``place`` or better.

    ``couples``: still competing for it; ``counts``: dances placed ``place`` or better (a shared 4.5 is
    not "4 or better"); ``sums``: the sum of those places. ``rule``: "R10a" (most such dances), "R10b"
    (lower sum), "R11" (still equal, sent to Rule 11) or "R10" when a single couple is left.
    ``awarded``: the couples placed at this step, in order; ``places``: their places (shared when
    Rule 11 could not separate them; the loser of a two-couple Rule 11 is placed here too, one below).
    """

    place: int
    couples: tuple[str, ...]
    counts: Mapping[str, int]
    sums: Mapping[str, Fraction]
    rule: str
    awarded: tuple[str, ...]
    places: Mapping[str, Place]


@dataclass(frozen=True)
class Rule10Table:
    """Couples with the same Rule 9 ``total`` competing for places ``first_place`` onwards."""

    total: Fraction
    first_place: int
    couples: tuple[str, ...]
    steps: tuple[Rule10Step, ...]


@dataclass(frozen=True)
class Rule11Table:
    """The marks of couples still tied after Rule 10, from every dance, tabulated as one dance.

    ``place``: the place under review p; tabulation starts at column "1-p" (``columns``) and runs to
    "1-N". ``sources``: one label per merged mark, "dance/judge" (e.g. "W/A"), aligned with
    ``marks[couple]``. ``majority`` = ⌊J·D/2⌋+1. ``places``: the places this table awarded (place p
    only when three or more couples came here and the rest went back to Rule 10; both places for two
    couples; shared when it could not separate them).
    """

    place: int
    couples: tuple[str, ...]
    sources: tuple[str, ...]
    marks: Mapping[str, tuple[int, ...]]
    majority: int
    columns: tuple[str, ...]
    cells: Mapping[str, tuple[Cell, ...]]
    places: Mapping[str, Place]
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class FinalResult:
    """A final of one or more dances placed by Rules 9–11 (the summary sheet).

    ``judges`` and ``dance_results`` are empty when the result was built from dance places only.
    ``totals``: Rule 9 sums of dance places. ``decided_by``: "R9", "R10" or "R11" per couple.
    ``rule10``: one table per group of equal totals; ``rule11``: one table per Rule 11 comparison.
    ``decisions``: every dance's decisions (in dance order), then Rules 9–11.
    """

    dances: tuple[str, ...]
    couples: tuple[str, ...]
    judges: tuple[str, ...]
    dance_results: Mapping[str, DanceResult]
    dance_places: Mapping[str, Mapping[str, Place]]
    totals: Mapping[str, Fraction]
    places: Mapping[str, Place]
    decided_by: Mapping[str, str]
    rule10: tuple[Rule10Table, ...]
    rule11: tuple[Rule11Table, ...]
    decisions: tuple[Decision, ...]


class CutPolicy(enum.Enum):
    """What to do when the requested number of recalls would split couples with equal totals.

    ASK: return the options and let the Chairman choose (``chairman_choice``). MORE: recall the whole
    tie. FEWER: recall only the couples above the tie (falls back to MORE when that would recall no
    one). NEAREST: the option whose size is closest to the request; when both are equally close, MORE
    (nobody who tied with a recalled couple is left out when the event cannot prefer either side).
    """

    ASK = "ask"
    MORE = "more"
    FEWER = "fewer"
    NEAREST = "nearest"


@dataclass(frozen=True)
class CutOption:
    """Recall every couple with at least ``min_marks`` X's: ``recalled`` (in input order)."""

    min_marks: int
    recalled: tuple[str, ...]


@dataclass(frozen=True)
class RecallResult:
    """A preliminary round tabulated by Rule 1 and cut.

    ``x_marks[dance][couple][j]`` is judge ``judges[j]``'s X (True) for that couple. ``totals``: X's
    over all judges and dances. ``resolved``: the cut is settled (clean, by policy or by the Chairman);
    then ``recalled`` lists the recalled couples in input order (a recall is a set; published lists
    go by number), else it is empty.
    ``options``: the possible cuts when the request splits a tie — fewer first, then more; only options
    that exist (recalling nobody is not an option). Empty when the cut was clean. ``min_marks``: the
    marks needed to be recalled (None when unresolved).
    """

    dances: tuple[str, ...]
    judges: tuple[str, ...]
    couples: tuple[str, ...]
    x_marks: Mapping[str, Mapping[str, tuple[bool, ...]]]
    totals: Mapping[str, int]
    requested: int
    resolved: bool
    recalled: tuple[str, ...]
    options: tuple[CutOption, ...]
    min_marks: int | None
    decisions: tuple[Decision, ...]
