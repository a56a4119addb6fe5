"""``dsa assess MODEL [--scenario ID]… [--years N] [--seed S] [--threshold GBP] [--expected] [--json]
[--cluster tcp://HOST:8786]``.

Only schema and reference errors block the numbers (deployment.md): a model whose only errors are
information-governance ones is assessed, and the command then exits 1 after saying how many remain.
"""

from __future__ import annotations

import argparse
from functools import partial
from typing import Callable, TextIO

from ..collector import long_lived_objects
from ..findings import Severity, blocking, count, governance_errors
from ..liability import DISCLAIMER, SimulationConfig, assess, expected_values
from ..liability.assessment import load_kernels
from ..liability.cluster import ENV as CLUSTER_ENV
from ..liability.cluster import executor as cluster_executor
from ..liability.cluster import scheduler_address
from ..liability.parameters import Layout
from ..loading import ModelText, read_model_file
from ..model import Model
from ..settings import ValidationSettings
from ..validation import validate
from ..text import money
from . import validate_on_two_cores as two_cores
from .common import held_until_exit, keep_freed_memory, prefer_small_pages, progress_reporter, simulation_args_ok, validation_document, write_findings, write_json

NAME = "assess"
HELP = "simulate breach losses and show each party's and each GP partner's exposure, per scenario"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="the model file (JSON)")
    parser.add_argument("--scenario", action="append", metavar="ID", help="assess this scenario (repeatable; "
                        "default: every scenario); the baseline is always included")
    parser.add_argument("--years", type=int, default=100_000, metavar="N", help="simulated years (default 100000)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--threshold", type=float, metavar="GBP",
                        help="threshold for the probability of exceeding it (default: the model's, else £100,000)")
    parser.add_argument("--expected", action="store_true", help="exact expected values instead of a simulation")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--cluster", metavar="ADDRESS", help="run the simulated years on this Dask scheduler "
                        f"(tcp://HOST:8786; default: ${CLUSTER_ENV} if set, else this machine); same figures")


def write_table(out: TextIO, model: Model, doc: dict) -> None:
    """Parties as rows, scenarios side by side; then GP partners; then the statement."""
    scenarios = list(doc["scenarios"])
    expected = doc.get("expected", False)
    cols = ["mean"] if expected else ["mean", "p99"]
    width = max(len(p.name) for p in model.parties) if model.parties else 10
    width = min(max(width, 10), 44)
    names = {s.id: s.name for s in model.scenarios}
    out.write("Scenarios: " + "; ".join(f"{s} ({names.get(s, 'no risk-sharing clauses')})" for s in scenarios)
              + "\n")
    head = f"{'Party':{width}}  " + "  ".join(f"{s[:12] + ' ' + c:>20}" for s in scenarios for c in cols)
    out.write(("Expected annual loss (exact)\n" if expected else
               f"Annual loss per party over {doc['years']:,} simulated years (seed {doc['seed']}), "
               "after clauses, before insurance\n"))
    out.write(head + "\n" + "-" * len(head) + "\n")
    for p in model.parties:
        cells = [money(doc["scenarios"][s]["parties"][p.id].get(c)) for s in scenarios for c in cols]
        out.write(f"{p.name[:width]:{width}}  " + "  ".join(f"{c:>20}" for c in cells) + "\n")
    totals = [money(doc["scenarios"][s]["total"].get(c)) for s in scenarios for c in cols]
    out.write(f"{'Total':{width}}  " + "  ".join(f"{c:>20}" for c in totals) + "\n\n")
    personal = [p for p in model.parties if p.has_personal_exposure]
    if personal:
        pcols = ["mean_per_partner"] if expected else ["mean_per_partner", "p99_per_partner", "joint_and_several_p99"]
        labels = {"mean_per_partner": "mean/partner", "p99_per_partner": "P99/partner",
                  "joint_and_several_p99": "J&S P99"}
        out.write("GP partners' personal exposure (after insurance)\n")
        head = f"{'Practice (partners)':{width}}  " + "  ".join(
            f"{s[:10] + ' ' + labels[c]:>24}" for s in scenarios for c in pcols)
        out.write(head + "\n" + "-" * len(head) + "\n")
        for p in personal:
            cells = [money(doc["scenarios"][s]["partners"][p.id].get(c)) for s in scenarios for c in pcols]
            label = f"{p.name} ({p.partner_count})"
            out.write(f"{label[:width]:{width}}  " + "  ".join(f"{c:>24}" for c in cells) + "\n")
        out.write("\n")
    out.write(DISCLAIMER + "\n")


def _readable_model(args: argparse.Namespace, stdout: TextIO) -> tuple[Model, dict, int, Layout | None] | int:
    """The model, its findings' counts for the JSON, its IG errors and its layout if already built; or exit 1
    (said) when it cannot be read.

    Only the counts outlive this function: the document and the findings (a national model's 180,000) are
    released before the simulation, whose memory is the run's peak.
    """
    text = read_model_file(args.model)
    if two_cores.worthwhile(text):
        counted = _counted_on_two_cores(text, partial(_load_kernels, args))
        if counted is not None:
            return counted
    doc = text.parse()
    findings = validate(doc)
    if blocking(findings):
        if args.json:
            write_json(stdout, validation_document(findings))
        else:
            stdout.write("The model has errors that stop it being read, so it is not assessed:\n")
            write_findings(stdout, blocking(findings))
        return 1
    counts = {"errors": count(findings, Severity.ERROR), "warnings": count(findings, Severity.WARNING)}
    ig_errors = len(governance_errors(findings))
    del findings
    return Model.from_document(doc, take=True), counts, ig_errors, None


def _counted_on_two_cores(text: ModelText,
                          load_kernels: Callable[[Model], Layout | None]) -> tuple[Model, dict, int, Layout | None] | None:
    """A large model's findings counted by a child process (``validate_on_two_cores.Counting``) while this one
    builds the model and loads the simulation's compiled kernels: one process per core, where loading them
    in the simulation's first chunk would leave the second core idle. None when the model does not match the
    schema, has errors that stop it being read, or the child failed: the caller then checks it on one core,
    which reports whatever is wrong as it always has."""
    doc = text.parse()
    with two_cores.Counting(text, ValidationSettings(), doc) as counting:
        try:  # while the child checks the schema; a model built from a document that fails it is not used
            model: Model | None = Model.from_document(doc, take=True)
        except Exception:
            model = None
        del doc
        if not counting.schema_valid() or model is None:
            return None
        layout = load_kernels(model)  # before the reference rules have answered: the caller reports theirs
        counts = counting.counts()
    if counts is None or counts[2]:
        return None
    errors, warnings, _ = counts
    return model, {"errors": errors, "warnings": warnings}, errors, layout


def _load_kernels(args: argparse.Namespace, model: Model) -> Layout | None:
    """``liability.load_kernels`` for the simulation this command will run on this machine (None: none will,
    or loading failed)."""
    if args.expected or scheduler_address(args.cluster) is not None or _unknown_scenarios(args, model):
        return None
    try:
        return load_kernels(model, scenarios=_scenarios(args), config=SimulationConfig(years=args.years,
                                                                                       seed=args.seed))
    except Exception:  # noqa: BLE001 - only a head start: the findings (a reference error, say) or the
        return None    # simulation itself then say what is wrong, as they would without it


def _unknown_scenarios(args: argparse.Namespace, model: Model) -> list[str]:
    known = {"baseline", *(s.id for s in model.scenarios)}
    return [s for s in args.scenario or () if s not in known]


def _scenarios(args: argparse.Namespace) -> list[str] | None:
    return [s for s in args.scenario if s != "baseline"] if args.scenario else None


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if not simulation_args_ok(args, NAME, stderr):
        return 2
    prefer_small_pages()
    keep_freed_memory()
    with long_lived_objects() as built:
        readable = _readable_model(args, stdout)
        if isinstance(readable, int):
            return readable
        model, counts, ig_errors, layout = readable
        del readable
        built()
        return _assess(args, model, counts, ig_errors, layout, stdout, stderr)


def _assess(args: argparse.Namespace, model: Model, counts: dict, ig_errors: int, layout: Layout | None,
            stdout: TextIO, stderr: TextIO) -> int:
    unknown = _unknown_scenarios(args, model)
    if unknown:
        known = {"baseline", *(s.id for s in model.scenarios)}
        stderr.write(f"dsa assess: unknown scenario {unknown[0]!r}; the model has: {', '.join(sorted(known))}\n")
        return 2
    scenarios = _scenarios(args)
    config = SimulationConfig(years=args.years, seed=args.seed)
    progress = progress_reporter(stderr)
    if args.expected:
        result = expected_values(model, scenarios, args.threshold, config=config)
    else:
        address = scheduler_address(args.cluster)
        if address is None:
            result = assess(model, scenarios=scenarios, config=config, threshold_gbp=args.threshold,
                            progress=progress, layout=layout, json_ahead=True).to_json()
        else:
            with cluster_executor(address) as on_cluster:
                result = assess(model, scenarios=scenarios, config=config, threshold_gbp=args.threshold,
                                progress=progress, executor=on_cluster, json_ahead=True).to_json()
    if args.json:
        result["findings"] = counts
        write_json(stdout, result)
    else:
        write_table(stdout, model, result)
    held_until_exit(model, result)
    if ig_errors:
        stderr.write(f"dsa assess: assessed, but {ig_errors} information-governance error"
                     f"{'s remain' if ig_errors != 1 else ' remains'} (run `dsa validate` to see "
                     f"{'them' if ig_errors != 1 else 'it'})\n")
        return 1
    return 0
