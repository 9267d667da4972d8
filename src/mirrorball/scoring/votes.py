"""Vote caps and tallies as plain rules: what one voter may still give, and what a window adds up to.

The database enforces the same caps atomically (counter rows with CHECK constraints, updated under the
voter's row lock); this module is the readable statement of the rules, used by the service to decide and
by the tests as the independent model to compare the database against.

A voter's allocation is per (window, channel): shows cap "10 votes per method", so an online account and
a phone number are separate allocations even for the same person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mirrorball.scoring.errors import ScoringError


class VoteRefused(ScoringError):
    """A vote request breaks a rule of the window; the message says which, for the voter to read."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class CapPolicy:
    """The caps of one channel in one window.

    per_couple: most votes one voter may give one couple (None: no per-couple cap).
    per_window: most votes one voter may give in the window, freely split (None: no total cap).
    editable: the voter may change a saved allocation until the close ("save votes"); without it a
        vote once given stays given.
    """

    per_couple: int | None = None
    per_window: int | None = None
    editable: bool = False

    def __post_init__(self) -> None:
        for name in ("per_couple", "per_window"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ScoringError(f"cap {name} must be at least 1, got {value}")
        if self.per_couple is None and self.per_window is None:
            raise ScoringError("a voting channel needs a per-couple cap, a per-window cap, or both")


def _known(couples: frozenset[str], couple: str) -> None:
    if couple not in couples:
        raise VoteRefused("unknown_couple", f"couple {couple!r} is not in this vote")


def _within_couple_cap(policy: CapPolicy, couple: str, votes: int) -> None:
    if policy.per_couple is not None and votes > policy.per_couple:
        raise VoteRefused(
            "couple_cap",
            f"at most {policy.per_couple} votes per couple: couple {couple!r} would have {votes}",
        )


def _within_window_cap(policy: CapPolicy, total: int) -> None:
    if policy.per_window is not None and total > policy.per_window:
        raise VoteRefused("window_cap", f"at most {policy.per_window} votes in this window: would be {total}")


def _total(current: Mapping[str, int], total: int | None) -> int:
    return sum(current.values()) if total is None else total


def _check(policy: CapPolicy, couples: frozenset[str], new: Mapping[str, int]) -> None:
    """Refuse an allocation that names an unknown couple or breaks a cap."""
    for couple, votes in new.items():
        _known(couples, couple)
        if votes < 0:
            raise VoteRefused("negative", f"votes for couple {couple!r} cannot be negative ({votes})")
        _within_couple_cap(policy, couple, votes)
    _within_window_cap(policy, sum(new.values()))


def add_votes(
    policy: CapPolicy,
    couples: frozenset[str],
    current: Mapping[str, int],
    couple: str,
    votes: int,
    total: int | None = None,
) -> dict[str, int]:
    """Give `votes` more votes to `couple` on top of `current`; the change as {couple: delta}.

    `total` is the voter's votes in all when `current` does not list them couple by couple: without a
    per-couple cap only the total matters, and the ledger keeps no per-couple count to read. Only the
    couple voted for is checked: the rest of `current` was within the caps when it was given.
    """
    if votes < 1:
        raise VoteRefused("not_positive", f"a vote adds at least 1 vote, got {votes}")
    _known(couples, couple)
    _within_couple_cap(policy, couple, current.get(couple, 0) + votes)
    _within_window_cap(policy, _total(current, total) + votes)
    return {couple: votes}


def replace_allocation(
    policy: CapPolicy, couples: frozenset[str], current: Mapping[str, int], desired: Mapping[str, int]
) -> dict[str, int]:
    """Replace the voter's whole allocation by `desired` ("save votes"); the change as {couple: delta}.

    Couples absent from `desired` keep nothing. Without `editable`, only additions are allowed: a
    saved vote cannot be taken back.
    """
    _check(policy, couples, desired)
    changed = set(current) | set(desired)
    deltas = {c: desired.get(c, 0) - current.get(c, 0) for c in sorted(changed)}
    deltas = {c: d for c, d in deltas.items() if d != 0}
    if not policy.editable and any(d < 0 for d in deltas.values()):
        raise VoteRefused("not_editable", "votes in this window cannot be changed once given")
    return deltas


def remaining(
    policy: CapPolicy, current: Mapping[str, int], couple: str | None = None, total: int | None = None
) -> int | None:
    """How many more votes the voter may give (to `couple`, or anywhere); None means unlimited.

    `total` as for `add_votes`: the voter's votes in all, when `current` does not list them all.
    """
    limits: list[int] = []
    if policy.per_window is not None:
        limits.append(policy.per_window - _total(current, total))
    if couple is not None and policy.per_couple is not None:
        limits.append(policy.per_couple - current.get(couple, 0))
    return max(0, min(limits)) if limits else None


def tally(deltas: Iterable[tuple[str, int]], couples: Iterable[str] = ()) -> dict[str, int]:
    """Sum vote changes into {couple: votes}, the shape the show engine combines with judges' marks.

    Every couple named in `couples` appears, with 0 when nobody voted for it: a couple without votes
    is a result, not a missing key.
    """
    result = dict.fromkeys(couples, 0)
    for couple, delta in deltas:
        result[couple] = result.get(couple, 0) + delta
    return dict(sorted(result.items()))
