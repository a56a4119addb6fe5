"""Rerun after an edit on the ICB model (100 practices, 500 flows): target < 0.3 s (shared/spec/product.md).

Drives the real dashboard script with Streamlit's AppTest: the working model is
the ICB model, one flow is edited (as the Model page's forms do), and the rerun
of the Model page is timed — revalidation, the sidebar counts and the editable
tables included. The Liability page's rerun (a new simulation at the page's
default 20,000 years) is printed too, for information.
The first page load on the bundled example (target < 3 s) comes first, measured
in a real browser by bench_first_load.py.
Run: python3 benchmarks/bench_dashboard.py
"""

from __future__ import annotations

import logging
import os
import tempfile
import time

from _common import ROOT, byte_compile, report
from generate import icb_model

logging.getLogger("streamlit").setLevel(logging.ERROR)


def timed_rerun(at, doc, k: int) -> float:
    doc["flows"][k % len(doc["flows"])]["retention_months"] = 24 + k  # a new model each time: no cache hit
    at.session_state["doc"] = doc
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, at.exception
    return elapsed


def main() -> None:
    byte_compile()
    from streamlit.testing.v1 import AppTest

    from bench_first_load import main as first_load

    first_load()

    os.environ.setdefault("DSA_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
    doc = icb_model()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    at.session_state["doc"] = doc
    at.run()
    model_page = min(timed_rerun(at, doc, k) for k in range(5))
    report("dashboard rerun after an edit, Model page (ICB: 100 practices, 500 flows)", model_page, 0.3)
    at.switch_page("dsa/ui/pages/liability.py").run()
    liability = min(timed_rerun(at, doc, k) for k in range(5, 8))
    print(f"  for information: Liability page rerun after an edit (new 20,000-year simulation): {liability:.3f} s")


if __name__ == "__main__":
    main()
