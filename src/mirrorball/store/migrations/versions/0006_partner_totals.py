"""A partner's voters under a per-window cap keep only their total counter row.

Their per-couple rows held no cap (`cap IS NULL`) and nobody reads them: a partner's voters only add
votes and get no receipt. Counting no longer writes them; this removes the ones written before.

Revision ID: 0006_partner_totals
Revises: 0005_votes
Create Date: 2026-11-29 19:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006_partner_totals"
down_revision: str | Sequence[str] | None = "0005_votes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM vote_counters WHERE couple <> '' AND cap IS NULL AND voter LIKE 'partner:%'")


def downgrade() -> None:
    pass  # not rebuilt: the ledger holds every count those rows had
