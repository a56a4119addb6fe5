"""Tail figures from sparse yearly losses, zeros counted, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from dsa.negotiation.figures import yearly_figures


def test_figures_of_ten_years_with_two_losses_count_the_eight_zeros():
    # one of the two years is over the threshold
    f = yearly_figures(np.array([100.0, 300.0]), 10, mean=40.0, exceed=1)
    # sorted: eight zeros, 100, 300; percentile q at position q/100 × 9
    assert f["p99"] == pytest.approx(100 + (300 - 100) * (0.99 * 9 - 8))
    assert f["p99_9"] == pytest.approx(100 + 200 * (0.999 * 9 - 8))
    assert f["tvar99"] == 300.0  # the worst ceil(10/100) = 1 year
    assert f["p_exceed"] == 0.1
    assert f["mean"] == 40.0


def test_the_tail_mean_of_many_years_averages_the_worst_one_percent_including_zeros():
    # 1,000 years, 5 with a loss: the worst 10 years are those 5 and 5 zeros
    f = yearly_figures(np.array([10.0, 20, 30, 40, 50]), 1000, mean=0.15, exceed=0)
    assert f["tvar99"] == pytest.approx(150 / 10)


def test_no_loss_at_all_gives_zero_figures():
    f = yearly_figures(np.array([]), 1000, mean=0.0, exceed=0)
    assert f == {"mean": 0.0, "p99": 0.0, "p99_5": 0.0, "p99_9": 0.0, "tvar99": 0.0, "p_exceed": 0.0}


def test_the_worst_years_alone_give_the_same_tail_figures_as_every_year():
    values = np.sort(np.random.default_rng(0).lognormal(8, 1, 300))
    every = yearly_figures(values, 10_000, mean=1.0, exceed=0)
    top = yearly_figures(values[-120:], 10_000, mean=1.0, exceed=0, nonzero=300)
    assert top == every
