"""``dsa solve``, ``dsa sensitivity`` and ``dsa remediation`` (negotiation.md §3–§5)."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..findings import blocking, count, governance_errors, Severity
from ..liability import DISCLAIMER, SimulationConfig
from ..model import Model
from ..negotiation import VARY, parse_target, select_parties, solve
from ..negotiation.remediation import NOT_PRICED, remediation
from ..negotiation.scenario import VARY_WORDS, party_words, solution_document, value_words
from ..negotiation.sensitivity import DEFAULT_YEARS, METRICS, sensitivity
from ..text import money
from .common import (load_and_validate, progress_reporter, simulation_args_ok, validation_document, write_findings,
                     write_json)


def _figure(metric: str, x: float) -> str:
    return f"{x:.2%}" if metric.endswith("p_exceed") else money(x)


def _checked(args, stdout: TextIO):
    """(document, model, findings, exit code so far), or an exit code when the model cannot be used."""
    doc, findings = load_and_validate(args.model)
    if blocking(findings):
        if getattr(args, "json", False):
            write_json(stdout, validation_document(findings))
        else:
            stdout.write("The model has errors that stop it being assessed:\n")
            write_findings(stdout, blocking(findings))
        return 1
    return doc, Model.from_document(doc), findings


def _with_findings(result: dict, findings) -> dict:
    if governance_errors(findings):
        result["findings"] = {"errors": count(findings, Severity.ERROR), "warnings": count(findings, Severity.WARNING)}
    return result


def _ig_note(out: TextIO, findings) -> None:
    n = len(governance_errors(findings))
    if n:
        out.write(f"\nThe model has {n} unresolved information-governance error(s): see `dsa validate`.\n")


class Solve:
    NAME = "solve"
    HELP = "find the least generous share, cap or excess of a clause that keeps every targeted party within targets"

    @staticmethod
    def add_arguments(p: argparse.ArgumentParser) -> None:
        p.add_argument("model", metavar="MODEL", help="the model file (JSON)")
        p.add_argument("--clause", required=True, metavar="ID", help="the indemnity to solve for")
        p.add_argument("--vary", required=True, choices=list(VARY), help="which of its fields to vary")
        p.add_argument("--target", action="append", required=True, metavar="TARGET",
                       help='e.g. "partner.p99_9 <= 25000" (repeatable)')
        p.add_argument("--for", dest="for_", metavar="PARTIES",
                       help="party_type:TYPE or id1,id2 (default: every party with personal exposure)")
        p.add_argument("--scenario", metavar="ID", help="the arrangement (default: the first scenario with the clause)")
        p.add_argument("--years", type=int, default=100_000, metavar="N", help="simulated years (default 100000)")
        p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
        p.add_argument("--json", action="store_true", help="print one JSON document")
        p.add_argument("--write", metavar="OUT.json", help="write the model with the answer as scenario solved-<clause>")

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        if not simulation_args_ok(args, "solve", stderr):
            return 2
        targets = [parse_target(t) for t in args.target]  # a bad string raises TargetError → exit 2
        checked = _checked(args, stdout)
        if isinstance(checked, int):
            return checked
        doc, model, findings = checked
        parties = select_parties(model, args.for_)
        solution = solve(model, args.clause, args.vary, targets, parties, scenario_id=args.scenario,
                         config=SimulationConfig(years=args.years, seed=args.seed), progress=progress_reporter(stderr))
        if args.write:
            if solution.feasible:
                with open(args.write, "w", encoding="utf-8") as stream:
                    write_json(stream, solution_document(doc, solution, list(solution.arrangement)))
            else:
                stderr.write(f"dsa solve: nothing written to {args.write}: no value meets every target\n")
        if args.json:
            write_json(stdout, _with_findings(solution.to_json(), findings))
        else:
            write_solution(stdout, model, solution)
            if args.write and solution.feasible:
                stdout.write(f"\nWrote {args.write} with scenario solved-{solution.clause.id}; "
                             f"draft it with `dsa draft {args.write} --out DIR`.\n")
            _ig_note(stdout, findings)
        return 1 if governance_errors(findings) else 0


def write_solution(out: TextIO, model: Model, s) -> None:
    giver = model.party(s.clause.indemnifier).name
    what = VARY_WORDS[s.vary]
    scen = model.scenario(s.scenario_id).name if s.scenario_id else "the clause alone"
    out.write(f"Solving the {what} of “{s.clause.name}” ({s.clause.id}) in {scen}, over {s.years:,} simulated "
              f"years (seed {s.seed}), for {len(s.parties)} targeted parties.\n")
    out.write("Targets:\n")
    for t in s.targets:
        out.write(f"  {t.text:28}  {t.words(s.limits.get(t.subject))}\n")
    g = s.giver[s.clause.indemnifier]
    if s.feasible:
        out.write(f"\nAnswer: a {what} of {value_words(s.vary, s.value)} is the least generous value meeting every "
                  f"target. It adds {money(s.added_cost[s.clause.indemnifier])} a year on average to what {giver} "
                  f"bears ({money(g['mean'])} in all; 1 year in 1,000 worse than {money(g['p99_9'])}; its worst "
                  f"1 in 100 years average {money(g['tvar99'])}).\n")
    else:
        out.write(f"\nNo {what} meets every target (feasible: false). The most generous, "
                  f"{value_words(s.vary, s.frontier[-1 if VARY[s.vary][1] else 0]['value'])}, reaches:\n")
    for t in s.targets:
        out.write(f"  {t.text:28}  worst {_figure(t.metric, s.achieved[t.text])}"
                  f"{'' if t.met(s.achieved[t.text]) else '  (not met)'}\n")
    out.write(f"Binding: {s.binding['target']} for {party_words(model, s.binding['party'])}\n")
    if s.reasons:
        out.write("Why:\n" if not s.feasible else "Notes:\n")
        for r in s.reasons:
            out.write(f"  - {r['text']}\n")
    out.write(f"\nFrontier ({what} against the worst targeted figure and {giver}'s cost):\n")
    head = f"  {what:>16}  " + "  ".join(f"{t.text[:26]:>26}" for t in s.targets) + \
        f"  {'giver mean':>12}  {'giver 1-in-1,000':>16}  {'giver worst 1%':>14}\n"
    out.write(head)
    for row in s.frontier:
        gv = row["giver"][s.clause.indemnifier]
        out.write(f"  {value_words(s.vary, row['value']):>16}  "
                  + "  ".join(f"{_figure(t.metric, row['targets'][t.text]):>26}" for t in s.targets)
                  + f"  {money(gv['mean']):>12}  {money(gv['p99_9']):>16}  {money(gv['tvar99']):>14}\n")
    out.write("\n" + DISCLAIMER + "\n")


class Sensitivity:
    NAME = "sensitivity"
    HELP = "show which assumptions a figure rests on: each assumption's range, low and high, as a tornado"

    @staticmethod
    def add_arguments(p: argparse.ArgumentParser) -> None:
        p.add_argument("model", metavar="MODEL", help="the model file (JSON)")
        p.add_argument("--scenario", default="baseline", metavar="ID", help="default: the baseline")
        p.add_argument("--for", dest="for_", metavar="PARTIES",
                       help="party_type:TYPE or id1,id2 (default: every party with personal exposure)")
        p.add_argument("--metric", choices=METRICS, default="party.mean", help="default: party.mean")
        p.add_argument("--years", type=int, default=DEFAULT_YEARS, metavar="N",
                       help=f"simulated years where a simulation is needed (default {DEFAULT_YEARS})")
        p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
        p.add_argument("--json", action="store_true", help="print one JSON document")

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        if not simulation_args_ok(args, "sensitivity", stderr):
            return 2
        checked = _checked(args, stdout)
        if isinstance(checked, int):
            return checked
        doc, model, findings = checked
        result = sensitivity(model, select_parties(model, args.for_), metric=args.metric, scenario_id=args.scenario,
                             config=SimulationConfig(years=args.years, seed=args.seed),
                             progress=progress_reporter(stderr))
        if args.json:
            write_json(stdout, _with_findings(result, findings))
        else:
            how = ("exact expected values" if result["method"] == "exact" else
                   f"simulated, {result['years']:,} years from seed {result['seed']} for every end")
            out = stdout
            out.write(f"Sensitivity of {args.metric} ({'worst targeted partner' if args.metric.startswith('partner') else 'summed over the targeted parties'}, "
                      f"{len(result['parties'])} parties) in scenario {args.scenario}: {how}.\n")
            out.write(f"At the assumptions' values: {money(result['base'])}\n\n")
            out.write(f"{'Assumption':56}  {'low end':>12}  {'high end':>12}  {'swing':>12}  source of the range\n")
            for r in result["assumptions"]:
                out.write(f"{r['name'][:56]:56}  {money(r['low']):>12}  {money(r['high']):>12}  "
                          f"{money(r['swing']):>12}  {r['source']}\n")
            _ig_note(out, findings)
        return 1 if governance_errors(findings) else 0


class Remediation:
    NAME = "remediation"
    HELP = "rank fixes by what they take off the expected annual loss, and for whom"

    @staticmethod
    def add_arguments(p: argparse.ArgumentParser) -> None:
        p.add_argument("model", metavar="MODEL", help="the model file (JSON)")
        p.add_argument("--scenario", default="baseline", metavar="ID", help="default: the baseline")
        p.add_argument("--json", action="store_true", help="print one JSON document")

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        checked = _checked(args, stdout)
        if isinstance(checked, int):
            return checked
        doc, model, findings = checked
        result = remediation(doc, scenario_id=args.scenario, findings=findings, progress=progress_reporter(stderr))
        if args.json:
            write_json(stdout, _with_findings(result, findings))
        else:
            write_remediation(stdout, model, result)
            _ig_note(stdout, findings)
        return 1 if governance_errors(findings) else 0


def write_remediation(out: TextIO, model: Model, result: dict) -> None:
    how = "exact expected values" if result["exact"] else "simulated (the scenario has caps or an excess)"
    out.write(f"What fixing buys, in scenario {result['scenario']} ({how}): change in expected annual loss.\n\n")
    if not result["actions"]:
        out.write("No priced action: no party below DSPT Standards Met, no insecure transfer, no identifiable "
                  "flow for a purpose other than direct care.\n")
    for i, a in enumerate(result["actions"], 1):
        total = a["change"]["total"]
        out.write(f"{i:3}. {a['description']}\n      total: {money(total)} a year"
                  f"{' (moves loss between parties)' if abs(total) < 0.5 and a['change']['parties'] else ''}\n")
        for pid, delta in sorted(a["change"]["parties"].items(), key=lambda kv: kv[1]):
            per = a["change"]["partners"].get(pid)
            out.write(f"      {model.party(pid).name}: {money(delta)}"
                      + (f" ({money(per)} per partner)" if per is not None else "") + "\n")
        for f in a["findings"]:
            out.write(f"      resolves {f['rule']} at {f['path']}\n")
    if result["not_priced"]:
        out.write(f"\nAlso to put right ({NOT_PRICED}):\n")
        for a in result["not_priced"]:
            f = a["findings"][0]
            out.write(f"  - {a['description']}  [{f['rule']} {f['severity']} at {f['path']}]\n")
    out.write("\n" + DISCLAIMER + "\n")


COMMANDS = (Solve, Sensitivity, Remediation)
