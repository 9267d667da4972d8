"""Closing rounds, the Chairman's decision at the cut, the next round, publishing and corrections.

Every computed result is stored as a new version with its full outcome (the stable JSON of
`mirrorball.sheets.json`); the audit log records the digest of that outcome, so `audit verify` can
recompute it from the logged marks and compare.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mirrorball.audit.chain import append
from mirrorball.service import show
from mirrorball.service.compute import RECALL, RoundMarksInput, compute_round, outcome_digest, outcome_of
from mirrorball.service.compute_show import SHOW_WEEK, compute_show_week
from mirrorball.service.errors import Conflict, Invalid, NotFound
from mirrorball.service.judging import counting_sheets
from mirrorball.service.live import STAFF, LiveEvent, announce
from mirrorball.service.lookup import get, lock_round, require_status
from mirrorball.service.principal import Principal
from mirrorball.service.rounds_read import competition_of, round_couples
from mirrorball.service.setup import create_round
from mirrorball.store.models import Decision, Publication, Result, Round


def marks_input(session: Session, row: Round, chairman_choice: int | None = None) -> RoundMarksInput:
    """The round's counting sheets, shaped for the engines."""
    counted = counting_sheets(session, row)
    return RoundMarksInput(
        kind=row.kind,
        dances=tuple(name for _, name in counted.dances),
        judges=tuple(letter for _, letter in counted.judges),
        couples=tuple(round_couples(session, row.id)),
        sheets=counted.sheets,
        recall_target=row.recall_target,
        chairman_choice=chairman_choice,
        cut_policy=row.cut_policy,
    )


def current_result(session: Session, round_id: int) -> Result | None:
    return session.scalar(select(Result).where(Result.round_id == round_id, Result.status == "current"))


def _store_result(
    session: Session, row: Round, outcome: dict[str, Any], principal: Principal, inputs: dict[str, Any]
) -> Result:
    """A new current version; the audit record carries the decisions it used (`inputs`) for replay."""
    previous = current_result(session, row.id)
    if previous is not None:
        previous.status = "superseded"
    version = (session.scalar(select(func.max(Result.version)).where(Result.round_id == row.id)) or 0) + 1
    result = Result(round_id=row.id, version=version, kind=row.kind, status="current", outcome=outcome)
    resolved = bool(outcome.get("resolved", True))
    row.status = "closed" if resolved else "deciding"
    session.add(result)
    session.flush()
    append(
        session,
        actor=principal.actor,
        kind="result.computed",
        payload={
            "round_id": row.id,
            "result_id": result.id,
            "version": version,
            **inputs,
            "resolved": resolved,
            "outcome_sha256": outcome_digest(outcome),
        },
    )
    announce(
        session,
        LiveEvent(
            competition_of(session, row),
            "round_closed",
            {"round_id": row.id, "status": row.status},
            audience=STAFF,
        ),
    )
    return result


def _compute(session: Session, row: Round, **decisions: Any) -> dict[str, Any]:
    if row.kind == SHOW_WEEK:
        return compute_show_week(show.week_input(session, row, save=decisions.get("save_votes")))
    return outcome_of(
        compute_round(marks_input(session, row, chairman_choice=decisions.get("chairman_choice")))
    )


def close_round(session: Session, round_id: int, *, principal: Principal) -> Result:
    """Compute the round. A tie at the cut, or a judges' save to come, leaves it "deciding"."""
    row = lock_round(session, round_id)
    if row.status != "open":
        raise Conflict(f"the round is {row.status}; only an open round closes", round_id=round_id)
    return _store_result(session, row, _compute(session, row), principal, {})


def _waiting(row: Round) -> None:
    if row.status != "deciding":
        raise Conflict("no decision is waiting for this round", round_id=row.id)


def _record_decision(
    session: Session, row: Round, kind: str, choice: dict[str, Any], reason: str, principal: Principal
) -> None:
    session.add(Decision(round_id=row.id, kind=kind, choice=choice, reason=reason, actor=principal.actor))
    append(
        session,
        actor=principal.actor,
        kind="decision.recorded",
        payload={"round_id": row.id, "kind": kind, **choice, "reason": reason},
    )


def decide_cut(session: Session, round_id: int, *, recall: int, reason: str, principal: Principal) -> Result:
    """The Chairman's choice at a tied cut: recall `recall` couples, one of the offered sizes."""
    row = lock_round(session, round_id)
    if row.kind == SHOW_WEEK:
        raise Conflict("a show week is decided by the judges' save, not a cut", round_id=round_id)
    _waiting(row)
    outcome = _compute(session, row, chairman_choice=recall)  # an impossible choice is refused first
    _record_decision(session, row, "recall_cut", {"recall": recall}, reason, principal)
    return _store_result(session, row, outcome, principal, {"chairman_choice": recall})


def judges_save(session: Session, round_id: int, *, votes: dict[str, str], principal: Principal) -> Result:
    """The judges' save votes (judge letter → back number of the couple to save), keyed by the scrutineer."""
    row = lock_round(session, round_id)
    if row.kind != SHOW_WEEK:
        raise Conflict("only a show week has a judges' save", round_id=round_id)
    _waiting(row)
    outcome = _compute(session, row, save_votes=votes)
    _record_decision(session, row, "judges_save", {"votes": votes}, "", principal)
    return _store_result(session, row, outcome, principal, {"save_votes": votes})


def result_to_follow(session: Session, round_id: int, *, what: str) -> Result:
    """The closed round's current result, which the next round (or week) is made from; a round is
    followed only once."""
    if session.scalar(select(Round.id).where(Round.previous_round_id == round_id)) is not None:
        raise Conflict(f"the next {what} already exists", round_id=round_id)
    result = current_result(session, round_id)
    assert result is not None  # a closed round has its current result
    return result


def next_round(
    session: Session,
    round_id: int,
    *,
    name: str,
    kind: str,
    recall_target: int | None,
    principal: Principal,
    cut_policy: str = "ask",
) -> Round:
    """The following round of the event, danced by the couples this recall round recalled."""
    row = get(session, Round, round_id, what="round")
    if row.kind == SHOW_WEEK:
        raise Conflict("a show week is followed by the next week (next-week)", round_id=round_id)
    if row.kind != RECALL or row.status != "closed":
        raise Conflict("only a closed recall round has recalled couples", round_id=round_id)
    result = result_to_follow(session, round_id, what="round")
    recalled = [int(c) for c in result.outcome["recalled"]]
    return create_round(
        session,
        row.event_id,
        name=name,
        kind=kind,
        couples=recalled,
        recall_target=recall_target,
        actor=principal,
        previous_round_id=round_id,
        cut_policy=cut_policy,
    )


def publish(session: Session, round_id: int, *, reason: str, principal: Principal) -> Publication:
    """Make the round's current result public. Publishing again (a correction) needs a reason."""
    row = lock_round(session, round_id)
    require_status(row, "closed", "only a closed round's result is published")
    result = current_result(session, round_id)
    assert result is not None
    last = latest_publication(session, round_id)
    if last is not None and last.result_id == result.id:
        raise Conflict("this result is already published", round_id=round_id, version=last.version)
    if last is not None and not reason.strip():
        raise Invalid("a published result is corrected only with a reason", field="reason")
    publication = Publication(
        round_id=round_id,
        result_id=result.id,
        version=(last.version + 1) if last else 1,
        reason=reason,
        actor=principal.actor,
    )
    session.add(publication)
    session.flush()
    append(
        session,
        actor=principal.actor,
        kind="result.published",
        payload={
            "round_id": round_id,
            "publication": publication.version,
            "result_id": result.id,
            "result_version": result.version,
            "outcome_sha256": outcome_digest(result.outcome),
            "reason": reason,
        },
    )
    announce(
        session,
        LiveEvent(
            competition_of(session, row),
            "result_published",
            {"round_id": round_id, "publication": publication.version, "correction": last is not None},
        ),
    )
    return publication


def latest_publication(session: Session, round_id: int) -> Publication | None:
    return session.scalar(
        select(Publication)
        .where(Publication.round_id == round_id)
        .order_by(Publication.version.desc())
        .limit(1)
    )


def publications(session: Session, round_id: int) -> list[tuple[Publication, Result]]:
    """Every publication of the round, newest first, with the result version each one made public."""
    rows = session.execute(
        select(Publication, Result)
        .join(Result, Result.id == Publication.result_id)
        .where(Publication.round_id == round_id)
        .order_by(Publication.version.desc())
    )
    found = [(p, r) for p, r in rows]
    if not found:
        raise NotFound("no published result for this round", round_id=round_id)
    return found
