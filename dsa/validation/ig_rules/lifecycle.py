"""The agreement over time: review, exit, purposes added, transparency (IG024, IG029, IG030)."""

from __future__ import annotations

from typing import Iterator

from ...findings import Finding, Severity
from ...labels import label as plain
from ..access import get_list, get_obj, get_str, present
from ..columns import Flows
from ..registry import Row, RuleContext, finding, rule
from .common import add_months, parse_date, party_name


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
                      f"Set the review date within {ctx.settings.review_window_months} months.")
    elif review < today:
        yield finding("IG024", ("partnership", "review_date"),
                      f"The partnership's review date ({review.isoformat()}) has passed.",
                      "Review the agreement and set the next review date.")
    elif review > latest:
        yield finding("IG024", ("partnership", "review_date"),
                      f"The partnership's review date ({review.isoformat()}) is more than "
                      f"{ctx.settings.review_window_months} months away.",
                      f"Set the review date on or before {latest.isoformat()}.")
    if not present(partnership.get("exit_terms")):
        yield finding("IG024", ("partnership", "exit_terms"),
                      "The partnership records no termination terms: what happens to shared data when a party "
                      "leaves or the agreement ends.",
                      "Set the exit terms (return or deletion of data, timescales, certificates of deletion).")


@rule("IG029", Severity.WARNING, "flow", "A new purpose on an existing flow has a compatibility assessment or a "
      "new basis.", "UK GDPR Arts 5(1)(b), 6(4)")
def new_purpose_is_assessed(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    # Needs the previous saved version; without one (outside the store) the rule is skipped.
    if ctx.previous is None:
        return
    before_by_id: dict = {}
    for f in get_list(ctx.previous, "flows") or ():
        if isinstance(f, dict):
            try:
                before_by_id.setdefault(f.get("id"), f)
            except TypeError:  # an id that is not a JSON scalar cannot match a flow
                continue
    for j, flow in enumerate(flows.items):
        try:
            before = before_by_id.get(flow.get("id"))
        except TypeError:
            continue
        if before is None or before.get("purpose") == flow.get("purpose"):
            continue
        basis_changed = before.get("legal_basis") != flow.get("legal_basis")
        if not basis_changed and not present(flow.get("compatibility_assessment")):
            yield j, ("compatibility_assessment",), \
                f"{flows.label[j]} changed purpose from '{plain('purpose', before.get('purpose'))}' to " \
                f"'{plain('purpose', flow.get('purpose'))}' " \
                "without a compatibility assessment or a new legal basis.", \
                "Record a compatibility assessment (Art 6(4)) or the new legal basis."


@rule("IG030", Severity.WARNING, "flow", "Each controller's privacy notice covers the flow.",
      "UK GDPR Arts 13–14; Caldicott principle 8")
def privacy_notices_cover_flow(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    parties = ctx.parties
    without_notice = {pid for pid, p in parties.items() if not present(p.get("privacy_notice_url"))}
    updated = flows.raw("privacy_notice_updated")
    if not without_notice:  # every controller has a notice: only the flows' own records to read
        for j in [j for j, (personal, covered) in enumerate(zip(flows.personal, updated))
                  if personal and covered is not True]:
            yield j, ("privacy_notice_updated",), \
                f"{flows.label[j]} is not recorded as covered by the controllers' privacy notices.", \
                "Update the privacy notices to describe the flow, then record that they cover it."
        return
    for j in [j for j, personal in enumerate(flows.personal) if personal]:
        src, dst = flows.source[j], flows.target[j]
        controllers = [src]
        if flows.relationship[j] != "controller_to_processor":
            controllers.append(dst)
        members = flows.joint_controllers[j]
        if members:
            controllers += [m.get("party") for m in members if isinstance(m, dict)]
        if without_notice:
            for pid in dict.fromkeys(c for c in controllers if isinstance(c, str)):
                if pid in without_notice:
                    name = party_name(ctx, pid)
                    yield j, ("from" if pid == src else "to",), \
                        f"{flows.label[j]}: {name} is a controller of this flow but records no published " \
                        "privacy notice.", \
                        f"Record the address of {name}'s privacy notice, and make sure it describes this flow."
        if updated[j] is not True:
            yield j, ("privacy_notice_updated",), \
                f"{flows.label[j]} is not recorded as covered by the controllers' privacy notices.", \
                "Update the privacy notices to describe the flow, then record that they cover it."
