"""Checking the audit log: the hash chain, then every result recomputed from the logged marks.

The chain check finds altered records (hash mismatch), removed or reordered ones (seq gaps, prev_hash
links), and records cut off the end (the head row). The replay rebuilds each round from the log alone
(`round.created`, `sheet.submitted`, `votes.tallied`, the Chairman's choice or the judges' save
votes in `result.computed`) and recomputes every
result with the same code that computed it (`service.compute`), then compares with the digest the log
recorded and with the result stored in the database, which the public reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.audit.chain import GENESIS_HASH, record_hash
from mirrorball.formats.errors import InputError
from mirrorball.scoring.errors import ScoringError
from mirrorball.service.compute import RoundMarksInput, compute_round, outcome_digest, outcome_of
from mirrorball.service.compute_show import SHOW_WEEK, ShowWeekInput, compute_show_week
from mirrorball.service.errors import ServiceError
from mirrorball.store.models import AuditHead, AuditRecord, Publication, Result


@dataclass(frozen=True)
class Problem:
    seq: int | None  # the audit record at fault, when one is
    what: str


@dataclass
class Report:
    records: int = 0
    results_recomputed: int = 0
    publications_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Round:
    created: dict[str, Any]  # the round.created payload
    sheets: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    votes: dict[str, int] | None = None
    digests: dict[int, str] = field(default_factory=dict)  # result version → recomputed digest

    def skating_input(self, chairman_choice: int | None) -> RoundMarksInput:
        return RoundMarksInput(
            kind=self.created["kind"],
            dances=tuple(self.created["dances"]),
            judges=tuple(self.created["judges"]),
            couples=tuple(self.created["couples"]),
            sheets=dict(self.sheets),
            recall_target=self.created["recall_target"],
            chairman_choice=chairman_choice,
            cut_policy=self.created.get("cut_policy", "ask"),
        )

    def show_input(self, rounds: dict[int, _Round], save_votes: dict[str, str] | None) -> ShowWeekInput:
        c = self.created
        included = c["includes_round_id"]
        return ShowWeekInput(
            label=c["name"],
            couples=tuple(c["couples"]),
            judges=tuple(c["judges"]),
            routines={name: tuple(couples) for name, couples in c["routines"].items()},
            sheets=dict(self.sheets),
            votes=self.votes,
            rules=c["rules"],
            eliminate=c["eliminate"],
            final=c["final"],
            earlier=(rounds[included].show_input(rounds, None),) if included is not None else (),
            save_votes=save_votes,
        )


def check_chain(records: Iterable[AuditRecord], head: AuditHead | None) -> tuple[int, list[Problem]]:
    problems: list[Problem] = []
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    for record in records:
        count += 1
        if record.seq != expected_seq:
            missing = (
                f"{expected_seq}" if record.seq == expected_seq + 1 else f"{expected_seq}-{record.seq - 1}"
            )
            problems.append(Problem(record.seq, f"record(s) {missing} are missing before this one (removed)"))
        if record.prev_hash != prev_hash:
            problems.append(
                Problem(record.seq, "does not link to the record before it (removed or reordered records)")
            )
        actual = record_hash(
            record.prev_hash, record.seq, record.at, record.actor, record.kind, record.payload
        )
        if actual != record.hash:
            problems.append(
                Problem(record.seq, f"{record.kind} was altered: its hash does not match its content")
            )
        expected_seq, prev_hash = record.seq + 1, record.hash
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or head.hash != prev_hash):
        problems.append(
            Problem(
                head.seq,
                f"the log ends at record {last_seq} but was appended up to {head.seq} "
                "(records removed from the end)",
            )
        )
    if head is None and count:
        problems.append(Problem(None, "the chain's head row is missing"))
    return count, problems


def replay(records: Iterable[AuditRecord], report: Report) -> dict[tuple[int, int], str]:
    """Recompute every result from the log; returns {(round, result version): digest} that were published."""
    rounds: dict[int, _Round] = {}
    published: dict[tuple[int, int], str] = {}
    for record in records:
        try:
            payload: dict[str, Any] = json.loads(record.payload)
        except ValueError:
            report.problems.append(Problem(record.seq, "the payload is not JSON"))
            continue
        try:
            _apply(record.seq, record.kind, payload, rounds, published, report)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            report.problems.append(Problem(record.seq, f"{record.kind} has a malformed payload ({exc!r})"))
    return published


def _apply(
    seq: int,
    kind: str,
    payload: dict[str, Any],
    rounds: dict[int, _Round],
    published: dict[tuple[int, int], str],
    report: Report,
) -> None:
    if kind == "round.created":
        rounds[payload["round_id"]] = _Round(created=payload)
    elif kind == "votes.tallied" and payload["round_id"] in rounds:
        state = rounds[payload["round_id"]]
        totals = dict(state.votes or {})
        for couple, votes in payload["tallies"].items():
            totals[couple] = totals.get(couple, 0) + votes
        state.votes = totals
    elif kind == "sheet.submitted" and payload["round_id"] in rounds:
        rounds[payload["round_id"]].sheets[(payload["dance"], payload["judge"])] = payload["marks"]
    elif kind == "result.computed":
        _recompute(seq, payload, rounds, report)
    elif kind == "result.published":
        report.publications_checked += 1
        published_round = rounds.get(payload["round_id"])
        recomputed = published_round.digests.get(payload["result_version"]) if published_round else None
        if recomputed is None:
            report.problems.append(Problem(seq, "publishes a result the log never computed"))
        else:
            if recomputed != payload["outcome_sha256"]:
                report.problems.append(
                    Problem(seq, "publishes a result that differs from the logged marks' result")
                )
            published[(payload["round_id"], payload["result_version"])] = recomputed


def _recompute(seq: int, payload: dict[str, Any], rounds: dict[int, _Round], report: Report) -> None:
    state = rounds.get(payload["round_id"])
    if state is None:
        report.problems.append(Problem(seq, "a result for a round the log never created"))
        return
    try:
        if state.created["kind"] == SHOW_WEEK:
            outcome = compute_show_week(state.show_input(rounds, payload.get("save_votes")))
        else:
            outcome = outcome_of(compute_round(state.skating_input(payload.get("chairman_choice"))))
        digest = outcome_digest(outcome)
    except (ScoringError, InputError, ServiceError) as exc:
        report.problems.append(Problem(seq, f"the logged marks do not give a result: {exc}"))
        return
    report.results_recomputed += 1
    state.digests[payload["version"]] = digest
    if digest != payload["outcome_sha256"]:
        report.problems.append(
            Problem(
                seq,
                f"round {payload['round_id']} result v{payload['version']} "
                "does not follow from the logged marks",
            )
        )


def verify(session: Session) -> Report:
    """Check the chain, recompute every result from the log, compare published results with the store."""
    report = Report()
    records = list(session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))
    report.records, chain_problems = check_chain(records, session.get(AuditHead, 1))
    report.problems.extend(chain_problems)
    published = replay(records, report)
    stored = session.execute(select(Publication, Result).join(Result, Result.id == Publication.result_id))
    seen: set[tuple[int, int]] = set()
    for publication, result in stored:
        key = (publication.round_id, result.version)
        seen.add(key)
        if key not in published:
            report.problems.append(
                Problem(None, f"round {key[0]} result v{key[1]} is published but the log does not show it")
            )
        elif outcome_digest(result.outcome) != published[key]:
            report.problems.append(
                Problem(
                    None,
                    f"round {key[0]} result v{key[1]} as stored differs from the result the log recomputes",
                )
            )
    for round_id, version in sorted(set(published) - seen):
        report.problems.append(
            Problem(
                None, f"round {round_id} result v{version} was published per the log but is not in the store"
            )
        )
    return report
