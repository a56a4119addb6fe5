"""The risk-sharing schedule's context: operative terms a solicitor edits, and the exposure annex.

Each indemnity is drafted as an operative clause with its conditions precedent
(the model's ``condition.tests``), who decides them, every money limit, its term
and its treatment of fines; a risk pool with calls, caps, governance and scope.
The chosen drafting alternative (``drafting.alternative``) is drafted; the others
go to the drafting notes with each side's usual position. The exposure annex is
non-contractual and shows the figures the engine computes, on one stated basis.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from ..labels import DRAFTING_ALTERNATIVE, PARTY_TYPE_PLURAL
from ..model import PRIMARY_CARE_TYPES, Indemnity, Model, RiskPool
from .context import BELOW_STANDARDS_MET, TYPE_WORDS, Notes
from .filters import long_date, md, money, pct, prose_list, purpose_words

BASIS = ("after the risk-sharing clauses and before each Party's own insurance (the order in which they respond: "
         "the clauses first, then insurance)")
MPM_NOTE = ("An uncapped indemnity is an unlimited contingent liability of a public body: it needs approval under "
            "Managing Public Money (HM Treasury) and the body's standing financial instructions, and HM Treasury "
            "consent may be needed above its delegated limits. A capped alternative is drafted below.")
FINES_NOTE = ("An indemnity against a Party's own regulatory fine is probably unenforceable (illegality: Patel v "
              "Mirza [2016] UKSC 42; Safeway v Twigger [2010] EWCA Civ 1472) and is generally uninsurable. The "
              "clause is therefore drafted as defence costs and, only to the extent the law allows, the fine; the "
              "validator flags the same point.")
FAULT_NOTE = ("The exposure figures assume the indemnity responds whatever the fault (the model does not simulate "
              "fault); a fault-based clause transfers less than they show.")


def alternative(clause: Indemnity | RiskPool) -> str:
    """The drafting alternative chosen in the model, else the one the clause's terms imply."""
    chosen = (clause.to_document().get("drafting") or {}).get("alternative")
    if chosen:
        return chosen
    if tuple(clause.covers) == ("response_costs",):
        return "defence_costs_only"
    if isinstance(clause, Indemnity) and (clause.cap_per_incident_gbp is not None or clause.cap_annual_gbp is not None):
        return "capped"
    return "uncapped" if isinstance(clause, Indemnity) else "no_fault"


def _scope(clause: Indemnity | RiskPool) -> str:
    scope = clause.applies_to
    if scope.purposes is None and scope.flows is None:
        return "every flow in Schedule 1 of the data sharing agreement"
    return " and ".join(filter(None, [
        f"the flows for {prose_list([purpose_words(p) for p in scope.purposes])}" if scope.purposes else "",
        f"the flows {prose_list([md(f) for f in scope.flows])}" if scope.flows else ""]))


def _losses(covers, alt: str) -> str:
    if alt == "defence_costs_only":
        return "reasonable defence and incident-response costs (legal, investigation and notification costs)"
    parts = []
    if "compensation" in covers:
        parts.append("compensation paid to data subjects (including settlements made with the Indemnifier's "
                     "written agreement)")
    if "response_costs" in covers or "fines" in covers:
        parts.append("reasonable defence and incident-response costs")
    if "fines" in covers:
        parts.append("to the extent the law allows, any regulatory fine or penalty")
    if len(parts) == 1:
        return parts[0]
    return "; ".join(f"({'i' * (n + 1) if n < 3 else 'iv'}) {p}" for n, p in enumerate(parts[:-1])) + \
        f"; and ({'i' * len(parts) if len(parts) < 4 else 'iv'}) {parts[-1]}"


def beneficiaries(model: Model, c: Indemnity) -> list[str]:
    if c.beneficiary_ids:
        return [md(model.party(b).name) for b in c.beneficiary_ids]
    return [f"every {TYPE_WORDS.get(c.beneficiary_type, 'party')} in the partnership"]


def beneficiary_parties(model: Model, c: Indemnity) -> list[str]:
    if c.beneficiary_ids:
        return list(c.beneficiary_ids)
    return [p.id for p in model.parties if p.type == c.beneficiary_type]


def fails_today(model: Model, c: Indemnity) -> set[str]:
    """Beneficiaries that would not meet the condition today: below DSPT Standards Met where the test is DSPT."""
    cond = c.condition
    if cond is None:
        return set()
    dspt_test = cond.probability is None or any("dspt" in t.lower() for t in cond.tests)
    if not dspt_test:
        return set()
    return {pid for pid in beneficiary_parties(model, c) if model.party(pid).effective_dspt_status in BELOW_STANDARDS_MET}


_VERSIONED = re.compile(r"\b(v(ersion)?\s?\d|\d+\.\d+|issue \d)", re.IGNORECASE)


_HOURS = re.compile(r"within (\d+(?:\.\d+)?) hours", re.IGNORECASE)


def _tests(c: Indemnity, notes: Notes, doc: str, notify_hours: str = "") -> list[str]:
    out = []
    for t in (c.condition.tests if c.condition else ()):
        text = md(t).rstrip(".")
        hours = _HOURS.search(t)
        if hours and notify_hours and f"{float(hours.group(1)):g}" != notify_hours:
            text += " (" + notes.todo(doc, f"c-{c.id}", f"which period applies: this test says {hours.group(1)} "
                                                         f"hours, the Notice Period is {notify_hours} hours") + ")"
        if re.search(r"specification|standard operating procedure|\bSOP\b|policy|protocol", t, re.IGNORECASE) \
                and not _VERSIONED.search(t):
            text += " (" + notes.todo(doc, f"c-{c.id}", f"version of the document named in the test '{t}'") + ")"
        out.append(text)
    return out


def _limits(c: Indemnity, alt: str, notes: Notes, doc: str) -> tuple[list[str], bool]:
    """Every money limit as a sentence, and whether the clause is uncapped."""
    lines = [f"Excess: the Beneficiary bears the first {money(c.excess_gbp)} of each incident itself."
             if c.excess_gbp else "Excess: none; the indemnity responds from the first pound."]
    per, annual = c.cap_per_incident_gbp, c.cap_annual_gbp
    if alt == "capped" and per is None and annual is None:
        per_text = notes.todo(doc, f"c-{c.id}", f"cap per incident of '{c.name}' (the capped alternative is chosen)")
        lines.append(f"Cap per incident: the Indemnifier pays at most {per_text} for each Beneficiary for any one "
                     "incident.")
        return lines, False
    lines.append(f"Cap per incident: the Indemnifier pays at most {money(per)} for each Beneficiary for any one "
                 "incident." if per is not None else "Cap per incident: none.")
    lines.append(f"Annual cap: the Indemnifier pays at most {money(annual)} in aggregate for all Beneficiaries for "
                 "incidents in any one year of this agreement." if annual is not None else "Annual cap: none.")
    return lines, per is None and annual is None


def _alternatives(kind: str, giver: str, beneficiary: str, chosen: str) -> list[dict]:
    """Each alternative in one drafted sentence, with each side's usual position."""
    texts = {
        "capped": (f"{giver}'s liability under the clause is limited to [amount] per incident and [amount] a year.",
                   "prefers a cap: a known, approvable maximum (Managing Public Money) it can budget and insure for.",
                   "accepts a cap if it is above the plausible bad year (see the annex's 1-in-1,000 figure)."),
        "uncapped": (f"{giver} bears its share of each covered loss without limit.",
                     "resists an uncapped indemnity: it is an unlimited contingent liability needing Managing "
                     "Public Money approval.",
                     "prefers no cap: personal liability of partners is itself unlimited."),
        "fault_based": (f"{giver} indemnifies only to the extent the loss was caused by its own breach or negligence.",
                        "prefers fault-based cover: it pays only for what it caused.",
                        "resists it: proving fault after an incident is slow and costly, and system-wide sharing "
                        "blurs who caused what."),
        "no_fault": (f"{giver} indemnifies whatever the fault, provided the conditions precedent are met.",
                     "accepts no-fault cover only with objective conditions, an excess and a cap.",
                     "prefers no-fault cover: it responds quickly and does not depend on a fault inquiry."),
        "defence_costs_only": (f"{giver} meets only reasonable defence and incident-response costs, not "
                               "compensation.",
                               "prefers it as the least exposure that still shows support.",
                               "regards it as a fallback: compensation claims are where personal exposure lies."),
    }
    if kind == "risk pool":
        texts = {
            "capped": ("Each member's contribution to the pool is limited to [amount] a year.",
                       "prefers a cap: its share of other members' losses is known and approvable.",
                       "wants the caps high enough that the pool still pays in a bad year."),
            "uncapped": ("Each member contributes its share of every covered loss without limit.",
                         "resists it: an unlimited share of others' losses needs Managing Public Money approval.",
                         "prefers it: the pool then always pays its share."),
            "fault_based": ("Members contribute in proportion to their responsibility for each loss.",
                            "prefers it when it rarely causes incidents.",
                            "resists it: a fault inquiry delays payment and sours the partnership."),
            "no_fault": ("Members contribute in their fixed shares whatever the fault.",
                         "accepts it with a cap and a clear scope.",
                         "prefers it: quick and certain."),
            "defence_costs_only": ("The pool meets only reasonable defence and incident-response costs.",
                                   "prefers it as the least exposure.",
                                   "regards it as a fallback: compensation is where the large losses are."),
        }
    return [{"code": code, "label": DRAFTING_ALTERNATIVE.get(code, code), "text": t, "giver": g,
             "beneficiary": b, "chosen": code == chosen,
             "giver_label": "A contributing member" if kind == "risk pool" else "Giver",
             "beneficiary_label": "A member with a loss" if kind == "risk pool" else "Beneficiary"}
            for code, (t, g, b) in texts.items()]


def _summary(c: Indemnity, uncapped: bool) -> str:
    parts = [f"excess {money(c.excess_gbp)}" if c.excess_gbp else "",
             f"{money(c.cap_per_incident_gbp)} per incident" if c.cap_per_incident_gbp is not None else "",
             f"{money(c.cap_annual_gbp)} a year" if c.cap_annual_gbp is not None else ""]
    text = prose_list([p for p in parts if p])
    return (text + "; " if text else "") + ("no cap" if uncapped else "capped")


def indemnity_terms(model: Model, c: Indemnity, notes: Notes, doc: str, notify_hours: str = "") -> dict:
    alt = alternative(c)
    giver = md(model.party(c.indemnifier).name)
    bens = beneficiaries(model, c)
    fault = (" to the extent that the loss was caused or contributed to by the Indemnifier's breach of the data "
             "sharing agreement or of data protection law" if alt == "fault_based" else
             ", whether or not the Indemnifier was at fault,")
    operative = (f"{giver} (the \"Indemnifier\") shall indemnify {prose_list(bens)} (each a \"Beneficiary\"){fault} "
                 f"for {pct(c.share)} of the following losses that the Beneficiary bears, after the legal allocation "
                 f"between the Parties, because of a personal data breach or other infringement of data protection "
                 f"law on {_scope(c)}: {_losses(c.covers, alt)}.")
    limits, uncapped = _limits(c, alt, notes, doc)
    tests = _tests(c, notes, doc, notify_hours)
    drafting_notes = []
    if uncapped and model.party(c.indemnifier).is_public_body:
        drafting_notes.append(MPM_NOTE)
    if "fines" in c.covers:
        drafting_notes.append(FINES_NOTE)
    if alt == "fault_based":
        drafting_notes.append(FAULT_NOTE)
    failing = fails_today(model, c)
    return {
        "kind": "indemnity", "id": md(c.id), "anchor": f"c-{c.id}", "name": md(c.name), "giver": giver,
        "operative": operative, "tests": tests, "condition": md(c.condition.description) if c.condition and
        c.condition.description else "", "limits": limits, "uncapped": uncapped,
        "public_giver": model.party(c.indemnifier).is_public_body,
        "capped_alternative": ("Capped alternative: \"The Indemnifier's liability under this clause shall not exceed "
                               "[amount] for each Beneficiary for any one incident and [amount] in aggregate in any "
                               "one year.\"" if uncapped else ""),
        "fines": "fines" in c.covers, "notes": drafting_notes, "alternative": DRAFTING_ALTERNATIVE.get(alt, alt),
        "share": pct(c.share), "failing": prose_list(md(model.party(p).name) for p in
                                                       beneficiary_parties(model, c) if p in failing),
        "summary_limits": _summary(c, uncapped),
        "alternatives": _alternatives("indemnity", giver, "the Beneficiary", alt),
    }


def pool_terms(model: Model, c: RiskPool, notes: Notes, doc: str) -> dict:
    alt = alternative(c)
    members = [(md(model.party(m.party).name), pct(m.share)) for m in c.members]
    member_ids = {m.party for m in c.members}
    touched = [f for f in model.flows if member_ids & set(f.parties)]
    scope = (_scope(c) if c.applies_to.flows else
             f"{_scope(c)}, and only those of them to which at least one member is a party"
             f" ({len(touched)} flow(s) today)")
    cap = notes.todo(doc, f"c-{c.id}", f"the most each member of '{c.name}' contributes in a year")
    basis = ("in proportion to each member's responsibility for the loss" if alt == "fault_based"
             else "in the shares below, whatever the fault")
    return {
        "kind": "risk pool", "id": md(c.id), "anchor": f"c-{c.id}", "name": md(c.name),
        "operative": (f"The members of the pool, {prose_list(f'{n} ({s})' for n, s in members)}, share {basis} "
                      f"the following losses that any member bears on {scope}: {_losses(c.covers, alt)}."),
        "members": members, "cap": cap,
        "calls": ("When a member has paid a covered loss, the pool's administrator (the lead party unless the "
                  "members agree otherwise) issues a contribution call to each member for its share; each member "
                  "pays within 30 days of the call."),
        "governance": ("A claim on the pool is decided by the pool board, one representative of each member, by a "
                       "majority of the members' shares; a member with an interest in the claim does not vote on it. "
                       "A disputed decision goes to expert determination."),
        "fines": "fines" in c.covers, "notes": [FINES_NOTE] if "fines" in c.covers else [],
        "alternative": DRAFTING_ALTERNATIVE.get(alt, alt), "share": "members' shares",
        "summary_limits": f"each member's contribution capped at {cap} a year",
        "alternatives": _alternatives("risk pool", "each member", "each member", alt),
    }


def _approval(model: Model, clause: Indemnity, notes: Notes, doc: str) -> str:
    a = clause.approval or {}
    if a.get("body"):
        parts = [md(a["body"]), md(a.get("reference") or ""), long_date(a["date"]) if a.get("date") else ""]
        return ", ".join(p for p in parts if p)
    return notes.todo(doc, "approvals", f"approval of {model.party(clause.indemnifier).name} for '{clause.name}'")


def rss_context(model: Model, item, notes: Notes, base: dict, assessment: dict) -> dict:
    doc = item.name
    clauses, approvals = [], []
    for c in model.clauses:
        if isinstance(c, Indemnity):
            terms = indemnity_terms(model, c, notes, doc, base["partnership"]["notify_hours"])
            terms["approval"] = _approval(model, c, notes, doc)
            if model.party(c.indemnifier).is_public_body or c.approval:
                approvals.append(f"{terms['name']}: {terms['approval']}")
        else:
            terms = pool_terms(model, c, notes, doc)
        clauses.append(terms)
    negotiation = [{"clause": t["name"], "chosen": t["alternative"], "alternatives": t["alternatives"]}
                   for t in clauses]
    return {**base, "clauses": clauses, "approvals": approvals,
            "covers_fines": any(t["fines"] for t in clauses), "basis": BASIS,
            "exposure": exposure_tables(model, assessment), "negotiation": negotiation}


# --- the exposure annex -----------------------------------------------------------------------------------

def _first(stats: Mapping[str, Any], *keys: str) -> Any:
    for k in keys:
        if k in stats:
            return stats[k]
    return None


def _probability(value: Any) -> str:
    if value is None:
        return "not available"
    v = float(value)
    if v <= 0:
        return "never in the simulation"
    if v >= 0.995:
        return "every year"
    years = 1 / v
    return f"{v:.1%} (about 1 year in {years:,.0f})" if years >= 2 else f"{v:.0%}"


def _party_row(model: Model, pid: str, stats: Mapping, base: Mapping, failing: set[str]) -> dict:
    comps = stats.get("components", {})
    party = model.party(pid)
    kind = f" ({TYPE_WORDS[party.type]})" if party.type in PRIMARY_CARE_TYPES else ""
    name = md(party.name) + kind + (" — not covered until the tests are met" if pid in failing else "")
    return {"party": name, "base_mean": money(base.get("mean")), "mean": money(stats.get("mean")),
            "p99_9": money(_first(stats, "p99_9")), "tvar99": money(_first(stats, "tvar99")),
            "p_any": _probability(_first(stats, "p_any")),
            "compensation": money(comps.get("compensation")), "response_costs": money(comps.get("response_costs")),
            "fines": money(comps.get("fines"))}


def _partner_rows(model: Model, res: Mapping) -> list[dict]:
    rows = []
    for pid, v in res.get("partners", {}).items():
        p = model.party(pid)
        label = TYPE_WORDS.get(p.type, "organisation") if p.type in PRIMARY_CARE_TYPES else TYPE_WORDS.get(p.type, "")
        rows.append({"party": f"{md(p.name)} ({label})", "partners": v.get("partners"),
                     "mean": money(_first(v, "mean_per_partner")),
                     "p99_9": money(_first(v, "p99_9_per_partner", "p99_9")),
                     "tvar99": money(_first(v, "tvar99_per_partner", "tvar99")),
                     "p_exceed": _probability(_first(v, "p_exceed_per_partner")),
                     "joint": money(_first(v, "joint_and_several_p99"))})
    return rows


def exposure_tables(model: Model, assessment: dict) -> dict:
    """Per scenario: each party's figures on one basis and the residual by component; per partner."""
    results = assessment["scenarios"]
    base = results["baseline"]
    scenarios = []
    for sid, res in results.items():
        failing: set[str] = set()
        if sid == "baseline":
            name, description = "Legal default (no clauses)", "No risk-sharing clause applies: the legal allocation."
        else:
            scenario = model.scenario(sid)
            for cid in scenario.clauses:
                clause = model.clause(cid)
                if isinstance(clause, Indemnity):
                    failing |= fails_today(model, clause)
            clause_names = prose_list(md(model.clause(c).name) for c in scenario.clauses) or "no clause"
            name = f"Scenario: {md(scenario.name)}"
            description = (f"{md(scenario.description) + ' ' if scenario.description else ''}"
                           f"Clauses applied, in order: {clause_names}.")
        rows = [_party_row(model, p.id, res["parties"][p.id], base["parties"][p.id], failing) for p in model.parties]
        scenarios.append({"id": sid, "name": name, "description": description, "rows": rows,
                          "partners": _partner_rows(model, res),
                          "failing": bool(failing)})
    threshold = assessment.get("partner_threshold_gbp") or (model.assumptions or {}).get("partner_threshold_gbp")
    contractors = prose_list(dict.fromkeys(PARTY_TYPE_PLURAL.get(p.type, TYPE_WORDS.get(p.type, ""))
                                           for p in model.parties if p.type in PRIMARY_CARE_TYPES))
    return {"years": f"{assessment['years']:,}" if "years" in assessment else "the",
            "seed": assessment.get("seed", 0), "scenarios": scenarios,
            "threshold": money(threshold if threshold is not None else 10_000), "contractors": contractors}
