"""The rate limiter stops a noisy voter and a noisy address without locking out the venue around them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mirrorball.voting.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_one_voter_is_limited_and_recovers_after_the_period() -> None:
    clock = Clock()
    limiter = RateLimiter(per_key=5, per_address=1000, period=10, clock=clock)
    assert [limiter.check("10.0.0.1", "v") is None for _ in range(6)] == [True] * 5 + [False]
    clock.now = 10.0
    assert limiter.check("10.0.0.1", "v") is None


def test_a_busy_address_refuses_only_its_heavy_voter() -> None:
    limiter = RateLimiter(per_key=200, per_address=100, period=10, fair_floor=5, clock=Clock())
    heavy = [limiter.check("venue", "heavy") for _ in range(150)]
    assert heavy.count(None) == 100, "the address budget stops the heavy voter below its own limit"
    honest = [limiter.check("venue", f"fan{i}") for i in range(300) for _ in range(2)]
    assert all(r is None for r in honest), "a venue of honest voters must not be blocked"
    assert limiter.check("venue", "heavy") is not None


@given(st.integers(1, 500), st.integers(1, 20), st.lists(st.integers(0, 30), max_size=200))
def test_a_voter_below_the_fair_floor_is_never_refused(voters: int, budget: int, noise: list[int]) -> None:
    limiter = RateLimiter(per_key=10, per_address=budget, period=10, fair_floor=3, clock=Clock())
    for n in noise:
        limiter.check("venue", f"noisy{n}")
    for i in range(voters):
        for _ in range(3):
            assert limiter.check("venue", f"fan{i}") is None
