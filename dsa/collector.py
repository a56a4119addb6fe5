"""The cycle collector paused while many new objects are made (and, for a command that keeps them to the end,
set aside from later collections).

A national model, its findings or a 100,000-row register are millions of new dicts, lists and strings, none
in a reference cycle: the collector, set off again and again while they are made, would walk them all each
time and free nothing (a third to a half of the time, measured on the national models).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Callable, Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside; afterwards the collector is as it was (nesting is fine)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def long_lived_objects() -> Iterator[Callable[[], None]]:
    """For a command that reads a large model once and keeps it to the end.

    The cycle collector is paused while the document, its findings and the model are made — a national model
    is millions of objects, none in a cycle, and each collection would walk them all and free nothing (a third
    of validation's time) — until the command calls the function this yields; the objects alive then are set
    aside from every later collection (``gc.freeze``) and collection resumes for the rest (the simulation).
    On leaving, all is as it was."""
    collecting = gc.isenabled()
    gc.disable()

    def built() -> None:
        gc.freeze()
        if collecting:
            gc.enable()

    try:
        yield built
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()
