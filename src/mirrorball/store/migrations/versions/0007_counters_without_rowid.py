"""On SQLite the vote counters become a WITHOUT ROWID table: their rows live in the primary key.

A rowid table with a composite primary key is two b-trees on SQLite, the table by rowid and the key's
index: every new voter's counter row was inserted into both, and every lookup went through the index
to the table. WITHOUT ROWID keeps one b-tree, ordered by (window, channel, voter, couple). PostgreSQL
has no such choice; nothing changes there.

Revision ID: 0007_counters_without_rowid
Revises: 0006_partner_totals
Create Date: 2026-11-29 21:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007_counters_without_rowid"
down_revision: str | Sequence[str] | None = "0006_partner_totals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild(with_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "vote_counters", recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
    ):
        pass


def upgrade() -> None:
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
