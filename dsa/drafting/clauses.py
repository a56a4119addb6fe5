"""The clauses each document must contain (domain brief, section 8), and the coverage check.

Templates mark each clause with ``<!-- clause: id -->`` before its heading; after
rendering, every required clause must be present and have text under its heading.
"""

from __future__ import annotations

import re

from ..errors import DraftingError

_MARK = re.compile(r"<!-- clause: ([a-z0-9_]+) -->")

DSA = "data-sharing-agreement"
JCA = "joint-controller-arrangement"
PC = "processing-contract"
RSS = "risk-sharing-schedule"
DSS = "data-subject-summary"

REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    DSA: (
        ("parties", "ICO Data Sharing Code: parties"), ("definitions", "ICO code"),
        ("background", "ICO code: purpose and benefits"), ("scope", "ICO code: data flows"),
        ("roles", "UK GDPR Arts 4(7), 26, 28"), ("lawful_basis", "UK GDPR Arts 6, 9, 10; DPA 2018 Sch 1; CLDC"),
        ("opt_outs", "National data opt-out policy; Type 1 opt-out"), ("data_items", "Art 5(1)(c); Caldicott 3"),
        ("data_quality", "Art 5(1)(d)"), ("transparency", "Arts 13–14; Caldicott 8"),
        ("rights", "Arts 12–22"), ("security", "Art 32; DSPT"), ("access_control", "Caldicott 4"),
        ("retention", "Art 5(1)(e); Records Management Code"), ("onward_disclosure", "ICO code"),
        ("breaches", "Arts 33–34"), ("international", "Arts 44–49"), ("foi", "FOIA 2000"),
        ("training", "Caldicott 5"), ("assurance", "ICO code"), ("review", "ICO code"),
        ("termination", "ICO code"), ("liability", "Art 82(4), (5); UCTA 1977 s.2(1)"), ("disputes", "ICO code"),
        ("notices", "Contract boilerplate"), ("counterparts", "Contract boilerplate"),
        ("third_party_rights", "Contracts (Rights of Third Parties) Act 1999"), ("accession", "Deed of accession"),
        ("successors", "Successors on merger"),
        ("governing_law", "England and Wales"), ("signoff", "SIRO, Caldicott Guardian, DPO advice; execution"),
        ("schedules", "ICO code: schedules"),
    ),
    JCA: (
        ("parties", "Art 26(1)"), ("joint_processing", "Art 26(1)"), ("joint_determination", "Art 26(1)"),
        ("responsibilities", "Art 26(1)"), ("contact_point", "Art 26(1)"), ("essence", "Art 26(2)"),
        ("rights_against_each", "Art 26(3)"), ("ico_cooperation", "Art 31"),
        ("liability_contribution", "Art 82(4)–(5)"), ("changes", "Art 26"), ("term", "Art 26"),
        ("governing_law", "England and Wales"), ("signoff", "Execution"),
    ),
    PC: (
        ("subject_matter", "Art 28(3)"), ("nature_purpose", "Art 28(3)"), ("data_types", "Art 28(3)"),
        ("data_subjects", "Art 28(3)"), ("controller_obligations", "Art 28(3)"),
        ("term_a_instructions", "Art 28(3)(a)"), ("term_b_confidentiality", "Art 28(3)(b)"),
        ("term_c_security", "Art 28(3)(c), Art 32"), ("term_d_sub_processors", "Art 28(2), (3)(d), (4)"),
        ("term_e_rights", "Art 28(3)(e)"), ("term_f_assistance", "Art 28(3)(f)"),
        ("term_g_return_deletion", "Art 28(3)(g)"), ("term_h_audit", "Art 28(3)(h)"),
        ("breach_timeline", "Art 33(2)"), ("records", "Art 30(2)"), ("international", "Arts 44–49"),
        ("security_annex", "Art 28(3)(c), Art 32"), ("no_reidentification", "ICO anonymisation guidance"),
        ("liability", "Art 82(2)"), ("term_termination", "Art 28(3)"), ("governing_law", "England and Wales"),
        ("signoff", "Execution"),
    ),
    RSS: (
        ("status", "Modelling aid; legal review"), ("definitions", "Domain brief 8"), ("clauses", "Domain brief 4.5"),
        ("covered_losses", "Domain brief 8"), ("exclusions", "Patel v Mirza; Safeway v Twigger"),
        ("conditions", "Contract certainty"), ("share_caps", "Domain brief 8"), ("apportionment", "Art 82(5)"),
        ("claims", "Domain brief 8"), ("recovery", "Art 82(2), (5)"), ("insurance", "LTPS, CNSGP"),
        ("approvals", "Managing Public Money"), ("run_off", "Partnership Act 1890 s.17"), ("review", "ICO code"),
        ("exposure", "Modelled before/after exposure"),
    ),
    DSS: (
        ("who", "Arts 13–14"), ("what_why", "Arts 13–14"), ("who_sees", "Arts 13–14"), ("how_long", "Art 13(2)(a)"),
        ("rights", "Arts 15–22, 26(3)"), ("choices", "NDOO; Type 1; Art 21"), ("complaints", "Art 77"),
        ("version", "Transparency"),
    ),
}


def sections(markdown: str) -> dict[str, str]:
    """The text of each marked clause (up to the next marker), by clause id."""
    parts = _MARK.split(markdown)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def check_coverage(doc_type: str, markdown: str, filename: str) -> None:
    """Raise DraftingError when a required clause of ``doc_type`` is missing or empty."""
    found = sections(markdown)
    for clause_id, source in REQUIRED[doc_type]:
        body = found.get(clause_id)
        if body is None:
            raise DraftingError(f"{filename}: required clause '{clause_id}' ({source}) is missing from the template")
        text = [ln for ln in body.strip().splitlines()[1:] if ln.strip()]  # below its heading
        if not text:
            raise DraftingError(f"{filename}: required clause '{clause_id}' ({source}) is empty")


def strip_markers(markdown: str) -> str:
    return _MARK.sub("", markdown).replace("\n\n\n", "\n\n")
