"""A stored result shown as its full sheet, through `mirrorball.sheets` (never recomputed by a page).

A stored result keeps the stable JSON of the outcome; the sheet layout (`sheets.pages`) works on the
engine's result objects. The engines are deterministic, so the server's own compute path
(`service.compute`, the same one `audit verify` replays) rebuilds the object from the counting sheets,
and the rebuilt outcome must have the stored result's digest. When it does not (a sheet was corrected
after publication and the correction is not published yet) the page shows the stored places only,
never a result nobody published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.formats.errors import InputError
from mirrorball.scoring.errors import ScoringError
from mirrorball.service.compute import compute_round, outcome_digest, outcome_of
from mirrorball.service.compute_show import SHOW_WEEK
from mirrorball.service.errors import ServiceError
from mirrorball.service.results import marks_input
from mirrorball.service.tabulate import RoundResult
from mirrorball.sheets.pages import DECIDING_MARK, Page, pages
from mirrorball.store.models import Couple, Decision, Result, Round, RoundCouple

__all__ = ["DECIDING_MARK", "ResultView", "result_view"]


@dataclass
class ResultView:
    kind: str
    outcome: dict[str, Any]
    names: dict[str, str]  # back number → "Leader & Follower"
    engine_result: RoundResult | None
    sheet_pages: list[Page]

    def placings(self) -> list[dict[str, Any]]:
        """Rows for the placings table, read from the stored outcome (best first / by number)."""
        if self.kind == SHOW_WEEK:
            return self._show_rows()
        if self.kind == "recall":
            recalled = sorted(self.outcome.get("recalled", []), key=_by_number)
            return [{"place": "", "number": c, "names": self.names.get(c, "")} for c in recalled]
        places: dict[str, Any] = self.outcome.get("places", {})
        ordered = sorted(places, key=lambda c: (places[c], _by_number(c)))
        return [{"place": _place(places[c]), "number": c, "names": self.names.get(c, "")} for c in ordered]

    def _show_rows(self) -> list[dict[str, Any]]:
        """A show week: the week's ranking with judges' points and fate; vote counts stay private."""
        points: dict[str, Any] = self.outcome.get("points", {})
        eliminated = set(self.outcome.get("eliminated", []))
        bottom = set(self.outcome.get("bottom", []))
        rows = []
        for place, couple in enumerate(self.outcome.get("ranking", []), start=1):
            if self.outcome.get("final"):
                fate = "champion" if place == 1 else f"{_ordinal(place)} place"
            else:
                fate = (
                    "eliminated"
                    if couple in eliminated
                    else "bottom two, saved"
                    if couple in bottom
                    else "safe"
                )
            rows.append(
                {
                    "place": place,
                    "number": couple,
                    "names": self.names.get(couple, ""),
                    "points": points.get(couple, ""),
                    "fate": fate,
                }
            )
        return rows

    def why(self, couple: str) -> list[str]:
        """Every step of the working that compared or placed `couple`, in the scrutineer's words."""
        if self.kind == SHOW_WEEK:
            steps = [d["text"] for d in self.outcome.get("decisions", []) if couple in d.get("couples", [])]
            save = self.outcome.get("save")
            if save and couple in self.outcome.get("bottom", []):
                steps.append(save["explanation"])
            return steps
        if self.engine_result is None:
            return []
        return [
            (f"{d.dance}: " if d.dance else "") + d.note
            for d in self.engine_result.decisions
            if couple in d.couples or couple in d.outcome
        ]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _by_number(couple: str) -> tuple[int, str]:
    return (int(couple), couple) if couple.isdigit() else (1 << 30, couple)


def _place(value: Any) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def couple_names(session: Session, round_id: int) -> dict[str, str]:
    rows = session.scalars(
        select(Couple)
        .join(RoundCouple, RoundCouple.couple_id == Couple.id)
        .where(RoundCouple.round_id == round_id)
    )
    return {str(c.number): f"{c.leader} & {c.follower}" for c in rows}


def result_view(session: Session, row: Round, result: Result) -> ResultView:
    names = couple_names(session, row.id)
    rebuilt = None if row.kind == SHOW_WEEK else _rebuild(session, row, result)
    sheet_pages = pages(rebuilt) if rebuilt is not None else []
    return ResultView(result.kind, result.outcome, names, rebuilt, sheet_pages)


def _rebuild(session: Session, row: Round, result: Result) -> RoundResult | None:
    decision = session.scalar(
        select(Decision)
        .where(Decision.round_id == row.id, Decision.kind == "recall_cut")
        .order_by(Decision.id.desc())
        .limit(1)
    )
    choice = int(decision.choice["recall"]) if decision is not None else None
    try:
        computed = compute_round(marks_input(session, row, chairman_choice=choice))
    except (ServiceError, ScoringError, InputError):
        return None
    if outcome_digest(outcome_of(computed)) != outcome_digest(result.outcome):
        # Maybe the stored result predates the Chairman's decision (an unresolved cut).
        if choice is not None:
            try:
                computed = compute_round(marks_input(session, row))
            except (ServiceError, ScoringError, InputError):
                return None
            if outcome_digest(outcome_of(computed)) == outcome_digest(result.outcome):
                return computed
        return None
    return computed
