"""The model as arrays: per-flow loss parameters, per-party facts, and the slot layout.

Every incident's losses are held in a small row of *slots*: the flow's bearers
(``from`` and ``to``, or its joint controllers) and one slot for each party that
a clause can move money to (indemnifiers and pool members). A party appears in
at most one slot of a row, so per-(incident, party) amounts are one cell each.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..assumptions import Assumptions
from ..model import Indemnity, Model, RiskPool

RATE = "annual_incident_rate"  # a flow's own, or the model's: then no rate is computed from the transfer
RELATIONSHIP_CODE = {"independent_controllers": 0, "controller_to_processor": 1, "joint_controllers": 2}
COMPONENTS = ("compensation", "response_costs", "fines")


# The parameters the compiled kernels read for every incident, besides its flow's records and slots.
CLASS_COLUMNS = ("stage_cum", "harm", "response_fixed", "response_per_record", "claim_rate", "special_mult",
                 "relationship", "fault_share", "bearer_share", "fine_p_public", "fine_p_other", "recovery_p")


@dataclass(frozen=True)
class FlowClasses:
    """The flows grouped by ``CLASS_COLUMNS``: each group's values once, and each flow's group.

    A national register's 50,000 flows share a handful of groups, so the compiled kernels read those values
    from a table that stays in the processor's cache rather than from a column per parameter spread over
    50,000 entries (4 % of a chunk's time, measured). The values are the flows' own, bit for bit.
    """

    of_flow: np.ndarray         # (F,) each flow's group
    stage_cum: np.ndarray       # (K, 2), and the others (K,) or (K, Sb), as in FlowArrays
    harm: np.ndarray
    response_fixed: np.ndarray
    response_per_record: np.ndarray
    claim_rate: np.ndarray
    special_mult: np.ndarray
    relationship: np.ndarray
    fault_share: np.ndarray
    bearer_share: np.ndarray
    fine_p_public: np.ndarray
    fine_p_other: np.ndarray
    recovery_p: np.ndarray


@dataclass(frozen=True)
class FlowArrays:
    """One entry per flow (file order)."""

    rate: np.ndarray            # expected incidents per year
    stage_cum: np.ndarray       # (F, 2): P(source), P(source) + P(transit)
    stage_p: np.ndarray         # (F, 3)
    beta_a: np.ndarray
    beta_b: np.ndarray
    fixed_fraction: np.ndarray  # NaN where the fraction is drawn from the Beta
    harm: np.ndarray
    records: np.ndarray
    special_mult: np.ndarray    # special_category_multiplier, or 1
    response_fixed: np.ndarray
    response_per_record: np.ndarray
    claim_rate: np.ndarray
    award_median: np.ndarray
    award_sigma: np.ndarray
    fine_p_public: np.ndarray
    fine_p_other: np.ndarray
    fine_median: np.ndarray
    fine_sigma: np.ndarray
    fine_cap_gbp: np.ndarray
    fine_cap_share: np.ndarray
    fault_share: np.ndarray     # processor_fault_share
    recovery_p: np.ndarray
    relationship: np.ndarray    # RELATIONSHIP_CODE
    slot_party: np.ndarray      # (F, S): party index in each slot, -1 where unused
    bearer_share: np.ndarray    # (F, Sb): joint controllers' shares (zeros otherwise)
    target_slot: np.ndarray     # (F, E): the slot of clause party e on this flow's rows

    @cached_property
    def classes(self) -> FlowClasses:
        """``FlowClasses`` of these arrays (made once; arrays replaced make a new FlowArrays, and new classes)."""
        F = self.rate.size
        columns = [np.ascontiguousarray(column, dtype=np.float64).reshape(F, int(np.prod(column.shape[1:])))
                   for column in (getattr(self, name) for name in CLASS_COLUMNS)]
        widths = [c.shape[1] for c in columns]
        # Grouped by the values' bytes, so each group's values are exactly its flows' (-0.0 is not 0.0, NaN is
        # NaN); one row as one opaque value sorts fifteen times faster than rows compared column by column.
        table = np.ascontiguousarray(np.concatenate(columns, axis=1))
        row = np.dtype((np.void, table.shape[1] * table.itemsize))
        rows, of_flow = np.unique(table.view(row).reshape(-1), return_inverse=True)
        table = rows.view(np.float64).reshape(rows.size, table.shape[1])
        out, at = {}, 0
        for name, width in zip(CLASS_COLUMNS, widths):
            column = getattr(self, name)
            values = table[:, at:at + width].reshape((rows.shape[0], *column.shape[1:]))
            out[name] = np.ascontiguousarray(values.astype(column.dtype))
            at += width
        return FlowClasses(of_flow=np.ascontiguousarray(of_flow.reshape(-1), dtype=np.int32), **out)


@dataclass(frozen=True)
class PartyArrays:
    ids: tuple[str, ...]
    is_public: np.ndarray
    turnover: np.ndarray        # NaN where not given
    condition_p: np.ndarray     # default indemnity-condition probability, by DSPT status
    ins_limit: np.ndarray       # 0 where uninsured
    ins_excess: np.ndarray
    partners: np.ndarray
    personal: np.ndarray        # partnership or sole trader


@dataclass(frozen=True)
class Layout:
    model: Model
    assumptions: Assumptions
    flows: FlowArrays
    parties: PartyArrays
    base_slots: int             # Sb
    clause_parties: tuple[int, ...]  # party index of each extra slot e

    @property
    def slots(self) -> int:
        return self.base_slots + len(self.clause_parties)


def _clause_parties(model: Model) -> tuple[int, ...]:
    ids: list[str] = []
    for c in model.clauses:
        if isinstance(c, Indemnity):
            ids.append(c.indemnifier)
        elif isinstance(c, RiskPool):
            ids.extend(m.party for m in c.members)
    return tuple(model.party_position(i) for i in dict.fromkeys(ids))


def flow_rate(flow, a: dict, recipient_status: str) -> float:
    if "annual_incident_rate" in a:
        return float(a["annual_incident_rate"])
    return (float(a["base_rate"][flow.transfer.method]) * float(a["dspt_factor"][recipient_status])
            * float(a["frequency_factor"][flow.transfer.frequency]))


# Flow columns that are one assumption, the same for every flow that shares its assumptions.
_SCALAR_KEYS = {
    "response_fixed": "response_fixed_gbp", "response_per_record": "response_per_record_gbp",
    "claim_rate": "claim_rate", "award_median": "award_median_gbp", "award_sigma": "award_sigma",
    "fine_median": "fine_median_gbp", "fine_sigma": "fine_sigma", "fine_cap_gbp": "fine_cap_gbp",
    "fine_cap_share": "fine_cap_turnover_share", "fault_share": "processor_fault_share",
    "recovery_p": "recovery_probability",
}


def _party_arrays(model: Model, values) -> PartyArrays:
    parties = model.parties
    return PartyArrays(
        ids=tuple(p.id for p in parties),
        is_public=np.array([p.is_public_body for p in parties], dtype=bool),
        turnover=np.array([np.nan if p.annual_turnover_gbp is None else p.annual_turnover_gbp for p in parties]),
        condition_p=np.array([values["condition_probability"][p.effective_dspt_status] for p in parties]),
        ins_limit=np.array([(p.insurance.cyber_limit_gbp or 0.0) if p.insurance else 0.0 for p in parties]),
        ins_excess=np.array([(p.insurance.excess_gbp or 0.0) if p.insurance else 0.0 for p in parties]),
        partners=np.array([p.partner_count for p in parties], dtype=float),
        personal=np.array([p.has_personal_exposure for p in parties], dtype=bool),
    )


def _assumption_groups(model: Model, assumptions: Assumptions) -> list[tuple[dict, np.ndarray]]:
    """The flows grouped by their effective assumptions but the incident rate: (assumptions, flow indexes), in
    order of each group's first flow.

    Most flows take the model's assumptions; the few whose ``risk`` sets more than a rate are grouped by what
    it says, so the merge (and its check of the keys) runs once per distinct override, in file order. A rate of
    the flow's own does not make a group (registers may give every flow one): :func:`_flow_columns` reads it.
    """
    keys: dict = {}
    merged: list[dict] = [assumptions.for_risk({})]
    group = np.zeros(len(model.flows), dtype=np.intp)
    for i, flow in enumerate(model.flows):
        if not flow.risk:
            continue
        risk = {k: v for k, v in flow.risk.items() if k != RATE and not k.startswith("x-")}
        if not risk:
            continue
        key = repr(sorted(risk.items()))
        if key not in keys:
            keys[key] = len(merged)
            merged.append(assumptions.for_risk(risk))
        group[i] = keys[key]
    if len(merged) == 1:
        return [(merged[0], np.arange(len(model.flows)))]
    order = np.argsort(group, kind="stable")
    bounds = np.cumsum(np.bincount(group, minlength=len(merged)))
    return [(a, order[start:end]) for a, start, end in zip(merged, np.r_[0, bounds[:-1]], bounds) if end > start]


def _lookup(table, keys: list, idx: np.ndarray) -> np.ndarray:
    """``float(table[keys[i]])`` for each flow index i."""
    return np.array([float(table[keys[i]]) for i in idx.tolist()], dtype=float)


def _flow_columns(model: Model, assumptions: Assumptions) -> dict[str, np.ndarray]:
    """Every per-flow loss parameter, filled group by group of flows sharing their assumptions."""
    flows = model.flows
    F = len(flows)
    out = {k: np.empty(F) for k in FlowArrays.__dataclass_fields__
           if k not in ("stage_cum", "stage_p", "slot_party", "bearer_share", "target_slot")}
    out["stage_cum"], out["stage_p"] = np.empty((F, 2)), np.empty((F, 3))
    methods = [f.transfer.method for f in flows]
    frequencies = [f.transfer.frequency for f in flows]
    status = [p.effective_dspt_status for p in model.parties]
    recipient_status = [status[model.party_position(f.recipient)] for f in flows]
    identifiability = [f.data.identifiability for f in flows]
    special = np.array([f.data.special_category for f in flows], dtype=bool)
    out["records"] = np.array([float(f.data.records) for f in flows], dtype=float)
    out["relationship"] = np.array([RELATIONSHIP_CODE[f.relationship] for f in flows], dtype=float)
    for a, idx in _assumption_groups(model, assumptions):
        if RATE in a:
            out["rate"][idx] = float(a[RATE])
        else:
            out["rate"][idx] = (_lookup(a["base_rate"], methods, idx) * _lookup(a["dspt_factor"], recipient_status, idx)
                                * _lookup(a["frequency_factor"], frequencies, idx))
        stage = a["stage"]
        sp = np.array([stage["source"], stage["transit"], stage["recipient"]], dtype=float)
        sp = sp / sp.sum()
        out["stage_p"][idx] = sp
        out["stage_cum"][idx] = np.cumsum(sp)[:2]
        fb = a["fraction_beta"]
        fixed = float(fb) if isinstance(fb, (int, float)) else np.nan
        ab = (1.0, 1.0) if np.isfinite(fixed) else (float(fb[0]), float(fb[1]))
        out["fixed_fraction"][idx], out["beta_a"][idx], out["beta_b"][idx] = fixed, ab[0], ab[1]
        out["harm"][idx] = _lookup(a["harm"], identifiability, idx)
        out["special_mult"][idx] = np.where(special[idx], float(a["special_category_multiplier"]), 1.0)
        out["fine_p_public"][idx] = float(a["fine_probability"]["public"])
        out["fine_p_other"][idx] = float(a["fine_probability"]["other"])
        for column, key in _SCALAR_KEYS.items():
            out[column][idx] = float(a[key])
    # A flow's own rate stands whatever its group's assumptions say.
    own = [i for i, f in enumerate(flows) if RATE in f.risk]
    out["rate"][own] = [float(flows[i].risk[RATE]) for i in own]
    out["relationship"] = out["relationship"].astype(np.int8)
    return out


def _slots(model: Model, sb: int, extra: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each flow's slot parties, joint controllers' shares and the slot of each clause party.

    A flow's bearers (``from`` and ``to``, or its joint controllers) fill its first slots; a clause party that
    is not a bearer gets its own slot ``sb + e``.
    """
    flows = model.flows
    F = len(flows)
    position = model.party_position
    slot_party = np.full((F, sb + len(extra)), -1, dtype=np.int32)
    bearer_share = np.zeros((F, sb))
    slot_party[:, 0] = [position(f.source) for f in flows]
    slot_party[:, 1] = [position(f.recipient) for f in flows]
    for i, flow in enumerate(flows):
        if flow.relationship == "joint_controllers":
            shares = flow.controller_shares
            slot_party[i, :2] = -1
            slot_party[i, :len(shares)] = [position(s.party) for s in shares]
            bearer_share[i, :len(shares)] = [s.share for s in shares]
    target_slot = np.zeros((F, len(extra)), dtype=np.int32)
    for e, party_index in enumerate(extra):
        match = slot_party[:, :sb] == party_index
        bearer = match.any(axis=1)
        target_slot[:, e] = np.where(bearer, match.argmax(axis=1), sb + e)
        slot_party[~bearer, sb + e] = party_index
    return slot_party, bearer_share, target_slot


def build_layout(model: Model, assumptions: Assumptions) -> Layout:
    """Arrays of everything the simulation and the expected values need.

    Built column by column (a national model has 50,000 flows): each flow's values are those a flow-by-flow
    reading of its effective assumptions gives, bit for bit (tests/liability/test_layout.py).
    """
    extra = _clause_parties(model)
    sb = max([2] + [len(f.controller_shares) for f in model.flows if f.relationship == "joint_controllers"])
    slot_party, bearer_share, target_slot = _slots(model, sb, extra)
    flow_arrays = FlowArrays(**_flow_columns(model, assumptions), slot_party=slot_party, bearer_share=bearer_share,
                             target_slot=target_slot)
    return Layout(model, assumptions, flow_arrays, _party_arrays(model, assumptions.values), sb, extra)


def fine_cap(layout: Layout, flow_idx: np.ndarray, party_idx: np.ndarray) -> np.ndarray:
    """The statutory maximum per incident: max(fine_cap_gbp, share of the fined party's turnover)."""
    f = layout.flows
    turnover = layout.parties.turnover[party_idx]
    by_turnover = np.where(np.isnan(turnover), 0.0, turnover * f.fine_cap_share[flow_idx])
    return np.maximum(f.fine_cap_gbp[flow_idx], by_turnover)
