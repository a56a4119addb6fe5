"""Arrangements side by side: who carries what under each model (arrangements.md §2).

Each model is assessed on the same seed (its baseline, or one named scenario);
parties are matched across models by ``id``, else by ``ods_code``, so a trust
that one file calls ``trust`` and another ``rpy`` is still one row. A party
missing from a model has no entry for it (``None`` here, absent in JSON, "—"
in text). Pure: the caller reads the files and chooses the labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .canonical import model_version
from .errors import ModelError
from .labels import PARTY_TYPE
from .liability import SimulationConfig, assess
from .model import Model, Party

# Per-party figures compared (assess --json keys; after clauses, before insurance).
PARTY_METRICS = ("mean", "p99_9", "tvar99")
# Per-partner figures, for contractors whose partners carry losses personally (after insurance).
PARTNER_METRICS = ("mean_per_partner", "p99_9_per_partner")
METRICS = PARTY_METRICS + PARTNER_METRICS
METRIC_LABELS = {
    "mean": "Mean annual loss",
    "p99_9": "1-in-1,000-year loss (P99.9)",
    "tvar99": "Average of the worst 1 in 100 years (TVaR 99)",
    "mean_per_partner": "Mean annual loss per partner",
    "p99_9_per_partner": "1-in-1,000-year loss per partner (P99.9)",
}


@dataclass(frozen=True)
class Arrangement:
    """One model to compare: a plain label people read, the document, and the scenario to assess."""

    label: str
    doc: Mapping[str, Any]
    scenario: str = "baseline"
    version: str = ""  # the model version (12 hex digits); derived from ``doc`` when empty

    @property
    def model_version(self) -> str:
        return self.version or model_version(self.doc)


@dataclass(frozen=True)
class ModelSummary:
    label: str
    version: str
    scenario: str
    scenario_name: str
    partnership: str
    total_mean: float
    total_p99: float
    largest_party: str | None   # the row key of the party with the largest share of the mean
    largest_name: str | None
    largest_share: float | None  # that party's share of the total mean (0–1)

    def to_json(self) -> dict:
        out = {"label": self.label, "version": self.version, "scenario": self.scenario,
               "total": {"mean": self.total_mean, "p99": self.total_p99}}
        if self.largest_party is not None:
            out["largest_share"] = {"party": self.largest_party, "share": self.largest_share}
        return out


@dataclass(frozen=True)
class PartyRow:
    """One party across the models: ``cells[i]`` is its figures in model ``i``, or None when absent."""

    key: str
    name: str
    type: str
    cells: tuple[Mapping[str, Any] | None, ...]

    @property
    def personally_exposed(self) -> bool:
        return any(c is not None and "mean_per_partner" in c for c in self.cells)


@dataclass(frozen=True)
class Comparison:
    models: tuple[ModelSummary, ...]
    parties: tuple[PartyRow, ...]
    years: int | None = None
    seed: int | None = None
    labels: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "labels", tuple(m.label for m in self.models))

    def to_json(self) -> dict:
        """``{"models": [{label, version, scenario, …}], "parties": {id: {label: stats}}}`` (arrangements.md §2)."""
        parties = {row.key: {label: dict(cell) for label, cell in zip(self.labels, row.cells) if cell is not None}
                   for row in self.parties}
        out: dict = {"models": [m.to_json() for m in self.models], "parties": parties}
        if self.years is not None:
            out["years"], out["seed"] = self.years, self.seed
        return out

    def metric_rows(self, metric: str) -> list[tuple[PartyRow, list[float | None]]]:
        """Each party that has ``metric`` in some model, with its value per model (None where absent)."""
        rows = []
        for row in self.parties:
            values = [None if c is None else c.get(metric) for c in row.cells]
            if any(v is not None for v in values):
                rows.append((row, values))
        return rows


def unique_labels(labels: Sequence[str]) -> list[str]:
    """Labels made distinct (a repeat gains " (2)", " (3)" …) so each keys its own column."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def match_parties(models: Sequence[Model]) -> list[tuple[str, list[Party | None]]]:
    """Rows of parties across models, in order of first appearance: by ``id``, else by ``ods_code``.

    A row's key is the id of the first party in it (made unique if that id already keys another row). Within
    one model each party fills one row, and a row holds at most one party per model.
    """
    rows: list[tuple[str, list[Party | None]]] = []
    for m, model in enumerate(models):
        # Ids first for the whole model, so an ODS match never takes a row that an id would have claimed.
        placed: dict[str, int] = {}
        for party in model.parties:
            for r, (_, members) in enumerate(rows):
                if members[m] is None and r not in placed.values() and any(
                        p is not None and p.id == party.id for p in members):
                    placed[party.id] = r
                    break
        for party in model.parties:
            if party.id in placed:
                continue
            if party.ods_code:
                for r, (_, members) in enumerate(rows):
                    if members[m] is None and r not in placed.values() and any(
                            p is not None and p.ods_code == party.ods_code for p in members):
                        placed[party.id] = r
                        break
            if party.id not in placed:
                keys = {key for key, _ in rows}
                # Rare: another row already has this id as its key (joined to it by ODS code), yet it is taken.
                key = party.id if party.id not in keys else f"{party.id} (model {m + 1})"
                rows.append((key, [None] * len(models)))
                placed[party.id] = len(rows) - 1
        for party in model.parties:
            rows[placed[party.id]][1][m] = party
    return rows


def party_stats(party: Party, scenario: Mapping[str, Any]) -> dict:
    """The figures compared for one party in one assessed scenario (``assess --json`` keys)."""
    stats = scenario["parties"][party.id]
    out: dict = {"party": party.id, "name": party.name, "type": party.type,
                 **{k: float(stats[k]) for k in PARTY_METRICS}}
    partners = scenario["partners"].get(party.id)
    if partners is not None:
        out["partners"] = int(partners["partners"])
        out.update({k: float(partners[k]) for k in PARTNER_METRICS})
    return out


def _summary(arrangement: Arrangement, model: Model, scenario: Mapping[str, Any],
             keys: Mapping[str, str]) -> ModelSummary:
    total = float(scenario["total"]["mean"])
    largest = max(model.parties, key=lambda p: scenario["parties"][p.id]["mean"], default=None)
    has_share = largest is not None and total > 0
    sid = arrangement.scenario
    return ModelSummary(
        label=arrangement.label, version=arrangement.model_version, scenario=sid,
        scenario_name=("the legal default (no risk-sharing clauses)" if sid == "baseline"
                       else f"scenario '{model.scenario(sid).name}'"),
        partnership=model.partnership.name, total_mean=total, total_p99=float(scenario["total"]["p99"]),
        largest_party=keys[largest.id] if has_share else None, largest_name=largest.name if has_share else None,
        largest_share=float(scenario["parties"][largest.id]["mean"]) / total if has_share else None)


def comparison(entries: Sequence[tuple[Arrangement, Model, Mapping[str, Any]]], *,
               years: int | None = None, seed: int | None = None) -> Comparison:
    """Compare already assessed models: each entry is (arrangement, its model, its scenario's ``assess --json``
    entry, i.e. ``to_json()["scenarios"][arrangement.scenario]``)."""
    models = [m for _, m, _ in entries]
    matched = match_parties(models)
    keys_by_model = [{members[i].id: key for key, members in matched if members[i] is not None}
                     for i in range(len(models))]
    rows = []
    for key, members in matched:
        first = next(p for p in members if p is not None)
        cells = tuple(None if p is None else party_stats(p, entries[i][2]) for i, p in enumerate(members))
        rows.append(PartyRow(key=key, name=first.name, type=PARTY_TYPE.get(first.type, first.type), cells=cells))
    summaries = tuple(_summary(a, m, s, keys_by_model[i]) for i, (a, m, s) in enumerate(entries))
    return Comparison(models=summaries, parties=tuple(rows), years=years, seed=seed)


def compare(arrangements: Sequence[Arrangement], *, config: SimulationConfig = SimulationConfig()) -> Comparison:
    """Assess each arrangement (its scenario, on ``config``'s years and seed) and compare them.

    Every document must be free of blocking findings (``dsa.findings.blocking``); raises ModelError for an
    unknown scenario, naming the model.
    """
    if len({a.label for a in arrangements}) != len(arrangements):
        raise ModelError("each compared model needs its own label")
    entries = []
    for arrangement in arrangements:
        model = Model.from_document(arrangement.doc)
        sid = arrangement.scenario
        try:
            model.scenario(sid)
        except ModelError:
            known = ", ".join(["baseline", *(s.id for s in model.scenarios)])
            raise ModelError(f"{arrangement.label} has no scenario {sid!r}; it has: {known}") from None
        result = assess(model, scenarios=[] if sid == "baseline" else [sid], config=config)
        entries.append((arrangement, model, result.scenario_json(sid)))
    return comparison(entries, years=config.years, seed=config.seed)
