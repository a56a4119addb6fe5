"""Exact expected annual losses for many variants of one model's assumptions, fast.

``dsa.liability.expected_values`` is the reference (and the test oracle here); it rebuilds the model's
arrays flow by flow, about 80 ms on an ICB-sized model. A tornado needs two evaluations per assumption,
so this module builds the structure once (who bears what, clause scopes) and recomputes only the
parameters an assumption changes, vectorised over flows. Valid where expected values are exact: linear
clauses (no excess, no caps) and means before insurance.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Mapping, Sequence

import numpy as np

from ..assumptions import effective
from ..liability.clauses import apply_clause, compile_clause
from ..liability.parameters import Layout, build_layout
from ..liability.simulate import Incidents, from_cells
from ..model import Model, freeze, thaw

_erf = np.vectorize(math.erf, otypes=[float])


def _phi(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))


def capped_lognormal_mean(median: np.ndarray, sigma: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """E[min(X, cap)] for X log-normal (median, log-sd sigma), elementwise; sigma 0 means fixed."""
    median, sigma, cap = np.broadcast_arrays(np.asarray(median, float), np.asarray(sigma, float), np.asarray(cap, float))
    out = np.minimum(median, cap).astype(float)
    s = sigma > 0
    if s.any():
        mu, sg, lc = np.log(median[s]), sigma[s], np.log(cap[s])
        out[s] = np.exp(mu + sg ** 2 / 2) * _phi((lc - mu - sg ** 2) / sg) + cap[s] * (1 - _phi((lc - mu) / sg))
    return out


class ExactMeans:
    """A model's structure, ready to give each party's exact expected yearly loss under changed assumptions."""

    def __init__(self, model: Model, scenario_id: str = "baseline"):
        self.model = model
        self.scenario_id = scenario_id
        self.clauses = model.scenario_clauses(scenario_id)
        self.base = build_layout(model, effective(model))
        self._risky = [i for i, f in enumerate(model.flows) if f.risk]

    @property
    def linear(self) -> bool:
        return all(not (getattr(c, "excess_gbp", 0) or getattr(c, "cap_per_incident_gbp", None) is not None
                        or getattr(c, "cap_annual_gbp", None) is not None) for c in self.clauses)

    def layout(self, overrides: Mapping[str, Any] | None = None) -> Layout:
        """The base layout with the model's assumptions merged with ``overrides`` (None: the model's own)."""
        if not overrides:
            return self.base
        given = {**thaw(self.model.assumptions), **overrides}
        assumptions = effective(overrides=given)
        model = dataclasses.replace(self.model, assumptions=freeze(given))
        return _relayout(self.base, model, assumptions, self._risky)

    def party_means(self, overrides: Mapping[str, Any] | None = None) -> np.ndarray:
        """(P, 3) expected yearly compensation, response costs and fines per party, after the clauses."""
        layout = self.layout(overrides)
        rows, weights = expected_rows(layout)
        for clause in self.clauses:
            apply_clause(layout, compile_clause(layout, clause), rows, expected=True)
        P = len(layout.parties.ids)
        w = weights[rows.inc]
        out = np.zeros((P, 3))
        for k, arr in enumerate((rows.compensation, rows.response_costs, rows.fines)):
            out[:, k] = np.bincount(rows.party, weights=arr * w, minlength=P)
        return out


def _relayout(base: Layout, model: Model, assumptions, risky: Sequence[int]) -> Layout:
    """``base`` with every assumption-driven array recomputed, vectorised over flows."""
    a = assumptions.values
    flows = model.flows
    status = [model.party(f.recipient).effective_dspt_status for f in flows]
    rate = np.array([a["base_rate"][f.transfer.method] * a["dspt_factor"][s] * a["frequency_factor"][f.transfer.frequency]
                     for f, s in zip(flows, status)], dtype=float).reshape(-1)
    stage = np.array([a["stage"]["source"], a["stage"]["transit"], a["stage"]["recipient"]], dtype=float)
    stage = stage / stage.sum()
    F = len(flows)
    fb = a["fraction_beta"]
    fixed = float(fb) if isinstance(fb, (int, float)) else np.nan
    ab = (1.0, 1.0) if np.isfinite(fixed) else (float(fb[0]), float(fb[1]))
    full = lambda v: np.full(F, float(v))  # noqa: E731
    arrays = dict(
        rate=rate, stage_p=np.tile(stage, (F, 1)), stage_cum=np.tile(np.cumsum(stage)[:2], (F, 1)),
        beta_a=full(ab[0]), beta_b=full(ab[1]), fixed_fraction=full(fixed),
        harm=np.array([a["harm"][f.data.identifiability] for f in flows], dtype=float).reshape(-1),
        special_mult=np.array([a["special_category_multiplier"] if f.data.special_category else 1.0 for f in flows],
                              dtype=float).reshape(-1),
        response_fixed=full(a["response_fixed_gbp"]), response_per_record=full(a["response_per_record_gbp"]),
        claim_rate=full(a["claim_rate"]), award_median=full(a["award_median_gbp"]), award_sigma=full(a["award_sigma"]),
        fine_p_public=full(a["fine_probability"]["public"]), fine_p_other=full(a["fine_probability"]["other"]),
        fine_median=full(a["fine_median_gbp"]), fine_sigma=full(a["fine_sigma"]), fine_cap_gbp=full(a["fine_cap_gbp"]),
        fine_cap_share=full(a["fine_cap_turnover_share"]), fault_share=full(a["processor_fault_share"]),
        recovery_p=full(a["recovery_probability"]),
    )
    if risky:  # flows with their own `risk` overrides: their rows as the engine builds them
        own = build_layout(dataclasses.replace(model, flows=tuple(flows[i] for i in risky)), assumptions).flows
        for k in arrays:
            arrays[k][list(risky)] = getattr(own, k)
    fa = dataclasses.replace(base.flows, **arrays)
    pa = dataclasses.replace(base.parties, condition_p=np.array(
        [a["condition_probability"][p.effective_dspt_status] for p in model.parties], dtype=float))
    return dataclasses.replace(base, model=model, assumptions=assumptions, flows=fa, parties=pa)


def expected_rows(layout: Layout) -> tuple[Incidents, np.ndarray]:
    """Expected incidents as rows (four per flow: source, transit, and the recipient stage with and without
    recovery from a processor) holding expected amounts per slot, and each row's yearly weight."""
    f, pa = layout.flows, layout.parties
    F, S, sb = f.rate.size, layout.slots, layout.base_slots
    fraction = np.where(np.isfinite(f.fixed_fraction), f.fixed_fraction, f.beta_a / (f.beta_a + f.beta_b))
    harmful = f.harm > 0
    affected = np.where(harmful, f.records * fraction, 0.0)
    resp = f.response_fixed + f.response_per_record * affected * f.harm
    comp = affected * f.harm * f.claim_rate * f.award_median * np.exp(f.award_sigma ** 2 / 2) * f.special_mult
    # Expected fine if a slot's party is the one fined: probability by public status × capped log-normal mean.
    q = np.where(f.slot_party >= 0, f.slot_party, 0)
    public = pa.is_public[q]
    p_fine = np.where(public, f.fine_p_public[:, None], f.fine_p_other[:, None])
    turnover = pa.turnover[q]
    cap = np.maximum(f.fine_cap_gbp[:, None], np.where(np.isnan(turnover), 0.0, turnover * f.fine_cap_share[:, None]))
    fine_slot = np.where((f.slot_party >= 0) & harmful[:, None],
                         p_fine * capped_lognormal_mean(f.fine_median[:, None], f.fine_sigma[:, None], cap), 0.0)
    rel = f.relationship
    fs = f.fault_share
    # Bearer weights and fine probabilities per slot, for the four rows of each flow.
    w = np.zeros((F, 4, S))
    fp = np.zeros((F, 4, S))
    ind, c2p, joint = rel == 0, rel == 1, rel == 2
    for r in range(4):
        recipient_stage = r >= 2
        w[ind, r, 1 if recipient_stage else 0] = 1.0
        fp[ind, r, 1 if recipient_stage else 0] = 1.0
        w[c2p, r, 0] = 1.0
        if recipient_stage:
            fp[c2p, r, 0], fp[c2p, r, 1] = 1 - fs[c2p], fs[c2p]
        else:
            fp[c2p, r, 0] = 1.0
        w[joint, r, :sb] = f.bearer_share[joint]
        fp[joint, r, :sb] = f.bearer_share[joint]
    w[c2p, 2, 0], w[c2p, 2, 1] = 1 - fs[c2p], fs[c2p]  # row 2: the controller recovered the processor's share
    case = np.ones((F, 4))
    case[:, 3] = 0.0
    case[c2p, 2], case[c2p, 3] = f.recovery_p[c2p], 1 - f.recovery_p[c2p]
    stage_of_row = np.array([0, 1, 2, 2])
    weights = (f.rate[:, None] * f.stage_p[:, stage_of_row] * case).reshape(-1)
    n = F * 4
    flow = np.repeat(np.arange(F, dtype=np.int32), 4)
    rows = from_cells(1, np.zeros(n, dtype=np.int32), flow, f.slot_party[flow].reshape(n, S),
                      (comp[:, None, None] * w).reshape(n, S), (resp[:, None, None] * w).reshape(n, S),
                      (fp * fine_slot[:, None, :]).reshape(n, S), np.zeros((n, S, 0), np.float32))
    return rows, weights
