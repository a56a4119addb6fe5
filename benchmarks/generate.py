"""Synthetic partnership models at ICB and national scale, in the two forms the targets name.

- ``governed``: a maintained register — every governance fact recorded (legal bases, DPIAs,
  contracts, opt-outs, retention, notices), so it has few errors but warnings on most flows
  (free text, document stores, notices not yet updated, a recipient approaching DSPT standards …):
  about 180,000 warnings at national scale.
- ``first_import``: the day a register is first imported — parties and flows with only what the
  register's columns give (the schema's required fields; DSPT status and privacy notices, which
  organisations publish), no governance facts: about 8.5 findings per flow, 420,000 at national scale.

``generate_model(practices, flows, seed=0, scenarios=2, form="governed")``; ``icb_model()`` is 100
practices and 500 flows, ``national_model()`` 6,500 practices and 50,000 flows (governed),
``national_first_import()`` the same register on its first day. Deterministic for a seed; no schema
or reference errors in either form, so every model can also be assessed and drafted.

Self-contained on purpose: the bundled examples change with the drafts, the benchmarks must not.
"""

from __future__ import annotations

import random

FORMS = ("governed", "first_import")

DSPT = ["standards_exceeded", "standards_met", "standards_met", "standards_met", "approaching_standards",
        "standards_met", "standards_not_met"]
RETENTION = {"direct_care": 96, "population_health_management": 24}
CAG = {"cag_reference": "22/CAG/0001", "expires": "2028-03-31"}


def _system_parties(trusts: int) -> list[dict]:
    def body(pid, name, ptype, ods, dspt, turnover):
        return {"id": pid, "name": name, "type": ptype, "ods_code": ods, "legal_form": "nhs_body",
                "dspt_status": dspt, "annual_turnover_gbp": turnover,
                "contacts": {"dpo": f"Data Protection Officer, {name}", "siro": "Director of Finance"},
                "privacy_notice_url": f"https://example.nhs.uk/{pid}/privacy"}

    parties = [body("icb", "NHS Synthetic Integrated Care Board", "icb", "QXX", "standards_met", 1_900_000_000),
               body("csu", "Synthetic Commissioning Support Unit", "commissioning_support_unit", "0XX",
                    "standards_exceeded", 180_000_000)]
    for t in range(trusts):
        # One trust in five is still approaching the DSPT standards: a warning on every flow it receives.
        dspt = "approaching_standards" if t % 5 == 4 else "standards_met"
        parties.append(body(f"trust{t}", f"Synthetic NHS Trust {t}", "nhs_trust", f"R{t:03d}", dspt, 330_000_000))
    council = {"id": "council", "name": "Synthetic Council", "type": "local_authority",
               "legal_form": "local_authority", "dspt_status": "standards_met", "annual_turnover_gbp": 420_000_000,
               "privacy_notice_url": "https://example.gov.uk/privacy"}
    return parties + [council]


def _practice(i: int, rng: random.Random) -> dict:
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
    return party


def _phm_flow(k: int, pid: str, records: int) -> dict:
    return {
        "id": f"f{k}", "name": f"Weekly PHM extract {k}", "from": pid, "to": "csu",
        "purpose": "population_health_management", "relationship": "controller_to_processor",
        "data": {"identifiability": "pseudonymised", "special_category": True,
                 "categories": ["demographics", "diagnoses", "medications", "test_results"], "records": records,
                 "linked": True},
        "transfer": {"method": "secure_api", "frequency": "weekly", "encrypted": True},
    }


def _care_flow(k: int, pid: str, trust: str, records: int, method: str) -> dict:
    return {
        "id": f"f{k}", "name": f"Shared care record {k}", "from": pid, "to": trust,
        "purpose": "direct_care", "relationship": "independent_controllers",
        "data": {"identifiability": "identifiable", "special_category": True,
                 "categories": ["demographics", "diagnoses", "medications", "allergies", "test_results"],
                 "records": records},
        "transfer": {"method": method, "frequency": "real_time", "encrypted": True},
    }


def _govern(flow: dict, rng: random.Random) -> None:
    """Record every governance fact, with the imperfections a maintained register keeps (warnings)."""
    care = flow["purpose"] == "direct_care"
    data = flow["data"]
    data["justification"] = "Minimum necessary; see DPIA"
    if care:
        data["record_type"] = "Adult health record"
    flow["legal_basis"] = {
        "article_6": "6(1)(e)", "article_9": "9(2)(h)", "schedule_1_condition": "Schedule 1 Part 1 paragraph 2",
        "common_law": "implied_consent" if care else "s251",
        "legal_power": "HSCA 2012 s.251B" if care else "NHS Act 2006 s.251; COPI reg 5"}
    flow["national_data_opt_out"] = "not_applicable" if care else "applied"
    flow["dpia"] = {"reference": "DPIA-SCR-01" if care else "DPIA-PHM-01", "date": "2026-06-30",
                    "dpo_advice": "Approved"}
    flow["retention_months"] = RETENTION[flow["purpose"]]
    flow["privacy_notice_updated"] = True
    if not care:
        flow["type1_opt_out"] = "applied"
        flow["s251"] = dict(CAG)
        flow["processing_contract"] = {"reference": "PC-2026-07", "date": "2026-10-01", "expires": "2029-09-30",
                                       "terms": list("abcdefgh")}
        flow["breach_notification_hours"] = 24
    # What a register keeps for a while after the facts are recorded: warnings, not errors.
    if rng.random() < 0.9:
        data["free_text"] = True                       # IG018
    if care and rng.random() < 0.9:
        data["document_store"] = True                  # IG018
    if rng.random() < 0.9:
        flow["privacy_notice_updated"] = False         # IG030
    if rng.random() < 0.8:
        del flow["legal_basis"]["schedule_1_condition"]  # IG005
    if care and rng.random() < 0.5:
        flow["national_data_opt_out"] = "applied"      # IG012
    if rng.random() < 0.03:
        flow["transfer"]["method"] = "physical_media"  # IG020 (warning)
    if rng.random() < 0.002:
        flow["transfer"]["encrypted"] = False          # IG020: one of the few errors


def _partnership(practices: int, flows: int, form: str) -> dict:
    partnership = {"name": f"Synthetic partnership ({practices} practices, {flows} flows, {form.replace('_', ' ')})",
                   "lead_party": "icb", "effective_date": "2026-11-01", "review_date": "2027-10-31"}
    if form == "governed":
        partnership.update(breach_reporting_hours=72,
                           exit_terms="Recipients delete shared data within 30 days of termination and certify it.")
    return partnership


def _clauses(scenarios: int) -> tuple[list, list]:
    clauses = [
        {"id": "hereford", "type": "indemnity", "name": "ICB accepts PHM data risk",
         "indemnifier": "icb", "beneficiaries": {"party_type": "gp_practice"},
         "applies_to": {"purposes": ["population_health_management", "risk_stratification"]},
         "covers": ["compensation", "response_costs"], "share": 0.9,
         "condition": {"description": "Practice adhered to established best practice",
                       "tests": ["DSPT Standards Met or Exceeded at the incident date"]},
         "approval": {"body": "ICB board", "reference": "Board minute 2026/114", "date": "2026-10-15"}},
        {"id": "system-pool", "type": "risk_pool", "name": "System partners' PHM risk pool",
         "members": [{"party": "icb", "share": 0.6}, {"party": "csu", "share": 0.2},
                     {"party": "trust0", "share": 0.2}],
         "applies_to": {"purposes": ["population_health_management", "risk_stratification"]},
         "covers": ["compensation", "response_costs"]},
    ]
    all_scenarios = [
        {"id": "herefordshire", "name": "Herefordshire model", "clauses": ["hereford"]},
        {"id": "risk-pool", "name": "System risk pool", "clauses": ["system-pool"]},
        {"id": "both", "name": "Indemnity, then pool", "clauses": ["hereford", "system-pool"]},
    ]
    return clauses, all_scenarios[:scenarios]


def generate_model(practices: int, flows: int, *, seed: int = 0, scenarios: int = 2,
                   form: str = "governed") -> dict:
    """A partnership of ``practices`` GP practices and ``flows`` flows, in the given form."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}")
    rng = random.Random(seed)
    trusts = max(1, practices // 50)
    parties = _system_parties(trusts)
    practice_ids = []
    for i in range(practices):
        party = _practice(i, rng)
        parties.append(party)
        practice_ids.append(party["id"])
    if form == "first_import":
        # An imported register gives names, types, ODS codes and what organisations publish (DSPT status,
        # privacy notices), not the contacts the partnership agrees.
        for party in parties:
            party.pop("contacts", None)
    out_flows = []
    for k in range(flows):
        pid = practice_ids[k % practices]
        records = rng.randrange(2_000, 25_000)
        kind = k // practices % 3
        if kind == 0:
            flow = _phm_flow(k, pid, records)
        else:
            method = "direct_system_access" if kind == 1 else rng.choice(["nhs_mail", "sftp", "secure_api"])
            flow = _care_flow(k, pid, f"trust{rng.randrange(trusts)}", records, method)
        if form == "governed":
            _govern(flow, rng)
        out_flows.append(flow)
    clauses, chosen = _clauses(scenarios)
    return {"format": "dsa-model/1", "partnership": _partnership(practices, flows, form), "parties": parties,
            "flows": out_flows, "clauses": clauses, "scenarios": chosen}


def icb_model(form: str = "governed") -> dict:
    return generate_model(100, 500, form=form)


def national_model(form: str = "governed") -> dict:
    return generate_model(6500, 50_000, form=form)


def national_first_import() -> dict:
    return national_model("first_import")


if __name__ == "__main__":  # python3 benchmarks/generate.py OUT_DIR: write the three models as JSON files
    import json
    import sys
    from pathlib import Path

    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, doc in (("icb.json", icb_model()), ("national-governed.json", national_model()),
                      ("national-first-import.json", national_first_import())):
        (out / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {out / name}")
