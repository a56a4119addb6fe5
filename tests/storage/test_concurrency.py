"""Two people saving on the same base: exactly one wins, the other is told who, never merged."""

from __future__ import annotations

import copy
import threading
import time

import pytest

from dsa.errors import StaleVersionError


def _edited(doc: dict, months: int) -> dict:
    doc = copy.deepcopy(doc)
    doc["flows"][0]["retention_months"] = months
    return doc


def test_two_sessions_on_the_same_base_one_wins_the_other_is_told_who(db, minimal_doc):
    alice, bob = db.open(), db.open()
    alice.save("m", minimal_doc, author="setup")
    base_a, base_b = alice.version_info("m").number, bob.version_info("m").number
    doc_a, doc_b = _edited(alice.load("m"), 12), _edited(bob.load("m"), 36)
    assert alice.save("m", doc_a, author="Alice", base=base_a).number == 2
    with pytest.raises(StaleVersionError, match=r"version 2 was saved by Alice at .* UTC after your base version 1"):
        bob.save("m", doc_b, author="Bob", base=base_b)
    assert bob.load("m") == doc_a  # Bob's change was refused, not merged
    assert [v.author for v in bob.history("m")] == ["setup", "Alice"]


def test_a_save_that_overlaps_an_uncommitted_save_is_refused(db, minimal_doc):
    """Bob's save starts while Alice's is inside its transaction (held open by the test hook), so both read
    version 1 as the latest: the database's unique (model, number) key or the write lock decides."""
    db.open().save("m", minimal_doc, author="setup")
    inside = threading.Event()

    def hold(name, number):
        inside.set()
        time.sleep(1.0)

    alice = db.open(_before_commit=hold)
    bob = db.open()
    results: dict[str, object] = {}

    def save_alice():
        try:
            results["alice"] = alice.save("m", _edited(minimal_doc, 12), author="Alice", base=1)
        except Exception as exc:  # noqa: BLE001 - recorded for the assertions
            results["alice"] = exc

    thread = threading.Thread(target=save_alice)
    thread.start()
    assert inside.wait(30), "Alice's save never reached its commit"
    with pytest.raises(StaleVersionError, match="saved by Alice"):
        bob.save("m", _edited(minimal_doc, 36), author="Bob", base=1)
    thread.join(30)
    assert getattr(results["alice"], "number", None) == 2, results["alice"]
    assert [v.author for v in bob.history("m")] == ["setup", "Alice"]
    assert bob.load("m")["flows"][0]["retention_months"] == 12


def test_a_threaded_race_of_two_stores_has_exactly_one_winner(db, minimal_doc):
    first, second = db.open(), db.open()
    first.save("m", minimal_doc, author="setup")
    for round_ in range(3):
        base = first.version_info("m").number
        barrier = threading.Barrier(2)
        outcomes: dict[str, object] = {}

        def run(store, author, months):
            barrier.wait()
            try:
                outcomes[author] = store.save("m", _edited(minimal_doc, months), author=author, base=base)
            except Exception as exc:  # noqa: BLE001
                outcomes[author] = exc

        threads = [threading.Thread(target=run, args=(first, "Alice", 10 + round_)),
                   threading.Thread(target=run, args=(second, "Bob", 20 + round_))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        winners = [a for a, o in outcomes.items() if not isinstance(o, Exception)]
        losers = [a for a, o in outcomes.items() if isinstance(o, StaleVersionError)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        assert f"saved by {winners[0]}" in str(outcomes[losers[0]])
        assert first.version_info("m").number == base + 1


def test_concurrent_saves_without_a_base_all_land_with_distinct_numbers(db, minimal_doc):
    stores = [db.open() for _ in range(3)]
    stores[0].save("m", minimal_doc, author="setup")
    barrier = threading.Barrier(len(stores))
    errors: list[Exception] = []

    def run(store, i):
        barrier.wait()
        try:
            for _ in range(3):
                store.save("m", _edited(minimal_doc, i), author=f"user{i}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s, i)) for i, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert [v.number for v in stores[0].history("m")] == list(range(1, 11))


def test_without_the_row_lock_the_unique_key_still_refuses_the_second_save(db, minimal_doc, monkeypatch):
    """A writer that does not lock the model (an older client, a hand-written script) reads version 1 as
    the latest while Alice's version 2 is uncommitted; the unique (model, number) key stops it, and the
    IntegrityError reaches the user as StaleVersionError naming Alice."""
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from dsa.storage.store import Store
    from dsa.storage.tables import ModelRow

    db.open().save("m", minimal_doc, author="setup")
    inside = threading.Event()

    def hold(name, number):
        inside.set()
        time.sleep(1.0)

    alice = db.open(_before_commit=hold)
    bob = db.open()
    integrity_errors = []
    real_raise_stale = Store._raise_stale

    def spy_raise_stale(self, name, base):
        import sys
        if isinstance(sys.exc_info()[1], IntegrityError):
            integrity_errors.append(sys.exc_info()[1])
        return real_raise_stale(self, name, base)

    monkeypatch.setattr(bob, "_lock_model", lambda s, name: s.scalar(select(ModelRow).where(ModelRow.name == name)))
    monkeypatch.setattr(Store, "_raise_stale", spy_raise_stale)
    thread = threading.Thread(target=lambda: alice.save("m", _edited(minimal_doc, 12), author="Alice", base=1))
    thread.start()
    assert inside.wait(30)
    with pytest.raises(StaleVersionError, match="version 2 was saved by Alice"):
        bob.save("m", _edited(minimal_doc, 36), author="Bob", base=1)
    thread.join(30)
    if db.kind == "postgresql":  # SQLite's BEGIN IMMEDIATE queues Bob behind Alice before he reads anything
        assert len(integrity_errors) == 1
    assert [v.author for v in bob.history("m")] == ["setup", "Alice"]
