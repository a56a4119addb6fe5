"""The loss model's assumptions: defaults with their sources, merged with a model's overrides.

Every default lives in ``dsa/data/assumptions.json`` with a one-line source or
rationale; a model's ``assumptions`` object overrides any of them (partial
tables are merged over the defaults) and a flow's ``risk`` object overrides the
severity keys and the incident rate for that flow alone.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from .errors import ModelError
from .model import Flow, Model, thaw

# Keys a flow's `risk` may set for that flow alone (liability-model.md).
FLOW_KEYS = (
    "annual_incident_rate", "stage", "fraction_beta", "harm", "response_fixed_gbp", "response_per_record_gbp",
    "claim_rate", "award_median_gbp", "award_sigma", "special_category_multiplier", "fine_probability",
    "fine_median_gbp", "fine_sigma", "fine_cap_gbp", "fine_cap_turnover_share", "processor_fault_share",
    "recovery_probability",
)


@lru_cache(maxsize=1)
def _defaults_file() -> dict:
    text = resources.files("dsa").joinpath("data/assumptions.json").read_text(encoding="utf-8")
    return json.loads(text)


def defaults() -> dict[str, Any]:
    """The default value of every assumption (a fresh copy)."""
    return {k: copy.deepcopy(v["value"]) for k, v in _defaults_file().items()}


def sources() -> dict[str, str]:
    return {k: v["source"] for k, v in _defaults_file().items()}


@dataclass(frozen=True)
class Range:
    """A plausible low and high for one assumption (a whole key, or one entry of a table).

    ``leaf`` is None when the whole key moves together (``low``/``high`` then have the value's shape).
    Ranges describe the defaults' uncertainty; they are not model keys and cannot be overridden.
    """

    key: str
    leaf: str | None
    low: Any
    high: Any
    source: str

    def override(self, current: Mapping[str, Any], end: str) -> Any:
        """The value of ``key`` with this range's low or high end in place (``end``: "low" or "high")."""
        value = self.low if end == "low" else self.high
        if self.leaf is None:
            return copy.deepcopy(value)
        return {**thaw(current[self.key]), self.leaf: value}


def ranges() -> list[Range]:
    """Every assumption's range, in file order: one per key, or one per entry where entries vary alone."""
    out = []
    for key, entry in _defaults_file().items():
        r = entry.get("range")
        if r is None:
            raise ModelError(f"assumption '{key}' has no range in dsa/data/assumptions.json")
        if "low" in r:  # one range for the whole key (a table may have an entry called "source")
            out.append(Range(key, None, r["low"], r["high"], r["source"]))
        else:
            out.extend(Range(key, leaf, v["low"], v["high"], v["source"]) for leaf, v in r.items())
    return out


def _merge(key: str, default: Any, override: Any) -> Any:
    if isinstance(default, dict) and isinstance(override, Mapping):
        given = {k: v for k, v in override.items() if not k.startswith("x-")}  # annotations, as elsewhere
        unknown = set(given) - set(default)
        if unknown:
            raise ModelError(f"assumption '{key}' has unknown entries: {', '.join(sorted(unknown))}")
        return {**default, **given}
    if key == "fraction_beta" and isinstance(override, (int, float)):
        return float(override)  # a single number is a fixed fraction
    return thaw(override)


def _merged(base: dict[str, Any], overrides: Mapping[str, Any], allowed: tuple[str, ...] | None = None) -> dict:
    out = dict(base)
    for key, value in overrides.items():
        if key.startswith("x-"):
            continue
        if allowed is not None and key not in allowed:
            raise ModelError(f"'{key}' cannot be set here; allowed: {', '.join(allowed)}")
        if key not in base and key != "annual_incident_rate":
            raise ModelError(f"unknown assumption '{key}'; known: {', '.join(sorted(base))}")
        out[key] = value if key == "annual_incident_rate" else _merge(key, base.get(key), value)
    return out


@dataclass(frozen=True)
class Assumptions:
    """The effective assumptions behind a result: defaults merged with a model's overrides."""

    values: Mapping[str, Any]
    overridden: frozenset[str]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def for_flow(self, flow: Flow) -> dict[str, Any]:
        """The assumptions for one flow: these, with the flow's ``risk`` overrides merged in."""
        return self.for_risk(flow.risk)

    def for_risk(self, risk: Mapping[str, Any]) -> dict[str, Any]:
        """These assumptions with a flow's ``risk`` object merged in (ModelError naming a key it cannot set)."""
        return _merged(dict(self.values), thaw(risk), FLOW_KEYS) if risk else dict(self.values)

    def rows(self) -> list[dict[str, Any]]:
        """Every assumption with its default, effective value, source and whether the model overrides it."""
        base, why = defaults(), sources()
        return [{"key": k, "value": self.values[k], "default": base[k], "source": why[k],
                 "overridden": k in self.overridden} for k in base]


def effective(model: Model | None = None, overrides: Mapping[str, Any] | None = None) -> Assumptions:
    """The defaults merged with ``model.assumptions`` (or explicit ``overrides``)."""
    given = thaw(overrides if overrides is not None else (model.assumptions if model is not None else {}))
    values = _merged(defaults(), given)
    return Assumptions(values=values, overridden=frozenset(k for k in given if not k.startswith("x-")))
