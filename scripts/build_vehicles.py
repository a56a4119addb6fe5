"""Writes examples/vehicles/{primary-care-led,trust-led,joint-venture}.json (run: python3 scripts/build_vehicles.py).

One neighbourhood service — the Vale Frailty Integrated Neighbourhood Team,
proactive care for frail older people across six GP practices, two dental
practices, two community pharmacies, an optometry practice, a community trust
and the county council — delivered through the three vehicles of
arrangements.md §3 and the NHS Confederation's "Forging strategic partnerships"
(March 2026): primary-care-led, trust-led and a joint venture.

The service is defined once (``SERVICE``: who contributes what, for how many
people, how) and each vehicle only decides who holds the contract and who
controls the service's shared care record. Every flow is individual (direct)
care, so the roles and bases are the ones a UK IG lead writes for it:
Art 6(1)(e) and Art 9(2)(h) with DPA 2018 Schedule 1 Part 1 paragraph 2,
implied consent under the common-law duty of confidentiality, the national data
opt-out not applicable (it covers uses beyond individual care), and a DPIA for
the linked record. Organisations are invented; ODS codes follow the patterns of
the domain brief (practices a letter and five digits, the trust R and two
characters, pharmacies F and four, dental contracts V and six digits, the
council its ONS code) and are illustrative. The optometry practice has no code:
ophthalmic contractors' ODS codes follow no pattern the domain brief gives.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "examples" / "vehicles"

EFFECTIVE, REVIEW = "2027-01-04", "2027-10-31"
SERVICE_NAME = "Vale Frailty Integrated Neighbourhood Team"
COHORT = 2_400  # people on the frailty caseload across the neighbourhood (about 50,000 registered)

# ---------------------------------------------------------------- the organisations

# (ODS code, name, legal form, partners, DSPT status, turnover, frail patients it contributes, cyber cover)
PRACTICES = [
    ("C84101", "Millbrook Surgery", "partnership", 6, "standards_met", 3_100_000, 520, (500_000, 5_000)),
    ("C84102", "Vale Road Medical Centre", "partnership", 4, "standards_met", 2_000_000, 410, None),
    ("C84103", "St Anne's Practice", "partnership", 8, "standards_exceeded", 4_000_000, 610, (1_000_000, 10_000)),
    ("C84104", "Hollins Lane Surgery", "partnership", 3, "standards_met", 1_300_000, 300, None),
    ("C84105", "Brook Farm Health Centre", "partnership", 5, "standards_met", 2_400_000, 380, None),
    ("C84106", "Dr R Okafor's Practice", "sole_trader", 1, "standards_met", 700_000, 180, None),
]
DENTAL = [
    ("V018224", "Market Street Dental Partnership", "partnership", 3, "standards_met", 900_000, 140, None),
    ("V044517", "Vale Smiles Ltd", "limited_company", None, "standards_met", 1_400_000, 110, (250_000, 2_500)),
]
PHARMACIES = [
    ("FQ562", "Hollins Lane Pharmacy", "sole_trader", 1, "standards_met", 1_100_000, 260, None),
    ("FW471", "Valecare Pharmacy Ltd", "limited_company", None, "standards_met", 2_600_000, 330, (500_000, 5_000)),
]
OPTOMETRY = ("", "Clearview Opticians", "partnership", 2, "standards_met", 600_000, 90, None)
# The people behind the contractors the drafts must name (sole traders and small partnerships).
PARTNER_NAMES = {
    "Dr R Okafor's Practice": ["Dr Rachel Okafor"],
    "Market Street Dental Partnership": ["Dr Helen Ward", "Dr Tomasz Nowak", "Dr Priya Raman"],
    "Hollins Lane Pharmacy": ["Amira Shah"],
    "Clearview Opticians": ["Daniel Price", "Sarah Lim"],
}
STREETS = ("High Street", "Station Road", "Church Lane", "Market Street", "Mill Road", "Vale Road", "Hollins Lane",
           "Brook Street", "Park Avenue", "London Road", "Bridge Street")

TRUST = {"id": "trust", "name": "Vale and Downs Community Health NHS Trust", "type": "nhs_trust", "ods_code": "RYV",
         "legal_form": "nhs_body", "dspt_status": "standards_exceeded", "annual_turnover_gbp": 240_000_000,
         "ico_registration": "Z7310425",
         "contacts": {"dpo": "Data Protection Officer, Vale and Downs Community Health NHS Trust",
                      "siro": "Director of Finance", "caldicott_guardian": "Medical Director",
                      "public": "vdch.dataprotection@nhs.net"},
         "privacy_notice_url": "https://www.valeanddowns.nhs.uk/privacy",
         "address": "Downs House, Hospital Road, Valeford VF2 4DH"}
FEDERATION = {"id": "federation", "name": "Vale Primary Care Federation CIC", "type": "gp_federation",
              "ods_code": "Y05931", "legal_form": "community_interest_company", "dspt_status": "standards_met",
              "annual_turnover_gbp": 9_500_000, "ico_registration": "ZB512907",
              "insurance": {"cyber_limit_gbp": 1_000_000, "excess_gbp": 10_000},
              "contacts": {"dpo": "Data Protection Officer (shared service), Vale Primary Care Federation CIC",
                           "siro": "Chief Operating Officer", "caldicott_guardian": "Clinical Director",
                           "public": "vale.federation@nhs.net"},
              "privacy_notice_url": "https://www.valefederation.org.uk/privacy",
              "address": "Unit 4, Enterprise Park, Valeford VF3 1EP"}
COUNCIL = {"id": "council", "name": "Vale County Council", "type": "local_authority", "ods_code": "E10000099",
           "legal_form": "local_authority", "dspt_status": "standards_met", "annual_turnover_gbp": 610_000_000,
           "ico_registration": "Z5920143",
           "contacts": {"dpo": "Information Governance Manager, Vale County Council",
                        "siro": "Director of Resources", "caldicott_guardian": "Director of Adult Social Care"},
           "privacy_notice_url": "https://www.valecounty.gov.uk/privacy",
           "address": "County Hall, Castle Street, Valeford VF1 1CH"}
JV = {"id": "jv", "name": "Vale Neighbourhood Health Partnership Ltd", "type": "neighbourhood_provider",
      "legal_form": "limited_company", "dspt_status": "standards_met", "annual_turnover_gbp": 14_000_000,
      "ico_registration": "ZB640218",
      "contacts": {"dpo": "Data Protection Officer (provided by the trust under the shareholders' agreement)",
                   "siro": "Managing Director"},
      "privacy_notice_url": "https://www.valeneighbourhood.org.uk/privacy",
      "address": "Unit 4, Enterprise Park, Valeford VF3 1EP"}

# What each kind of contributor shares with the team, and why each item is needed.
CONTRIBUTIONS = {
    "gp_practice": ("GP record summary for the frailty caseload",
                    ["demographics", "diagnoses", "medications", "allergies", "test_results", "frailty_score"],
                    "The team needs the registered practice's problem list, medicines, allergies, recent results and "
                    "electronic frailty index to plan proactive care safely; no free text or letters are shared.",
                    "secure_api", "daily"),
    "dental_practice": ("Oral health assessments of frail patients",
                        ["demographics", "oral_health_assessment", "medications"],
                        "Oral health and the medicines that affect it (anticoagulants, bisphosphonates) inform "
                        "nutrition and falls planning; nothing else from the dental record is shared.",
                        "secure_api", "weekly"),
    "community_pharmacy": ("Medicines reviews and dispensing alerts",
                           ["demographics", "medications", "adherence"],
                           "Structured medication reviews, dispensing changes and adherence concerns are needed for "
                           "the team's deprescribing and falls-risk work.",
                           "secure_api", "daily"),
    "optometry_practice": ("Sight-loss and falls-risk referrals",
                           ["demographics", "eye_examination_findings"],
                           "Reduced vision findings feed the falls-risk assessment; only the referral summary is sent.",
                           "nhs_mail", "weekly"),
    "local_authority": ("Adult social care assessments and care packages",
                        ["demographics", "care_needs", "care_package", "carer_details"],
                        "Care needs and the current package of care are needed to plan joint care; carers' contact "
                        "details let the team involve them as the person wishes.",
                        "secure_api", "daily"),
}
LEGAL_POWER = {
    "gp_practice": "NHS (General Medical Services Contracts) Regulations 2015; Health and Social Care Act 2012 s.251B",
    "dental_practice": "NHS (General Dental Services Contracts) Regulations 2005; Health and Social Care Act 2012 s.251B",
    "community_pharmacy": "NHS (Pharmaceutical and Local Pharmaceutical Services) Regulations 2013; Health and "
                          "Social Care Act 2012 s.251B",
    "optometry_practice": "General Ophthalmic Services Contracts Regulations 2008; Health and Social Care Act 2012 "
                          "s.251B",
    "local_authority": "Care Act 2014 ss.3 and 6; Health and Social Care Act 2012 s.251B",
    "gp_federation": "NHS Act 2006 s.3 (services commissioned by the ICB under the neighbourhood contract); Health "
                     "and Social Care Act 2012 s.251B",
    "nhs_trust": "NHS Act 2006 s.43 and Sch 4; Health and Social Care Act 2012 s.251B",
}
DPIA = {"reference": "DPIA-VALE-INT-01", "date": "2026-10-20",
        "dpo_advice": "Approved with conditions: role-based access, audit of record access (INT IG group "
                      "minute 2026/12)"}
BASIS = {"article_6": "6(1)(e)", "article_9": "9(2)(h)", "schedule_1_condition": "Schedule 1 Part 1 paragraph 2",
         "common_law": "implied_consent"}


def contractor(kind: str, row: tuple, index: int) -> dict:
    ods, name, form, partners, dspt, turnover, _, cover = row
    pid = ods.lower() if ods else f"optom-{index}"
    words = {"gp_practice": "Practice manager", "dental_practice": "Practice manager",
             "community_pharmacy": "Superintendent pharmacist", "optometry_practice": "Practice manager"}[kind]
    party = {"id": pid, "name": name, "type": kind, "legal_form": form, "dspt_status": dspt,
             "annual_turnover_gbp": turnover, "ico_registration": f"Z{abs(hash_code(name)) % 9_000_000 + 1_000_000:07d}",
             "contacts": {"dpo": f"Data Protection Officer, {name}", "siro": f"{words}, {name}",
                          "caldicott_guardian": f"Caldicott Guardian, {name}"},
             "privacy_notice_url": f"https://www.{slug(name)}.co.uk/privacy"}
    if ods:
        party["ods_code"] = ods
    if name in PARTNER_NAMES:
        party["partner_names"] = PARTNER_NAMES[name]
    number = hash_code(name) % 90 + 1
    party["address"] = f"{number} {STREETS[hash_code(name) % len(STREETS)]}, Valeford VF{number % 9 + 1} {number % 7 + 2}QT"
    if partners is not None and form == "partnership":
        party["partners"] = partners
    if form == "sole_trader":
        party["partners"] = 1
    if cover:
        party["insurance"] = {"cyber_limit_gbp": cover[0], "excess_gbp": cover[1]}
    return party


def hash_code(text: str) -> int:
    """A stable number from a name (Python's hash() changes between runs)."""
    value = 0
    for ch in text:
        value = (value * 131 + ord(ch)) % 1_000_000_007
    return value


def slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())[:30]


def contributors() -> list[tuple[dict, int]]:
    """(party, frail patients it contributes), primary care contractors first."""
    out = []
    for kind, rows in (("gp_practice", PRACTICES), ("dental_practice", DENTAL), ("community_pharmacy", PHARMACIES),
                       ("optometry_practice", [OPTOMETRY])):
        for i, row in enumerate(rows, start=1):
            out.append((contractor(kind, row, i), row[6]))
    out.append((COUNCIL, 600))
    return out


# ---------------------------------------------------------------- flows


def _data(categories, records, justification, *, linked=False) -> dict:
    data = {"identifiability": "identifiable", "special_category": True, "categories": categories,
            "records": records, "subject_categories": ["patients", "carers"] if "carer_details" in categories
            else ["patients"], "justification": justification, "record_type": "Adult health record"}
    if linked:
        data["linked"] = True
    return data


def direct_care(fid, name, src, dst, data, method, frequency, power, *, relationship="independent_controllers",
                type1=False) -> dict:
    flow = {"id": fid, "name": name, "from": src, "to": dst, "purpose": "direct_care", "relationship": relationship,
            "data": data, "legal_basis": {**BASIS, "legal_power": power},
            "national_data_opt_out": "not_applicable", "dpia": dict(DPIA), "privacy_notice_updated": True,
            "transfer": {"method": method, "frequency": frequency, "encrypted": True}, "retention_months": 96}
    if type1:
        flow["type1_opt_out"] = "not_applicable"
    return flow


def contribution_flows(holder_for) -> list[dict]:
    """Every contributor's share into the service record, and care plans back to each registered practice.

    ``holder_for(party)`` is the organisation that receives a contributor's data into the record.
    """
    flows = []
    for party, records in contributors():
        kind = party["type"]
        title, categories, why, method, frequency = CONTRIBUTIONS[kind]
        to = holder_for(party)
        flows.append(direct_care(f"in-{party['id']}", f"{title} — {party['name']}", party["id"], to,
                                 _data(categories, records, why), method, frequency, LEGAL_POWER[kind],
                                 type1=kind == "gp_practice"))
        if kind == "gp_practice":
            flows.append(direct_care(
                f"plan-{party['id']}", f"Care plans and team contacts back to {party['name']}", to, party["id"],
                _data(["demographics", "care_plan", "frailty_score"], records,
                      "The registered practice keeps the care plan and the team's contacts in its own record, "
                      "so the patient's GP sees what the team agreed."),
                "secure_api", "daily", LEGAL_POWER[holder_type(to)]))
    return flows


def holder_type(party_id: str) -> str:
    return {"trust": "nhs_trust", "federation": "gp_federation"}[party_id]


def processor_flow(fid, name, controller, processor, what, contract_ref) -> dict:
    flow = direct_care(fid, name, controller, processor,
                       _data(["demographics", "diagnoses", "medications", "allergies", "care_plan", "frailty_score",
                              "care_needs"], COHORT,
                             f"{what} need the whole care record of the people on their caseload, and no more; "
                             "access is role-based and audited.", linked=True),
                       "direct_system_access", "real_time", LEGAL_POWER[holder_type(controller)],
                       relationship="controller_to_processor")
    flow["processing_contract"] = {"reference": contract_ref, "date": "2026-12-01", "expires": "2029-12-31",
                                   "terms": list("abcdefgh"), "sub_processors": []}
    flow["breach_notification_hours"] = 24
    return flow


# ---------------------------------------------------------------- the three vehicles

COMMON_DESCRIPTION = (
    f"The {SERVICE_NAME} gives proactive, joined-up care to about {COHORT:,} frail older people across six GP "
    "practices, two dental practices, two community pharmacies, an optometry practice, the community trust and "
    "the county council, all working from one shared care record for the service. Every contributor remains the "
    "controller of its own records and shares them for individual care only: Article 6(1)(e) and Article 9(2)(h) "
    "with DPA 2018 Schedule 1 Part 1 paragraph 2, implied consent under the common-law duty of confidentiality, "
    "and the national data opt-out does not apply because the use is individual care. One DPIA "
    "(DPIA-VALE-INT-01) covers the linked record. ")

VEHICLES = {
    "primary-care-led": {
        "name": f"{SERVICE_NAME} — primary-care-led",
        "lead": "federation",
        "why": ("Primary-care-led: the ICB awards the neighbourhood contract to Vale Primary Care Federation CIC as "
                "lead provider. The federation decides why and how the service record is used, so it is its sole "
                "controller, and each contributor discloses to it as an independent controller. The community "
                "trust provides community nursing under a subcontract and acts only on the federation's "
                "documented instructions, so it is the federation's processor under an Article 28 contract "
                "covering terms (a) to (h) (PC-VALE-INT-01)."),
        "extra": lambda: [processor_flow("record-nursing", "Community nursing access to the service record "
                                         "(trust as the federation's processor)", "federation", "trust",
                                         "Community nurses", "PC-VALE-INT-01")],
        "holder": lambda party: "federation",
        "parties": lambda: [FEDERATION, TRUST],
    },
    "trust-led": {
        "name": f"{SERVICE_NAME} — trust-led",
        "lead": "trust",
        "why": ("Trust-led: the ICB awards the neighbourhood contract to Vale and Downs Community Health NHS Trust, "
                "which decides why and how the service record is used and so is its sole controller; each "
                "contributor discloses to the trust as an independent controller. Vale Primary Care Federation CIC "
                "provides care coordinators under a subcontract and acts only on the trust's documented "
                "instructions, so it is the trust's processor under an Article 28 contract covering terms (a) to "
                "(h) (PC-VALE-INT-02)."),
        "extra": lambda: [processor_flow("record-coordination", "Care coordinators' access to the service record "
                                         "(federation as the trust's processor)", "trust", "federation",
                                         "Care coordinators", "PC-VALE-INT-02")],
        "holder": lambda party: "trust",
        "parties": lambda: [TRUST, FEDERATION],
    },
    "joint-venture": {
        "name": f"{SERVICE_NAME} — joint venture",
        "lead": "jv",
        "why": ("Joint venture: the ICB awards the neighbourhood contract to Vale Neighbourhood Health Partnership "
                "Ltd, a company owned equally by the trust and the federation. Staff stay with their host "
                "employers and the company processes no personal data itself, so it has no data protection role. "
                "The trust and the federation decide together why and how the service record is used, so they are "
                "joint controllers of it, sharing responsibility 50:50 as the shareholders' agreement shares "
                "control, under an Article 26 arrangement (JCA-VALE-INT-01) that makes the federation the contact "
                "point for primary care contributors and the trust for the council. Contributors disclose to the "
                "joint controller that is their contact point, as independent controllers."),
        "extra": lambda: [joint_record()],
        "holder": lambda party: "trust" if party["type"] == "local_authority" else "federation",
        "parties": lambda: [JV, TRUST, FEDERATION],
    },
}


def joint_record() -> dict:
    flow = direct_care("record-joint", "Service record shared by its joint controllers (trust and federation)",
                       "trust", "federation",
                       _data(["demographics", "diagnoses", "medications", "allergies", "care_plan", "frailty_score",
                              "care_needs"], COHORT,
                             "Both joint controllers' clinicians need the whole care record of the people on the "
                             "caseload, and no more; access is role-based and audited.", linked=True),
                       "direct_system_access", "real_time", LEGAL_POWER["nhs_trust"],
                       relationship="joint_controllers")
    flow["joint_controllers"] = [{"party": "trust", "share": 0.5}, {"party": "federation", "share": 0.5}]
    flow["joint_arrangement"] = {
        "reference": "JCA-VALE-INT-01", "contact_point": "vale.int@nhs.net",
        "responsibilities": "Federation: privacy information and rights requests from patients of the practices, "
                            "dental, pharmacy and optometry contributors; trust: security of the record platform, "
                            "breach handling and rights requests from the council's clients; both: the DPIA and "
                            "records of processing.",
        "essence_published": True}
    return flow


def record_pool(record_flow: str) -> tuple[list[dict], list[dict]]:
    """A clause and scenario that share the service record's losses 50:50 between the trust and the federation
    by contract, as the joint venture does by joint control (so a single-lead vehicle can be compared with it)."""
    clause = {"id": "record-pool", "type": "risk_pool",
              "name": "Trust and federation share the service record's losses equally",
              "members": [{"party": "trust", "share": 0.5}, {"party": "federation", "share": 0.5}],
              "applies_to": {"flows": [record_flow]}, "covers": ["compensation", "response_costs"]}
    scenario = {"id": "shared-record", "name": "Record losses shared 50:50 by contract", "clauses": ["record-pool"],
                "description": "The lead provider and its subcontractor pool compensation and response costs on the "
                               "service record equally; fines stay where the law puts them."}
    return [clause], [scenario]


def build(vehicle: str) -> dict:
    spec = VEHICLES[vehicle]
    parties = [party for party, _ in contributors()] + spec["parties"]()
    flows = contribution_flows(spec["holder"]) + spec["extra"]()
    shared = [f["id"] for f in flows if f["relationship"] == "controller_to_processor"]
    clauses, scenarios = record_pool(shared[0]) if shared else ([], [])
    return {
        "format": "dsa-model/1",
        "partnership": {
            "name": spec["name"], "description": COMMON_DESCRIPTION + spec["why"],
            "effective_date": EFFECTIVE, "review_date": REVIEW, "lead_party": spec["lead"],
            "breach_reporting_hours": 72,
            "exit_terms": "On termination the record's controller(s) keep the service record for the Records "
                          "Management Code period for adult health records and give each contributor a copy of its "
                          "patients' care plans; contributors' own records are unaffected.",
        },
        "parties": parties,
        "flows": flows,
        **({"clauses": clauses, "scenarios": scenarios} if clauses else {}),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for vehicle in VEHICLES:
        path = OUT / f"{vehicle}.json"
        path.write_text(json.dumps(build(vehicle), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
