"""Exact expected annual losses: instant previews, and the oracle the simulation is tested against.

Each flow becomes a few *expected incidents* — one per stage (and, on a
controller-to-processor flow, per recovery outcome) — weighted by how often it
happens, holding the expected compensation, response costs and fines per slot.
Without excess or caps every clause is linear, so applying it to expected
amounts (with the condition's probability in place of its draw) gives the
exact expected result. Insurance is not linear: ``net_mean`` is then None.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..assumptions import effective
from ..model import Model
from .assessment import SimulationConfig, assess, resolve_scenarios
from .assessment import joint_extra as joint_extra_of
from .clauses import apply_clause, compile_clause
from .parameters import Layout, build_layout, fine_cap
from .simulate import Incidents, from_cells


def lognormal_capped_mean(median: float, sigma: float, cap: float) -> float:
    """E[min(X, cap)] for X log-normal with the given median and log-sd (the partial expectation)."""
    if sigma <= 0:
        return min(median, cap)
    mu = math.log(median)
    phi = lambda x: 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))  # noqa: E731
    lc = math.log(cap)
    return math.exp(mu + sigma ** 2 / 2) * phi((lc - mu - sigma ** 2) / sigma) + cap * (1 - phi((lc - mu) / sigma))


def _expected_rows(layout: Layout) -> tuple[Incidents, np.ndarray]:
    """Expected incidents (an entry for every used slot, clause parties' included) and each one's yearly
    weight."""
    f, pa = layout.flows, layout.parties
    S, sb = layout.slots, layout.base_slots
    flows, weights, comps, resps, fines = [], [], [], [], []
    for i in range(f.rate.size):
        fraction = f.fixed_fraction[i] if np.isfinite(f.fixed_fraction[i]) else f.beta_a[i] / (f.beta_a[i] + f.beta_b[i])
        harm = f.harm[i]
        affected = f.records[i] * fraction if harm > 0 else 0.0
        resp = f.response_fixed[i] + f.response_per_record[i] * affected * harm
        comp = (affected * harm * f.claim_rate[i] * f.award_median[i] * math.exp(f.award_sigma[i] ** 2 / 2)
                * f.special_mult[i])
        slots = f.slot_party[i]

        def fine_in(slot: int) -> float:
            if harm <= 0:
                return 0.0
            q = int(slots[slot])
            p = f.fine_p_public[i] if pa.is_public[q] else f.fine_p_other[i]
            cap = float(fine_cap(layout, np.array([i]), np.array([q]))[0])
            return p * lognormal_capped_mean(f.fine_median[i], f.fine_sigma[i], cap)

        rel = f.relationship[i]
        for stage in range(3):
            cases = [(1.0, False)]
            if rel == 1 and stage == 2:
                cases = [(f.recovery_p[i], True), (1 - f.recovery_p[i], False)]
            for p_case, recovered in cases:
                w = np.zeros(S)
                fine_p = np.zeros(S)  # probability that each slot is the one fined
                if rel == 0:
                    w[0 if stage < 2 else 1] = 1.0
                    fine_p[0 if stage < 2 else 1] = 1.0
                elif rel == 1:
                    w[0] = 1.0
                    if recovered:
                        w[0], w[1] = 1 - f.fault_share[i], f.fault_share[i]
                    fine_p[0] = 1.0 if stage < 2 else 1 - f.fault_share[i]
                    fine_p[1] = 0.0 if stage < 2 else f.fault_share[i]
                else:
                    w[:sb] = f.bearer_share[i]
                    fine_p[:sb] = f.bearer_share[i]
                flows.append(i)
                weights.append(f.rate[i] * f.stage_p[i, stage] * p_case)
                comps.append(comp * w)
                resps.append(resp * w)
                fines.append(np.array([fine_p[s] * fine_in(s) if fine_p[s] > 0 else 0.0 for s in range(S)]))
    n = len(flows)
    flow = np.array(flows, dtype=np.int32)
    rows = from_cells(1, np.zeros(n, dtype=np.int32), flow, f.slot_party[flow].reshape(n, S),
                      np.array(comps).reshape(n, S), np.array(resps).reshape(n, S), np.array(fines).reshape(n, S),
                      np.zeros((n, S, 0), np.float32))
    return rows, np.array(weights)


def _party_means(layout: Layout, rows: Incidents, weights: np.ndarray) -> np.ndarray:
    """(P, 3) expected yearly compensation, response costs and fines per party."""
    P = len(layout.parties.ids)
    out = np.zeros((P, 3))
    w = weights[rows.inc]
    for k, arr in enumerate((rows.compensation, rows.response_costs, rows.fines)):
        out[:, k] = np.bincount(rows.party, weights=arr * w, minlength=P)
    return out


def expected_values(model: Model, scenarios: Sequence[str] | None = None, threshold_gbp: float | None = None,
                    *, config: SimulationConfig = SimulationConfig()) -> dict:
    """The ``assess --expected`` document of cli.md.

    A scenario whose clauses have an excess or caps is not linear: it is marked ``"exact": false`` and its
    figures come from a simulation with ``config`` (whose years and seed the document then carries).
    """
    assumptions = effective(model)
    layout = build_layout(model, assumptions)
    ids = resolve_scenarios(model, scenarios)
    base_rows, weights = _expected_rows(layout)
    joint_extra = joint_extra_of(layout, base_rows, weights)
    joint_parties = {s.party for f in model.flows for s in f.controller_shares}
    threshold = float(assumptions["threshold_gbp"] if threshold_gbp is None else threshold_gbp)
    doc: dict = {"expected": True, "threshold_gbp": threshold, "scenarios": {}}
    simulated = None
    for sid in ids:
        compiled = [compile_clause(layout, c) for c in model.scenario_clauses(sid)]
        if not all(cc.is_linear for cc in compiled):
            if simulated is None:
                simulated = assess(model, scenarios=[s for s in ids if s != "baseline"], config=config,
                                   threshold_gbp=threshold)
                doc["years"], doc["seed"] = config.years, config.seed
            sim = simulated.scenario_json(sid)
            doc["scenarios"][sid] = {
                "exact": False,
                "parties": {pid: {k: v[k] for k in ("mean", "components", "net_mean", "joint_worst_case_mean")
                                  if k in v} for pid, v in sim["parties"].items()},
                "partners": {pid: {"partners": v["partners"], "mean_per_partner": v["mean_per_partner"]}
                             for pid, v in sim["partners"].items()},
                "total": {"mean": sim["total"]["mean"]}}
            continue
        rows = base_rows.copy()
        for cc in compiled:
            apply_clause(layout, cc, rows, expected=True)
        means = _party_means(layout, rows, weights)
        parties, partners = {}, {}
        for i, party in enumerate(model.parties):
            mean = float(means[i].sum())
            insured = party.insurance is not None and (party.insurance.cyber_limit_gbp or 0) > 0
            entry = {"mean": mean,
                     "components": {"compensation": float(means[i, 0]), "response_costs": float(means[i, 1]),
                                    "fines": float(means[i, 2])},
                     "net_mean": None if insured else mean}
            if party.id in joint_parties:
                entry["joint_worst_case_mean"] = mean + float(joint_extra[i])
            parties[party.id] = entry
            if party.has_personal_exposure:
                partners[party.id] = {"partners": party.partner_count,
                                      "mean_per_partner": None if insured else mean / party.partner_count}
        doc["scenarios"][sid] = {"exact": True, "parties": parties, "partners": partners,
                                 "total": {"mean": float(means.sum())}}
    return doc


def flow_expected_losses(model: Model) -> dict[str, float]:
    """Each flow's exact expected yearly loss (all parties, all components) before any clause or insurance."""
    layout = build_layout(model, effective(model))
    rows, weights = _expected_rows(layout)
    totals = rows.incident_totals() * weights
    by_flow = np.bincount(rows.flow, weights=totals, minlength=len(model.flows))
    return {f.id: float(by_flow[i]) for i, f in enumerate(model.flows)}
