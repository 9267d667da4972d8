"""A ledger batch's digest: its definition is what the audit log and every recount depend on, so the
fast way it is computed must give exactly the digest of the lines in their documented order."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mirrorball.service.vote_ledger import DIGEST_ORDER, batch_digest

START = datetime(2026, 12, 4, 19, 0, tzinfo=UTC)

rows = st.lists(
    st.tuples(
        st.integers(1, 3),  # window
        st.sampled_from(["online", "phone"]),
        st.sampled_from(["email:a@x.org", "email:b@x.org", "partner:telco:+4401", "partner:telco:+4402"]),
        st.sampled_from(["1", "2", "3", ""]),
        st.integers(-3, 5).filter(bool),
        st.sampled_from(["k-0001", "k-0002", "b7:0", "b7:1"]),  # key
        st.integers(0, 2),  # part
        st.one_of(st.none(), st.just("10.0.0.1")),
        st.integers(0, 3).map(lambda n: START + timedelta(microseconds=n)),
    ),
    max_size=40,
)


def _by_definition(batch: list[tuple[Any, ...]]) -> str:
    lines = []
    for window, channel, voter, couple, delta, key, part, address, at in sorted(batch, key=DIGEST_ORDER):
        moment = at.isoformat(timespec="microseconds")
        lines.append(f"{window}|{channel}|{voter}|{couple}|{delta}|{key}|{part}|{address or ''}|{moment}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


@given(rows)
def test_the_digest_is_the_hash_of_the_rows_lines_in_window_voter_key_part_order(
    batch: list[tuple[Any, ...]],
) -> None:
    assert batch_digest(batch) == _by_definition(batch)
    assert batch_digest(list(reversed(batch))) == _by_definition(list(reversed(batch)))


def test_a_known_batch_keeps_its_digest() -> None:
    """Pinned: a digest stored in an audit log must verify with every later version of the code."""
    at = datetime(2026, 11, 29, 21, 0, 0, 123456, tzinfo=UTC)
    batch = [
        (2, "online", "email:b@x.org", "1", 2, "k-0002", 0, None, at),
        (1, "phone", "partner:telco:+4401", "3", 1, "b7:0", 0, None, at),
        (1, "online", "email:a@x.org", "2", -1, "k-0001", 1, "10.0.0.1", at),
        (1, "online", "email:a@x.org", "1", 1, "k-0001", 0, "10.0.0.1", at),
    ]
    text = (
        "1|online|email:a@x.org|1|1|k-0001|0|10.0.0.1|2026-11-29T21:00:00.123456+00:00\n"
        "1|online|email:a@x.org|2|-1|k-0001|1|10.0.0.1|2026-11-29T21:00:00.123456+00:00\n"
        "1|phone|partner:telco:+4401|3|1|b7:0|0||2026-11-29T21:00:00.123456+00:00\n"
        "2|online|email:b@x.org|1|2|k-0002|0||2026-11-29T21:00:00.123456+00:00\n"
    )
    assert batch_digest(batch) == hashlib.sha256(text.encode()).hexdigest()
