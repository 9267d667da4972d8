"""The host's reveal: how far the announcement of each round's result has gone.

Revision ID: 0002_reveal
Revises: 0001_foundation
Create Date: 2026-11-29 12:52:29.433145
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_reveal"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reveals",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name=op.f("fk_reveals_round_id_rounds")),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_reveals")),
    )


def downgrade() -> None:
    op.drop_table("reveals")
