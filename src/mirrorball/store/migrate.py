"""Run the Alembic migrations shipped inside the package, programmatically, on start.

Several workers (or hosts) may start at once: on PostgreSQL an advisory lock makes one of them migrate
while the others wait; on SQLite the migration's `BEGIN IMMEDIATE` transaction does the same.
Parallel branches of the project each add their own migration; upgrading to "heads" applies them all.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

# Any constant: identifies "mirrorball migrating" among advisory locks on a shared server.
_MIGRATION_LOCK_KEY = 0x6D6972726F72


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("mirrorball.store") / "migrations"))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema up to date (creating it on a fresh database)."""
    config = alembic_config(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as lock_connection:
            lock_connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
            try:
                command.upgrade(config, "heads")
            finally:
                lock_connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK_KEY})
                lock_connection.commit()
    else:
        command.upgrade(config, "heads")
