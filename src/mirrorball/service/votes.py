"""Voting use cases for the producer: windows, tallies, invalidation and the recount from the audit log.

Counting itself is `mirrorball.service.vote_ledger`; sign-in, partners and keys are
`mirrorball.service.vote_access`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.orm import Session

from mirrorball.audit import chain
from mirrorball.scoring.errors import ScoringError
from mirrorball.scoring.votes import remaining, tally
from mirrorball.service import show
from mirrorball.service.errors import Conflict, Invalid, NotFound
from mirrorball.service.principal import Principal
from mirrorball.service.vote_ledger import (
    AUDIT_BATCH,
    batch_digest,
    policy_of,
    voter_counts,
    voter_ref,
    window_refusal,
)
from mirrorball.store.base import utcnow
from mirrorball.store.models import AuditRecord
from mirrorball.store.models.vote import (
    DISCLOSURES,
    Vote,
    VoteBatch,
    VoteInvalidation,
    VoteWindow,
    WindowTally,
)

AUDIT_INVALIDATION = "vote_invalidation"


@dataclass(frozen=True)
class WindowSpec:
    """What the producer sets up for a show week's vote."""

    title: str
    couples: Sequence[Mapping[str, Any]]
    caps: Mapping[str, Mapping[str, Any]]
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    region_windows: Mapping[str, tuple[datetime, datetime]] = field(default_factory=dict)
    require_age: bool = False
    regions: Sequence[str] | None = None
    disclosure: str = "hidden"
    competition_id: int | None = None
    round_id: int | None = None


def _check_spec(spec: WindowSpec) -> None:
    keys = [str(c.get("key", "")) for c in spec.couples]
    if not keys:
        raise Invalid("a vote needs at least one couple", field="couples")
    if any(not k for k in keys) or len(set(keys)) != len(keys):
        raise Invalid("every couple needs a distinct, non-empty key", field="couples")
    if not spec.caps:
        raise Invalid("a vote needs caps for at least one channel (e.g. online)", field="caps")
    if spec.disclosure not in DISCLOSURES:
        raise Invalid(f"disclosure must be one of {', '.join(DISCLOSURES)}", field="disclosure")
    if spec.opens_at and spec.closes_at and spec.closes_at <= spec.opens_at:
        raise Invalid("the window must close after it opens", field="closes_at")
    for region, (start, end) in spec.region_windows.items():
        if end <= start:
            raise Invalid(f"the window for region {region} must close after it opens", field="region_windows")


def create_window(session: Session, actor: str, spec: WindowSpec) -> VoteWindow:
    _check_spec(spec)
    window = VoteWindow(
        competition_id=spec.competition_id,
        round_id=spec.round_id,
        title=spec.title,
        couples=[dict(c, key=str(c["key"])) for c in spec.couples],
        caps={ch: dict(cap) for ch, cap in spec.caps.items()},
        opens_at=spec.opens_at,
        closes_at=spec.closes_at,
        region_windows={r: [s.isoformat(), e.isoformat()] for r, (s, e) in spec.region_windows.items()},
        require_age=spec.require_age,
        regions=list(spec.regions) if spec.regions is not None else None,
        disclosure=spec.disclosure,
    )
    for channel in window.caps:
        try:
            policy_of(window, channel)
        except ScoringError as exc:
            raise Invalid(f"caps of channel {channel}: {exc}", field="caps") from exc
    session.add(window)
    session.flush()
    chain.append(session, actor=actor, kind="vote_window_created", payload=describe_window(window))
    return window


def get_window(session: Session, window_id: int) -> VoteWindow:
    window = session.get(VoteWindow, window_id)
    if window is None:
        raise NotFound(f"no voting window {window_id}", window=window_id)
    return window


def list_windows(session: Session) -> list[VoteWindow]:
    return list(session.scalars(select(VoteWindow).order_by(VoteWindow.id)))


def describe_window(window: VoteWindow, now: datetime | None = None) -> dict[str, Any]:
    """The window as the API shows it (public: no vote numbers)."""
    now = now or utcnow()
    refusal = window_refusal(window, now)
    return {
        "id": window.id,
        "title": window.title,
        "competition_id": window.competition_id,
        "round_id": window.round_id,
        "couples": window.couples,
        "caps": window.caps,
        "opens_at": window.opens_at.isoformat() if window.opens_at else None,
        "closes_at": window.closes_at.isoformat() if window.closes_at else None,
        "region_windows": window.region_windows,
        "state": window.state,
        "accepting": refusal is None,
        "status_message": refusal.message if refusal else "voting is open",
        "require_age": window.require_age,
        "regions": window.regions,
        "disclosure": window.disclosure,
    }


def open_window(session: Session, actor: str, window_id: int) -> VoteWindow:
    """The producer opens voting now (the schedule's close, if any, still applies)."""
    window = get_window(session, window_id)
    if window.state == "closed":
        raise Conflict(
            "a closed vote cannot be reopened: votes after the close would change a result", window=window_id
        )
    window.state = "open"
    chain.append(session, actor=actor, kind="vote_window_opened", payload={"window": window.id})
    return window


def close_window(session: Session, actor: str, window_id: int) -> VoteWindow:
    """The producer closes voting now; from this commit on, every vote is refused."""
    window = session.scalars(select(VoteWindow).where(VoteWindow.id == window_id).with_for_update()).first()
    if window is None:
        raise NotFound(f"no voting window {window_id}", window=window_id)
    if window.state != "closed":
        window.state, window.closed_at = "closed", utcnow()
        chain.append(session, actor=actor, kind="vote_window_closed", payload={"window": window.id})
    return window


def is_closed(window: VoteWindow, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return window.state == "closed" or (window.closes_at is not None and now >= window.closes_at)


def window_tally(session: Session, window_id: int) -> dict[str, int]:
    """{couple: votes} of valid votes: what the show engine combines with the judges' marks."""
    window = get_window(session, window_id)
    rows = session.execute(
        select(WindowTally.couple, WindowTally.votes).where(WindowTally.window_id == window_id)
    )
    return tally(((couple, votes) for couple, votes in rows), couples=[c["key"] for c in window.couples])


def feed_show_week(session: Session, principal: Principal, window_id: int) -> dict[str, Any]:
    """Hand a closed window's recounted tally to its show week, where the judges' points and the votes
    are combined (`mirrorball.service.show.tally_votes`: once per window, audited there).

    Done by the producer after the close, not at the close itself: annulling fraud comes first, and a
    week counts each window once.
    """
    window = get_window(session, window_id)
    if not is_closed(window):
        raise Conflict("close the vote before its tally goes to the show week", window=window_id)
    if window.round_id is None:
        raise Invalid("this vote is not linked to a show week (round_id)", window=window_id)
    check = recount(session, [window_id])[0]
    if not check.matches:
        raise Conflict("the recount from the audit log does not match the tally", window=window_id)
    counts = window_tally(session, window_id)
    label = f"vote window {window.id}: {window.title}"[:100]
    totals = show.tally_votes(session, window.round_id, window=label, tallies=counts, principal=principal)
    return {"window": window_id, "round_id": window.round_id, "tallies": counts, "week_totals": totals}


def shares(counts: Mapping[str, int]) -> dict[str, Fraction]:
    total = sum(counts.values())
    return {couple: Fraction(n, total) if total else Fraction(0) for couple, n in counts.items()}


def public_tally(session: Session, window_id: int) -> dict[str, Any]:
    """What the public may see under the window's disclosure policy: nothing, or shares in per cent."""
    window = get_window(session, window_id)
    visible = window.disclosure == "live" or (window.disclosure == "after_close" and is_closed(window))
    if not visible:
        return {"window": window_id, "disclosure": window.disclosure, "shares": None}
    percent = {c: round(float(s * 100), 1) for c, s in shares(window_tally(session, window_id)).items()}
    return {"window": window_id, "disclosure": window.disclosure, "shares": percent}


def voter_status(session: Session, window: VoteWindow, channel: str, voter: str) -> dict[str, Any]:
    """A voter's saved allocation and what is left of the cap."""
    policy = policy_of(window, channel)
    if policy is None:
        raise Invalid(f"channel {channel!r} does not vote in this window", field="channel")
    current, total = voter_counts(session, window.id, channel, voter)
    return {
        "window": window.id,
        "channel": channel,
        "allocation": dict(sorted(current.items())),
        "remaining": remaining(policy, current, total=total),
        "per_couple": policy.per_couple,
        "per_window": policy.per_window,
        "editable": policy.editable,
    }


@dataclass(frozen=True)
class Criteria:
    """Which votes an invalidation annuls; at least one criterion besides the window is required."""

    voter: str | None = None
    address: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None  # "partner:<name>"
    partner_batch: str | None = None

    def as_dict(self) -> dict[str, Any]:
        raw = {
            "voter": self.voter,
            "address": self.address,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "source": self.source,
            "partner_batch": self.partner_batch,
        }
        return {k: v for k, v in raw.items() if v is not None}


@dataclass(frozen=True)
class ReceiptStanding:
    """Whether the votes a genuine receipt states still count, as the ledger says now."""

    state: str  # "counted", "annulled", "nothing" (the request changed nothing) or "missing"
    message: str
    annulled_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        at = self.annulled_at.isoformat() if self.annulled_at else None
        return {"state": self.state, "message": self.message, "annulled_at": at}


def receipt_standing(session: Session, facts: Mapping[str, Any]) -> ReceiptStanding:
    """What became of the request a receipt was issued for (its facts, already verified).

    A receipt proves the votes were counted when it was signed; an invalidation may have annulled them
    since. The request's ledger rows are found by its idempotency key (the index's first columns) and
    matched to the receipt's voter by the same hash the receipt carries, so the check needs nothing
    the receipt does not already say.
    """
    if not facts.get("counted"):
        return ReceiptStanding("nothing", "This request changed nothing, so there is nothing to count")
    rows = session.execute(
        select(Vote.voter, Vote.invalidation_id).where(
            Vote.window_id == facts.get("window"), Vote.request_key == facts.get("key")
        )
    ).all()
    mine = [row for row in rows if voter_ref(row.voter) == facts.get("voter")]
    if not mine:
        return ReceiptStanding("missing", "The ledger of this server holds no votes for this receipt")
    annulled = sorted({row.invalidation_id for row in mine if row.invalidation_id is not None})
    if not annulled:
        return ReceiptStanding("counted", "These votes are in the ledger and count")
    invalidation = session.get(VoteInvalidation, annulled[0])
    assert invalidation is not None  # a FOREIGN KEY holds it
    return ReceiptStanding(
        "annulled", f"These votes were annulled: {invalidation.reason.rstrip('.')}", invalidation.created_at
    )


def _matching(criteria: Criteria) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if criteria.voter is not None:
        clauses.append(Vote.voter == criteria.voter)
    if criteria.address is not None:
        clauses.append(Vote.address == criteria.address)
    batch = select(VoteBatch.id)
    # A vote's `received_at` is its batch's `created_at`, so a time range is found by the batches'
    # index (the ledger has none on time); the rows' own stamps are still what is compared.
    if criteria.since is not None:
        clauses.append(Vote.received_at >= criteria.since)
        batch = batch.where(VoteBatch.created_at >= criteria.since)
    if criteria.until is not None:
        clauses.append(Vote.received_at < criteria.until)
        batch = batch.where(VoteBatch.created_at < criteria.until)
    if criteria.source is not None:
        batch = batch.where(VoteBatch.source == criteria.source)
    if criteria.partner_batch is not None:
        batch = batch.where(VoteBatch.partner_batch == criteria.partner_batch)
    if batch.whereclause is not None:
        clauses.append(Vote.batch_id.in_(batch))
    return clauses


def _hits(session: Session, window_id: int, criteria: Criteria) -> list[Any]:
    """The window's still-valid ledger rows matching `criteria` (id, couple, delta), in ledger order."""
    get_window(session, window_id)
    clauses = _matching(criteria)
    if not clauses:
        raise Invalid(
            "name the votes to annul: voter, address, time range or partner batch", field="criteria"
        )
    where = and_(Vote.window_id == window_id, Vote.invalidation_id.is_(None), *clauses)
    return list(session.execute(select(Vote.id, Vote.couple, Vote.delta).where(where).order_by(Vote.id)))


def annulment_preview(session: Session, window_id: int, criteria: Criteria) -> dict[str, Any]:
    """What `invalidate` would annul, changing nothing: ledger rows and votes per couple."""
    hit = _hits(session, window_id, criteria)
    removed: dict[str, int] = defaultdict(int)
    for h in hit:
        removed[h.couple] += h.delta
    return {"rows": len(hit), "removed": dict(sorted(removed.items())), "criteria": criteria.as_dict()}


def invalidate(
    session: Session, actor: str, window_id: int, reason: str, criteria: Criteria
) -> dict[str, Any]:
    """Annul the valid votes matching `criteria`, log why, subtract them from the tally, and recount."""
    get_window(session, window_id)
    if not reason.strip():
        raise Invalid("an invalidation needs a reason", field="reason")
    hit = _hits(session, window_id, criteria)
    record = VoteInvalidation(
        window_id=window_id, reason=reason.strip(), criteria=criteria.as_dict(), actor=actor, rows=len(hit)
    )
    session.add(record)
    session.flush()
    session.execute(update(Vote).where(Vote.id.in_([h.id for h in hit])).values(invalidation_id=record.id))
    sums: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for h in hit:
        sums[h.couple] += h.delta
        counts[h.couple] += 1
    for couple, removed in sums.items():
        session.execute(
            update(WindowTally)
            .where(WindowTally.window_id == window_id, WindowTally.couple == couple)
            .values(votes=WindowTally.votes - removed, rows=WindowTally.rows - counts[couple])
        )
    payload = {
        "invalidation": record.id,
        "window": window_id,
        "reason": record.reason,
        "criteria": record.criteria,
        "rows": len(hit),
        "ids_digest": _ids_digest(h.id for h in hit),
        "sums": dict(sorted(sums.items())),
    }
    chain.append(session, actor=actor, kind=AUDIT_INVALIDATION, payload=payload)
    session.flush()
    check = recount(session, [window_id])[0]
    return {
        "invalidation": record.id,
        "rows": len(hit),
        "removed": dict(sorted(sums.items())),
        "tally": window_tally(session, window_id),
        "recount_matches": check.matches,
    }


def _ids_digest(ids: Iterator[int] | Sequence[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()


@dataclass
class WindowRecount:
    """One window recounted from the audit log, compared with the ledger and the running tally."""

    window: int
    from_log: dict[str, int]
    from_ledger: dict[str, int]
    tally: dict[str, int]
    problems: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return not self.problems and self.from_log == self.from_ledger == self.tally


def recount(session: Session, window_ids: Sequence[int] | None = None) -> list[WindowRecount]:
    """Recount windows from the audit log alone and check the ledger rows against the log's digests.

    The log has one record per ledger batch (its digest and per-couple sums per window) and one per
    invalidation (the annulled rows' ids and sums). Log sums minus invalidated sums must equal both
    the ledger's valid rows and the running tally, and every batch's rows must hash to its digest (an
    edited, added or deleted vote row is caught even if someone also fixed the tally).
    """
    windows = list_windows(session) if window_ids is None else [get_window(session, w) for w in window_ids]
    wanted = {w.id for w in windows}
    from_log: dict[int, dict[str, int]] = {w: defaultdict(int) for w in wanted}
    problems: dict[int, list[str]] = {w: [] for w in wanted}
    batch_digests: dict[int, str] = {}
    invalidation_digests: dict[int, tuple[int, str]] = {}
    records = session.execute(
        select(AuditRecord.kind, AuditRecord.payload)
        .where(AuditRecord.kind.in_((AUDIT_BATCH, AUDIT_INVALIDATION)))
        .order_by(AuditRecord.seq)
    )
    for kind, text in records:
        payload = json.loads(text)
        if kind == AUDIT_BATCH:
            batch_digests[payload["batch"]] = payload["digest"]
            for window_key, sums in payload["sums"].items():
                if int(window_key) in wanted:
                    for couple, n in sums.items():
                        from_log[int(window_key)][couple] += n
        elif payload["window"] in wanted:
            invalidation_digests[payload["invalidation"]] = (payload["window"], payload["ids_digest"])
            for couple, n in payload["sums"].items():
                from_log[payload["window"]][couple] -= n

    _check_batches(session, wanted, batch_digests, problems)
    _check_invalidations(session, invalidation_digests, problems)
    results = []
    for window in windows:
        couples = [c["key"] for c in window.couples]
        ledger_rows = session.execute(
            select(Vote.couple, func.sum(Vote.delta))
            .where(Vote.window_id == window.id, Vote.invalidation_id.is_(None))
            .group_by(Vote.couple)
        )
        results.append(
            WindowRecount(
                window=window.id,
                from_log=tally(from_log[window.id].items(), couples),
                from_ledger=tally(((c, int(n)) for c, n in ledger_rows), couples),
                tally=window_tally(session, window.id),
                problems=problems[window.id],
            )
        )
    return results


def recount_problems(session: Session) -> tuple[int, list[str]]:
    """Every voting window recounted from the log (for `mirrorball audit verify`): count and problems."""
    problems = []
    results = recount(session)
    for result in results:
        problems += [f"voting window {result.window}: {what}" for what in result.problems]
        if result.from_log != result.from_ledger:
            problems.append(
                f"voting window {result.window}: the ledger's votes differ from the log's recount"
            )
        if result.from_log != result.tally:
            problems.append(f"voting window {result.window}: the tally differs from the log's recount")
    return len(results), problems


def _check_batches(
    session: Session, wanted: set[int], digests: Mapping[int, str], problems: dict[int, list[str]]
) -> None:
    """Every ledger row of the wanted windows belongs to a logged batch whose digest it reproduces."""
    columns = (  # the batch id, then the digest's columns in LEDGER_COLUMNS' order
        Vote.batch_id,
        Vote.window_id,
        Vote.channel,
        Vote.voter,
        Vote.couple,
        Vote.delta,
        Vote.request_key,
        Vote.part,
        Vote.address,
        Vote.received_at,
    )
    batches = select(Vote.batch_id).where(Vote.window_id.in_(wanted)).distinct()
    rows_by_batch: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    stream = session.execute(
        select(*columns).where(Vote.batch_id.in_(batches)).execution_options(yield_per=5000)
    )
    for row in stream:
        rows_by_batch[row[0]].append(tuple(row[1:]))
    for batch_id, rows in rows_by_batch.items():
        touched = {r[0] for r in rows} & wanted
        expected = digests.get(batch_id)
        if expected is None:
            message = f"ledger batch {batch_id} is not in the audit log"
        elif batch_digest(rows) != expected:
            message = (
                f"ledger batch {batch_id} does not match its audit digest (rows edited, added or removed)"
            )
        else:
            continue
        for window_id in touched:
            problems[window_id].append(message)


def _check_invalidations(
    session: Session, digests: Mapping[int, tuple[int, str]], problems: dict[int, list[str]]
) -> None:
    for invalidation_id, (window_id, expected) in digests.items():
        ids = session.scalars(
            select(Vote.id).where(Vote.invalidation_id == invalidation_id).order_by(Vote.id)
        )
        if _ids_digest(list(ids)) != expected:
            problems[window_id].append(
                f"invalidation {invalidation_id} no longer matches the votes it annulled"
            )
