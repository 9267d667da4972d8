"""Appending to the hash-chained audit log.

Each record hashes `prev_hash + canonical(record)`, so altering, removing or reordering any record
breaks every hash after it. Appends are serialised by locking the single `audit_head` row (SQLite
already serialises writers), which keeps seq gap-free and the chain linear across workers.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.store.models import AuditHead, AuditRecord

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """The one JSON spelling that is hashed: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def record_hash(prev_hash: str, seq: int, at: str, actor: str, kind: str, payload: str) -> str:
    body = canonical_json({"seq": seq, "at": at, "actor": actor, "kind": kind, "payload": payload})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(session: Session, *, actor: str, kind: str, payload: dict[str, Any]) -> AuditRecord:
    """Add one record in the caller's transaction: it exists exactly when the use case commits."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS_HASH)
        session.add(head)
    seq = head.seq + 1
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    text = canonical_json(payload)
    digest = record_hash(head.hash, seq, at, actor, kind, text)
    record = AuditRecord(
        seq=seq, at=at, actor=actor, kind=kind, payload=text, prev_hash=head.hash, hash=digest
    )
    session.add(record)
    head.seq, head.hash = seq, digest
    session.flush()
    return record
