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
with many incidents; their machine code is cached between runs.
"""

from __future__ import annotations

import os

# Expected incidents (whole run) from which the kernels pay for their start-up.
KERNEL_INCIDENTS = 5_000_000
_FORCE = "DSA_ENGINE"  # "numpy" or "compiled": tests and benchmarks pin one engine


def use_kernels(expected_incidents: float) -> bool:
    forced = os.environ.get(_FORCE, "").strip().lower()
    if forced in ("numpy", "compiled"):
        return forced == "compiled"
    return expected_incidents >= KERNEL_INCIDENTS


def kernels():
    """The compiled kernels (``dsa.liability.compiled``), compiled on first use or loaded from Numba's cache."""
    from . import compiled
    return compiled
