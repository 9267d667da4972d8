"""Shared fixtures: the bundled data every test reads, so a fresh clone needs nothing from outside."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from hypothesis import settings


def bundled_json(*parts: str) -> Any:
    """Load a JSON file shipped inside the package (mirrorball/data/...)."""
    ref = resources.files("mirrorball").joinpath("data", *parts)
    return json.loads(ref.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def skating_vectors() -> list[dict[str, Any]]:
    return bundled_json("skating", "vectors.json")


# Hypothesis's default 200 ms deadline is a timing assertion in disguise: on a shared 2-core machine a
# slow moment fails a correct test. Tests never assert timings (COMMON.md), so no deadline anywhere.
settings.register_profile("mirrorball", deadline=None)
settings.load_profile("mirrorball")
