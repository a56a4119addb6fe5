"""Core calls wrapped in ``st.cache_data``, keyed on the model's canonical JSON and the settings.

Each function takes the JSON text (hashable, and the same for the same model)
rather than the dict. Results are plain data, so the cache can pickle them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import streamlit as st

from ..findings import Finding
from ..model import Model
from ..validation import validate

if TYPE_CHECKING:  # the engine, the drafts and the store load when a page first needs them, not on first load
    from ..drafting import Pack
    from ..storage import Store

CURVE_POINTS = 120


@st.cache_data(show_spinner=False, max_entries=32)
def findings(doc_json: str) -> list[Finding]:
    return validate(json.loads(doc_json))


@st.cache_data(show_spinner=False, max_entries=16)
def flow_losses(doc_json: str) -> dict[str, float]:
    from ..liability import flow_expected_losses
    return flow_expected_losses(Model.from_document(json.loads(doc_json)))


@st.cache_data(show_spinner=False, max_entries=8)
def assessment(doc_json: str, scenarios: tuple[str, ...] | None, years: int, seed: int, threshold: float) -> dict:
    """``Assessment.to_json()`` plus exceedance curves per scenario (``curves[sid][party or '__total__']``) and
    the 95% margins of the means (``margins[sid][party or '__total__']``).

    The progress bar is made inside the function so that a cache hit replays nothing half-drawn.
    """
    from ..liability import SimulationConfig, assess

    bar = st.progress(0.0, text=f"Simulating {years:,} years…")
    model = Model.from_document(json.loads(doc_json))
    result = assess(model, scenarios=scenarios, config=SimulationConfig(years=years, seed=seed),
                    threshold_gbp=threshold,
                    progress=lambda f: bar.progress(min(f, 1.0), text=f"Simulating {years:,} years… {f:.0%}"))
    out = result.to_json()
    curves: dict[str, dict[str, tuple[list[float], list[float]]]] = {}
    for sid in result.scenario_ids:
        curves[sid] = {"__total__": _curve(*result.exceedance(sid, None, CURVE_POINTS))}
        for p in model.parties:
            curves[sid][p.id] = _curve(*result.exceedance(sid, p.id, CURVE_POINTS))
    out["curves"] = curves
    out["margins"] = _margins(result, model)
    bar.empty()
    return out


def _margins(result, model: Model) -> dict[str, dict[str, float]]:
    """The 95% margin (1.96 standard errors) of each simulated mean, per scenario and party and for the total."""
    import numpy as np
    out: dict[str, dict[str, float]] = {}
    try:
        for sid in result.scenario_ids:
            losses = result.losses[sid]
            years = losses.years
            margins = {"__total__": _margin(np.asarray(result.total_losses(sid), dtype=float), years)}
            for position, party in enumerate(model.parties):
                margins[party.id] = _margin(np.asarray(losses.party_values(position), dtype=float), years)
            out[sid] = margins
    except (AttributeError, KeyError, TypeError):  # an engine that no longer keeps the yearly values: no margins
        return {}
    return out


def _margin(nonzero, years: int) -> float:
    """1.96 standard errors of the mean of ``years`` values whose nonzero ones are ``nonzero``."""
    import numpy as np

    if years <= 1:
        return 0.0
    mean = nonzero.sum() / years
    variance = max((np.square(nonzero).sum() / years - mean * mean), 0.0) * years / (years - 1)
    return float(1.96 * np.sqrt(variance / years))


def _curve(levels, probabilities) -> tuple[list[float], list[float]]:
    return [float(x) for x in levels], [float(p) for p in probabilities]


def assessment_json(result: dict) -> dict:
    """The ``assess --json`` document inside a cached result (without the curves)."""
    return {k: v for k, v in result.items() if k not in ("curves", "margins")}


@st.cache_data(show_spinner=False, max_entries=8)
def pack(doc_json: str, assessment_key: str, scenarios: tuple[str, ...] | None, date: str | None,
         name: str | None = None, number: int | None = None) -> "Pack":
    """The agreement pack with every DOCX built (``assessment_key`` is the assessment's JSON text); ``name`` and
    ``number`` are the saved version the working model is, for the pack's version label."""
    from ..drafting import build_pack

    built = build_pack(json.loads(doc_json), assessment=json.loads(assessment_key), date=date, scenarios=scenarios,
                       name=name, number=number)
    built.files()  # build the DOCX now, so the cached copy has them
    return built


@st.cache_data(show_spinner=False, max_entries=16)
def briefing(doc_json: str, party_id: str, assessment_key: str, date: str) -> tuple[str, bytes]:
    from ..drafting.briefing import practice_briefing
    doc = json.loads(doc_json)
    return practice_briefing(doc, party_id, json.loads(assessment_key), validate(doc), date)


@st.cache_resource(show_spinner=False)
def store(url: str) -> "Store":
    from ..storage import Store
    """One store (engine and connection pool) per database, shared by every session."""
    return Store.open(url)


def current_store() -> "Store":
    """The store of ``DSA_DATABASE_URL``, else the embedded SQLite file (read on each call, so tests can
    point it elsewhere)."""
    from ..storage import default_url
    return store(default_url())


# --------------------------------------------------------------------------- Negotiate page
# Results are plain JSON documents; the progress bar is made inside, so a cache hit redraws nothing.

@st.cache_data(show_spinner=False, max_entries=8)
def solution(doc_json: str, clause_id: str, vary: str, targets: tuple[str, ...], parties: tuple[str, ...],
             scenario: str | None, years: int, seed: int) -> dict:
    """``dsa solve --json`` for the working model (which may hold a clause made from the page's template)."""
    from ..liability import SimulationConfig
    from ..negotiation import parse_target, solve

    bar = st.progress(0.0, text=f"Solving on {years:,} simulated years…")
    model = Model.from_document(json.loads(doc_json))
    result = solve(model, clause_id, vary, [parse_target(t) for t in targets], parties, scenario_id=scenario,
                   config=SimulationConfig(years=years, seed=seed),
                   progress=lambda f: bar.progress(min(f, 1.0), text=f"Solving on {years:,} simulated years… {f:.0%}"))
    bar.empty()
    return result.to_json()


@st.cache_data(show_spinner=False, max_entries=8)
def tornado(doc_json: str, metric: str, parties: tuple[str, ...], scenario: str, years: int, seed: int) -> dict:
    """``dsa sensitivity --json``."""
    from ..liability import SimulationConfig
    from ..negotiation.sensitivity import sensitivity

    bar = st.progress(0.0, text="Trying each assumption's range…")
    result = sensitivity(Model.from_document(json.loads(doc_json)), parties, metric=metric, scenario_id=scenario,
                         config=SimulationConfig(years=years, seed=seed),
                         progress=lambda f: bar.progress(min(f, 1.0), text=f"Trying each assumption's range… {f:.0%}"))
    bar.empty()
    return result


@st.cache_data(show_spinner=False, max_entries=8)
def fixes(doc_json: str, scenario: str) -> dict:
    """``dsa remediation --json``."""
    from ..negotiation.remediation import remediation

    bar = st.progress(0.0, text="Pricing each fix…")
    doc = json.loads(doc_json)
    result = remediation(doc, scenario_id=scenario, findings=findings(doc_json),
                         progress=lambda f: bar.progress(min(f, 1.0), text=f"Pricing each fix… {f:.0%}"))
    bar.empty()
    return result
