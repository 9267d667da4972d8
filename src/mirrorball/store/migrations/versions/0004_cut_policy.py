"""A round's cut policy: ask the Chairman (default), or an event's policy set in advance.

Revision ID: 0004_cut_policy
Revises: 0003_show_weeks
Create Date: 2026-11-29 13:23:39.660773
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_cut_policy"
down_revision: str | Sequence[str] | None = "0003_show_weeks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cut_policy", sa.String(length=10), server_default="ask", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_column("cut_policy")
