"""The layout built column by column equals a flow-by-flow reading of each flow's effective assumptions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsa.assumptions import effective
from dsa.errors import ModelError
from dsa.liability.parameters import RELATIONSHIP_CODE, FlowArrays, build_layout, flow_rate
from dsa.model import Model
from tests.liability.conftest import build, flow, model_doc, party

EXAMPLES = Path(__file__).parents[2] / "examples"
STATUSES = ("standards_exceeded", "standards_met", "approaching_standards", "standards_not_met", "not_published")
METHODS = ("secure_api", "nhs_mail", "sftp", "direct_system_access", "physical_media", "unsecured_email", "other")
FREQUENCIES = ("one_off", "real_time", "daily", "weekly", "monthly", "quarterly", "annually")
IDENTIFIABILITY = ("identifiable", "pseudonymised", "anonymised", "aggregate")
RELATIONSHIPS = tuple(RELATIONSHIP_CODE)
# Per-flow overrides a test model draws from: whole keys, partial tables and fixed fractions.
RISKS = (
    {"annual_incident_rate": 0.3},
    {"annual_incident_rate": 2},
    {"fraction_beta": 0.25},
    {"fraction_beta": 1},
    {"fraction_beta": [2.0, 3.0]},
    {"stage": {"source": 1, "transit": 1, "recipient": 2}},
    {"harm": {"pseudonymised": 0.6}},
    {"fine_probability": {"public": 0.2}, "fine_sigma": 0},
    {"special_category_multiplier": 3.5, "claim_rate": 0.1},
    {"processor_fault_share": 0.9, "recovery_probability": 0.1, "x-note": "from the supplier's audit"},
    {"annual_incident_rate": 0.05, "award_median_gbp": 2000, "fine_cap_gbp": 1000000},
    {"x-source": "the trust's register"},
    {"annual_incident_rate": 0.7, "x-source": "the trust's register"},
)
PARTY_IDS = ("icb", "gp1", "gp2", "trust", "csu", "supplier")


def reference_flow_arrays(model: Model, assumptions, sb: int, extra: tuple[int, ...]) -> dict[str, np.ndarray]:
    """The straightforward reading: each flow's assumptions merged, then every column filled flow by flow."""
    F, S = len(model.flows), sb + len(extra)
    cols: dict[str, list] = {k: [] for k in FlowArrays.__dataclass_fields__}
    slot_party = np.full((F, S), -1, dtype=np.int32)
    bearer_share = np.zeros((F, sb))
    target_slot = np.zeros((F, len(extra)), dtype=np.int32)
    for i, f in enumerate(model.flows):
        a = assumptions.for_flow(f)
        stage = a["stage"]
        sp = np.array([stage["source"], stage["transit"], stage["recipient"]], dtype=float)
        sp = sp / sp.sum()
        fb = a["fraction_beta"]
        fixed = float(fb) if isinstance(fb, (int, float)) else np.nan
        ab = (1.0, 1.0) if np.isfinite(fixed) else (float(fb[0]), float(fb[1]))
        row = {
            "rate": flow_rate(f, a, model.party(f.recipient).effective_dspt_status),
            "stage_cum": np.cumsum(sp)[:2], "stage_p": sp, "beta_a": ab[0], "beta_b": ab[1],
            "fixed_fraction": fixed, "harm": float(a["harm"][f.data.identifiability]),
            "records": float(f.data.records),
            "special_mult": float(a["special_category_multiplier"]) if f.data.special_category else 1.0,
            "response_fixed": float(a["response_fixed_gbp"]),
            "response_per_record": float(a["response_per_record_gbp"]),
            "claim_rate": float(a["claim_rate"]), "award_median": float(a["award_median_gbp"]),
            "award_sigma": float(a["award_sigma"]), "fine_p_public": float(a["fine_probability"]["public"]),
            "fine_p_other": float(a["fine_probability"]["other"]), "fine_median": float(a["fine_median_gbp"]),
            "fine_sigma": float(a["fine_sigma"]), "fine_cap_gbp": float(a["fine_cap_gbp"]),
            "fine_cap_share": float(a["fine_cap_turnover_share"]), "fault_share": float(a["processor_fault_share"]),
            "recovery_p": float(a["recovery_probability"]), "relationship": RELATIONSHIP_CODE[f.relationship],
        }
        for k, v in row.items():
            cols[k].append(v)
        if f.relationship == "joint_controllers":
            bearers = [s.party for s in f.controller_shares]
            bearer_share[i, :len(bearers)] = [s.share for s in f.controller_shares]
        else:
            bearers = [f.source, f.recipient]
        slot_party[i, :len(bearers)] = [model.party_position(b) for b in bearers]
        for e, party_index in enumerate(extra):
            where = np.flatnonzero(slot_party[i, :sb] == party_index)
            if where.size:
                target_slot[i, e] = where[0]
            else:
                target_slot[i, e] = sb + e
                slot_party[i, sb + e] = party_index
    out = {k: np.asarray(v, dtype=float) for k, v in cols.items()
           if k not in ("slot_party", "bearer_share", "target_slot")}
    out["relationship"] = out["relationship"].astype(np.int8)
    if F == 0:
        out["stage_cum"], out["stage_p"] = np.zeros((0, 2)), np.zeros((0, 3))
    return out | {"slot_party": slot_party, "bearer_share": bearer_share, "target_slot": target_slot}


def assert_layout_is_the_flow_by_flow_one(model: Model) -> None:
    assumptions = effective(model)
    layout = build_layout(model, assumptions)
    expected = reference_flow_arrays(model, assumptions, layout.base_slots, layout.clause_parties)
    for name, want in expected.items():
        got = getattr(layout.flows, name)
        assert got.dtype == want.dtype and got.shape == want.shape, name
        # Bit for bit (NaN where a fraction is drawn): the bytes are compared, not the numbers.
        assert got.tobytes() == want.tobytes(), name


def _joint_flow(fid, controllers, shares=None, **extra):
    f = flow(fid, controllers[0], controllers[1], "joint_controllers", **extra)
    if shares is not None:
        f["joint_controllers"] = [{"party": p, "share": s} for p, s in zip(controllers, shares)]
    return f


@pytest.fixture
def varied_doc():
    """Per-flow overrides, joint controllers declared and by default, fixed fractions and two clause parties."""
    parties = [party("icb", "icb", "nhs_body", dspt_status="standards_exceeded"),
               party("gp1", partners=3, dspt_status="approaching_standards", annual_turnover_gbp=2_000_000),
               party("gp2", form="sole_trader", dspt_status="standards_not_met"),
               party("trust", "nhs_trust", "nhs_body", annual_turnover_gbp=400_000_000),
               party("csu", "commissioning_support_unit", "nhs_body"),
               party("supplier", "supplier", "limited_company", dspt_status="standards_met")]
    del parties[4]["dspt_status"]  # counts as not published
    flows = [
        flow("a", "gp1", "icb"),
        flow("b", "gp2", "trust", "controller_to_processor", identifiability="pseudonymised", special=True,
             risk={"fraction_beta": 0.2, "harm": {"pseudonymised": 0.5}}),
        _joint_flow("c", ["icb", "trust", "csu"], [0.5, 0.3, 0.2], records=40_000),
        _joint_flow("d", ["gp1", "gp2"]),
        flow("e", "trust", "supplier", "controller_to_processor", rate=0.4, special=True,
             transfer={"method": "unsecured_email", "frequency": "daily", "encrypted": False}),
        flow("f", "gp2", "csu", risk={"fraction_beta": 0.2, "harm": {"pseudonymised": 0.5}}),
        flow("g", "csu", "gp1", identifiability="aggregate", risk={"stage": {"source": 1, "transit": 0,
                                                                           "recipient": 1}}),
    ]
    clauses = [{"id": "ind", "type": "indemnity", "name": "Indemnity", "indemnifier": "supplier",
                "beneficiaries": {"party_type": "gp_practice"}, "share": 0.9},
               {"id": "pool", "type": "risk_pool", "name": "Pool",
                "members": [{"party": "icb", "share": 0.6}, {"party": "trust", "share": 0.4}]}]
    return model_doc(parties, flows, clauses, [{"id": "s", "name": "S", "clauses": ["ind", "pool"]}],
                     {"fraction_beta": [1.0, 6.0], "dspt_factor": {"standards_met": 1.1}})


def test_the_layout_of_a_model_with_overrides_joint_controllers_and_clause_parties_is_the_flow_by_flow_one(
        varied_doc):
    model = build(varied_doc)
    assert_layout_is_the_flow_by_flow_one(model)
    layout = build_layout(model, effective(model))
    # Three joint controllers make three bearer slots; on flow b neither the supplier nor the ICB bears the loss,
    # so each has its slot (3 + e), while the trust, a bearer, takes none; on flow e the supplier and trust bear it.
    assert layout.slots == 3 + 3
    assert list(layout.flows.slot_party[1]) == [2, 3, -1, 5, 0, -1]
    assert list(layout.flows.target_slot[4]) == [1, 4, 0]


def test_flows_each_with_a_rate_of_their_own_and_some_with_more_are_laid_out_as_flow_by_flow(varied_doc):
    template = varied_doc["flows"][0]
    flows = []
    for n in range(300):
        f = {**template, "id": f"own-{n}", "risk": {"annual_incident_rate": 0.001 * (n + 1)}}
        if n % 7 == 0:
            f["risk"]["fraction_beta"] = [1.0 + n % 3, 5.0]
        flows.append(f)
    varied_doc["flows"] += flows
    model = build(varied_doc)
    assert_layout_is_the_flow_by_flow_one(model)
    assert build_layout(model, effective(model)).flows.rate[-1] == 0.3


def test_a_model_level_incident_rate_and_a_model_without_flows_are_laid_out_as_flow_by_flow(varied_doc):
    varied_doc["assumptions"]["annual_incident_rate"] = 0.7
    assert_layout_is_the_flow_by_flow_one(Model.from_document(varied_doc))
    varied_doc["flows"] = []
    assert_layout_is_the_flow_by_flow_one(Model.from_document(varied_doc))


def test_an_unknown_key_in_a_flows_risk_is_refused_naming_it(varied_doc):
    varied_doc["flows"][3]["risk"] = {"fine_median_gbp": 1, "made_up": 2}
    with pytest.raises(ModelError, match="made_up"):
        build_layout(Model.from_document(varied_doc), effective())


@st.composite
def models(draw):
    parties = []
    for pid in PARTY_IDS:
        p = party(pid, draw(st.sampled_from(("gp_practice", "icb", "nhs_trust", "supplier"))),
                  draw(st.sampled_from(("partnership", "sole_trader", "nhs_body", "limited_company"))),
                  dspt_status=draw(st.sampled_from(STATUSES)))
        if draw(st.booleans()):
            p["annual_turnover_gbp"] = draw(st.integers(1, 10**9))
        parties.append(p)
    flows = []
    for n in range(draw(st.integers(0, 12))):
        ends = draw(st.lists(st.sampled_from(PARTY_IDS), min_size=2, max_size=4, unique=True))
        relationship = draw(st.sampled_from(RELATIONSHIPS))
        f = flow(f"f{n}", ends[0], ends[1], relationship, records=draw(st.integers(1, 10**7)),
                 identifiability=draw(st.sampled_from(IDENTIFIABILITY)), special=draw(st.booleans()),
                 transfer={"method": draw(st.sampled_from(METHODS)), "frequency": draw(st.sampled_from(FREQUENCIES)),
                           "encrypted": True})
        if relationship == "joint_controllers" and draw(st.booleans()):
            f["joint_controllers"] = [{"party": p, "share": 1 / len(ends)} for p in ends]
        if draw(st.booleans()):
            f["risk"] = draw(st.sampled_from(RISKS))
        flows.append(f)
    clauses = []
    for n, members in enumerate(draw(st.lists(st.lists(st.sampled_from(PARTY_IDS), min_size=1, max_size=3,
                                                       unique=True), max_size=3))):
        if len(members) == 1:
            clauses.append({"id": f"c{n}", "type": "indemnity", "name": "I", "indemnifier": members[0],
                            "beneficiaries": ["gp1"], "share": 0.5})
        else:
            clauses.append({"id": f"c{n}", "type": "risk_pool", "name": "P",
                            "members": [{"party": m, "share": 1 / len(members)} for m in members]})
    assumptions = draw(st.sampled_from((None, {"fraction_beta": 0.3}, {"harm": {"anonymised": 0.1}},
                                        {"annual_incident_rate": 0.2})))
    return Model.from_document(model_doc(parties, flows, clauses, assumptions=assumptions))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_every_generated_models_layout_is_the_flow_by_flow_one(model):
    assert_layout_is_the_flow_by_flow_one(model)


@pytest.mark.parametrize("name", ["herefordshire-phm.json", "minimal.json", "no flows"])
def test_the_flow_classes_give_every_flow_its_own_values_bit_for_bit(name):
    # The compiled kernels read the per-incident parameters from the classes' table (parameters.FlowClasses).
    from dsa.liability.parameters import CLASS_COLUMNS

    doc = json.loads((EXAMPLES / ("minimal.json" if name == "no flows" else name)).read_text())
    if name == "no flows":
        doc.update(flows=[], clauses=[], scenarios=[])
    model = Model.from_document(doc)
    flows = build_layout(model, effective(model)).flows
    classes = flows.classes
    assert classes.of_flow.shape == (len(model.flows),) and classes.of_flow.dtype == np.int32
    assert classes.harm.size <= max(len(model.flows), 1)
    for column in CLASS_COLUMNS:
        own, grouped = getattr(flows, column), getattr(classes, column)[classes.of_flow]
        assert grouped.dtype == own.dtype and grouped.shape == own.shape
        assert grouped.tobytes() == own.tobytes(), column  # -0.0 stays -0.0, NaN stays NaN
