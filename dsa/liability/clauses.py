"""Risk-sharing clauses applied incident by incident (liability-model.md section 5).

Clauses work on the (incident, party) entries of ``simulate.Incidents``. The same
code serves the simulation (``condition`` is a 0/1 draw per incident and
beneficiary) and the exact expected values (``condition`` is the
probability, and each row is an expected incident), because without excess and
caps every clause is linear in the amounts it moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Indemnity, Model, RiskPool
from .parameters import Layout
from .simulate import Incidents

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
    condition_index: int = -1               # which condition draws this clause uses (-1: its own)
    target: int = -1                        # party index of the indemnifier
    # risk pool
    member_share: np.ndarray | None = None  # (P,)
    member_slots: tuple[tuple[int, float], ...] = ()  # (member party index, share), in the clause's order

    @property
    def is_linear(self) -> bool:
        c = self.clause
        return not isinstance(c, Indemnity) or (not c.excess_gbp and c.cap_per_incident_gbp is None
                                                and c.cap_annual_gbp is None)


def touched_parties(parties: int, clauses: list[CompiledClause]) -> np.ndarray:
    """Per party, whether one of the ``clauses`` reads or writes its entries: an indemnity its beneficiaries'
    and its indemnifier's, a risk pool its members'. Every other party's entries are left as they were."""
    touched = np.zeros(parties, dtype=bool)
    for cc in clauses:
        if isinstance(cc.clause, Indemnity):
            touched |= cc.beneficiary
            touched[cc.target] = True
        else:
            touched |= cc.member_share > 0
    return touched


def indemnity_clauses(model: Model) -> list[Indemnity]:
    """Indemnities in model order; each gets its own, scenario-independent condition draws."""
    return [c for c in model.clauses if isinstance(c, Indemnity)]


def target_slots(layout: Layout, flows: np.ndarray, party: int) -> np.ndarray:
    """The slot where a clause puts money for ``party`` on incidents of ``flows``.

    Its bearer slot where it bears the flow, else its clause slot; a party that has no clause role in the
    model (a solver's or a template's clause) gets a slot past the layout's, which only orders entries.
    """
    if party in layout.clause_parties:
        return layout.flows.target_slot[flows, layout.clause_parties.index(party)]
    bearer = layout.flows.slot_party[flows, :layout.base_slots] == party
    return np.where(bearer.any(axis=1), bearer.argmax(axis=1), layout.slots + party)


def compile_clause(layout: Layout, clause: Indemnity | RiskPool) -> CompiledClause:
    model = layout.model
    P = len(layout.parties.ids)
    in_scope = np.array([clause.applies_to.matches(f) for f in model.flows], dtype=bool)
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
                              condition_index=index, target=model.party_position(clause.indemnifier))
    share = np.zeros(P)
    slots = []
    for m in clause.members:
        share[model.party_position(m.party)] += m.share
        slots.append((model.party_position(m.party), m.share))
    return CompiledClause(clause, in_scope, clause.covers, member_share=share, member_slots=tuple(slots))


def _segment_cap(desired: np.ndarray, year: np.ndarray, cap: float) -> np.ndarray:
    """What each transfer may take when ``cap`` is consumed in order within each year."""
    cs = np.cumsum(desired)
    starts = np.flatnonzero(np.r_[True, year[1:] != year[:-1]]) if year.size else np.zeros(0, dtype=np.int64)
    base = np.repeat(cs[starts] - desired[starts], np.diff(np.r_[starts, year.size]))
    within = cs - base
    return np.minimum(within, cap) - np.minimum(within - desired, cap)


def _entries(mask_of_party: np.ndarray, cc: CompiledClause, incidents: Incidents) -> np.ndarray:
    """Entries on in-scope incidents whose party the mask selects, in (incident, slot) order."""
    return np.flatnonzero(mask_of_party[incidents.party] & cc.in_scope[incidents.flow[incidents.inc]])


def _conditions(cc: CompiledClause, incidents: Incidents, e: np.ndarray, extra_conditions) -> np.ndarray:
    """The condition uniform of each selected entry: per incident and the beneficiary's slot."""
    row, slot = incidents.inc[e], incidents.slot[e]
    if cc.condition_index >= 0:
        u = incidents.condition_u
        return u[row, np.minimum(slot, u.shape[1] - 1), cc.condition_index]
    u = extra_conditions(cc.clause.id)
    return u[row, np.minimum(slot, u.shape[1] - 1)]


def apply_indemnity(layout: Layout, cc: CompiledClause, incidents: Incidents, *, expected: bool = False,
                    extra_conditions=None) -> None:
    """Move covered loss from beneficiaries to the indemnifier, in place (beneficiaries' entries only)."""
    clause: Indemnity = cc.clause  # type: ignore[assignment]
    if incidents.compiled and not expected and clause.cap_annual_gbp is None:
        _apply_indemnity_compiled(layout, cc, incidents, extra_conditions)
        return
    e = _entries(cc.beneficiary, cc, incidents)
    if e.size == 0:
        return
    party = incidents.party[e]
    row = incidents.inc[e]
    comps = [getattr(incidents, COMPONENT_FIELDS[c]) for c in cc.covers]
    L = comps[0][e].copy()
    for comp in comps[1:]:
        L += comp[e]
    if expected:
        holds = cc.condition_p[party]
    else:
        holds = (_conditions(cc, incidents, e, extra_conditions) < cc.condition_p[party]).astype(float)
    t = clause.share * np.maximum(L - clause.excess_gbp, 0.0)
    if clause.cap_per_incident_gbp is not None:
        t = np.minimum(t, clause.cap_per_incident_gbp)
    t = np.where(L > 0, t * holds, 0.0)
    if clause.cap_annual_gbp is not None:
        # The cap is consumed incident by incident (incidents are in year order) and, within an incident,
        # beneficiary by beneficiary in the clause's order.
        order = np.lexsort((cc.rank[party], row))
        t[order] = _segment_cap(t[order], incidents.year[row[order]], clause.cap_annual_gbp)
    ratio = np.divide(t, L, out=np.zeros_like(t), where=L > 0)
    # Each incident's moved amounts go to the indemnifier's entry of that incident.
    first = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
    rows = row[first]
    moved = {}
    for name, comp in zip(cc.covers, comps):
        amount = comp[e] * ratio
        comp[e] -= amount
        moved[COMPONENT_FIELDS[name]] = np.add.reduceat(amount, first)
    incidents.add_to(rows, target_slots(layout, incidents.flow[rows], cc.target), cc.target, moved)


_COMPONENT_INDEX = {"compensation": 0, "response_costs": 1, "fines": 2}


def _apply_indemnity_compiled(layout: Layout, cc: CompiledClause, incidents: Incidents, extra_conditions) -> None:
    """``apply_indemnity`` in one compiled pass (no annual cap: its order of consumption stays in NumPy)."""
    from .kernels import kernels
    clause: Indemnity = cc.clause  # type: ignore[assignment]
    if cc.condition_index >= 0:
        condition_u = incidents.condition_u[:, :, cc.condition_index]
    else:
        condition_u = extra_conditions(clause.id)
    covers = np.array([_COMPONENT_INDEX[COMPONENT_FIELDS[c]] for c in cc.covers], dtype=np.int64)
    cap = np.inf if clause.cap_per_incident_gbp is None else float(clause.cap_per_incident_gbp)
    rows, moved = kernels().indemnify(
        incidents.inc, incidents.party, incidents.flow, incidents.compensation, incidents.response_costs,
        incidents.fines, covers, cc.beneficiary, cc.in_scope, condition_u, cc.condition_p,
        float(clause.share), float(clause.excess_gbp or 0.0), cap, incidents.slot)
    if rows.size == 0:
        return
    amounts = {COMPONENT_FIELDS[c]: moved[_COMPONENT_INDEX[COMPONENT_FIELDS[c]]] for c in cc.covers}
    incidents.add_to(rows, target_slots(layout, incidents.flow[rows], cc.target), cc.target, amounts)


def apply_risk_pool(layout: Layout, cc: CompiledClause, incidents: Incidents, *, expected: bool = False,
                    extra_conditions=None) -> None:
    """Sum the members' covered losses on in-scope incidents and re-split them by shares, in place."""
    if incidents.compiled and not expected:
        rows, totals = _pool_totals_compiled(cc, incidents)
    else:
        rows, totals = _pool_totals(cc, incidents)
    if rows.size == 0:
        return
    flows = incidents.flow[rows]
    members = [member for member, _ in cc.member_slots]
    incidents.add_many(rows, [target_slots(layout, flows, member) for member in members], members,
                       [{name: total * share for name, total in totals.items()} for _, share in cc.member_slots])


def _pool_totals(cc: CompiledClause, incidents: Incidents) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The in-scope incidents where the members bore something covered, with the covered totals of each
    component (summed in entry order), taken off the members' entries in place."""
    rows = np.flatnonzero(cc.in_scope[incidents.flow])
    if rows.size == 0:
        return rows, {}
    e = _entries(cc.member_share > 0, cc, incidents)
    r = np.searchsorted(rows, incidents.inc[e])
    totals = {}
    for name in cc.covers:
        comp = getattr(incidents, COMPONENT_FIELDS[name])
        totals[COMPONENT_FIELDS[name]] = np.bincount(r, weights=comp[e], minlength=rows.size)
        comp[e] = 0.0
    # Incidents where the members bore nothing covered move nothing (adding zero changes no entry).
    some = np.flatnonzero(np.any([t != 0 for t in totals.values()], axis=0))
    return rows[some], {name: total[some] for name, total in totals.items()}


def _pool_totals_compiled(cc: CompiledClause, incidents: Incidents) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``_pool_totals`` in one compiled pass over the entries."""
    from .kernels import kernels
    covers = np.array([_COMPONENT_INDEX[COMPONENT_FIELDS[c]] for c in cc.covers], dtype=np.int64)
    rows, totals = kernels().pool(incidents.inc, incidents.party, incidents.flow, incidents.compensation,
                                  incidents.response_costs, incidents.fines, covers, cc.member_share > 0,
                                  cc.in_scope)
    return rows, {COMPONENT_FIELDS[c]: totals[_COMPONENT_INDEX[COMPONENT_FIELDS[c]]] for c in cc.covers}


def apply_clause(layout: Layout, cc: CompiledClause, chunk, *, expected: bool = False,
                 extra_conditions=None) -> None:
    """``extra_conditions(clause_id)``: condition uniforms for an indemnity the model does not have."""
    if isinstance(cc.clause, Indemnity):
        apply_indemnity(layout, cc, chunk, expected=expected, extra_conditions=extra_conditions)
    else:
        apply_risk_pool(layout, cc, chunk, expected=expected)
