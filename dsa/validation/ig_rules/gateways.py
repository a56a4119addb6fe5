"""Statutory gateways used for what they allow, and processors that link several controllers' data
(IG031, IG032).

``legal_basis.legal_power`` is free text ("Care Act 2014 s.42 and s.45", "section 251B of the HSCA
2012", "NHS Act 2006 s.251; COPI reg 5"). :func:`cited_sections` reads the sections it cites, each with
the Act it belongs to, and IG031 compares each well-known gateway with the flow's purpose and parties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from ...findings import Finding, Severity
from ...labels import label as plain
from ..access import present
from ..columns import Flows, as_str
from ..registry import Row, RuleContext, finding, rule
from .common import party_name

# ----------------------------------------------------------------------------- reading a citation

_ACTS = (  # (act, pattern); "Care Act" must not be the tail of "Health and Social Care Act"
    ("hsca", r"health\s+and\s+social\s+care\s+act(?:\s+2012)?|\bhsca(?:\s*2012)?"),
    ("nhs", r"(?:national\s+health\s+service|\bnhs)\s+act(?:\s+2006)?"),
    ("care", r"(?<!social\s)(?<!social)\bcare\s+act(?:\s+2014)?"),
    ("copi", r"\bcopi\b|control\s+of\s+patient\s+information"),
)
_ACT = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _ACTS))
_NUMBER = r"\d+[a-z]*\d*"
_SECTIONS = re.compile(
    rf"\b(?:sections?|secs?|ss?)\s*\.?\s*({_NUMBER}(?:\s*(?:,|and|&|or|/)\s*(?:(?:sections?|secs?|ss?)\s*\.?\s*)?"
    rf"{_NUMBER})*)")
_REGULATION = re.compile(rf"\breg(?:ulation)?s?\s*\.?\s*({_NUMBER})")
_SCHEDULES = re.compile(rf"\b(?:schedule|sch)\s*\.?\s*({_NUMBER})")


def cited_sections(text: str) -> list[tuple[str | None, str]]:
    """(act, section) pairs cited in ``text``, lower case: act is 'hsca', 'nhs', 'care', 'copi' or None.

    A section belongs to the Act named last before it in the same clause (clauses end at ';'), else to
    the first named after it ("section 251B of the Health and Social Care Act 2012"). COPI regulations
    come back as ('copi', 'reg5'), schedules as ('nhs', 'sch1b').
    """
    out: list[tuple[str | None, str]] = []
    for clause in text.lower().split(";"):
        acts = [(m.start(), m.lastgroup) for m in _ACT.finditer(clause)]
        for m in _SECTIONS.finditer(clause):
            before = [a for pos, a in acts if pos < m.start()]
            after = [a for pos, a in acts if pos > m.start()]
            act = before[-1] if before else (after[0] if after else None)
            out.extend((act, n) for n in re.findall(_NUMBER, m.group(1)))
        for m in _SCHEDULES.finditer(clause):
            before = [a for pos, a in acts if pos < m.start()]
            after = [a for pos, a in acts if pos > m.start()]
            out.append((before[-1] if before else (after[0] if after else None), f"sch{m.group(1)}"))
        if any(a == "copi" for _, a in acts):
            out.extend(("copi", f"reg{n}") for n in _REGULATION.findall(clause))
    return out


# ----------------------------------------------------------------------------- the gateways


@dataclass(frozen=True)
class Gateway:
    """A well-known statutory gateway: what it is, when it is cited, and why a use does not fit."""

    name: str                                   # as a lawyer cites it
    cited: Callable[[str | None, str], bool]    # (act, section) -> is this the gateway?
    misuse: Callable[[Flows, int, RuleContext], str | None]  # why this flow's use does not fit, or None
    fix: str


def _purpose(flows: Flows, j: int) -> str:
    purpose = flows.purpose[j]
    return plain("purpose", purpose).lower() if purpose else "an unstated purpose"


def _s251b_misuse(flows: Flows, j: int, ctx: RuleContext) -> str | None:
    if flows.care[j]:
        return None
    return ("is a duty to share information about a person for their individual (direct) care; it is no "
            f"power to share for {_purpose(flows, j)}")


def _s251_misuse(flows: Flows, j: int, ctx: RuleContext) -> str | None:
    if flows.care[j]:
        return ("with the COPI Regulations sets aside the duty of confidence for purposes beyond individual "
                "care on the advice of the Confidentiality Advisory Group; direct care relies on implied "
                "consent and needs no s.251 support")
    common_law = flows.common_law[j]
    if common_law != "s251":
        support = flows.objs("s251")[j]
        cag = present(as_str(support.get("cag_reference")) if support else None)
        return ("with the COPI Regulations works only with support approved on the Confidentiality Advisory "
                "Group's advice, but the flow's common-law basis is "
                f"{plain('common_law', common_law).lower() if common_law else 'not stated'}"
                + ("" if cag else " and it records no CAG reference"))
    return None


def _safeguarding_adults_board(ctx: RuleContext, party_id: str | None) -> bool:
    name = party_name(ctx, party_id) if party_id else ""
    return "safeguarding adults board" in name.lower()


def _s45_misuse(flows: Flows, j: int, ctx: RuleContext) -> str | None:
    recipient = flows.target_id[j]
    if flows.purpose[j] == "safeguarding" and _safeguarding_adults_board(ctx, recipient):
        return None
    return ("only requires a person to supply information that a Safeguarding Adults Board has asked for; "
            f"{party_name(ctx, recipient) if recipient else 'the recipient'} is not recorded as a "
            "Safeguarding Adults Board")


def _s42_misuse(flows: Flows, j: int, ctx: RuleContext) -> str | None:
    ends = [ctx.parties.get(p) for p in (flows.source_id[j], flows.target_id[j])]
    council = any(p is not None and p.get("type") == "local_authority" for p in ends)
    if flows.purpose[j] == "safeguarding" and council:
        return None
    return ("is a local authority's duty to make enquiries about an adult at risk of abuse or neglect, not a "
            "general power to share information; it fits only a safeguarding flow to or from the council "
            "making the enquiry")


def _establishment_misuse(flows: Flows, j: int, ctx: RuleContext) -> str | None:
    return ("establishes integrated care boards (their constitution is in Schedule 1B); it creates a body and "
            "gives no power to share information")


GATEWAYS = (
    Gateway("Health and Social Care Act 2012 s.251B", lambda act, s: s == "251b", _s251b_misuse,
            "For purposes beyond individual care cite the power that allows them (for example NHS Act 2006 "
            "s.251 with CAG support, or a direction under the Health and Social Care Act 2012 s.254), and keep "
            "s.251B for direct care."),
    Gateway("NHS Act 2006 s.251", lambda act, s: (s == "251" and act in ("nhs", "copi", None))
            or (act == "copi" and s == "reg5"), _s251_misuse,
            "Cite s.251 only for a flow beyond direct care that has CAG-advised support: set the common-law "
            "basis to Section 251 support and record the CAG reference and expiry, or cite the power the "
            "flow really relies on."),
    Gateway("Care Act 2014 s.45", lambda act, s: act == "care" and s == "45", _s45_misuse,
            "Cite s.45 only for information a Safeguarding Adults Board has requested. For a safeguarding "
            "referral, rely on the discloser's own basis (UK GDPR Art 6(1)(e) or (c), DPA 2018 Schedule 1 "
            "paragraph 18, and the public interest at common law)."),
    Gateway("Care Act 2014 s.42", lambda act, s: act == "care" and s == "42", _s42_misuse,
            "Cite s.42 only as the context of the council's own safeguarding enquiry, and name the power that "
            "lets the discloser share (for example UK GDPR Art 6(1)(e) with DPA 2018 Schedule 1 paragraph 18)."),
    Gateway("NHS Act 2006 s.14Z25", lambda act, s: s == "14z25" or (act == "nhs" and s == "sch1b"),
            _establishment_misuse,
            "Cite the power the sharing relies on instead: for example NHS Act 2006 s.251 with CAG support for "
            "population health management, or the Health and Social Care Act 2012 s.251B for direct care."),
)


@rule("IG031", Severity.WARNING, "flow", "A statutory gateway cited as the legal power is used for what it allows.",
      "Health and Social Care Act 2012 s.251B; NHS Act 2006 s.251 and COPI Regulations 2002 reg 5; "
      "Care Act 2014 ss.42 and 45; NHS Act 2006 s.14Z25")
def statutory_gateway_fits_its_purpose(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    gateways_in: dict[str, list[Gateway]] = {}  # a register repeats the same few citations on many flows
    for text in set(flows.legal_power) - {None, ""}:
        cited = cited_sections(text)
        gateways_in[text] = [g for g in GATEWAYS if any(g.cited(act, s) for act, s in cited)]
    for j in [j for j, text in enumerate(flows.legal_power) if text and gateways_in[text]]:
        for gateway in gateways_in[flows.legal_power[j]]:
            why = gateway.misuse(flows, j, ctx)
            if why:
                yield j, ("legal_basis", "legal_power"), \
                    f"{flows.label[j]} cites {gateway.name} as its legal power, but {gateway.name} {why}.", \
                    gateway.fix


# ----------------------------------------------------------------------------- linkage by a processor


def _names(names: list[str], shown: int) -> str:
    if len(names) <= shown:
        return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    return ", ".join(names[:shown]) + f" and {len(names) - shown} more"


@rule("IG032", Severity.WARNING, "model", "A processor that links several controllers' data has a recorded basis "
      "for the linkage: a joint arrangement between the controllers or one DPIA covering it.",
      "UK GDPR Arts 26, 28(3)(a) and 35; ICO list of high-risk processing (data matching)")
def processor_linkage_has_a_basis(doc: dict, ctx: RuleContext) -> Iterator[Finding]:
    """A processor may link controllers' data only on their documented instructions (Art 28(3)(a)). When it
    combines data from several controllers, either they decided the linkage together (joint controllers,
    Art 26, with an arrangement) or one DPIA assessed the combined dataset (Art 35; data matching is on
    the ICO's high-risk list). Each controller's own DPIA of its own extract does not cover the linkage."""
    flows = ctx.flows if ctx.flows is not None else Flows.of(doc)
    linked = flows.data_bool("linked")
    by_processor: dict[str, list[int]] = {}
    linking = [j for j, (lk, rel, personal, dst) in enumerate(zip(linked, flows.relationship, flows.personal,
                                                                  flows.target_id))
               if lk is True and rel == "controller_to_processor" and personal and dst is not None]
    for j in linking:
        by_processor.setdefault(flows.target_id[j], []).append(j)
    if not by_processor:
        return
    dpias, arrangements = flows.objs("dpia"), flows.objs("joint_arrangement")
    for processor, positions in by_processor.items():
        controllers = list(dict.fromkeys(flows.source_id[j] for j in positions if flows.source_id[j]))
        if len(controllers) < 2:
            continue
        references = {as_str(dpias[j].get("reference")) if dpias[j] else None for j in positions}
        one_dpia = len(references) == 1 and present(next(iter(references)))
        arranged = all(arrangements[j] is not None and present(arrangements[j].get("reference"))
                       for j in positions)
        if one_dpia or arranged:
            continue
        flow_names = [flows.label[j].removeprefix("Flow ") for j in positions]
        yield finding("IG032", ("flows", flows.index[positions[0]], "data", "linked"),
                      f"{party_name(ctx, processor)} links data it processes for {len(controllers)} controllers "
                      f"({_names([party_name(ctx, c) for c in controllers], 3)}) on the flows "
                      f"{_names(flow_names, 5)}, but no joint arrangement between the controllers and no single "
                      "DPIA covering the linked data is recorded.",
                      "Record the basis for the linkage: a joint controller arrangement between the controllers "
                      "for the linked dataset (recorded on each flow), or one DPIA covering the linkage, "
                      "cited by the same reference on each flow.")
