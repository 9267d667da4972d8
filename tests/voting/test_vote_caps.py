"""The cap rules as plain logic: properties that must hold for any allocation sequence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mirrorball.scoring.errors import ScoringError
from mirrorball.scoring.votes import CapPolicy, VoteRefused, add_votes, remaining, replace_allocation, tally

COUPLES = frozenset({"1", "2", "3", "4"})

policies = st.builds(
    CapPolicy,
    per_couple=st.one_of(st.none(), st.integers(1, 10)),
    per_window=st.integers(1, 20),
    editable=st.booleans(),
)
requests = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(sorted(COUPLES)), st.integers(-1, 6)),
        st.tuples(st.just("set"), st.dictionaries(st.sampled_from(sorted(COUPLES)), st.integers(0, 8))),
    ),
    max_size=30,
)


@given(policies, requests)
def test_no_sequence_of_requests_exceeds_the_caps(policy: CapPolicy, steps: list) -> None:
    current: dict[str, int] = {}
    for step in steps:
        try:
            if step[0] == "add":
                deltas = add_votes(policy, COUPLES, current, step[1], step[2])
            else:
                deltas = replace_allocation(policy, COUPLES, current, step[1])
        except VoteRefused:
            continue
        if not policy.editable:
            assert all(d > 0 for d in deltas.values())
        for couple, delta in deltas.items():
            current[couple] = current.get(couple, 0) + delta
        assert sum(current.values()) <= (policy.per_window or 10**9)
        assert all(0 <= v <= (policy.per_couple or 10**9) for v in current.values())


@given(policies, st.dictionaries(st.sampled_from(sorted(COUPLES)), st.integers(0, 3)))
def test_remaining_is_exactly_what_add_accepts(policy: CapPolicy, current: dict[str, int]) -> None:
    if sum(current.values()) > policy.per_window or any(
        v > (policy.per_couple or 99) for v in current.values()
    ):
        return
    left = remaining(policy, current, "1")
    assert left is not None
    if left > 0:
        add_votes(policy, COUPLES, current, "1", left)
    with pytest.raises(VoteRefused):
        add_votes(policy, COUPLES, current, "1", left + 1)


def test_refusals_name_the_rule() -> None:
    policy = CapPolicy(per_couple=3, per_window=5)
    with pytest.raises(VoteRefused, match="at most 3 votes per couple") as exc:
        add_votes(policy, COUPLES, {"1": 3}, "1", 1)
    assert exc.value.code == "couple_cap"
    with pytest.raises(VoteRefused, match="at most 5 votes in this window"):
        replace_allocation(policy, COUPLES, {}, {"1": 3, "2": 3})
    with pytest.raises(VoteRefused, match="not in this vote"):
        add_votes(policy, COUPLES, {}, "99", 1)
    with pytest.raises(VoteRefused, match="cannot be changed"):
        replace_allocation(policy, COUPLES, {"1": 2}, {"1": 1})


def test_replace_gives_deltas_and_editable_allows_moving_votes() -> None:
    policy = CapPolicy(per_window=10, editable=True)
    assert replace_allocation(policy, COUPLES, {"1": 4, "2": 6}, {"2": 3, "3": 7}) == {
        "1": -4,
        "2": -3,
        "3": 7,
    }


def test_a_channel_needs_some_cap() -> None:
    with pytest.raises(ScoringError):
        CapPolicy()
    with pytest.raises(ScoringError):
        CapPolicy(per_window=0)


def test_tally_lists_every_couple_even_without_votes() -> None:
    assert tally([("2", 3), ("1", 1), ("2", -1)], couples=["1", "2", "3"]) == {"1": 1, "2": 2, "3": 0}
