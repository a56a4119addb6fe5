"""Incidents simulated once and kept, so many clause variants are assessed on the same years.

The clause solver (negotiation.md §3) tries many values of one clause field; each
candidate must see the same incidents (common random numbers) and none may
resimulate. ``simulate`` keeps every chunk's incidents in memory (refused above a
memory budget: this is for ICB-scale models); ``Simulation.assess`` applies named
clause lists to them and gives an ``Assessment`` whose scenario ids are the names.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..assumptions import Assumptions, effective
from ..errors import ModelError
from ..model import Model
from ..settings import SimulationSettings
from .assessment import (KEEP_YEARS_LIMIT, Assessment, SimulationConfig, Summariser, Variants, chunk_years,
                         compile_variants, gather, run_chunks)
from .budget import check_budget
from .clauses import indemnity_clauses
from .kernels import use_kernels
from .parameters import Layout, build_layout
from .simulate import Incidents, simulate_chunk

# Bytes a kept incident costs: its year and flow, about 1.3 entries (incident, slot, party, three float64
# amounts) and one float32 condition draw per slot and indemnity clause.
_BYTES_PER_ENTRY = 4 + 2 + 4 + 3 * 8
_BYTES_PER_INCIDENT = 4 + 4 + 1.3 * _BYTES_PER_ENTRY


def _chunk_bytes(layout: Layout, incidents: float, n_conditions: int) -> float:
    return incidents * (_BYTES_PER_INCIDENT + 4 * layout.slots * n_conditions)


@dataclass
class Simulation:
    """The incidents of ``config.years`` years, simulated once, ready for any number of clause variants."""

    model: Model
    assumptions: Assumptions
    config: SimulationConfig
    layout: Layout = field(repr=False)
    chunk_years: int
    chunks: list[Incidents] = field(repr=False)
    seeds: list[np.random.SeedSequence] = field(repr=False)
    max_incident_loss: float   # the largest total loss of one incident (all parties, all components)
    max_year_loss: float       # the largest total loss of one simulated year
    _extra: dict = field(default_factory=dict, repr=False)

    def _extra_conditions(self, k: int) -> Callable[[str], np.ndarray]:
        """Condition draws for an indemnity the model does not have: from the chunk's seed and the clause id,
        so the same clause id sees the same draws in every variant."""
        def draws(clause_id: str) -> np.ndarray:
            key = (k, clause_id)
            if key not in self._extra:
                seed = self.seeds[k]
                child = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, 1 << 20,
                                                                       zlib.crc32(clause_id.encode())))
                shape = (self.chunks[k].n, self.layout.slots)
                self._extra[key] = np.random.default_rng(child).random(shape, dtype=np.float32)
            return self._extra[key]
        return draws

    def assess(self, variants: Variants, *, threshold_gbp: float | None = None,
               progress: Callable[[float], None] | None = None) -> Assessment:
        """Each named clause list applied to the same incidents; ``baseline`` (no clauses) always included.

        The clauses are ``dsa.model`` clause objects (possibly changed with ``dataclasses.replace``); they
        need not be in the model's scenarios. A variant equal to a model scenario gives exactly what
        ``assess`` gives for that scenario with the same config.
        """
        compiled = compile_variants(self.layout, variants)
        ids = tuple(compiled)
        P = len(self.model.parties)
        keep = P * self.config.years <= KEEP_YEARS_LIMIT
        threshold = float(self.assumptions["threshold_gbp"] if threshold_gbp is None else threshold_gbp)
        summarise = Summariser(self.layout, compiled, keep, threshold,
                               float(self.assumptions["partner_threshold_gbp"]))

        def work(k: int):
            return summarise(self.chunks[k], self._extra_conditions(k))

        losses = gather(len(self.chunks), self.config.years, self.chunk_years, work, ids, P, keep, progress, None)
        return Assessment(self.model, self.assumptions, self.config, threshold, ids, losses, self.layout)


def simulate(model: Model, config: SimulationConfig = SimulationConfig(),
             progress: Callable[[float], None] | None = None, *,
             settings: SimulationSettings = SimulationSettings()) -> Simulation:
    """Simulate every chunk of ``config.years`` once and keep the incidents (ICB-scale models).

    Raises ``ModelError`` when the expected incidents exceed the simulation budget, or when keeping them
    would exceed ``settings.max_kept_bytes``.
    """
    assumptions = effective(model)
    layout = build_layout(model, assumptions)
    check_budget(model, layout, config.years, settings)
    n_conditions = len(indemnity_clauses(model))
    expected = float(layout.flows.rate.sum()) * config.years
    need = _chunk_bytes(layout, expected, n_conditions)
    if need > settings.max_kept_bytes:
        fit = int(config.years * settings.max_kept_bytes / need)
        raise ModelError(f"keeping {config.years:,} simulated years of this model's incidents would take about "
                         f"{need / 2**30:.1f} GB (the limit is {settings.max_kept_bytes / 2**30:.1f} GB); "
                         f"about {fit:,} years would fit")
    cy = chunk_years(layout, config)
    n_chunks = -(-config.years // cy)
    seeds = np.random.SeedSequence(config.seed).spawn(n_chunks)
    compiled = use_kernels(expected)
    chunks: list[Incidents | None] = [None] * n_chunks
    peaks = [0.0, 0.0]

    def work(k: int) -> Incidents:
        years = min(cy, config.years - k * cy)
        return simulate_chunk(layout, np.random.default_rng(seeds[k]), years, n_conditions, compiled=compiled)

    def merge(k: int, chunk: Incidents) -> None:
        chunks[k] = chunk
        totals = chunk.incident_totals()
        if totals.size:
            peaks[0] = max(peaks[0], float(totals.max()))
            peaks[1] = max(peaks[1], float(np.bincount(chunk.year, weights=totals).max()))

    run_chunks(n_chunks, work, merge, progress)
    return Simulation(model, assumptions, config, layout, cy, chunks, seeds, peaks[0], peaks[1])
