"""One builder per document type: which documents a model needs, and each one's template context.

``plan(model)`` decides the pack's files (cli.md): one joint controller
arrangement per set of joint controllers, in the order of each set's first flow,
and one processing contract per controller–processor pair.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Flow, Indemnity, Model
from .clauses import DSA, DSS, JCA, PC, RSS
from .context import (TYPE_WORDS, Notes, clause_words, flow_row, party_label, party_rows)
from .filters import long_date, md, money, pct, prose_list, purpose_words


@dataclass(frozen=True)
class Planned:
    """A document the pack will contain, before rendering."""

    name: str          # file stem
    doc_type: str      # template and clause-registry key
    title: str
    flows: tuple[Flow, ...] = ()
    parties: tuple[str, ...] = ()


def joint_sets(model: Model) -> list[tuple[tuple[str, ...], tuple[Flow, ...]]]:
    """Sets of joint controllers (sorted ids) with their flows, in order of each set's first flow."""
    sets: dict[tuple[str, ...], list[Flow]] = {}
    for f in model.flows:
        if f.relationship == "joint_controllers":
            sets.setdefault(tuple(sorted(s.party for s in f.controller_shares)), []).append(f)
    return [(k, tuple(v)) for k, v in sets.items()]


def processing_pairs(model: Model) -> list[tuple[tuple[str, str], tuple[Flow, ...]]]:
    pairs: dict[tuple[str, str], list[Flow]] = {}
    for f in model.flows:
        if f.processor:
            pairs.setdefault((f.controller, f.processor), []).append(f)
    return [(k, tuple(v)) for k, v in pairs.items()]


def plan(model: Model) -> list[Planned]:
    name = model.partnership.name
    docs = [Planned(DSA, DSA, f"Data sharing agreement: {name}")]
    for n, (members, flows) in enumerate(joint_sets(model), start=1):
        names = prose_list(model.party(m).name for m in members)
        docs.append(Planned(f"{JCA}-{n}", JCA, f"Joint controller arrangement {n}: {names}", flows, members))
    for (controller, processor), flows in processing_pairs(model):
        docs.append(Planned(f"{PC}-{controller}-{processor}", PC,
                            f"Processing contract: {model.party(controller).name} and {model.party(processor).name}",
                            flows, (controller, processor)))
    docs.append(Planned(RSS, RSS, f"Risk-sharing schedule: {name}"))
    docs.append(Planned(DSS, DSS, f"How we share your information: {name}"))
    return docs


def _purposes(flows) -> str:
    return prose_list(dict.fromkeys(purpose_words(f.purpose) for f in flows)) or "no purpose yet"


def _categories(flows) -> list[str]:
    return list(dict.fromkeys(md(c.replace("_", " ")) for f in flows for c in f.data.categories))


def _subjects(f: Flow, notes: Notes, document: str, clause: str) -> str:
    subjects = f.data.extra.get("subject_categories")
    if subjects:
        return prose_list(md(s) for s in subjects)
    return notes.todo(document, clause, f"categories of data subjects of '{f.name}'")


def _pair_label(model: Model, a: str, b: str) -> str:
    return f"{md(model.party(a).name)} with {md(model.party(b).name)}"


def dsa_context(model: Model, item: Planned, notes: Notes, base: dict) -> dict:
    doc = item.name
    flows = model.flows
    international = []
    for f in flows:
        t = f.governance("international_transfer")
        if t:
            international.append({"flow": md(f.name), "country": notes.value(t.get("country"), doc, "international",
                                                                             f"destination country of '{f.name}'"),
                                  "mechanism": notes.value(t.get("mechanism"), doc, "international",
                                                           f"Chapter V transfer mechanism of '{f.name}'")})
    count = lambda rel: sum(1 for f in flows if f.relationship == rel)  # noqa: E731
    return {**base,
            "parties": party_rows(model, list(model.parties), notes, doc),
            "flows": [flow_row(model, f, notes, doc) for f in flows],
            "purposes": _purposes(flows),
            "roles": {"independent": count("independent_controllers"), "joint": count("joint_controllers"),
                      "processor": count("controller_to_processor"),
                      "joint_sets": [f"{prose_list(md(model.party(m).name) for m in members)} (arrangement {n})"
                                     for n, (members, _) in enumerate(joint_sets(model), start=1)],
                      "processing_pairs": [_pair_label(model, c, p) for (c, p), _ in processing_pairs(model)]},
            "international": international,
            "has_clauses": bool(model.clauses)}


def jca_context(model: Model, item: Planned, notes: Notes, base: dict) -> dict:
    doc = item.name
    members = party_rows(model, [model.party(m) for m in item.parties], notes, doc)
    for row in members:
        shares = {s.share for f in item.flows for s in f.controller_shares if s.party == row["id"]}
        row["share"] = pct(shares.pop()) if len(shares) == 1 else "varies by flow"
    arrangement = next((f.governance("joint_arrangement") for f in item.flows
                        if f.governance("joint_arrangement")), {}) or {}
    rows = []
    for f in item.flows:
        row = flow_row(model, f, notes, doc)
        row["subjects"] = _subjects(f, notes, doc, "joint_processing")
        rows.append(row)
    lead_id = model.partnership.lead_party if model.partnership.lead_party in item.parties else item.parties[0]
    return {**base, "members": members, "flows": rows, "purposes": _purposes(item.flows),
            "lead": md(model.party(lead_id).name),
            "responsibilities": notes.value(arrangement.get("responsibilities"), doc, "responsibilities",
                                            "how the joint controllers allocate their responsibilities"),
            "contact_point": notes.value(arrangement.get("contact_point"), doc, "contact_point",
                                         "the contact point for data subjects"),
            "essence_published": bool(arrangement.get("essence_published"))}


def pc_context(model: Model, item: Planned, notes: Notes, base: dict) -> dict:
    doc = item.name
    controller, processor = (party_rows(model, [model.party(p)], notes, doc)[0] for p in item.parties)
    controller["label"] = party_label(model.party(item.parties[0]))
    processor["label"] = party_label(model.party(item.parties[1]))
    contracts = [f.governance("processing_contract") or {} for f in item.flows]
    expiries = sorted(c["expires"] for c in contracts if c.get("expires"))
    hours = [f.governance("breach_notification_hours") for f in item.flows
             if f.governance("breach_notification_hours") is not None]
    subs = list(dict.fromkeys(md(s) for c in contracts for s in c.get("sub_processors", ())))
    transfers = [f"{md(t.get('country', ''))} ({md(t.get('mechanism', ''))})" for f in item.flows
                 if (t := f.governance("international_transfer"))]
    subjects = list(dict.fromkeys(s for f in item.flows for s in f.data.extra.get("subject_categories", ())))
    categories = _categories(item.flows)
    return {**base, "controller": controller, "processor": processor,
            "flows": [flow_row(model, f, notes, doc) for f in item.flows],
            "purposes": _purposes(item.flows),
            "contract_reference": prose_list(dict.fromkeys(md(c["reference"]) for c in contracts
                                                            if c.get("reference"))),
            "duration": f"until {long_date(expiries[0])}" if expiries else
            "for as long as the flows continue, until this contract is terminated",
            "expires": long_date(expiries[0]) if expiries else "",
            "data_types": (f"The personal data are {prose_list(categories)}." if categories else
                           notes.todo(doc, "data_types", "the types of personal data processed")),
            "special": any(f.data.special_category for f in item.flows),
            "subjects": (prose_list(md(s) for s in subjects).capitalize() + "." if subjects else
                         notes.todo(doc, "data_subjects", "the categories of data subjects")),
            "breach_hours": f"{min(hours):g}" if hours else
            notes.todo(doc, "breach_timeline", "hours within which the processor tells the controller of a breach"),
            "sub_processors": prose_list(subs), "international": prose_list(transfers),
            "has_clauses": bool(model.clauses)}


def _approval(model: Model, clause: Indemnity, notes: Notes, doc: str) -> str:
    a = clause.approval or {}
    if a.get("body"):
        parts = [md(a["body"]), md(a.get("reference") or ""), long_date(a["date"]) if a.get("date") else ""]
        return ", ".join(p for p in parts if p)
    return notes.todo(doc, "approvals", f"approval of {model.party(clause.indemnifier).name} for '{clause.name}'")


def rss_context(model: Model, item: Planned, notes: Notes, base: dict, assessment: dict) -> dict:
    doc = item.name
    clauses, approvals = [], []
    for c in model.clauses:
        words = clause_words(model, c)
        if words["condition"]:
            tests = f", judged by these objective tests: {prose_list(words['tests'])}" if words["tests"] else ""
            words["condition_words"] = (f"It applies only if the beneficiary meets this condition: "
                                        f"{words['condition'].rstrip('.')}{tests}.")
        else:
            words["condition_words"] = "It applies unconditionally."
        if isinstance(c, Indemnity):
            words["share"] = pct(c.share)
            words["approval"] = _approval(model, c, notes, doc)
            approvals.append(f"{words['name']}: {words['approval']}")
        else:
            words["share"] = "members' shares"
        clauses.append(words)
    return {**base, "clauses": clauses, "approvals": approvals,
            "covers_fines": any("fines" in c.covers for c in model.clauses),
            "exposure": exposure_tables(model, assessment)}


def exposure_tables(model: Model, assessment: dict) -> dict:
    """The exposure tables: each scenario against the baseline, per party and per GP partner."""
    results = assessment["scenarios"]
    base = results["baseline"]
    scenarios = []
    for sid, res in results.items():
        if sid == "baseline":
            continue
        scenario = model.scenario(sid)
        rows = []
        for p in model.parties:
            b, s = base["parties"][p.id], res["parties"][p.id]
            rows.append({"party": md(p.name), "base_mean": money(b["mean"]), "mean": money(s["mean"]),
                         "delta_mean": money(s["mean"] - b["mean"]), "base_p99": money(b["p99"]),
                         "p99": money(s["p99"]), "delta_p99": money(s["p99"] - b["p99"])})
        partners = [{"party": md(model.party(pid).name), "partners": v["partners"],
                     "base_mean": money(base["partners"][pid]["mean_per_partner"]),
                     "mean": money(v["mean_per_partner"]),
                     "base_p99": money(base["partners"][pid]["joint_and_several_p99"]),
                     "p99": money(v["joint_and_several_p99"])} for pid, v in res["partners"].items()]
        clause_names = prose_list(md(model.clause(c).name) for c in scenario.clauses) or "no clause"
        scenarios.append({"id": sid, "name": f"Scenario: {md(scenario.name)}", "short": "With clauses",
                          "description": f"{md(scenario.description) + ' ' if scenario.description else ''}"
                                         f"Clauses applied, in order: {clause_names}.",
                          "rows": rows, "partners": partners})
    if not scenarios:  # no clause agreed: the baseline alone, against itself
        rows = [{"party": md(p.name), "base_mean": money(base["parties"][p.id]["mean"]),
                 "mean": money(base["parties"][p.id]["mean"]), "delta_mean": money(0),
                 "base_p99": money(base["parties"][p.id]["p99"]), "p99": money(base["parties"][p.id]["p99"]),
                 "delta_p99": money(0)} for p in model.parties]
        scenarios.append({"id": "baseline", "name": "Legal default (no clauses)", "short": "Legal default",
                          "description": "No scenario is defined, so only the legal default allocation is shown.",
                          "rows": rows, "partners": []})
    return {"years": f"{assessment['years']:,}", "seed": assessment["seed"], "scenarios": scenarios}


def dss_context(model: Model, item: Planned, notes: Notes, base: dict) -> dict:
    doc = item.name
    parties = [{"name": md(p.name), "type": TYPE_WORDS[p.type], "public": md(p.contacts.get("public") or "")}
               for p in model.parties]
    uses, retention = [], []
    by_purpose: dict[str, list[Flow]] = {}
    for f in model.flows:
        by_purpose.setdefault(f.purpose, []).append(f)
    for purpose, flows in by_purpose.items():
        kinds = prose_list(dict.fromkeys(f.data.identifiability for f in flows), "or")
        categories = prose_list(_categories(flows)) or "information"
        bases = prose_list(dict.fromkeys(_plain_basis(f) for f in flows))
        uses.append({"purpose": purpose_words(purpose).capitalize(), "what": f"{categories} ({kinds})",
                     "basis": bases})
        months = [f.retention_months for f in flows if f.retention_months is not None]
        retention.append(f"{purpose_words(purpose).capitalize()}: up to {max(months)} months, then securely deleted"
                         if months else notes.todo(doc, "how_long", f"how long data for {purpose_words(purpose)} "
                                                                    "is kept"))
    international = prose_list(md(t.get("country", "")) for f in model.flows
                               if (t := f.governance("international_transfer")))
    return {**base, "parties": parties, "uses": uses, "retention": retention or ["No data is shared yet."],
            "international": international,
            "uses_beyond_care": any(f.purpose != "direct_care" for f in model.flows)}


_PLAIN_ART6 = {"6(1)(a)": "your consent", "6(1)(b)": "a contract", "6(1)(c)": "a legal duty",
               "6(1)(d)": "protecting someone's life", "6(1)(e)": "our public tasks as NHS and public bodies",
               "6(1)(ea)": "a recognised legitimate interest", "6(1)(f)": "legitimate interests"}


def _plain_basis(f: Flow) -> str:
    lb = f.legal_basis
    if lb is None or not lb.article_6:
        return "to be confirmed"
    words = _PLAIN_ART6.get(lb.article_6, lb.article_6)
    if lb.article_9 in ("9(2)(h)", "9(2)(i)"):
        words += " and providing health and care services" if lb.article_9 == "9(2)(h)" else " and public health"
    if lb.common_law == "s251":
        words += " (with approval under section 251 of the NHS Act 2006)"
    return words


BUILDERS = {DSA: dsa_context, JCA: jca_context, PC: pc_context, DSS: dss_context}
