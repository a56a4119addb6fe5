"""The compiled kernels built ahead of time into an extension module, so a run loads them in milliseconds.

Numba's cached machine code (``compiled``, loaded by ``kernels``) costs about half a second to load in every
process: importing Numba, its typing and lowering registries, then each kernel. That is more than an ICB
model's whole simulation, which therefore ran on NumPy. ``python3 -m dsa.liability.aot`` compiles the same
loops once, with Numba's ahead-of-time compiler, into an extension module for this machine (Python, Numba,
CPU) in the user's cache; a run then imports it without importing Numba at all, and ``kernels`` chooses
the compiled engine for much smaller runs.

The module holds each kernel with the one signature the engine calls it with, collected by assessing the
bundled example with Numba's own kernels; its loops release the GIL, as theirs do. A native function called
with other types would read memory wrongly, so every call is checked first (``Guarded``): a call that does
not match goes to Numba's kernel instead, which compiles whatever it is given. The figures are the same bit
for bit whichever runs (tests/liability/test_aot.py). Building needs a C compiler; without one, or when the
module is missing or was built for other code, Numba's kernels run as before.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ENV_DIR = "DSA_KERNELS_DIR"  # where the built module is kept (default: the user's cache)
_SOURCE = Path(__file__).with_name("compiled.py")
# Loops the kernels call, compiled into each of them (the engine never calls them itself).
_HELPERS = frozenset({"block_sum", "pairwise", "reduceat_segment", "new_entries", "slot_order"})
_EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "herefordshire-phm.json"


def kernels_dir() -> Path:
    configured = os.environ.get(ENV_DIR, "").strip()
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("dsa")) / "kernels"


def _cpu() -> str:
    """What the machine code may use: the CPU's features (the module is compiled for this CPU)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            for line in info:
                if line.startswith(("flags", "Features")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _numba_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("numba") + "/" + version("llvmlite")
    except PackageNotFoundError:
        return ""


def module_name() -> str:
    """The module's name for this code on this machine: a different kernel source, Python, Numba or CPU is
    a different module (one built for other code is never loaded)."""
    digest = hashlib.sha256()
    for part in (_SOURCE.read_bytes(), sys.version.encode(), _numba_version().encode(), platform.machine().encode(),
                 _cpu().encode()):
        digest.update(part)
        digest.update(b"\0")
    return "dsa_kernels_" + digest.hexdigest()[:16]


def _paths(name: str) -> tuple[Path, Path]:
    directory = kernels_dir()
    return directory / (name + importlib.machinery.EXTENSION_SUFFIXES[0]), directory / (name + ".json")


def available() -> bool:
    """Whether a module for this code and machine has been built (cheap: no import)."""
    try:
        library, signatures = _paths(module_name())
        return library.is_file() and signatures.is_file()
    except OSError:
        return False


def load() -> "Guarded | None":
    """The built module, its calls checked; None when there is none for this code and machine, or it cannot
    be loaded (the caller then uses Numba's kernels)."""
    try:
        name = module_name()
        library, signatures = _paths(name)
        if not (library.is_file() and signatures.is_file()):
            return None
        spec = importlib.util.spec_from_file_location(name, library)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return Guarded(module, json.loads(signatures.read_text(encoding="utf-8")))
    except Exception:  # noqa: BLE001 - a module that cannot be loaded is one that is not there
        return None


# --------------------------------------------------------------------------- checked calls

_SCALARS = {
    "int64": (int, np.integer), "int32": (int, np.integer), "float64": (float, int, np.floating, np.integer),
    "bool": (bool, np.bool_),
}


def _matches(value: Any, kind: dict) -> bool:
    if kind["kind"] == "array":
        return (type(value) is np.ndarray and value.dtype.str == kind["dtype"] and value.ndim == kind["ndim"]
                and (kind["layout"] != "C" or value.flags.c_contiguous)
                and (kind["layout"] != "F" or value.flags.f_contiguous)
                and bool(value.flags.writeable) == kind["writeable"] and bool(value.flags.aligned))
    if kind["kind"] == "scalar":
        accepted = _SCALARS.get(kind["type"])
        return accepted is not None and isinstance(value, accepted) and not (
            kind["type"] != "bool" and isinstance(value, (bool, np.bool_)))
    return False


class Guarded:
    """The built module's kernels, each call checked against the signature it was built for; a call that does
    not match (or a kernel the module does not have) goes to Numba's kernel."""

    def __init__(self, module, signatures: dict[str, list[dict]]):
        self._module = module
        self._signatures = signatures
        self.__name__ = module.__name__

    def __getattr__(self, name: str):
        kinds = self._signatures.get(name)
        native = getattr(self._module, name, None) if kinds is not None else None
        if native is None:
            from . import compiled

            function = getattr(compiled, name)
        else:
            def function(*args, _native=native, _kinds=kinds, _name=name):
                if len(args) == len(_kinds) and all(_matches(a, k) for a, k in zip(args, _kinds)):
                    return _native(*args)
                from . import compiled

                return getattr(compiled, _name)(*args)

            function.__name__ = name
        setattr(self, name, function)  # looked up once
        return function


# --------------------------------------------------------------------------- building


def _describe(numba_type) -> dict:
    from numba.core import types

    if isinstance(numba_type, types.Array):
        return {"kind": "array", "dtype": np.dtype(str(numba_type.dtype)).str, "ndim": numba_type.ndim,
                "layout": numba_type.layout, "writeable": bool(numba_type.mutable)}
    if isinstance(numba_type, (types.Integer, types.Float, types.Boolean)):
        return {"kind": "scalar", "type": "bool" if isinstance(numba_type, types.Boolean) else str(numba_type)}
    raise TypeError(f"a kernel argument of type {numba_type} cannot be checked")


def _signatures_in_use() -> dict[str, Any]:
    """Each kernel's signature, as the engine calls it: the bundled example assessed with Numba's kernels on
    every path (every year kept; a large model's worst years only, its scenarios summarised over every entry
    and over only the parties their clauses touch; and a cluster's chunk, whose kept values are spliced)."""
    from numba.core.registry import CPUDispatcher

    from ..assumptions import effective
    from ..model import Model
    from . import assessment, compiled
    from . import kernels as kernel_choice
    from .assessment import AssessJob, SimulationConfig, assess, resolve_scenarios
    from .parameters import build_layout

    model = Model.from_document(json.loads(_EXAMPLE.read_text(encoding="utf-8")))
    config = SimulationConfig(years=20_000, seed=0, incidents_per_chunk=2_000)
    saved = (os.environ.get("DSA_ENGINE"), assessment.KEEP_YEARS_LIMIT, assessment.NARROW_SHARE,
             kernel_choice._loaded)
    os.environ["DSA_ENGINE"] = "compiled"
    kernel_choice._loaded = compiled  # Numba's, whose signatures are read below (not a module built before)
    try:
        assess(model, config=config)
        assessment.KEEP_YEARS_LIMIT = 0
        for share in (0.0, 2.0):  # which scenarios are narrow is decided on a chunk: here, none, then all
            assessment.NARROW_SHARE = share
            assess(model, config=config)
        job = AssessJob({}, resolve_scenarios(model, None), config, 50_000.0, False, 1_000, True, slim=False)
        job.prepare(model, effective(model), build_layout(model, effective(model)))
        job.run_chunk(0)
    finally:
        forced, assessment.KEEP_YEARS_LIMIT, assessment.NARROW_SHARE, kernel_choice._loaded = saved
        if forced is None:
            os.environ.pop("DSA_ENGINE", None)
        else:
            os.environ["DSA_ENGINE"] = forced
    found = {}
    for name, function in vars(compiled).items():
        if name in _HELPERS:
            continue
        if isinstance(function, CPUDispatcher) and len(function.nopython_signatures) == 1:
            found[name] = (function, function.nopython_signatures[0])
    return found


def build(say=print) -> Path:
    """Compile the module for this code and machine into ``kernels_dir()`` (about 15 s); its path.

    Raises RuntimeError saying why when it cannot be built (no C compiler, for one).
    """
    import numba.pycc.compiler as pycc_compiler
    from numba.pycc import CC

    name = module_name()
    library, signatures = _paths(name)
    started = time.perf_counter()
    say("Collecting the kernels' signatures (an assessment of the bundled example)...")
    try:
        found = _signatures_in_use()
        described = {kernel: [_describe(t) for t in sig.args] for kernel, (_, sig) in found.items()}
    except Exception as exc:  # noqa: BLE001 - whatever stops it, the build is refused with the reason
        raise RuntimeError(f"the kernels' signatures could not be collected ({type(exc).__name__}: {exc})") from exc

    class _ReleasingTheGil(pycc_compiler.Flags):  # the ahead-of-time compiler has no option for it
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.release_gil = True

    say(f"Compiling {len(found)} kernels for this machine (about 15 s)...")
    with tempfile.TemporaryDirectory(prefix="dsa-kernels-") as work:
        cc = CC(name)
        cc.output_dir = work
        cc.target_cpu = "host"
        for kernel, (function, sig) in found.items():
            cc.export(kernel, sig)(function.py_func)
        flags = pycc_compiler.Flags
        pycc_compiler.Flags = _ReleasingTheGil
        try:
            cc.compile()
        except Exception as exc:  # noqa: BLE001 - a missing compiler or linker surfaces here in many forms
            raise RuntimeError(f"the kernels could not be compiled ahead of time ({type(exc).__name__}: {exc}); "
                               "Numba's kernels will be used instead") from exc
        finally:
            pycc_compiler.Flags = flags
        try:
            _install(Path(work) / cc.output_file, library, json.dumps(described, indent=1), signatures)
        except OSError as exc:
            raise RuntimeError(f"the kernels could not be saved in {library.parent} ({exc.strerror or exc})") from exc
    for old in library.parent.glob("dsa_kernels_*"):  # modules built for earlier code are never loaded again
        if not old.name.startswith(name):
            old.unlink(missing_ok=True)
    say(f"Built {library} in {time.perf_counter() - started:.1f} s.")
    return library


def _install(built: Path, library: Path, described: str, signatures: Path) -> None:
    """The module and its signatures into place, each whole or not at all (a run never loads half a module, and
    two builds at once each stage their own copy); a module a running process has loaded stays as it was."""
    library.parent.mkdir(parents=True, exist_ok=True)
    staged = library.with_name(f"{library.name}.{os.getpid()}.part")
    shutil.copyfile(built, staged)
    os.replace(staged, library)
    staged = signatures.with_name(f"{signatures.name}.{os.getpid()}.part")
    staged.write_text(described, encoding="utf-8")
    os.replace(staged, signatures)


def main(argv: list[str] | None = None) -> int:
    """``python3 -m dsa.liability.aot [--if-missing]``: build the module (``--if-missing``: unless built)."""
    argv = sys.argv[1:] if argv is None else argv
    if "--if-missing" in argv and available():
        print(f"The kernels are built ahead of time for this code and machine ({kernels_dir()}).")
        return 0
    try:
        build()
    except RuntimeError as exc:
        print(f"dsa kernels: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
