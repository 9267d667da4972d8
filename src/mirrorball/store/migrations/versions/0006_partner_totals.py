"""The hot vote tables lose their per-row FOREIGN KEY checks; partner voters keep a total counter only.

On PostgreSQL the foreign keys of `votes` (window, batch) and `vote_counters` (window) checked every
inserted row against its parent under a row lock: a third of a 2000-vote batch. Only the ledger's
`apply_batch` writes these rows, in the transaction that read the window and created the batch.

A partner's voters under a per-window cap had per-couple counter rows that held no cap (`cap IS NULL`)
and that nobody reads (they only add votes and get no receipt): counting no longer writes them, and
this removes the ones written before.

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


FOREIGN_KEYS = (  # (table, constraint, column, parent)
    ("votes", "fk_votes_window_id_vote_windows", "window_id", "vote_windows"),
    ("votes", "fk_votes_batch_id_vote_batches", "batch_id", "vote_batches"),
    ("vote_counters", "fk_vote_counters_window_id_vote_windows", "window_id", "vote_windows"),
)


def upgrade() -> None:
    for table, name, _, _ in FOREIGN_KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_="foreignkey")
    op.execute("DELETE FROM vote_counters WHERE couple <> '' AND cap IS NULL AND voter LIKE 'partner:%'")


def downgrade() -> None:
    # The per-couple rows removed are not rebuilt: the ledger holds every count they had.
    for table, name, column, parent in FOREIGN_KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(name, parent, [column], ["id"])
