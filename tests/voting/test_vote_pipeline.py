"""A batch's reads travel in one pipeline on PostgreSQL: a failure there is the batch's failure,
raised as the error the vote writer retries, with nothing of the batch stored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from mirrorball.service import votes as voting
from mirrorball.service.vote_ledger import VoteRequest, apply_batch
from mirrorball.store.db import make_engine, make_session_factory, transaction
from mirrorball.store.models.vote import Vote
from server.conftest import PostgresDatabases

from .conftest import opened_window


def test_a_counter_row_held_elsewhere_fails_the_batch_whole_and_its_retry_counts_once(
    postgres_databases: PostgresDatabases,
) -> None:
    engine = make_engine(postgres_databases.emptied_shared())
    factory = make_session_factory(engine)
    spec = voting.WindowSpec(
        title="Week 1",
        couples=[{"key": "1", "name": "A"}, {"key": "2", "name": "B"}],
        caps={"online": {"per_couple": 5, "per_window": 5}},
    )
    window_id = opened_window(factory, spec)
    ann, bob = "email:ann@example.org", "email:bob@example.org"

    def vote(voter: str, key: str) -> VoteRequest:
        return VoteRequest(window_id, "online", voter, key, "1")

    with transaction(factory) as session:
        assert apply_batch(session, [vote(ann, "a1")], datetime.now(UTC))[0].counted

    batch = [vote(bob, "b1"), vote(ann, "a2")]
    with engine.connect() as other:  # another worker's transaction holds Ann's counters
        other.execute(text("SELECT used FROM vote_counters WHERE voter = :v FOR UPDATE"), {"v": ann}).all()
        with pytest.raises(DBAPIError) as refused, transaction(factory) as session:
            session.execute(text("SET LOCAL lock_timeout = '200ms'"))
            apply_batch(session, batch, datetime.now(UTC))
        assert "lock" in str(refused.value.orig).lower()
        other.rollback()

    with transaction(factory) as session:  # the writer's retry
        outcomes = apply_batch(session, batch, datetime.now(UTC))
    assert [o.status for o in outcomes] == [201, 201]
    with factory() as session:
        stored = session.execute(
            select(Vote.voter, func.count()).group_by(Vote.voter).order_by(Vote.voter)
        ).all()
    assert [tuple(row) for row in stored] == [(ann, 2), (bob, 1)]
    engine.dispose()
