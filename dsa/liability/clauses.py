"""Risk-sharing clauses applied incident by incident (liability-model.md section 5).

The same code serves the simulation (``condition`` is a 0/1 draw per incident
and beneficiary) and the exact expected values (``condition`` is the
probability, and each row is an expected incident), because without excess and
caps every clause is linear in the amounts it moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ModelError
from ..model import Indemnity, Model, RiskPool
from .parameters import Layout

COMPONENT_FIELDS = {"compensation": "compensation", "response_costs": "response_costs", "fines": "fines"}


@dataclass(frozen=True)
class CompiledClause:
    clause: Indemnity | RiskPool
    in_scope: np.ndarray            # (F,) bool
    covers: tuple[str, ...]
    # indemnity
    beneficiary: np.ndarray | None = None   # (P,) bool
    rank: np.ndarray | None = None          # (P,) beneficiary order (annual cap)
    condition_p: np.ndarray | None = None   # (P,) probability the condition holds; 1 if unconditional
    condition_index: int = -1               # which condition draws this clause uses
    extra_slot: int = -1                    # extra-slot index of the indemnifier
    # risk pool
    member_share: np.ndarray | None = None  # (P,)
    member_slots: tuple[tuple[int, float], ...] = ()  # (extra-slot index, share)

    @property
    def is_linear(self) -> bool:
        c = self.clause
        return not isinstance(c, Indemnity) or (not c.excess_gbp and c.cap_per_incident_gbp is None
                                                and c.cap_annual_gbp is None)


def used_slots(layout: Layout, compiled: list[CompiledClause]) -> np.ndarray:
    """The slot columns a scenario can put money in: the bearers', and its clause parties' extra slots."""
    extra = {cc.extra_slot for cc in compiled if cc.extra_slot >= 0}
    extra |= {e for cc in compiled for e, _ in cc.member_slots}
    return np.array(list(range(layout.base_slots)) + [layout.base_slots + e for e in sorted(extra)], dtype=np.int64)


def indemnity_clauses(model: Model) -> list[Indemnity]:
    """Indemnities in model order; each gets its own, scenario-independent condition draws."""
    return [c for c in model.clauses if isinstance(c, Indemnity)]


def _extra_slot(layout: Layout, party_id: str) -> int:
    position = layout.model.party_position(party_id)
    if position not in layout.clause_parties:
        raise ModelError(f"party {party_id!r} gives or shares no clause in the model, so a clause cannot move "
                         "money to it on this simulation")
    return layout.clause_parties.index(position)


def compile_clause(layout: Layout, clause: Indemnity | RiskPool) -> CompiledClause:
    model = layout.model
    P = len(layout.parties.ids)
    in_scope = np.array([clause.applies_to.matches(f) for f in model.flows], dtype=bool)
    extra = list(layout.clause_parties)
    if isinstance(clause, Indemnity):
        bene = np.zeros(P, dtype=bool)
        rank = np.full(P, P + 1, dtype=np.int64)
        for r, pid in enumerate(model.beneficiaries(clause)):
            bene[model.party_position(pid)] = True
            rank[model.party_position(pid)] = r
        if clause.condition is None:
            cond = np.ones(P)
        elif clause.condition.probability is not None:
            cond = np.full(P, float(clause.condition.probability))
        else:
            cond = layout.parties.condition_p.copy()
        known = [c.id for c in indemnity_clauses(model)]
        # A clause the model does not have (a solver's candidate, a template) draws its own conditions.
        index = known.index(clause.id) if clause.id in known else -1
        return CompiledClause(clause, in_scope, clause.covers, beneficiary=bene, rank=rank, condition_p=cond,
                              condition_index=index, extra_slot=_extra_slot(layout, clause.indemnifier))
    share = np.zeros(P)
    slots = []
    for m in clause.members:
        share[model.party_position(m.party)] += m.share
        slots.append((_extra_slot(layout, m.party), m.share))
    return CompiledClause(clause, in_scope, clause.covers, member_share=share, member_slots=tuple(slots))


def _flat(chunk, covers) -> list[np.ndarray]:
    """Flat views of the covered components (writes go to the chunk; an error rather than a silent copy)."""
    views = []
    for c in covers:
        view = getattr(chunk, COMPONENT_FIELDS[c]).view()
        view.shape = (-1,)
        views.append(view)
    return views


def _segment_cap(desired: np.ndarray, year: np.ndarray, cap: float) -> np.ndarray:
    """What each transfer may take when ``cap`` is consumed in order within each year."""
    cs = np.cumsum(desired)
    starts = np.flatnonzero(np.r_[True, year[1:] != year[:-1]]) if year.size else np.zeros(0, dtype=np.int64)
    base = np.repeat(cs[starts] - desired[starts], np.diff(np.r_[starts, year.size]))
    within = cs - base
    return np.minimum(within, cap) - np.minimum(within - desired, cap)


def _cells(cc_mask_of_party: np.ndarray, chunk, rows: np.ndarray):
    """The (row, slot) cells of in-scope ``rows`` whose party the mask selects: row-major order."""
    sp = chunk.slot_party[rows]
    valid = sp >= 0
    r, slot = np.nonzero(valid & cc_mask_of_party[np.where(valid, sp, 0)])
    return r, slot, sp[r, slot]


def apply_indemnity(layout: Layout, cc: CompiledClause, chunk, *, expected: bool = False,
                    extra_conditions=None) -> None:
    """Move covered loss from beneficiaries to the indemnifier, in place.

    Works on the beneficiaries' cells only (about one per incident), not on every slot of every row.
    """
    clause: Indemnity = cc.clause  # type: ignore[assignment]
    rows = np.flatnonzero(cc.in_scope[chunk.flow])
    if rows.size == 0:
        return
    r, slot, party = _cells(cc.beneficiary, chunk, rows)
    if r.size == 0:
        return
    S = chunk.slot_party.shape[1]
    row = rows[r]
    cell = row * S + slot
    comps = _flat(chunk, cc.covers)
    L = comps[0][cell].copy()
    for comp in comps[1:]:
        L += comp[cell]
    if expected:
        holds = cc.condition_p[party]
    else:
        u = (chunk.condition_u[row, slot, cc.condition_index] if cc.condition_index >= 0
             else extra_conditions(cc.clause.id)[row, slot])
        holds = (u < cc.condition_p[party]).astype(float)
    t = clause.share * np.maximum(L - clause.excess_gbp, 0.0)
    if clause.cap_per_incident_gbp is not None:
        t = np.minimum(t, clause.cap_per_incident_gbp)
    t = np.where(L > 0, t * holds, 0.0)
    if clause.cap_annual_gbp is not None:
        # The cap is consumed incident by incident (rows are in year order) and, within an incident,
        # beneficiary by beneficiary in the clause's order.
        order = np.lexsort((cc.rank[party], r))
        t[order] = _segment_cap(t[order], chunk.year[row[order]], clause.cap_annual_gbp)
    ratio = np.divide(t, L, out=np.zeros_like(t), where=L > 0)
    # Each row's moved amounts go to the indemnifier's cell of that row.
    first = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    target = row[first] * S + layout.flows.target_slot[chunk.flow[row[first]], cc.extra_slot]
    for comp in comps:
        moved = comp[cell] * ratio
        comp[cell] -= moved
        comp[target] += np.add.reduceat(moved, first)


def apply_risk_pool(layout: Layout, cc: CompiledClause, chunk, *, expected: bool = False,
                    extra_conditions=None) -> None:
    """Sum the members' covered losses on in-scope incidents and re-split them by shares, in place."""
    rows = np.flatnonzero(cc.in_scope[chunk.flow])
    if rows.size == 0:
        return
    r, slot, _ = _cells(cc.member_share > 0, chunk, rows)
    S = chunk.slot_party.shape[1]
    cell = rows[r] * S + slot
    flows = chunk.flow[rows]
    targets = [(rows * S + layout.flows.target_slot[flows, extra_slot], share)
               for extra_slot, share in cc.member_slots]
    for comp in _flat(chunk, cc.covers):
        total = np.bincount(r, weights=comp[cell], minlength=rows.size)
        comp[cell] = 0.0
        for target, share in targets:
            comp[target] += total * share


def apply_clause(layout: Layout, cc: CompiledClause, chunk, *, expected: bool = False,
                 extra_conditions=None) -> None:
    """``extra_conditions(clause_id)``: condition uniforms for an indemnity the model does not have."""
    if isinstance(cc.clause, Indemnity):
        apply_indemnity(layout, cc, chunk, expected=expected, extra_conditions=extra_conditions)
    else:
        apply_risk_pool(layout, cc, chunk, expected=expected)
