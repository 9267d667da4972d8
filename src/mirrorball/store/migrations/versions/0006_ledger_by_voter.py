"""The ledger's idempotency index leads with the voter; per-couple counters only under per-couple caps.

A voter's per-couple counts are read from the ledger (through this index) where the channel has no
per-couple cap, so those channels keep one counter row per voter (the total) instead of one more per
couple voted for: the rows without a cap that earlier versions wrote are removed.

Revision ID: 0006_ledger_by_voter
Revises: 0005_votes
Create Date: 2026-11-29 19:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006_ledger_by_voter"
down_revision: str | Sequence[str] | None = "0005_votes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_constraint("uq_votes_request", type_="unique")
        batch_op.create_unique_constraint("uq_votes_request", ["window_id", "voter", "request_key", "part"])
    op.execute("DELETE FROM vote_counters WHERE couple <> '' AND cap IS NULL")


def downgrade() -> None:
    # The per-couple rows removed above are not rebuilt: the ledger holds those counts.
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_constraint("uq_votes_request", type_="unique")
        batch_op.create_unique_constraint("uq_votes_request", ["window_id", "request_key", "voter", "part"])
