"""Targets read as SUBJECT.METRIC <= VALUE, and --for chooses the parties they apply to."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from dsa.model import Model
from dsa.negotiation.targets import METRICS, SUBJECTS, TargetError, parse_target, select_parties


@given(st.sampled_from(SUBJECTS), st.sampled_from(METRICS), st.integers(min_value=0, max_value=10**9))
def test_every_subject_and_metric_reads_back_to_the_same_target(subject, metric, amount):
    value = amount / 10**9 if metric == "p_exceed" else float(amount)
    target = parse_target(f"{subject}.{metric} <= {value!r}" if metric == "p_exceed" else f"{subject}.{metric} <= {amount}")
    assert (target.subject, target.metric) == (subject, metric)
    assert target.value == pytest.approx(value)
    assert parse_target(target.text) == target


def test_spaces_pound_signs_and_thousands_separators_are_allowed():
    assert parse_target("partner.p99_9<=£25,000").value == 25_000


@pytest.mark.parametrize("text", ["partner.p99_9 < 25000", "gp.p99_9 <= 1", "partner.p42 <= 1", "partner.p99_9 <= x",
                                  "", "partner.p_exceed <= 2", "p99_9 <= 100"])
def test_a_bad_target_is_an_error_that_names_it(text):
    with pytest.raises(TargetError) as err:
        parse_target(text)
    assert repr(text) in str(err.value)


def test_targets_read_in_words():
    assert parse_target("partner.p99_9 <= 25000").words() == \
        "No partner loses more than £25,000 in a 1-in-1,000 year"


def test_default_targets_are_every_party_with_personal_exposure(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    chosen = select_parties(model, None)
    assert chosen == tuple(p.id for p in model.parties if p.legal_form in ("partnership", "sole_trader"))
    assert "m81011" not in chosen  # a limited company: no personal exposure


def test_for_takes_a_party_type_or_ids_and_rejects_unknown_ones(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    assert len(select_parties(model, "party_type:gp_practice")) == 16
    assert select_parties(model, "m81001, m81002") == ("m81001", "m81002")
    with pytest.raises(TargetError, match="nobody"):
        select_parties(model, "m81001,nobody")
    with pytest.raises(TargetError, match="dentist"):
        select_parties(model, "party_type:dentist")
