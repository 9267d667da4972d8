"""Pausing Python's cyclic garbage collector while a large batch is counted.

A 2000-vote gateway batch keeps ~100 000 young objects alive until it commits, and the collector
walked them again and again: ~4 ms of the batch (measured with `gc.callbacks` in the server), and a
batch over HTTP took 63.6 ms with the collector running, 60.3 ms with it paused (eight alternating
server runs). Reference counting frees nearly all of those objects as soon as the batch is answered;
the few cycles wait for the next collection.

The pause is process-wide and counted: it ends when the last batch running ends. So that overlapping
batches (several partners sending at once) never keep the collector off for long, a batch that ends
while others still run collects everything itself once `COLLECT_EVERY` seconds have passed since the
last collection.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

COLLECT_EVERY = 5.0  # seconds: the longest cyclic garbage waits while batches overlap

_lock = threading.Lock()
_running = 0  # batches inside `paused()` now
_resume = True  # whether the collector was on when the pause began
_collected = 0.0  # time.monotonic() of the last collection this module ran or allowed


@contextmanager
def paused() -> Iterator[None]:
    global _running, _resume, _collected
    with _lock:
        _running += 1
        if _running == 1:
            _resume = gc.isenabled()  # a process that runs without the collector keeps it off
            _collected = time.monotonic()
            gc.disable()
    try:
        yield
    finally:
        collect = False
        with _lock:
            _running -= 1
            if _running == 0:
                if _resume:
                    gc.enable()
            elif time.monotonic() - _collected >= COLLECT_EVERY:
                collect, _collected = True, time.monotonic()
        if collect:
            gc.collect()
