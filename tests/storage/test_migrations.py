"""The schema comes from Alembic migrations, on an empty database and again on an existing one."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from dsa.storage.store import current_revision, head_revision
from dsa.storage.tables import Base

TABLES = {"models", "versions", "signoffs", "audit", "members", "alembic_version"}


def test_opening_an_empty_database_creates_every_table_at_the_head_revision(db):
    engine = db.engine()
    try:
        assert not TABLES & set(inspect(engine).get_table_names())
        db.open()
        assert TABLES <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision() == "0002"
    finally:
        engine.dispose()


def test_opening_twice_is_idempotent_and_keeps_the_data(db, minimal_doc):
    first = db.open()
    first.save("m", minimal_doc, author="alice")
    second = db.open()
    assert second.load("m") == minimal_doc
    engine = db.engine()
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
            assert current_revision(conn) == head_revision()
    finally:
        engine.dispose()


def test_the_orm_tables_match_the_migrated_schema(db):
    """A column added to tables.py without a migration fails here, not in production."""
    db.open()
    engine = db.engine()
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    from dsa.storage import Store

    store = Store.open(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        store.close()


def test_an_in_memory_sqlite_store_works(minimal_doc):
    from dsa.storage import Store

    store = Store.open("sqlite://")
    try:
        assert store.save("m", minimal_doc, author="a").number == 1
        assert store.load("m") == minimal_doc
    finally:
        store.close()


def test_default_url_uses_the_environment_else_the_user_data_directory(monkeypatch, tmp_path):
    from dsa.storage import store as store_module

    monkeypatch.setenv("DSA_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert store_module.default_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("DSA_DATABASE_URL")
    monkeypatch.setattr(store_module.platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "data" / "dsa"))
    url = store_module.default_url()
    assert url == f"sqlite:///{tmp_path / 'data' / 'dsa' / 'dsa.sqlite3'}"
    assert (tmp_path / "data" / "dsa").is_dir()


def test_an_unusable_url_is_a_storage_error_without_the_password():
    import pytest

    from dsa.errors import StorageError
    from dsa.storage import Store

    with pytest.raises(StorageError) as err:
        Store.open("postgresql+psycopg://someone:s3cret@127.0.0.1:1/none")
    assert "s3cret" not in str(err.value)


def test_upgrading_a_store_saved_at_the_previous_revision_keeps_every_version_and_sign_off(db, minimal_doc):
    """A store written before members existed (revision 0001) opens under this release with nothing lost;
    its old 'Data Controller representative' sign-offs stay approvals and 'Other' becomes a review."""
    import copy

    from alembic import command
    from alembic.config import Config

    from dsa.storage.store import MIGRATIONS

    store = db.open()
    docs = []
    for months in (12, 18, 24):
        doc = copy.deepcopy(minimal_doc)
        doc["flows"][0]["retention_months"] = months
        store.save("m", doc, author=f"author {months}", summary=f"retention {months}")
        docs.append(doc)
    store.signoff("m", 2, party_id="icb", role="SIRO", signer="Sam")
    store.signoff("m", 2, party_id="csu", role="Other", signer="Olly")
    store.signoff("m", 2, party_id="m81001", role="SIRO", signer="Pat")
    before = [v.to_dict() for v in store.history("m")]
    store.close()

    engine = db.engine()
    try:
        with engine.begin() as conn:
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
            # what the previous release allowed and could have stored
            conn.execute(text("UPDATE signoffs SET role = 'Data Controller representative' WHERE party_id = 'm81001'"))
        with engine.connect() as conn:
            assert current_revision(conn) == "0001"
            assert "members" not in inspect(conn).get_table_names()
    finally:
        engine.dispose()

    upgraded = db.open()
    with upgraded.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    assert [upgraded.load("m", n) for n in (1, 2, 3)] == docs
    after = upgraded.history("m")
    assert [(v["version"], v["author"], v["summary"], v["content_hash"]) for v in before] == [
        (v.number, v.author, v.summary, v.content_hash) for v in after]
    assert [(s.party_id, s.role, s.kind) for s in after[1].signoffs] == [
        ("icb", "SIRO", "approval"), ("csu", "Other", "review"),
        ("m81001", "Data Controller representative", "approval")]
    assert upgraded.unsigned_parties("m", 2) == ["csu"]
    assert upgraded.members("m") == []
