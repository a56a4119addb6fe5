"""Chunks run on two threads, yet a result depends only on the model, the years and the seed."""

from __future__ import annotations

import dsa.liability.assessment as assessment_module
from dsa.liability import SimulationConfig, assess
from dsa.model import Model


def test_one_thread_and_two_threads_give_identical_results(herefordshire_doc, monkeypatch):
    model = Model.from_document(herefordshire_doc)
    config = SimulationConfig(years=3_000, seed=11, incidents_per_chunk=20)  # many small chunks
    assert assessment_module.chunk_years(assessment_module.build_layout(model, assessment_module.effective(model)),
                                         config) < 3_000
    two = assess(model, config=config).to_json()
    monkeypatch.setattr(assessment_module, "WORKERS", 1)
    one = assess(model, config=config).to_json()
    assert one == two


def test_chunks_are_equal_so_the_threads_finish_together(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    layout = assessment_module.build_layout(model, assessment_module.effective(model))
    config = SimulationConfig(years=100_000, seed=0, incidents_per_chunk=1_000_000)
    cy = assessment_module.chunk_years(layout, config)
    chunks = -(-config.years // cy)
    assert config.years - (chunks - 1) * cy >= cy - chunks  # the last chunk is not a stub
