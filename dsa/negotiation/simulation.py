"""Incidents simulated once, every candidate clause applied to the same incidents (common random numbers).

Uses the engine's ``dsa.liability.simulate`` when it is there; until then, the same steps from the
engine's own parts (simulate a chunk, apply clauses, summarise), keeping each chunk's incidents.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np

from .. import liability
from ..assumptions import effective
from ..liability.assessment import KEEP_YEARS_LIMIT, Assessment, SimulationConfig, chunk_years
from ..liability.clauses import apply_clause, compile_clause, indemnity_clauses, used_slots
from ..liability.parameters import build_layout
from ..liability.simulate import simulate_chunk
from ..liability.summary import ScenarioAccumulator, summarise_chunk
from ..model import Model


class _KeptSimulation:
    def __init__(self, model: Model, config: SimulationConfig, progress: Callable[[float], None] | None):
        self.model, self.config = model, config
        self.assumptions = effective(model)
        self.layout = build_layout(model, self.assumptions)
        self.cy = chunk_years(self.layout, config)
        n_chunks = -(-config.years // self.cy)
        seeds = np.random.SeedSequence(config.seed).spawn(n_chunks)
        n_conditions = len(indemnity_clauses(model))
        self.chunks = []
        self.max_incident_loss = 0.0
        self.max_year_loss = 0.0
        for k in range(n_chunks):
            years = min(self.cy, config.years - k * self.cy)
            chunk = simulate_chunk(self.layout, np.random.default_rng(seeds[k]), years, n_conditions)
            totals = chunk.incident_totals()
            if totals.size:
                self.max_incident_loss = max(self.max_incident_loss, float(totals.max()))
                self.max_year_loss = max(self.max_year_loss, float(np.bincount(chunk.year, weights=totals).max()))
            self.chunks.append(chunk)
            if progress is not None:
                progress((k + 1) / n_chunks)

    def assess(self, variants: Mapping[str, Sequence], *, threshold_gbp: float | None = None) -> Assessment:
        P = len(self.model.parties)
        keep = P * self.config.years <= KEEP_YEARS_LIMIT
        losses = {}
        for name, clauses in variants.items():
            compiled = [compile_clause(self.layout, c) for c in clauses]
            slots = used_slots(self.layout, compiled)
            acc = ScenarioAccumulator(P, keep)
            for k, chunk in enumerate(self.chunks):
                c = chunk.copy() if compiled else chunk
                for cc in compiled:
                    apply_clause(self.layout, cc, c)
                acc.merge(summarise_chunk(self.layout, c, P, keep, slots), k * self.cy)
            losses[name] = acc.finish()
        threshold = float(self.assumptions["threshold_gbp"] if threshold_gbp is None else threshold_gbp)
        return Assessment(self.model, self.assumptions, self.config, threshold, tuple(variants), losses, self.layout)


def simulate(model: Model, config: SimulationConfig = SimulationConfig(),
             progress: Callable[[float], None] | None = None):
    """A simulation whose ``assess(variants)`` applies named clause lists to the same incidents."""
    engine = getattr(liability, "simulate", None)
    if callable(engine):  # (the submodule dsa.liability.simulate is not it)
        return engine(model, config=config, progress=progress)
    return _KeptSimulation(model, config, progress)
