"""Saving, loading, history, drafts, restore, sign-offs and the audit trail, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from dsa.canonical import content_hash
from dsa.errors import ModelError, NotFoundError, StaleVersionError, StorageError
from dsa.storage import ROLES


def test_save_and_load_round_trip_the_document_exactly(store, herefordshire_doc):
    info = store.save("hereford", herefordshire_doc, author="alice", summary="first draft")
    assert (info.model, info.number, info.author, info.summary) == ("hereford", 1, "alice", "first draft")
    assert info.content_hash == content_hash(herefordshire_doc)
    assert not info.is_draft and info.findings == ()
    assert info.created_at.tzinfo is not None
    assert store.load("hereford") == herefordshire_doc
    assert list(store.load("hereford")) == list(herefordshire_doc)  # key order kept too
    assert store.models() == ["hereford"]


def test_every_save_is_a_new_version_and_old_versions_stay_loadable(store, minimal_doc):
    store.save("m", minimal_doc, author="alice")
    changed = copy.deepcopy(minimal_doc)
    changed["flows"][0]["retention_months"] = 12
    assert store.save("m", changed, author="bob", base=1).number == 2
    assert store.load("m", 1) == minimal_doc
    assert store.load("m") == changed
    assert store.version_info("m").number == 2
    # The same content again is recorded as a version of its own: the save is part of the history.
    assert store.save("m", changed, author="carol").number == 3
    assert store.version_info("m", 3).content_hash == store.version_info("m", 2).content_hash


def test_missing_models_and_versions_are_named_clearly(store, minimal_doc):
    with pytest.raises(NotFoundError, match="no saved models yet"):
        store.load("nothing")
    store.save("alpha", minimal_doc, author="a")
    store.save("beta", minimal_doc, author="a")
    with pytest.raises(NotFoundError, match="saved models: alpha, beta"):
        store.load("gamma")
    with pytest.raises(NotFoundError, match="no version 7; its versions are 1 to 1"):
        store.load("alpha", 7)
    with pytest.raises(NotFoundError):
        store.save("alpha", minimal_doc, author="a", base=5)
    with pytest.raises(NotFoundError, match="no model named 'new'"):
        store.save("new", minimal_doc, author="a", base=1)


def test_a_stale_base_is_refused_naming_who_saved_since(store, minimal_doc):
    store.save("m", minimal_doc, author="alice")
    store.save("m", minimal_doc, author="bob", base=1)
    store.save("m", minimal_doc, author="carol", base=2)
    with pytest.raises(StaleVersionError) as err:
        store.save("m", minimal_doc, author="dave", base=1)
    message = str(err.value)
    assert "version 2 by bob" in message and "version 3 by carol" in message
    assert "base version 1" in message and "UTC" in message
    with pytest.raises(StaleVersionError, match=r"version 3 was saved by carol at \d{4}-\d\d-\d\d \d\d:\d\d UTC "
                                                r"after your base version 2"):
        store.save("m", minimal_doc, author="dave", base=2)
    assert [v.number for v in store.history("m")] == [1, 2, 3]


def test_a_model_with_errors_is_kept_as_a_draft_with_its_findings(store, minimal_doc):
    broken = copy.deepcopy(minimal_doc)
    broken["flows"][0]["purpose"] = "marketing"
    del broken["parties"][0]["legal_form"]
    info = store.save("m", broken, author="alice", summary="upload")
    assert info.is_draft and info.error_count >= 2
    pointers = {f["path"] for f in info.findings}
    assert {"/flows/0/purpose", "/parties/0/legal_form"} <= pointers
    assert store.load("m") == broken
    assert store.history("m")[0].is_draft
    assert store.audit_log("m")[0].action == "save_draft"
    with pytest.raises(ModelError, match="validation error"):
        store.save("m", broken, author="alice", allow_draft=False)
    assert len(store.history("m")) == 1
    assert not store.save("m", minimal_doc, author="alice", allow_draft=False).is_draft


def test_warnings_alone_do_not_make_a_draft(store, minimal_doc):
    minimal_doc["partnership"].pop("exit_terms")  # IG024 is a warning
    info = store.save("m", minimal_doc, author="a")
    assert not info.is_draft and info.findings_count >= 1 and info.error_count == 0


def test_the_previous_version_is_given_to_the_rules_that_compare_versions(store, minimal_doc):
    store.save("m", minimal_doc, author="a")
    changed = copy.deepcopy(minimal_doc)
    changed["flows"][1]["purpose"] = "planning"  # a new purpose, no compatibility assessment (IG029)
    info = store.save("m", changed, author="a")
    assert any(f["rule"] == "IG029" for f in info.findings)


def test_history_lists_versions_with_authors_summaries_and_signoffs(store, minimal_doc):
    store.save("m", minimal_doc, author="alice", summary="first")
    store.save("m", minimal_doc, author="bob", summary="second")
    store.signoff("m", 1, party_id="icb", role="SIRO", signer="Sam Siro", signed_on=dt.date(2026, 11, 2))
    history = store.history("m")
    assert [(v.number, v.author, v.summary) for v in history] == [(1, "alice", "first"), (2, "bob", "second")]
    assert history[0].created_at <= history[1].created_at
    assert [(s.party_id, s.role, s.signer, s.signed_on) for s in history[0].signoffs] == [
        ("icb", "SIRO", "Sam Siro", dt.date(2026, 11, 2))]
    assert history[1].signoffs == ()
    d = history[0].to_dict()
    assert d["version"] == 1 and d["signoffs"][0]["party"] == "icb" and d["created_at"].endswith("Z")


def test_restore_saves_old_content_as_a_new_version(store, minimal_doc):
    store.save("m", minimal_doc, author="alice")
    changed = copy.deepcopy(minimal_doc)
    changed["parties"][0]["name"] = "Renamed ICB"
    store.save("m", changed, author="bob")
    info = store.restore("m", 1, author="carol")
    assert (info.number, info.author, info.summary) == (3, "carol", "Restored version 1")
    assert store.load("m") == minimal_doc
    assert store.load("m", 2) == changed  # history is never rewritten
    assert store.audit_log("m")[-1].detail == "Restored version 1"


def test_signoffs_and_the_parties_still_to_sign(store, minimal_doc):
    store.save("m", minimal_doc, author="alice")
    assert store.unsigned_parties("m") == ["icb", "csu", "m81001"]
    so = store.signoff("m", 1, party_id="m81001", role="Caldicott Guardian", signer="Dr Cal", note="minute 12")
    assert (so.version, so.party_id, so.note) == (1, "m81001", "minute 12")
    assert so.signed_on == dt.datetime.now(dt.timezone.utc).date()
    store.signoff("m", 1, party_id="icb", role="SIRO", signer="Sam")
    store.signoff("m", 1, party_id="icb", role="DPO", signer="Dee")  # a second role for the same party
    assert store.unsigned_parties("m", 1) == ["csu"]
    # A new version needs its own sign-offs: every party is unsigned again.
    changed = copy.deepcopy(minimal_doc)
    changed["flows"][0]["retention_months"] = 18
    store.save("m", changed, author="bob")
    assert store.unsigned_parties("m") == ["icb", "csu", "m81001"]
    assert store.unsigned_parties("m", 1) == ["csu"]


def test_signoff_checks_party_role_duplicates_and_drafts(store, minimal_doc):
    store.save("m", minimal_doc, author="alice")
    with pytest.raises(StorageError, match="no party 'nobody'; its parties are: icb, csu, m81001"):
        store.signoff("m", 1, party_id="nobody", role="SIRO", signer="x")
    with pytest.raises(StorageError, match="is not one of"):
        store.signoff("m", 1, party_id="icb", role="Chief Executive", signer="x")
    store.signoff("m", 1, party_id="icb", role="SIRO", signer="Sam")
    with pytest.raises(StorageError, match="already signed off version 1 as SIRO"):
        store.signoff("m", 1, party_id="icb", role="SIRO", signer="Someone else")
    with pytest.raises(NotFoundError):
        store.signoff("m", 9, party_id="icb", role="SIRO", signer="Sam")
    broken = copy.deepcopy(minimal_doc)
    broken["flows"][0]["purpose"] = "marketing"
    store.save("m", broken, author="alice")
    with pytest.raises(StorageError, match="has validation errors, so it cannot be approved"):
        store.signoff("m", 2, party_id="icb", role="SIRO", signer="Sam")
    assert set(ROLES) == {"SIRO", "Caldicott Guardian", "DPO", "Legal reviewer", "Other"}


def test_every_change_is_in_the_audit_log(store, minimal_doc):
    store.save("m", minimal_doc, author="alice", summary="first")
    store.save("other", minimal_doc, author="zed")
    broken = copy.deepcopy(minimal_doc)
    broken["flows"][0]["purpose"] = "marketing"
    store.save("m", broken, author="bob", summary="upload")
    store.restore("m", 1, author="carol")
    store.signoff("m", 3, party_id="icb", role="SIRO", signer="Sam", note="board 5")
    entries = store.audit_log("m")
    assert [(e.action, e.actor, e.version) for e in entries] == [
        ("save", "alice", 1), ("save_draft", "bob", 2), ("save", "carol", 3), ("signoff", "Sam", 3)]
    assert entries[0].detail == "first"
    assert "draft" in entries[1].detail and "error" in entries[1].detail
    assert entries[3].detail.startswith("icb as SIRO on ") and entries[3].detail.endswith("board 5")
    assert all(e.model == "m" for e in entries)
    assert len(store.audit_log()) == 5
    assert [e.at for e in entries] == sorted(e.at for e in entries)


def test_a_failed_operation_writes_no_audit_row(store, minimal_doc):
    store.save("m", minimal_doc, author="alice")
    store.save("m", minimal_doc, author="bob", base=1)
    with pytest.raises(StorageError):
        store.signoff("m", 1, party_id="nobody", role="SIRO", signer="x")
    with pytest.raises(StaleVersionError):
        store.save("m", minimal_doc, author="eve", base=1)
    assert [e.actor for e in store.audit_log("m")] == ["alice", "bob"]


def test_names_and_authors_must_be_given(store, minimal_doc):
    with pytest.raises(StorageError, match="author"):
        store.save("m", minimal_doc, author="  ")
    with pytest.raises(StorageError, match="model name"):
        store.save("", minimal_doc, author="a")
    with pytest.raises(ModelError):
        store.save("m", {"a": [[[[]]]] * 2} | {"deep": _deep(100)}, author="a")


def _deep(n: int):
    value: list = []
    for _ in range(n):
        value = [value]
    return value


def test_store_can_be_constructed_directly_and_has_the_architecture_aliases(db, minimal_doc):
    from dsa.storage import Store

    store = Store(db.url, connect_args=db.connect_args)
    db.opened.append(store)
    store.save("m", minimal_doc, author="a")
    changed = copy.deepcopy(minimal_doc)
    changed["flows"][0]["purpose"] = "planning"
    store.save("m", changed, author="b")
    assert store.list_models() == store.models() == ["m"]
    (change,) = store.diff("m", 1, 2)
    assert (change.kind, change.item_id, change.field, change.new) == ("changed", "phm-m81001", "purpose", "planning")
    # An existing engine works too, and is migrated (idempotently) on the way in.
    engine = db.engine()
    try:
        assert Store(engine).load("m") == changed
    finally:
        engine.dispose()
