"""Checks on marks before any rule runs (Rules 2–4 and Rule 1's "exactly as many X's").

Each check raises the specific error naming the judge, dance and couple, because the scrutineer takes
the sheet back to that judge; nothing here ever repairs a mark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mirrorball.scoring.errors import (
    CouplesMismatch,
    DuplicateJudge,
    DuplicateRank,
    EmptyPanel,
    InvalidMark,
    InvalidXMark,
    JudgesMismatch,
    MissingMark,
    NoCouples,
    RankOutOfRange,
    ScoringError,
    WrongRecallCount,
)


def check_panel(judges: Sequence[str]) -> tuple[str, ...]:
    """At least one judge, each label once."""
    panel = tuple(judges)
    if not panel:
        raise EmptyPanel("no judges: a panel needs at least one judge")
    seen: set[str] = set()
    for judge in panel:
        if judge in seen:
            raise DuplicateJudge("this judge appears twice on the panel", judge=judge)
        seen.add(judge)
    return panel


def check_dances(dances: Sequence[str], couples_by_dance: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """At least one dance, every dance with the same couples as the first (Rules 9–11 compare them)."""
    names = tuple(dances)
    if not names:
        raise ScoringError("no dances: a final or round needs at least one dance")
    reference = names[0]
    expected = set(couples_by_dance[reference])
    for dance in names[1:]:
        present = set(couples_by_dance[dance])
        for couple in couples_by_dance[reference]:
            if couple not in present:
                raise CouplesMismatch(f"missing here but present in {reference}", dance=dance, couple=couple)
        for couple in couples_by_dance[dance]:
            if couple not in expected:
                raise CouplesMismatch(f"present here but not in {reference}", dance=dance, couple=couple)
    return names


def _check_lengths(marks: Mapping[str, Sequence[Any]], judges: Sequence[str], dance: str | None) -> None:
    if not marks:
        raise NoCouples("no couples", dance=dance)
    lengths = {len(row) for row in marks.values()}
    if len(lengths) == 1 and (length := lengths.pop()) != len(judges):
        raise JudgesMismatch(
            f"every couple has {length} marks but the panel has {len(judges)} judges ({', '.join(judges)})",
            dance=dance,
        )
    for couple, row in marks.items():
        if len(row) < len(judges):
            raise MissingMark("no mark from this judge", dance=dance, judge=judges[len(row)], couple=couple)
        if len(row) > len(judges):
            raise JudgesMismatch(
                f"{len(row)} marks for a panel of {len(judges)} judges", dance=dance, couple=couple
            )


def check_ranks(marks: Mapping[str, Sequence[Any]], judges: Sequence[str], dance: str) -> None:
    """Rules 2–4: every judge ranks every couple 1..N, each rank once."""
    _check_lengths(marks, judges, dance)
    n = len(marks)
    for j, judge in enumerate(judges):
        holder: dict[int, str] = {}
        for couple, row in marks.items():
            mark = row[j]
            if mark is None:
                raise MissingMark("no rank from this judge", dance=dance, judge=judge, couple=couple)
            if isinstance(mark, bool) or not isinstance(mark, int):
                raise InvalidMark(
                    f"rank {mark!r} is not a whole number", dance=dance, judge=judge, couple=couple
                )
            if not 1 <= mark <= n:
                raise RankOutOfRange(
                    f"rank {mark} is outside 1..{n} for {n} couples", dance=dance, judge=judge, couple=couple
                )
            if mark in holder:
                raise DuplicateRank(
                    f"rank {mark} given twice, also to couple {holder[mark]}",
                    dance=dance,
                    judge=judge,
                    couple=couple,
                )
            holder[mark] = couple


def check_x_marks(
    marks: Mapping[str, Sequence[Any]], judges: Sequence[str], dance: str, required: int | None
) -> None:
    """Rule 1: each X is 0/1 (or False/True) and, when ``required`` is set, each judge gives that many."""
    _check_lengths(marks, judges, dance)
    for j, judge in enumerate(judges):
        given = 0
        for couple, row in marks.items():
            mark = row[j]
            if mark is None:
                raise MissingMark("no X or blank from this judge", dance=dance, judge=judge, couple=couple)
            if not isinstance(mark, int) or mark not in (0, 1):
                raise InvalidXMark(
                    f"recall mark {mark!r} is not 0 or 1", dance=dance, judge=judge, couple=couple
                )
            given += int(mark)
        if required is not None and given != required:
            raise WrongRecallCount(f"marked {given} couples, {required} asked for", dance=dance, judge=judge)
