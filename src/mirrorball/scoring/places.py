"""A place is an interval of positions, because the Skating System shares places instead of breaking ties.

Two couples tied on 2nd and 3rd both hold the interval (2, 3), worth 2.5. Keeping the interval (not just
the value) lets English sheets print "2.5" and German sheets "2-3" from the same result, and keeps Rule 10
exact: a shared 4.5 is *not* "4th or better".
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

PlaceStyle = Literal["decimal", "range"]


@dataclass(frozen=True, order=True)
class Place:
    """Positions ``low``..``high`` (inclusive); ``low == high`` for an unshared place."""

    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low < 1 or self.high < self.low:
            raise ValueError(f"a place runs from 1 upwards with low <= high, not {self.low}-{self.high}")

    @classmethod
    def single(cls, n: int) -> Place:
        """The unshared place ``n``."""
        return cls(n, n)

    @classmethod
    def from_value(cls, value: Fraction | int, *, size: int | None = None) -> Place:
        """The interval behind a published value: 3 -> (3, 3); 3.5 -> (3, 4); 2.5 shared by 4 -> (1, 4).

        A value alone cannot tell "2.5 shared by two" (2-3) from "2.5 shared by four" (1-4); ``size``
        says how many couples share it. Without it the narrowest interval is assumed.
        """
        value = Fraction(value)
        if size is None:
            size = 1 if value.denominator == 1 else 2
        low = value - Fraction(size - 1, 2)
        if low.denominator != 1:
            raise ValueError(f"{value} cannot be the mean of {size} consecutive places")
        return cls(int(low), int(low) + size - 1)

    @property
    def value(self) -> Fraction:
        """The mean of the shared positions: what Rule 9 adds up."""
        return Fraction(self.low + self.high, 2)

    @property
    def shared(self) -> bool:
        return self.high > self.low

    @property
    def size(self) -> int:
        """How many couples share this place."""
        return self.high - self.low + 1

    def format(self, style: PlaceStyle = "decimal") -> str:
        """'2.5' (English sheets, ``decimal``) or '2-3' (German sheets, ``range``); '3' when not shared."""
        if not self.shared:
            return str(self.low)
        if style == "range":
            return f"{self.low}-{self.high}"
        return format_number(self.value)

    def as_number(self) -> int | float:
        """2 or 2.5, for JSON. Exact: a place's value is always a whole number or a half."""
        value = self.value
        return int(value) if value.denominator == 1 else float(value)

    def __str__(self) -> str:
        return self.format()


def format_number(value: Fraction) -> str:
    """A place value, total or sum as sheets print it: '12', '27.5'.

    Places are whole or halves, so their totals and sums are too; anything else is printed as the
    exact fraction ('10/3') rather than silently rounded.
    """
    if value.denominator == 1:
        return str(value.numerator)
    if 10 % value.denominator == 0:
        return str(float(value))
    return f"{value.numerator}/{value.denominator}"


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd' (for decision notes)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe_place(place: Place) -> str:
    """'4th', or '3rd-4th (3.5)' for a shared place, for decision notes."""
    if not place.shared:
        return ordinal(place.low)
    return f"{ordinal(place.low)}-{ordinal(place.high)} ({place.format()})"
