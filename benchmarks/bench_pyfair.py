"""pyfair and dsa side by side on the ICB model (100 practices, 500 flows), 100,000 trials / years.

pyfair (Open FAIR) has one risk per model and no allocation among parties, so it gets what it can model:
each of the ICB model's 500 flows as a single-risk model — loss event frequency the flow's annual incident
rate (a constant), loss magnitude a right-skewed PERT whose mean is dsa's exact expected loss of one
incident — at 100,000 trials each, one scenario (each model's results are summarised and dropped, so
pyfair's peak memory here is far below the 7.6 GB of keeping all 500). dsa does more in
its run: the same flows simulated as incidents, allocated to every party by role, and the baseline plus
every scenario's clauses. Each side runs in its own process (so its peak memory is its own), one after
the other, in this one command; the figure printed is pyfair's time divided by dsa's.

pyfair is installed by this benchmark, once, into its own virtual environment (in the user's cache, beside
dsa's kernels; it sees this Python's packages): never into the environment dsa runs in. Its dependencies (SciPy, Matplotlib)
would otherwise be there for every dsa command, and Numba imports SciPy when it finds it (0.2 s of every
compiled run's start, measured).
Run: python3 benchmarks/bench_pyfair.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from _common import ROOT, byte_compile
from platformdirs import user_cache_dir

TRIALS = 100_000
# pyfair's own environment: this Python's packages are visible in it, pyfair's are not visible outside it.
PYFAIR_ENV = Path(user_cache_dir("dsa")) / f"bench-pyfair-py{sys.version_info[0]}{sys.version_info[1]}"
PYFAIR_REQUIREMENTS = ROOT / "benchmarks" / "requirements-pyfair.txt"

PYFAIR = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
from pyfair import FairModel
flows = json.load(open(sys.argv[1]))
start = time.perf_counter(); cpu = time.process_time()
total = 0.0
for f in flows:
    model = FairModel(name=f["id"], n_simulations={trials})
    model.input_data("Loss Event Frequency", constant=f["rate"])
    model.input_data("Loss Magnitude", low=f["low"], mode=f["mode"], high=f["high"])
    model.calculate_all()
    total += float(model.export_results()["Risk"].mean())
print(json.dumps({{"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "mean_total": total}}))
"""

DSA = r"""
import json, resource, sys, time
sys.path[:0] = [{root!r}]
from dsa.model import Model
from dsa.liability import SimulationConfig, assess
model = Model.from_document(json.load(open(sys.argv[1])))
start = time.perf_counter(); cpu = time.process_time()
result = assess(model, config=SimulationConfig(years={trials}, seed=0)).to_json()
print(json.dumps({{"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "mean_total": result["scenarios"]["baseline"]["total"]["mean"],
                  "scenarios": len(result["scenarios"])}}))
"""


def _flows_for_pyfair(doc: dict) -> list[dict]:
    from dsa.assumptions import effective
    from dsa.liability import flow_expected_losses
    from dsa.liability.parameters import build_layout
    from dsa.model import Model

    model = Model.from_document(doc)
    layout = build_layout(model, effective(model))
    expected = flow_expected_losses(model)
    out = []
    for i, flow in enumerate(model.flows):
        rate = float(layout.flows.rate[i])
        per_incident = expected[flow.id] / rate
        # A right-skewed PERT whose mean, (low + 4 mode + high) / 6, is dsa's exact expected loss per incident.
        out.append({"id": flow.id, "rate": rate, "low": per_incident / 4, "mode": per_incident / 2,
                    "high": 3.75 * per_incident})
    return out


def _pyfair_python() -> Path:
    """The Python of pyfair's environment, made and filled on first use."""
    python = PYFAIR_ENV / "bin" / "python"
    if not python.exists():
        print(f"Installing pyfair for this benchmark only, into {PYFAIR_ENV} (once)...", flush=True)
        venv.EnvBuilder(system_site_packages=True, with_pip=True).create(PYFAIR_ENV)
    check = subprocess.run([str(python), "-c", "import pyfair"], capture_output=True)
    if check.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(PYFAIR_REQUIREMENTS)], check=True)
    return python


def _run(code: str, path: Path, python: str = sys.executable) -> dict:
    done = subprocess.run([python, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    byte_compile()
    from generate import icb_model

    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (other work inflates wall time)")
    try:
        pyfair_python = str(_pyfair_python())
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"pyfair could not be installed for this benchmark on this Python ({sys.version.split()[0]}): {exc}")
        raise SystemExit(2)
    doc = icb_model()
    with tempfile.TemporaryDirectory() as tmp:
        model_path, flows_path = Path(tmp) / "icb.json", Path(tmp) / "flows.json"
        model_path.write_text(json.dumps(doc))
        flows_path.write_text(json.dumps(_flows_for_pyfair(doc)))
        try:
            fair = _run(PYFAIR.format(trials=TRIALS), flows_path, pyfair_python)
        except RuntimeError as exc:
            print(f"pyfair could not run on this Python ({sys.version.split()[0]}): {exc}")
            raise SystemExit(2)
        ours = _run(DSA.format(root=str(ROOT), trials=TRIALS), model_path)
    print(f"pyfair: 500 single-risk models × {TRIALS:,} trials, one scenario, no allocation: "
          f"{fair['seconds']:.2f} s (CPU {fair['cpu']:.2f} s), peak {fair['peak_mb']:.0f} MB; "
          f"total mean annual loss £{fair['mean_total']:,.0f}")
    print(f"dsa: 500 flows × {TRIALS:,} years, allocated by role, {ours['scenarios']} scenarios incl. baseline: "
          f"{ours['seconds']:.2f} s (CPU {ours['cpu']:.2f} s), peak {ours['peak_mb']:.0f} MB; "
          f"baseline total mean annual loss £{ours['mean_total']:,.0f}")
    print(f"ratio pyfair / dsa: {fair['seconds'] / ours['seconds']:.1f}× wall, {fair['cpu'] / ours['cpu']:.1f}× CPU")


if __name__ == "__main__":
    main()
