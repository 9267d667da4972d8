"""The one majority engine: Rules 5–8 over a list of marks per couple.

A single dance runs it with the panel's majority from column 1; Rule 11 runs it over the merged marks of
the couples still tied, with majority ⌊J·D/2⌋+1, from the column of the place under review. Keeping one
engine means the two can never drift apart.

The procedure, as skating-rules.md states it:

* A column pointer k moves 1, 2, 3, … and never jumps to the place number. In column k every unplaced
  couple holding a majority (count of marks ≤ k) is placed before anyone else (Rule 5 if alone, Rule 6
  greatest count first). Then the pointer moves to k+1.
* Equal counts: lower sum of those marks (Rule 7a); equal sums: only those couples go on to k+1, k+2 …
  (Rule 7b) — a couple reaching a majority later is not swept in; equal to the last column: they share
  (Rule 7c).
* No majority in column k: move to k+1 (Rule 8).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from mirrorball.scoring.places import Place, describe_place
from mirrorball.scoring.tabulation import Cell, Decision


def column_label(k: int) -> str:
    """Column k as printed on sheets: '1', '1-2', '1-3' …"""
    return "1" if k == 1 else f"1-{k}"


@dataclass(frozen=True)
class MajorityOutcome:
    """What the engine decided: ``columns`` (k values), ``cells`` aligned with them, places and decisions."""

    columns: tuple[int, ...]
    cells: dict[str, tuple[Cell, ...]]
    places: dict[str, Place]
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class _Award:
    couples: tuple[str, ...]
    column: int
    rule: str
    compared: tuple[str, ...]


class _Engine:
    def __init__(
        self,
        marks: Mapping[str, Sequence[int]],
        *,
        majority: int,
        first_column: int,
        last_column: int,
        dance: str | None,
    ) -> None:
        self.couples = tuple(marks)
        self.majority = majority
        self.first = first_column
        self.last = last_column
        self.dance = dance
        self.count = {c: {k: sum(1 for m in marks[c] if m <= k) for k in self.columns()} for c in marks}
        self.total = {c: {k: sum(m for m in marks[c] if m <= k) for k in self.columns()} for c in marks}
        self.used: dict[str, set[int]] = {c: set() for c in marks}
        self.sum_used: dict[str, set[int]] = {c: set() for c in marks}
        self.deciding: dict[str, int] = {}

    def columns(self) -> range:
        return range(self.first, self.last + 1)

    def key(self, couple: str, k: int) -> tuple[int, int]:
        """Greater count first, then lower sum (Rules 6 and 7a)."""
        return (-self.count[couple][k], self.total[couple][k])

    def rank(self, group: Sequence[str], k: int, *, tie_break: bool) -> list[_Award]:
        """Order couples that all hold a majority in column k; ``tie_break`` when Rule 7b sent them here."""
        for c in group:
            self.used[c].add(k)
        counts = Counter(self.count[c][k] for c in group)
        for c in group:
            if counts[self.count[c][k]] > 1:
                self.sum_used[c].add(k)
        ordered = sorted(group, key=lambda c: self.key(c, k))
        bands: list[list[str]] = []
        for c in ordered:
            if bands and self.key(bands[-1][0], k) == self.key(c, k):
                bands[-1].append(c)
            else:
                bands.append([c])
        awards: list[_Award] = []
        for i, band in enumerate(bands):
            remaining = tuple(c for b in bands[i:] for c in b)
            if len(band) > 1:
                if k == self.last:
                    for c in band:
                        self.deciding[c] = k
                    awards.append(_Award(tuple(band), k, "R7c", tuple(band)))
                else:
                    awards.extend(self.rank(band, k + 1, tie_break=True))
                continue
            (couple,) = band
            self.deciding[couple] = k
            if tie_break:
                rule = "R7b"
            elif len(bands) == 1:
                rule = "R5"
            else:
                # Separated from the couples after it (or, for the last, from the one before it).
                other = bands[i + 1][0] if i + 1 < len(bands) else bands[i - 1][0]
                rule = "R7a" if self.count[other][k] == self.count[couple][k] else "R6"
            awards.append(_Award((couple,), k, rule, remaining))
        return awards

    def run(self, first_place: int, places_wanted: int | None) -> MajorityOutcome:
        unplaced = list(self.couples)
        places: dict[str, Place] = {}
        decisions: list[Decision] = []
        next_place = first_place
        k = self.first
        while unplaced and (places_wanted is None or next_place - first_place < places_wanted):
            for c in unplaced:
                self.used[c].add(k)
            holders = [c for c in unplaced if self.count[c][k] >= self.majority]
            if not holders:
                decisions.append(self.no_majority(unplaced, k))
                k += 1
                continue
            for award in self.rank(holders, k, tie_break=False):
                if places_wanted is not None and next_place - first_place >= places_wanted:
                    break
                place = Place(next_place, next_place + len(award.couples) - 1)
                for c in award.couples:
                    places[c] = place
                    unplaced.remove(c)
                decisions.append(self.decision(award, place))
                next_place = place.high + 1
            k += 1
        cells = {
            c: tuple(
                Cell(
                    count=self.count[c][k],
                    total=self.total[c][k],
                    used=k in self.used[c],
                    sum_used=k in self.sum_used[c],
                    deciding=c in places and self.deciding.get(c) == k,
                )
                for k in self.columns()
            )
            for c in self.couples
        }
        return MajorityOutcome(tuple(self.columns()), cells, places, tuple(decisions))

    def no_majority(self, unplaced: Sequence[str], k: int) -> Decision:
        nxt = f"column {column_label(k + 1)} is examined" if k < self.last else "no column is left"
        return Decision(
            rule="R8",
            dance=self.dance,
            place=None,
            column=column_label(k),
            couples=tuple(unplaced),
            counts={c: self.count[c][k] for c in unplaced},
            sums={c: Fraction(self.total[c][k]) for c in unplaced},
            outcome=(),
            note=f"No couple has a majority ({self.majority}) in column {column_label(k)}: {nxt}.",
        )

    def decision(self, award: _Award, place: Place) -> Decision:
        k = award.column
        col = column_label(k)
        compared = award.compared
        counts = {c: self.count[c][k] for c in compared}
        sums = {c: Fraction(self.total[c][k]) for c in compared}
        who = " and ".join(award.couples)
        first = award.couples[0]
        others = [c for c in compared if c not in award.couples]
        what = describe_place(place)
        mine = f"{counts[first]} marks of {col}"
        if award.rule == "R7c":
            note = f"{who} share {what}: equal count and sum in every column up to {col}."
        elif not others:
            reason = {
                "R5": "the only couple with a majority",
                "R6": "the next greatest majority",
                "R7a": "the next lowest sum",
            }.get(award.rule, "the remaining couple of the tie")
            note = f"{first} takes {what}: {reason} ({mine}, sum {sums[first]})."
        elif award.rule == "R6":
            against = ", ".join(f"{counts[o]} for {o}" for o in others)
            note = f"{first} takes {what}: the greatest majority, {mine} against {against}."
        else:
            same = [o for o in others if counts[o] == counts[first]]
            fewer = [o for o in others if counts[o] != counts[first]]
            sums_text = ", ".join(f"{sums[o]} for {o}" for o in same)
            lead = "after equal count and sum in the previous column, " if award.rule == "R7b" else ""
            if same:
                note = (
                    f"{first} takes {what}: {lead}{mine} like {', '.join(same)}, "
                    f"but a lower sum ({sums[first]} against {sums_text})."
                )
            else:
                against = ", ".join(f"{counts[o]} for {o}" for o in fewer)
                note = f"{first} takes {what}: {lead}{mine} against {against}."
        return Decision(
            rule=award.rule,
            dance=self.dance,
            place=place,
            column=col,
            couples=compared,
            counts=counts,
            sums=sums,
            outcome=award.couples,
            note=note,
        )


def place_by_majority(
    marks: Mapping[str, Sequence[int]],
    *,
    majority: int,
    first_column: int,
    last_column: int,
    first_place: int = 1,
    places_wanted: int | None = None,
    dance: str | None = None,
) -> MajorityOutcome:
    """Award places ``first_place`` onwards to the couples of ``marks`` by Rules 5–8.

    Columns run from ``first_column`` to ``last_column`` (the number of couples in the final).
    ``places_wanted`` stops after that many places (whole awards: a shared place is not split); Rule 11
    with three or more couples decides only the place under review. Marks are trusted: validate first.
    """
    engine = _Engine(
        marks, majority=majority, first_column=first_column, last_column=last_column, dance=dance
    )
    return engine.run(first_place, places_wanted)
