"""Shared mode in the store: roles per party, what each role may do, and every refusal in the audit log."""

from __future__ import annotations

import copy

import pytest

from dsa.errors import AccessDeniedError, NotFoundError, StorageError
from dsa.storage import MEMBER_ROLES, RESTORE, SAVE, SIGN

ALICE, BOB, CAROL, DAN = "alice@nhs.net", "bob@nhs.net", "carol@nhs.net", "dan@nhs.net"


@pytest.fixture
def shared(store, minimal_doc):
    """'m' saved once by the operator, with an admin (ICB), an editor (CSU), a signer (practice) and a viewer."""
    store.save("m", minimal_doc, author="operator")
    store.add_member("m", ALICE, "icb", "admin", actor="operator")
    store.add_member("m", BOB, "csu", "editor", actor="operator")
    store.add_member("m", CAROL, "m81001", "signer", actor="operator")
    store.add_member("m", DAN, "icb", "viewer", actor="operator")
    return store


def test_members_are_listed_with_their_party_and_role(shared):
    rows = [(m.email, m.party_id, m.role, m.added_by) for m in shared.members("m")]
    assert rows == [(ALICE, "icb", "admin", "operator"), (BOB, "csu", "editor", "operator"),
                    (CAROL, "m81001", "signer", "operator"), (DAN, "icb", "viewer", "operator")]
    assert shared.roles_of("m", "Carol@NHS.net") == {"m81001": "signer"}  # emails compare case-insensitively
    assert shared.models_of(CAROL) == ["m"] and shared.models_of("nobody@nhs.net") == []
    assert set(MEMBER_ROLES) == {"viewer", "editor", "signer", "admin"}


def test_adding_again_changes_the_role_and_a_person_may_hold_roles_for_several_parties(shared):
    shared.add_member("m", CAROL, "m81001", "admin", actor="operator")
    shared.add_member("m", CAROL, "csu", "viewer", actor="operator")
    assert shared.roles_of("m", CAROL) == {"m81001": "admin", "csu": "viewer"}
    assert "(was signer)" in shared.audit_log("m")[-2].detail


def test_a_role_is_for_a_party_the_saved_model_has_and_is_one_of_the_four(shared):
    with pytest.raises(StorageError, match="no party 'nobody'; its parties are: icb, csu, m81001"):
        shared.add_member("m", CAROL, "nobody", "signer", actor="operator")
    with pytest.raises(StorageError, match="is not one of: viewer, editor, signer, admin"):
        shared.add_member("m", CAROL, "icb", "owner", actor="operator")
    with pytest.raises(StorageError, match="is not an email address"):
        shared.add_member("m", "carol", "icb", "viewer", actor="operator")
    # before a model's first save any party id is accepted: the operator sets up who may create it
    shared.add_member("new", BOB, "anything", "editor", actor="operator")
    assert shared.roles_of("new", BOB) == {"anything": "editor"}


def test_an_editor_saves_and_restores_and_the_save_is_recorded_as_their_email(shared, minimal_doc):
    changed = copy.deepcopy(minimal_doc)
    changed["flows"][0]["retention_months"] = 18
    info = shared.save("m", changed, author="ignored", member="Bob@nhs.net")
    assert info.author == BOB
    restored = shared.restore("m", 1, author="ignored", member=BOB)
    assert restored.author == BOB and shared.load("m") == minimal_doc
    assert [(e.action, e.actor) for e in shared.audit_log("m")[-2:]] == [("save", BOB), ("save", BOB)]


@pytest.mark.parametrize("who", [DAN, CAROL, "stranger@nhs.net"])
def test_a_viewer_a_signer_or_a_stranger_cannot_save_and_the_refusal_is_logged(shared, minimal_doc, who):
    with pytest.raises(AccessDeniedError, match="cannot save 'm': that needs the editor or admin role"):
        shared.save("m", minimal_doc, author=who, member=who)
    with pytest.raises(AccessDeniedError, match="needs the editor or admin role"):
        shared.restore("m", 1, author=who, member=who)
    assert len(shared.history("m")) == 1
    refused = [e for e in shared.audit_log("m") if e.action == "refused"]
    assert [e.actor for e in refused] == [who, who]
    assert "editor or admin" in refused[0].detail


def test_a_signer_signs_only_for_their_own_party(shared):
    so = shared.signoff("m", 1, party_id="m81001", role="Caldicott Guardian", signer=CAROL, member=CAROL)
    assert so.is_approval and so.signer == CAROL
    with pytest.raises(AccessDeniedError, match="cannot sign off 'm': that needs the signer or admin role for icb"):
        shared.signoff("m", 1, party_id="icb", role="SIRO", signer=CAROL, member=CAROL)
    last = shared.audit_log("m")[-1]
    assert (last.action, last.actor) == ("refused", CAROL) and "signer for m81001" in last.detail
    assert shared.unsigned_parties("m") == ["icb", "csu"]


def test_an_editor_cannot_sign_off_and_an_admin_signs_for_their_own_party_only(shared):
    with pytest.raises(AccessDeniedError, match="signer or admin role for csu"):
        shared.signoff("m", 1, party_id="csu", role="DPO", signer=BOB, member=BOB)
    shared.signoff("m", 1, party_id="icb", role="SIRO", signer=ALICE, member=ALICE)
    with pytest.raises(AccessDeniedError):
        shared.signoff("m", 1, party_id="m81001", role="SIRO", signer=ALICE, member=ALICE)


def test_only_an_admin_manages_members_and_every_change_is_logged(shared):
    with pytest.raises(AccessDeniedError, match="cannot manage members of 'm': that needs the admin role"):
        shared.add_member("m", BOB, "csu", "admin", actor=BOB, member=BOB)
    shared.add_member("m", "erin@nhs.net", "csu", "viewer", actor="ignored", member=ALICE)
    shared.remove_member("m", DAN, "icb", actor="ignored", member=ALICE)
    entries = [(e.action, e.actor) for e in shared.audit_log("m")[-3:]]
    assert entries == [("refused", BOB), ("member_add", ALICE), ("member_remove", ALICE)]
    assert shared.roles_of("m", DAN) == {}
    with pytest.raises(NotFoundError, match="has no role for 'icb'"):
        shared.remove_member("m", DAN, "icb", actor="operator")


def test_the_last_admin_cannot_remove_themselves_from_the_page_but_the_operator_can(shared):
    with pytest.raises(StorageError, match="last admin"):
        shared.remove_member("m", ALICE, "icb", actor=ALICE, member=ALICE)
    shared.remove_member("m", ALICE, "icb", actor="operator")
    assert shared.roles_of("m", ALICE) == {}


def test_nobody_creates_a_model_in_shared_mode_without_a_role_for_its_name(shared, minimal_doc):
    with pytest.raises(AccessDeniedError, match="cannot save 'fresh'"):
        shared.save("fresh", minimal_doc, author=ALICE, member=ALICE)
    assert "fresh" not in shared.models()
    shared.add_member("fresh", ALICE, "icb", "editor", actor="operator")
    assert shared.save("fresh", minimal_doc, author=ALICE, member=ALICE).number == 1


def test_can_answers_without_logging(shared):
    assert shared.can("m", BOB, SAVE) and shared.can("m", ALICE, RESTORE)
    assert shared.can("m", CAROL, SIGN, "m81001") and not shared.can("m", CAROL, SIGN, "icb")
    assert not shared.can("m", DAN, SAVE)
    assert all(e.action != "refused" for e in shared.audit_log("m"))


def test_reviews_are_recorded_but_are_not_the_partys_approval(store, minimal_doc):
    store.save("m", minimal_doc, author="alice")
    review = store.signoff("m", 1, party_id="csu", role="Legal reviewer", signer="Lee Law", note="clause 7 ok")
    assert not review.is_approval and review.kind == "review"
    store.signoff("m", 1, party_id="icb", role="Other", signer="Olly")
    assert store.unsigned_parties("m") == ["icb", "csu", "m81001"]
    store.signoff("m", 1, party_id="csu", role="DPO", signer="Dee")
    assert store.unsigned_parties("m") == ["icb", "m81001"]
    kinds = [(s.party_id, s.role, s.kind, s.note) for s in store.history("m")[0].signoffs]
    assert kinds == [("csu", "Legal reviewer", "review", "clause 7 ok"), ("icb", "Other", "review", ""),
                     ("csu", "DPO", "approval", "")]
    assert [e.action for e in store.audit_log("m")][-3:] == ["review", "review", "signoff"]


def test_a_version_with_errors_may_be_reviewed_but_not_approved(store, minimal_doc):
    broken = copy.deepcopy(minimal_doc)
    broken["flows"][0]["purpose"] = "marketing"
    assert store.save("m", broken, author="alice").is_draft
    for role in ("SIRO", "Caldicott Guardian", "DPO"):
        with pytest.raises(StorageError, match="cannot be approved"):
            store.signoff("m", 1, party_id="icb", role=role, signer="Sam")
    assert not store.signoff("m", 1, party_id="icb", role="Legal reviewer", signer="Lee").is_approval


def test_a_sign_off_recorded_for_someone_else_names_both_in_the_log(store, minimal_doc):
    store.save("m", minimal_doc, author="alice")
    so = store.signoff("m", 1, party_id="icb", role="SIRO", signer="Sam Siro", recorded_by="Alice (minutes)")
    assert so.signer == "Sam Siro"
    entry = store.audit_log("m")[-1]
    assert (entry.action, entry.actor) == ("signoff", "Alice (minutes)")
