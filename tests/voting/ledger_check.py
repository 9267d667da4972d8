"""What the crash tests read back from the database once the server is gone."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from mirrorball.service import votes as voting
from mirrorball.store.db import make_engine, make_session_factory, transaction
from mirrorball.store.models.vote import Vote


def ledger_of(db_url: str, window_id: int) -> tuple[Counter[str], dict[str, int], bool]:
    """Ledger rows per idempotency key, the tally, and whether the recount from the log matches."""
    engine = make_engine(db_url)
    with transaction(make_session_factory(engine)) as session:
        rows = session.execute(
            select(Vote.request_key, func.count())
            .where(Vote.window_id == window_id)
            .group_by(Vote.request_key)
        )
        per_key = Counter({key: n for key, n in rows})
        tally = voting.window_tally(session, window_id)
        matches = voting.recount(session, [window_id])[0].matches
    engine.dispose()
    return per_key, tally, matches
