"""The collector pause around gateway batches: it ends with the last batch and never runs unbounded."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from mirrorball.web import collector


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_back_on_after_the_last_batch() -> None:
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer batch still runs
    assert gc.isenabled()


def test_the_collector_is_back_on_after_a_batch_that_failed() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("the batch failed")
    assert gc.isenabled()


def test_a_process_that_runs_without_the_collector_keeps_it_off() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_overlapping_batches_still_collect_cycles_every_few_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collector, "COLLECT_EVERY", 0.0)
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        first_in, second_done = threading.Event(), threading.Event()

        def long_batch() -> None:
            with collector.paused():
                first_in.set()
                second_done.wait(5)

        thread = threading.Thread(target=long_batch)
        thread.start()
        first_in.wait(5)
        with collector.paused():  # ends while the long batch still runs
            pass
        assert 2 in collections and not gc.isenabled()
        second_done.set()
        thread.join()
    finally:
        gc.callbacks.remove(count)
    assert gc.isenabled()
