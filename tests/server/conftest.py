"""Server test fixtures: every API test runs on SQLite and on PostgreSQL.

PostgreSQL runs where `MIRRORBALL_TEST_POSTGRES` names a server (always in CI); each test gets its own
database, cloned from a migrated template made once per session (`CREATE DATABASE … TEMPLATE`), so
tests, reruns and other people's test runs on the same server never see each other's rows.
SQLite tests likewise copy a migrated template file.
"""

from __future__ import annotations

import os
import secrets
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():
    # Starlette's TestClient warns that it will move to another httpx; nothing for us to act on.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import mirrorball.store.models  # noqa: F401  (every table on Base.metadata)
from mirrorball.store.base import Base
from mirrorball.store.db import make_engine, normalize_url
from mirrorball.store.migrate import migrate
from mirrorball.web.app import create_app
from mirrorball.web.settings import Settings

POSTGRES_ENV = "MIRRORBALL_TEST_POSTGRES"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class PostgresDatabases:
    """Uniquely named databases on the test server, dropped afterwards.

    Most tests share one migrated database, emptied before each test (TRUNCATE is cheap; creating a
    database per test copies files and dominated the suite's time on a busy machine). Tests that need
    a database of their own (several servers, a SIGKILL) take `fresh()`.
    """

    def __init__(self, server_url: str) -> None:
        self.server = make_url(normalize_url(server_url))
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.prefix = f"mb_{secrets.token_hex(4)}"
        self.created: list[str] = []
        self.template = self.url_for(self.create())
        engine = make_engine(self.template)
        migrate(engine)
        engine.dispose()
        self.shared = self.fresh()
        self._shared_engine = create_engine(make_url(self.shared), isolation_level="AUTOCOMMIT")

    def url_for(self, name: str) -> str:
        return self.server.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        name = f"{self.prefix}_{len(self.created)}"
        clause = f" TEMPLATE {make_url(template).database}" if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self.created.append(name)
        return name

    def fresh(self) -> str:
        return self.url_for(self.create(self.template))

    def emptied_shared(self) -> str:
        """The shared database with every table emptied and ids restarted, as if freshly migrated."""
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        with self._shared_engine.connect() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        return self.shared

    def drop_all(self) -> None:
        self._shared_engine.dispose()
        with self.admin.connect() as connection:
            for name in reversed(self.created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    databases = PostgresDatabases(server)
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(str(path))
    migrate(engine)
    engine.dispose()  # the last connection's close checkpoints the WAL into the file we copy
    return path


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated database URL on each backend."""
    if request.param == "postgres":
        databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
        return databases.emptied_shared()
    path = tmp_path / "mirrorball.sqlite3"
    shutil.copy(sqlite_template, path)
    return normalize_url(str(path))


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, base_url="http://testserver")


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
