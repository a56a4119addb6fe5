"""Figures in sentences a partner can follow: how a practice's loss becomes each partner's, scenario by scenario.

Pure functions of the model and the assessment's JSON (no Streamlit), so they
are tested directly. Tail keys (``p99_9``, ``tvar99``, ``p_any`` and the
per-partner ones) are read when the assessment has them.
"""

from __future__ import annotations

from typing import Mapping

from .. import labels
from ..model import PRIMARY_CARE_TYPES, Indemnity, Model, RiskPool
from .text import money, one_in, percent

COMPONENT_WORDS = {"compensation": "compensation", "response_costs": "response costs", "fines": "fines"}


def tail(stats: Mapping, key: str, net: bool = False):
    """A tail figure from a party's or partner's statistics, under the names the assessment may use."""
    names = [f"net_{key}", f"{key}_net"] if net else []
    names += [key, f"{key}_per_partner"]
    for name in names:
        if isinstance(stats.get(name), (int, float)):
            return stats[name]
    return None


def scenario_label(sid: str, names: Mapping[str, str]) -> str:
    return "With no risk-sharing clause (the legal default)" if sid == "baseline" else names.get(sid, sid)


def _words(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def clause_effect(model: Model, clause, party_id: str) -> str:
    """Whether a clause touches this party, and why not when it does not."""
    party_names = {p.id: p.name for p in model.parties}
    flows = model.flows_of_party(party_id)
    in_scope = [f for f in flows if clause.applies_to.matches(f)]
    if isinstance(clause, Indemnity):
        giver = party_names.get(clause.indemnifier, clause.indemnifier)
        if party_id not in model.beneficiaries(clause):
            return f"'{clause.name}' does not cover this practice: it is not one of the beneficiaries"
        if not in_scope:
            return f"'{clause.name}' covers none of this practice's flows, so it changes nothing here"
        covered = _words(COMPONENT_WORDS.get(c, c) for c in clause.covers)
        text = (f"under '{clause.name}', {giver} takes over {clause.share:.0%} of the practice's {covered} "
                f"on {len(in_scope)} of its {len(flows)} flows")
        if clause.excess_gbp:
            text += f" above an excess of {money(clause.excess_gbp)} per incident"
        caps = [f"{money(clause.cap_per_incident_gbp)} per incident" if clause.cap_per_incident_gbp else None,
                f"{money(clause.cap_annual_gbp)} a year" if clause.cap_annual_gbp else None]
        if any(caps):
            text += ", capped at " + _words(c for c in caps if c)
        if clause.condition is not None:
            condition = clause.condition.description or "the clause's condition"
            text += f", only if it meets the condition ('{condition}')"
        return text
    if isinstance(clause, RiskPool):
        members = {m.party: m.share for m in clause.members}
        if party_id not in members:
            return f"'{clause.name}' pools other parties' losses; this practice is not a member, so it changes nothing here"
        if not in_scope:
            return f"'{clause.name}' covers none of this practice's flows"
        return (f"under '{clause.name}', the members pool their losses on the flows in scope and this practice "
                f"bears {members[party_id]:.0%} of the pool")
    return f"'{getattr(clause, 'name', '?')}' applies"


def partner_sentence(model: Model, result: Mapping, party_id: str, sid: str) -> str:
    """One paragraph: the practice's loss in this scenario, the clause's part, insurance, and each partner's share."""
    party = model.party(party_id)
    names = {s.id: s.name for s in model.scenarios}
    scenario = result["scenarios"][sid]
    stats = scenario["parties"][party_id]
    base = result["scenarios"]["baseline"]["parties"][party_id]
    partners = (scenario.get("partners") or {}).get(party_id) or {}
    p_any = tail(stats, "p_any")
    odds = f"it has a loss in {one_in(p_any)}; " if p_any is not None else ""
    hundred = (f"1 year in 100 is worse than {money(stats['p99'])}" if stats["p99"] > 0 else
               "in at least 99 years out of 100 it bears nothing")
    parts = [f"{scenario_label(sid, names)}: the practice can expect to bear {money(stats['mean'])} a year on "
             f"average ({odds}{hundred}"]
    worst = tail(stats, "p99_9")
    parts[0] += f"; 1 year in 1,000 is worse than {money(worst)})" if worst is not None else ")"
    if sid != "baseline":
        clauses = model.scenario_clauses(sid)
        effects = [clause_effect(model, c, party_id) for c in clauses]
        difference = stats["mean"] - base["mean"]
        if round(difference) == 0:
            parts.append("the same as with no clause, because " + "; ".join(effects))
        else:
            parts.append(f"{money(abs(difference))} {'less' if difference < 0 else 'more'} than with no clause, "
                         "because " + "; ".join(effects))
    insurance = party.insurance
    net_mean = stats.get("net_mean", stats["mean"])
    if insurance is not None and (insurance.cyber_limit_gbp or 0) > 0:
        parts.append(f"its cyber insurance pays compensation and response costs above the "
                     f"{money(insurance.excess_gbp)} excess, up to {money(insurance.cyber_limit_gbp)} (never fines), "
                     f"leaving {money(net_mean)} a year on average")
    else:
        parts.append("no cyber insurance is recorded, so nothing offsets it")
    if party.has_personal_exposure:
        count = party.partner_count
        if party.legal_form == "sole_trader":
            share = (f"the sole trader carries all of it personally: {money(partners.get('mean_per_partner', net_mean))}"
                     " a year on average")
        else:
            share = (f"the {count} partners share it equally, {money(partners.get('mean_per_partner'))} each a year on "
                     f"average; being jointly and severally liable, one partner can be asked for the whole of it, "
                     f"{money(partners.get('joint_and_several_p99'))} in a 1-in-100 year")
        each = tail(partners, "p99_9")
        if each is not None:
            share += f"; 1 year in 1,000 is worse than {money(each)} for each partner"
        exceed = partners.get("p_exceed_per_partner")
        if isinstance(exceed, (int, float)):
            limit = result.get("partner_threshold_gbp")
            share += (f"; a partner's share passes {money(limit) if limit else 'the threshold'} in "
                      f"{one_in(exceed)} ({percent(exceed)})")
        parts.append(share)
    else:
        parts.append(f"as a {labels.label('legal_form', party.legal_form).lower()}, the practice's owners carry "
                     "no personal exposure")
    return "; ".join(parts[:2]) + ". " + ". ".join(p[:1].upper() + p[1:] for p in parts[2:]) + "."


def primary_care(model: Model) -> list:
    """Every primary care contractor (GP, dental, optometry, pharmacy), in model order."""
    return [p for p in model.parties if p.type in PRIMARY_CARE_TYPES]
