"""``dsa compare A.json B.json [C.json …] [--saved NAME:V …] [--scenario A.json=ID …] [--years N] [--seed S] [--json]``.

Arrangements side by side (arrangements.md §2): each model assessed on the same
seed, parties matched by id, else ODS code. Exit 2 when a file or saved version
cannot be read; 1 when a model has blocking (schema or reference) errors, which
are printed and named, or when a compared model still has information-governance
errors (it is compared, and the command says which).
"""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from ..canonical import model_version, version_label
from ..compare import METRIC_LABELS, PARTNER_METRICS, PARTY_METRICS, Arrangement, Comparison, compare, unique_labels
from ..findings import Severity, blocking, count, governance_errors
from ..liability import DISCLAIMER, SimulationConfig
from ..loading import load_document
from ..text import money
from ..validation import validate
from .common import simulation_args_ok, validation_document, write_findings, write_json

NAME = "compare"
HELP = "compare arrangements side by side: who carries what under each model"
ABSENT = "—"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("models", nargs="*", metavar="MODEL", help="model files (JSON) to compare")
    parser.add_argument("--saved", action="extend", nargs="+", default=[], metavar="NAME:V",
                        help="saved versions to compare: the model's name in the store and its version "
                             "number (give files before --saved)")
    parser.add_argument("--scenario", action="append", default=[], metavar="MODEL=ID",
                        help="assess this scenario of that model (a file as given, or NAME:V) instead of "
                             "its baseline; repeatable, each applying to the model's next occurrence, so "
                             "A.json A.json --scenario A.json=ID compares A's scenario with its baseline")
    parser.add_argument("--years", type=int, default=100_000, metavar="N", help="simulated years (default 100000)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def _saved_spec(spec: str) -> tuple[str, int]:
    name, sep, number = spec.rpartition(":")
    if not sep or not name or not number.isdigit() or int(number) < 1:
        raise ValueError(f"--saved {spec!r} is not NAME:VERSION (for example 'Herefordshire PHM:2')")
    return name, int(number)


def _file_labels(paths: list[str]) -> list[str]:
    """Each file by its name alone, unless two different files share a name (then as given)."""
    names = [os.path.basename(p) or p for p in paths]
    clash = {n for n in names if len({p for p, m in zip(paths, names) if m == n}) > 1}
    return [p if n in clash else n for n, p in zip(names, paths)]


def _load(args: argparse.Namespace) -> list[tuple[str, str, dict]]:
    """(argument as given, label, document) per model, files first; raises InputError or NotFoundError
    (exit 2) when one cannot be read, and ValueError for a malformed --saved."""
    out = [(path, label, load_document(path)) for path, label in zip(args.models, _file_labels(args.models))]
    specs = [(spec, *_saved_spec(spec)) for spec in args.saved]
    if specs:
        from ..storage import Store  # imported here: the store pulls in SQLAlchemy and Alembic

        with Store.open() as store:
            for spec, name, number in specs:
                doc = store.load(name, number)
                out.append((spec, version_label(name, number, model_version(doc)), doc))
    return out


def write_text(out: TextIO, result: Comparison, findings_by_label: dict[str, list]) -> None:
    labels = list(result.labels)
    width = min(max([len(r.name) for r in result.parties] + [12]), 44)
    cols = [max(len(label), 12) for label in labels]

    def table(metric: str, partners: bool = False) -> None:
        rows = result.metric_rows(metric)
        if not rows:
            return
        head = f"{'Party':{width}}  " + "  ".join(f"{label:>{w}}" for label, w in zip(labels, cols))
        out.write(f"{METRIC_LABELS[metric]}\n{head}\n{'-' * len(head)}\n")
        for row, values in rows:
            suffix = ""
            if partners:
                counts = {c["partners"] for c in row.cells if c is not None and "partners" in c}
                if len(counts) == 1:
                    suffix = f" ({counts.pop()})"
            name = row.name[:width - len(suffix)] + suffix
            out.write(f"{name:{width}}  " + "  ".join(f"{money(v):>{w}}" for v, w in zip(values, cols))
                      + "\n")
        out.write("\n")

    runs = f"{result.years:,} simulated years (seed {result.seed})" if result.years else "the same seed"
    out.write(f"Arrangements compared on the same {runs}:\n")
    for m in result.models:
        out.write(f"  {m.label}: {m.partnership}; {m.scenario_name}; model version {m.version}\n")
    out.write("Annual losses after the clauses, before insurance. — means the party is not in that model.\n\n")
    for metric in PARTY_METRICS:
        table(metric)
    if any(row.personally_exposed for row in result.parties):
        out.write("Partners' personal exposure (partnerships and sole traders; after insurance; "
                  "partners in brackets)\n\n")
        for metric in PARTNER_METRICS:
            table(metric, partners=True)
    out.write("Who carries the most\n")
    for m in result.models:
        line = f"  {m.label}: {money(m.total_mean)} a year in all"
        if m.largest_name is not None:
            line += f"; the largest share, {m.largest_share:.0%}, falls on {m.largest_name}"
        out.write(line + ".\n")
    for label, errors in findings_by_label.items():
        out.write(f"\n{label} still has {len(errors)} information-governance error(s); "
                  f"run `dsa validate` on it.\n")
    out.write("\n" + DISCLAIMER + "\n")


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if not simulation_args_ok(args, NAME, stderr):
        return 2
    if len(args.models) + len(args.saved) < 2:
        stderr.write("dsa compare: give at least two models (files, or --saved NAME:V)\n")
        return 2
    try:
        loaded = _load(args)
    except ValueError as exc:
        stderr.write(f"dsa compare: {exc}\n")
        return 2
    labels = unique_labels([label for _, label, _ in loaded])
    scenarios: list[str] = ["baseline"] * len(loaded)
    assigned: set[int] = set()
    for item in args.scenario:
        given, sep, sid = item.rpartition("=")
        if not sep or not given or not sid:
            stderr.write(f"dsa compare: --scenario {item!r} is not MODEL=ID\n")
            return 2
        # Each --scenario takes the next occurrence of its model, so one file can be compared with itself.
        free = [i for i, (g, _, _) in enumerate(loaded) if g == given and i not in assigned]
        if not free:
            known = any(g == given for g, _, _ in loaded)
            stderr.write(f"dsa compare: --scenario names {given!r}, which is "
                         + ("given fewer times than it has --scenario options\n" if known
                            else "not one of the compared models\n"))
            return 2
        scenarios[free[0]] = sid
        assigned.add(free[0])

    arrangements, blocked, ig_errors, counts = [], {}, {}, {}
    for (_, _, doc), label, scenario in zip(loaded, labels, scenarios):
        findings = validate(doc)
        if blocking(findings):
            blocked[label] = findings
            continue
        if governance_errors(findings):
            ig_errors[label] = governance_errors(findings)
        counts[label] = {"errors": count(findings, Severity.ERROR), "warnings": count(findings, Severity.WARNING)}
        arrangements.append(Arrangement(label=label, doc=doc, scenario=scenario))
    if blocked:
        names = ", ".join(blocked)
        stderr.write(f"dsa compare: {names} {'has' if len(blocked) == 1 else 'have'} errors that block assessing, "
                     "so nothing is compared\n")
        if args.json:
            write_json(stdout, {"blocked": {label: validation_document(blocking(f)) for label, f in blocked.items()}})
        else:
            for label, findings in blocked.items():
                stdout.write(f"{label} has errors, so it cannot be assessed:\n")
                write_findings(stdout, blocking(findings))
        return 1

    result = compare(arrangements, config=SimulationConfig(years=args.years, seed=args.seed))
    if args.json:
        document = result.to_json()
        if ig_errors:
            document["findings"] = {label: counts[label] for label in ig_errors}
        write_json(stdout, document)
    else:
        write_text(stdout, result, ig_errors)
    return 1 if ig_errors else 0

