"""Leaderboards: turning totals into places and points under a tie policy.

With N couples the best gets N points, the last 1. Tied totals share according to the policy:

- competition ("3, 3, 1"): a tied block gets the points of its best position; the next couple's
  position counts everyone above it (Strictly 2008).
- dense ("3, 3, 2"): a tied block takes one step; the next couple is one step lower (Strictly after 2008).
- averaged ("2.5, 2.5, 1"): a tied block shares the mean of the points of the positions it covers.

The same rule turns a ranking into Eurovision points (12, 10, 8 … 1 for the top ten).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from mirrorball.scoring.show.model import TiePolicy

EUROVISION_POINTS: tuple[int, ...] = (12, 10, 8, 7, 6, 5, 4, 3, 2, 1)


def blocks(values: Mapping[str, Fraction]) -> list[list[str]]:
    """Couples grouped by equal value, best (highest) first; listing order kept inside a block."""
    order = {couple: i for i, couple in enumerate(values)}
    distinct = sorted(set(values.values()), reverse=True)
    return [sorted((c for c, v in values.items() if v == value), key=order.__getitem__) for value in distinct]


def table_points(
    values: Mapping[str, Fraction], table: Sequence[Fraction | int], policy: TiePolicy
) -> dict[str, Fraction]:
    """Points from a position table (index 0 = first place; positions past its end score 0)."""

    def at(position: int) -> Fraction:
        return Fraction(table[position]) if position < len(table) else Fraction(0)

    points: dict[str, Fraction] = {}
    position = 0
    for step, block in enumerate(blocks(values)):
        if policy == "competition":
            share = at(position)
        elif policy == "dense":
            share = at(step)
        else:
            share = sum((at(position + i) for i in range(len(block))), Fraction(0)) / len(block)
        for couple in block:
            points[couple] = share
        position += len(block)
    return points


def rank_points(values: Mapping[str, Fraction], policy: TiePolicy) -> dict[str, Fraction]:
    """N … 1 leaderboard points (N couples), ties shared by `policy`."""
    n = len(values)
    return table_points(values, [Fraction(n - i) for i in range(n)], policy)


def eurovision_points(values: Mapping[str, Fraction], policy: TiePolicy) -> dict[str, Fraction]:
    """12, 10, 8, 7 … 1 for the top ten, 0 below, ties shared by `policy`."""
    return table_points(values, [Fraction(p) for p in EUROVISION_POINTS], policy)


def places(values: Mapping[str, Fraction]) -> dict[str, tuple[int, int]]:
    """Leaderboard places as intervals (from, to): tied couples share '2-3'."""
    out: dict[str, tuple[int, int]] = {}
    position = 1
    for block in blocks(values):
        for couple in block:
            out[couple] = (position, position + len(block) - 1)
        position += len(block)
    return out
