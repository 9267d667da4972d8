"""Fixtures for the page tests: one Chromium per module (starting it is the slow part)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pages_harness import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture()
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 820, "height": 1180})
    ctx.set_default_timeout(10_000)
    try:
        yield ctx
    finally:
        ctx.close()
