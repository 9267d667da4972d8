"""Alembic environment: the engine comes from mirrorball (config.attributes["engine"]), never an ini file."""

from __future__ import annotations

from alembic import context

import mirrorball.store.models  # noqa: F401  (registers every table)
from mirrorball.store.base import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` run by hand: take the URL the way `mirrorball serve` does.
    from mirrorball.store.db import default_url, make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or default_url())

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables so one migration serves both.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
