"""Shared by the benchmark scripts: timing and the 'figure beside target' line."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "benchmarks")):
    if p not in sys.path:
        sys.path.insert(0, p)


def byte_compile() -> None:
    """Compile the package's bytecode first, as pip does when it installs a package, so a timed command does
    not compile its modules from source on every run (what happens where PYTHONDONTWRITEBYTECODE is set, as on
    the machines these figures are taken on: ~50 ms of every whole command)."""
    import compileall
    import os

    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("(PYTHONDONTWRITEBYTECODE is set here: the package's bytecode is compiled first, as pip does "
              "when it installs a package)", flush=True)
    compileall.compile_dir(str(ROOT / "dsa"), quiet=1)


def best_of(fn, repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other work on the machine)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def report(label: str, value: float, target: float, unit: str = "s") -> bool:
    ok = value < target
    print(f"{label}: {value:.3f} {unit}  [target < {target:g} {unit}]  {'OK' if ok else 'MISSED'}", flush=True)
    return ok
