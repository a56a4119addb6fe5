"""Lawful basis: UK GDPR Articles 6 and 9, DPA 2018 Schedule 1 (IG002–IG008)."""

from __future__ import annotations

from typing import Iterator

from ...findings import Severity
from ...labels import label as plain
from ..access import present
from ..columns import Flows
from ..registry import Row, RuleContext, rule
from .common import is_public_for_flow, party_name

SCHEDULE_1_NEEDED = {"9(2)(b)", "9(2)(g)", "9(2)(h)", "9(2)(i)", "9(2)(j)"}
# 9(2)(h) covers care and the management of care systems (so PHM, planning and commissioning fit);
# research and unspecified purposes do not.
NON_CARE_FOR_9_2_H = {"research", "other"}


@rule("IG002", Severity.ERROR, "flow", "An Article 6 lawful basis is named for personal data.",
      "UK GDPR Art 6(1)")
def article_6_basis_is_named(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    label = flows.label
    stated = flows.sub(flows.legal_basis, "article_6")
    for j in [j for j, (personal, basis) in enumerate(zip(flows.personal, stated))
              if personal and not (basis.strip() if type(basis) is str else present(basis))]:
        basis = flows.legal_basis[j]
        if basis is None:
            yield j, ("legal_basis",), \
                f"{label[j]} shares personal data but records no legal basis; processing is lawful only " \
                "under an Article 6 basis.", \
                "Record the legal basis, with its Article 6 basis (6(1)(e) public task is usual for NHS bodies and " \
                "practices)."
        elif not present(basis.get("article_6")):
            yield j, ("legal_basis", "article_6"), f"{label[j]} names no Article 6 lawful basis.", \
                "Set the Article 6 basis (6(1)(e) public task is usual for NHS bodies and practices)."


@rule("IG003", Severity.ERROR, "flow", "No legitimate interests (6(1)(f)) for public authorities in their tasks.",
      "UK GDPR Art 6(1) final paragraph")
def no_legitimate_interests_for_public_authorities(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    """Who is a public authority here: DPA 2018 s.7 takes the Freedom of Information Act 2000's list.

    NHS bodies, councils and GP practices always count (as before). Dental, optometry and community
    pharmacy contractors are public authorities under FOIA Sch 1 Part III only in respect of the NHS
    services they provide, and DPA 2018 s.7(3) limits them the same way: they count on a flow for an NHS
    purpose, not on one whose purpose is 'other' (which may be their private work). A GP federation or a
    neighbourhood provider is a company or CIC not listed in FOIA: it counts only where its legal form is
    an NHS body or a local authority, and may otherwise rely on 6(1)(f) for work outside public tasks.
    """
    for j in [j for j, art6 in enumerate(flows.article_6) if art6 == "6(1)(f)"]:
        purpose = flows.purpose[j]
        public = [pid for pid in (flows.source_id[j], flows.target_id[j])
                  if is_public_for_flow(ctx.parties.get(pid), purpose)]
        if public:
            names = " and ".join(party_name(ctx, p) for p in public)
            yield j, ("legal_basis", "article_6"), \
                f"{flows.label[j]} relies on legitimate interests (6(1)(f)), which {names} cannot use as a " \
                "public authority performing its tasks.", \
                "Use 6(1)(e) public task (or 6(1)(c) legal obligation where a statute requires the sharing)."


@rule("IG004", Severity.ERROR, "flow", "Special category data names an Article 9(2) condition.", "UK GDPR Art 9(1)–(2)")
def special_category_names_article_9_condition(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    conditions = flows.sub(flows.legal_basis, "article_9")
    for j in [j for j, (special, personal, condition) in enumerate(zip(flows.data_bool("special_category"),
                                                                         flows.personal, conditions))
              if special is True and personal
              and not (condition.strip() if type(condition) is str else present(condition))]:
        yield j, ("legal_basis", "article_9"), \
            f"{flows.label[j]} carries special category (health) data but names no Article 9 condition; " \
            "UK GDPR Art 9 forbids processing it without one.", \
            "Set the Article 9 condition: usually 9(2)(h) for health and care, 9(2)(i) for public health, " \
            "or 9(2)(j) for research with Art 89 safeguards."


@rule("IG005", Severity.WARNING, "flow", "Art 9(2)(b), (g), (h), (i) or (j) also names its Schedule 1 paragraph.",
      "DPA 2018 s.10 and Schedule 1")
def schedule_1_condition_is_named(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    conditions = flows.sub(flows.legal_basis, "schedule_1_condition")
    for j in [j for j, (art9, condition) in enumerate(zip(flows.article_9, conditions))
              if art9 in SCHEDULE_1_NEEDED
              and not (condition.strip() if type(condition) is str else present(condition))]:
        art9 = flows.article_9[j]
        yield j, ("legal_basis", "schedule_1_condition"), \
            f"{flows.label[j]} relies on Art {art9}, which in the UK also needs a DPA 2018 Schedule 1 " \
            "condition; none is named.", \
            "Set the Schedule 1 condition, e.g. 'Schedule 1 Part 1 paragraph 2' for 9(2)(h), " \
            "paragraph 3 for 9(2)(i), paragraph 4 for 9(2)(j)."


@rule("IG006", Severity.WARNING, "flow", "9(2)(b) or a Schedule 1 Part 2 condition cites an appropriate policy "
      "document.", "DPA 2018 Schedule 1 Part 4")
def appropriate_policy_document_is_cited(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    apd = flows.raw("appropriate_policy_document")
    conditions = flows.basis_str("schedule_1_condition")
    part_2 = {sch1: "part 2" in (sch1 or "").lower() for sch1 in set(conditions)}  # once per wording
    for j in [j for j, (art9, sch1, document) in enumerate(zip(flows.article_9, conditions, apd))
              if document is not True and (art9 in ("9(2)(b)", "9(2)(g)") or part_2[sch1])]:
        art9 = flows.article_9[j]
        yield j, ("appropriate_policy_document",), \
            f"{flows.label[j]} relies on Art {art9 or 'a Schedule 1 Part 2 condition'}, which needs an " \
            "appropriate policy document; none is recorded.", \
            "Put an appropriate policy document in place and record that it is in place."


@rule("IG007", Severity.ERROR, "flow", "9(2)(j) only for research or statistics, with Article 89 safeguards.",
      "UK GDPR Art 9(2)(j), Art 89(1); DPA 2018 s.19")
def research_condition_has_safeguards(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    for j in [j for j, art9 in enumerate(flows.article_9) if art9 == "9(2)(j)"]:
        purpose = flows.purpose[j]
        if purpose not in ("research", "planning", "public_health"):
            yield j, ("legal_basis", "article_9"), \
                f"{flows.label[j]} uses Art 9(2)(j) (research and statistics) for the purpose " \
                f"'{plain('purpose', purpose)}'.", \
                "Use 9(2)(j) only for research or statistical purposes; choose the condition that fits " \
                "the purpose (e.g. 9(2)(h) for care and its management)."
        if not present(flows.items[j].get("art89_safeguards")):
            yield j, ("art89_safeguards",), \
                f"{flows.label[j]} uses Art 9(2)(j) but records no Article 89(1) safeguards.", \
                "Record the Article 89 safeguards (e.g. pseudonymisation, data minimisation, " \
                "no decisions about individuals)."


@rule("IG008", Severity.WARNING, "flow", "9(2)(h) for research or other non-care purposes is flagged.",
      "UK GDPR Art 9(2)(h) and (3)")
def health_care_condition_for_non_care_use(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    for j in [j for j, (art9, purpose) in enumerate(zip(flows.article_9, flows.purpose))
              if art9 == "9(2)(h)" and purpose in NON_CARE_FOR_9_2_H]:
        purpose = flows.purpose[j]
        yield j, ("legal_basis", "article_9"), \
            f"{flows.label[j]} relies on Art 9(2)(h) (health and social care) for the purpose " \
            f"'{plain('purpose', purpose)}', " \
            "which is not care or its management.", \
            "Research normally relies on 9(2)(j) with Art 89 safeguards; check the condition with " \
            "your DPO."
