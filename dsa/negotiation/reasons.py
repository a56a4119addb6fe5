"""Why a clause cannot bring a party within a target, taken from the model (negotiation.md §3)."""

from __future__ import annotations

from ..labels import COMPONENT, DSPT_STATUS
from ..model import Indemnity, Model
from ..text import money
from .targets import beneficiaries


def reasons_for(model: Model, clause: Indemnity, assumptions, targets, applies, at: dict, feasible: bool,
                limits: dict) -> list[dict]:
    """Reasons for each targeted party the clause cannot help, and (when infeasible) for each party that
    still fails a target at the most generous value: what the clause leaves with it."""
    out: list[dict] = []
    covered = set(beneficiaries(model, clause))
    targeted = list(dict.fromkeys(p for ps in applies.values() for p in ps))
    for pid in targeted:
        if pid not in covered:
            out.append({"reason": "not_beneficiary", "party": pid,
                        "text": f"{model.party(pid).name} is not a beneficiary of “{clause.name}”, "
                                "so the clause cannot lower its figures."})
    if feasible:
        return out
    failing = []
    for t in targets:
        figure, pid = at["targets"][t.text]
        if not t.met(figure) and pid is not None and pid not in failing:
            failing.append(pid)
    for pid in failing:
        party = model.party(pid)
        if pid not in covered:
            continue  # already said
        comps = at["components"].get(pid, {})
        uncovered = [c for c in ("compensation", "response_costs", "fines")
                     if c not in clause.covers and comps.get(c, 0.0) > 0]
        if uncovered:
            names = " and ".join(COMPONENT[c].lower() for c in uncovered)
            amount = sum(comps[c] for c in uncovered)
            why = (" Fines are not insurable, and an indemnity against a regulatory fine is probably "
                   "unenforceable." if "fines" in uncovered else "")
            out.append({"reason": "not_covered", "party": pid, "components": uncovered,
                        "text": f"The clause does not cover {names}, which {party.name} still bears "
                                f"({money(amount)} a year on average).{why}"})
        outside = [f for f in model.flows if pid in f.parties and not clause.applies_to.matches(f)]
        if outside:
            shown = ", ".join(f.name for f in outside[:3]) + (f" and {len(outside) - 3} more" if len(outside) > 3 else "")
            verb = "is" if len(outside) == 1 else "are"
            out.append({"reason": "outside_scope", "party": pid, "flows": [f.id for f in outside],
                        "text": f"{len(outside)} of {party.name}'s flows {verb} outside the clause's scope "
                                f"({shown}), so those losses stay with it."})
        if clause.condition is not None:
            p = clause.condition.probability
            status = party.effective_dspt_status
            if p is None:
                p = float(assumptions["condition_probability"][status])
            if p < 1:
                basis = ("" if clause.condition.probability is not None
                         else f", given its DSPT status {DSPT_STATUS.get(status, status)}")
                out.append({"reason": "condition", "party": pid, "probability": p,
                            "text": f"The clause's condition fails for {party.name} with probability "
                                    f"{1 - p:.0%}{basis}; then the clause pays nothing."})
        ins = party.insurance
        if ins is not None and (ins.cyber_limit_gbp or 0) > 0:
            out.append({"reason": "insurance", "party": pid,
                        "text": f"{party.name}'s cyber insurance already pays insurable loss above its "
                                f"{money(ins.excess_gbp)} excess up to {money(ins.cyber_limit_gbp)}, so the "
                                "clause lowers its net loss only within the excess or above the limit."})
    return out
