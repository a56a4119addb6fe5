"""Synthetic partnership models at ICB and national scale, valid and governance-complete.

`generate_model(practices, flows, seed=0, scenarios=2)`; `icb_model()` is 100 practices and 500 flows,
`national_model()` 6,500 practices and 50,000 flows. Deterministic for a seed.
"""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from build_examples import care_flow, herefordshire, phm_flow  # noqa: E402

DSPT = ["standards_exceeded", "standards_met", "standards_met", "standards_met", "approaching_standards",
        "standards_not_met", "not_published"]


def generate_model(practices: int, flows: int, *, seed: int = 0, scenarios: int = 2) -> dict:
    rng = random.Random(seed)
    base = herefordshire()
    system = [copy.deepcopy(p) for p in base["parties"][:4]]  # ICB, CSU, trust, council
    trusts = max(1, practices // 50)
    for t in range(1, trusts):
        extra = copy.deepcopy(system[2])
        extra.update(id=f"trust{t}", name=f"Synthetic NHS Trust {t}", ods_code=f"R{t:02d}"[:3] if t < 100 else f"RX{t}")
        extra["ods_code"] = f"R{t % 1000:03d}"[:4]
        system.append(extra)
    trust_ids = ["rlq"] + [f"trust{t}" for t in range(1, trusts)]
    parties = list(system)
    practice_ids = []
    for i in range(practices):
        ods = f"M{i:05d}"
        form = rng.choices(["partnership", "sole_trader", "limited_company"], [0.85, 0.08, 0.07])[0]
        party = {"id": ods.lower(), "name": f"Synthetic Surgery {i}", "type": "gp_practice", "ods_code": ods,
                 "legal_form": form, "dspt_status": rng.choice(DSPT),
                 "annual_turnover_gbp": rng.randrange(500_000, 5_000_000, 10_000),
                 "contacts": {"dpo": "ICB DPO service", "caldicott_guardian": "Senior partner"},
                 "privacy_notice_url": f"https://example.nhs.uk/{ods.lower()}/privacy"}
        if form == "partnership":
            party["partners"] = rng.randint(1, 12)
        elif form == "sole_trader":
            party["partners"] = 1
        if rng.random() < 0.2:
            party["insurance"] = {"cyber_limit_gbp": 250_000, "excess_gbp": 5_000}
        parties.append(party)
        practice_ids.append(ods.lower())
    out_flows = []
    for k in range(flows):
        pid = practice_ids[k % practices]
        records = rng.randrange(2_000, 25_000)
        kind = k // practices % 3
        if kind == 0:
            flow = phm_flow(pid, pid.upper(), records)
        else:
            flow = care_flow(pid, pid.upper(), records)
            flow["to"] = trust_ids[rng.randrange(len(trust_ids))]
            if kind == 2:
                flow["purpose"] = "direct_care"
                flow["transfer"]["method"] = rng.choice(["nhs_mail", "sftp", "secure_api"])
        flow["id"] = f"f{k}"
        flow["name"] = f"Flow {k}"
        # Register-style short texts: a national register holds references, not essays.
        flow["data"]["justification"] = "Minimum necessary; see DPIA"
        if "dpia" in flow:
            flow["dpia"]["dpo_advice"] = "Approved"
        flow["legal_basis"].pop("legal_power", None)
        out_flows.append(flow)
    out_flows.append(copy.deepcopy(base["flows"][-3]))  # the ICB–trust joint-controller linked dataset
    doc = {"format": "dsa-model/1", "partnership": copy.deepcopy(base["partnership"]), "parties": parties,
           "flows": out_flows, "clauses": copy.deepcopy(base["clauses"]),
           "scenarios": copy.deepcopy(base["scenarios"][:scenarios])}
    doc["partnership"]["name"] = f"Synthetic partnership ({practices} practices, {flows} flows)"
    return doc


def icb_model() -> dict:
    return generate_model(100, 500)


def national_model() -> dict:
    return generate_model(6500, 50_000)
