"""The ``store`` fixture, run against SQLite (a file per test) and PostgreSQL (a schema per test).

PostgreSQL is the server named by ``DSA_TEST_POSTGRES`` (e.g.
``postgresql+psycopg://dsa:dsa@127.0.0.1:5432/dsa_test``). Without it the
PostgreSQL cases are skipped on a developer's machine but fail in CI (``CI``
set), so a misconfigured pipeline cannot silently skip them. Tests run in
parallel against one database, so each gets its own freshly created schema,
selected with ``search_path``, and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from dsa.storage import Store


@dataclass
class Target:
    """One test database: how to open (more) stores on it."""

    kind: str
    url: str
    connect_args: dict[str, Any] = field(default_factory=dict)
    opened: list[Store] = field(default_factory=list)

    def open(self, **kwargs) -> Store:
        store = Store.open(self.url, connect_args=self.connect_args, **kwargs)
        self.opened.append(store)
        return store

    def engine(self):
        return create_engine(self.url, connect_args=self.connect_args)


def _postgres_url() -> str:
    url = os.environ.get("DSA_TEST_POSTGRES", "").strip()
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI is set but DSA_TEST_POSTGRES is not: the store must be tested on PostgreSQL in CI")
        pytest.skip("DSA_TEST_POSTGRES is not set (e.g. postgresql+psycopg://dsa:dsa@127.0.0.1:5432/dsa_test)")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    if request.param == "sqlite":
        target = Target("sqlite", f"sqlite:///{tmp_path / 'store.sqlite3'}")
        yield target
        for store in target.opened:
            store.close()
        return
    url = _postgres_url()
    schema = f"t_{uuid.uuid4().hex}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    target = Target("postgresql", url, {"options": f"-csearch_path={schema}"})
    try:
        yield target
    finally:
        for store in target.opened:
            store.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(db) -> Store:
    return db.open()
