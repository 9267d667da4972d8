"""The database engine and sessions, for the embedded SQLite default and for PostgreSQL.

SQLite is tuned so that an acknowledged write is on disk (WAL + `synchronous=FULL`: the commit fsyncs
the log before returning) and so that concurrent writers queue instead of failing: every transaction
starts with `BEGIN IMMEDIATE`, taking the write lock up front. (A deferred transaction that reads and
then writes can hit SQLITE_BUSY on the lock upgrade, which no busy timeout can wait out.)

Within one process, write transactions on SQLite first queue on a lock (re-entrant: a nested writer
still meets SQLite's own timeout, never a deadlock). SQLite's busy handler waits for its write lock by
sleeping (1, 2, 5 … up to 100 ms) and retrying, so with eight tablets submitting at once a writer
often slept long after the lock was free: measured, the 95th percentile of a judge's sheet was
200-350 ms. A thread waiting on the Python lock wakes the moment it is released. (Other processes on
the same file still meet SQLite's busy handler.)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DB_FILE = "mirrorball.sqlite3"
BUSY_TIMEOUT_MS = 30_000
READ_ONLY_OPTION = "mirrorball_read_only"
WRITE_QUEUE = "mirrorball_write_queue"  # session.info key: the lock SQLite writers queue on


def normalize_url(url: str) -> str:
    """Accept what people type: a file path, `sqlite:///x`, or `postgresql://…` (→ psycopg 3)."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite database URL; None for PostgreSQL or an in-memory SQLite database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def default_url() -> str:
    """The embedded default: `$MIRRORBALL_DB`, else a SQLite file in the current directory."""
    return os.environ.get("MIRRORBALL_DB") or normalize_url(DEFAULT_DB_FILE)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url` with the durability and concurrency settings each backend needs."""
    url = normalize_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    event.listen(engine, "connect", _page_costs_of_memory)
    return engine


# PostgreSQL's default random_page_cost (4.0) prices a page read out of index order as a seek on a
# spinning disk. The vote tables live in memory or on SSD, where PostgreSQL's documentation suggests a
# value near 1: with 4.0 the planner read and updated a batch's vote counters by scanning the whole
# table until it held some 10 000 rows (measured at 4 000 rows: 0.56 and 0.90 ms per batch, against
# 0.14 and 0.21 ms through the primary key), and the database's CPU per single vote over HTTP was
# 83-88 µs against 69-74 µs with 1.1 (two alternating pairs of 15 s runs).
RANDOM_PAGE_COST = 1.1


def _page_costs_of_memory(dbapi_connection: Any, _record: Any) -> None:
    """Price random page reads as SSD/memory reads on this connection, unless an administrator has
    set random_page_cost (in postgresql.conf, for the database or the role): theirs stands."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SELECT source FROM pg_settings WHERE name = 'random_page_cost'")
        row = cursor.fetchone()
        if row is not None and row[0] == "default":
            cursor.execute(f"SET random_page_cost = {RANDOM_PAGE_COST}")
    dbapi_connection.commit()  # a SET inside a transaction that is rolled back would not last


SQLITE_CACHE_KIB = -32 * 1024  # negative: KiB, as SQLite spells it


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    # isolation_level=None hands transaction control to us (the begin hook below), as the SQLAlchemy
    # documentation recommends for pysqlite.
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None},
        **kwargs,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # 32 MiB of page cache instead of 2, taken only as pages are read: the ledger's and the counters'
        # indexes take inserts all over (voters arrive in no order), which with the default cache
        # re-read pages from the OS on every batch (a 2000-vote batch's counter inserts: 8.2 -> 5.6 ms).
        cursor.execute(f"PRAGMA cache_size={SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Readers (public pages, the scoreboard) need no write lock: in WAL they never block a writer.
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions for use cases; `read_only=True` for queries that never write (no SQLite write lock)."""
    info: dict[str, object] = {}
    if read_only:
        engine = engine.execution_options(**{READ_ONLY_OPTION: True})
    elif engine.url.get_backend_name() == "sqlite":
        info[WRITE_QUEUE] = _write_queue(engine)
    # expire_on_commit=False: services return ORM rows that the web layer reads after the commit.
    return sessionmaker(engine, expire_on_commit=False, info=info)


_WRITE_QUEUES: dict[str, threading.RLock] = {}
_WRITE_QUEUES_GUARD = threading.Lock()


def _write_queue(engine: Engine) -> threading.RLock:
    """One lock per database file in this process, shared by every engine on that file."""
    with _WRITE_QUEUES_GUARD:
        return _WRITE_QUEUES.setdefault(str(engine.url), threading.RLock())


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One use case, one transaction: commit on success, roll back on any error."""
    with factory() as session:
        queue = session.info.get(WRITE_QUEUE)
        with queue if queue is not None else nullcontext(), session.begin():
            yield session
