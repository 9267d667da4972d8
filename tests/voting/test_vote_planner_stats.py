"""Planner statistics for the vote tables: PostgreSQL must look votes up by index from the first minute.

Without statistics (a table filled since the last autovacuum pass) PostgreSQL took the ledger for
nearly empty and checked a batch's idempotency keys by walking every row of the window: a batch's cost
grew with the ledger. `GrowthWatch` has the tables analysed as a window's rows double."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from mirrorball.service import votes as voting
from mirrorball.service.vote_ledger import LEDGER_STATS, VoteRequest, apply_batch, partner_voter
from mirrorball.store.db import make_engine, make_session_factory, transaction
from mirrorball.store.planner_stats import GrowthWatch
from server.conftest import PostgresDatabases

from .conftest import opened_window


def _estimated_rows(engine: Engine, table: str) -> float:
    with engine.connect() as connection:
        return float(
            connection.execute(text(f"SELECT reltuples FROM pg_class WHERE relname = '{table}'")).scalar_one()
        )


def test_a_keys_rows_are_analysed_each_time_they_grow_the_factor(
    postgres_databases: PostgresDatabases,
) -> None:
    engine = make_engine(postgres_databases.fresh())
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE growing (n integer)"))
        connection.execute(text("INSERT INTO growing SELECT generate_series(1, 110)"))
    watch = GrowthWatch({"growing": ["n"]}, first=100, factor=2)
    assert _estimated_rows(engine, "growing") < 0  # never analysed

    assert not watch.note(engine, "window 1", 60)
    assert watch.note(engine, "window 1", 50)  # 110 >= 100
    watch.wait()
    assert _estimated_rows(engine, "growing") == 110

    with engine.begin() as connection:
        connection.execute(text("INSERT INTO growing SELECT generate_series(1, 110)"))
    assert not watch.note(engine, "window 1", 100)  # 210: not yet twice 110
    assert not watch.note(engine, "window 2", 99)  # another key counts on its own
    assert watch.note(engine, "window 1", 10)  # 220
    watch.wait()
    assert _estimated_rows(engine, "growing") == 220
    engine.dispose()


def test_sqlite_is_never_analysed(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "plain.sqlite3"))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE growing (n integer)"))
    watch = GrowthWatch({"growing": ["n"]}, first=1)
    assert not watch.note(engine, "window 1", 1000)
    with engine.connect() as connection:
        assert (
            connection.execute(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            ).scalar_one()
            == 0
        )
    engine.dispose()


def test_the_ledger_finds_replays_through_the_idempotency_index_once_a_window_has_thousands_of_votes(
    postgres_databases: PostgresDatabases,
) -> None:
    engine = make_engine(postgres_databases.fresh())
    factory = make_session_factory(engine)
    spec = voting.WindowSpec(
        title="Week 1", couples=[{"key": "1", "name": "A"}], caps={"phone": {"per_window": 5}}
    )
    window_id = opened_window(factory, spec)
    size = LEDGER_STATS.first // 3 + 1  # the third batch crosses the first threshold

    def count(batch: int) -> None:
        requests = [
            VoteRequest(
                window_id, "phone", partner_voter("telco", f"+44{batch}{n:05d}"), f"b{batch}:{n}", "1"
            )
            for n in range(size)
        ]
        with transaction(factory) as session:
            outcomes = apply_batch(
                session, requests, datetime.now(UTC), source="partner:telco", receipts=False
            )
        assert all(o.status == 201 for o in outcomes)

    for batch in range(3):
        count(batch)
    LEDGER_STATS.wait()  # started by the third batch, before it committed
    assert _estimated_rows(engine, "votes") >= 2 * size
    for batch in range(3, 11):  # the statistics grow stale: 4-5 times the rows they knew, no new ANALYZE
        count(batch)

    probe = (
        "SELECT window_id, voter, request_key FROM votes WHERE window_id = ANY(:w) AND request_key = ANY(:k)"
    )
    with engine.connect() as connection:
        plan = "\n".join(
            row[0]
            for row in connection.execute(text(f"EXPLAIN {probe}"), {"w": [window_id], "k": ["b3:1", "b3:2"]})
        )
    assert "uq_votes_request" in plan and "request_key = ANY" in plan, plan
    engine.dispose()


@pytest.fixture(autouse=True)
def _no_analysis_left_running() -> None:
    yield
    LEDGER_STATS.wait()


def _counter_scans(session: Session) -> tuple[int, int]:
    """(sequential, index) scans of the vote counters in the session's transaction so far."""
    row = session.execute(
        text("SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'vote_counters'")
    ).one()
    return int(row.seq_scan), int(row.idx_scan or 0)


def test_a_batch_reads_and_updates_its_voters_counters_through_the_key_not_a_scan(
    postgres_databases: PostgresDatabases,
) -> None:
    """With PostgreSQL's spinning-disk default (random_page_cost 4) the planner scanned the whole
    counters table, some thousands of rows, for a batch of a few dozen voters: store.db prices random
    reads as memory reads on mirrorball's connections. The second half shows the scan coming back
    with 4, so this test would catch the setting going missing."""
    engine = make_engine(postgres_databases.fresh())
    factory = make_session_factory(engine)
    spec = voting.WindowSpec(
        title="Week 1",
        couples=[{"key": str(n), "name": f"Couple {n}"} for n in range(1, 5)],
        caps={"online": {"per_couple": 50, "per_window": 50}},
    )
    window_id = opened_window(factory, spec)

    def votes(first: int, count: int, tag: str) -> list[VoteRequest]:
        return [
            VoteRequest(window_id, "online", f"email:fan{n}@example.org", f"{tag}{n}", str(1 + n % 4))
            for n in range(first, first + count)
        ]

    with transaction(factory) as session:  # 2000 voters: 4000 counter rows (each TOTAL and a couple)
        assert all(o.counted for o in apply_batch(session, votes(0, 2000, "a"), datetime.now(UTC)))
    with engine.begin() as connection:
        connection.execute(text("ANALYZE vote_counters"))

    def scans(settings: str) -> tuple[int, int]:
        with transaction(factory) as session:
            if settings:
                session.execute(text(settings))
            before = _counter_scans(session)
            tag = f"b{len(settings)}:"  # fresh idempotency keys for each run
            outcomes = apply_batch(session, votes(500, 30, tag), datetime.now(UTC))  # existing voters
            assert all(o.counted for o in outcomes)
            after = _counter_scans(session)
        return after[0] - before[0], after[1] - before[1]

    sequential, index = scans("")
    assert sequential == 0 and index >= 2, (sequential, index)  # the locking read and the update
    sequential, _ = scans("SET LOCAL random_page_cost = 4")
    assert sequential >= 1
    engine.dispose()


def test_a_random_page_cost_someone_set_is_left_as_it_is(postgres_databases: PostgresDatabases) -> None:
    url = postgres_databases.fresh()
    ours = make_engine(url)
    theirs = make_engine(url, connect_args={"options": "-c random_page_cost=2.5"})  # as a role's setting
    with ours.connect() as mine, theirs.connect() as set_elsewhere:
        assert mine.execute(text("SHOW random_page_cost")).scalar_one() == "1.1"
        assert set_elsewhere.execute(text("SHOW random_page_cost")).scalar_one() == "2.5"
    ours.dispose()
    theirs.dispose()
