"""The Liability page's Compare tab, driven through Streamlit's AppTest on the real dashboard script."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dsa.compare import METRIC_LABELS

from .conftest import ROOT, vehicle

LIABILITY = "dsa/ui/pages/liability.py"
VEHICLE_KEYS = ["example:vehicles/primary-care-led.json", "example:vehicles/trust-led.json",
                "example:vehicles/joint-venture.json"]


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("DSA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    at.session_state["years"] = 2_000  # quick simulations; the tab starts from the page's setting
    return at


def open_compare(at: AppTest) -> AppTest:
    at.session_state["liability_tab"] = "Compare arrangements"
    at.switch_page(LIABILITY).run()
    assert not at.exception, at.exception
    return at


def compare_table(at: AppTest):
    return next(f.value for f in at.dataframe if "Arrangement" in f.value.columns)


def test_the_tab_opens_on_the_three_vehicle_examples_with_one_chart_per_metric_and_the_table(app):
    open_compare(app)
    assert app.multiselect(key="compare_models").value == VEHICLE_KEYS
    charts = [c for c in app.get("plotly_chart")]
    assert len(charts) == len(METRIC_LABELS)
    mean = json.loads(charts[0].proto.spec)
    # Arrangements are the colours, parties the axis, by name.
    assert [trace["name"] for trace in mean["data"]] == [
        "Vale Frailty Integrated Neighbourhood Team — primary-care-led (bundled example)",
        "Vale Frailty Integrated Neighbourhood Team — trust-led (bundled example)",
        "Vale Frailty Integrated Neighbourhood Team — joint venture (bundled example)"]
    assert "Vale and Downs Community Health NHS Trust" in mean["data"][0]["x"]
    assert "trust" not in mean["data"][0]["x"]
    frame = compare_table(app)
    assert set(frame["Arrangement"]) == {t["name"] for t in mean["data"]}
    # The joint-venture company is only in the joint venture: shown as absent in the other two.
    jv = frame[frame["Party"] == "Vale Neighbourhood Health Partnership Ltd"]
    assert sorted(jv[METRIC_LABELS["mean"]]) == ["£0", "—", "—"]
    # The trust carries more when it leads than when primary care leads.
    trust = frame[frame["Party"] == "Vale and Downs Community Health NHS Trust"].set_index("Arrangement")
    money = {a: float(v.strip("£").replace(",", "")) for a, v in trust[METRIC_LABELS["mean"]].items()}
    assert money[mean["data"][1]["name"]] > money[mean["data"][0]["name"]]
    texts = " ".join(m.value for m in app.markdown)
    assert "the largest share" in texts and "Vale Primary Care Federation CIC" in texts


def test_fewer_than_two_arrangements_asks_for_another(app):
    open_compare(app)
    app.multiselect(key="compare_models").set_value(VEHICLE_KEYS[:1]).run()
    assert not app.exception
    assert any("at least two" in i.value for i in app.info)
    assert not [f for f in app.dataframe if "Arrangement" in f.value.columns]


def test_a_scenario_can_be_chosen_for_a_model_that_has_them(app):
    open_compare(app)
    here = "example:herefordshire-phm.json"
    app.multiselect(key="compare_models").set_value([here, here.replace("herefordshire-phm", "minimal")]).run()
    before = compare_table(app)
    app.selectbox(key=f"compare_scenario_{here}").set_value("herefordshire").run()
    assert not app.exception
    after = compare_table(app)
    icb = METRIC_LABELS["mean"]
    pick = lambda f: f[(f["Party"].str.contains("Integrated Care Board")) & f["Arrangement"].str.startswith(
        "Herefordshire")][icb].iloc[0]
    # Under the Herefordshire indemnity the ICB takes over practices' losses.
    assert float(pick(after).strip("£").replace(",", "")) > float(pick(before).strip("£").replace(",", ""))


def test_saved_versions_are_offered_and_compared_under_their_version_labels(app):
    from dsa.storage import Store

    with Store.open() as store:
        store.save("Vale INT", vehicle("primary-care-led"), author="tester")
        store.save("Vale INT", vehicle("trust-led"), author="tester")
    open_compare(app)
    keys = ["saved:Vale INT:1", "saved:Vale INT:2"]
    offered = app.multiselect(key="compare_models").options  # as people read them
    assert any(o.startswith("v1 of 'Vale INT'") for o in offered) and any(o.startswith("v2 of") for o in offered)
    app.multiselect(key="compare_models").set_value(keys).run()
    assert not app.exception
    arrangements = sorted(set(compare_table(app)["Arrangement"]))
    assert arrangements[0].startswith("v1 of 'Vale INT'") and arrangements[1].startswith("v2 of 'Vale INT'")


def test_a_model_with_blocking_errors_is_named_and_left_out(app):
    from dsa.storage import Store

    broken = vehicle("trust-led")
    broken["flows"][0]["to"] = "nobody"
    with Store.open() as store:
        store.save("Broken", broken, author="tester")
    open_compare(app)
    app.multiselect(key="compare_models").set_value(VEHICLE_KEYS[:2] + ["saved:Broken:1"]).run()
    assert not app.exception
    assert any("v1 of 'Broken'" in e.value.replace("\\", "") for e in app.error)
    assert len(set(compare_table(app)["Arrangement"])) == 2


def test_the_tab_works_while_the_working_model_has_errors(app):
    doc = app.session_state["doc"]
    doc["flows"][0]["to"] = "nobody"
    app.session_state["doc"] = doc
    open_compare(app)
    assert compare_table(app) is not None


def test_the_model_being_edited_can_be_compared_with_an_example(app):
    open_compare(app)
    app.multiselect(key="compare_models").set_value(["working", "example:minimal.json"]).run()
    assert not app.exception
    arrangements = set(compare_table(app)["Arrangement"])
    assert "Herefordshire PHM linked dataset (the model you are editing)" in arrangements
