"""Every IG rule has a case that fails (with its rule id, severity and path) and one that passes.

The base is the bundled Herefordshire example, which validates clean; each case
edits it. Flows by index: 0 = PHM extract (controller to processor), 16 = shared
care record (independent controllers, direct care), 24 = PHM linked dataset
(joint controllers), 25 = public health aggregate extract, 26 = safeguarding.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dsa.findings import Severity
from dsa.settings import ValidationSettings
from dsa.validation import RULES, validate

TODAY = ValidationSettings(today=dt.date(2026, 11, 24))
PHM, CARE, JOINT, PUBLIC_HEALTH, SAFEGUARDING = 0, 16, 24, 25, 26


def put(doc, path, value):
    *head, last = path
    target = doc
    for key in head:
        target = target[key]
    target[last] = value


def drop(doc, path):
    *head, last = path
    target = doc
    for key in head:
        target = target[key]
    del target[last]


def research_flow(doc, **legal):
    f = doc["flows"][PHM]
    f["purpose"] = "research"
    f["legal_basis"].update(article_9="9(2)(j)", schedule_1_condition="Schedule 1 Part 1 paragraph 4", **legal)
    f["art89_safeguards"] = "Pseudonymised; no decisions about individuals"
    return doc


def fines_clause(doc):
    doc["clauses"][0]["covers"] = ["compensation", "fines"]
    return doc


# (rule, what the case does, edit, expected pointer, expected severity)
FAILING = [
    ("IG001", "same parties and purpose with two relationships",
     lambda d: d["flows"].append(dict(d["flows"][PHM], id="dup", relationship="independent_controllers")),
     "/flows/27/relationship", Severity.ERROR),
    ("IG001", "a processor discloses onward as a controller",
     lambda d: d["flows"].append(dict(d["flows"][PUBLIC_HEALTH], id="onward", **{"from": "csu", "to": "rlq"},
                                      purpose="population_health_management")),
     "/flows/27/relationship", Severity.ERROR),
    ("IG002", "no Article 6 basis", lambda d: drop(d, ["flows", CARE, "legal_basis", "article_6"]),
     "/flows/16/legal_basis/article_6", Severity.ERROR),
    ("IG002", "no legal basis at all", lambda d: drop(d, ["flows", CARE, "legal_basis"]),
     "/flows/16/legal_basis", Severity.ERROR),
    ("IG003", "legitimate interests between public bodies",
     lambda d: put(d, ["flows", CARE, "legal_basis", "article_6"], "6(1)(f)"),
     "/flows/16/legal_basis/article_6", Severity.ERROR),
    ("IG004", "special category without an Art 9 condition",
     lambda d: put(d, ["flows", CARE, "legal_basis", "article_9"], None),
     "/flows/16/legal_basis/article_9", Severity.ERROR),
    ("IG005", "9(2)(h) without its Schedule 1 paragraph",
     lambda d: drop(d, ["flows", CARE, "legal_basis", "schedule_1_condition"]),
     "/flows/16/legal_basis/schedule_1_condition", Severity.WARNING),
    ("IG006", "a Part 2 condition without an appropriate policy document",
     lambda d: drop(d, ["flows", SAFEGUARDING, "appropriate_policy_document"]),
     "/flows/26/appropriate_policy_document", Severity.WARNING),
    ("IG007", "9(2)(j) without Art 89 safeguards",
     lambda d: research_flow(d)["flows"][PHM].pop("art89_safeguards"),
     "/flows/0/art89_safeguards", Severity.ERROR),
    ("IG007", "9(2)(j) for a care purpose",
     lambda d: research_flow(d)["flows"][PHM].update(purpose="direct_care"),
     "/flows/0/legal_basis/article_9", Severity.ERROR),
    ("IG008", "9(2)(h) for research", lambda d: put(d, ["flows", PHM, "purpose"], "research"),
     "/flows/0/legal_basis/article_9", Severity.WARNING),
    ("IG009", "no common-law basis", lambda d: drop(d, ["flows", CARE, "legal_basis", "common_law"]),
     "/flows/16/legal_basis/common_law", Severity.ERROR),
    ("IG010", "implied consent for PHM",
     lambda d: put(d, ["flows", PHM, "legal_basis", "common_law"], "implied_consent"),
     "/flows/0/legal_basis/common_law", Severity.ERROR),
    ("IG011", "no opt-out position for secondary use", lambda d: drop(d, ["flows", PHM, "national_data_opt_out"]),
     "/flows/0/national_data_opt_out", Severity.ERROR),
    ("IG011", "opt-out not applied without an exemption",
     lambda d: put(d, ["flows", PHM, "national_data_opt_out"], "not_applied"),
     "/flows/0/national_data_opt_out_exemption", Severity.ERROR),
    ("IG012", "opt-out applied to direct care",
     lambda d: put(d, ["flows", CARE, "national_data_opt_out"], "applied"),
     "/flows/16/national_data_opt_out", Severity.WARNING),
    ("IG013", "GP data for PHM without Type 1 handling", lambda d: drop(d, ["flows", PHM, "type1_opt_out"]),
     "/flows/0/type1_opt_out", Severity.WARNING),
    ("IG014", "s251 expiring before the review date",
     lambda d: put(d, ["flows", PHM, "s251", "expires"], "2027-01-31"),
     "/flows/0/s251/expires", Severity.ERROR),
    ("IG014", "s251 without a CAG reference", lambda d: drop(d, ["flows", PHM, "s251", "cag_reference"]),
     "/flows/0/s251/cag_reference", Severity.ERROR),
    ("IG015", "a processing contract missing (d) and (h)",
     lambda d: put(d, ["flows", PHM, "processing_contract", "terms"], list("abcefg")),
     "/flows/0/processing_contract/terms", Severity.ERROR),
    ("IG015", "no processing contract", lambda d: drop(d, ["flows", PHM, "processing_contract"]),
     "/flows/0/processing_contract", Severity.ERROR),
    ("IG016", "a joint arrangement whose essence is not published",
     lambda d: put(d, ["flows", JOINT, "joint_arrangement", "essence_published"], False),
     "/flows/24/joint_arrangement/essence_published", Severity.ERROR),
    ("IG016", "no contact point", lambda d: drop(d, ["flows", JOINT, "joint_arrangement", "contact_point"]),
     "/flows/24/joint_arrangement/contact_point", Severity.ERROR),
    ("IG017", "PHM without a DPIA", lambda d: drop(d, ["flows", PHM, "dpia"]), "/flows/0/dpia", Severity.ERROR),
    ("IG017", "a DPIA without DPO advice", lambda d: drop(d, ["flows", PHM, "dpia", "dpo_advice"]),
     "/flows/0/dpia/dpo_advice", Severity.ERROR),
    ("IG018", "free text", lambda d: put(d, ["flows", CARE, "data", "free_text"], True),
     "/flows/16/data/free_text", Severity.WARNING),
    ("IG018", "categories without justification", lambda d: drop(d, ["flows", CARE, "data", "justification"]),
     "/flows/16/data/justification", Severity.WARNING),
    ("IG019", "no retention", lambda d: drop(d, ["flows", CARE, "retention_months"]),
     "/flows/16/retention_months", Severity.ERROR),
    ("IG019", "retention below the Records Management Code",
     lambda d: put(d, ["flows", CARE, "retention_months"], 12), "/flows/16/retention_months", Severity.ERROR),
    ("IG020", "identifiable data by unsecured email",
     lambda d: put(d, ["flows", CARE, "transfer", "method"], "unsecured_email"),
     "/flows/16/transfer/method", Severity.ERROR),
    ("IG020", "unencrypted", lambda d: put(d, ["flows", CARE, "transfer", "encrypted"], False),
     "/flows/16/transfer/encrypted", Severity.ERROR),
    ("IG020", "physical media", lambda d: put(d, ["flows", CARE, "transfer", "method"], "physical_media"),
     "/flows/16/transfer/method", Severity.WARNING),
    ("IG021", "a recipient approaching standards",
     lambda d: put(d, ["parties", 2, "dspt_status"], "approaching_standards"), "/flows/16/to", Severity.WARNING),
    ("IG021", "a recipient not meeting standards",
     lambda d: put(d, ["parties", 2, "dspt_status"], "standards_not_met"), "/flows/16/to", Severity.ERROR),
    ("IG022", "a transfer abroad with no mechanism",
     lambda d: put(d, ["flows", PHM, "international_transfer"], {"country": "United States"}),
     "/flows/0/international_transfer/mechanism", Severity.ERROR),
    ("IG023", "a processor given 48 hours", lambda d: put(d, ["flows", PHM, "breach_notification_hours"], 48),
     "/flows/0/breach_notification_hours", Severity.ERROR),
    ("IG023", "no ICO reporting deadline", lambda d: drop(d, ["partnership", "breach_reporting_hours"]),
     "/partnership/breach_reporting_hours", Severity.ERROR),
    ("IG024", "a review date 18 months away", lambda d: put(d, ["partnership", "review_date"], "2028-05-31"),
     "/partnership/review_date", Severity.WARNING),
    ("IG024", "a review date already past", lambda d: put(d, ["partnership", "review_date"], "2026-10-01"),
     "/partnership/review_date", Severity.WARNING),
    ("IG024", "no exit terms", lambda d: drop(d, ["partnership", "exit_terms"]), "/partnership/exit_terms",
     Severity.WARNING),
    ("IG025", "an indemnity covering fines", fines_clause, "/clauses/0/covers/1", Severity.WARNING),
    ("IG026", "an ICB indemnity without approval", lambda d: drop(d, ["clauses", 0, "approval"]),
     "/clauses/0/approval", Severity.WARNING),
    ("IG027", "a 'best practice' condition with no objective test",
     lambda d: drop(d, ["clauses", 0, "condition", "tests"]), "/clauses/0/condition/tests", Severity.INFO),
    ("IG028", "an indemnity with an annual cap", lambda d: put(d, ["clauses", 0, "cap_annual_gbp"], 250_000),
     "/clauses/0/cap_annual_gbp", Severity.INFO),
    ("IG030", "a flow not in the privacy notices", lambda d: put(d, ["flows", CARE, "privacy_notice_updated"], False),
     "/flows/16/privacy_notice_updated", Severity.WARNING),
    ("IG030", "a controller with no privacy notice", lambda d: drop(d, ["parties", 4, "privacy_notice_url"]),
     "/flows/0/from", Severity.WARNING),
]

# Cases where the rule's trigger is present and satisfied: the rule must stay silent.
PASSING = [
    ("IG001", "the example's consistent roles", lambda d: None),
    ("IG002", "a 6(1)(c) basis", lambda d: put(d, ["flows", CARE, "legal_basis", "article_6"], "6(1)(c)")),
    ("IG003", "public bodies sharing under 6(1)(e) public task", lambda d: None),
    ("IG004", "anonymised special category data needs no Art 9 condition",
     lambda d: (put(d, ["flows", CARE, "data", "identifiability"], "anonymised"),
                put(d, ["flows", CARE, "legal_basis", "article_9"], None))),
    ("IG005", "9(2)(a) explicit consent needs no Schedule 1 paragraph",
     lambda d: (put(d, ["flows", CARE, "legal_basis", "article_9"], "9(2)(a)"),
                drop(d, ["flows", CARE, "legal_basis", "schedule_1_condition"]))),
    ("IG006", "a Part 2 condition with its policy document", lambda d: None),
    ("IG007", "9(2)(j) research with safeguards", research_flow),
    ("IG008", "9(2)(h) for PHM (managing care systems)", lambda d: None),
    ("IG009", "aggregate data needs no common-law basis",
     lambda d: drop(d, ["flows", PUBLIC_HEALTH, "legal_basis", "common_law"])),
    ("IG010", "implied consent for direct care", lambda d: None),
    ("IG011", "not applied with an exemption",
     lambda d: (put(d, ["flows", PHM, "national_data_opt_out"], "not_applied"),
                put(d, ["flows", PHM, "national_data_opt_out_exemption"], "Legal requirement (s.259 direction)"))),
    ("IG012", "not applicable to direct care", lambda d: None),
    ("IG013", "Type 1 applied", lambda d: None),
    ("IG014", "s251 valid past the review date", lambda d: None),
    ("IG015", "a complete contract", lambda d: None),
    ("IG016", "a complete joint arrangement", lambda d: None),
    ("IG017", "a small direct-care flow needs no DPIA",
     lambda d: (put(d, ["flows", CARE, "data", "records"], 500), drop(d, ["flows", CARE, "dpia"]))),
    ("IG018", "justified categories, no free text", lambda d: None),
    ("IG019", "retention at the Code's minimum", lambda d: put(d, ["flows", CARE, "retention_months"], 96)),
    ("IG020", "encrypted NHSmail", lambda d: put(d, ["flows", CARE, "transfer", "method"], "nhs_mail")),
    ("IG021", "a practice approaching standards that only discloses",
     lambda d: put(d, ["parties", 4, "dspt_status"], "approaching_standards")),
    ("IG022", "a transfer with adequacy regulations",
     lambda d: put(d, ["flows", PHM, "international_transfer"],
                   {"country": "Ireland", "mechanism": "UK adequacy regulations (EEA)"})),
    ("IG023", "24 hours and 72 hours", lambda d: None),
    ("IG024", "a review date 11 months away", lambda d: None),
    ("IG025", "compensation and response costs only", lambda d: None),
    ("IG026", "an approved ICB indemnity", lambda d: None),
    ("IG027", "a condition with objective tests", lambda d: None),
    ("IG028", "no caps", lambda d: None),
    ("IG029", "the same purpose as the previous version", lambda d: None),
    ("IG030", "notices recorded", lambda d: None),
]


def _findings(doc, rule, previous=None):
    return [f for f in validate(doc, settings=TODAY, previous=previous) if f.rule == rule]


@pytest.mark.parametrize("rule,case,edit,pointer,severity", FAILING, ids=[f"{r}-{c}" for r, c, *_ in FAILING])
def test_rule_reports_the_problem_at_its_path(herefordshire_doc, rule, case, edit, pointer, severity):
    edit(herefordshire_doc)
    found = _findings(herefordshire_doc, rule)
    assert [(f.pointer, f.severity) for f in found if f.pointer == pointer] == [(pointer, severity)], \
        [f.to_dict() for f in found]
    assert all(f.message and f.fix for f in found)


@pytest.mark.parametrize("rule,case,edit", PASSING, ids=[f"{r}-{c}" for r, c, _ in PASSING])
def test_rule_is_silent_when_its_requirement_is_met(herefordshire_doc, rule, case, edit):
    edit(herefordshire_doc)
    assert _findings(herefordshire_doc, rule) == []


def test_a_new_purpose_without_compatibility_assessment_is_flagged_against_the_previous_version(herefordshire_doc):
    import copy
    previous = copy.deepcopy(herefordshire_doc)
    herefordshire_doc["flows"][CARE]["purpose"] = "safeguarding"
    found = _findings(herefordshire_doc, "IG029", previous=previous)
    assert [f.pointer for f in found] == ["/flows/16/compatibility_assessment"]
    herefordshire_doc["flows"][CARE]["compatibility_assessment"] = "Compatible: same care team, Art 6(4) test done"
    assert _findings(herefordshire_doc, "IG029", previous=previous) == []


def test_the_version_rule_is_skipped_without_a_previous_version(herefordshire_doc):
    herefordshire_doc["flows"][CARE]["purpose"] = "safeguarding"
    assert _findings(herefordshire_doc, "IG029") == []


def test_every_ig_rule_of_the_domain_brief_is_registered_with_a_title_and_source():
    ig = {k: r for k, r in RULES.items() if k.startswith("IG")}
    assert sorted(ig) == [f"IG{n:03d}" for n in range(1, 33)]
    assert all(r.title and r.source for r in ig.values())
    # IG031 and IG032 (drafting-lawyer-grade.md point 12) have their cases in test_gateways_and_party_types.py.
    failing_rules = {r for r, *_ in FAILING} | {"IG029", "IG031", "IG032"}
    assert failing_rules == set(ig), "every rule needs a failing case"


def test_dpia_scale_is_a_setting_not_a_literal(herefordshire_doc):
    care = herefordshire_doc["flows"][CARE]
    care["data"]["records"] = 5_000
    del care["dpia"]
    assert _findings(herefordshire_doc, "IG017") == []
    strict = ValidationSettings(today=TODAY.today, dpia_scale_records=1_000)
    assert [f.rule for f in validate(herefordshire_doc, settings=strict) if f.rule == "IG017"] == ["IG017"]
