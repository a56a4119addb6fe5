"""Incidents of one chunk of simulated years, and their legal-default allocation (sections 1–4).

Incidents are rare, so counts come first (a Poisson total per flow over the
chunk, each incident's year uniform — the same law as yearly Poisson counts),
and severities are drawn only for incidents that happened. Incidents are
ordered by year, then flow file order, then draw order, which fixes the order in
which annual caps are consumed.

Losses are held as *entries*, one per (incident, party) that bears something:
about 1.2 per incident, where a dense incident × slot array would hold one cell
for every slot of every incident. Entries are ordered by (incident, slot); the
slot (the party's column in the model's slot layout, see ``parameters``) only
orders them and picks each party's condition draw, so results do not depend on
how the entries are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .parameters import Layout, fine_cap

AMOUNTS = ("compensation", "response_costs", "fines")


@dataclass
class Incidents:
    """The incidents of ``years`` simulated years and the entries of what each party bears (pounds)."""

    years: int
    slots: int                  # S: slots of the layout (orders entries, indexes condition draws)
    year: np.ndarray            # (n,) year within the chunk
    flow: np.ndarray            # (n,) flow index
    condition_u: np.ndarray     # (n, S, number of indemnity clauses): uniforms for the conditions
    inc: np.ndarray             # (m,) entry → incident
    slot: np.ndarray            # (m,) entry → slot
    party: np.ndarray           # (m,) entry → party index
    compensation: np.ndarray    # (m,)
    response_costs: np.ndarray  # (m,)
    fines: np.ndarray           # (m,)
    compiled: bool = False      # made (and so added to and summarised) by the compiled kernels

    @property
    def n(self) -> int:
        return self.year.size

    def copy(self) -> "Incidents":
        """A copy whose amounts clauses may change (entry arrays are replaced, never written in place)."""
        return replace(self, compensation=self.compensation.copy(), response_costs=self.response_costs.copy(),
                       fines=self.fines.copy())

    def only(self, parties: np.ndarray) -> "Incidents":
        """A copy with only the entries of the ``parties`` (a mask over parties), in the same order: all that a
        scenario whose clauses read and write only those parties needs (``clauses.touched_parties``)."""
        if self.compiled:
            from .kernels import kernels
            inc, slot, party, compensation, response_costs, fines = kernels().only(
                self.inc, self.slot, self.party, self.compensation, self.response_costs, self.fines, parties)
            return replace(self, inc=inc, slot=slot, party=party, compensation=compensation,
                           response_costs=response_costs, fines=fines)
        keep = np.flatnonzero(parties[self.party])
        return replace(self, inc=self.inc[keep], slot=self.slot[keep], party=self.party[keep],
                       compensation=self.compensation[keep], response_costs=self.response_costs[keep],
                       fines=self.fines[keep])

    def gross(self) -> np.ndarray:
        out = self.compensation + self.response_costs
        out += self.fines
        return out

    def incident_totals(self) -> np.ndarray:
        return np.bincount(self.inc, weights=self.gross(), minlength=self.n)

    def add_to(self, rows: np.ndarray, slots: np.ndarray, party: int | np.ndarray,
               amounts: dict[str, np.ndarray]) -> None:
        """Add ``amounts`` to the entries at (row, slot), creating those that do not exist yet.

        ``rows`` ascending with one slot each (a clause moves money to one party per incident).
        """
        if rows.size == 0:
            return
        if self.compiled:
            self._add_compiled(rows, slots, party, amounts)
            return
        keys = self.inc.astype(np.int64) * self.slots + self.slot
        want = rows.astype(np.int64) * self.slots + slots
        at = np.searchsorted(keys, want)
        found = at < keys.size
        found[found] = keys[at[found]] == want[found]
        hit, miss = at[found], np.flatnonzero(~found)
        for name, values in amounts.items():
            getattr(self, name)[hit] += values[found]
        if miss.size == 0:
            return
        where = at[miss]  # np.insert keeps (incident, slot) order: each goes before its successor
        party_values = np.broadcast_to(np.asarray(party, dtype=np.int32), rows.shape)[miss]
        self.inc = np.insert(self.inc, where, rows[miss].astype(np.int32))
        self.slot = np.insert(self.slot, where, slots[miss].astype(self.slot.dtype))
        self.party = np.insert(self.party, where, party_values)
        for name in AMOUNTS:
            values = amounts[name][miss] if name in amounts else np.zeros(miss.size)
            setattr(self, name, np.insert(getattr(self, name), where, values))

    def add_many(self, rows: np.ndarray, slots: list[np.ndarray], parties: list[int],
                 amounts: list[dict[str, np.ndarray]]) -> None:
        """``add_to`` for several parties on the same rows (a risk pool's members), in that order."""
        if self.compiled and rows.size and len(set(parties)) == len(parties):
            # One pass for all the parties: the same entries as one pass each (no two share a slot).
            zeros = np.zeros(rows.size)
            stacked = {name: np.stack([a.get(name, zeros) for a in amounts], axis=1)
                       for name in AMOUNTS if any(name in a for a in amounts)}
            party = np.broadcast_to(np.array(parties, dtype=np.int32), (rows.size, len(parties)))
            self._add_compiled(rows, np.stack(slots, axis=1), party, stacked)
            return
        for s, p, a in zip(slots, parties, amounts):
            self.add_to(rows, s, p, a)

    def _add_compiled(self, rows, slots, party, amounts) -> None:
        """Through the compiled kernel: ``slots`` (rows,) or (rows, k); ``party`` one, per row, or (rows, k)."""
        from .kernels import kernels
        slots = np.ascontiguousarray(slots.reshape(rows.size, -1), dtype=np.int16)
        party = np.asarray(party, dtype=np.int32)
        # A copy, always: a broadcast that needs none is read-only, and Numba would load a second kernel for it.
        party = np.array(np.broadcast_to(party.reshape(rows.size, -1) if party.ndim == 1 else party, slots.shape),
                         order="C")
        columns = [np.ascontiguousarray(np.asarray(amounts[name], dtype=np.float64).reshape(slots.shape))
                   if name in amounts else np.zeros(slots.shape) for name in AMOUNTS]
        (self.inc, self.slot, self.party, self.compensation, self.response_costs,
         self.fines) = kernels().add_entries(self.inc, self.slot, self.party, self.compensation,
                                             self.response_costs, self.fines, self.slots, rows.astype(np.int32),
                                             slots, party, *columns)


def from_cells(years: int, year: np.ndarray, flow: np.ndarray, slot_party: np.ndarray, compensation: np.ndarray,
               response_costs: np.ndarray, fines: np.ndarray, condition_u: np.ndarray) -> Incidents:
    """Incidents from dense (incident, slot) arrays: one entry per used cell, zeros included."""
    n, S = slot_party.shape
    cells = np.flatnonzero(slot_party.ravel() >= 0)
    inc, slot = np.divmod(cells, S)
    return Incidents(years, S, year, flow, condition_u, inc.astype(np.int32), slot.astype(np.int16),
                     slot_party.ravel()[cells].astype(np.int32), compensation.ravel()[cells],
                     response_costs.ravel()[cells], fines.ravel()[cells])


def _per(values: np.ndarray, index: np.ndarray):
    """``values[index]``, or the one value itself when every flow has it (most assumptions are shared, and a
    fraction drawn for every flow is NaN for all of them): the same figures without a gather per incident."""
    if values.size:
        first = values[0]
        if np.all(values == first) if first == first else np.isnan(values).all():
            return first
    return values[index]


def _lognormal(rng: np.random.Generator, median, sigma, size: int) -> np.ndarray:
    z = rng.standard_normal(size)
    z *= sigma  # median × exp(sigma × z), in place: the same products, without two more arrays
    np.exp(z, out=z)
    z *= median
    return z


def _fractions(rng: np.random.Generator, layout: Layout, flow: np.ndarray) -> np.ndarray:
    f = layout.flows
    fixed = _per(f.fixed_fraction, flow)
    a, b = _per(f.beta_a, flow), _per(f.beta_b, flow)
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        drawn = rng.beta(a, b, size=flow.size)  # the common case: one Beta for every flow
    else:  # the same draws as one Beta each (NumPy samples element by element, in order)
        drawn = rng.beta(np.broadcast_to(a, flow.shape), np.broadcast_to(b, flow.shape))
    if np.ndim(fixed) == 0 and np.isnan(fixed):  # no flow has a fixed fraction
        return drawn
    return np.where(np.isnan(fixed), drawn, fixed)


def simulate_chunk(layout: Layout, rng: np.random.Generator, years: int, n_conditions: int, *,
                   compiled: bool = False) -> Incidents:
    """Draw and allocate the incidents of ``years`` years (``compiled``: with ``kernels``, the same figures)."""
    f = layout.flows
    S, sb = layout.slots, layout.base_slots
    counts = rng.poisson(f.rate * years)
    flow = np.repeat(np.arange(f.rate.size, dtype=np.int32), counts)
    year = rng.integers(0, years, size=flow.size, dtype=np.int32)
    if compiled:
        return _simulate_compiled(layout, rng, years, n_conditions, year, flow)
    order = np.argsort(year.astype(np.uint16), kind="stable")  # radix sort: chunks hold < 65,536 years
    year, flow = year[order], flow[order]
    n = flow.size

    u_stage = rng.random(n)
    stage = (u_stage >= _per(f.stage_cum[:, 0], flow)).astype(np.int8) + (u_stage >= _per(f.stage_cum[:, 1], flow))
    harm = f.harm[flow]
    harmful = np.flatnonzero(harm > 0)
    fh = flow[harmful]
    affected = np.zeros(n)
    affected[harmful] = f.records[fh] * _fractions(rng, layout, fh)
    response = _per(f.response_fixed, flow) + _per(f.response_per_record, flow) * affected * harm
    compensation = np.zeros(n)
    award = _lognormal(rng, _per(f.award_median, fh), _per(f.award_sigma, fh), fh.size)
    compensation[harmful] = (affected[harmful] * harm[harmful] * _per(f.claim_rate, fh) * award
                             * _per(f.special_mult, fh))

    # Who is responsible for the fine (section 4), then whether the regulator fines them.
    rel = f.relationship[flow]
    u_bearer = rng.random(n)
    fine_slot = np.where(stage < 2, 0, 1).astype(np.int32)
    c2p = rel == 1
    c2p_recipient = c2p & (stage == 2)
    fine_slot[c2p] = np.where(c2p_recipient[c2p] & (u_bearer[c2p] < _per(f.fault_share, flow[c2p])), 1, 0)
    joint = np.flatnonzero(rel == 2)
    if joint.size:
        cum_share = np.cumsum(f.bearer_share[flow[joint]], axis=1)
        fine_slot[joint] = np.minimum((u_bearer[joint, None] >= cum_share).sum(axis=1), sb - 1)
    fined_party = f.slot_party[flow, fine_slot]
    public = layout.parties.is_public[fined_party]
    p_fine = np.where(public, _per(f.fine_p_public, flow), _per(f.fine_p_other, flow))
    u_fine = rng.random(harmful.size)
    fine = _fines(rng, layout, flow, harmful[u_fine < p_fine[harmful]], fined_party)

    u_recovery = rng.random(n)
    recovered = c2p_recipient & (u_recovery < _per(f.recovery_p, flow))
    condition_u = _conditions(rng, n, S, n_conditions)
    return _allocate(layout, years, year, flow, rel, stage, fine_slot, fine, compensation, response, recovered,
                     condition_u)


def _fines(rng: np.random.Generator, layout: Layout, flow: np.ndarray, fined: np.ndarray,
           fined_party: np.ndarray) -> np.ndarray:
    """Per incident, the regulator's fine: drawn for the ``fined`` incidents, within the cap on their party."""
    f = layout.flows
    fine = np.zeros(flow.size)
    amounts = _lognormal(rng, f.fine_median[flow[fined]], f.fine_sigma[flow[fined]], fined.size)
    fine[fined] = np.minimum(amounts, fine_cap(layout, flow[fined], fined_party[fined]))
    return fine


def _conditions(rng: np.random.Generator, n: int, slots: int, n_conditions: int) -> np.ndarray:
    if n_conditions:
        return rng.random((n, slots, n_conditions), dtype=np.float32)
    return np.zeros((n, slots, 0), np.float32)


def _simulate_compiled(layout: Layout, rng: np.random.Generator, years: int, n_conditions: int,
                       year: np.ndarray, flow: np.ndarray) -> Incidents:
    """``simulate_chunk``'s draws, in the same order and sizes, with its arithmetic in ``compiled``'s loops."""
    from .kernels import kernels
    k = kernels()
    f, parties = layout.flows, layout.parties
    c = f.classes  # the per-incident parameters, read from a table of a few rows
    year, flow = k.by_year(year, flow, years)
    n = flow.size
    stage, harmful = k.stages(flow, rng.random(n), c.of_flow, c.stage_cum, c.harm)
    fh = flow[harmful]
    fraction = _fractions(rng, layout, fh)
    award = _lognormal(rng, _per(f.award_median, fh), _per(f.award_sigma, fh), fh.size)
    response, compensation, rel, fine_slot, fined_party, p_fine = k.incident_losses(
        flow, stage, harmful, np.asarray(fraction, dtype=np.float64), np.asarray(award, dtype=np.float64),
        rng.random(n), f.records, c.of_flow, c.harm, c.response_fixed, c.response_per_record, c.claim_rate,
        c.special_mult, c.relationship, c.fault_share, c.bearer_share, f.slot_party, parties.is_public,
        c.fine_p_public, c.fine_p_other, layout.base_slots)
    fine = _fines(rng, layout, flow, harmful[rng.random(harmful.size) < p_fine], fined_party)
    u_recovery = rng.random(n)
    condition_u = _conditions(rng, n, layout.slots, n_conditions)
    entries = k.allocate(flow, rel, stage, fine_slot, fine, compensation, response, u_recovery, c.of_flow,
                         c.recovery_p, c.fault_share, f.slot_party, c.bearer_share, layout.base_slots)
    return Incidents(years, layout.slots, year, flow, condition_u, *entries, compiled=True)


def _allocate(layout: Layout, years, year, flow, rel, stage, fine_slot, fine, compensation, response, recovered,
              condition_u) -> Incidents:
    """Entries of the legal default: each amount written straight to its bearer's entry.

    Independent controllers: one bearer (the stage's), who is also the one fined. Controller to processor:
    the controller bears compensation and response costs; a second entry for the processor when it is fined
    or the controller recovers its fault share. Joint controllers: one entry per controller.
    """
    f = layout.flows
    S, sb = layout.slots, layout.base_slots
    n = flow.size
    single = rel != 2
    bearer = np.where((rel == 0) & (stage == 2), 1, 0).astype(np.int32)  # the recipient bears its own stage
    second = single & ((recovered) | ((fine != 0) & (fine_slot != bearer)))
    jcount = np.zeros(n, dtype=np.int64)
    joint = np.flatnonzero(~single)
    if joint.size:
        jcount[joint] = (f.slot_party[flow[joint], :sb] >= 0).sum(axis=1)
    per = np.where(single, 1 + second, jcount)
    start = np.cumsum(per) - per
    m = int(per.sum())
    inc = np.empty(m, dtype=np.int32)
    slot = np.empty(m, dtype=np.int16)
    comp, resp, fines = np.empty(m), np.empty(m), np.empty(m)

    rows = np.flatnonzero(single)
    at = start[rows]
    rec = np.flatnonzero(recovered)
    share = _per(f.fault_share, flow[rec])
    moved_comp, moved_resp = compensation[rec] * share, response[rec] * share
    first_comp, first_resp = compensation.copy(), response.copy()
    first_comp[rec] -= moved_comp
    first_resp[rec] -= moved_resp
    inc[at], slot[at] = rows, bearer[rows]
    comp[at], resp[at] = first_comp[rows], first_resp[rows]
    fines[at] = np.where(fine_slot[rows] == bearer[rows], fine[rows], 0.0)
    rows2 = np.flatnonzero(second)
    at2 = start[rows2] + 1
    inc[at2], slot[at2] = rows2, 1  # only controller-to-processor rows have a second entry: the processor
    comp2, resp2 = np.zeros(n), np.zeros(n)
    comp2[rec], resp2[rec] = moved_comp, moved_resp
    comp[at2], resp[at2] = comp2[rows2], resp2[rows2]
    fines[at2] = np.where(fine_slot[rows2] == 1, fine[rows2], 0.0)
    if joint.size:
        used = f.slot_party[flow[joint], :sb] >= 0
        r, s = np.nonzero(used)
        rows_j = joint[r]
        at_j = start[rows_j] + (np.cumsum(used, axis=1) - 1)[r, s]
        shares = f.bearer_share[flow[rows_j], s]
        inc[at_j], slot[at_j] = rows_j, s
        comp[at_j] = compensation[rows_j] * shares
        resp[at_j] = response[rows_j] * shares
        fines[at_j] = np.where(fine_slot[rows_j] == s, fine[rows_j], 0.0)
    party = f.slot_party[flow[inc], slot]
    return Incidents(years, S, year, flow, condition_u, inc, slot, party, comp, resp, fines)
