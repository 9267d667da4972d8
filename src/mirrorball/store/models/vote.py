"""Audience voting: windows, the vote ledger, cap counters, tallies, invalidations, partners, sign-in codes.

The ledger (`votes`) is append-only: a vote, or a change of a saved allocation, is a row with a signed
`delta`; a tally is the sum of the deltas that were not invalidated. Rows are written in ledger batches
(one per commit), and each batch is one record of the hash-chained audit log carrying the batch's
digest and per-couple sums, so the tally can be recounted from the log and any edited row is detected.

Caps are held by the database: `vote_counters` has one row per (window, channel, voter) with couple ""
for the total and one per (window, channel, voter, couple), except for a partner's voters under a
channel without a per-couple cap, who only add votes and need the total alone;
CHECK constraints keep `used` between 0 and the row's `cap`, so no concurrent interleaving, worker or
host can store more than the cap.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base, utcnow

WINDOW_STATES = ("scheduled", "open", "closed")
DISCLOSURES = ("hidden", "after_close", "live")
TOTAL = ""  # the couple value of a voter's whole-window counter row

# SQLite's INTEGER primary key is its rowid (64-bit); PostgreSQL needs BIGINT for a ledger of billions.
LedgerId = BigInteger().with_variant(Integer(), "sqlite")


class VoteWindow(Base):
    """The period a show week's votes are accepted, with its caps, eligibility and disclosure policy."""

    __tablename__ = "vote_windows"
    __table_args__ = (
        CheckConstraint("state IN ('scheduled', 'open', 'closed')", name="state"),
        CheckConstraint("disclosure IN ('hidden', 'after_close', 'live')", name="disclosure"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competitions.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # [{"key": "7", "name": "Ann & Bob", "photo": "/static/..."}]: the couples voted for, keyed as the
    # tally is (the show engine's couple keys).
    couples: Mapped[list[Any]]
    # {"online": {"per_couple": 10, "per_window": null, "editable": true}, "phone": {...}}
    caps: Mapped[dict[str, Any]]
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    # {"US-West": ["2026-11-29T20:00:00+00:00", "2026-11-29T22:00:00+00:00"]}: windows per region.
    region_windows: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(20), default="scheduled")
    closed_at: Mapped[datetime | None]
    require_age: Mapped[bool] = mapped_column(default=False)
    regions: Mapped[list[Any] | None]  # None: every region; else the list of eligible regions
    disclosure: Mapped[str] = mapped_column(String(20), default="hidden")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VoteBatch(Base):
    """One committed group of ledger rows: the unit that is recorded in the audit log."""

    __tablename__ = "vote_batches"
    # Its votes' `received_at` is this moment: a time range of votes is a range of batches.
    __table_args__ = (Index("ix_vote_batches_created", "created_at"),)

    id: Mapped[int] = mapped_column(LedgerId, primary_key=True)
    source: Mapped[str] = mapped_column(String(120))  # "web" or "partner:<name>"
    partner_batch: Mapped[str | None] = mapped_column(String(120))
    rows: Mapped[int] = mapped_column(default=0)
    digest: Mapped[str] = mapped_column(String(64), default="")
    audit_seq: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VoteInvalidation(Base):
    """A post-hoc annulment of votes (bulk fraud), with who, why and which criteria; logged and recounted."""

    __tablename__ = "vote_invalidations"

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("vote_windows.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    criteria: Mapped[dict[str, Any]]
    actor: Mapped[str] = mapped_column(String(100))
    rows: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Vote(Base):
    """One ledger row: `delta` votes for `couple` from `voter` on `channel` (negative when moved away)."""

    __tablename__ = "votes"
    __table_args__ = (
        # The idempotency key: a retried request (same voter, same key) can never count twice. Key
        # before voter: a partner's keys follow its batch, so its rows land at the index's end
        # (voter first made a 2000-vote batch's inserts and commit twice as slow on SQLite).
        UniqueConstraint("window_id", "request_key", "voter", "part", name="uq_votes_request"),
        CheckConstraint("delta <> 0", name="delta"),
        # No (window, received_at) index: a time range is found through the batches (migration 0008).
        Index("ix_votes_batch", "batch_id"),
    )

    id: Mapped[int] = mapped_column(LedgerId, primary_key=True)
    # No FOREIGN KEY on window and batch (nor on the counters' window): on PostgreSQL each checks
    # every inserted row against its parent under a row lock, a third of a 2000-vote batch (69 -> 47
    # ms). Only `apply_batch` writes these rows, in the transaction that read the window (never
    # deleted) and created the batch; the recount reports any row whose batch is not in the log.
    window_id: Mapped[int]
    channel: Mapped[str] = mapped_column(String(40))
    voter: Mapped[str] = mapped_column(String(240))
    couple: Mapped[str] = mapped_column(String(40))
    delta: Mapped[int]
    request_key: Mapped[str] = mapped_column(String(80))
    part: Mapped[int] = mapped_column(default=0)
    address: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime]
    batch_id: Mapped[int] = mapped_column(LedgerId)
    invalidation_id: Mapped[int | None] = mapped_column(ForeignKey("vote_invalidations.id"))


class VoteCounter(Base):
    """What a voter has used of a cap; the CHECKs are the caps, held by the database itself."""

    __tablename__ = "vote_counters"
    __table_args__ = (
        CheckConstraint("used >= 0", name="used_not_negative"),
        CheckConstraint("cap IS NULL OR used <= cap", name="used_within_cap"),
        # On SQLite the rows live in the primary key's own b-tree instead of a rowid table plus that
        # index: one b-tree to insert into and look up (migration 0007).
        {"sqlite_with_rowid": False},
    )

    window_id: Mapped[int] = mapped_column(primary_key=True)  # no FOREIGN KEY: see Vote.window_id
    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    voter: Mapped[str] = mapped_column(String(240), primary_key=True)
    couple: Mapped[str] = mapped_column(String(40), primary_key=True)  # TOTAL ("") for the window total
    used: Mapped[int]
    cap: Mapped[int | None]


class WindowTally(Base):
    """The running tally per couple (valid votes), kept in step with the ledger in the same transaction."""

    __tablename__ = "vote_window_tallies"

    window_id: Mapped[int] = mapped_column(ForeignKey("vote_windows.id"), primary_key=True)
    couple: Mapped[str] = mapped_column(String(40), primary_key=True)
    votes: Mapped[int] = mapped_column(default=0)
    rows: Mapped[int] = mapped_column(default=0)  # ledger rows counted, for progress


class VotePartner(Base):
    """A gateway partner (phone, SMS operator) sending batches with its own voter ids."""

    __tablename__ = "vote_partners"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    channel: Mapped[str] = mapped_column(String(40))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VoteSignInCode(Base):
    """The pending e-mail code of one address (only its keyed hash), with expiry and attempts left."""

    __tablename__ = "vote_signin_codes"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)


class VoteKey(Base):
    """Server secrets shared by every worker: the receipt signing seed, the voter-token secret."""

    __tablename__ = "vote_keys"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
