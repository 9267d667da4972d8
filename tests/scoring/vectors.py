"""The bundled known-answer vectors, loaded at collection time so each case is its own test id."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def load_vectors(kind: str, *, dance_places_only: bool | None = None) -> list[Any]:
    text = resources.files("mirrorball").joinpath("data", "skating", "vectors.json").read_text("utf-8")
    cases = [case for case in json.loads(text) if case["kind"] == kind]
    if dance_places_only is not None:
        cases = [c for c in cases if (c.get("input") == "dance_places_only") == dance_places_only]
    return cases


def split_x_marks(case: dict[str, Any]) -> dict[str, dict[str, list[int]]]:
    """The vectors list each couple's X's as judges A..G of the first dance, then of the next dance."""
    judges = len(case["judges"])
    flat = case["marks"]["x_marks"]
    return {
        dance: {couple: row[i * judges : (i + 1) * judges] for couple, row in flat.items()}
        for i, dance in enumerate(case["dances"])
    }
