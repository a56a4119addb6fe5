"""Risk-sharing clauses: what an indemnity can and cannot do (IG025–IG028)."""

from __future__ import annotations

from typing import Iterator

from ...findings import Finding, Severity
from ..access import get_list, get_num, get_obj, get_str, present
from ..registry import RuleContext, finding, rule
from .common import label

PUBLIC_INDEMNIFIER_FORMS = {"nhs_body", "local_authority"}
APPROVAL_PARTS = {"body": "the approving body", "reference": "the decision reference", "date": "the date"}
LIMITS = {"cap_per_incident_gbp": "a cap per incident", "cap_annual_gbp": "an annual cap", "excess_gbp": "an excess"}


@rule("IG025", Severity.WARNING, "clause", "A clause covering fines is flagged as likely unenforceable and "
      "uninsurable.", "Illegality doctrine: Patel v Mirza [2016] UKSC 42; Safeway v Twigger [2010] EWCA Civ 1472")
def fines_cover_is_flagged(clause: dict, ctx: RuleContext) -> Iterator[Finding]:
    covers = get_list(clause, "covers") or []
    if "fines" in covers:
        yield finding("IG025", ("covers", covers.index("fines")),
                      f"{label(clause, 'Clause')} covers regulatory fines; an indemnity against a fine for one's "
                      "own breach is probably unenforceable and fines are generally uninsurable.",
                      "Remove Fines from what the clause covers, or keep it only after legal review (the draft flags it).")


@rule("IG026", Severity.WARNING, "clause", "An NHS-body or council indemnifier cites its board / Managing Public "
      "Money approval.", "HM Treasury, Managing Public Money (contingent liabilities)")
def public_indemnifier_has_approval(clause: dict, ctx: RuleContext) -> Iterator[Finding]:
    if clause.get("type") != "indemnity":
        return
    indemnifier = ctx.parties.get(clause.get("indemnifier")) if isinstance(clause.get("indemnifier"), str) else None
    if indemnifier is None or indemnifier.get("legal_form") not in PUBLIC_INDEMNIFIER_FORMS:
        return
    approval = get_obj(clause, "approval")
    missing = [k for k in ("body", "reference", "date") if not present((approval or {}).get(k))]
    if missing:
        yield finding("IG026", ("approval",) if approval is None else ("approval", missing[0]),
                      f"{label(clause, 'Clause')}: {get_str(indemnifier, 'name')} gives an indemnity, a contingent "
                      "liability that needs its board's (and possibly Managing Public Money) approval; the approval "
                      f"record lacks {', '.join(APPROVAL_PARTS[k] for k in missing)}.",
                      "Record the approval: the approving body, the minute or decision reference and the date.")


@rule("IG027", Severity.INFO, "clause", "Indemnity conditions are objectively testable, not 'best practice' alone.",
      "Contract certainty")
def condition_is_objectively_testable(clause: dict, ctx: RuleContext) -> Iterator[Finding]:
    condition = get_obj(clause, "condition")
    if clause.get("type") == "indemnity" and condition is not None and not get_list(condition, "tests"):
        yield finding("IG027", ("condition", "tests"),
                      f"{label(clause, 'Clause')} is conditional ('{get_str(condition, 'description') or 'no description'}') "
                      "but names no objective test, so whether it applies will be argued after an incident.",
                      "List the condition's objective tests, e.g. 'DSPT Standards Met at the incident date', "
                      "'breach notified within 24 hours', 'SOP version in force followed'.")


@rule("IG028", Severity.INFO, "clause", "Caps and excesses work between parties only; claimant-facing liability "
      "stays joint and several.", "UK GDPR Art 82(4)–(5)")
def caps_do_not_limit_claimants(clause: dict, ctx: RuleContext) -> Iterator[Finding]:
    limits = [k for k in ("cap_per_incident_gbp", "cap_annual_gbp", "excess_gbp") if get_num(clause, k)]
    if clause.get("type") == "indemnity" and limits:
        yield finding("IG028", (limits[0],),
                      f"{label(clause, 'Clause')} limits what the indemnifier pays ({', '.join(LIMITS[k] for k in limits)}); a data "
                      "subject can still claim the whole loss from any responsible party (Art 82(4)).",
                      "Make sure the agreement and the briefing say the caps apply between the parties only.")
