"""The clause solver (negotiation.md §3): the least generous value of one clause field meeting every target.

Incidents are simulated once; every candidate value is applied to the same incidents (common random
numbers), so figures move only with the value. Monotonicity (liability-model.md §8) makes the search a
bisection over a grid (share 0.01, caps £1,000, excess £100); candidates are assessed in batches.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

from ..errors import ModelError
from ..liability import SimulationConfig, simulate
from ..model import Indemnity, Model
from .figures import party_figures, thresholds
from .reasons import reasons_for
from .targets import Target, TargetError, parties_for_target

# field → (resolution, True when a larger value is more generous)
VARY = {"share": (0.01, True), "cap_per_incident_gbp": (1_000.0, True), "cap_annual_gbp": (1_000.0, True),
        "excess_gbp": (100.0, False)}
FRONTIER_POINTS = 11
BATCH = 3  # candidates per assessment of the kept incidents: two rounds narrow a frontier gap of ten steps
GIVER_METRICS = ("mean", "p99_9", "tvar99")


@dataclass
class Solution:
    clause: Indemnity
    vary: str
    targets: list[Target]
    scenario_id: str | None
    parties: tuple[str, ...]
    feasible: bool
    value: float | None
    achieved: dict[str, float]
    binding: dict[str, str | None]
    giver: dict[str, dict[str, float]]
    added_cost: dict[str, float]  # per giver: mean a year at the answer minus at the value that gives nothing
    frontier: list[dict]
    reasons: list[dict]
    years: int
    seed: int
    limits: dict[str, float] = field(default_factory=dict)
    arrangement: tuple[str, ...] = ()  # the clause ids assessed, in order

    def to_json(self) -> dict:
        return {"clause": self.clause.id, "vary": self.vary, "targets": [t.text for t in self.targets],
                "feasible": self.feasible, "value": self.value, "achieved": self.achieved,
                "binding": self.binding, "giver": self.giver, "added_cost": self.added_cost,
                "frontier": self.frontier,
                "reasons": self.reasons, "scenario": self.scenario_id, "parties": list(self.parties),
                "arrangement": list(self.arrangement), "limits": self.limits,
                "years": self.years, "seed": self.seed}


def arrangement(model: Model, clause: Indemnity, scenario_id: str | None) -> tuple[str | None, list]:
    """The scenario assessed (given, else the first containing the clause, else none) and its clauses."""
    if scenario_id is None:
        scenario_id = next((s.id for s in model.scenarios if clause.id in s.clauses), None)
        if scenario_id is None:
            return None, [clause]
    clauses = list(model.scenario_clauses(scenario_id))
    if clause.id not in [c.id for c in clauses]:
        raise ModelError(f"scenario {scenario_id!r} does not contain clause {clause.id!r}")
    return scenario_id, clauses


def solvable_clause(model: Model, clause_id: str, vary: str) -> Indemnity:
    clause = model.clause(clause_id)
    if not isinstance(clause, Indemnity):
        raise ModelError(f"clause {clause_id!r} is a risk pool; only an indemnity's share, caps or excess "
                         "can be solved for")
    if vary not in VARY:
        raise ModelError(f"--vary {vary!r} is not one of {', '.join(VARY)}")
    return clause


def solve(model: Model, clause_id: str, vary: str, targets: Sequence[Target], parties: Sequence[str], *,
          scenario_id: str | None = None, config: SimulationConfig = SimulationConfig(),
          progress: Callable[[float], None] | None = None) -> Solution:
    """Solve for ``vary`` of clause ``clause_id`` so that every target holds for every targeted party."""
    clause = solvable_clause(model, clause_id, vary)
    if not targets:
        raise TargetError("give at least one target")
    scenario_id, clauses = arrangement(model, clause, scenario_id)
    parties = tuple(parties)
    if clause.indemnifier in parties:
        raise TargetError(f"{model.party(clause.indemnifier).name} ({clause.indemnifier}) gives this indemnity; "
                          "a target limits what a party bears, so leave the giver out of --for")
    applies = {t.text: parties_for_target(model, t, parties) for t in targets}
    for t in targets:
        if not applies[t.text]:
            raise TargetError(f"target {t.text!r}: no targeted party has personal exposure (a partnership or "
                              "sole trader)")
    position = [c.id for c in clauses].index(clause.id)
    report = progress or (lambda f: None)
    sim = simulate(model, config, progress=lambda f: report(0.6 * f))
    limits = thresholds(sim.assumptions)
    resolution, up = VARY[vary]
    largest = sim.max_year_loss if vary == "cap_annual_gbp" else sim.max_incident_loss
    top = 100 if vary == "share" else max(1, math.ceil(largest / resolution))

    def value_of(g: int) -> float:
        """The value at generosity rank g (0 the least generous, top the most)."""
        i = g if up else top - g
        return round(i * resolution, 2) if vary == "share" else float(i * resolution)

    results: dict[int, dict] = {}

    def evaluate(ranks: Sequence[int]) -> None:
        ranks = [g for g in dict.fromkeys(ranks) if g not in results]
        if not ranks:
            return
        variants = {}
        for g in ranks:
            varied = dataclasses.replace(clause, **{vary: value_of(g)})
            variants[f"g{g}"] = clauses[:position] + [varied] + clauses[position + 1:]
        assessment = sim.assess(variants)
        for g in ranks:
            results[g] = _figures(assessment, f"g{g}", targets, applies, clause, limits)

    def meets(g: int) -> bool:
        return all(t.met(results[g]["targets"][t.text][0]) for t in targets)

    frontier_ranks = sorted({round(k * top / (FRONTIER_POINTS - 1)) for k in range(FRONTIER_POINTS)})
    evaluate(frontier_ranks)
    report(0.8)
    feasible = meets(top)
    if not feasible:
        answer = top
    elif meets(0):
        answer = 0
    else:
        lo = max(g for g in frontier_ranks if not meets(g))         # fails
        hi = min(g for g in frontier_ranks if g > lo and meets(g))  # meets
        while hi - lo > 1:
            step = (hi - lo) / (min(BATCH, hi - lo - 1) + 1)
            probe = sorted({lo + max(1, round(step * (k + 1))) for k in range(min(BATCH, hi - lo - 1))} - {hi})
            evaluate(probe)
            for g in probe:
                if meets(g):
                    hi = g
                    break
                lo = g
        answer = hi
    report(0.95)
    at = results[answer]
    achieved = {t.text: at["targets"][t.text][0] for t in targets}
    binding = _binding(targets, results, answer, feasible)
    reasons = reasons_for(model, clause, sim.assumptions, targets, applies, at, feasible, limits)
    frontier = [{"value": value_of(g), "targets": {t: f for t, (f, _) in results[g]["targets"].items()},
                 "giver": results[g]["giver"]} for g in frontier_ranks]
    frontier.sort(key=lambda row: row["value"])
    report(1.0)
    return Solution(clause=clause, vary=vary, targets=list(targets), scenario_id=scenario_id, parties=parties,
                    feasible=feasible, value=value_of(answer) if feasible else None, achieved=achieved,
                    binding=binding, giver=at["giver"],
                    added_cost={g: at["giver"][g]["mean"] - results[0]["giver"][g]["mean"] for g in at["giver"]},
                    frontier=frontier, reasons=reasons,
                    years=config.years, seed=config.seed, limits=limits,
                    arrangement=tuple(c.id for c in clauses))


def _figures(assessment, name: str, targets, applies, clause: Indemnity, limits) -> dict:
    """Worst figure (and whose) per target, the giver's figures, and each party's component means."""
    out: dict = {"targets": {}, "giver": {}, "components": {}}
    cache: dict[tuple[str, bool], dict] = {}

    def figs(pid: str, per_partner: bool) -> dict:
        key = (pid, per_partner)
        if key not in cache:
            cache[key] = party_figures(assessment, name, pid, per_partner=per_partner)
        return cache[key]

    for t in targets:
        worst = max(((figs(p, t.subject == "partner")[t.metric], p) for p in applies[t.text]),
                    key=lambda x: x[0])
        out["targets"][t.text] = worst
    g = figs(clause.indemnifier, False)
    out["giver"] = {clause.indemnifier: {k: g[k] for k in GIVER_METRICS}}
    losses = assessment.losses[name]
    model = assessment.model
    for pid in {p for ps in applies.values() for p in ps}:
        i = model.party_position(pid)
        out["components"][pid] = {c: float(losses.component_sums[i, k] / losses.years)
                                  for k, c in enumerate(("compensation", "response_costs", "fines"))}
    return out


def _binding(targets, results: dict[int, dict], answer: int, feasible: bool) -> dict[str, str | None]:
    """The target (and party) that stops a less generous value: failing one step below the answer, or,
    when even the most generous fails or nothing is needed, the one closest to (or furthest past) its limit."""
    below = results.get(answer - 1) if feasible else None
    pick = results[answer]
    if below is not None:
        failing = [t for t in targets if not t.met(below["targets"][t.text][0])]
        if failing:
            t = failing[0]
            return {"target": t.text, "party": below["targets"][t.text][1]}

    def ratio(t: Target) -> float:
        figure = pick["targets"][t.text][0]
        return figure / t.value if t.value > 0 else (math.inf if figure > 0 else 0.0)

    t = max(targets, key=ratio)
    return {"target": t.text, "party": pick["targets"][t.text][1]}
