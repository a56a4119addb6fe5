"""dsa.compare: arrangements side by side, parties matched by id then ODS code, absences kept absent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsa.compare import METRICS, Arrangement, compare, comparison, match_parties, unique_labels
from dsa.errors import ModelError
from dsa.liability import SimulationConfig
from dsa.model import Model

from .conftest import TRUST, care_flow, contractor, model_doc

CONFIG = SimulationConfig(years=5_000, seed=7)


def _party(pid, ods=None, name=None, kind="nhs_trust", form="nhs_body"):
    p = {"id": pid, "name": name or f"Party {pid}", "type": kind, "legal_form": form}
    if ods:
        p["ods_code"] = ods
    return p


def _model(*parties):
    flows = [care_flow(f"f{i}", parties[0]["id"], p["id"]) for i, p in enumerate(parties[1:])]
    return Model.from_document(model_doc(list(parties), flows))


def _fake_scenario(model: Model, base: float = 100.0) -> dict:
    """An assessed scenario's JSON, with figures that tell the parties apart."""
    parties = {p.id: {"mean": base * (i + 1), "p99_9": base * (i + 1) * 50, "tvar99": base * (i + 1) * 30,
                      "net_mean": base * (i + 1)} for i, p in enumerate(model.parties)}
    partners = {p.id: {"partners": p.partner_count, "mean_per_partner": base * (i + 1) / p.partner_count,
                       "p99_9_per_partner": base * (i + 1) * 50 / p.partner_count}
                for i, p in enumerate(model.parties) if p.has_personal_exposure}
    return {"parties": parties, "partners": partners,
            "total": {"mean": sum(v["mean"] for v in parties.values()), "p99": 0.0}}


def _rows(*models):
    return [(key, [None if p is None else p.id for p in members]) for key, members in match_parties(models)]


def test_parties_are_matched_by_id_first():
    a = _model(_party("trust", "RYV"), _party("fed", "Y05931"))
    b = _model(_party("fed", "Y05931"), _party("trust", "RYV"))
    assert _rows(a, b) == [("trust", ["trust", "trust"]), ("fed", ["fed", "fed"])]


def test_parties_with_different_ids_are_matched_by_ods_code():
    a = _model(_party("trust", "RYV"), _party("fed", "Y05931"))
    b = _model(_party("ryv", "RYV"), _party("federation", "Y05931"))
    assert _rows(a, b) == [("trust", ["trust", "ryv"]), ("fed", ["fed", "federation"])]


def test_an_id_match_wins_over_an_ods_match_to_another_party():
    # B's "z" carries A's "x"'s ODS code, but B's own "x" claims that row by id first.
    a = _model(_party("x", "AAA"), _party("y", "BBB"))
    b = _model(_party("z", "AAA"), _party("x", "BBB"))
    assert _rows(a, b) == [("x", ["x", "x"]), ("y", ["y", None]), ("z", [None, "z"])]


def test_parties_without_ids_or_ods_codes_in_common_stay_apart():
    a = _model(_party("trust"), _party("fed"))
    b = _model(_party("council"), _party("trust"))
    assert _rows(a, b) == [("trust", ["trust", "trust"]), ("fed", ["fed", None]), ("council", [None, "council"])]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from(["", "AAA", "BBB", "CCC"])),
                         min_size=1, max_size=5, unique_by=lambda t: t[0]), min_size=1, max_size=4))
def test_every_party_of_every_model_is_in_exactly_one_row_and_no_row_holds_two_of_one_model(specs):
    models = [_model(*[_party(pid, ods or None) for pid, ods in spec]) for spec in specs]
    rows = match_parties(models)
    for m, model in enumerate(models):
        placed = [members[m].id for _, members in rows if members[m] is not None]
        assert sorted(placed) == sorted(p.id for p in model.parties)
    assert len({key for key, _ in rows}) == len(rows)
    for key, members in rows:
        present = [p for p in members if p is not None]
        assert key.startswith(present[0].id)
        # Each later member joined the row through an earlier one's id or ODS code.
        for j, party in enumerate(present[1:], start=1):
            assert any(party.id == q.id or (party.ods_code and party.ods_code == q.ods_code)
                       for q in present[:j])


def test_a_party_absent_from_one_model_has_no_entry_for_that_model_in_json():
    a = _model(_party("trust", "RYV"), _party("fed"))
    b = _model(_party("trust", "RYV"))
    result = comparison([(Arrangement("a.json", a.to_document()), a, _fake_scenario(a)),
                         (Arrangement("b.json", b.to_document()), b, _fake_scenario(b))])
    doc = result.to_json()
    assert set(doc["parties"]["fed"]) == {"a.json"}
    assert set(doc["parties"]["trust"]) == {"a.json", "b.json"}
    assert [m["label"] for m in doc["models"]] == ["a.json", "b.json"]
    fed = next(r for r in result.parties if r.key == "fed")
    assert fed.cells[1] is None


def test_per_partner_figures_appear_only_for_personally_exposed_contractors():
    a = _model(TRUST, contractor("dental", "dental_practice", "partnership", partners=3),
               contractor("chain", "community_pharmacy", "limited_company"))
    result = comparison([(Arrangement("a", a.to_document()), a, _fake_scenario(a))])
    stats = result.to_json()["parties"]
    assert stats["dental"]["a"]["partners"] == 3
    assert stats["dental"]["a"]["mean_per_partner"] == pytest.approx(stats["dental"]["a"]["mean"] / 3)
    assert "mean_per_partner" not in stats["chain"]["a"] and "partners" not in stats["chain"]["a"]
    assert [r.key for r, _ in result.metric_rows("p99_9_per_partner")] == ["dental"]


def test_each_model_names_its_total_and_the_party_with_the_largest_share():
    a = _model(_party("trust"), _party("fed"), _party("council"))
    result = comparison([(Arrangement("a", a.to_document()), a, _fake_scenario(a))])
    summary = result.models[0]
    assert summary.total_mean == 600.0
    assert (summary.largest_party, summary.largest_name) == ("council", "Party council")
    assert summary.largest_share == pytest.approx(0.5)


def test_repeated_labels_are_numbered_so_each_has_its_own_column():
    assert unique_labels(["a.json", "b.json", "a.json", "a.json"]) == ["a.json", "b.json", "a.json (2)",
                                                                       "a.json (3)"]


def test_the_same_model_twice_gives_identical_columns(vehicles):
    doc = vehicles["primary-care-led"]
    result = compare([Arrangement("x", doc), Arrangement("x (2)", doc)], config=CONFIG)
    for row in result.parties:
        assert row.cells[0] == row.cells[1]
    assert result.models[0].total_mean == result.models[1].total_mean
    assert result.models[0].version == result.models[1].version


def test_a_scenario_is_assessed_instead_of_the_baseline_when_named(herefordshire_doc):
    base = compare([Arrangement("a", herefordshire_doc), Arrangement("b", herefordshire_doc,
                                                                     scenario="herefordshire")], config=CONFIG)
    rows = {r.key: r for r in base.parties}
    # The ICB indemnifies the practices: it carries more under the scenario than under the baseline.
    assert rows["icb"].cells[1]["mean"] > rows["icb"].cells[0]["mean"]
    assert [m.scenario for m in base.models] == ["baseline", "herefordshire"]


def test_an_unknown_scenario_is_refused_naming_the_model(herefordshire_doc):
    with pytest.raises(ModelError, match="b.json has no scenario 'nope'"):
        compare([Arrangement("a.json", herefordshire_doc), Arrangement("b.json", herefordshire_doc,
                                                                       scenario="nope")], config=CONFIG)


def test_every_compared_figure_comes_from_the_assessment_of_that_model(vehicles):
    from dsa.liability import assess

    doc = vehicles["trust-led"]
    result = compare([Arrangement("t", doc), Arrangement("p", vehicles["primary-care-led"])], config=CONFIG)
    own = assess(Model.from_document(doc), scenarios=[], config=CONFIG).to_json()["scenarios"]["baseline"]
    for row in result.parties:
        cell = row.cells[0]
        assert cell is not None
        for metric in METRICS:
            if metric in cell:
                source = own["partners"][cell["party"]] if "partner" in metric else own["parties"][cell["party"]]
                assert cell[metric] == source[metric]
