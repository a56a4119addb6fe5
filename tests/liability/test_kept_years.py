"""Large models keep only each party's worst years; every figure must equal the one read from all of them."""

from __future__ import annotations

import numpy as np
import pytest

import dsa.liability.assessment as assessment_module
import dsa.liability.summary as summary_module
from dsa.liability import SimulationConfig, assess
from dsa.model import Model

CONFIG = SimulationConfig(years=20_000, seed=4, incidents_per_chunk=300)  # many chunks


@pytest.fixture
def large(monkeypatch):
    """Treat every model as large (thresholds, float32 values), as a national one is."""
    monkeypatch.setattr(assessment_module, "KEEP_YEARS_LIMIT", 0)
    return monkeypatch


def test_thresholds_keep_exactly_the_figures_of_every_kept_year(herefordshire_doc, large):
    model = Model.from_document(herefordshire_doc)
    thresholds = []
    calibrate = summary_module.TopValues.calibrate

    def recorded(self, need, fraction):
        calibrate(self, need, fraction)
        thresholds.append(self.threshold.copy())

    large.setattr(summary_module.TopValues, "calibrate", recorded)
    with_thresholds = assess(model, config=CONFIG).to_json()
    assert any(np.isfinite(t).any() for t in thresholds), "no party's years were dropped: the test no longer tests thresholds"
    large.setattr(summary_module, "CALIBRATE_AT", 2.0)  # never calibrates: every nonzero year kept
    assert with_thresholds == assess(model, config=CONFIG).to_json()


def test_thresholds_set_too_high_are_caught_and_the_run_repeated_without_them(herefordshire_doc, large):
    model = Model.from_document(herefordshire_doc)
    # Keep far fewer values than the statistics read: the end-of-run check must notice and re-run.
    large.setattr(summary_module, "CALIBRATION_MARGIN", 0.01)
    large.setattr(summary_module, "CALIBRATION_EXTRA", 0)
    calls = []
    finish = summary_module.ScenarioAccumulator.finish

    def counted(self, same=None):
        calls.append(self.calibrate)
        return finish(self, same)

    large.setattr(summary_module.ScenarioAccumulator, "finish", counted)
    starved = assess(model, config=CONFIG).to_json()
    assert False in calls, "the thresholds were not too high: the test no longer tests the fallback"
    large.setattr(summary_module, "CALIBRATE_AT", 2.0)
    assert starved == assess(model, config=CONFIG).to_json()
