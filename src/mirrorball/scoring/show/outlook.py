"""Before the vote: which couples can the public still sink or save?

For each couple and each *zone* (the bottom k, or the eliminated e), two questions: can some vote outcome
put the couple in the zone (`enter`), and can some vote outcome keep it out (`avoid`)? A couple for which
only one answer is possible has a fate the public vote cannot change (Strictly 2008: Tom was in the
dance-off whatever the vote). Every "can" comes with a witness vote split, checked by the same
`standings` the combination uses, so ties are resolved exactly as the configured tie-break would.

Percentage method (derivation in docs/show.md). With judges' shares j, weights a, b > 0, vote shares v on
the simplex and d_Y = a(j_X - j_Y)/b:

- enter: give X no votes; Y is above X once v_Y > d_Y, so the cheapest |E| - k couples must be lifted
  with total cost Σ max(0, d_Y) ≤ 1 (at equality only the boundary split itself can work: it is tested).
- avoid: give X every vote (moving votes to X never hurts X), then read the ranking.
- safe share s*: with X at share s the adversary lifts the |E| - k cheapest others, needing
  Σ max(0, s + d_Y) ≤ 1 - s; s* solves s + Σ max(0, s + d_Y) = 1 (piecewise linear, increasing).
  Any share above s* keeps X out of the zone whatever the others get.
- danger share: X at share s stays out of the zone if e others can be held below it: with somewhere else
  to put the remaining votes they get none, so s > -d_T for the e lowest-judged; when the others *are*
  exactly those e couples they must absorb 1 - s, giving the same threshold equation as s*.

Rank-point methods (rank, Eurovision) with the vote tie-break first: a vote outcome is a strict ordering
of the couples. To sink X give it the last vote place and lift as many others as possible with the
remaining vote points (a greedy matching of requirements to points is optimal); to save X give it the
first place and hold as many others below as possible. Other tie-breaks: every ordering is enumerated
(up to 8 couples).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations, permutations

from mirrorball.scoring.show.combine import standings
from mirrorball.scoring.show.errors import ShowError
from mirrorball.scoring.show.leaderboard import EUROVISION_POINTS, eurovision_points, rank_points
from mirrorball.scoring.show.model import Rules
from mirrorball.scoring.show.totals import shares

MAX_ENUMERATED = 8


@dataclass(frozen=True)
class CoupleOutlook:
    couple: str
    immune: bool
    can_be_bottom: bool
    can_be_safe: bool
    certain_bottom: bool
    can_be_eliminated: bool
    can_survive: bool
    certain_elimination: bool
    safe_share: Fraction | None
    danger_share: Fraction | None
    fate_fixed: bool
    witnesses: dict[str, dict[str, Fraction]] = field(default_factory=dict)


@dataclass(frozen=True)
class Outlook:
    method: str
    bottom: int
    eliminate: int
    by_save: bool
    how: str
    couples: tuple[CoupleOutlook, ...]

    def of(self, couple: str) -> CoupleOutlook:
        for entry in self.couples:
            if entry.couple == couple:
                return entry
        raise ShowError("couple not in this outlook", couple=couple)

    @property
    def fixed(self) -> tuple[str, ...]:
        """Couples whose fate the public vote cannot change: warn the producer before the window opens."""
        return tuple(c.couple for c in self.couples if c.fate_fixed and not c.immune)


class _Zones:
    """Answers enter/avoid questions for one method; `witness` splits are vote numbers per couple."""

    def __init__(
        self, pool: Sequence[str], eligible: Sequence[str], jpoints: Mapping[str, Fraction], rules: Rules
    ):
        self.pool, self.eligible, self.jpoints, self.rules = list(pool), list(eligible), jpoints, rules

    def position(self, votes: Mapping[str, Fraction], couple: str) -> int:
        """0-based position of `couple` among the eligible couples under these votes (tie-breaks applied)."""
        st = standings(self.pool, self.jpoints, votes, self.rules)
        order = [c for c in st.ranking if c in self.eligible]
        return order.index(couple)

    def in_zone(self, votes: Mapping[str, Fraction], couple: str, size: int) -> bool:
        return self.position(votes, couple) >= len(self.eligible) - size

    def enter(self, x: str, size: int) -> dict[str, Fraction] | None:
        raise NotImplementedError

    def avoid(self, x: str, size: int) -> dict[str, Fraction] | None:
        raise NotImplementedError


def threshold(ds: Sequence[Fraction]) -> Fraction:
    """The s solving s + Σ max(0, s + d) = 1 (strictly increasing and piecewise linear in s)."""
    ordered = sorted(ds, reverse=True)
    for active in range(len(ordered) + 1):
        s = (1 - sum(ordered[:active], Fraction(0))) / (1 + active)
        if all(s + d >= 0 for d in ordered[:active]) and all(s + d <= 0 for d in ordered[active:]):
            return s
    raise AssertionError("threshold equation has a solution by continuity")  # pragma: no cover


class _Percentage(_Zones):
    def __init__(
        self, pool: Sequence[str], eligible: Sequence[str], jpoints: Mapping[str, Fraction], rules: Rules
    ):
        super().__init__(pool, eligible, jpoints, rules)
        self.votes_only = rules.method == "votes-only"
        self.j = (
            dict.fromkeys(pool, Fraction(0))
            if self.votes_only
            else shares({c: jpoints[c] for c in pool}, what="judges' points")
        )

    def d(self, x: str, y: str) -> Fraction:
        if self.votes_only:
            return Fraction(0)
        return self.rules.judges_weight * (self.j[x] - self.j[y]) / self.rules.votes_weight

    def enter(self, x: str, size: int) -> dict[str, Fraction] | None:
        others = [y for y in self.eligible if y != x]
        need = len(self.eligible) - size
        if need <= 0:
            return dict.fromkeys(self.pool, Fraction(1))
        cost = {y: max(Fraction(0), self.d(x, y)) for y in others}
        ranked = sorted(others, key=cost.__getitem__)
        total = sum((cost[y] for y in ranked[:need]), Fraction(0))
        if total > 1:
            return None
        if total < 1:
            slack = (1 - total) / need
            votes = dict.fromkeys(self.pool, Fraction(0))
            for y in ranked[:need]:
                votes[y] = cost[y] + slack
            return votes
        cutoff = cost[ranked[need - 1]]
        sure = [y for y in ranked if cost[y] < cutoff]
        tied = [y for y in ranked if cost[y] == cutoff]
        for extra in combinations(tied, need - len(sure)):
            votes = dict.fromkeys(self.pool, Fraction(0))
            for y in (*sure, *extra):
                votes[y] = cost[y]
            if self.in_zone(votes, x, size):
                return votes
        return None

    def avoid(self, x: str, size: int) -> dict[str, Fraction] | None:
        votes = {c: Fraction(1 if c == x else 0) for c in self.pool}
        return None if self.in_zone(votes, x, size) else votes

    def avoid_share(self, x: str, size: int) -> Fraction:
        """Any share above this keeps X out of the lowest `size` whatever the others get."""
        need = len(self.eligible) - size
        ds = sorted(self.d(x, y) for y in self.eligible if y != x)[:need]
        return max(Fraction(0), threshold(ds))

    def enter_share(self, x: str, size: int) -> Fraction:
        """Below this share X is in the lowest `size` whatever the others get."""
        ds = sorted((self.d(x, y) for y in self.eligible if y != x), reverse=True)[:size]
        if len(self.pool) - 1 - size >= 1:
            return max(Fraction(0), -min(ds)) if ds else Fraction(0)
        return max(Fraction(0), threshold(ds))


class _RankByVotes(_Zones):
    """Rank points / Eurovision with 'votes' as the first tie-break: greedy matching (see module doc)."""

    def __init__(
        self, pool: Sequence[str], eligible: Sequence[str], jpoints: Mapping[str, Fraction], rules: Rules
    ):
        super().__init__(pool, eligible, jpoints, rules)
        n = len(self.pool)
        convert = rank_points if rules.method == "rank" else eurovision_points
        self.p = convert({c: jpoints[c] for c in pool}, rules.tie_policy)
        table = (
            [Fraction(n - i) for i in range(n)]
            if rules.method == "rank"
            else [
                Fraction(EUROVISION_POINTS[i]) if i < len(EUROVISION_POINTS) else Fraction(0)
                for i in range(n)
            ]
        )
        self.table = table
        self.a, self.b = rules.judges_weight, rules.votes_weight

    def votes_for(self, order: Sequence[str]) -> dict[str, Fraction]:
        n = len(order)
        return {c: Fraction(n - i) for i, c in enumerate(order)}

    def enter(self, x: str, size: int) -> dict[str, Fraction] | None:
        need = len(self.eligible) - size
        rest = self.table[:-1]
        target = self.a * self.p[x] + self.b * self.table[-1]
        others = [y for y in self.pool if y != x]
        req = sorted(
            (y for y in others if y in self.eligible),
            key=lambda y: (target - self.a * self.p[y]) / self.b,
        )
        values = sorted(range(len(rest)), key=lambda i: rest[i])  # indices of vote places, worst first
        matched: dict[str, int] = {}
        pending = list(req)
        for i in values:
            if pending and self.b * rest[i] >= target - self.a * self.p[pending[0]]:
                matched[pending.pop(0)] = i
        order = self._order(x, matched, first=False)
        if len(matched) >= need or self.in_zone(self.votes_for(order), x, size):
            return self.votes_for(order)
        return None

    def avoid(self, x: str, size: int) -> dict[str, Fraction] | None:
        rest = self.table[1:]
        target = self.a * self.p[x] + self.b * self.table[0]
        limits = sorted(
            (y for y in self.pool if y != x and y in self.eligible),
            key=lambda y: (target - self.a * self.p[y]) / self.b,
        )
        free = sorted(range(len(rest)), key=lambda i: rest[i])  # smallest vote points first
        matched: dict[str, int] = {}
        for y in limits:
            if free and self.a * self.p[y] + self.b * rest[free[0]] <= target:
                matched[y] = free.pop(0)
        order = self._order(x, {y: i + 1 for y, i in matched.items()}, first=True)
        votes = self.votes_for(order)
        return None if self.in_zone(votes, x, size) else votes

    def _order(self, x: str, placed: Mapping[str, int], *, first: bool) -> list[str]:
        """A full vote ordering: X first or last, matched couples at their places, the rest filling in."""
        n = len(self.pool)
        slots: list[str | None] = [None] * n
        slots[0 if first else n - 1] = x
        for y, i in placed.items():
            slots[i] = y
        rest = [y for y in self.pool if y != x and y not in placed]
        for i in range(n):
            if slots[i] is None:
                slots[i] = rest.pop(0)
        return [s for s in slots if s is not None]


class _Fixed(_Zones):
    """Votes carry no weight (judges-only, or a zero vote weight): one outcome, whatever the vote."""

    def uniform(self) -> dict[str, Fraction]:
        return dict.fromkeys(self.pool, Fraction(1))

    def enter(self, x: str, size: int) -> dict[str, Fraction] | None:
        return self.uniform() if self.in_zone(self.uniform(), x, size) else None

    def avoid(self, x: str, size: int) -> dict[str, Fraction] | None:
        return None if self.in_zone(self.uniform(), x, size) else self.uniform()


class _Enumerated(_Zones):
    """Every strict vote ordering (N! of them): exact for any tie-break, kept to small weeks."""

    def __init__(
        self, pool: Sequence[str], eligible: Sequence[str], jpoints: Mapping[str, Fraction], rules: Rules
    ):
        super().__init__(pool, eligible, jpoints, rules)
        if len(pool) > MAX_ENUMERATED:
            raise ShowError(
                f"outlook with this tie-break enumerates vote orderings; more than {MAX_ENUMERATED} couples "
                "needs 'votes' as the first tie-break"
            )
        n = len(pool)
        self.outcomes = []
        for order in permutations(self.pool):
            votes = {c: Fraction(n - i) for i, c in enumerate(order)}
            st = standings(self.pool, jpoints, votes, rules)
            self.outcomes.append((votes, [c for c in st.ranking if c in eligible]))

    def enter(self, x: str, size: int) -> dict[str, Fraction] | None:
        cut = len(self.eligible) - size
        return next((v for v, order in self.outcomes if order.index(x) >= cut), None)

    def avoid(self, x: str, size: int) -> dict[str, Fraction] | None:
        cut = len(self.eligible) - size
        return next((v for v, order in self.outcomes if order.index(x) < cut), None)


def outlook(
    couples: Sequence[str],
    judges_points: Mapping[str, Fraction],
    rules: Rules,
    *,
    eliminate: int = 1,
    immune: Sequence[str] = (),
    week: str | None = None,
) -> Outlook:
    """For every couple: what the public vote can and cannot still do to it this week."""
    method = rules.method
    for couple in couples:
        if couple not in judges_points and method != "votes-only":
            raise ShowError("no judges' points for this couple", couple=couple, week=week)
    pool = [c for c in couples if rules.immune_in_totals or c not in immune]
    eligible = [c for c in pool if c not in immune]
    jpoints = {c: Fraction(judges_points.get(c, 0)) for c in pool}
    zones: _Zones
    if method == "judges-only" or (method != "votes-only" and rules.votes_weight == 0):
        zones, how = _Fixed(pool, eligible, jpoints, rules), "votes do not count"
    elif method in ("percentage", "votes-only"):
        zones, how = _Percentage(pool, eligible, jpoints, rules), "exact linear analysis of vote shares"
    elif method in ("rank", "eurovision") and rules.tie_break[:1] == ("votes",):
        zones, how = _RankByVotes(pool, eligible, jpoints, rules), "greedy matching of vote places"
    else:
        zones, how = (
            _Enumerated(pool, eligible, jpoints, rules),
            f"all {len(pool)}! vote orderings enumerated",
        )
    by_save = rules.save != "none"
    elim_zone = rules.bottom if by_save and eliminate else eliminate
    bottom = min(rules.bottom, len(eligible))
    entries = []
    for couple in couples:
        if couple not in eligible:
            entries.append(
                CoupleOutlook(couple, True, False, True, False, False, True, False, None, None, True)
            )
            continue
        witnesses: dict[str, dict[str, Fraction]] = {}
        for name, answer in (
            ("bottom", zones.enter(couple, bottom) if bottom else None),
            ("safe", zones.avoid(couple, bottom) if bottom else {c: Fraction(1) for c in pool}),
            ("eliminated", zones.enter(couple, elim_zone) if elim_zone else None),
            ("survive", zones.avoid(couple, elim_zone) if elim_zone else {c: Fraction(1) for c in pool}),
        ):
            if answer is not None:
                witnesses[name] = answer
        can_bottom, can_safe = "bottom" in witnesses, "safe" in witnesses
        can_elim = "eliminated" in witnesses
        can_survive = "survive" in witnesses or by_save
        safe_share = danger_share = None
        if isinstance(zones, _Percentage):
            if can_safe and bottom:
                safe_share = zones.avoid_share(couple, bottom)
            if can_survive and can_elim and elim_zone:
                danger_share = zones.enter_share(couple, elim_zone)
        fixed = not (can_bottom and can_safe) and not (can_elim and ("survive" in witnesses))
        entries.append(
            CoupleOutlook(
                couple, False, can_bottom, can_safe, not can_safe, can_elim, can_survive,
                not can_survive, safe_share, danger_share, fixed, witnesses,
            )
        )  # fmt: skip
    return Outlook(method, bottom, eliminate, by_save, how, tuple(entries))
