"""The kernels built ahead of time (dsa.liability.aot) give the NumPy engine's figures bit for bit, load without
Numba, and hand any call they were not built for to Numba's kernels instead of running it.

Building takes about 15 s and needs a C compiler (scripts/test installs gcc where it is missing): it is done
once, into a temporary folder, by the one test below; the runs are separate processes, as a command is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"

_ASSESS = """
import json, sys
from dsa.liability import SimulationConfig, assess
from dsa.liability.kernels import kernels, use_kernels
from dsa.model import Model
model = Model.from_document(json.loads(open(sys.argv[1]).read()))
figures = assess(model, config=SimulationConfig(years=30_000, seed=6)).to_json()
print(json.dumps({"figures": figures, "numba": "numba" in sys.modules, "kernels": type(kernels()).__name__,
                  "chosen for an ICB run": use_kernels(1_150_000)}))
"""


def _assessed(env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", _ASSESS, str(EXAMPLES / "herefordshire-phm.json")],
                          capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout)


_CAN_BUILD = ((shutil.which("cc") or shutil.which("gcc")) is not None
              and (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file())


@pytest.mark.skipif(not _CAN_BUILD, reason="no C compiler, or no Python headers (scripts/test installs both)")
def test_kernels_built_ahead_of_time_give_the_same_figures_without_numba(tmp_path, monkeypatch):
    env = {**os.environ, "DSA_KERNELS_DIR": str(tmp_path / "kernels")}
    env.pop("DSA_ENGINE", None)
    before = _assessed(env)
    assert before["chosen for an ICB run"] is False  # nothing built yet: an ICB run stays on NumPy

    stale = tmp_path / "kernels" / "dsa_kernels_0123456789abcdef.json"  # built for earlier code
    stale.parent.mkdir()
    stale.write_text("{}")
    subprocess.run([sys.executable, "-m", "dsa.liability.aot"], env=env, check=True, capture_output=True)
    built = sorted(p.suffix for p in (tmp_path / "kernels").iterdir())
    assert built == [".json", ".so"] and not stale.exists()

    compiled = _assessed({**env, "DSA_ENGINE": "compiled"})
    numpy = _assessed({**env, "DSA_ENGINE": "numpy"})
    assert compiled["figures"] == numpy["figures"] == before["figures"]
    assert compiled["kernels"] == "Guarded" and compiled["numba"] is False
    assert _assessed(env)["chosen for an ICB run"] is True

    # A call with types the module was not built for goes to Numba's kernel (a native one would misread it).
    from dsa.liability import aot

    monkeypatch.setenv("DSA_KERNELS_DIR", env["DSA_KERNELS_DIR"])
    guarded = aot.load()
    assert guarded is not None
    year, flow = np.array([2, 0, 1], np.int32), np.array([5, 6, 7], np.int32)
    expected = (np.array([0, 1, 2], np.int32), np.array([6, 7, 5], np.int32))
    for got in (guarded.by_year(year, flow, 3), guarded.by_year(year.astype(np.int64), flow, 3)):
        assert [a.tolist() for a in got] == [a.tolist() for a in expected]


def test_without_a_built_module_numbas_kernels_are_used(tmp_path, monkeypatch):
    from dsa.liability import aot

    monkeypatch.setenv("DSA_KERNELS_DIR", str(tmp_path))
    assert not aot.available() and aot.load() is None
    # A module built for other kernel code has another name, so it is never loaded.
    (tmp_path / "dsa_kernels_0000000000000000.json").write_text("{}")
    assert not aot.available()
