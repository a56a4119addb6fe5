"""Risk-sharing clauses applied incident by incident (liability-model.md section 5).

The same code serves the simulation (``condition`` is a 0/1 draw per incident
and beneficiary) and the exact expected values (``condition`` is the
probability, and each row is an expected incident), because without excess and
caps every clause is linear in the amounts it moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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


def indemnity_clauses(model: Model) -> list[Indemnity]:
    """Indemnities in model order; each gets its own, scenario-independent condition draws."""
    return [c for c in model.clauses if isinstance(c, Indemnity)]


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
        index = [c.id for c in indemnity_clauses(model)].index(clause.id)
        return CompiledClause(clause, in_scope, clause.covers, beneficiary=bene, rank=rank, condition_p=cond,
                              condition_index=index, extra_slot=extra.index(model.party_position(clause.indemnifier)))
    share = np.zeros(P)
    slots = []
    for m in clause.members:
        share[model.party_position(m.party)] += m.share
        slots.append((extra.index(model.party_position(m.party)), m.share))
    return CompiledClause(clause, in_scope, clause.covers, member_share=share, member_slots=tuple(slots))


def _covered(chunk, covers) -> list[np.ndarray]:
    return [getattr(chunk, COMPONENT_FIELDS[c]) for c in covers]


def _segment_cap(desired: np.ndarray, year: np.ndarray, cap: float) -> np.ndarray:
    """What each transfer may take when ``cap`` is consumed in order within each year."""
    cs = np.cumsum(desired)
    starts = np.flatnonzero(np.r_[True, year[1:] != year[:-1]]) if year.size else np.zeros(0, dtype=np.int64)
    base = np.repeat(cs[starts] - desired[starts], np.diff(np.r_[starts, year.size]))
    within = cs - base
    return np.minimum(within, cap) - np.minimum(within - desired, cap)


def apply_indemnity(layout: Layout, cc: CompiledClause, chunk, *, expected: bool = False) -> None:
    """Move covered loss from beneficiaries to the indemnifier, in place."""
    clause: Indemnity = cc.clause  # type: ignore[assignment]
    rows = np.flatnonzero(cc.in_scope[chunk.flow])
    if rows.size == 0:
        return
    sp = chunk.slot_party[rows]
    valid = sp >= 0
    spi = np.where(valid, sp, 0)
    is_bene = valid & cc.beneficiary[spi]
    comps = _covered(chunk, cc.covers)
    L = sum(c[rows] for c in comps)
    if expected:
        holds = cc.condition_p[spi]
    else:
        holds = (chunk.condition_u[rows, :, cc.condition_index] < cc.condition_p[spi]).astype(float)
    t = clause.share * np.maximum(L - clause.excess_gbp, 0.0)
    if clause.cap_per_incident_gbp is not None:
        t = np.minimum(t, clause.cap_per_incident_gbp)
    t = np.where(is_bene & (L > 0), t * holds, 0.0)
    if clause.cap_annual_gbp is not None:
        order = np.argsort(np.where(is_bene, cc.rank[spi], cc.rank.size + 2), axis=1, kind="stable")
        flat = np.take_along_axis(t, order, axis=1).ravel()
        allowed = _segment_cap(flat, np.repeat(chunk.year[rows], t.shape[1]), clause.cap_annual_gbp)
        t_capped = np.empty_like(t)
        np.put_along_axis(t_capped, order, allowed.reshape(t.shape), axis=1)
        t = t_capped
    ratio = np.divide(t, L, out=np.zeros_like(t), where=L > 0)
    target = layout.flows.target_slot[chunk.flow[rows], cc.extra_slot]
    for comp in comps:
        moved = comp[rows] * ratio
        comp[rows] -= moved
        comp[rows, target] += moved.sum(axis=1)


def apply_risk_pool(layout: Layout, cc: CompiledClause, chunk, *, expected: bool = False) -> None:
    """Sum the members' covered losses on in-scope incidents and re-split them by shares, in place."""
    rows = np.flatnonzero(cc.in_scope[chunk.flow])
    if rows.size == 0:
        return
    sp = chunk.slot_party[rows]
    valid = sp >= 0
    is_member = valid & (cc.member_share[np.where(valid, sp, 0)] > 0)
    flows = chunk.flow[rows]
    for comp in _covered(chunk, cc.covers):
        block = comp[rows]
        total = np.where(is_member, block, 0.0).sum(axis=1)
        block[is_member] = 0.0
        for extra_slot, share in cc.member_slots:
            block[np.arange(rows.size), layout.flows.target_slot[flows, extra_slot]] += total * share
        comp[rows] = block


def apply_clause(layout: Layout, cc: CompiledClause, chunk, *, expected: bool = False) -> None:
    if isinstance(cc.clause, Indemnity):
        apply_indemnity(layout, cc, chunk, expected=expected)
    else:
        apply_risk_pool(layout, cc, chunk, expected=expected)
