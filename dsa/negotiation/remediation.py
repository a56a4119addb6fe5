"""What fixing buys (negotiation.md §5): candidate actions from the model, each priced by the exact
change in expected annual loss per party, per partner and in total; fixes the loss model does not price
listed after them with the findings they resolve (never as £0, which would read as "worthless").
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from ..findings import Finding, Severity
from ..labels import DSPT_STATUS, IDENTIFIABILITY, PURPOSE, TRANSFER_METHOD
from ..liability import SimulationConfig, expected_values
from ..model import Model
from ..validation import validate
from .exact import ExactMeans

BELOW_MET = ("approaching_standards", "standards_not_met", "not_published")
INSECURE = ("unsecured_email", "physical_media", "other")
BULK = ("one_off", "annually", "quarterly")  # a one-off or periodic bulk file goes by SFTP, not an API
NOT_PRICED = "not priced by the model"


@dataclass(frozen=True)
class Action:
    kind: str           # "dspt", "transfer", "pseudonymise"
    subject: str        # "party" or "flow"
    id: str
    description: str
    change: Callable[[dict], None]  # edits a document in place
    flows: tuple[str, ...]          # flows whose expected losses the action changes


def candidate_actions(model: Model) -> list[Action]:
    """The priced candidates, in model order: DSPT status, then transfer method, then pseudonymisation."""
    out: list[Action] = []
    for party in model.parties:
        status = party.effective_dspt_status
        if status in BELOW_MET:
            def to_met(doc: dict, pid: str = party.id) -> None:
                next(p for p in doc["parties"] if p.get("id") == pid)["dspt_status"] = "standards_met"
            out.append(Action("dspt", "party", party.id,
                              f"{party.name} reaches DSPT Standards Met (now {DSPT_STATUS[status]})", to_met,
                              tuple(f.id for f in model.flows_of_party(party.id))))
    for flow in model.flows:
        if flow.transfer.method in INSECURE:
            method = "sftp" if flow.transfer.frequency in BULK else "secure_api"

            def secure(doc: dict, fid: str = flow.id, method: str = method) -> None:
                transfer = next(f for f in doc["flows"] if f.get("id") == fid)["transfer"]
                transfer["method"], transfer["encrypted"] = method, True
            out.append(Action("transfer", "flow", flow.id,
                              f"“{flow.name}” is sent by {TRANSFER_METHOD[method]} instead of "
                              f"{TRANSFER_METHOD[flow.transfer.method]}", secure, (flow.id,)))
    for flow in model.flows:
        if flow.data.identifiability == "identifiable" and flow.purpose != "direct_care":
            def pseudonymise(doc: dict, fid: str = flow.id) -> None:
                next(f for f in doc["flows"] if f.get("id") == fid)["data"]["identifiability"] = "pseudonymised"
            out.append(Action("pseudonymise", "flow", flow.id,
                              f"“{flow.name}” is {IDENTIFIABILITY['pseudonymised'].lower()} "
                              f"({PURPOSE[flow.purpose]} is not direct care)", pseudonymise, (flow.id,)))
    return out


def _subdocument(doc: dict, flow_ids: set[str], *, for_validation: bool) -> dict:
    """The document with only the given flows (expected losses add up over flows under linear clauses).

    For validation, only the parties those flows involve and no clauses, so it stays small."""
    sub = {k: v for k, v in doc.items() if k != "flows"}
    sub["flows"] = [f for f in doc["flows"] if f.get("id") in flow_ids]
    if for_validation:
        involved = {f.get(k) for f in sub["flows"] for k in ("from", "to")}
        involved |= {s.get("party") for f in sub["flows"] for s in f.get("joint_controllers") or []}
        sub["parties"] = [p for p in doc["parties"] if p.get("id") in involved]
        sub.pop("clauses", None)
        sub.pop("scenarios", None)
    return copy.deepcopy(sub)


def _key(doc: dict, f: Finding) -> tuple:
    """A finding's identity independent of list positions: rule and the ids of the items its path runs through."""
    path = list(f.path)
    if len(path) >= 2 and path[0] in ("flows", "parties") and isinstance(path[1], int):
        item = doc[path[0]][path[1]]
        path[1] = item.get("id") if isinstance(item, dict) else path[1]
    return (f.rule, tuple(path))


def _resolved(doc: dict, action: Action, before_doc: dict) -> list[Finding]:
    """Errors and warnings the action removes, found by validating the part of the model it touches."""
    flows = set(action.flows)
    before = _subdocument(before_doc, flows, for_validation=True)
    if action.subject == "party" and not any(p.get("id") == action.id for p in before["parties"]):
        before["parties"].append(copy.deepcopy(next(p for p in doc["parties"] if p.get("id") == action.id)))
    after = copy.deepcopy(before)
    action.change(after)
    gone = {_key(after, f) for f in validate(after)}
    return [f for f in validate(before)
            if f.severity in (Severity.ERROR, Severity.WARNING) and _key(before, f) not in gone]


def _full_path(doc: dict, sub: dict, f: Finding) -> Finding:
    """The finding with its path pointing into the whole document."""
    path = list(f.path)
    if len(path) >= 2 and path[0] in ("flows", "parties") and isinstance(path[1], int):
        ident = sub[path[0]][path[1]].get("id")
        path[1] = next(i for i, item in enumerate(doc[path[0]]) if isinstance(item, dict) and item.get("id") == ident)
    return Finding(f.rule, f.severity, tuple(path), f.message, f.fix)


def _priced_change(model: Model, doc: dict, action: Action, scenario_id: str, exact: bool,
                   config: SimulationConfig, original: dict | None) -> np.ndarray:
    """(P,) change in each party's expected annual loss (before insurance) the action makes."""
    if exact:
        flows = set(action.flows)
        sub = _subdocument(doc, flows, for_validation=False)
        before = ExactMeans(Model.from_document(sub), scenario_id).party_means().sum(axis=1)
        action.change(sub)
        after = ExactMeans(Model.from_document(sub), scenario_id).party_means().sum(axis=1)
        return after - before
    changed = copy.deepcopy(doc)
    action.change(changed)
    ids = [] if scenario_id == "baseline" else [scenario_id]
    new = expected_values(Model.from_document(changed), ids, config=config)["scenarios"][scenario_id]["parties"]
    return np.array([new[p.id]["mean"] - original[p.id]["mean"] for p in model.parties])


def remediation(doc: Mapping, *, scenario_id: str = "baseline", findings: list[Finding] | None = None,
                config: SimulationConfig = SimulationConfig(years=20_000),
                progress: Callable[[float], None] | None = None) -> dict:
    """The ranked actions document (``dsa remediation --json``)."""
    doc = copy.deepcopy(dict(doc))
    model = Model.from_document(doc)
    model.scenario(scenario_id)
    findings = validate(doc) if findings is None else findings
    exact = ExactMeans(model, scenario_id).linear
    original = None
    if not exact:
        ids = [] if scenario_id == "baseline" else [scenario_id]
        original = expected_values(model, ids, config=config)["scenarios"][scenario_id]["parties"]
    actions = candidate_actions(model)
    priced, covered = [], set()
    report = progress or (lambda f: None)
    for k, action in enumerate(actions):
        delta = _priced_change(model, doc, action, scenario_id, exact, config, original)
        sub = _subdocument(doc, set(action.flows), for_validation=True)
        if action.subject == "party" and not any(p.get("id") == action.id for p in sub["parties"]):
            sub["parties"].append(copy.deepcopy(next(p for p in doc["parties"] if p.get("id") == action.id)))
        resolved = [_full_path(doc, sub, f) for f in _resolved(doc, action, doc)]
        covered |= {(f.rule, f.path) for f in resolved}
        parties = {p.id: float(delta[i]) for i, p in enumerate(model.parties) if delta[i] != 0}
        partners = {p.id: float(delta[i]) / p.partner_count for i, p in enumerate(model.parties)
                    if delta[i] != 0 and p.has_personal_exposure}
        priced.append({"action": action.kind, action.subject: action.id, "description": action.description,
                       "priced": True, "change": {"parties": parties, "partners": partners,
                                                  "total": float(delta.sum())},
                       "reduction": float(-delta.sum()) + 0.0, "findings": [f.to_dict() for f in resolved]})
        report((k + 1) / max(len(actions), 1))
    priced.sort(key=lambda a: -a["reduction"])
    not_priced = []
    for f in findings:
        if f.severity not in (Severity.ERROR, Severity.WARNING) or not f.rule.startswith("IG"):
            continue
        if len(f.path) < 2 or f.path[0] not in ("flows", "parties") or not isinstance(f.path[1], int):
            continue
        if (f.rule, f.path) in covered:
            continue
        item = doc[f.path[0]][f.path[1]]
        subject = "flow" if f.path[0] == "flows" else "party"
        name = item.get("name", item.get("id")) if isinstance(item, dict) else str(f.path[1])
        not_priced.append({"action": "governance", subject: item.get("id") if isinstance(item, dict) else None,
                           "description": f"“{name}”: {f.fix}", "priced": False, "note": NOT_PRICED,
                           "findings": [f.to_dict()]})
    report(1.0)
    return {"scenario": scenario_id, "exact": exact, "actions": priced, "not_priced": not_priced}
