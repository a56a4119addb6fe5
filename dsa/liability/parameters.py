"""The model as arrays: per-flow loss parameters, per-party facts, and the slot layout.

Every incident's losses are held in a small row of *slots*: the flow's bearers
(``from`` and ``to``, or its joint controllers) and one slot for each party that
a clause can move money to (indemnifiers and pool members). A party appears in
at most one slot of a row, so per-(incident, party) amounts are one cell each.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..assumptions import Assumptions
from ..model import Indemnity, Model, RiskPool

RELATIONSHIP_CODE = {"independent_controllers": 0, "controller_to_processor": 1, "joint_controllers": 2}
COMPONENTS = ("compensation", "response_costs", "fines")


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


def build_layout(model: Model, assumptions: Assumptions) -> Layout:
    """Arrays of everything the simulation and the expected values need."""
    parties = model.parties
    P = len(parties)
    values = assumptions.values
    party_arrays = PartyArrays(
        ids=tuple(p.id for p in parties),
        is_public=np.array([p.is_public_body for p in parties], dtype=bool),
        turnover=np.array([np.nan if p.annual_turnover_gbp is None else p.annual_turnover_gbp for p in parties]),
        condition_p=np.array([values["condition_probability"][p.effective_dspt_status] for p in parties]),
        ins_limit=np.array([(p.insurance.cyber_limit_gbp or 0.0) if p.insurance else 0.0 for p in parties]),
        ins_excess=np.array([(p.insurance.excess_gbp or 0.0) if p.insurance else 0.0 for p in parties]),
        partners=np.array([p.partner_count for p in parties], dtype=float),
        personal=np.array([p.has_personal_exposure for p in parties], dtype=bool),
    )
    extra = _clause_parties(model)
    sb = max([2] + [len(f.controller_shares) for f in model.flows])
    S = sb + len(extra)
    F = len(model.flows)
    cols: dict[str, list] = {k: [] for k in FlowArrays.__dataclass_fields__}
    slot_party = np.full((F, S), -1, dtype=np.int32)
    bearer_share = np.zeros((F, sb))
    target_slot = np.zeros((F, len(extra)), dtype=np.int32)
    for i, flow in enumerate(model.flows):
        a = assumptions.for_flow(flow)
        recipient = model.party(flow.recipient)
        stage = a["stage"]
        sp = np.array([stage["source"], stage["transit"], stage["recipient"]], dtype=float)
        sp = sp / sp.sum()
        fb = a["fraction_beta"]
        fixed = float(fb) if isinstance(fb, (int, float)) else np.nan
        ab = (1.0, 1.0) if np.isfinite(fixed) else (float(fb[0]), float(fb[1]))
        row = {
            "rate": flow_rate(flow, a, recipient.effective_dspt_status),
            "stage_cum": np.cumsum(sp)[:2], "stage_p": sp, "beta_a": ab[0], "beta_b": ab[1],
            "fixed_fraction": fixed, "harm": float(a["harm"][flow.data.identifiability]),
            "records": float(flow.data.records),
            "special_mult": float(a["special_category_multiplier"]) if flow.data.special_category else 1.0,
            "response_fixed": float(a["response_fixed_gbp"]), "response_per_record": float(a["response_per_record_gbp"]),
            "claim_rate": float(a["claim_rate"]), "award_median": float(a["award_median_gbp"]),
            "award_sigma": float(a["award_sigma"]), "fine_p_public": float(a["fine_probability"]["public"]),
            "fine_p_other": float(a["fine_probability"]["other"]), "fine_median": float(a["fine_median_gbp"]),
            "fine_sigma": float(a["fine_sigma"]), "fine_cap_gbp": float(a["fine_cap_gbp"]),
            "fine_cap_share": float(a["fine_cap_turnover_share"]), "fault_share": float(a["processor_fault_share"]),
            "recovery_p": float(a["recovery_probability"]), "relationship": RELATIONSHIP_CODE[flow.relationship],
        }
        for k, v in row.items():
            cols[k].append(v)
        if flow.relationship == "joint_controllers":
            bearers = [s.party for s in flow.controller_shares]
            bearer_share[i, :len(bearers)] = [s.share for s in flow.controller_shares]
        else:
            bearers = [flow.source, flow.recipient]
        slot_party[i, :len(bearers)] = [model.party_position(b) for b in bearers]
        for e, party_index in enumerate(extra):
            where = np.flatnonzero(slot_party[i, :sb] == party_index)
            if where.size:
                target_slot[i, e] = where[0]
            else:
                target_slot[i, e] = sb + e
                slot_party[i, sb + e] = party_index
    arrays = {k: np.asarray(v, dtype=float) for k, v in cols.items()
              if k not in ("slot_party", "bearer_share", "target_slot")}
    arrays["relationship"] = arrays["relationship"].astype(np.int8)
    if F == 0:
        arrays["stage_cum"] = np.zeros((0, 2))
        arrays["stage_p"] = np.zeros((0, 3))
    flow_arrays = FlowArrays(**arrays, slot_party=slot_party, bearer_share=bearer_share, target_slot=target_slot)
    assert P == len(party_arrays.ids)
    return Layout(model, assumptions, flow_arrays, party_arrays, sb, extra)


def fine_cap(layout: Layout, flow_idx: np.ndarray, party_idx: np.ndarray) -> np.ndarray:
    """The statutory maximum per incident: max(fine_cap_gbp, share of the fined party's turnover)."""
    f = layout.flows
    turnover = layout.parties.turnover[party_idx]
    by_turnover = np.where(np.isnan(turnover), 0.0, turnover * f.fine_cap_share[flow_idx])
    return np.maximum(f.fine_cap_gbp[flow_idx], by_turnover)
