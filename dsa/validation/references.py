"""Referential rules (REF…): ids that must exist, be unique, and shares that must add up."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Iterator

from ..findings import Finding, Severity
from ..labels import label
from .access import get_list, get_obj, get_str
from .columns import Flows
from .registry import Row, RuleContext, finding, rule

SHARE_TOLERANCE = 1e-9
WHO = {"from": "the sender", "to": "the recipient"}


def _label(item: Any, kind: str) -> str:
    name = get_str(item, "name") or get_str(item, "id")
    return f"{kind} '{name}'" if name else kind


def _party(ctx: RuleContext, party_id: Any) -> str:
    """A party by its name; an id the model does not know, quoted as written."""
    name = get_str(ctx.parties.get(party_id), "name") if isinstance(party_id, str) else None
    return name or f"'{party_id}'"


def _known(ctx: RuleContext, party_id: Any) -> bool:
    return not isinstance(party_id, str) or party_id in ctx.parties


def _shares(members: list | None) -> list[tuple[int, Any, float]] | None:
    """(index, party, share) of well-formed entries, or None when any share is unreadable."""
    out = []
    for i, m in enumerate(members or ()):
        share = m.get("share") if isinstance(m, dict) else None
        if not isinstance(share, (int, float)) or isinstance(share, bool) or not math.isfinite(share):
            return None
        out.append((i, m.get("party"), float(share)))
    return out


@rule("REF001", Severity.ERROR, "model", "Every party id used in the model names a party.",
      "Model format: flows and clauses refer to parties by id.")
def party_ids_exist(doc: dict, ctx: RuleContext) -> Iterator[Finding]:
    fix = "Use the id of a party in the model's list of parties, or add the missing party."

    def unknown(path: tuple, party_id: Any, what: str) -> Iterator[Finding]:
        if isinstance(party_id, str) and party_id not in ctx.parties:
            yield finding("REF001", path, f"{what} names party '{party_id}', which is not in the model.", fix)

    lead = get_str(get_obj(doc, "partnership"), "lead_party")
    yield from unknown(("partnership", "lead_party"), lead, "The partnership's lead party")
    flows = ctx.flows if ctx.flows is not None else Flows.of(doc)
    parties = ctx.parties
    # Most registers name only known parties: find the few flows that do not (set differences, in C).
    strangers = (set(flows.source_id) | set(flows.target_id)) - parties.keys() - {None}
    suspects = [j for j, (src, dst) in enumerate(zip(flows.source_id, flows.target_id))
                if src in strangers or dst in strangers] if strangers else []
    suspects = sorted(set(suspects).union(j for j, members in enumerate(flows.joint_controllers) if members))
    for j in suspects:
        i, src, dst, members = flows.index[j], flows.source[j], flows.target[j], flows.joint_controllers[j]
        if isinstance(src, str) and src not in parties:
            yield from unknown(("flows", i, "from"), src, f"{flows.label[j]}'s sender")
        if isinstance(dst, str) and dst not in parties:
            yield from unknown(("flows", i, "to"), dst, f"{flows.label[j]}'s recipient")
        for k, jc in enumerate(members or ()):
            if isinstance(jc, dict):
                yield from unknown(("flows", i, "joint_controllers", k, "party"), jc.get("party"),
                                   f"{flows.label[j]}'s joint controller")
    for i, c in enumerate(get_list(doc, "clauses") or ()):
        if not isinstance(c, dict):
            continue
        yield from unknown(("clauses", i, "indemnifier"), c.get("indemnifier"), f"{_label(c, 'Clause')} indemnifier")
        for j, b in enumerate(get_list(c, "beneficiaries") or ()):
            yield from unknown(("clauses", i, "beneficiaries", j), b, f"{_label(c, 'Clause')} beneficiary")
        for j, m in enumerate(get_list(c, "members") or ()):
            if isinstance(m, dict):
                yield from unknown(("clauses", i, "members", j, "party"), m.get("party"),
                                   f"{_label(c, 'Clause')} pool member")


@rule("REF002", Severity.ERROR, "flow", "A flow goes from one party to a different party.",
      "Model format: 'from' and 'to' are different parties.")
def flow_parties_differ(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    for j, (src, dst) in enumerate(zip(flows.source, flows.target)):
        if isinstance(src, str) and src == dst:
            yield j, ("to",), f"{flows.label[j]} goes from '{src}' to itself.", \
                "Set the recipient to the party that receives the data."


@rule("REF003", Severity.ERROR, "model", "Ids are unique among parties, flows, clauses and scenarios.",
      "Model format: ids are stable keys.")
def ids_are_unique(doc: dict, ctx: RuleContext) -> Iterator[Finding]:
    for key, kind in (("parties", "party"), ("flows", "flow"), ("clauses", "clause"), ("scenarios", "scenario")):
        items = get_list(doc, key) or []
        ids = [(v if isinstance(v := it.get("id"), str) else None) if isinstance(it, dict) else None for it in items]
        named = [i for i in ids if i is not None]
        if len(set(named)) == len(named):  # the usual case: nothing to count
            continue
        counts = Counter(named)
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if item_id is None or counts[item_id] < 2:
                continue
            if item_id in seen:
                yield finding("REF003", (key, i, "id"),
                              f"The {kind} id '{item_id}' is used {counts[item_id]} times; ids must be unique.",
                              f"Give this {kind} its own id.")
            seen.add(item_id)


@rule("REF004", Severity.ERROR, "flow", "Joint controllers' shares add up to 1.",
      "Model format: joint_controllers shares sum to 1.")
def joint_controller_shares_sum_to_one(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    for j, members in enumerate(flows.joint_controllers):
        shares = _shares(members) if members else None
        if shares and abs(sum(s for _, _, s in shares) - 1.0) > SHARE_TOLERANCE:
            total = sum(s for _, _, s in shares)
            yield j, ("joint_controllers",), \
                f"{flows.label[j]}: joint controllers' shares add up to {total:g}, not 1.", \
                "Adjust the shares so they add up to exactly 1."


@rule("REF005", Severity.ERROR, "clause", "A risk pool's members' shares add up to 1.",
      "Model format: risk_pool members' shares sum to 1.")
def pool_shares_sum_to_one(clause: dict, ctx: RuleContext) -> Iterator[Finding]:
    if clause.get("type") != "risk_pool":
        return
    shares = _shares(get_list(clause, "members"))
    if shares and abs(sum(s for _, _, s in shares) - 1.0) > SHARE_TOLERANCE:
        total = sum(s for _, _, s in shares)
        yield finding("REF005", ("members",), f"{_label(clause, 'Clause')}: members' shares add up to {total:g}, not 1.",
                      "Adjust the shares so they add up to exactly 1.")


@rule("REF006", Severity.ERROR, "scenario", "A scenario names only clauses in the model.",
      "Model format: a scenario is a named set of clause ids.")
def scenario_clauses_exist(scenario: dict, ctx: RuleContext) -> Iterator[Finding]:
    known = {get_str(c, "id") for c in get_list(ctx.doc, "clauses") or ()}
    for i, cid in enumerate(get_list(scenario, "clauses") or ()):
        if isinstance(cid, str) and cid not in known:
            yield finding("REF006", ("clauses", i),
                          f"{_label(scenario, 'Scenario')} names clause '{cid}', which is not in the model.",
                          "Use the id of a clause in the model, or remove it from the scenario.")


@rule("REF007", Severity.ERROR, "scenario", "The scenario id 'baseline' is reserved.",
      "Model format: the baseline (no clauses) is always assessed under that id.")
def baseline_id_is_reserved(scenario: dict, ctx: RuleContext) -> Iterator[Finding]:
    if scenario.get("id") == "baseline":
        yield finding("REF007", ("id",), "The scenario id 'baseline' is reserved for the assessment without clauses.",
                      "Give the scenario another id.")


@rule("REF008", Severity.ERROR, "clause", "Beneficiaries given by party type match at least one party.",
      "Model format: {party_type} means every party of that type.")
def beneficiary_type_matches_a_party(clause: dict, ctx: RuleContext) -> Iterator[Finding]:
    ptype = get_str(get_obj(clause, "beneficiaries"), "party_type")
    if ptype and not any(p.get("type") == ptype for p in ctx.parties.values()):
        yield finding("REF008", ("beneficiaries", "party_type"),
                      f"{_label(clause, 'Clause')} benefits every party of the type '{label('type', ptype)}', but "
                      "the model has none.",
                      "Choose a party type present in the model, or list the beneficiaries by id.")


@rule("REF009", Severity.ERROR, "clause", "A clause's flows in scope exist.",
      "Model format: applies_to.flows lists flow ids.")
def scoped_flows_exist(clause: dict, ctx: RuleContext) -> Iterator[Finding]:
    scoped = get_list(get_obj(clause, "applies_to"), "flows") or ()
    flows = ctx.flows if ctx.flows is not None else Flows.of(ctx.doc)
    known = {v for v in flows.id if isinstance(v, str)} if scoped else set()
    for i, fid in enumerate(scoped):
        if isinstance(fid, str) and fid not in known:
            yield finding("REF009", ("applies_to", "flows", i),
                          f"{_label(clause, 'Clause')} applies to flow '{fid}', which is not in the model.",
                          "Use the id of a flow in the model.")


@rule("REF010", Severity.ERROR, "clause", "An indemnifier is not among its own beneficiaries.",
      "Contract law: a party cannot indemnify itself.")
def indemnifier_is_not_a_beneficiary(clause: dict, ctx: RuleContext) -> Iterator[Finding]:
    indemnifier = get_str(clause, "indemnifier")
    if not indemnifier:
        return
    for i, b in enumerate(get_list(clause, "beneficiaries") or ()):
        if b == indemnifier:
            yield finding("REF010", ("beneficiaries", i),
                          f"{_label(clause, 'Clause')}: the indemnifier {_party(ctx, indemnifier)} is also a "
                          "beneficiary.",
                          "Remove the indemnifier from the beneficiaries.")
    ptype = get_str(get_obj(clause, "beneficiaries"), "party_type")
    party = ctx.parties.get(indemnifier)
    if ptype and party is not None and party.get("type") == ptype:
        yield finding("REF010", ("beneficiaries", "party_type"),
                      f"{_label(clause, 'Clause')}: the indemnifier {_party(ctx, indemnifier)} is itself of the type "
                      f"'{label('type', ptype)}', "
                      "so it would indemnify itself.",
                      "List the beneficiaries by id instead.", severity=Severity.WARNING)


@rule("REF011", Severity.ERROR, "flow", "Joint controllers include the flow's two parties.",
      "UK GDPR Art 26: the parties that jointly determine the processing are its joint controllers.")
def joint_controllers_include_both_parties(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    for j, (rel, members) in enumerate(zip(flows.relationship, flows.joint_controllers)):
        if rel != "joint_controllers" or not members:
            continue
        label = flows.label[j]
        listed = {m.get("party") for m in members if isinstance(m, dict)}
        for end, pid in (("from", flows.source[j]), ("to", flows.target[j])):
            if isinstance(pid, str) and pid not in listed and _known(ctx, pid):
                yield j, ("joint_controllers",), \
                    f"{label} is a joint-controller flow, but {_party(ctx, pid)} ({WHO[end]}) is not among its joint " \
                    "controllers.", f"Add {_party(ctx, pid)} to the joint controllers with its share."
        counts = Counter(m.get("party") for m in members if isinstance(m, dict))
        for pid, n in counts.items():
            if n > 1 and isinstance(pid, str):
                yield j, ("joint_controllers",), f"{label} lists joint controller {_party(ctx, pid)} {n} times.", \
                    "List each joint controller once with its whole share."


@rule("REF012", Severity.ERROR, "clause", "A risk pool lists each member once.",
      "Model format: members are {party, share}, shares sum to 1.")
def pool_members_are_unique(clause: dict, ctx: RuleContext) -> Iterator[Finding]:
    if clause.get("type") != "risk_pool":
        return
    counts = Counter(m.get("party") for m in get_list(clause, "members") or () if isinstance(m, dict))
    for pid, n in counts.items():
        if n > 1 and isinstance(pid, str):
            yield finding("REF012", ("members",),
                          f"{_label(clause, 'Clause')} lists member {_party(ctx, pid)} {n} times.",
                          "List each member once with its whole share.")
