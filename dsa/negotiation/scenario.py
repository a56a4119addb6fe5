"""The solved clause as a scenario in the model: for ``dsa solve --write`` and the page's "Add as a scenario"."""

from __future__ import annotations

import copy
from typing import Mapping

from ..labels import label
from .solver import Solution

VARY_WORDS = {"share": "share", "cap_per_incident_gbp": "cap per incident", "cap_annual_gbp": "annual cap",
              "excess_gbp": "excess"}


def value_words(vary: str, value: float) -> str:
    """A solved value as people write it: "72%" or "£31,000"."""
    return f"{value:.0%}" if vary == "share" else f"£{value:,.0f}"


def scenario_id(clause_id: str) -> str:
    return f"solved-{clause_id}"


def solved_document(doc: Mapping, *, clause_id: str, clause_name: str, vary: str, value: float,
                    targets_in_words: str, arrangement: list[str]) -> dict:
    """``doc`` with the clause's varied field set to ``value`` and a scenario ``solved-<clause id>``
    (name "Solved: <clause name>") holding ``arrangement`` (the clause ids assessed, in order)."""
    out = copy.deepcopy(dict(doc))
    clause = next(c for c in out["clauses"] if c.get("id") == clause_id)
    clause[vary] = round(value, 2) if vary == "share" else int(round(value))
    scenario = {"id": scenario_id(clause_id), "name": f"Solved: {clause_name}",
                "description": f"{VARY_WORDS[vary].capitalize()} set to {value_words(vary, value)}, the least "
                               f"generous value meeting: {targets_in_words}.",
                "clauses": list(arrangement)}
    scenarios = [s for s in out.get("scenarios", []) if s.get("id") != scenario["id"]]
    out["scenarios"] = scenarios + [scenario]
    return out


def solution_document(doc: Mapping, solution: Solution, arrangement: list[str]) -> dict:
    """:func:`solved_document` for a feasible :class:`Solution`."""
    if not solution.feasible or solution.value is None:
        raise ValueError("only a feasible solution has a value to write")
    words = "; ".join(t.words(solution.limits.get(t.subject)) for t in solution.targets)
    return solved_document(doc, clause_id=solution.clause.id, clause_name=solution.clause.name, vary=solution.vary,
                           value=solution.value, targets_in_words=words, arrangement=arrangement)


def giver_name(model, solution: Solution) -> str:
    return model.party(solution.clause.indemnifier).name


def party_words(model, party_id: str | None) -> str:
    if party_id is None:
        return "—"
    p = model.party(party_id)
    return f"{p.name} ({label('type', p.type)})"
