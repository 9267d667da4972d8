"""Rate limits per voter and per address that never lock a whole venue out behind one address.

A studio audience, a pub, a campus or a mobile carrier's NAT puts thousands of honest voters behind one
IP address; a plain per-address limit would refuse them all because of one noisy neighbour. So:

- every key (a verified voter, or the e-mail a code is asked for) has its own limit per time slice;
- the address has a budget per slice too, but when it is spent only the address's *heavy* keys are
  refused: those that have used at least `max(fair_floor, budget / distinct keys)` of the slice. A
  voter below the fair floor is never refused because of the address, however busy the address is.

Counting is per process (each worker keeps its own counters): rate limits are a guard against abuse,
not a rule of the show; the caps that are rules live in the database.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Slice:
    start: float
    total: int = 0
    per_key: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Refusal:
    reason: str
    retry_after: float


class RateLimiter:
    """Fixed time slices (`period` seconds) of counters per address and per key within the address."""

    def __init__(
        self,
        per_key: int,
        per_address: int,
        period: float = 10.0,
        fair_floor: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_key = per_key
        self.per_address = per_address
        self.period = period
        self.fair_floor = fair_floor if fair_floor is not None else max(1, per_key // 2)
        self._clock = clock
        self._slices: dict[str, _Slice] = {}
        self._key_counts: dict[str, _Slice] = {}
        self._lock = threading.Lock()

    def check(self, address: str, key: str) -> Refusal | None:
        """Count one request; None when allowed, else why it was refused and when to retry."""
        with self._lock:
            now = self._clock()
            if len(self._slices) + len(self._key_counts) > 200_000:
                self._forget_before(now - self.period)
            per_address = self._current(self._slices, address, now)
            per_key = self._current(self._key_counts, key, now)
            retry = max(0.0, per_address.start + self.period - now)
            key_used = per_key.total
            if key_used >= self.per_key:
                return Refusal(
                    "too many requests from this voter", max(0.0, per_key.start + self.period - now)
                )
            used_here = per_address.per_key.get(key, 0)
            if per_address.total >= self.per_address:
                distinct = len(per_address.per_key) + (key not in per_address.per_key)
                share = max(self.fair_floor, math.ceil(self.per_address / distinct))
                if used_here >= share:
                    return Refusal("too many requests from this address", retry)
            per_key.total += 1
            per_address.total += 1
            per_address.per_key[key] = used_here + 1
            return None

    def _current(self, table: dict[str, _Slice], name: str, now: float) -> _Slice:
        current = table.get(name)
        if current is None or now - current.start >= self.period:
            current = table[name] = _Slice(start=now)
        return current

    def _forget_before(self, cutoff: float) -> None:
        for table in (self._slices, self._key_counts):
            for name in [n for n, s in table.items() if s.start < cutoff]:
                del table[name]
