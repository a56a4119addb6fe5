"""What fixing buys: actions from the model, priced by the exact change in expected annual loss."""

from __future__ import annotations

import copy

import pytest

from dsa.assumptions import effective
from dsa.liability import expected_values
from dsa.liability.parameters import build_layout
from dsa.model import Model
from dsa.negotiation.remediation import NOT_PRICED, remediation
from tests.liability.conftest import FIXED, build, flow, model_doc, party


@pytest.fixture
def approaching_doc():
    """A practice Approaching Standards that receives a flow and is indemnified on the flow it sends."""
    parties = [party("icb", "icb", "nhs_body"), party("gp", partners=4, dspt_status="approaching_standards")]
    flows = [flow("in", "icb", "gp", purpose="direct_care"),
             flow("out", "gp", "icb", relationship="controller_to_processor", purpose="direct_care")]
    clause = {"id": "ind", "type": "indemnity", "name": "ICB indemnity", "indemnifier": "icb",
              "beneficiaries": ["gp"], "share": 0.8, "condition": {"description": "Best practice followed"}}
    return model_doc(parties, flows, [clause], [{"id": "s", "name": "S", "clauses": ["ind"]}], FIXED)


def _remediated(doc):
    out = copy.deepcopy(doc)
    out["parties"][1]["dspt_status"] = "standards_met"
    return out


def test_standards_met_lowers_the_rate_of_flows_it_receives_by_the_dspt_factor_ratio(approaching_doc):
    a = effective()
    before = build_layout(build(approaching_doc), a)
    after = build_layout(build(_remediated(approaching_doc)), a)
    ratio = a["dspt_factor"]["standards_met"] / a["dspt_factor"]["approaching_standards"]
    assert after.flows.rate[0] == pytest.approx(before.flows.rate[0] * ratio)
    assert after.flows.rate[1] == before.flows.rate[1]  # the flow it sends goes to the ICB
    assert after.parties.condition_p[1] > before.parties.condition_p[1]
    assert after.parties.condition_p[1] == a["condition_probability"]["standards_met"]


def test_each_action_is_priced_by_the_exact_expected_values_of_the_remediated_model(approaching_doc):
    result = remediation(approaching_doc, scenario_id="s")
    assert result["exact"]
    action = next(a for a in result["actions"] if a["action"] == "dspt")
    old = expected_values(Model.from_document(approaching_doc), ["s"])["scenarios"]["s"]
    new = expected_values(Model.from_document(_remediated(approaching_doc)), ["s"])["scenarios"]["s"]
    assert action["change"]["total"] == pytest.approx(new["total"]["mean"] - old["total"]["mean"])
    for pid in ("icb", "gp"):
        delta = new["parties"][pid]["mean"] - old["parties"][pid]["mean"]
        assert action["change"]["parties"].get(pid, 0.0) == pytest.approx(delta)
    assert action["change"]["partners"]["gp"] == pytest.approx(action["change"]["parties"]["gp"] / 4)
    assert action["change"]["parties"]["gp"] < 0  # the practice bears less: fewer incidents, condition met more


def test_actions_are_sorted_by_total_reduction_and_resolve_their_findings(herefordshire_doc):
    herefordshire_doc["flows"][0]["transfer"].update(method="unsecured_email", encrypted=False)
    result = remediation(herefordshire_doc)
    reductions = [a["reduction"] for a in result["actions"]]
    assert reductions == sorted(reductions, reverse=True)
    email = next(a for a in result["actions"] if a["action"] == "transfer")
    assert email["flow"] == "phm-m81001" and email["reduction"] > 0
    assert {"IG020"} <= {f["rule"] for f in email["findings"]}
    assert all(f["path"].startswith("/flows/0/") for f in email["findings"])


def test_fixes_the_model_does_not_price_are_listed_after_with_their_findings_never_as_zero(herefordshire_doc):
    del herefordshire_doc["flows"][16]["legal_basis"]["common_law"]
    result = remediation(herefordshire_doc)
    assert result["not_priced"]
    for item in result["not_priced"]:
        assert item["note"] == NOT_PRICED and not item["priced"] and "change" not in item and "reduction" not in item
        assert item["findings"] and item["findings"][0]["severity"] in ("error", "warning")
    assert any(f["path"].startswith("/flows/16") for item in result["not_priced"] for f in item["findings"])
