"""Common-law duty of confidentiality, the national data opt-out and Type 1 opt-outs (IG009–IG014).

The national data opt-out binds every health and adult social care organisation in England (providers
and commissioners, GP, dental, optometry and pharmacy contractors, federations and neighbourhood
providers, councils for adult social care), so IG011 and IG012 look at the flow's purpose and data, never
at the type of party. Type 1 opt-outs are recorded in the GP record and stop GP data leaving the practice:
IG013 applies to GP practices only, never to a dental, optometry or pharmacy contractor.
"""

from __future__ import annotations

from typing import Iterator

from ...findings import Severity
from ...labels import label as plain
from ..access import present
from ..columns import Flows, as_obj, as_str
from ..registry import Row, RuleContext, rule
from ..words import values
from .common import parse_date

NON_CARE_BASES = {"explicit_consent", "s251", "legal_requirement", "overriding_public_interest", "not_confidential"}
# The bases a fix offers beyond direct care, in the order a person weighs them.
OTHER_BASES = ("explicit_consent", "s251", "legal_requirement", "overriding_public_interest")
# Where a Type 1 opt-out is recorded (NHS England): the GP record.
TYPE1_SOURCE_TYPES = {"gp_practice"}


@rule("IG009", Severity.ERROR, "flow", "Identifiable or pseudonymised patient data names a common-law basis.",
      "Common law duty of confidentiality")
def common_law_basis_is_named(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    fix = f"Set the common-law basis: {plain('common_law', 'implied_consent')} for direct care; otherwise " \
        f"{values('common_law', OTHER_BASES)}."
    for j in [j for j, (personal, basis) in enumerate(zip(flows.personal, flows.common_law))
              if personal and basis is None]:
        yield j, ("legal_basis", "common_law"), \
            f"{flows.label[j]} shares confidential patient information but names no basis under the common " \
            "law duty of confidentiality, which applies separately from UK GDPR.", fix


@rule("IG010", Severity.ERROR, "flow", "Implied consent only for direct care.",
      "Common law duty of confidentiality; Caldicott principles 1–2")
def implied_consent_only_for_direct_care(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    for j in [j for j, (basis, personal, care) in enumerate(zip(flows.common_law, flows.personal, flows.care))
              if basis == "implied_consent" and personal and not care]:
        yield j, ("legal_basis", "common_law"), \
            f"{flows.label[j]} relies on implied consent for '{plain('purpose', flows.purpose[j])}', but implied " \
            "consent covers only individual (direct) care.", \
            "Use explicit consent, s251 support, a legal requirement, overriding public interest, or " \
            "anonymise the data."


@rule("IG011", Severity.ERROR, "flow", "Non-care use of confidential patient information states its national "
      "data opt-out position; 'not applied' gives the exemption.", "National data opt-out policy")
def national_data_opt_out_is_stated(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    ndoos = flows.strs("national_data_opt_out")
    unstated = f"Set the national data opt-out: '{plain('national_data_opt_out', 'applied')}', or " \
        f"'{plain('national_data_opt_out', 'not_applied')}' with the exemption."
    not_applicable = f"Set the national data opt-out to '{plain('national_data_opt_out', 'applied')}', or " \
        f"'{plain('national_data_opt_out', 'not_applied')}' with the exemption."
    for j in [j for j, (personal, care, ndoo) in enumerate(zip(flows.personal, flows.care, ndoos))
              if personal and not care and ndoo != "applied"]:
        ndoo = ndoos[j]
        label = flows.label[j]
        if ndoo is None:
            yield j, ("national_data_opt_out",), \
                f"{label} uses confidential patient information beyond individual care but does not " \
                "say whether the national data opt-out is applied.", unstated
        elif ndoo == "not_applied" and not present(flows.items[j].get("national_data_opt_out_exemption")):
            yield j, ("national_data_opt_out_exemption",), \
                f"{label} does not apply the national data opt-out but gives no exemption.", \
                "Record why as the national data opt-out exemption (e.g. legal requirement, consent, " \
                "a listed exemption)."
        elif ndoo == "not_applicable":
            yield j, ("national_data_opt_out",), \
                f"{label} marks the national data opt-out 'not applicable', but it applies to " \
                "confidential patient information used beyond individual care.", not_applicable


@rule("IG012", Severity.WARNING, "flow", "The national data opt-out is not applied to direct care.",
      "National data opt-out policy")
def national_data_opt_out_not_applied_to_direct_care(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    fix = f"Set the national data opt-out to '{plain('national_data_opt_out', 'not_applicable')}'."
    for j in [j for j, (purpose, ndoo) in enumerate(zip(flows.purpose, flows.strs("national_data_opt_out")))
              if purpose == "direct_care" and ndoo == "applied"]:
        yield j, ("national_data_opt_out",), \
            f"{flows.label[j]} is for direct care but applies the national data opt-out, which does not " \
            "apply to individual care; applying it may withhold information from clinicians.", fix


@rule("IG013", Severity.WARNING, "flow", "Identifiable or pseudonymised GP data leaving the practice for non-care "
      "purposes states Type 1 opt-out handling.", "Type 1 opt-out policy (NHS England)")
def type1_opt_out_is_stated(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    # Pseudonymised extracts count: Type 1 objections cover GP data leaving the practice for secondary use.
    # Only a GP practice holds Type 1 objections: a dental, optometry or pharmacy flow never needs them.
    parties = ctx.parties
    type1 = flows.strs("type1_opt_out")
    fix = f"Set the Type 1 opt-out handling (usually '{plain('type1_opt_out', 'applied')}')."
    for j in [j for j, (personal, care, handling) in enumerate(zip(flows.personal, flows.care, type1))
              if personal and not care and handling is None]:
        source = parties.get(flows.source_id[j])
        if source is not None and source.get("type") in TYPE1_SOURCE_TYPES:
            yield j, ("type1_opt_out",), \
                f"{flows.label[j]} takes GP data out of the practice for " \
                f"'{plain('purpose', flows.purpose[j])}' but does " \
                "not say how Type 1 opt-outs are handled.", fix


@rule("IG014", Severity.ERROR, "flow", "An s251 basis carries a CAG reference and an expiry on or after the "
      "review date.", "NHS Act 2006 s.251; COPI Regulations 2002 reg 5")
def s251_support_is_current(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    partnership = as_obj(ctx.doc.get("partnership"))
    review = parse_date(as_str(partnership.get("review_date")) if partnership else None)
    needed = review or ctx.settings.today
    supports = flows.objs("s251")
    expiry_of: dict = {}  # expiry dates read once each
    for j in [j for j, basis in enumerate(flows.common_law) if basis == "s251"]:
        label = flows.label[j]
        support = supports[j]
        if not present(as_str(support.get("cag_reference")) if support else None):
            yield j, ("s251", "cag_reference"), \
                f"{label} relies on s251 support but records no Confidentiality Advisory Group reference.", \
                "Record the CAG reference of the s251 support."
        text = as_str(support.get("expires")) if support else None
        expires = expiry_of[text] if text in expiry_of else expiry_of.setdefault(text, parse_date(text))
        if expires is None:
            yield j, ("s251", "expires"), f"{label} relies on s251 support but records no expiry date.", \
                "Record the date the s251 support expires."
        elif expires < needed:
            what = "the partnership's review date" if review else "today"
            yield j, ("s251", "expires"), \
                f"{label}'s s251 support expires on {expires.isoformat()}, before {what} " \
                f"({needed.isoformat()}).", \
                "Renew the s251 support with CAG, or bring the review date forward."
