"""A short briefing for one GP practice's partners: its flows, its roles, its problems, its exposure.

What an LMC representative takes to a practice meeting. Markdown and DOCX,
built from the model, its findings and an assessment (``Assessment.to_json()``).
"""

from __future__ import annotations

from typing import Iterable, Mapping

from ..canonical import model_version
from ..findings import Finding
from ..liability import DISCLAIMER
from ..liability.tables import practice_exposure
from ..model import Flow, Model
from .docx import markdown_to_docx
from .filters import long_date, md, money, pct, purpose_words

ROLE_WORDS = {"independent_controllers": "independent controller", "joint_controllers": "joint controller"}


def role_on(flow: Flow, party_id: str) -> str:
    """The practice's UK GDPR role on one flow, in words."""
    if flow.relationship == "joint_controllers":
        share = next((s.share for s in flow.controller_shares if s.party == party_id), None)
        return f"joint controller ({pct(share)} share)" if share is not None else "joint controller"
    if flow.relationship == "controller_to_processor":
        return "controller (the recipient processes for you)" if flow.source == party_id else "processor"
    return "independent controller (" + ("discloser" if flow.source == party_id else "recipient") + ")"


def _flow_findings(findings: Iterable[Finding], positions: Mapping[int, Flow], party_position: int
                   ) -> list[tuple[str, Finding]]:
    out = []
    for f in findings:
        path = f.path
        if len(path) >= 2 and path[0] == "flows" and path[1] in positions:
            out.append((positions[path[1]].name, f))
        elif len(path) >= 2 and path[0] == "parties" and path[1] == party_position:
            out.append(("the practice", f))
    return out


def _tail_probability(value) -> str:
    if value is None:
        return "not available"
    v = float(value)
    if v <= 0:
        return "never in the simulation"
    return f"{v:.1%} (about 1 year in {1 / v:,.0f})" if v < 0.5 else f"{v:.0%}"


def tail_section(assessment: Mapping, party_id: str, party_name: str, names: Mapping[str, str]) -> list[str]:
    """How bad a bad year is (negotiation.md §1): the tail figures, each explained in words."""
    threshold = money(assessment.get("partner_threshold_gbp", 10_000))
    lines = ["", "## How bad a bad year could be", "",
             "Incidents are rare, so the average and even the 1-in-100 figure can read as \"no risk\". These "
             "figures describe the rare bad years, after the risk-sharing clauses and before the practice's own "
             "insurance (per partner: after insurance):", "",
             "- **Chance of any loss**: the share of years in which the practice bears any loss at all.",
             "- **1 in 200** and **1 in 1,000**: one year in 200 (or in 1,000) is worse than this.",
             "- **Worst 1% average**: the average loss in the worst one year in a hundred; what a bad year "
             "costs on average when it comes.",
             f"- **Chance above {threshold}**: the chance that one partner's share of a year's loss exceeds "
             f"{threshold}.", "",
             "| Scenario | Chance of any loss | 1 in 200 | 1 in 1,000 | Worst 1% average | 1 in 1,000 per partner | "
             f"Worst 1% average per partner | Chance above {threshold} per partner |",
             "|---|---|---|---|---|---|---|---|"]
    for sid, res in assessment["scenarios"].items():
        stats = res["parties"].get(party_id, {})
        partner = res.get("partners", {}).get(party_id, {})
        label = "Legal default (no clauses)" if sid == "baseline" else md(names.get(sid, sid))
        per = ([money(partner.get("p99_9_per_partner")), money(partner.get("tvar99_per_partner")),
                _tail_probability(partner.get("p_exceed_per_partner"))] if partner else
               ["no personal exposure"] * 3)
        lines.append(f"| {label} | {_tail_probability(stats.get('p_any'))} | {money(stats.get('p99_5'))} | "
                     f"{money(stats.get('p99_9'))} | {money(stats.get('tvar99'))} | " + " | ".join(per) + " |")
    return lines


def practice_briefing(document: dict, party_id: str, assessment: Mapping, findings: Iterable[Finding],
                      date: str) -> tuple[str, bytes]:
    """The briefing for ``party_id`` as (Markdown, DOCX bytes)."""
    model = Model.from_document(document)
    party = model.party(party_id)
    version = model_version(document)
    positions = {i: f for i, f in enumerate(model.flows) if party_id in f.parties}
    lines = [f"# Data sharing: what it means for {md(party.name)}", "",
             f"> {DISCLAIMER}", "",
             f"Prepared for the partners of {md(party.name)}"
             f"{f' (ODS {md(party.ods_code)})' if party.ods_code else ''} on {long_date(date)}, from version "
             f"{version} of the partnership model \"{md(model.partnership.name)}\".", "",
             "## Your practice's data flows", ""]
    if positions:
        lines += ["| Flow | Other party | Direction | Purpose | Your role | Data | Records |", "|---|---|---|---|---|---|---|"]
        for f in positions.values():
            other = f.recipient if f.source == party_id else f.source
            lines.append(f"| {md(f.name)} | {md(model.party(other).name)} | "
                         f"{'you send' if f.source == party_id else 'you receive'} | {purpose_words(f.purpose)} | "
                         f"{role_on(f, party_id)} | {f.data.identifiability} | {f.data.records:,} |")
    else:
        lines.append("The practice takes part in no flow of this partnership.")
    lines += ["", "## Problems found on these flows", ""]
    problems = _flow_findings(findings, positions, model.party_position(party_id))
    if problems:
        lines += [f"- **{f.severity.value.upper()} {f.rule}** ({md(where)}): {md(f.message)} Fix: {md(f.fix)}"
                  for where, f in problems]
    else:
        lines.append("The validator found no problem on the practice's flows.")
    lines += ["", "## Your exposure, with and without the risk-sharing clauses", "",
              f"Annual losses simulated over {assessment['years']:,} years (seed {assessment['seed']}). "
              "\"P99\" is the loss exceeded in one year in a hundred; \"joint and several\" is what one partner "
              "could be pursued for, because partners are personally liable for the practice's debts.", "",
              "| Scenario | Practice mean | Practice P99 | Mean per partner | P99 per partner | "
              "Joint and several P99 |", "|---|---|---|---|---|---|"]
    names = {s.id: s.name for s in model.scenarios}
    for row in practice_exposure(assessment, party_id):
        sid = row["scenario_id"]
        label = "Legal default (no clauses)" if sid == "baseline" else md(names.get(sid, sid))
        per = [money(row[k]) for k in ("mean_per_partner", "p99_per_partner", "joint_and_several_p99")]
        lines.append(f"| {label} | {money(row['mean'])} | {money(row['p99'])} | " + " | ".join(per) + " |")
    lines += tail_section(assessment, party_id, party.name, names)
    lines += ["", "## Before you sign", "",
              "- Check each flow above against what the practice actually sends and receives.",
              "- Ask for every problem listed above to be fixed, or its risk accepted in writing.",
              "- Read the risk-sharing schedule: the condition the practice must meet for an indemnity to respond, "
              "and its excess and caps.", ""]
    markdown = "\n".join(lines)
    header = f"Briefing for partners · {long_date(date)} · model version {version}"
    return markdown, markdown_to_docx(markdown, title=f"Briefing: {party.name}", header=header, date=date)
