"""Small schema-valid models for the engine's tests, with fixed severities where a test needs them."""

from __future__ import annotations

import copy

import pytest

from dsa.model import Model
from dsa.validation import validate

# Fixed severities: fraction 0.1, award £750, no spread; fines off unless a test turns them on.
FIXED = {"fraction_beta": 0.1, "award_sigma": 0, "fine_sigma": 0,
         "fine_probability": {"public": 0.0, "other": 0.0}}


def party(pid, ptype="gp_practice", form="partnership", partners=4, **extra):
    p = {"id": pid, "name": pid.upper(), "type": ptype, "legal_form": form, "dspt_status": "standards_met"}
    if form == "partnership":
        p["partners"] = partners
    if form == "sole_trader":
        p["partners"] = 1
    p.update(extra)
    return p


def flow(fid, src, dst, relationship="independent_controllers", *, rate=None, records=1000,
         identifiability="identifiable", special=False, purpose="direct_care", **extra):
    f = {"id": fid, "name": fid, "from": src, "to": dst, "purpose": purpose, "relationship": relationship,
         "data": {"identifiability": identifiability, "special_category": special, "records": records},
         "transfer": {"method": "secure_api", "frequency": "weekly", "encrypted": True}}
    if rate is not None:
        f["risk"] = {"annual_incident_rate": rate}
    f.update(extra)
    return f


def model_doc(parties, flows, clauses=(), scenarios=(), assumptions=None) -> dict:
    doc = {"format": "dsa-model/1", "partnership": {"name": "Test partnership"},
           "parties": list(parties), "flows": list(flows)}
    if clauses:
        doc["clauses"] = list(clauses)
    if scenarios:
        doc["scenarios"] = list(scenarios)
    if assumptions is not None:
        doc["assumptions"] = copy.deepcopy(assumptions)
    return doc


def build(doc: dict) -> Model:
    findings = validate(doc)
    assert not any(f.rule.startswith(("SCHEMA", "REF")) for f in findings), [f.to_dict() for f in findings]
    return Model.from_document(doc)


@pytest.fixture
def three_party_doc():
    """An ICB, a GP partnership and a processor; one flow of each relationship; an indemnity and a pool."""
    parties = [party("icb", "icb", "nhs_body"), party("gp", partners=5),
               party("csu", "commissioning_support_unit", "nhs_body"),
               party("supplier", "supplier", "limited_company")]
    flows = [
        flow("care", "gp", "icb", rate=0.8),
        flow("phm", "gp", "csu", "controller_to_processor", rate=0.6, identifiability="pseudonymised",
             special=True, purpose="population_health_management"),
        flow("linked", "icb", "csu", "joint_controllers", rate=0.5, records=5000,
             joint_controllers=[{"party": "icb", "share": 0.7}, {"party": "csu", "share": 0.3}]),
    ]
    clauses = [
        {"id": "ind", "type": "indemnity", "name": "ICB indemnity", "indemnifier": "icb",
         "beneficiaries": {"party_type": "gp_practice"}, "share": 0.9},
        {"id": "pool", "type": "risk_pool", "name": "Pool",
         "members": [{"party": "icb", "share": 0.5}, {"party": "csu", "share": 0.5}]},
    ]
    scenarios = [{"id": "indemnity", "name": "Indemnity", "clauses": ["ind"]},
                 {"id": "pool", "name": "Pool", "clauses": ["pool"]},
                 {"id": "both", "name": "Both", "clauses": ["ind", "pool"]}]
    return model_doc(parties, flows, clauses, scenarios)
