"""One builder per document type: which documents a model needs, and each one's template context.

``plan(model)`` decides the pack's files (cli.md): one joint controller
arrangement per set of joint controllers, in the order of each set's first flow,
and one processing contract per controller–processor pair.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Flow, Indemnity, Model
from .clauses import DSA, DSS, JCA, PC, RSS
from .context import (BELOW_STANDARDS_MET, DSPT_WORDS, METHOD_WORDS, TYPE_WORDS, Notes, flow_row, party_label,
                      party_rows)
from .filters import long_date, md, pct, prose_list, purpose_words


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
            "dspt_exceptions": [{"name": md(p.name), "dspt": DSPT_WORDS[p.effective_dspt_status],
                                 "plan": notes.todo(doc, "security", f"date by which {p.name}'s DSPT improvement plan "
                                                                     "reaches Standards Met")}
                                for p in model.parties if p.effective_dspt_status in BELOW_STANDARDS_MET],
            "has_clauses": bool(model.clauses)}


# Topics of an Art 26 allocation, the words that show the model's allocation covers one, and the fallback
# drafted only for a topic the allocation does not mention (so no default contradicts it).
JCA_TOPICS = (
    ("privacy", ("privacy", "article 13", "art 13", "transparen"),
     "{lead} provides the privacy information (Articles 13 and 14) on behalf of all"),
    ("rights", ("subject access", "rights", "request", "objection"),
     "{lead} answers requests from data subjects on behalf of all"),
    ("security", ("security",), "each Party keeps its own processing secure (Article 32)"),
    ("records", ("record",), "each Party keeps its own records of processing (Article 30)"),
    ("dpia", ("dpia", "impact assessment"), "the Parties carry out and review the DPIA together (Article 35)"),
    ("breach", ("breach",),
     "the Party that discovers a personal data breach tells the others within {hours} hours and {lead} notifies "
     "the Information Commissioner where required (Article 33)"),
    ("processors", ("processor",), "no processor is appointed without the agreement of all Parties (Article 28)"),
)


def unallocated(responsibilities: str | None, lead: str, hours: str) -> list[str]:
    text = (responsibilities or "").lower()
    return [fallback.format(lead=lead, hours=hours) for _, words, fallback in JCA_TOPICS
            if not any(w in text for w in words)]


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
    lead = md(model.party(lead_id).name)
    allocation = arrangement.get("responsibilities")
    return {**base, "members": members, "flows": rows, "purposes": _purposes(item.flows), "lead": lead,
            "responsibilities": notes.value(allocation, doc, "responsibilities",
                                            "how the joint controllers allocate their responsibilities"),
            "fallbacks": unallocated(allocation, lead, base["partnership"]["notify_hours"]),
            "contact_point": notes.value(arrangement.get("contact_point"), doc, "contact_point",
                                         "the contact point for data subjects"),
            "essence_published": bool(arrangement.get("essence_published"))}


# What a processor does with a flow's data, by purpose: the processing described from the model, never generic.
PROCESSING = {
    "direct_care": "makes it available to the health and care professionals caring for each patient",
    "population_health_management": "analyses it to describe the health needs of the population and groups within "
                                    "it, reporting only to the Controller",
    "risk_stratification": "calculates risk scores that identify people who may benefit from proactive care "
                           "(profiling), giving them only to the Controller",
    "planning": "analyses it to plan services, reporting only aggregate results",
    "commissioning": "analyses it to commission services, reporting only aggregate results",
    "invoice_validation": "checks it against invoices to validate payments",
    "research": "prepares it for research approved by the Controller",
    "public_health": "analyses it for public health purposes, reporting only aggregate results",
    "safeguarding": "uses it only to support safeguarding enquiries",
    "other": "processes it for the purpose the Controller documents",
}


def processing_description(model: Model, f: Flow) -> str:
    linked = (" It links the records with other data only as the Controller's documented instructions allow."
              if f.data.extra.get("linked") else "")
    cats = prose_list([md(c.replace("_", " ")) for c in f.data.categories]) or "the data listed"
    return (f"For '{md(f.name)}', the Processor receives {f.data.identifiability} {cats} about "
            f"{f.data.records:,} people from {md(model.party(f.source).name)} by {METHOD_WORDS[f.transfer.method]} "
            f"({f.transfer.frequency.replace('_', ' ')}), stores it and {PROCESSING.get(f.purpose, PROCESSING['other'])}."
            f"{linked}")


def processor_indemnity(model: Model, controller: str, processor: str) -> str:
    """The processor's indemnity to the controller, only when the model has one."""
    for c in model.clauses:
        if isinstance(c, Indemnity) and c.indemnifier == processor and (
                (c.beneficiary_ids and controller in c.beneficiary_ids) or
                (not c.beneficiary_ids and model.party(controller).type == c.beneficiary_type)):
            return (f"The Processor indemnifies the Controller as set out in '{md(c.name)}' in the risk-sharing "
                    f"schedule ({pct(c.share)} of the losses it covers, subject to its conditions and limits).")
    return ""


def pc_context(model: Model, item: Planned, notes: Notes, base: dict) -> dict:
    doc = item.name
    controller, processor = (party_rows(model, [model.party(p)], notes, doc)[0] for p in item.parties)
    controller["label"] = party_label(model.party(item.parties[0]))
    processor["label"] = party_label(model.party(item.parties[1]))
    contracts = [f.governance("processing_contract") or {} for f in item.flows]
    expiries = sorted(c["expires"] for c in contracts if c.get("expires"))
    starts = sorted(c["date"] for c in contracts if c.get("date"))
    hours = [f.governance("breach_notification_hours") for f in item.flows
             if f.governance("breach_notification_hours") is not None]
    subs = list(dict.fromkeys(md(s) for c in contracts for s in c.get("sub_processors", ())))
    transfers = [f"{md(t.get('country', ''))} ({md(t.get('mechanism', ''))})" for f in item.flows
                 if (t := f.governance("international_transfer"))]
    subjects = list(dict.fromkeys(s for f in item.flows for s in f.data.extra.get("subject_categories", ())))
    categories = _categories(item.flows)
    flows = [flow_row(model, f, notes, doc) for f in item.flows]
    security = [f"'{md(f.name)}' is transferred by {METHOD_WORDS[f.transfer.method]}, "
                f"{'encrypted in transit' if f.transfer.encrypted else 'NOT encrypted in transit (to be remedied)'}"
                for f in item.flows]
    return {**base, "controller": controller, "processor": processor, "flows": flows,
            "processing": [processing_description(model, f) for f in item.flows],
            "purposes": _purposes(item.flows),
            "pseudonymised": any(f.data.identifiability in ("pseudonymised", "aggregate", "anonymised")
                                 for f in item.flows),
            "contract_reference": prose_list(dict.fromkeys(md(c["reference"]) for c in contracts
                                                            if c.get("reference"))),
            "start": long_date(starts[0]) if starts else base["partnership"]["effective_date"],
            "duration": f"until {long_date(expiries[0])}" if expiries else
            "for as long as the flows continue, until this contract is terminated",
            "expires": long_date(expiries[0]) if expiries else "",
            "data_types": (f"The personal data are {prose_list(categories)}." if categories else
                           notes.todo(doc, "data_types", "the types of personal data processed")),
            "special": any(f.data.special_category for f in item.flows),
            "subjects": (prose_list(md(s) for s in subjects).capitalize() + "." if subjects else
                         notes.todo(doc, "data_subjects", "the categories of data subjects")),
            "breach_hours": f"{float(min(hours)):g}" if hours else base["partnership"]["notify_hours"],
            "sub_processors": prose_list(subs), "international": prose_list(transfers),
            "security": security, "indemnity": processor_indemnity(model, *item.parties),
            "has_clauses": bool(model.clauses)}


def dss_context(model: Model, item: Planned, notes: Notes, base: dict) -> dict:
    doc = item.name
    names = model.parties_by_id
    controllers = {pid for f in model.flows for pid in
                   ((f.controller,) if f.processor else tuple(s.party for s in f.controller_shares) or
                    (f.source, f.recipient))}
    parties = [{"name": md(p.name), "type": TYPE_WORDS.get(p.type, "organisation"),
                "public": md(p.contacts.get("public") or ""),
                "controller": p.id in controllers,
                "dpo": notes.value(p.contacts.get("dpo"), doc, "who", f"how to contact the Data Protection Officer of "
                                                                    f"{p.name}")}
               for p in model.parties]
    uses, retention = [], []
    by_purpose: dict[str, list[Flow]] = {}
    for f in model.flows:
        by_purpose.setdefault(f.purpose, []).append(f)
    for purpose, flows in by_purpose.items():
        kinds = prose_list(dict.fromkeys(f.data.identifiability for f in flows), "or")
        categories = prose_list(_categories(flows)) or "information"
        bases = prose_list(dict.fromkeys(_plain_basis(f) for f in flows))
        sources = prose_list(dict.fromkeys(md(names[f.source].name) for f in flows))
        uses.append({"purpose": purpose_words(purpose).capitalize(), "what": f"{categories} ({kinds})",
                     "basis": bases, "source": sources})
    for f in model.flows:
        retention.append(f"{md(f.name)}: " + (f"kept for up to {f.retention_months} months, then securely deleted"
                                                if f.retention_months is not None else
                                                notes.todo(doc, "how_long", f"how long '{f.name}' is kept")))
    received: dict[tuple[str, str, bool], list[str]] = {}
    for f in model.flows:
        received.setdefault((f.recipient, f.purpose, bool(f.processor)), []).append(names[f.source].name)
    recipients = [f"{md(names[to].name)}, which receives {purpose_words(purpose)} data from "
                  f"{prose_list(md(n) for n in dict.fromkeys(sources))}"
                  + (f" as a processor acting on {'its' if len(set(sources)) == 1 else 'their'} instructions"
                     if processor else "")
                  for (to, purpose, processor), sources in received.items()]
    subs = list(dict.fromkeys(
        (md(s), md(names[f.recipient].name)) for f in model.flows
        for s in (f.governance("processing_contract") or {}).get("sub_processors", ())))
    essences = []
    for n, (members, flows) in enumerate(joint_sets(model), start=1):
        arrangement = next((f.governance("joint_arrangement") for f in flows if f.governance("joint_arrangement")),
                           {}) or {}
        essences.append({
            "who": prose_list(md(names[m].name) for m in members), "purposes": _purposes(flows),
            "allocation": notes.value(arrangement.get("responsibilities"), doc, "who",
                                      "how the joint controllers share their responsibilities, in plain words"),
            "contact": notes.value(arrangement.get("contact_point"), doc, "who",
                                   "the joint controllers' contact point")})
    international = prose_list(md(t.get("country", "")) for f in model.flows
                               if (t := f.governance("international_transfer")))
    if not model.flows:  # a model drafted before its flows are entered: say what is missing, never leave it blank
        uses = [{"purpose": "Purpose", "what": notes.todo(doc, "what_why", "what information is shared, and why "
                                                          "(no data flows are recorded yet)"),
                 "basis": notes.todo(doc, "what_why", "the law that allows each use"),
                 "source": notes.todo(doc, "what_why", "where the information comes from")}]
        recipients = [notes.todo(doc, "who_sees", "which organisations receive the information")]
    return {**base, "parties": parties, "uses": uses, "retention": retention or ["No data is shared yet."],
            "recipients": recipients,
            "sub_processors": [f"{s} (for {p})" for s, p in subs], "essences": essences,
            "profiling": (notes.todo(doc, "what_why", "who reviews the risk scores, and how, before any decision "
                                                      "about a person (UK GDPR Article 22)")
                          if any(f.purpose == "risk_stratification" for f in model.flows) else ""),
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
