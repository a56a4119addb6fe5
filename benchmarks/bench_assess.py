"""Assess the ICB model (target < 1 s) and the national model (target < 30 s, < 4 GB peak) at 100,000 years.

Each case runs in a fresh subprocess so its peak memory (ru_maxrss) is its own.
Run: python3 benchmarks/bench_assess.py [--national-only | --icb-only]
"""

from __future__ import annotations

import json
import subprocess
import sys

from _common import ROOT, report

CASE = r"""
import json, resource, sys, time
sys.path[:0] = [{root!r}, {bench!r}]
from generate import {maker}
from dsa.model import Model
from dsa.liability import assess, SimulationConfig
model = Model.from_document({maker}())
start = time.perf_counter()
result = assess(model, config=SimulationConfig(years=100_000, seed=0))
elapsed = time.perf_counter() - start
doc = result.to_json()
print(json.dumps({{"seconds": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "scenarios": list(doc["scenarios"]), "parties": len(doc["scenarios"]["baseline"]["parties"])}}))
"""


def run_case(maker: str) -> dict:
    code = CASE.format(root=str(ROOT), bench=str(ROOT / "benchmarks"), maker=maker)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    args = set(sys.argv[1:])
    if "--national-only" not in args:
        best = min((run_case("icb_model") for _ in range(3)), key=lambda r: r["seconds"])
        report(f"assess ICB (100 practices, 500 flows, {len(best['scenarios'])} scenarios incl. baseline, "
               "100,000 years)", best["seconds"], 1.0)
    if "--icb-only" not in args:
        r = run_case("national_model")
        report(f"assess national (6,500 practices, 50,000 flows, {len(r['scenarios'])} scenarios incl. baseline, "
               "100,000 years)", r["seconds"], 30.0)
        report("  peak memory (whole process, incl. building the model)", r["peak_mb"] / 1024, 4.0, "GB")


if __name__ == "__main__":
    main()
