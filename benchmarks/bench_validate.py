"""Time the whole `python -m dsa validate MODEL --json` command on the ICB model and both national forms.

Whole command: interpreter start, imports, reading and parsing the file, the schema, every rule, and
the JSON written to stdout (to a pipe that is read and counted). Each figure is the best of three runs
(least disturbed by other work on the machine), wall clock, with the CPU time of that run beside it.

Run: python3 benchmarks/bench_validate.py
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, report

from generate import icb_model, national_first_import, national_model

CASES = (  # label, generator, target (s): shared/spec/product.md "Performance targets"
    ("ICB (100 practices, 500 flows)", icb_model, 0.5),
    ("national governed (6,500 practices, 50,000 flows)", national_model, 1.0),
    ("national first import (6,500 practices, 50,000 flows)", national_first_import, 2.0),
)


def _run(path: Path) -> tuple[float, float, bytes]:
    """Wall and CPU seconds of one whole command, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dsa", "validate", str(path), "--json"],
                          cwd=ROOT, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"validate failed ({done.returncode}): {done.stderr.decode()[:500]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def main() -> None:
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (other work inflates wall time)")
    with tempfile.TemporaryDirectory() as tmp:
        for label, make, target in CASES:
            path = Path(tmp) / "model.json"
            path.write_text(json.dumps(make(), ensure_ascii=False), encoding="utf-8")
            runs = [_run(path) for _ in range(3)]
            wall, cpu, out = min(runs, key=lambda r: r[0])
            result = json.loads(out)
            print(f"{label}: {path.stat().st_size / 1e6:.1f} MB, {len(result['findings']):,} findings "
                  f"({result['errors']:,} errors, {result['warnings']:,} warnings)")
            report(f"  validate --json, whole command", wall, target)
            print(f"  (CPU time of that run: {cpu:.3f} s)")


if __name__ == "__main__":
    main()
