"""The storage layer: migrations on both backends, SQLite durability settings, UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from mirrorball.store.base import Base
from mirrorball.store.db import make_engine, make_session_factory, normalize_url, transaction
from mirrorball.store.migrate import alembic_config, migrate
from mirrorball.store.models import AuthSession


def test_migrations_create_every_table_of_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)  # again: must be a no-op on an up-to-date database
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_a_fresh_sqlite_file_is_created_in_wal_with_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    engine = make_engine(str(path))
    migrate(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    assert path.exists()


def test_postgres_urls_use_psycopg_3_and_paths_become_sqlite_urls() -> None:
    assert normalize_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normalize_url("/tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"


def test_timestamps_come_back_timezone_aware_utc(db_url: str) -> None:
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC) + timedelta(microseconds=7)
    with transaction(factory) as session:
        session.add(AuthSession(id="x" * 64, role="admin", csrf_token="c", expires_at=moment))
    with transaction(factory) as session:
        stored = session.scalars(select(AuthSession.expires_at)).one()
        assert session.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()
    assert stored == moment and stored.tzinfo is not None


def test_sqlite_vote_counters_move_into_their_primary_key_and_keep_their_rows(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "old.sqlite3"))
    command.upgrade(alembic_config(engine), "0006_partner_totals")
    with engine.begin() as connection:
        rows = "(1, 'web', 'ann', '', 3, 5), (1, 'web', 'ann', '1', 3, NULL)"
        connection.execute(text(f"INSERT INTO vote_counters VALUES {rows}"))
    migrate(engine)
    with engine.begin() as connection:
        table = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'vote_counters'")
        ).scalar_one()
        rows = connection.execute(text("SELECT * FROM vote_counters ORDER BY couple")).all()
    assert table.rstrip().endswith("WITHOUT ROWID")
    assert [tuple(r) for r in rows] == [(1, "web", "ann", "", 3, 5), (1, "web", "ann", "1", 3, None)]
    with pytest.raises(IntegrityError), engine.begin() as connection:  # the cap's CHECK came along
        connection.execute(text("UPDATE vote_counters SET used = 6 WHERE couple = ''"))
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_time_range_of_votes_is_indexed_by_batch_not_by_vote(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Migration 0008 on both backends: one index entry per batch instead of one per vote, and back."""
    if backend == "postgres":  # a database of its own: this one is migrated down and up
        engine = make_engine(request.getfixturevalue("postgres_databases").fresh())
    else:
        engine = make_engine(str(tmp_path / "ledger.sqlite3"))
        migrate(engine)

    def indexes(table: str) -> set[str]:
        return {str(ix["name"]) for ix in inspect(engine).get_indexes(table)}

    assert "ix_vote_batches_created" in indexes("vote_batches")
    assert "ix_votes_window_received" not in indexes("votes") and "ix_votes_batch" in indexes("votes")
    config = alembic_config(engine)
    command.downgrade(config, "0007_counters_without_rowid")
    assert "ix_votes_window_received" in indexes("votes")
    assert "ix_vote_batches_created" not in indexes("vote_batches")
    migrate(engine)
    assert "ix_votes_window_received" not in indexes("votes")
    engine.dispose()
