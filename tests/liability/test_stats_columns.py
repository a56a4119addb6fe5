"""Every party's figures computed at once are, bit for bit, those computed party by party."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsa.liability import SimulationConfig, assess
from dsa.liability.summary import NotExact, ScenarioLosses, values_needed
from tests.liability.conftest import build

GROSS = (50, 90, 95, 99, 99.5, 99.9)
NET = (99, 99.5, 99.9)


def _tops(rng, nonzero: np.ndarray, years: int, percentiles, dtype, short: np.ndarray):
    """Each party's largest values ascending, as many as the statistics read (one fewer where ``short``)."""
    need = values_needed(nonzero, years, percentiles) - short
    need = np.maximum(need, 0)
    values = [np.sort(rng.lognormal(8, 2, size=n).astype(dtype)) for n in need]
    offsets = np.concatenate([[0], np.cumsum(need)]).astype(np.int64)
    return offsets, np.concatenate(values) if values else np.zeros(0, dtype)


@st.composite
def losses(draw):
    P = draw(st.integers(1, 8))
    years = draw(st.sampled_from((1, 2, 7, 100, 101, 1_000, 2_345)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    dtype = draw(st.sampled_from((np.float32, np.float64)))
    nonzero = rng.integers(0, years + 1, size=P)
    net_nonzero = np.minimum(nonzero, rng.integers(0, years + 1, size=P))
    # Now and then a party lacks one of the values its figures read: both ways must refuse it.
    short = (rng.random(P) < draw(st.sampled_from((0.0, 0.2)))).astype(np.int64)
    top_offsets, top = _tops(rng, nonzero, years, GROSS, dtype, short)
    net_offsets, net = _tops(rng, net_nonzero, years, NET, dtype, np.zeros(P, np.int64))
    sl = ScenarioLosses(
        years=years, component_sums=rng.lognormal(6, 3, size=(P, 3)), net_sum=rng.lognormal(6, 3, size=P),
        joint_extra=rng.lognormal(3, 2, size=P), total_by_year=rng.lognormal(5, 2, size=years),
        nonzero=nonzero, net_nonzero=net_nonzero, exceed=rng.integers(0, years + 1, size=P),
        partner_exceed=rng.integers(0, years + 1, size=P), party_offsets=top_offsets, gross=top, year=None,
        net_offsets=net_offsets, net=net)
    sl.top_offsets, sl.top, sl.net_top_offsets, sl.net_top = top_offsets, top, net_offsets, net
    return sl


def _party_by_party(sl: ScenarioLosses, partners: np.ndarray):
    try:
        stats = [sl.party_stats(p) for p in range(len(sl.nonzero))]
        shares = [sl.partner_stats(p, int(n)) for p, n in enumerate(partners)]
    except NotExact:
        return None
    return stats, shares


def _same(a: float, b: float) -> bool:
    return np.float64(a).tobytes() == np.float64(b).tobytes()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(losses(), st.lists(st.integers(1, 12), min_size=8, max_size=8))
def test_figures_of_every_party_at_once_are_those_party_by_party_bit_for_bit(sl, partners):
    partners = np.array(partners[:len(sl.nonzero)], dtype=np.int64)
    expected = _party_by_party(sl, partners)
    if expected is None:
        with pytest.raises(NotExact):
            sl.stats_columns()
            sl.partner_columns(partners)
        return
    columns = sl.stats_columns()
    per_partner = sl.partner_columns(partners)
    for p, (stats, shares) in enumerate(zip(*expected)):
        for name, value in stats.items():
            if name == "components":
                assert all(_same(columns[c][p], v) for c, v in value.items()), (p, name)
            else:
                assert _same(columns[name][p], value), (p, name, columns[name][p], value)
        for name, value in shares.items():
            assert _same(per_partner[name][p], value), (p, name)


def test_the_json_of_a_scenario_is_the_party_by_party_one(three_party_doc):
    """On a model with joint controllers, partnerships and clauses: the document the CLI prints, entry by entry."""
    model = build(three_party_doc)
    result = assess(model, config=SimulationConfig(years=3_000, seed=5))
    joint = {s.party for f in model.flows for s in f.controller_shares}
    for sid in result.scenario_ids:
        sl = result.losses[sid]
        got = result.scenario_json(sid)
        assert set(got["parties"]) == {p.id for p in model.parties}
        for i, party in enumerate(model.parties):
            want = sl.party_stats(i)
            if party.id in joint:
                want["joint_worst_case_mean"] = float(want["mean"] + sl.joint_extra[i] / sl.years)
            assert list(got["parties"][party.id].items()) == list(want.items())
        personal = [p for p in model.parties if p.has_personal_exposure]
        assert list(got["partners"]) == [p.id for p in personal]
        for party in personal:
            i, n = model.party_position(party.id), party.partner_count
            want = {"partners": n, "mean_per_partner": sl.party_stats(i)["net_mean"] / n,
                    "p99_per_partner": sl.net_percentile(i, 99) / n, "joint_and_several_p99": sl.net_percentile(i, 99),
                    **sl.partner_stats(i, n)}
            assert list(got["partners"][party.id].items()) == list(want.items())
