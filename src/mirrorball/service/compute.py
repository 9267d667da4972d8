"""From a round's stored marks to its result: the one place the server calls the Skating engines.

Both closing a round and `mirrorball audit verify` (replaying the log) go through `compute_round`, so
the verifier recomputes exactly what the server computed. Marks are keyed by back number as text, the
engines' couple identifiers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mirrorball.audit.chain import canonical_json
from mirrorball.formats.marks import FinalMarks, RecallMarks
from mirrorball.scoring import CutPolicy, place_dance, recall
from mirrorball.service.errors import Conflict, Invalid
from mirrorball.service.tabulate import RoundResult, tabulate
from mirrorball.sheets.json import to_dict

RECALL = "recall"
FINAL = "final"
X = 1  # a recall mark's stored value


@dataclass(frozen=True)
class RoundMarksInput:
    """Everything closing a round needs, read from the store or replayed from the audit log."""

    kind: str
    dances: tuple[str, ...]
    judges: tuple[str, ...]  # letters, in seat order
    couples: tuple[str, ...]  # back numbers as text, in number order
    sheets: Mapping[tuple[str, str], Mapping[str, int]]  # (dance, judge) → {couple: value}
    recall_target: int | None
    chairman_choice: int | None = None  # how many couples the Chairman recalls at a tied cut
    cut_policy: str = CutPolicy.ASK.value  # or the event's policy set in advance: more, fewer, nearest


def check_sheet(
    *,
    kind: str,
    dance: str,
    judge: str,
    couples: tuple[str, ...],
    marks: Mapping[str, int],
    recall_target: int | None,
) -> None:
    """Refuse a sheet the engines would refuse, before it is stored (names dance, judge, couple)."""
    unknown = sorted(set(marks) - set(couples), key=_number_order)
    if unknown:
        raise Invalid(
            f"couple {unknown[0]} does not dance in this round", dance=dance, judge=judge, couple=unknown[0]
        )
    if kind == RECALL:
        assert recall_target is not None
        bad = [c for c, value in marks.items() if value != X]
        if bad:
            raise Invalid("a recall mark is an X (value 1)", dance=dance, judge=judge, couple=bad[0])
        crosses = {c: (c in marks,) for c in couples}
        recall({dance: crosses}, judges=(judge,), requested=recall_target, marks_per_judge=recall_target)
    elif kind == FINAL:
        missing = [c for c in couples if c not in marks]
        if missing:
            raise Invalid("every finalist needs a rank", dance=dance, judge=judge, couple=missing[0])
        place_dance({c: (marks[c],) for c in couples}, judges=(judge,), dance=dance)
    else:
        raise Invalid(f"{kind} rounds take no Skating marks", dance=dance, judge=judge)


def compute_round(given: RoundMarksInput) -> RoundResult:
    """Cut the recall or place the final; a tied cut without the Chairman's choice stays unresolved."""
    for dance in given.dances:
        for judge in given.judges:
            if (dance, judge) not in given.sheets:
                raise Conflict(
                    "marks are missing: every judge must submit every dance", dance=dance, judge=judge
                )
    if given.kind == RECALL:
        crosses = {
            d: {c: tuple(c in given.sheets[(d, j)] for j in given.judges) for c in given.couples}
            for d in given.dances
        }
        marks: RecallMarks | FinalMarks = RecallMarks(
            given.judges, given.dances, crosses, given.recall_target
        )
        return tabulate(marks, chairman_choice=given.chairman_choice, cut_policy=CutPolicy(given.cut_policy))
    ranks = {
        d: {c: tuple(given.sheets[(d, j)][c] for j in given.judges) for c in given.couples}
        for d in given.dances
    }
    return tabulate(FinalMarks(given.judges, given.dances, ranks))


def outcome_of(result: RoundResult) -> dict[str, Any]:
    """The stable JSON stored with a result and served by the API (`mirrorball.sheets.json`)."""
    return to_dict(result)


def outcome_digest(outcome: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical outcome: logged with each result, so verify can compare without a copy."""
    return hashlib.sha256(canonical_json(outcome).encode("utf-8")).hexdigest()


def _number_order(couple: str) -> tuple[int, str]:
    return (int(couple), couple) if couple.isdigit() else (1 << 30, couple)
