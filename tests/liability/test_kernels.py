"""The compiled kernels give the NumPy engine's figures bit for bit (kernels.py is only faster)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsa.assumptions import effective
from dsa.liability import SimulationConfig, assess
from dsa.liability.assessment import Summariser, compile_variants, joint_extra
from dsa.liability.clauses import apply_clause, indemnity_clauses
from dsa.liability.kernels import kernels, use_kernels
from dsa.liability.parameters import build_layout
from dsa.liability.simulate import simulate_chunk
from dsa.liability.summary import Floors, summarise_chunk
from dsa.model import Model

from .conftest import flow, model_doc, party
from .test_properties import SETTINGS, models

EXAMPLES = Path(__file__).parents[2] / "examples"
ENTRY_FIELDS = ("inc", "slot", "party", "compensation", "response_costs", "fines")
PART_FIELDS = ("component_sums", "net_sum", "total_by_year", "exceed", "partner_exceed", "net_nonzero", "party",
               "year", "gross", "net")


def _assessed(doc: dict, engine: str, monkeypatch, years: int = 3_000) -> dict:
    monkeypatch.setenv("DSA_ENGINE", engine)
    return assess(Model.from_document(doc), config=SimulationConfig(years=years, seed=11)).to_json()


def _chunks(doc: dict, compiled: bool, dtype) -> dict:
    """Every scenario's entries and chunk summary for one chunk of 400 years."""
    model = Model.from_document(doc)
    layout = build_layout(model, effective(model))
    variants = compile_variants(layout, {s.id: model.scenario_clauses(s.id) for s in model.scenarios})
    incidents = simulate_chunk(layout, np.random.default_rng(5), 400, len(indemnity_clauses(model)),
                               compiled=compiled)
    out = {"joint_extra": joint_extra(layout, incidents)}
    for sid, clauses in variants.items():
        scenario = incidents.copy() if clauses else incidents
        for cc in clauses:
            apply_clause(layout, cc, scenario)
        out[sid] = (scenario, summarise_chunk(layout, scenario, dtype, 50_000.0, 10_000.0))
    some = np.arange(len(model.parties)) % 2 == 0  # the entries of some parties only (``Incidents.only``)
    out["some parties"] = (incidents.only(some), summarise_chunk(layout, incidents.only(some), dtype, 50_000.0,
                                                                 10_000.0))
    return out


def _assert_same_chunks(reference: dict, compiled: dict) -> None:
    assert reference.keys() == compiled.keys()
    assert reference["joint_extra"].dtype == compiled["joint_extra"].dtype
    assert np.array_equal(reference.pop("joint_extra"), compiled.pop("joint_extra"))
    for sid, (ref_entries, ref_part) in reference.items():
        entries, part = compiled[sid]
        for name in ENTRY_FIELDS:
            a, b = getattr(ref_entries, name), getattr(entries, name)
            assert a.dtype == b.dtype and np.array_equal(a, b), f"{sid}: entries' {name} differ"
        for name in PART_FIELDS:
            a, b = getattr(ref_part, name), getattr(part, name)
            assert a.dtype == b.dtype and np.array_equal(a, b), f"{sid}: summary's {name} differs"


@pytest.mark.parametrize("example", ["herefordshire-phm.json", "minimal.json"])
def test_the_compiled_engine_assesses_the_examples_exactly_as_numpy_does(example, monkeypatch):
    doc = json.loads((EXAMPLES / example).read_text())
    assert _assessed(doc, "compiled", monkeypatch) == _assessed(doc, "numpy", monkeypatch)


@SETTINGS
@given(models(annual_cap=30_000), st.sampled_from([np.float64, np.float32]))
def test_every_chunk_has_the_same_entries_and_summaries_with_either_engine(doc, dtype):
    # Joint controllers, controller-to-processor recovery, capped and conditional indemnities and risk pools.
    _assert_same_chunks(_chunks(doc, False, dtype), _chunks(doc, True, dtype))


def test_a_model_with_no_incidents_gives_empty_summaries_with_either_engine():
    doc = model_doc([party("a", "gp_practice", "partnership"), party("b", "icb", "nhs_body")],
                    [flow("f", "a", "b", rate=0.0)])
    _assert_same_chunks(_chunks(doc, False, np.float64), _chunks(doc, True, np.float64))


@settings(deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=600),
       st.lists(st.integers(1, 300), min_size=1, max_size=8))
def test_segment_sums_reproduce_numpy_reduceat_bit_for_bit(values, cuts):
    a = np.array(values)
    starts = np.unique(np.minimum(np.cumsum([0, *cuts]), a.size - 1))
    ends = np.r_[starts[1:], a.size]
    reduceat_segment = kernels().reduceat_segment
    got = [reduceat_segment(a, int(s), int(e)) for s, e in zip(starts, ends)]
    assert np.array_equal(np.array(got), np.add.reduceat(a, starts))


def test_the_engine_is_chosen_by_the_run_size_unless_pinned(monkeypatch):
    monkeypatch.delenv("DSA_ENGINE", raising=False)
    assert not use_kernels(1_000_000)
    assert use_kernels(100_000_000)
    monkeypatch.setenv("DSA_ENGINE", "numpy")
    assert not use_kernels(100_000_000)
    monkeypatch.setenv("DSA_ENGINE", "compiled")
    assert use_kernels(10)


def test_keeping_only_the_worst_years_gives_the_same_figures_with_either_engine(monkeypatch):
    # Large models keep per party only the years the statistics read, filtered chunk by chunk.
    monkeypatch.setattr("dsa.liability.assessment.KEEP_YEARS_LIMIT", 0)
    model = Model.from_document(json.loads((EXAMPLES / "herefordshire-phm.json").read_text()))
    config = SimulationConfig(years=20_000, seed=4, incidents_per_chunk=2_000)
    figures = {}
    for engine in ("numpy", "compiled"):
        monkeypatch.setenv("DSA_ENGINE", engine)
        figures[engine] = assess(model, config=config).to_json()
    assert figures["compiled"] == figures["numpy"]


def test_a_clause_the_model_does_not_have_moves_the_same_money_with_either_engine(monkeypatch):
    # A solver's candidate draws its own conditions (``Simulation._extra_conditions``); a cap per incident too.
    from dataclasses import replace

    from dsa.liability import simulate
    from dsa.model import Indemnity

    model = Model.from_document(json.loads((EXAMPLES / "herefordshire-phm.json").read_text()))
    indemnity = next(c for c in model.clauses if isinstance(c, Indemnity))
    candidate = replace(indemnity, id="candidate", share=0.7, cap_per_incident_gbp=15_000.0, excess_gbp=500.0)
    figures = {}
    for engine in ("numpy", "compiled"):
        monkeypatch.setenv("DSA_ENGINE", engine)
        run = simulate(model, SimulationConfig(years=5_000, seed=9))
        figures[engine] = run.assess({"candidate": [candidate]}).to_json()
    assert figures["compiled"] == figures["numpy"]


def _large_model_parts(doc: dict, narrow_share: float, monkeypatch) -> tuple:
    """The compiled engine's chunk summaries of a large model (worst years filtered in the worker), with the
    given share under which a scenario is summarised over only the parties its clauses touch."""
    monkeypatch.setattr("dsa.liability.assessment.NARROW_SHARE", narrow_share)
    model = Model.from_document(doc)
    layout = build_layout(model, effective(model))
    P = len(model.parties)
    variants = compile_variants(layout, {s.id: model.scenario_clauses(s.id) for s in model.scenarios})
    summarise = Summariser(layout, variants, keep_years=False, threshold=50_000.0, partner_threshold=10_000.0)
    floors = np.random.default_rng(1).uniform(0.0, 30_000.0, (2, P))
    summarise.floors.update({sid: Floors(floors[0], floors[1], 1) for sid in variants})
    incidents = simulate_chunk(layout, np.random.default_rng(5), 400, len(indemnity_clauses(model)), compiled=True)
    return summarise(incidents)


@SETTINGS
@given(models(annual_cap=30_000))
def test_a_scenario_summarised_over_only_the_parties_its_clauses_touch_has_the_full_summary(doc):
    # Indemnities (capped, conditional) and risk pools, alone and together: the narrow summary, spliced into
    # the baseline's, is the summary of every entry bit for bit.
    with pytest.MonkeyPatch.context() as monkeypatch:
        extra_full, full = _large_model_parts(doc, 0.0, monkeypatch)
        extra_narrow, narrow = _large_model_parts(doc, 2.0, monkeypatch)
    assert np.array_equal(extra_full, extra_narrow) and full.keys() == narrow.keys()
    for sid, part in full.items():
        other = narrow[sid]
        for name in (*PART_FIELDS, "nonzero"):
            a, b = getattr(part, name), getattr(other, name)
            assert a.dtype == b.dtype and np.array_equal(a, b), f"{sid}: {name} differs"
        for a, b in zip(part.kept, other.kept):
            assert a.dtype == b.dtype and np.array_equal(a, b), f"{sid}: the kept values differ"
        assert other.floors_version == part.floors_version and other.segments is None


@pytest.mark.parametrize("example", ["herefordshire-phm.json", "minimal.json"])
def test_a_large_model_assessed_with_narrow_scenarios_has_the_figures_of_every_entry(example, monkeypatch):
    # Narrow scenarios keep only their touched parties' worst years; the finish copies the rest from the
    # baseline's. Every scenario narrow, none, or the NumPy engine: the same document.
    monkeypatch.setattr("dsa.liability.assessment.KEEP_YEARS_LIMIT", 0)
    model = Model.from_document(json.loads((EXAMPLES / example).read_text()))
    config = SimulationConfig(years=20_000, seed=4, incidents_per_chunk=2_000)
    figures = {}
    for label, engine, share in (("narrow", "compiled", 2.0), ("full", "compiled", 0.0), ("numpy", "numpy", 2.0)):
        monkeypatch.setenv("DSA_ENGINE", engine)
        monkeypatch.setattr("dsa.liability.assessment.NARROW_SHARE", share)
        figures[label] = assess(model, config=config).to_json()
    assert figures["narrow"] == figures["full"] == figures["numpy"]


@SETTINGS
@given(models(annual_cap=30_000))
def test_every_scenario_narrow_gives_the_figures_of_every_entry_on_any_model(doc):
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr("dsa.liability.assessment.KEEP_YEARS_LIMIT", 0)
        monkeypatch.setenv("DSA_ENGINE", "compiled")
        model = Model.from_document(doc)
        config = SimulationConfig(years=3_000, seed=2, incidents_per_chunk=500)
        monkeypatch.setattr("dsa.liability.assessment.NARROW_SHARE", 2.0)
        narrow = assess(model, config=config).to_json()
        monkeypatch.setattr("dsa.liability.assessment.NARROW_SHARE", 0.0)
        assert narrow == assess(model, config=config).to_json()


_LOADED_THEN_CALLED = """
import json, sys
from numba.core.registry import CPUDispatcher
import dsa.liability.assessment as assessment
from dsa.liability import SimulationConfig, assess
from dsa.model import Model
if sys.argv[2] == "worst years only":
    assessment.KEEP_YEARS_LIMIT = 0
model = Model.from_document(json.loads(open(sys.argv[1]).read()))
config = SimulationConfig(years=20_000, seed=4, incidents_per_chunk=2_000)
layout = assessment.load_kernels(model, config=config)
from dsa.liability import compiled
def loaded():
    return {name: len(f.signatures) for name, f in vars(compiled).items() if isinstance(f, CPUDispatcher)}
before = loaded()
assess(model, config=config, layout=layout)
print(json.dumps([before, loaded()]))
"""


@pytest.mark.parametrize("kept", ["every year", "worst years only"])
def test_load_kernels_loads_every_kernel_the_assessment_then_calls(kept, tmp_path):
    # ``dsa assess`` loads them while its child process counts the findings. In a fresh process (this one
    # may have loaded them all already): the assessment after it loads none, and it did load some.
    import os
    import subprocess
    import sys

    env = {**os.environ, "DSA_ENGINE": "compiled"}
    done = subprocess.run([sys.executable, "-c", _LOADED_THEN_CALLED, str(EXAMPLES / "herefordshire-phm.json"), kept],
                          capture_output=True, text=True, env=env, check=True)
    before, after = json.loads(done.stdout)
    assert after == before
    assert before["allocate"] == before["summarise"] == 1


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
def test_an_assessment_given_the_layout_load_kernels_built_has_the_same_figures(engine, monkeypatch):
    from dsa.liability.assessment import load_kernels

    monkeypatch.setenv("DSA_ENGINE", engine)
    model = Model.from_document(json.loads((EXAMPLES / "herefordshire-phm.json").read_text()))
    config = SimulationConfig(years=3_000, seed=11)
    assert (assess(model, config=config, layout=load_kernels(model, config=config)).to_json()
            == assess(model, config=config).to_json())


def test_the_json_made_ahead_while_scenarios_finish_is_the_document_made_after(monkeypatch):
    # `dsa assess` asks for each scenario's part of the document as soon as it is finished (a large model's
    # scenarios finish one after the other): the same document as made at the end.
    monkeypatch.setattr("dsa.liability.assessment.KEEP_YEARS_LIMIT", 0)
    model = Model.from_document(json.loads((EXAMPLES / "herefordshire-phm.json").read_text()))
    config = SimulationConfig(years=20_000, seed=4, incidents_per_chunk=2_000)
    ahead = assess(model, config=config, json_ahead=True)
    assert set(ahead._json) == {"baseline", *(s.id for s in model.scenarios)}
    assert ahead.to_json() == assess(model, config=config).to_json()


def test_the_expected_share_of_entries_is_what_a_long_run_gives():
    # Which scenarios are summarised over their touched parties only is decided from the flows, the same for
    # every run and chunk: their expected share of the entries, close to what the chunks hold.
    from dsa.liability.assessment import expected_share
    from dsa.liability.clauses import touched_parties

    model = Model.from_document(json.loads((EXAMPLES / "herefordshire-phm.json").read_text()))
    layout = build_layout(model, effective(model))
    incidents = simulate_chunk(layout, np.random.default_rng(3), 40_000, len(indemnity_clauses(model)),
                               compiled=False)
    variants = compile_variants(layout, {s.id: model.scenario_clauses(s.id) for s in model.scenarios})
    for sid, clauses in variants.items():
        if not clauses:
            continue
        touched = touched_parties(len(model.parties), clauses)
        sampled = np.count_nonzero(touched[incidents.party]) / incidents.party.size
        assert abs(expected_share(layout, touched) - sampled) < 0.02, sid
