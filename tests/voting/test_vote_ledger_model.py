"""The ledger against the plain rules: any requests, cut into any batches, count as one at a time would.

`apply_batch` keeps a partner's voters under a per-window cap as a total alone, checks eligibility once
per kind of request, and decides caps on the voter's total rather than on a copy of the allocation.
This test replays random request sequences of a web voter and a partner's voter, cut into random
batches, through it on both backends and compares every answer and every voter's allocation and
remaining votes with the rules of `mirrorball.scoring.votes` applied one request at a time."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mirrorball.scoring.votes import CapPolicy, VoteRefused, add_votes, remaining, replace_allocation
from mirrorball.service import votes as voting
from mirrorball.service.vote_ledger import VoteRequest, apply_batch
from mirrorball.store.db import make_engine, make_session_factory, transaction

from .conftest import opened_window

COUPLES = ("1", "2", "3")
VOTERS = ("ann", "partner:telco:+441")  # a web voter and a partner's
CHANNEL = "phone"

caps = st.fixed_dictionaries(
    {
        "per_couple": st.one_of(st.none(), st.integers(1, 4)),
        "per_window": st.one_of(st.none(), st.integers(1, 7)),
        "editable": st.booleans(),
    }
).filter(lambda c: c["per_couple"] is not None or c["per_window"] is not None)
request = st.one_of(
    st.tuples(
        st.just("add"),
        st.sampled_from(VOTERS),
        st.sampled_from([*COUPLES, "9"]),
        st.integers(1, 3),
        st.sampled_from("abcdef"),
    ),
    st.tuples(
        st.just("set"),
        st.sampled_from(VOTERS),
        st.dictionaries(st.sampled_from(COUPLES), st.integers(0, 4), max_size=3),
        st.just(0),
        st.sampled_from("abcdef"),
    ),
)


def model(
    policy: CapPolicy, steps: list[tuple[Any, ...]]
) -> tuple[list[int], list[int | None], dict[str, dict[str, int]]]:
    """Statuses, the voter's remaining votes after each step, and the final allocations, one request
    at a time, straight from the rules."""
    allocations: dict[str, dict[str, int]] = defaultdict(dict)
    counted: dict[tuple[str, str], dict[str, int]] = {}  # what a key counted, by (voter, key)
    statuses: list[int] = []
    left: list[int | None] = []
    for kind, voter, what, votes, key in steps:
        statuses.append(step(policy, allocations, counted, (kind, voter, what, votes, key)))
        left.append(remaining(policy, allocations[voter]))
    return statuses, left, {v: {c: n for c, n in sorted(a.items()) if n} for v, a in allocations.items()}


def step(
    policy: CapPolicy,
    allocations: dict[str, dict[str, int]],
    counted: dict[tuple[str, str], dict[str, int]],
    request: tuple[Any, ...],
) -> int:
    """One request applied to `allocations` (and `counted`, its keys); its status."""
    kind, voter, what, votes, key = request
    if kind == "set" and voter.startswith("partner:"):
        return 422  # a partner's voters only add votes (refused before any replay check)
    first = counted.get((voter, key))
    if first is not None:  # a replay; an "add" must be the same vote again
        return 409 if kind == "add" and first != {what: votes} else 200
    current = allocations[voter]
    try:
        if kind == "add":
            deltas = add_votes(policy, frozenset(COUPLES), current, what, votes)
        else:
            deltas = replace_allocation(policy, frozenset(COUPLES), current, what)
    except VoteRefused as refused:
        return 422 if refused.code == "unknown_couple" else 409
    if deltas:  # an allocation that changes nothing stores nothing: its key stays unused
        counted[(voter, key)] = deltas
    for couple, delta in deltas.items():
        current[couple] = current.get(couple, 0) + delta
    return 201


@example(  # a partner's voter kept as a total: the receipt's remaining votes count earlier batches
    {"per_couple": None, "per_window": 5, "editable": False},
    [("add", VOTERS[1], "1", 1, "a"), ("add", VOTERS[1], "2", 2, "b"), ("add", VOTERS[1], "3", 1, "c")],
    [(1, True)] * 8,
)
@example(  # an allocation that changes nothing, repeated: the same answer within a batch and across
    {"per_couple": 2, "per_window": None, "editable": True},
    [("set", VOTERS[0], {}, 0, "a"), ("set", VOTERS[0], {}, 0, "a"), ("set", VOTERS[0], {}, 0, "a")],
    [(2, False), (1, False)] * 4,
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    caps,
    st.lists(request, min_size=2, max_size=24),
    # (size, receipts) of each batch in turn: the web's batches build receipts, the gateway's do not
    st.lists(st.tuples(st.integers(1, 6), st.booleans()), min_size=8, max_size=8),
)
def test_batches_count_exactly_as_the_rules_one_request_at_a_time(
    db_url: str, cap: dict[str, Any], steps: list[tuple[Any, ...]], cuts: list[tuple[int, bool]]
) -> None:
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    spec = voting.WindowSpec(
        title="Model", couples=[{"key": c, "name": c} for c in COUPLES], caps={CHANNEL: cap}
    )
    window_id = opened_window(factory, spec)
    requests = [
        VoteRequest(
            window_id=window_id,
            channel=CHANNEL,
            voter=voter,
            request_key=key,
            couple=what if kind == "add" else "",
            votes=votes,
            allocation=what if kind == "set" else None,
        )
        for kind, voter, what, votes, key in steps
    ]
    outcomes = []
    receipted: list[bool] = []  # per request: was it in a batch that built receipts
    position, cut = 0, 0
    while position < len(requests):
        size, receipts = cuts[cut % len(cuts)]
        cut += 1
        with transaction(factory) as session:
            batch = apply_batch(
                session, requests[position : position + size], datetime.now(UTC), receipts=receipts
            )
        outcomes += batch
        receipted += [receipts] * len(batch)
        position += size
    policy = CapPolicy(**cap)
    expected_statuses, left, expected = model(policy, steps)
    assert [o.status for o in outcomes] == expected_statuses
    stated = [o.facts.get("remaining") for o, r in zip(outcomes, receipted, strict=True) if r and o.counted]
    assert stated == [  # what a receipt states the voter has left, after this request
        n for n, o, r in zip(left, outcomes, receipted, strict=True) if r and o.counted
    ]
    with transaction(factory) as session:
        window = voting.get_window(session, window_id)
        status = {v: voting.voter_status(session, window, CHANNEL, v) for v in VOTERS}
        result = voting.recount(session, [window_id])[0]
    engine.dispose()
    for voter in VOTERS:
        itemised = policy.per_couple is not None or not voter.startswith("partner:")
        assert status[voter]["allocation"] == (expected.get(voter, {}) if itemised else {})
        assert status[voter]["remaining"] == remaining(policy, expected.get(voter, {}))
    assert result.matches, result.problems
