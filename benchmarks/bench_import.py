"""Import a 100,000-row register (XLSX, and the same as CSV); target < 10 s each.

Run: python3 benchmarks/bench_import.py  (prints wall and CPU time and the load average; the machine is shared,
so CPU time is the steadier figure, and wall time means little when the load is above the number of cores).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

from _common import byte_compile, report

from dsa.tabular import export_tables, import_register, write_csv_folder, write_xlsx
from generate import generate_model

ROWS = 100_000


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    byte_compile()
    doc = generate_model(2_000, ROWS - 1)
    flows = len(doc["flows"])
    tables = export_tables(doc, [])
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = write_xlsx(tables, Path(tmp) / "register.xlsx")
        csv_folder = Path(tmp) / "register"
        write_csv_folder(tables, csv_folder)
        print(f"{flows:,} flows: {xlsx.stat().st_size / 1e6:.1f} MB XLSX, "
              f"{(csv_folder / 'flows.csv').stat().st_size / 1e6:.1f} MB flows.csv")
        for label, source in (("XLSX", xlsx), ("CSV folder", csv_folder)):
            back, wall, cpu = _timed(lambda: import_register(source))
            assert back == doc, f"the {label} import does not give the model back"
            report(f"import {flows:,} rows ({label}), wall", wall, 10.0)
            print(f"  CPU {cpu:.2f} s, load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the whole run (generation, export and imports): {peak:.0f} MB")


if __name__ == "__main__":
    main()
