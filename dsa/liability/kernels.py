"""Which engine runs a chunk: NumPy, or compiled loops (Numba) for the passes that dominate a large run.

The NumPy code in ``simulate`` (allocation, ``Incidents.add_to``) and
``summary`` (``summarise_chunk``, ``TopValues.add``) is the reference; each
loop in ``compiled`` does the same arithmetic in the same order, so the figures
are identical bit for bit whichever runs (tests compare them on the same seed).
Sums reproduce NumPy's exactly: ``np.bincount`` adds in array order from zero;
``np.add.reduceat`` takes a segment's first value and adds the pairwise sum of
the rest (``compiled.pairwise``, a port of NumPy's ``pairwise_sum``).

Importing Numba and loading the compiled loops costs about 0.5 s, more than a
small model's whole simulation, so ``use_kernels`` chooses them only for runs
with many incidents; their machine code is cached between runs. Built ahead of
time (``aot``: ``python3 -m dsa.liability.aot``), the same loops load in
milliseconds, and pay for themselves on far smaller runs (an ICB model's).
"""

from __future__ import annotations

import os
import threading

# Expected incidents (whole run) from which the kernels pay for their start-up: Numba's, and those built ahead
# of time (measured on the ICB model: even at 58,000 incidents, 0.10 s at 230,000 against NumPy's 0.14 s, and
# 0.29 s at 1.15 million, its 100,000 years, against 0.48 s).
KERNEL_INCIDENTS = 5_000_000
AOT_KERNEL_INCIDENTS = 100_000
_FORCE = "DSA_ENGINE"  # "numpy" or "compiled": tests and benchmarks pin one engine
_loaded = None
_loading = threading.Lock()  # two workers' first chunks ask at once


def use_kernels(expected_incidents: float) -> bool:
    forced = os.environ.get(_FORCE, "").strip().lower()
    if forced in ("numpy", "compiled"):
        return forced == "compiled"
    if expected_incidents >= KERNEL_INCIDENTS:
        return True
    if expected_incidents < AOT_KERNEL_INCIDENTS:
        return False
    from . import aot
    return aot.available()


def kernels():
    """The compiled kernels: those built ahead of time for this code and machine when there are (``aot``),
    else ``dsa.liability.compiled``'s, compiled on first use or loaded from Numba's cache."""
    global _loaded
    if _loaded is None:
        with _loading:
            if _loaded is None:
                from . import aot
                built = aot.load()
                if built is None:
                    from . import compiled as built
                _loaded = built
    return _loaded
