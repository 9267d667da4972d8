"""Place: an interval, printed two ways, exact in arithmetic."""

from __future__ import annotations

from fractions import Fraction

import pytest

from mirrorball.scoring import Place, format_number
from mirrorball.scoring.places import describe_place, ordinal


def test_single_and_shared_places() -> None:
    assert Place.single(3) == Place(3, 3)
    assert not Place.single(3).shared and Place(2, 3).shared
    assert Place(2, 3).value == Fraction(5, 2)
    assert Place(2, 3).format() == "2.5" and Place(2, 3).format("range") == "2-3"
    assert Place(1, 4).format() == "2.5" and Place(1, 4).format("range") == "1-4"
    assert Place.single(7).format("range") == "7"
    assert Place(2, 3).as_number() == 2.5 and isinstance(Place(2, 2).as_number(), int)
    assert str(Place(5, 6)) == "5.5"


def test_places_order_by_position() -> None:
    assert sorted([Place(3, 4), Place.single(1), Place.single(2)]) == [Place(1, 1), Place(2, 2), Place(3, 4)]


def test_from_value() -> None:
    assert Place.from_value(3) == Place(3, 3)
    assert Place.from_value(Fraction(7, 2)) == Place(3, 4)
    assert Place.from_value(Fraction(5, 2), size=4) == Place(1, 4)
    with pytest.raises(ValueError):
        Place.from_value(Fraction(5, 2), size=3)


@pytest.mark.parametrize("low, high", [(0, 0), (3, 2), (-1, 1)])
def test_invalid_intervals(low: int, high: int) -> None:
    with pytest.raises(ValueError):
        Place(low, high)


def test_formatting_helpers() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
    ]  # fmt: skip
    assert describe_place(Place(3, 4)) == "3rd-4th (3.5)"
    assert format_number(Fraction(55, 2)) == "27.5" and format_number(Fraction(12)) == "12"
    assert format_number(Fraction(10, 3)) == "10/3"
