"""Targets (``SUBJECT.METRIC <= VALUE``) and the parties they apply to (negotiation.md §2)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import ModelError
from ..model import Indemnity, Model, PARTY_TYPES

SUBJECTS = ("party", "partner")
METRICS = ("mean", "p99", "p99_5", "p99_9", "tvar99", "p_exceed")
_PATTERN = re.compile(r"^\s*(?P<subject>[a-z_]+)\s*\.\s*(?P<metric>[a-z0-9_]+)\s*<=\s*£?\s*(?P<value>[0-9][0-9,]*(\.[0-9]+)?(e[+-]?[0-9]+)?)\s*$",
                      re.IGNORECASE)

# How a target reads in words: "No partner loses more than £25,000 in a 1-in-1,000 year".
_WORDS = {
    "mean": "on average a year",
    "p99": "in a 1-in-100 year",
    "p99_5": "in a 1-in-200 year",
    "p99_9": "in a 1-in-1,000 year",
    "tvar99": "on average over its worst 1 in 100 years",
}


class TargetError(ModelError):
    """A target string that cannot be read, or a party selection naming no known party."""


@dataclass(frozen=True)
class Target:
    subject: str   # "party" or "partner"
    metric: str    # one of METRICS
    value: float   # pounds, or a probability for p_exceed

    @property
    def text(self) -> str:
        """The canonical string, used as the key of the JSON output."""
        v = f"{self.value:.0f}" if self.is_money and self.value.is_integer() else repr(self.value)
        return f"{self.subject}.{self.metric} <= {v}"

    @property
    def is_money(self) -> bool:
        return self.metric != "p_exceed"

    def words(self, threshold_gbp: float | None = None) -> str:
        """The target in plain words."""
        who = "No partner" if self.subject == "partner" else "No party"
        if self.metric == "p_exceed":
            limit = f" more than £{threshold_gbp:,.0f}" if threshold_gbp is not None else " more than the threshold"
            return f"{who} has more than a {self.value:.2%} chance a year of losing{limit}"
        return f"{who} loses more than £{self.value:,.0f} {_WORDS[self.metric]}"

    def met(self, figure: float) -> bool:
        return figure <= self.value + 1e-9 * max(1.0, abs(self.value))


def parse_target(text: str) -> Target:
    """``SUBJECT.METRIC <= VALUE``; a string that is not one raises TargetError naming it."""
    m = _PATTERN.match(text or "")
    if not m:
        raise TargetError(f"target {text!r} is not of the form SUBJECT.METRIC <= VALUE "
                          f"(e.g. \"partner.p99_9 <= 25000\")")
    subject, metric = m["subject"].lower(), m["metric"].lower()
    if subject not in SUBJECTS:
        raise TargetError(f"target {text!r}: subject {subject!r} is not one of {', '.join(SUBJECTS)}")
    if metric not in METRICS:
        raise TargetError(f"target {text!r}: metric {metric!r} is not one of {', '.join(METRICS)}")
    value = float(m["value"].replace(",", ""))
    if not math.isfinite(value):
        raise TargetError(f"target {text!r}: the value is not a number")
    if metric == "p_exceed" and value > 1:
        raise TargetError(f"target {text!r}: a probability is between 0 and 1")
    return Target(subject, metric, value)


def select_parties(model: Model, spec: str | None) -> tuple[str, ...]:
    """Party ids chosen by ``--for``: ``party_type:TYPE``, ``id1,id2``, or (None) every party with
    personal exposure (partnerships and sole traders, any type: arrangements.md §1)."""
    if spec is None or not spec.strip():
        return tuple(p.id for p in model.parties if p.has_personal_exposure)
    spec = spec.strip()
    if spec.startswith("party_type:"):
        kind = spec.split(":", 1)[1].strip()
        if kind not in PARTY_TYPES:
            raise TargetError(f"--for {spec!r}: {kind!r} is not a party type")
        ids = tuple(p.id for p in model.parties if p.type == kind)
        if not ids:
            raise TargetError(f"--for {spec!r}: the model has no party of that type")
        return ids
    ids = tuple(dict.fromkeys(i.strip() for i in spec.split(",") if i.strip()))
    known = {p.id for p in model.parties}
    unknown = [i for i in ids if i not in known]
    if unknown or not ids:
        raise TargetError(f"--for {spec!r}: unknown party {unknown[0]!r}" if unknown else f"--for {spec!r} names no party")
    return ids


def parties_for_target(model: Model, target: Target, parties: tuple[str, ...]) -> tuple[str, ...]:
    """The targeted parties a target applies to: ``partner`` targets only those with personal exposure."""
    if target.subject == "party":
        return parties
    return tuple(p for p in parties if model.party(p).has_personal_exposure)


def beneficiaries(model: Model, clause) -> tuple[str, ...]:
    """The parties a clause can lower the figures of: an indemnity's beneficiaries, a pool's members."""
    if isinstance(clause, Indemnity):
        return model.beneficiaries(clause)
    return tuple(m.party for m in clause.members)
