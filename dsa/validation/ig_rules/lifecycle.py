"""The agreement over time: review, exit, purposes added, transparency (IG024, IG029, IG030)."""

from __future__ import annotations

from typing import Iterator

from ...findings import Finding, Severity
from ..access import get_bool, get_list, get_obj, get_str, present
from ..registry import RuleContext, finding, rule
from .common import add_months, is_personal, label, parse_date, party_name


@rule("IG024", Severity.WARNING, "model", "The review date is within 12 months and not past; termination and "
      "data-return terms are present.", "ICO Data Sharing Code of Practice (review; termination)")
def review_and_exit_are_planned(doc: dict, ctx: RuleContext) -> Iterator[Finding]:
    partnership = get_obj(doc, "partnership")
    if partnership is None:
        return
    today = ctx.settings.today
    review = parse_date(get_str(partnership, "review_date"))
    latest = add_months(today, ctx.settings.review_window_months)
    if review is None:
        yield finding("IG024", ("partnership", "review_date"), "The partnership has no review date.",
                      f"Set review_date within {ctx.settings.review_window_months} months.")
    elif review < today:
        yield finding("IG024", ("partnership", "review_date"),
                      f"The partnership's review date ({review.isoformat()}) has passed.",
                      "Review the agreement and set the next review date.")
    elif review > latest:
        yield finding("IG024", ("partnership", "review_date"),
                      f"The partnership's review date ({review.isoformat()}) is more than "
                      f"{ctx.settings.review_window_months} months away.",
                      f"Set review_date on or before {latest.isoformat()}.")
    if not present(partnership.get("exit_terms")):
        yield finding("IG024", ("partnership", "exit_terms"),
                      "The partnership records no termination terms: what happens to shared data when a party "
                      "leaves or the agreement ends.",
                      "Set exit_terms (return or deletion of data, timescales, certificates of deletion).")


@rule("IG029", Severity.WARNING, "flow", "A new purpose on an existing flow has a compatibility assessment or a "
      "new basis.", "UK GDPR Arts 5(1)(b), 6(4)")
def new_purpose_is_assessed(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    # Needs the previous saved version; without one (outside the store) the rule is skipped.
    if ctx.previous is None:
        return
    before = next((f for f in get_list(ctx.previous, "flows") or ()
                   if isinstance(f, dict) and f.get("id") == flow.get("id")), None)
    if before is None or before.get("purpose") == flow.get("purpose"):
        return
    basis_changed = before.get("legal_basis") != flow.get("legal_basis")
    if not basis_changed and not present(flow.get("compatibility_assessment")):
        yield finding("IG029", ("compatibility_assessment",),
                      f"{label(flow)} changed purpose from '{before.get('purpose')}' to '{flow.get('purpose')}' "
                      "without a compatibility assessment or a new legal basis.",
                      "Record a compatibility assessment (Art 6(4)) or the new legal basis.")


@rule("IG030", Severity.WARNING, "flow", "Each controller's privacy notice covers the flow.",
      "UK GDPR Arts 13–14; Caldicott principle 8")
def privacy_notices_cover_flow(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    if not is_personal(flow):
        return
    controllers = [flow.get("from")]
    if get_str(flow, "relationship") != "controller_to_processor":
        controllers.append(flow.get("to"))
    controllers += [m.get("party") for m in get_list(flow, "joint_controllers") or () if isinstance(m, dict)]
    for pid in dict.fromkeys(c for c in controllers if isinstance(c, str)):
        party = ctx.parties.get(pid)
        if party is not None and not present(party.get("privacy_notice_url")):
            yield finding("IG030", ("from" if pid == flow.get("from") else "to",),
                          f"{label(flow)}: {party_name(ctx, pid)} is a controller of this flow but records no "
                          "published privacy notice.",
                          f"Record {party_name(ctx, pid)}'s privacy_notice_url, and make sure it describes this flow.")
    if get_bool(flow, "privacy_notice_updated") is not True:
        yield finding("IG030", ("privacy_notice_updated",),
                      f"{label(flow)} is not recorded as covered by the controllers' privacy notices.",
                      "Update the privacy notices to describe the flow, then set privacy_notice_updated to true.")
