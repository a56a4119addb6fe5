"""Incidents of one chunk of simulated years, and their legal-default allocation (sections 1–4).

Incidents are rare, so counts come first (a Poisson total per flow over the
chunk, each incident's year uniform — the same law as yearly Poisson counts),
and severities are drawn only for incidents that happened. Incidents are
ordered by year, then flow file order, then draw order, which fixes the order in
which annual caps are consumed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .parameters import Layout, fine_cap


@dataclass
class Chunk:
    """The incidents of ``years`` simulated years, allocated to slots (amounts in pounds)."""

    years: int
    year: np.ndarray            # (n,) year within the chunk
    flow: np.ndarray            # (n,) flow index
    slot_party: np.ndarray      # (n, S) party index per slot, -1 unused
    compensation: np.ndarray    # (n, S)
    response_costs: np.ndarray  # (n, S)
    fines: np.ndarray           # (n, S)
    condition_u: np.ndarray     # (n, S, number of indemnity clauses): uniforms for the conditions

    @property
    def n(self) -> int:
        return self.year.size

    def copy(self) -> "Chunk":
        return Chunk(self.years, self.year, self.flow, self.slot_party, self.compensation.copy(),
                     self.response_costs.copy(), self.fines.copy(), self.condition_u)

    def incident_totals(self) -> np.ndarray:
        return (self.compensation + self.response_costs + self.fines).sum(axis=1)


def _lognormal(rng: np.random.Generator, median: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    z = rng.standard_normal(median.shape[0])
    return median * np.exp(sigma * z)


def _fractions(rng: np.random.Generator, layout: Layout, flow: np.ndarray) -> np.ndarray:
    f = layout.flows
    fixed = f.fixed_fraction[flow]
    a, b = f.beta_a[flow], f.beta_b[flow]
    if a.size and np.all(a == a[0]) and np.all(b == b[0]):
        drawn = rng.beta(a[0], b[0], size=flow.size)  # the common case: one Beta for every flow
    else:
        drawn = rng.beta(a, b)
    return np.where(np.isnan(fixed), drawn, fixed)


def simulate_chunk(layout: Layout, rng: np.random.Generator, years: int, n_conditions: int) -> Chunk:
    """Draw and allocate the incidents of ``years`` years."""
    f = layout.flows
    S = layout.slots
    counts = rng.poisson(f.rate * years)
    flow = np.repeat(np.arange(f.rate.size, dtype=np.int32), counts)
    year = rng.integers(0, years, size=flow.size, dtype=np.int32)
    order = np.argsort(year.astype(np.uint16), kind="stable")  # radix sort: chunks hold < 65,536 years
    year, flow = year[order], flow[order]
    n = flow.size

    u_stage = rng.random(n)
    cum = f.stage_cum[flow]
    stage = (u_stage >= cum[:, 0]).astype(np.int8) + (u_stage >= cum[:, 1])
    harm = f.harm[flow]
    harmful = np.flatnonzero(harm > 0)
    fh = flow[harmful]
    affected = np.zeros(n)
    affected[harmful] = f.records[fh] * _fractions(rng, layout, fh)
    response = f.response_fixed[flow] + f.response_per_record[flow] * affected * harm
    compensation = np.zeros(n)
    award = _lognormal(rng, f.award_median[fh], f.award_sigma[fh])
    compensation[harmful] = affected[harmful] * harm[harmful] * f.claim_rate[fh] * award * f.special_mult[fh]

    # Who is responsible for the fine (section 4), then whether the regulator fines them.
    rel = f.relationship[flow]
    u_bearer = rng.random(n)
    fine_slot = np.where(stage < 2, 0, 1).astype(np.int32)
    c2p_recipient = (rel == 1) & (stage == 2)
    fine_slot[rel == 1] = np.where(c2p_recipient[rel == 1] & (u_bearer[rel == 1] < f.fault_share[flow[rel == 1]]), 1, 0)
    joint = np.flatnonzero(rel == 2)
    if joint.size:
        cum_share = np.cumsum(layout.flows.bearer_share[flow[joint]], axis=1)
        fine_slot[joint] = np.minimum((u_bearer[joint, None] >= cum_share).sum(axis=1), layout.base_slots - 1)
    slot_party = f.slot_party[flow]
    fined_party = slot_party[np.arange(n), fine_slot]
    public = layout.parties.is_public[fined_party]
    p_fine = np.where(public, f.fine_p_public[flow], f.fine_p_other[flow])
    u_fine = rng.random(harmful.size)
    fined = harmful[u_fine < p_fine[harmful]]
    fine = np.zeros(n)
    amounts = _lognormal(rng, f.fine_median[flow[fined]], f.fine_sigma[flow[fined]])
    fine[fined] = np.minimum(amounts, fine_cap(layout, flow[fined], fined_party[fined]))

    u_recovery = rng.random(n)
    recovered = c2p_recipient & (u_recovery < f.recovery_p[flow])
    condition_u = rng.random((n, S, n_conditions), dtype=np.float32) if n_conditions else np.zeros((n, S, 0), np.float32)

    # Each amount is written straight into its bearers' cells: an (n, S) weights matrix and its products
    # cost more than the whole of the sampling.
    comp, resp, fines = np.zeros((n, S)), np.zeros((n, S)), np.zeros((n, S))
    comp_flat, resp_flat, fines_flat = comp.reshape(-1), resp.reshape(-1), fines.reshape(-1)
    single = np.flatnonzero(rel != 2)  # independent controllers and controller-to-processor: one bearer
    bearer = np.where((rel[single] == 0) & (stage[single] == 2), 1, 0)  # the recipient bears its own stage
    cell = single * S + bearer
    comp_flat[cell] = compensation[single]
    resp_flat[cell] = response[single]
    if joint.size:
        shares = layout.flows.bearer_share[flow[joint]]
        comp[joint, :layout.base_slots] = compensation[joint, None] * shares
        resp[joint, :layout.base_slots] = response[joint, None] * shares
    rec = np.flatnonzero(recovered)
    if rec.size:  # the controller recovers the processor's share of compensation and response costs
        share = f.fault_share[flow[rec]]
        for arr, total in ((comp, compensation), (resp, response)):
            moved = total[rec] * share
            arr[rec, 0] -= moved
            arr[rec, 1] += moved
    fines_flat[fined * S + fine_slot[fined]] = fine[fined]
    return Chunk(years, year, flow, slot_party, comp, resp, fines, condition_u)
