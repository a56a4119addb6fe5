"""The twenty points of shared/spec/drafting-lawyer-grade.md, one test (or more) per point, named by it."""

from __future__ import annotations

import re
import zipfile
import io

import pytest

from dsa.drafting import build_pack
from dsa.drafting.clauses import sections
from dsa.drafting.render import public_markdown
from tests.drafting.conftest import assessment_of

MINIMAL, HEREFORD = "minimal.json", "herefordshire-phm.json"


def pack(doc, example=MINIMAL, **kw):
    return build_pack(doc, assessment=assessment_of(example), **kw)


def clause_text(draft, heading_start: str) -> str:
    """The Markdown of the clause whose heading (after its number) starts with ``heading_start``."""
    parts = re.split(r"^(#{2,3} .*)$", draft.markdown, flags=re.M)
    for i in range(1, len(parts), 2):
        if re.sub(r"^#{2,3} [\d.]+ ", "", parts[i]).startswith(heading_start):
            return parts[i + 1]
    raise AssertionError(f"no clause {heading_start!r} in {draft.name}")


# --- risk-sharing schedule ------------------------------------------------------------------------------

def test_point_1_conditions_are_exhaustive_conditions_precedent_with_a_decision_maker_and_an_expert(minimal_doc):
    minimal_doc["clauses"][0]["condition"]["tests"][2] = "Extraction run through the ICB-approved specification"
    schedule = pack(minimal_doc).draft("risk-sharing-schedule")
    clause = clause_text(schedule, "ICB accepts PHM data risk")
    assert "applies if and only if the Beneficiary meets each of the following tests at the date of the Incident" \
        in clause
    tests = minimal_doc["clauses"][0]["condition"]["tests"]
    for letter, test in zip("abc", tests):
        assert f"- ({letter}) {test}" in clause
    assert "The Indemnifier decides" in clause and "refer the question to the Expert" in clause
    # a specification named without a version gets a placeholder for its version
    assert "[TO BE COMPLETED: version of the document named in the test 'Extraction run through the ICB-approved " \
           "specification']" in clause


def test_point_1_a_specification_named_by_version_needs_no_placeholder(minimal_doc):
    minimal_doc["clauses"][0]["condition"]["tests"][2] = "Extraction run through the ICB specification v2.1"
    clause = clause_text(pack(minimal_doc).draft("risk-sharing-schedule"), "ICB accepts PHM data risk")
    assert "specification v2.1;" in clause and "version of the document" not in clause


def test_point_2_a_clause_with_no_cap_carries_the_managing_public_money_note_and_a_capped_alternative(minimal_doc):
    clause = clause_text(pack(minimal_doc).draft("risk-sharing-schedule"), "ICB accepts PHM data risk")
    assert "Managing Public Money" in clause and "Capped alternative:" in clause
    assert "Cap per incident: none." in clause and "Annual cap: none." in clause
    assert "withdraw it only by written notice" in clause and "survive withdrawal, termination" in clause


def test_point_2_every_money_limit_of_a_capped_clause_is_stated(minimal_doc):
    minimal_doc["clauses"][0].update(excess_gbp=5_000, cap_per_incident_gbp=250_000, cap_annual_gbp=1_000_000)
    clause = clause_text(pack(minimal_doc).draft("risk-sharing-schedule"), "ICB accepts PHM data risk")
    assert "the first £5,000 of each incident" in clause
    assert "at most £250,000 for each Beneficiary for any one incident" in clause
    assert "at most £1,000,000 in aggregate" in clause
    assert "Managing Public Money" not in clause


def test_point_3_a_clause_covering_fines_is_drafted_as_defence_costs_and_flagged(minimal_doc):
    minimal_doc["clauses"][0]["covers"] = ["compensation", "response_costs", "fines"]
    built = pack(minimal_doc)
    schedule = built.draft("risk-sharing-schedule")
    clause = clause_text(schedule, "ICB accepts PHM data risk")
    assert "reasonable defence and incident-response costs; and (iii) to the extent the law allows, any regulatory " \
           "fine or penalty" in clause
    assert "Drafting note" in clause and "unenforceable and generally uninsurable" in clause
    # the validator's IG025 warning is in the notes and is a comment on this clause
    assert any("regulatory fines" in p.text and p.clause == "c-hereford" for p in built.findings)
    assert any(c.anchor == "c-hereford" and "regulatory fines" in c.text for c in schedule.comments)


def test_point_3_a_risk_pool_covering_fines_is_flagged_too(herefordshire_doc):
    herefordshire_doc["clauses"][1]["covers"] = ["compensation", "fines"]
    pool = clause_text(build_pack(herefordshire_doc, assessment=assessment_of(HEREFORD)).draft("risk-sharing-schedule"),
                       "System partners' PHM risk pool")
    assert "to the extent the law allows, any regulatory fine or penalty" in pool
    assert "Drafting note: the pool covers fines only as" in pool


def test_point_3_fines_are_excluded_when_no_clause_covers_them(minimal_doc):
    schedule = pack(minimal_doc).draft("risk-sharing-schedule")
    assert "No clause responds to: fines or penalties imposed by the Information Commissioner" in \
        clause_text(schedule, "Exclusions")


def test_point_4_the_notification_period_in_every_document_equals_the_models(herefordshire_doc):
    for f in herefordshire_doc["flows"]:
        if "breach_notification_hours" in f:
            f["breach_notification_hours"] = 12
    herefordshire_doc["partnership"]["breach_reporting_hours"] = 48
    herefordshire_doc["clauses"][0]["condition"]["tests"][1] = "Breach notified to the ICB within the Notice Period"
    built = build_pack(herefordshire_doc, assessment=assessment_of(HEREFORD))
    stated = {}
    for d in built.drafts:
        for m in re.finditer(r"within (\d+) hours|means (\d+) hours", d.markdown):
            stated.setdefault(d.doc_type, set()).add(m.group(1) or m.group(2))
        assert "5 working days of becoming aware" not in d.markdown
    assert set(stated) >= {"data-sharing-agreement", "risk-sharing-schedule", "processing-contract",
                           "joint-controller-arrangement"}
    # between the parties: the flows' 12 hours; to the ICO: the partnership's 48, and Art 33(1)'s own 72
    assert stated.pop("data-sharing-agreement") == {"12", "48", "72"}
    assert all(hours == {"12"} for hours in stated.values()), stated


def test_point_4_a_condition_test_with_another_period_is_flagged_for_reconciliation(minimal_doc):
    minimal_doc["flows"][0]["breach_notification_hours"] = 12
    clause = clause_text(pack(minimal_doc).draft("risk-sharing-schedule"), "ICB accepts PHM data risk")
    assert "Breach notified to the ICB within 24 hours ([TO BE COMPLETED: which period applies: this test says 24 " \
           "hours, the Notice Period is 12 hours])" in clause


def test_point_5_conduct_of_claims_is_subject_to_insurers_and_nhs_resolution_and_the_order_is_the_engines(
        minimal_doc):
    schedule = pack(minimal_doc).draft("risk-sharing-schedule")
    claims = clause_text(schedule, "Claims notification and conduct")
    assert "Subject always to the rights of each Party's insurers and of NHS Resolution" in claims
    assert "subrogated" in claims and "insurer's, where its policy requires it" in claims
    assert "The clauses respond first, and each Party's own insurance responds to what the clauses leave" in \
        clause_text(schedule, "Insurance")
    assert "the clauses first, then insurance" in clause_text(schedule, "Annex")


def test_point_6_the_exposure_annex_is_non_contractual_on_one_basis_with_tail_figures_and_components(
        herefordshire_doc):
    schedule = build_pack(herefordshire_doc, assessment=assessment_of(HEREFORD)).draft("risk-sharing-schedule")
    annex = schedule.markdown.split("Annex (non-contractual): modelled exposure", 1)[1]
    assert "illustrative, not a limit or a promise" in annex
    assert annex.count("Every figure is stated on one basis: after the risk-sharing clauses and before each "
                       "Party's own insurance") == 1
    assert "| Party | Legal default mean | Mean | 1 in 1,000 | Worst 1% average | Chance of any loss | " \
           "Compensation (mean) | Response costs (mean) | Fines (mean) |" in annex
    tables = annex.split("### ")[1:]
    baseline, herefordshire = tables[0], tables[1]
    # Kington's DSPT status is Approaching Standards: it fails the indemnity's DSPT test today
    assert "Kington Medical Practice (GP practice) — not covered until the tests are met" in herefordshire
    assert "not covered until the tests are met |" not in baseline
    assert "Riverside Surgery (GP practice) — not covered" not in herefordshire


def test_point_6_every_primary_care_contractor_is_in_the_annex_labelled_by_type(minimal_doc):
    from dsa.liability import SimulationConfig, assess
    from dsa.model import Model

    minimal_doc["parties"].append({"id": "d1", "name": "Bridge Street Dental", "type": "dental_practice",
                                   "legal_form": "partnership", "partners": 2, "dspt_status": "standards_met"})
    flow = dict(minimal_doc["flows"][1], id="dental-referral", name="Dental referrals", to="d1")
    minimal_doc["flows"].append(flow)
    assessment = assess(Model.from_document(minimal_doc), config=SimulationConfig(years=500, seed=0)).to_json()
    annex = build_pack(minimal_doc, assessment=assessment).draft("risk-sharing-schedule").markdown.split(
        "Annex (non-contractual)", 1)[1]
    assert "| Bridge Street Dental (dental practice) |" in annex and "| Riverside Surgery (GP practice) |" in annex
    assert "among the primary care contractors (GP practices and dental practices)" in annex


def test_point_7_a_risk_pool_has_calls_a_cap_per_member_governance_and_a_limited_scope(herefordshire_doc):
    schedule = build_pack(herefordshire_doc, assessment=assessment_of(HEREFORD)).draft("risk-sharing-schedule")
    pool = clause_text(schedule, "System partners' PHM risk pool")
    assert "**Contribution calls.**" in pool and "within 30 days of the call" in pool
    assert "[TO BE COMPLETED: the most each member of 'System partners' PHM risk pool' contributes in a year]" in pool
    assert "**Governance.**" in pool and "pool board" in pool
    assert "only those of them to which at least one member is a party" in pool


# --- data sharing agreement ------------------------------------------------------------------------------

def test_point_8_liability_preserves_joint_and_several_liability_with_contribution_and_the_ucta_carve_out(
        minimal_doc):
    clause = clause_text(pack(minimal_doc).draft("data-sharing-agreement"), "Liability")
    assert "jointly and severally liable for the entire damage (UK GDPR Article 82(4))" in clause
    assert "Article 82(5)), subject to the risk-sharing schedule" in clause
    assert "death or personal injury caused by its negligence (Unfair Contract Terms Act 1977, section 2(1))" in clause
    assert "survive termination" in clause


def test_point_9_a_partnership_is_named_by_its_partners_and_a_placeholder_stands_in_when_absent(herefordshire_doc):
    dsa = build_pack(herefordshire_doc, assessment=assessment_of(HEREFORD)).draft("data-sharing-agreement")
    parties = clause_text(dsa, "Parties")
    assert "[TO BE COMPLETED: names of the 5 partners of Riverside Surgery], practising in partnership as " \
           "Riverside Surgery" in parties
    assert "whose address for notices is Kirkham House, John Comyn Drive, Worcester WR3 7NS" in parties
    assert "Belmont Health Ltd, a company registered in England and Wales with company number [TO BE COMPLETED" \
        in parties


def test_point_9_named_partners_appear_as_a_lawyer_names_them(minimal_doc):
    parties = clause_text(pack(minimal_doc).draft("data-sharing-agreement"), "Parties")
    assert "Dr Anna Price, Dr Tom Hughes, Dr Priya Shah, Dr Owen Davies and Dr Ruth Morgan, practising in " \
           "partnership as Riverside Surgery" in parties


@pytest.mark.parametrize("heading", ["Notices", "Counterparts", "Third-party rights", "New parties", "Successors"])
def test_point_9_the_agreement_has_its_boilerplate(minimal_doc, heading):
    text = clause_text(pack(minimal_doc).draft("data-sharing-agreement"), heading)
    words = {"Notices": "address for notices in clause 1", "Counterparts": "counterparts",
             "Third-party rights": "Contracts (Rights of Third Parties) Act 1999",
             "New parties": "deed of accession", "Successors": "successors"}
    assert words[heading] in text


SIGNATORIES = {
    "partnership": ("Signed for and on behalf of", "a partner with authority to bind the partnership", "Partner"),
    "sole_trader": ("Signed by", "the practitioner personally", "Sole practitioner"),
    "limited_company": ("Signed for and on behalf of", "(Companies Act 2006, section 44)", "Director"),
    "community_interest_company": ("Signed for and on behalf of", "(Companies Act 2006, section 44)", "Director"),
    "nhs_body": ("Signed for and on behalf of", "an officer authorised under its scheme of delegation",
                 "Authorised officer"),
    "local_authority": ("Signed for and on behalf of", "an officer authorised under its constitution",
                        "Authorised officer"),
    "charity": ("Signed for and on behalf of", "an authorised signatory on behalf of its trustees",
                "Trustee or authorised signatory"),
    "other": ("Signed for and on behalf of", "an authorised signatory", "Authorised signatory"),
}


def test_point_9_every_signature_block_matches_its_partys_legal_form(herefordshire_doc):
    forms = list(SIGNATORIES)
    for i, party in enumerate(herefordshire_doc["parties"]):
        form = forms[i % len(forms)]
        party["legal_form"] = form
        if form in ("partnership", "sole_trader"):
            party["partners"] = 1 if form == "sole_trader" else 3
        else:
            party.pop("partners", None)
    built = build_pack(herefordshire_doc, assessment=assessment_of(HEREFORD))
    for draft in (d for d in built.drafts if d.doc_type in ("data-sharing-agreement", "joint-controller-arrangement",
                                                             "processing-contract")):
        blocks = re.split(r"^### [\d.]+ Signed for ", draft.markdown, flags=re.M)[1:]
        assert blocks, draft.name
        for block in blocks:
            name = block.splitlines()[0]
            party = next(p for p in herefordshire_doc["parties"] if p["name"] == name)
            opener, authority, position = SIGNATORIES[party["legal_form"]]
            assert authority in block and f"| {position} |" in block, (draft.name, name)
            assert block.split("\n\n")[1].startswith(opener), (draft.name, name)


def test_point_10_parties_below_standards_met_get_an_exceptions_schedule_not_an_obligation_they_breach(
        herefordshire_doc):
    dsa = build_pack(herefordshire_doc, assessment=assessment_of(HEREFORD)).draft("data-sharing-agreement")
    schedule = dsa.markdown.split("Schedule 4: DSPT exceptions", 1)[1]
    for name, status in (("Kington Medical Practice", "Approaching Standards"), ("Fownhope Surgery", "not published"),
                         ("Much Birch Surgery", "Standards Not Met"), ("Hay Road Surgery", "Approaching Standards")):
        assert f"| {name} | {status} | [TO BE COMPLETED: date by which {name}'s DSPT improvement plan reaches " \
               "Standards Met] |" in schedule
    assert "Riverside Surgery" not in schedule
    assert "is not in breach of this obligation while it carries out the improvement plan" in \
        clause_text(dsa, "Security and transfer")


def test_point_10_a_processor_below_standards_met_is_held_to_its_plan_not_to_an_obligation_it_breaches(minimal_doc):
    minimal_doc["parties"][1]["dspt_status"] = "approaching_standards"  # the CSU
    built = pack(minimal_doc)
    security = clause_text(built.draft("processing-contract-m81001-csu"), "Security (Article 28(3)(c))")
    assert 'reaches "Standards Met" in the DSPT (currently: Approaching Standards) by the date in Schedule 4' in security
    assert "maintains at least" not in security
    assert "| Midlands and Lancashire Commissioning Support Unit | Approaching Standards |" in \
        built.draft("data-sharing-agreement").markdown


def test_point_11_breach_notification_in_article_33s_words_with_the_dspt_tool_and_the_breach_log(minimal_doc):
    clause = clause_text(pack(minimal_doc).draft("data-sharing-agreement"), "Personal data breaches")
    assert "without undue delay and, where feasible, not later than 72 hours after having become aware of it" in clause
    assert "accompanied by reasons for the delay (UK GDPR Article 33(1))" in clause
    assert "DSPT incident reporting tool" in clause and "(UK GDPR Article 33(5))" in clause


def test_point_12_the_s251_cag_reference_and_expiry_appear_in_the_schedule(minimal_doc):
    schedule = pack(minimal_doc).draft("data-sharing-agreement").markdown.split("Schedule 2:", 1)[1]
    assert "s.251 support (CAG reference, expiry)" in schedule
    assert "| 22/CAG/0001, expires 31 March 2028 |" in schedule
    assert "| not relied on |" in schedule  # the direct-care referral flow


# --- JCA, processing contracts, data-subject summary -----------------------------------------------------

def test_point_13_the_joint_controller_arrangement_respects_the_models_allocation(herefordshire_doc):
    built = build_pack(herefordshire_doc, assessment=assessment_of(HEREFORD))
    jca = built.draft("joint-controller-arrangement-1")
    allocation = clause_text(jca, "Allocation of responsibilities")
    assert "trust: security of the linked environment and breach handling" in allocation
    # the allocation names privacy information, rights, security and breaches: no default contradicts it
    assert "provides the privacy information" not in allocation
    assert "notifies the Information Commissioner where required" not in allocation
    assert "the Parties carry out and review the DPIA together" in allocation  # a topic it does not mention
    assert "law of England and Wales" in clause_text(jca, "Governing law")
    assert "Signed for NHS Herefordshire and Worcestershire Integrated Care Board" in jca.markdown
    summary = built.draft("data-subject-summary").markdown
    assert "This is the essence of their arrangement: ICB: privacy information" in summary


def test_point_14_processing_contracts_have_live_cross_references_and_describe_each_flow(minimal_doc):
    contract = pack(minimal_doc).draft("processing-contract-m81001-csu")
    assert not re.search(r"clause \([a-h]\)", contract.markdown)
    audit = re.search(r"^## (\d+)\. Information and audit", contract.markdown, re.M).group(1)
    assert f"may audit the Processor under clause {audit}." in contract.markdown
    nature = clause_text(contract, "Nature and purpose")
    assert "For 'Weekly PHM extract — Riverside Surgery', the Processor receives pseudonymised demographics" in nature
    assert "links and analyses the data" not in nature
    assert "encrypted in transit" in clause_text(contract, "Security annex")
    assert "does not re-identify" in clause_text(contract, "No re-identification")
    assert "from 1 October 2026 until 30 September 2029" in clause_text(contract, "Subject matter")
    assert "indemnifies the Controller" not in clause_text(contract, "Liability")


def test_point_14_a_processor_indemnity_is_drafted_only_when_the_model_has_one(minimal_doc):
    minimal_doc["clauses"].append({"id": "csu-indemnity", "type": "indemnity", "name": "CSU indemnity",
                                   "indemnifier": "csu", "beneficiaries": ["m81001"], "share": 1.0,
                                   "approval": {"body": "CSU board"}})
    contract = pack(minimal_doc).draft("processing-contract-m81001-csu")
    assert "The Processor indemnifies the Controller as set out in 'CSU indemnity'" in \
        clause_text(contract, "Liability")


def test_point_15_the_data_subject_summary_names_every_dpo_recipient_source_and_retention(herefordshire_doc):
    built = build_pack(herefordshire_doc, assessment=assessment_of(HEREFORD), name="Herefordshire PHM", number=2)
    summary = built.draft("data-subject-summary").markdown
    for party in herefordshire_doc["parties"]:
        assert f"{party['name']} (" in summary and party["contacts"]["dpo"] in summary
    assert "Midlands and Lancashire Commissioning Support Unit, which receives population health management data" \
        in summary and "as a processor acting on their instructions" in summary
    assert "Optum Health Solutions (UK) Ltd (for Midlands and Lancashire Commissioning Support Unit)" in summary
    assert "which comes from Riverside Surgery" in summary
    assert "**Risk scores (profiling).**" in summary
    for flow in herefordshire_doc["flows"]:
        assert f"- {flow['name']}: kept for up to {flow['retention_months']} months" in summary
    assert f"v2 of 'Herefordshire PHM' ({built.version})" in summary


# --- the pack as a whole ---------------------------------------------------------------------------------

def test_point_16_no_missing_fact_is_a_silent_dash(herefordshire_doc, minimal_doc):
    del minimal_doc["flows"][0]["dpia"], minimal_doc["parties"][0]["ods_code"]
    for built in (build_pack(herefordshire_doc, assessment=assessment_of(HEREFORD)), pack(minimal_doc)):
        for draft in built.drafts:
            cells = [c.strip() for ln in draft.markdown.splitlines() if ln.startswith("|") for c in ln.split("|")]
            assert "—" not in cells and "-" not in cells, draft.name
    dsa = pack(minimal_doc).draft("data-sharing-agreement").markdown
    assert "[TO BE COMPLETED: DPIA reference for 'Weekly PHM extract — Riverside Surgery', or why none is needed]" \
        in dsa
    assert "[TO BE COMPLETED: ODS code of NHS Herefordshire and Worcestershire Integrated Care Board]" in dsa


ALTERNATIVE_WORDS = {
    "capped": "[TO BE COMPLETED: cap per incident of",
    "uncapped": "Managing Public Money",
    "fault_based": "to the extent that the loss was caused or contributed to by the Indemnifier's breach",
    "no_fault": "whether or not the Indemnifier was at fault",
    "defence_costs_only": "losses that the Beneficiary bears, after the legal allocation between the Parties, because "
                          "of a personal data breach or other infringement of data protection law on the flows for "
                          "population health management and risk stratification for case finding: reasonable "
                          "defence and incident-response costs",
}


@pytest.mark.parametrize("choice", sorted(ALTERNATIVE_WORDS))
def test_point_17_each_clause_alternative_selected_in_the_model_is_drafted(minimal_doc, choice):
    minimal_doc["clauses"][0]["drafting"] = {"alternative": choice}
    built = pack(minimal_doc)
    clause = clause_text(built.draft("risk-sharing-schedule"), "ICB accepts PHM data risk")
    assert ALTERNATIVE_WORDS[choice] in clause
    notes = built.notes_markdown()
    section = notes.split("## Clause alternatives and each side's usual position", 1)[1]
    for label in ("Capped", "Uncapped", "Fault-based", "No-fault", "Defence costs only"):
        assert f"- **{label}**" in section
    assert section.count("(drafted)") == 1 and "*Giver:*" in section and "*Beneficiary:*" in section


def _document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_point_18_word_has_page_numbers_landscape_schedules_and_real_cross_references(herefordshire_pack):
    data = herefordshire_pack.docx("data-sharing-agreement")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        footers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    assert 'w:instr=" PAGE "' in footers and 'w:instr=" NUMPAGES "' in footers
    xml = _document_xml(data)
    sections = re.findall(r"<w:pgSz [^>]*/>", xml)
    assert any('w:orient="landscape"' in s for s in sections) and any("landscape" not in s for s in sections)
    bookmarks = set(re.findall(r'w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml))
    refs = re.findall(r'w:instr=" REF (\S+) \\r \\h "', xml)
    assert refs and set(refs) <= bookmarks
    # a wide table in a landscape section is laid out on the landscape width
    assert '<w:gridCol w:w="1550"/>' in xml  # 9 columns over 13,958 twips


def test_point_18_every_cross_reference_shows_the_live_clause_number(herefordshire_pack):
    for draft in herefordshire_pack.drafts:
        numbers = {m.group(2): m.group(1) for m in re.finditer(r"^#{2,3} (\d+(?:\.\d+)?)\.? .*⟦a:([a-z0-9_-]+)⟧$",
                                                                draft.source, re.M)}
        for target, label in re.findall(r"⟦r:([a-z0-9_-]+):([^⟧]*)⟧", draft.source):
            assert numbers[target] == label, (draft.name, target)
        assert "⟦" not in draft.markdown


def test_point_20_documents_and_notes_name_the_version_the_same_way(minimal_doc):
    built = pack(minimal_doc, name="Riverside PHM pilot", number=2)
    label = f"v2 of 'Riverside PHM pilot' ({built.version})"
    assert built.label == label
    for draft in built.drafts:
        assert draft.header.endswith(label) and label in draft.markdown, draft.name
    assert label in built.notes_markdown()


def test_the_public_markdown_has_none_of_the_word_writers_tokens(herefordshire_pack):
    for draft in herefordshire_pack.drafts:
        assert public_markdown(draft.source) == draft.markdown
        assert "⟦" not in draft.markdown and "⟧" not in draft.markdown
        assert set(sections(draft.source)) == set()  # clause markers are gone from the output
