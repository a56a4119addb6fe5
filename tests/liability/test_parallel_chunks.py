"""Chunks run on one thread, two threads or a Dask cluster, yet a result depends only on the model, the years
and the seed."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

import dsa.liability.assessment as assessment_module
from dsa.cli import run
from dsa.liability import SimulationConfig, assess
from dsa.model import Model

ROOT = Path(__file__).resolve().parents[2]


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


def test_a_small_run_is_cut_into_at_least_eight_chunks_and_every_run_into_whole_rounds_of_two(herefordshire_doc):
    doc = {**herefordshire_doc, "assumptions": {"annual_incident_rate": 0.5}}  # so 16-bit years do not cut
    model = Model.from_document(doc)
    layout = assessment_module.build_layout(model, assessment_module.effective(model))
    lam = float(layout.flows.rate.sum())
    years = int(assessment_module.MIN_CHUNKS * assessment_module.MIN_CHUNK_INCIDENTS / lam) + 1
    cy = assessment_module.chunk_years(layout, SimulationConfig(years=years))
    assert -(-years // cy) == assessment_module.MIN_CHUNKS  # each still holds 50,000 incidents or more
    few = assessment_module.chunk_years(layout, SimulationConfig(years=int(2.5 * 50_000 / lam)))
    assert -(-int(2.5 * 50_000 / lam) // few) == 2  # two chunks' worth of incidents: two chunks
    assert assessment_module.chunk_years(layout, SimulationConfig(years=100)) == 100  # too few to cut
    for odd in (3, 5, 7):  # chunked by incidents into an odd number: one more, so the two workers end together
        config = SimulationConfig(years=3_000, incidents_per_chunk=int(lam * 3_000 / odd) + 1)
        assert -(-3_000 // assessment_module.chunk_years(layout, config)) == odd + 1


def _assess_json(path, *extra):
    out, err = io.StringIO(), io.StringIO()
    code = run(["assess", str(path), "--years", "4000", "--seed", "5", "--json", *extra], out, err)
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def local_cluster():
    distributed = pytest.importorskip("distributed")
    # Worker processes import dsa from this checkout, whatever the test runner's own path is.
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), saved]))
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                      silence_logs=50) as cluster:
            yield cluster
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def test_one_thread_two_threads_and_a_dask_cluster_of_two_processes_give_identical_json(
        tmp_path, herefordshire_doc, monkeypatch, local_cluster):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(herefordshire_doc))
    # Small chunks, so the cluster's two workers each run several.
    monkeypatch.setattr(assessment_module, "CELLS_PER_CHUNK", 3_000)
    two = _assess_json(path)
    monkeypatch.setattr(assessment_module, "WORKERS", 1)
    one = _assess_json(path)
    on_cluster = _assess_json(path, "--cluster", local_cluster.scheduler_address)
    assert one == two == on_cluster
    assert len(on_cluster["scenarios"]) > 1


def test_the_scheduler_can_come_from_the_environment(tmp_path, herefordshire_doc, monkeypatch, local_cluster):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(herefordshire_doc))
    local = _assess_json(path)
    monkeypatch.setenv("DSA_DASK_SCHEDULER", local_cluster.scheduler_address)
    assert _assess_json(path) == local
