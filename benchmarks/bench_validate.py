"""Time the whole `python -m dsa validate MODEL --json` command on the ICB model and both national forms.

Whole command: interpreter start, imports, reading and parsing the file, the schema, every rule, and
the JSON written to stdout (to a pipe that is read and counted). Each figure is the best of three runs
(least disturbed by other work on the machine), wall clock, with the CPU time of that run beside it
(both processes' when the command used two cores: models over 8 MB) and the load average before it.

Beside each figure, the CPU time of each phase measured in this process on one core (loading = reading
the file, its limits and parsing; validating = schema and every rule; JSON = building and encoding the
document), so a missed target says which phase to look at.

Run: python3 benchmarks/bench_validate.py
"""

from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, byte_compile, report

from generate import icb_model, national_first_import, national_model

CASES = (  # label, generator, target (s): shared/spec/product.md "Performance targets"
    ("ICB (100 practices, 500 flows)", icb_model, 0.5),
    ("national governed (6,500 practices, 50,000 flows)", national_model, 1.0),
    ("national first import (6,500 practices, 50,000 flows)", national_first_import, 2.0),
)


def _run(path: Path) -> tuple[float, float, float, bytes]:
    """Wall and CPU seconds of one whole command, the load average before it, and its stdout."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dsa", "validate", str(path), "--json"],
                          cwd=ROOT, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"validate failed ({done.returncode}): {done.stderr.decode()[:500]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, load, done.stdout


def _phases(path: Path) -> str:
    """CPU seconds of loading, validating and writing JSON, in this process, as the command runs them."""
    from dsa.cli.validate import json_bytes
    from dsa.loading import load_document
    from dsa.validation import check

    gc.disable()  # as the command does
    try:
        t0 = time.process_time()
        doc = load_document(path)
        t1 = time.process_time()
        report = check(doc)
        t2 = time.process_time()
        json_bytes(report)
        t3 = time.process_time()
    finally:
        gc.enable()
    return f"loading {t1 - t0:.2f} s, validating {t2 - t1:.2f} s, JSON {t3 - t2:.2f} s"


def _two_cores(path: Path) -> bool:
    from dsa.cli.validate_on_two_cores import worthwhile
    from dsa.loading import read_model_file

    return worthwhile(read_model_file(path))


def main() -> None:
    byte_compile()
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (other work inflates wall time)")
    with tempfile.TemporaryDirectory() as tmp:
        for label, make, target in CASES:
            path = Path(tmp) / "model.json"
            path.write_text(json.dumps(make(), ensure_ascii=False), encoding="utf-8")
            runs = [_run(path) for _ in range(3)]
            wall, cpu, load, out = min(runs, key=lambda r: r[0])
            result = json.loads(out)
            print(f"{label}: {path.stat().st_size / 1e6:.1f} MB, {len(result['findings']):,} findings "
                  f"({result['errors']:,} errors, {result['warnings']:,} warnings)")
            report("  validate --json, whole command", wall, target)
            print(f"  (that run: CPU {cpu:.3f} s, load average {load:.2f} before it, "
                  f"{'two cores' if _two_cores(path) else 'one core'}; "
                  f"one core, in-process CPU by phase: {_phases(path)})")


if __name__ == "__main__":
    main()
