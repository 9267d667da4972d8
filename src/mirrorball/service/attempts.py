"""Limiting sign-in attempts: a 4–6 digit PIN must not be guessable by trying them all.

Two budgets, each a count of **failures** that backs off exponentially once spent:

- per seat (competition + judge letter): a few free failures, then every further failure locks the
  seat for twice as long as the last (1 s, 2 s, 4 s … at most `cap`). A right PIN resets it.
- per client address: many more free failures, because a venue's tablets share one address and a
  judge's typo must not lock out the other judges. Successes are never counted against an address.

Failures are forgotten after `forget_after` of quiet. Counters live in the process (a few bytes per
key, bounded); with several workers each has its own, which multiplies an attacker's budget by the
number of workers but keeps the backoff: guessing 10 000 PINs still takes days, not minutes.
The clock is passed in, so the rules are tested without sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Budget:
    free: int  # failures allowed before any lockout
    base: float = 1.0  # seconds of the first lockout
    cap: float = 15 * 60.0  # the longest lockout
    forget_after: float = 60 * 60.0  # quiet time after which past failures no longer count


SEAT_BUDGET = Budget(free=5)
ADDRESS_BUDGET = Budget(free=30)
MAX_KEYS = 10_000  # per budget: past this, keys whose failures are forgotten are dropped


@dataclass
class _Failures:
    count: int
    last: float
    locked_until: float


class Attempts:
    """Failures per key under one budget; thread-safe (sync routes run in a thread pool)."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self._keys: dict[Hashable, _Failures] = {}
        self._lock = threading.Lock()

    def wait(self, key: Hashable, now: float) -> float:
        """Seconds until `key` may try again (0: now)."""
        with self._lock:
            failures = self._current(key, now)
            return max(0.0, failures.locked_until - now) if failures else 0.0

    def failed(self, key: Hashable, now: float) -> None:
        with self._lock:
            failures = self._current(key, now) or _Failures(0, now, 0.0)
            failures.count += 1
            failures.last = now
            over = failures.count - self.budget.free
            if over >= 0:  # the free failures are spent: wait 1 s, then 2 s, 4 s …
                failures.locked_until = now + min(self.budget.cap, self.budget.base * 2**over)
            self._keys[key] = failures
            if len(self._keys) > MAX_KEYS:
                self._forget_quiet(now)

    def succeeded(self, key: Hashable) -> None:
        with self._lock:
            self._keys.pop(key, None)

    def _current(self, key: Hashable, now: float) -> _Failures | None:
        failures = self._keys.get(key)
        quiet = failures is not None and now - failures.last > self.budget.forget_after
        if failures is not None and quiet and now >= failures.locked_until:
            del self._keys[key]
            return None
        return failures

    def _forget_quiet(self, now: float) -> None:
        for key in [k for k, f in self._keys.items() if now - f.last > self.budget.forget_after]:
            del self._keys[key]
        while len(self._keys) > MAX_KEYS:  # still full: drop the oldest (an attacker's many addresses)
            del self._keys[min(self._keys, key=lambda k: self._keys[k].last)]


@dataclass
class PinAttempts:
    """The PIN sign-in's two budgets: per seat and per client address."""

    seats: Attempts = field(default_factory=lambda: Attempts(SEAT_BUDGET))
    addresses: Attempts = field(default_factory=lambda: Attempts(ADDRESS_BUDGET))
    clock: Callable[[], float] = time.monotonic

    def retry_after(self, seat: Hashable, address: str) -> int:
        """Whole seconds to wait before trying this seat from this address (0: go ahead)."""
        now = self.clock()
        return math.ceil(max(self.seats.wait(seat, now), self.addresses.wait(address, now)))

    def failed(self, seat: Hashable, address: str) -> None:
        now = self.clock()
        self.seats.failed(seat, now)
        self.addresses.failed(address, now)

    def succeeded(self, seat: Hashable) -> None:
        self.seats.succeeded(seat)
