"""Writes examples/herefordshire-phm.json and examples/minimal.json (run: python3 scripts/build_examples.py).

The Herefordshire example follows the case study in shared/seeds (NHS Confederation, March 2026):
practices share population health management (PHM) data through the ICB's commissioning support
unit, and the ICB accepts most of the associated risk provided practices follow best practice.
Organisation names other than the ICB, the trust and the council are invented; ODS codes of
practices are illustrative. Every governance fact the IG rules need is present.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (id/ods, name, legal form, partners, DSPT status, turnover, list size, cyber cover)
PRACTICES = [
    ("M81001", "Riverside Surgery", "partnership", 5, "standards_met", 2_100_000, 11_800, (250_000, 5_000)),
    ("M81002", "Cathedral Medical Centre", "partnership", 8, "standards_exceeded", 3_600_000, 19_400, (500_000, 10_000)),
    ("M81003", "Wye Bank Practice", "partnership", 4, "standards_met", 1_700_000, 8_900, None),
    ("M81004", "Kington Medical Practice", "partnership", 3, "approaching_standards", 1_200_000, 6_200, None),
    ("M81005", "Ledbury Market Surgery", "partnership", 6, "standards_met", 2_600_000, 13_700, (250_000, 5_000)),
    ("M81006", "Ross Community Surgery", "partnership", 7, "standards_met", 3_000_000, 16_100, None),
    ("M81007", "Bromyard Health Centre", "partnership", 4, "standards_met", 1_600_000, 8_300, None),
    ("M81008", "Golden Valley Practice", "sole_trader", 1, "standards_met", 700_000, 3_900, None),
    ("M81009", "Leominster Priory Surgery", "partnership", 9, "standards_exceeded", 4_100_000, 21_600, (1_000_000, 10_000)),
    ("M81010", "Fownhope Surgery", "partnership", 2, "not_published", 650_000, 3_400, None),
    ("M81011", "Belmont Health Ltd", "limited_company", None, "standards_met", 2_300_000, 12_400, (500_000, 5_000)),
    ("M81012", "Weobley Surgery", "partnership", 3, "standards_met", 1_000_000, 5_300, None),
    ("M81013", "Much Birch Surgery", "partnership", 3, "standards_not_met", 950_000, 5_000, None),
    ("M81014", "Colwall Surgery", "partnership", 4, "standards_met", 1_300_000, 7_100, None),
    ("M81015", "Hay Road Surgery", "partnership", 5, "approaching_standards", 1_800_000, 9_600, None),
    ("M81016", "Pendragon Practice", "sole_trader", 1, "standards_met", 800_000, 4_200, None),
]


def practice_party(ods, name, form, partners, dspt, turnover, cover):
    pid = ods.lower()
    party = {
        "id": pid, "name": name, "type": "gp_practice", "ods_code": ods, "legal_form": form,
        "dspt_status": dspt, "annual_turnover_gbp": turnover,
        "ico_registration": f"Z{int(ods[1:]) + 5_550_000:07d}"[:8],
        "contacts": {"dpo": "ICB-provided DPO service (Midlands and Lancashire CSU)",
                     "caldicott_guardian": f"Caldicott Guardian, {name}",
                     "siro": f"Practice manager, {name}"},
        "privacy_notice_url": f"https://www.{name.lower().replace(' ', '').replace('ltd', '')}.nhs.uk/privacy",
    }
    if partners is not None:
        party["partners"] = partners
    if cover:
        party["insurance"] = {"cyber_limit_gbp": cover[0], "excess_gbp": cover[1]}
    return party


def phm_flow(pid, name, records):
    return {
        "id": f"phm-{pid}", "name": f"Weekly PHM extract — {name}", "from": pid, "to": "csu",
        "purpose": "population_health_management", "relationship": "controller_to_processor",
        "data": {"identifiability": "pseudonymised", "special_category": True,
                 "categories": ["demographics", "diagnoses", "medications", "test_results"], "records": records,
                 "subject_categories": ["patients"], "linked": True,
                 "justification": "Demographics, diagnoses, medications and results are the minimum the "
                                  "PHM segmentation and risk models need; no free text is extracted. The "
                                  "practices instruct the CSU together to link their extracts, under the one "
                                  "DPIA that covers the linkage (DPIA-PHM-01).",
                 "record_type": "Data extract for analysis"},
        "legal_basis": {"article_6": "6(1)(e)", "article_9": "9(2)(h)",
                        "schedule_1_condition": "Schedule 1 Part 1 paragraph 2",
                        "legal_power": "The practice is not a public body and needs no statutory power; the ICB "
                                       "commissions the PHM service under NHS Act 2006 s.3",
                        "common_law": "s251"},
        "national_data_opt_out": "applied", "type1_opt_out": "applied",
        "s251": {"cag_reference": "22/CAG/0001", "expires": "2028-03-31"},
        "dpia": {"reference": "DPIA-PHM-01", "date": "2026-09-01",
                 "dpo_advice": "Approved with conditions (ICB IG group minute 2026/41)"},
        "processing_contract": {"reference": "PC-2026-07", "date": "2026-10-01", "expires": "2029-09-30",
                                "terms": list("abcdefgh"), "sub_processors": ["Optum Health Solutions (UK) Ltd"]},
        "breach_notification_hours": 24, "privacy_notice_updated": True,
        "transfer": {"method": "secure_api", "frequency": "weekly", "encrypted": True},
        "retention_months": 24,
    }


def care_flow(pid, name, records):
    return {
        "id": f"scr-{pid}", "name": f"Shared care record — {name}", "from": pid, "to": "rlq",
        "purpose": "direct_care", "relationship": "independent_controllers",
        "data": {"identifiability": "identifiable", "special_category": True,
                 "categories": ["demographics", "diagnoses", "medications", "allergies", "test_results"],
                 "records": records, "subject_categories": ["patients"],
                 "justification": "Clinicians at the trust need the GP summary to treat the patient safely.",
                 "record_type": "Adult health record"},
        "legal_basis": {"article_6": "6(1)(e)", "article_9": "9(2)(h)",
                        "schedule_1_condition": "Schedule 1 Part 1 paragraph 2", "common_law": "implied_consent",
                        "legal_power": "Health and Social Care Act 2012 s.251B (duty to share for individual care)"},
        "national_data_opt_out": "not_applicable",
        "dpia": {"reference": "DPIA-SCR-01", "date": "2026-06-30",
                 "dpo_advice": "Approved (shared care record programme board, June 2026)"},
        "privacy_notice_updated": True,
        "transfer": {"method": "direct_system_access", "frequency": "real_time", "encrypted": True},
        "retention_months": 96,
    }


def herefordshire() -> dict:
    parties = [
        {"id": "icb", "name": "NHS Herefordshire and Worcestershire Integrated Care Board", "type": "icb",
         "ods_code": "QGH", "legal_form": "nhs_body", "dspt_status": "standards_met",
         "annual_turnover_gbp": 1_900_000_000, "ico_registration": "ZB339155",
         "contacts": {"dpo": "Head of Information Governance, NHS Herefordshire and Worcestershire ICB",
                      "siro": "Chief Finance Officer", "caldicott_guardian": "Chief Medical Officer",
                      "public": "hw.dataprotection@nhs.net"},
         "address": "Kirkham House, John Comyn Drive, Worcester WR3 7NS",
         "privacy_notice_url": "https://herefordshireandworcestershire.icb.nhs.uk/privacy"},
        {"id": "csu", "name": "Midlands and Lancashire Commissioning Support Unit",
         "type": "commissioning_support_unit", "ods_code": "0DF", "legal_form": "nhs_body",
         "dspt_status": "standards_exceeded", "annual_turnover_gbp": 180_000_000, "ico_registration": "ZA178612",
         "contacts": {"dpo": "Data Protection Officer, Midlands and Lancashire CSU", "siro": "Director of Finance"},
         "address": "Jubilee House, Lancashire Business Park, Leyland PR26 6TR",
         "privacy_notice_url": "https://www.midlandsandlancashirecsu.nhs.uk/privacy"},
        {"id": "rlq", "name": "Wye Valley NHS Trust", "type": "nhs_trust", "ods_code": "RLQ",
         "legal_form": "nhs_body", "dspt_status": "standards_met", "annual_turnover_gbp": 330_000_000,
         "ico_registration": "Z6812270", "address": "The County Hospital, Union Walk, Hereford HR1 2ER",
         "contacts": {"dpo": "Data Protection Officer, Wye Valley NHS Trust", "siro": "Director of Finance",
                      "caldicott_guardian": "Medical Director"},
         "privacy_notice_url": "https://www.wyevalley.nhs.uk/privacy"},
        {"id": "council", "name": "Herefordshire Council", "type": "local_authority",
         "legal_form": "local_authority", "dspt_status": "standards_met", "annual_turnover_gbp": 420_000_000,
         "ico_registration": "Z5779018", "address": "Plough Lane, Hereford HR4 0LE",
         "contacts": {"dpo": "Information Governance Manager, Herefordshire Council",
                      "siro": "Director of Resources", "caldicott_guardian": "Director of Public Health"},
         "privacy_notice_url": "https://www.herefordshire.gov.uk/privacy"},
    ]
    flows = []
    for ods, name, form, partners, dspt, turnover, records, cover in PRACTICES:
        parties.append(practice_party(ods, name, form, partners, dspt, turnover, cover))
    for ods, name, *_rest in PRACTICES:
        records = _rest[-2]
        flows.append(phm_flow(ods.lower(), name, records))
    for ods, name, *_rest in PRACTICES[:8]:
        flows.append(care_flow(ods.lower(), name, _rest[-2]))
    flows += [
        {"id": "phm-linked", "name": "PHM linked dataset (primary, acute and community care)", "from": "icb",
         "to": "rlq", "purpose": "risk_stratification", "relationship": "joint_controllers",
         "joint_controllers": [{"party": "icb", "share": 0.6}, {"party": "rlq", "share": 0.4}],
         "data": {"identifiability": "pseudonymised", "special_category": True,
                  "categories": ["demographics", "diagnoses", "activity", "risk_scores"], "records": 190_000,
                  "subject_categories": ["patients"], "linked": True,
                  "justification": "Linking primary and acute activity is the purpose: identifying people at "
                                   "risk of admission for proactive care."},
         "legal_basis": {"article_6": "6(1)(e)", "article_9": "9(2)(h)",
                         "schedule_1_condition": "Schedule 1 Part 1 paragraph 2",
                         "legal_power": "NHS Act 2006 s.3 (the ICB's commissioning functions) and Schedule 4 "
                                        "(the powers of an NHS trust)", "common_law": "s251"},
         "national_data_opt_out": "applied",
         "s251": {"cag_reference": "22/CAG/0001", "expires": "2028-03-31"},
         "dpia": {"reference": "DPIA-PHM-02", "date": "2026-09-15", "dpo_advice": "Approved (ICB IG group minute 2026/44)"},
         "joint_arrangement": {"reference": "JCA-2026-03", "contact_point": "hw.dataprotection@nhs.net",
                               "responsibilities": "ICB: privacy information, subject access and objections; "
                                                   "trust: security of the linked environment and breach handling.",
                               "essence_published": True},
         "privacy_notice_updated": True,
         "transfer": {"method": "secure_api", "frequency": "monthly", "encrypted": True},
         "retention_months": 36},
        {"id": "ph-council", "name": "Public health needs assessment extract", "from": "csu", "to": "council",
         "purpose": "public_health", "relationship": "independent_controllers",
         "data": {"identifiability": "aggregate", "special_category": False,
                  "categories": ["prevalence", "demographics"], "records": 0,
                  "justification": "Aggregate counts by ward for the joint strategic needs assessment."},
         "legal_basis": {"article_6": "6(1)(e)", "legal_power": "Health and Social Care Act 2012 s.12",
                         "common_law": "not_confidential"},
         "national_data_opt_out": "not_applicable",
         "transfer": {"method": "sftp", "frequency": "quarterly", "encrypted": True},
         "retention_months": 60},
        {"id": "safeguarding-council", "name": "Adult safeguarding referrals", "from": "m81001", "to": "council",
         "purpose": "safeguarding", "relationship": "independent_controllers",
         "data": {"identifiability": "identifiable", "special_category": True,
                  "categories": ["demographics", "safeguarding", "diagnoses"], "records": 40,
                  "subject_categories": ["patients", "carers"],
                  "justification": "Only what the safeguarding team needs to assess the concern."},
         "legal_basis": {"article_6": "6(1)(e)", "article_9": "9(2)(g)",
                         "schedule_1_condition": "Schedule 1 Part 2 paragraph 18",
                         "legal_power": "Localism Act 2011 s.1 (the council receives referrals under its general "
                                        "power); the practice is not a public body and needs no statutory power",
                         "common_law": "overriding_public_interest"},
         "appropriate_policy_document": True,
         "national_data_opt_out": "not_applicable",
         "privacy_notice_updated": True,
         "transfer": {"method": "nhs_mail", "frequency": "weekly", "encrypted": True},
         "retention_months": 72, "x-register-ref": "HC-SG-004"},
    ]
    clauses = [
        {"id": "hereford", "type": "indemnity", "name": "ICB accepts PHM data risk (Herefordshire clause)",
         "indemnifier": "icb", "beneficiaries": {"party_type": "gp_practice"},
         "applies_to": {"purposes": ["population_health_management", "risk_stratification"]},
         "covers": ["compensation", "response_costs"], "share": 0.9,
         "condition": {"description": "Practice adhered to established best practice",
                       "tests": ["DSPT Standards Met or Exceeded at the incident date",
                                 "Breach notified to the ICB within 24 hours",
                                 "Extraction run through the ICB-approved extraction specification v1.2"]},
         "approval": {"body": "ICB board", "reference": "Board minute 2026/114", "date": "2026-10-15"}},
        {"id": "system-pool", "type": "risk_pool", "name": "System partners' PHM risk pool",
         "members": [{"party": "icb", "share": 0.5}, {"party": "csu", "share": 0.2},
                     {"party": "rlq", "share": 0.2}, {"party": "council", "share": 0.1}],
         "applies_to": {"purposes": ["population_health_management", "risk_stratification"]},
         "covers": ["compensation", "response_costs"]},
    ]
    return {
        "format": "dsa-model/1",
        "partnership": {
            "name": "Herefordshire PHM linked dataset",
            "description": "GP practices, the ICB, Wye Valley NHS Trust and Herefordshire Council share data for "
                           "population health management and direct care; the ICB accepts most of the PHM data "
                           "risk provided practices follow established best practice.",
            "effective_date": "2026-11-01", "review_date": "2027-10-31", "lead_party": "icb",
            "breach_reporting_hours": 72,
            "exit_terms": "On termination or a party's exit, recipients delete shared data within 30 days and "
                          "certify deletion to the lead party; PHM extracts held by the CSU are returned to the ICB "
                          "or destroyed at the ICB's choice.",
            "version_note": "First draft for the LMC and ICB IG group.",
        },
        "parties": parties, "flows": flows, "clauses": clauses,
        "scenarios": [
            {"id": "herefordshire", "name": "Herefordshire model",
             "description": "The ICB indemnifies practices for 90% of PHM losses if they followed best practice.",
             "clauses": ["hereford"]},
            {"id": "risk-pool", "name": "System risk pool",
             "description": "System partners pool PHM losses; practices are not members.", "clauses": ["system-pool"]},
            {"id": "both", "name": "Indemnity, then pool", "clauses": ["hereford", "system-pool"],
             "description": "The ICB's indemnity first, then the system partners pool what they bear."},
        ],
        "x-source": "Illustrative example built from the Herefordshire case study (NHS Confederation, March 2026).",
    }


def minimal() -> dict:
    doc = herefordshire()
    keep = {"icb", "csu", "m81001"}
    parties = [dict(p) for p in doc["parties"] if p["id"] in keep]
    for p in parties:  # illustrative names and addresses, so the minimal pack shows parties named in full
        if p["id"] == "m81001":
            p["partner_names"] = ["Dr Anna Price", "Dr Tom Hughes", "Dr Priya Shah", "Dr Owen Davies",
                                  "Dr Ruth Morgan"]
            p["address"] = "Riverside Surgery, 1 Bridge Street, Hereford HR4 9DG"
    flows = [f for f in doc["flows"] if f["id"] in ("phm-m81001",)]
    flows.append({
        "id": "referral-m81001", "name": "Referral letters to the ICB's care coordination team", "from": "m81001",
        "to": "icb", "purpose": "direct_care", "relationship": "independent_controllers",
        "data": {"identifiability": "identifiable", "special_category": True,
                 "categories": ["demographics", "diagnoses"], "records": 300,
                 "justification": "The care coordinators need the referral reason and history."},
        "legal_basis": {"article_6": "6(1)(e)", "article_9": "9(2)(h)",
                        "schedule_1_condition": "Schedule 1 Part 1 paragraph 2", "common_law": "implied_consent",
                        "legal_power": "Health and Social Care Act 2012 s.251B (duty to share for individual care)"},
        "national_data_opt_out": "not_applicable", "privacy_notice_updated": True,
        "transfer": {"method": "nhs_mail", "frequency": "daily", "encrypted": True},
        "retention_months": 96})
    clause = dict(doc["clauses"][0], beneficiaries=["m81001"])
    return {
        "format": "dsa-model/1",
        "partnership": {"name": "Riverside PHM pilot", "effective_date": "2026-11-01", "review_date": "2027-10-31",
                        "lead_party": "icb", "breach_reporting_hours": 72,
                        "exit_terms": "Recipients delete shared data within 30 days of termination and certify it."},
        "parties": parties, "flows": flows, "clauses": [clause],
        "scenarios": [{"id": "indemnity", "name": "ICB indemnity", "clauses": [clause["id"]]}],
    }


if __name__ == "__main__":
    for name, doc in (("herefordshire-phm.json", herefordshire()), ("minimal.json", minimal())):
        path = ROOT / "examples" / name
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path}")
