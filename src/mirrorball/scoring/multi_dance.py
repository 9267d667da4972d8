"""A final of several dances: Rules 9–11 over the dances' places (and, for Rule 11, their marks).

Rule 9 adds each couple's dance places. Couples with equal totals go to Rule 10 place by place: for
place p, most dances placed p or better (a), then the lower sum of those places (b), then — for the
couples still equal only — Rule 11 (c). After each place the rest are re-counted for p+1. Rule 11 runs the
shared majority engine over all their marks as one dance (majority ⌊J·D/2⌋+1, from column p): with two
couples the loser takes the next place directly; with three or more only place p is taken and the rest
go back to Rule 10.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from mirrorball.scoring.errors import InvalidPlaces, Rule11NeedsMarks
from mirrorball.scoring.majority import column_label, place_by_majority
from mirrorball.scoring.places import Place, describe_place, format_number
from mirrorball.scoring.single_dance import place_dance
from mirrorball.scoring.tabulation import (
    DanceResult,
    Decision,
    FinalResult,
    Rule10Step,
    Rule10Table,
    Rule11Table,
)
from mirrorball.scoring.validation import check_dances, check_panel


def place_final(dances: Mapping[str, Mapping[str, Sequence[int]]], *, judges: Sequence[str]) -> FinalResult:
    """Place every dance (Rules 5–8), then the final (Rules 9–11). ``dances[dance][couple][j]``.

    Every dance must have the same couples; every couple one rank per judge of ``judges`` in each dance.
    """
    panel = check_panel(judges)
    names = check_dances(tuple(dances), {d: tuple(dances[d]) for d in dances})
    results = {d: place_dance(dances[d], judges=panel, dance=d) for d in names}
    couples = results[names[0]].couples
    places = {d: {c: results[d].places[c] for c in couples} for d in names}
    return _Summary(names, couples, panel, results, places).run()


def place_final_from_dance_places(
    dance_places: Mapping[str, Mapping[str, Place | Fraction | int]],
) -> FinalResult:
    """Rules 9–10 from published dance places (a Place, or its value: 3, Fraction(7, 2), 3.5).

    A value shared by several couples is read as their shared interval (two couples on 3.5 hold 3-4).
    Raises InvalidPlaces when a dance's places are not a ranking of its couples, and Rule11NeedsMarks
    when Rule 10 leaves a tie, since only the judges' marks can break it.
    """
    names = check_dances(tuple(dance_places), {d: tuple(dance_places[d]) for d in dance_places})
    places = {d: _as_places(d, dance_places[d]) for d in names}
    couples = tuple(dance_places[names[0]])
    return _Summary(names, couples, (), {}, places).run()


def _as_places(dance: str, given: Mapping[str, Place | Fraction | int]) -> dict[str, Place]:
    values: dict[str, Place | Fraction] = {}
    for couple, value in given.items():
        if isinstance(value, Place):
            values[couple] = value
        elif isinstance(value, int | Fraction | float) and not isinstance(value, bool):
            values[couple] = Fraction(value)
        else:
            raise InvalidPlaces(f"place {value!r} is not a number", dance=dance, couple=couple)
    places: dict[str, Place] = {}
    for couple, value in values.items():
        if isinstance(value, Place):
            places[couple] = value
            continue
        size = sum(1 for other in values.values() if other == value)
        try:
            places[couple] = Place.from_value(value, size=size)
        except ValueError:
            raise InvalidPlaces(
                f"place {format_number(value)} cannot be shared by {size} couples", dance=dance, couple=couple
            ) from None
    expected = 1
    for place in sorted(set(places.values())):
        holders = [c for c in places if places[c] == place]
        if place.low != expected or len(holders) != place.size:
            raise InvalidPlaces(
                f"place {place.format('range')} does not fit a ranking of {len(places)} couples "
                f"(expected a place from {expected}, held by as many couples as it spans)",
                dance=dance,
                couple=holders[0],
            )
        expected = place.high + 1
    if not places:
        raise InvalidPlaces("no couples", dance=dance)
    return places


class _Summary:
    def __init__(
        self,
        dances: tuple[str, ...],
        couples: tuple[str, ...],
        judges: tuple[str, ...],
        results: Mapping[str, DanceResult],
        places: Mapping[str, Mapping[str, Place]],
    ) -> None:
        self.dances = dances
        self.couples = couples
        self.judges = judges
        self.results = results
        self.dance_places = places
        self.totals = {c: sum((places[d][c].value for d in dances), Fraction(0)) for c in couples}
        self.places: dict[str, Place] = {}
        self.decided_by: dict[str, str] = {}
        self.decisions: list[Decision] = []
        self.rule10: list[Rule10Table] = []
        self.rule11: list[Rule11Table] = []

    def run(self) -> FinalResult:
        next_place = 1
        for total in sorted(set(self.totals.values())):
            group = tuple(c for c in self.couples if self.totals[c] == total)
            if len(group) == 1:
                self.by_rule9(group[0], next_place)
            else:
                self.by_rule10(group, next_place, total)
            next_place += len(group)
        dance_decisions = [d for name in self.results for d in self.results[name].decisions]
        return FinalResult(
            dances=self.dances,
            couples=self.couples,
            judges=self.judges,
            dance_results=dict(self.results),
            dance_places={d: dict(self.dance_places[d]) for d in self.dances},
            totals=self.totals,
            places={c: self.places[c] for c in self.couples},
            decided_by={c: self.decided_by[c] for c in self.couples},
            rule10=tuple(self.rule10),
            rule11=tuple(self.rule11),
            decisions=(*dance_decisions, *self.decisions),
        )

    def by_rule9(self, couple: str, place: int) -> None:
        awarded = Place.single(place)
        self.places[couple] = awarded
        self.decided_by[couple] = "R9"
        self.decisions.append(
            Decision(
                rule="R9",
                dance=None,
                place=awarded,
                column=None,
                couples=(couple,),
                counts={},
                sums={couple: self.totals[couple]},
                outcome=(couple,),
                note=f"{couple} takes {describe_place(awarded)}: the lowest remaining total "
                f"({format_number(self.totals[couple])}), held by no other couple.",
            )
        )

    def better_or_equal(self, couple: str, p: int) -> tuple[int, Fraction]:
        """Dances placed p or better and the sum of those places (a shared 4.5 is not '4 or better')."""
        values = [self.dance_places[d][couple].value for d in self.dances]
        good = [v for v in values if v <= p]
        return len(good), sum(good, Fraction(0))

    def by_rule10(self, group: tuple[str, ...], first_place: int, total: Fraction) -> None:
        remaining = list(group)
        p = first_place
        steps: list[Rule10Step] = []
        while remaining:
            numbers = {c: self.better_or_equal(c, p) for c in remaining}
            counts = {c: numbers[c][0] for c in remaining}
            sums = {c: numbers[c][1] for c in remaining}
            most = max(counts.values())
            by_count = [c for c in remaining if counts[c] == most]
            lowest = min(sums[c] for c in by_count)
            by_sum = [c for c in by_count if sums[c] == lowest]
            if len(remaining) == 1:
                rule, awarded = "R10", {remaining[0]: Place.single(p)}
            elif len(by_count) == 1:
                rule, awarded = "R10a", {by_count[0]: Place.single(p)}
            elif len(by_sum) == 1:
                rule, awarded = "R10b", {by_sum[0]: Place.single(p)}
            else:
                rule, awarded = "R11", self.by_rule11(tuple(by_sum), p, total)
            order = tuple(sorted(awarded, key=lambda c: awarded[c]))
            steps.append(Rule10Step(p, tuple(remaining), counts, sums, rule, order, awarded))
            for couple, place in awarded.items():
                self.places[couple] = place
                self.decided_by[couple] = "R11" if rule == "R11" else "R10"
                remaining.remove(couple)
            if rule != "R11":
                self.decisions.append(self.rule10_decision(rule, p, steps[-1], total))
            p += len(awarded)
        self.rule10.append(Rule10Table(total, first_place, group, tuple(steps)))

    def rule10_decision(self, rule: str, p: int, step: Rule10Step, total: Fraction) -> Decision:
        (winner,) = step.awarded
        place = step.places[winner]
        others = [c for c in step.couples if c != winner]
        mine = f"{step.counts[winner]} dances placed {p} or better"
        if rule == "R10":
            last = f"the last couple of the tie on {format_number(total)}"
            note = f"{winner} takes {describe_place(place)}: {last}."
        elif rule == "R10a":
            against = ", ".join(f"{step.counts[o]} for {o}" for o in others)
            note = f"{winner} takes {describe_place(place)}: {mine} against {against}."
        else:
            same = [o for o in others if step.counts[o] == step.counts[winner]]
            against = ", ".join(f"{format_number(step.sums[o])} for {o}" for o in same)
            note = (
                f"{winner} takes {describe_place(place)}: {mine} like {', '.join(same)}, but a lower sum "
                f"of those places ({format_number(step.sums[winner])} against {against})."
            )
        return Decision(
            rule="R10a" if rule == "R10" else rule,
            dance=None,
            place=place,
            column=str(p),
            couples=step.couples,
            counts=step.counts,
            sums=step.sums,
            outcome=step.awarded,
            note=note,
        )

    def by_rule11(self, tied: tuple[str, ...], p: int, total: Fraction) -> dict[str, Place]:
        if not self.results:
            raise Rule11NeedsMarks(
                f"couples {', '.join(tied)} tie on {format_number(total)} for place {p} after Rule 10; "
                "Rule 11 needs the judges' marks (use place_final)",
                couple=tied[0],
            )
        marks = {c: tuple(m for d in self.dances for m in self.results[d].marks[c]) for c in tied}
        sources = tuple(f"{d}/{j}" for d in self.dances for j in self.judges)
        majority = len(sources) // 2 + 1
        outcome = place_by_majority(
            marks,
            majority=majority,
            first_column=p,
            last_column=len(self.couples),
            first_place=p,
            places_wanted=None if len(tied) == 2 else 1,
        )
        self.rule11.append(
            Rule11Table(
                place=p,
                couples=tied,
                sources=sources,
                marks=marks,
                majority=majority,
                columns=tuple(column_label(k) for k in outcome.columns),
                cells=outcome.cells,
                places=dict(outcome.places),
                decisions=outcome.decisions,
            )
        )
        lead = (
            f"Rule 11 ({len(tied)} couples tied on {format_number(total)}; "
            f"{len(sources)} marks, majority {majority}): "
        )
        for decision in outcome.decisions:
            if decision.place is not None:
                self.decisions.append(
                    Decision(
                        rule="R11",
                        dance=None,
                        place=decision.place,
                        column=decision.column,
                        couples=decision.couples,
                        counts=decision.counts,
                        sums=decision.sums,
                        outcome=decision.outcome,
                        note=lead + decision.note,
                    )
                )
        return dict(outcome.places)
