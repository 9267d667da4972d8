"""Show weeks: week settings and rules, routines' couples, the audience's vote tallies per window.

Revision ID: 0003_show_weeks
Revises: 0002_reveal
Create Date: 2026-11-29 13:15:08.470051
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_show_weeks"
down_revision: str | Sequence[str] | None = "0002_reveal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "show_weeks",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("eliminate", sa.Integer(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("includes_round_id", sa.Integer(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["includes_round_id"], ["rounds.id"], name=op.f("fk_show_weeks_includes_round_id_rounds")
        ),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name=op.f("fk_show_weeks_round_id_rounds")),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_show_weeks")),
    )
    op.create_table(
        "vote_tallies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("window", sa.String(length=100), nullable=False),
        sa.Column("couple_id", sa.Integer(), nullable=False),
        sa.Column("votes", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["couple_id"], ["couples.id"], name=op.f("fk_vote_tallies_couple_id_couples")
        ),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name=op.f("fk_vote_tallies_round_id_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_tallies")),
        sa.UniqueConstraint(
            "round_id", "window", "couple_id", name=op.f("uq_vote_tallies_round_id_window_couple_id")
        ),
    )
    with op.batch_alter_table("vote_tallies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_tallies_round_id"), ["round_id"], unique=False)

    op.create_table(
        "routine_couples",
        sa.Column("dance_id", sa.Integer(), nullable=False),
        sa.Column("couple_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["couple_id"], ["couples.id"], name=op.f("fk_routine_couples_couple_id_couples")
        ),
        sa.ForeignKeyConstraint(["dance_id"], ["dances.id"], name=op.f("fk_routine_couples_dance_id_dances")),
        sa.PrimaryKeyConstraint("dance_id", "couple_id", name=op.f("pk_routine_couples")),
    )


def downgrade() -> None:
    op.drop_table("routine_couples")
    with op.batch_alter_table("vote_tallies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vote_tallies_round_id"))

    op.drop_table("vote_tallies")
    op.drop_table("show_weeks")
