"""The ledger loses its (window, received_at) index; a time range finds its votes through their batches.

Every ledger row is stamped with its batch's `created_at` (one moment per batch, by construction in
`vote_ledger._write`), so "votes received between A and B" are the votes of the batches created between
A and B. That index was kept for the rare invalidation by time range and cost every vote one more
b-tree insert: a 2000-vote gateway batch on SQLite spent ~2 ms of its ledger insert on it. The batches'
own `created_at` gets an index instead: one entry per batch, not per vote.

Revision ID: 0008_votes_time_by_batch
Revises: 0007_counters_without_rowid
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008_votes_time_by_batch"
down_revision: str | Sequence[str] | None = "0007_counters_without_rowid"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_vote_batches_created", "vote_batches", ["created_at"])
    op.drop_index("ix_votes_window_received", table_name="votes")


def downgrade() -> None:
    op.create_index("ix_votes_window_received", "votes", ["window_id", "received_at"])
    op.drop_index("ix_vote_batches_created", table_name="vote_batches")
