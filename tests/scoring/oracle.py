"""An independent, deliberately naive Skating System (Rules 5-11) for differential tests.

Written from docs/skating-rules.md alone, without reading the engine, so that a misreading
in one is unlikely to be repeated in the other. It favours obviousness over speed:

- Rules 5-8 use the formulation the rules themselves offer as equivalent: for every place,
  start again at column 1 over the couples not yet placed, find the first column in which any
  of them holds a majority, and award the place under review to the best of the couples
  holding it there (greatest count, then lower sum, then only those still tied move on one
  column; a tie that survives the last column shares the places).
- Rules 9-11 are a direct reading: lowest total first; equal totals go to Rule 10 place by
  place (count of places p or better, then the sum of those places); couples Rule 10 cannot
  separate go to Rule 11 (all their marks as one dance, starting at column p).

Every rule the oracle applies is recorded in ``Oracle.events`` so a test can show that the
generated finals actually reach the rare rules (7b, 7c, 10, 11 and both Rule 11 endings).
Nothing here imports mirrorball.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

Interval = tuple[int, int]
"""A place as (from, to): (3, 3) is 3rd, (2, 3) is 2nd and 3rd shared (value 2.5)."""


def value(place: Interval) -> Fraction:
    return Fraction(place[0] + place[1], 2)


def count_and_sum(marks: Sequence[int], column: int) -> tuple[int, int]:
    """Column ``column`` ("1-k"): how many marks are <= k, and their sum."""
    within = [mark for mark in marks if mark <= column]
    return len(within), sum(within)


@dataclass
class Oracle:
    events: set[str] = field(default_factory=set)
    decided_by: dict[str, str] = field(default_factory=dict)
    """Which of Rules 9, 10 and 11 placed each couple of the final ("R9", "R10", "R11")."""

    # ----------------------------------------------------------------- Rules 5-8

    def best_from(
        self,
        marks: Mapping[str, Sequence[int]],
        contenders: Iterable[str],
        column: int,
        last_column: int,
        majority: int,
    ) -> list[str]:
        """Rules 6 and 7 among couples holding a majority in ``column``: who takes the place.

        Greatest count first (Rule 6), then the lower sum (7a), then only those still tied
        go on to the next column (7b). Returns several couples only for a tie that survives
        the last column (7c).
        """
        group = sorted(contenders)
        while True:
            stats = {couple: count_and_sum(marks[couple], column) for couple in group}
            most = max(count for count, _ in stats.values())
            by_count = [couple for couple in group if stats[couple][0] == most]
            if len(by_count) < len(group):
                self.events.add("rule6")
            if len(by_count) == 1:
                return by_count
            least = min(stats[couple][1] for couple in by_count)
            by_sum = [couple for couple in by_count if stats[couple][1] == least]
            if len(by_sum) < len(by_count):
                self.events.add("rule7a")
            if len(by_sum) == 1:
                return by_sum
            if column == last_column:
                self.events.add("rule7c")
                return by_sum
            self.events.add("rule7b")
            group = by_sum
            column += 1
            # Everyone still in the group held a majority one column earlier, so holds one
            # here too: the comparison goes on among them alone.
            assert all(count_and_sum(marks[c], column)[0] >= majority for c in group)

    def next_winners(
        self,
        marks: Mapping[str, Sequence[int]],
        unplaced: Iterable[str],
        first_column: int,
        last_column: int,
        majority: int,
    ) -> list[str]:
        """The couple(s) taking the place under review: Rule 8 walks right to a majority."""
        pool = sorted(unplaced)
        for column in range(first_column, last_column + 1):
            holders = [c for c in pool if count_and_sum(marks[c], column)[0] >= majority]
            if len(holders) == 1:
                self.events.add("rule5")
                return holders
            if holders:
                return self.best_from(marks, holders, column, last_column, majority)
            self.events.add("rule8")
        raise AssertionError("every couple holds every mark in the last column")

    def place_dance(self, marks: Mapping[str, Sequence[int]]) -> dict[str, Interval]:
        """One dance by Rules 5-8, re-starting at column 1 for every place."""
        couples = list(marks)
        judges = len(next(iter(marks.values())))
        majority = judges // 2 + 1
        unplaced = set(couples)
        places: dict[str, Interval] = {}
        place = 1
        while unplaced:
            winners = self.next_winners(marks, unplaced, 1, len(couples), majority)
            interval = (place, place + len(winners) - 1)
            for couple in winners:
                places[couple] = interval
            unplaced -= set(winners)
            place += len(winners)
        return places

    # ---------------------------------------------------------------- Rules 9-11

    def place_final(
        self, dances: Mapping[str, Mapping[str, Sequence[int]]]
    ) -> tuple[dict[str, dict[str, Interval]], dict[str, Interval]]:
        """Every dance by Rules 5-8, then the final result by Rules 9-11."""
        dance_places = {dance: self.place_dance(marks) for dance, marks in dances.items()}
        return dance_places, self.combine(dances, dance_places)

    def combine(
        self,
        dances: Mapping[str, Mapping[str, Sequence[int]]],
        dance_places: Mapping[str, Mapping[str, Interval]],
    ) -> dict[str, Interval]:
        couples = sorted(next(iter(dance_places.values())))
        total = {c: sum(value(dance_places[d][c]) for d in dance_places) for c in couples}
        unplaced = set(couples)
        final: dict[str, Interval] = {}
        place = 1
        while unplaced:
            lowest = min(total[c] for c in unplaced)
            tied = sorted(c for c in unplaced if total[c] == lowest)
            if len(tied) == 1:
                self.events.add("rule9")
                self.decided_by[tied[0]] = "R9"
                final[tied[0]] = (place, place)
                unplaced.discard(tied[0])
                place += 1
                continue
            # Rule 10, place by place over the couples with this total.
            self.events.add("rule10")
            while tied:
                if len(tied) == 1:
                    self.decided_by[tied[0]] = "R10"
                    final[tied[0]] = (place, place)
                    unplaced.discard(tied[0])
                    place += 1
                    break
                decided = self.rule10(dances, dance_places, tied, place)
                for couples_at, interval in decided:
                    for couple in couples_at:
                        final[couple] = interval
                        tied.remove(couple)
                        unplaced.discard(couple)
                place = max(interval[1] for _, interval in decided) + 1
        return final

    def rule10(
        self,
        dances: Mapping[str, Mapping[str, Sequence[int]]],
        dance_places: Mapping[str, Mapping[str, Interval]],
        tied: Sequence[str],
        place: int,
    ) -> list[tuple[list[str], Interval]]:
        """Decide place ``place`` among ``tied`` (equal totals); returns what was awarded."""

        def p_or_better(couple: str) -> list[Fraction]:
            # A shared 4.5 is not "4 or better"; a value compare says exactly that.
            places = [value(dance_places[d][couple]) for d in dance_places]
            return [v for v in places if v <= place]

        counts = {c: len(p_or_better(c)) for c in tied}
        most = max(counts.values())
        by_count = [c for c in tied if counts[c] == most]
        if most == 0:
            self.events.add("rule10-none-has-p")
        if len(by_count) == 1:
            self.events.add("rule10a")
            self.decided_by[by_count[0]] = "R10"
            return [([by_count[0]], (place, place))]
        sums = {c: sum(p_or_better(c)) for c in by_count}
        least = min(sums[c] for c in by_count)
        by_sum = [c for c in by_count if sums[c] == least]
        if len(by_sum) == 1:
            self.events.add("rule10b")
            self.decided_by[by_sum[0]] = "R10"
            return [([by_sum[0]], (place, place))]
        return self.rule11(dances, by_sum, place)

    def rule11(
        self,
        dances: Mapping[str, Mapping[str, Sequence[int]]],
        still_tied: Sequence[str],
        place: int,
    ) -> list[tuple[list[str], Interval]]:
        """All marks of the still-tied couples as one dance of J x D marks, from column p."""
        self.events.add("rule11")
        merged = {c: [m for d in dances for m in dances[d][c]] for c in still_tied}
        majority = len(merged[still_tied[0]]) // 2 + 1
        last_column = len(next(iter(dances.values())))
        winners = self.next_winners(merged, still_tied, place, last_column, majority)
        awarded = [(winners, (place, place + len(winners) - 1))]
        self.decided_by.update(dict.fromkeys(winners, "R11"))
        if len(winners) == len(still_tied):
            self.events.add("rule11-shared")
            return awarded
        losers = [c for c in still_tied if c not in winners]
        if len(still_tied) == 2:
            # Two couples: the loser takes the next place directly (TSO Beispiel N).
            self.events.add("rule11-two")
            after = place + len(winners)
            awarded.append((losers, (after, after)))
            self.decided_by.update(dict.fromkeys(losers, "R11"))
        else:
            # Three or more: only place p is decided; the rest go back to Rule 10 (Beispiel P).
            self.events.add("rule11-three-or-more")
        return awarded
