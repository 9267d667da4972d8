"""Properties of the combination and the outlook, on generated weeks.

Outlook claims are checked two ways: every "can" carries a witness vote split that the real combination
must confirm, and every "cannot" is checked against a brute-force sweep of vote splits / orderings.
"""

from __future__ import annotations

from fractions import Fraction as F
from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from mirrorball.scoring.show import PRESETS, Rules, combine, outlook, standings

NAMES = ["ann", "bob", "cat", "dan", "eve", "fay"]
PERCENTAGE = Rules(method="percentage", tie_break=("votes", "judges", "order"))
RANKED = [PRESETS["strictly"], PRESETS["strictly-2008"], PRESETS["dwts-rank"], PRESETS["eurovision"]]
ALL_RULES = [
    PERCENTAGE,
    Rules(method="percentage", judges_weight=F(2), votes_weight=F(1)),
    Rules(method="votes-only"),
    *RANKED,
]


@st.composite
def weeks(draw: st.DrawFn, low: int = 2, high: int = 6) -> tuple[list[str], dict[str, F], dict[str, F]]:
    n = draw(st.integers(low, high))
    couples = NAMES[:n]
    judges = {c: F(draw(st.integers(3, 40))) for c in couples}
    votes = {c: F(draw(st.integers(0, 100))) for c in couples}
    if not any(votes.values()):
        votes[couples[0]] = F(1)
    return couples, judges, votes


def _combined_sum_is_one(rules: Rules, couples: list[str], judges: dict[str, F], votes: dict[str, F]) -> None:
    out = combine(couples, judges, votes, rules)
    assert sum(out.judges_part.values()) == 1
    assert sum(out.votes_part.values()) == 1
    assert sum(out.combined.values()) == rules.judges_weight + rules.votes_weight


@given(weeks())
def test_shares_sum_to_one_per_component(week: tuple[list[str], dict[str, F], dict[str, F]]) -> None:
    _combined_sum_is_one(PERCENTAGE, *week)


@given(weeks(), st.sampled_from(ALL_RULES), st.integers(0, 5), st.integers(1, 500))
def test_more_votes_never_make_a_couple_worse_off(
    week: tuple[list[str], dict[str, F], dict[str, F]], rules: Rules, who: int, extra: int
) -> None:
    couples, judges, votes = week
    x = couples[who % len(couples)]
    before = combine(couples, judges, votes, rules)
    after = combine(couples, judges, {**votes, x: votes[x] + extra}, rules)
    assert after.ranking.index(x) <= before.ranking.index(x)
    if x not in before.bottom:
        assert x not in after.bottom
    if x not in before.eliminated:
        assert x not in after.eliminated


@given(weeks(), st.sampled_from(ALL_RULES), st.permutations(["p", "q", "r", "s", "t", "u"]))
def test_relabelling_couples_relabels_results(
    week: tuple[list[str], dict[str, F], dict[str, F]], rules: Rules, labels: list[str]
) -> None:
    couples, judges, votes = week
    rename = dict(zip(couples, labels, strict=False))
    out = combine(couples, judges, votes, rules)
    renamed = combine(
        [rename[c] for c in couples],
        {rename[c]: v for c, v in judges.items()},
        {rename[c]: v for c, v in votes.items()},
        rules,
    )
    assert renamed.ranking == tuple(rename[c] for c in out.ranking)
    assert renamed.eliminated == tuple(rename[c] for c in out.eliminated)
    assert renamed.combined == {rename[c]: v for c, v in out.combined.items()}


def _order(
    rules: Rules, couples: list[str], judges: dict[str, F], votes: dict[str, F], immune: tuple[str, ...] = ()
) -> list[str]:
    """The ranking among the couples that can be in the bottom (immune couples skip the cut)."""
    return [c for c in standings(couples, judges, votes, rules).ranking if c not in immune]


def _check_witnesses(
    rules: Rules, couples: list[str], judges: dict[str, F], eliminate: int, immune: tuple[str, ...] = ()
) -> None:
    """Every 'can' must come with a vote split that really does it."""
    look = outlook(couples, judges, rules, eliminate=eliminate, immune=immune)
    n = len(couples) - len(immune)
    for entry in look.couples:
        if entry.immune:
            continue
        sizes = {"bottom": look.bottom, "safe": look.bottom, "eliminated": eliminate, "survive": eliminate}
        for name, votes in entry.witnesses.items():
            pos = _order(rules, couples, judges, votes, immune).index(entry.couple)
            inside = pos >= n - sizes[name]
            assert inside == (name in ("bottom", "eliminated")), (name, entry, votes)


def _grid(n: int, total: int) -> list[tuple[int, ...]]:
    if n == 1:
        return [(total,)]
    return [(first, *rest) for first in range(total + 1) for rest in _grid(n - 1, total - first)]


@settings(max_examples=40, deadline=None)
@given(
    weeks(3, 4), st.integers(1, 2), st.booleans(), st.sampled_from([PERCENTAGE, Rules(method="votes-only")])
)
def test_percentage_outlook_against_a_vote_grid(
    week: tuple[list[str], dict[str, F], dict[str, F]], eliminate: int, with_immune: bool, rules: Rules
) -> None:
    couples, judges, _ = week
    immune = (couples[0],) if with_immune else ()
    n = len(couples) - len(immune)
    eliminate = min(eliminate, n - 1)
    look = outlook(couples, judges, rules, eliminate=eliminate, immune=immune)
    _check_witnesses(rules, couples, judges, eliminate, immune)
    denominator = 24 if len(couples) == 3 else 12
    for split in _grid(len(couples), denominator):
        votes = {c: F(v, denominator) for c, v in zip(couples, split, strict=True)}
        order = _order(rules, couples, judges, votes, immune)
        for entry in look.couples:
            if entry.immune:
                continue
            pos, x = order.index(entry.couple), entry.couple
            in_bottom, out = pos >= n - look.bottom, pos >= n - eliminate
            assert entry.can_be_bottom or not in_bottom
            assert entry.can_be_safe or in_bottom
            assert entry.can_be_eliminated or not out
            assert entry.can_survive or out
            if entry.safe_share is not None and votes[x] > entry.safe_share:
                assert not in_bottom, (entry, votes)
            if entry.danger_share is not None and votes[x] < entry.danger_share:
                assert out, (entry, votes)


@settings(max_examples=60, deadline=None)
@given(weeks(2, 6), st.sampled_from(RANKED), st.integers(1, 2), st.booleans())
def test_rank_outlook_against_every_vote_ordering(
    week: tuple[list[str], dict[str, F], dict[str, F]], rules: Rules, eliminate: int, with_immune: bool
) -> None:
    couples, judges, _ = week
    immune = (couples[-1],) if with_immune and len(couples) > 2 else ()
    n = len(couples) - len(immune)
    rules = Rules(method=rules.method, tie_policy=rules.tie_policy, tie_break=rules.tie_break)
    eliminate = min(eliminate, n - 1)
    look = outlook(couples, judges, rules, eliminate=eliminate, immune=immune)
    _check_witnesses(rules, couples, judges, eliminate, immune)
    seen: dict[str, set[str]] = {c: set() for c in couples}
    for ordering in permutations(couples):
        votes = {c: F(len(couples) - i) for i, c in enumerate(ordering)}
        order = _order(rules, couples, judges, votes, immune)
        for x in order:
            pos = order.index(x)
            seen[x].add("bottom" if pos >= n - look.bottom else "safe")
            seen[x].add("eliminated" if pos >= n - eliminate else "survive")
    for entry in look.couples:
        if entry.immune:
            continue
        assert entry.can_be_bottom == ("bottom" in seen[entry.couple])
        assert entry.can_be_safe == ("safe" in seen[entry.couple])
        assert entry.can_be_eliminated == ("eliminated" in seen[entry.couple])
        assert entry.can_survive == ("survive" in seen[entry.couple])


@settings(max_examples=30, deadline=None)
@given(weeks(2, 5))
def test_enumerated_outlook_for_other_tie_breaks(week: tuple[list[str], dict[str, F], dict[str, F]]) -> None:
    couples, judges, _ = week
    n = len(couples)
    rules = Rules(method="rank", tie_break=("order", "votes"))
    look = outlook(couples, judges, rules)
    assert "enumerated" in look.how
    _check_witnesses(rules, couples, judges, 1)
    for entry in look.couples:
        found = set()
        for order in permutations(couples):
            votes = {c: F(n - i) for i, c in enumerate(order)}
            found.add(standings(couples, judges, votes, rules).ranking.index(entry.couple) >= n - 2)
        assert entry.can_be_bottom == (True in found)
        assert entry.can_be_safe == (False in found)
