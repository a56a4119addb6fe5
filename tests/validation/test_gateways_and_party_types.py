"""IG031 (statutory gateways used for what they allow), IG032 (linkage by a processor for several controllers)
and the rules for the primary care contractors beyond general practice (arrangements.md §1).

Flows of the Herefordshire example by index: 0 = PHM extract from Riverside Surgery (m81001, party 4) to the
CSU (processor, s251 support), 16 = shared care record (direct care, to the trust), 26 = adult safeguarding
referral to the council.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsa.findings import Severity
from dsa.settings import ValidationSettings
from dsa.validation import validate
from dsa.validation.ig_rules.gateways import cited_sections

TODAY = ValidationSettings(today=dt.date(2026, 11, 24))
PHM, CARE, SAFEGUARDING = 0, 16, 26
RIVERSIDE = 4  # the party m81001, which discloses flow 0
ENUM_IDS = re.compile(r"\b[a-z]+_[a-z_]+\b")  # population_health_management, common_law …


FITTING_POWER = {"direct_care": "Health and Social Care Act 2012 s.251B",
                 "safeguarding": "Care Act 2014 s.42 (the council's enquiry)"}


@pytest.fixture
def hdoc(herefordshire_doc):
    """The example with each flow citing a power that fits it, whatever the bundled file says today."""
    for flow in herefordshire_doc["flows"]:
        basis = flow.get("legal_basis", {})
        if flow["purpose"] in FITTING_POWER:
            basis["legal_power"] = FITTING_POWER[flow["purpose"]]
        elif basis.get("common_law") == "s251":
            basis["legal_power"] = "NHS Act 2006 s.251 and COPI reg 5"
        else:
            basis.pop("legal_power", None)
    assert [f for f in validate(herefordshire_doc, settings=TODAY) if f.rule in ("IG031", "IG032")] == []
    return herefordshire_doc


def found(doc, rule):
    return [f for f in validate(doc, settings=TODAY) if f.rule == rule]


def cite(doc, flow, text):
    doc["flows"][flow]["legal_basis"]["legal_power"] = text
    return doc


def plain_english(message: str) -> bool:
    return not ENUM_IDS.search(message) and "/" not in message.replace("s.251", "")


# ----------------------------------------------------------------------------- IG031

MISUSED = [
    ("s.251B for population health management", PHM, "Health and Social Care Act 2012 s.251B",
     "population health management"),
    ("s.251B written as a section of the Act", PHM, "section 251B of the Health and Social Care Act 2012",
     "individual (direct) care"),
    ("s.251 support for direct care", CARE, "NHS Act 2006 s.251 and COPI reg 5", "implied consent"),
    ("Care Act s.45 for a referral to the council", SAFEGUARDING, "Care Act 2014 s.45",
     "Herefordshire Council is not recorded as a Safeguarding Adults Board"),
    ("Care Act ss.42 and 45 for a referral to the council", SAFEGUARDING, "Care Act 2014 ss.42 and 45",
     "Safeguarding Adults Board"),
    ("Care Act s.42 for direct care", CARE, "Care Act 2014 s.42", "not a general power to share"),
    ("the ICB establishment section", PHM, "NHS Act 2006 s.14Z25 and s.14Z61", "establishes integrated care boards"),
    ("the ICB constitution schedule", PHM, "NHS Act 2006 Schedule 1B", "creates a body"),
]


@pytest.mark.parametrize("case,flow,text,reason", MISUSED, ids=[m[0] for m in MISUSED])
def test_a_gateway_cited_outside_its_purpose_is_a_warning_with_the_legal_reason(hdoc, case, flow,
                                                                                 text, reason):
    cite(hdoc, flow, text)
    hits = found(hdoc, "IG031")
    assert [(f.pointer, f.severity) for f in hits] == [(f"/flows/{flow}/legal_basis/legal_power", Severity.WARNING)]
    assert reason in hits[0].message and hits[0].fix
    assert plain_english(hits[0].message), hits[0].message


FITTING = [
    ("s.251B for direct care", CARE, "Health and Social Care Act 2012 s.251B (duty to share for individual care)"),
    ("s.251B written HSCA s251B", CARE, "HSCA 2012 s251B"),
    ("s.251 support for PHM with a CAG reference", PHM, "NHS Act 2006 s.251; COPI Regulations 2002 reg 5"),
    ("Care Act s.42 for a safeguarding referral to the council", SAFEGUARDING, "Care Act 2014 s.42"),
    ("NHS Act sections that are not the gateways", PHM, "NHS Act 2006 s.14Z61 and s.43"),
    ("a section 42 of another Act", CARE, "NHS Act 2006 s.42"),
    ("a power the table does not know", PHM, "Health and Social Care Act 2012 s.12"),
]


@pytest.mark.parametrize("case,flow,text", FITTING, ids=[m[0] for m in FITTING])
def test_a_gateway_cited_for_its_purpose_is_silent(hdoc, case, flow, text):
    cite(hdoc, flow, text)
    assert found(hdoc, "IG031") == []


def test_s45_fits_information_a_safeguarding_adults_board_asked_for(hdoc):
    cite(hdoc, SAFEGUARDING, "Care Act 2014 s.45")
    council = next(p for p in hdoc["parties"] if p["id"] == "council")
    council["name"] = "Herefordshire Safeguarding Adults Board"
    assert found(hdoc, "IG031") == []


def test_s251_without_s251_support_as_the_common_law_basis_names_the_gap(hdoc):
    cite(hdoc, PHM, "NHS Act 2006 s.251")
    flow = hdoc["flows"][PHM]
    flow["legal_basis"]["common_law"] = "explicit_consent"
    del flow["s251"]
    [hit] = found(hdoc, "IG031")
    assert "explicit consent" in hit.message and "no CAG reference" in hit.message


def test_each_misused_gateway_in_one_citation_is_its_own_warning(hdoc):
    cite(hdoc, CARE, "Care Act 2014 s.45; NHS Act 2006 s.14Z25")
    assert len(found(hdoc, "IG031")) == 2


@pytest.mark.parametrize("text,expected", [
    ("Care Act 2014 s.42 and s.45", [("care", "42"), ("care", "45")]),
    ("Care Act 2014 sections 42, 45", [("care", "42"), ("care", "45")]),
    ("section 251B of the Health and Social Care Act 2012", [("hsca", "251b")]),
    ("s 251 NHS Act 2006", [("nhs", "251")]),
    ("Health and Social Care Act 2012 s.251B; Care Act 2014 s.45", [("hsca", "251b"), ("care", "45")]),
])
def test_citations_are_read_with_the_act_each_section_belongs_to(text, expected):
    assert [c for c in cited_sections(text) if c[0] != "copi"] == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="0123456789"), max_size=80))
def test_text_that_cites_no_section_number_never_triggers_ig031(text):
    assert not [c for c in cited_sections(text) if c[1] in ("251b", "251", "45", "42", "14z25")]


# ----------------------------------------------------------------------------- IG032

def linked_extracts(doc):
    """The 16 practices' PHM extracts, linked by the CSU (their processor) into one dataset."""
    for i in range(16):
        doc["flows"][i]["data"]["linked"] = True
    return doc


def test_a_processor_linking_several_controllers_data_under_separate_dpias_is_warned(hdoc):
    linked_extracts(hdoc)
    for i in range(16):  # each practice's extract cites its own DPIA
        hdoc["flows"][i]["dpia"]["reference"] = f"DPIA-PHM-{i:02d}"
    [hit] = found(hdoc, "IG032")
    assert hit.pointer == "/flows/0/data/linked" and hit.severity is Severity.WARNING
    assert "Midlands and Lancashire Commissioning Support Unit" in hit.message
    assert "16 controllers" in hit.message and "and 11 more" in hit.message
    assert "Weekly PHM extract — Riverside Surgery" in hit.message
    assert plain_english(hit.message), hit.message


def test_one_dpia_covering_the_linkage_is_a_recorded_basis(hdoc):
    linked_extracts(hdoc)
    for i in range(16):
        hdoc["flows"][i]["dpia"]["reference"] = "DPIA-PHM-01"
    assert found(hdoc, "IG032") == []


def test_a_joint_arrangement_between_the_controllers_is_a_recorded_basis(hdoc):
    linked_extracts(hdoc)
    for i in range(16):
        flow = hdoc["flows"][i]
        flow["dpia"]["reference"] = f"DPIA-PHM-{i:02d}"
        flow["joint_arrangement"] = {"reference": "JCA-PHM-2026", "contact_point": "hw.dataprotection@nhs.net",
                                     "responsibilities": "ICB: privacy information", "essence_published": True}
    assert found(hdoc, "IG032") == []


def test_linkage_for_one_controller_or_without_linkage_is_not_this_rules_concern(hdoc, minimal_doc):
    del minimal_doc["flows"][0]["dpia"]  # one practice: IG017 asks for the DPIA, not IG032
    assert found(minimal_doc, "IG032") == []
    for i in range(16):  # several controllers, separate DPIAs, but nothing linked
        hdoc["flows"][i]["dpia"]["reference"] = f"DPIA-PHM-{i:02d}"
        hdoc["flows"][i]["data"]["linked"] = False
    assert found(hdoc, "IG032") == []


# ----------------------------------------------------------------------------- the new party types

CONTRACTORS = ["dental_practice", "optometry_practice", "community_pharmacy"]
ALL_NEW = CONTRACTORS + ["gp_federation", "neighbourhood_provider"]


def as_type(doc, ptype, legal_form=None):
    party = doc["parties"][RIVERSIDE]
    party["type"] = ptype
    if legal_form:
        party["legal_form"] = legal_form
        party.pop("partners", None)
    return doc


@pytest.mark.parametrize("ptype", CONTRACTORS)
def test_type_1_opt_out_rules_do_not_fire_for_a_non_gp_contractor(hdoc, ptype):
    del hdoc["flows"][PHM]["type1_opt_out"]
    assert [f.pointer for f in found(hdoc, "IG013")] == ["/flows/0/type1_opt_out"]  # a GP practice
    as_type(hdoc, ptype)
    assert found(hdoc, "IG013") == []


@pytest.mark.parametrize("ptype", ALL_NEW)
def test_the_national_data_opt_out_applies_to_every_health_and_care_organisation(hdoc, ptype):
    as_type(hdoc, ptype, "community_interest_company" if ptype in ALL_NEW[3:] else None)
    del hdoc["flows"][PHM]["national_data_opt_out"]
    assert [(f.pointer, f.severity) for f in found(hdoc, "IG011")] == \
        [("/flows/0/national_data_opt_out", Severity.ERROR)]


def _legitimate_interests_to_a_supplier(doc, purpose):
    doc["parties"].append({"id": "analytics", "name": "Analytics Ltd", "type": "supplier",
                           "legal_form": "limited_company", "dspt_status": "standards_met",
                           "privacy_notice_url": "https://analytics.example/privacy"})
    flow = dict(doc["flows"][CARE], id="li", name="Audit support", to="analytics", purpose=purpose,
                legal_basis=dict(doc["flows"][CARE]["legal_basis"], article_6="6(1)(f)"))
    flow["from"] = "m81001"
    doc["flows"].append(flow)
    return doc


@pytest.mark.parametrize("ptype", CONTRACTORS)
def test_nhs_contractors_are_public_authorities_for_their_nhs_services_only(hdoc, ptype):
    as_type(hdoc, ptype)
    _legitimate_interests_to_a_supplier(hdoc, "direct_care")
    [hit] = found(hdoc, "IG003")
    assert "Riverside Surgery" in hit.message and hit.pointer == "/flows/27/legal_basis/article_6"
    hdoc["flows"][27]["purpose"] = "other"  # possibly its private work
    assert found(hdoc, "IG003") == []


def test_a_gp_practice_stays_a_public_authority_whatever_the_purpose(hdoc):
    _legitimate_interests_to_a_supplier(hdoc, "other")
    assert [f.pointer for f in found(hdoc, "IG003")] == ["/flows/27/legal_basis/article_6"]


@pytest.mark.parametrize("ptype", ["gp_federation", "neighbourhood_provider"])
def test_a_federation_or_neighbourhood_provider_is_public_only_as_an_nhs_body(hdoc, ptype):
    as_type(hdoc, ptype, "community_interest_company")
    _legitimate_interests_to_a_supplier(hdoc, "direct_care")
    assert found(hdoc, "IG003") == []
    hdoc["parties"][RIVERSIDE]["legal_form"] = "nhs_body"
    assert len(found(hdoc, "IG003")) == 1
