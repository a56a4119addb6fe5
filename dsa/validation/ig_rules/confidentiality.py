"""Common-law duty of confidentiality, the national data opt-out and Type 1 opt-outs (IG009–IG014)."""

from __future__ import annotations

from typing import Iterator

from ...findings import Finding, Severity
from ..access import get_obj, get_str, present
from ..registry import RuleContext, finding, rule
from .common import is_care, is_personal, label, parse_date

NON_CARE_BASES = {"explicit_consent", "s251", "legal_requirement", "overriding_public_interest", "not_confidential"}


def _common_law(flow: dict) -> str | None:
    return get_str(get_obj(flow, "legal_basis"), "common_law")


@rule("IG009", Severity.ERROR, "flow", "Identifiable or pseudonymised patient data names a common-law basis.",
      "Common law duty of confidentiality")
def common_law_basis_is_named(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    if is_personal(flow) and _common_law(flow) is None:
        yield finding("IG009", ("legal_basis", "common_law"),
                      f"{label(flow)} shares confidential patient information but names no basis under the common "
                      "law duty of confidentiality, which applies separately from UK GDPR.",
                      "Set legal_basis.common_law: implied_consent for direct care; otherwise explicit_consent, "
                      "s251, legal_requirement or overriding_public_interest.")


@rule("IG010", Severity.ERROR, "flow", "Implied consent only for direct care.",
      "Common law duty of confidentiality; Caldicott principles 1–2")
def implied_consent_only_for_direct_care(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    if is_personal(flow) and not is_care(flow) and _common_law(flow) == "implied_consent":
        yield finding("IG010", ("legal_basis", "common_law"),
                      f"{label(flow)} relies on implied consent for '{get_str(flow, 'purpose')}', but implied "
                      "consent covers only individual (direct) care.",
                      "Use explicit consent, s251 support, a legal requirement, overriding public interest, or "
                      "anonymise the data.")


@rule("IG011", Severity.ERROR, "flow", "Non-care use of confidential patient information states its national "
      "data opt-out position; 'not applied' gives the exemption.", "National data opt-out policy")
def national_data_opt_out_is_stated(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    if not is_personal(flow) or is_care(flow):
        return
    ndoo = get_str(flow, "national_data_opt_out")
    if ndoo is None:
        yield finding("IG011", ("national_data_opt_out",),
                      f"{label(flow)} uses confidential patient information beyond individual care but does not "
                      "say whether the national data opt-out is applied.",
                      "Set national_data_opt_out (applied, or not_applied with the exemption).")
    elif ndoo == "not_applied" and not present(flow.get("national_data_opt_out_exemption")):
        yield finding("IG011", ("national_data_opt_out_exemption",),
                      f"{label(flow)} does not apply the national data opt-out but gives no exemption.",
                      "Record why in national_data_opt_out_exemption (e.g. legal requirement, consent, "
                      "a listed exemption).")
    elif ndoo == "not_applicable":
        yield finding("IG011", ("national_data_opt_out",),
                      f"{label(flow)} marks the national data opt-out 'not applicable', but it applies to "
                      "confidential patient information used beyond individual care.",
                      "Set national_data_opt_out to applied, or not_applied with the exemption.")


@rule("IG012", Severity.WARNING, "flow", "The national data opt-out is not applied to direct care.",
      "National data opt-out policy")
def national_data_opt_out_not_applied_to_direct_care(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    if get_str(flow, "purpose") == "direct_care" and get_str(flow, "national_data_opt_out") == "applied":
        yield finding("IG012", ("national_data_opt_out",),
                      f"{label(flow)} is for direct care but applies the national data opt-out, which does not "
                      "apply to individual care; applying it may withhold information from clinicians.",
                      "Set national_data_opt_out to not_applicable.")


@rule("IG013", Severity.WARNING, "flow", "Identifiable or pseudonymised GP data leaving the practice for non-care "
      "purposes states Type 1 opt-out handling.", "Type 1 opt-out policy (NHS England)")
def type1_opt_out_is_stated(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    # Pseudonymised extracts count: Type 1 objections cover GP data leaving the practice for secondary use.
    source = ctx.parties.get(flow.get("from")) if isinstance(flow.get("from"), str) else None
    if (is_personal(flow) and not is_care(flow) and isinstance(source, dict)
            and source.get("type") == "gp_practice" and get_str(flow, "type1_opt_out") is None):
        yield finding("IG013", ("type1_opt_out",),
                      f"{label(flow)} takes GP data out of the practice for '{get_str(flow, 'purpose')}' but does "
                      "not say how Type 1 opt-outs are handled.",
                      "Set type1_opt_out (usually applied).")


@rule("IG014", Severity.ERROR, "flow", "An s251 basis carries a CAG reference and an expiry on or after the "
      "review date.", "NHS Act 2006 s.251; COPI Regulations 2002 reg 5")
def s251_support_is_current(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    if _common_law(flow) != "s251":
        return
    support = get_obj(flow, "s251")
    if not present(get_str(support, "cag_reference")):
        yield finding("IG014", ("s251", "cag_reference"),
                      f"{label(flow)} relies on s251 support but records no Confidentiality Advisory Group "
                      "reference.", "Record the CAG reference in s251.cag_reference.")
    expires = parse_date(get_str(support, "expires"))
    review = parse_date(get_str(get_obj(ctx.doc, "partnership"), "review_date"))
    needed = review or ctx.settings.today
    if expires is None:
        yield finding("IG014", ("s251", "expires"),
                      f"{label(flow)} relies on s251 support but records no expiry date.",
                      "Record the date the support expires in s251.expires.")
    elif expires < needed:
        what = "the partnership's review date" if review else "today"
        yield finding("IG014", ("s251", "expires"),
                      f"{label(flow)}'s s251 support expires on {expires.isoformat()}, before {what} "
                      f"({needed.isoformat()}).",
                      "Renew the s251 support with CAG, or bring the review date forward.")
