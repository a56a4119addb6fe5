"""``assess``: simulate once, apply every scenario to the same incidents, summarise.

Chunks of years are independent (each has its own seed from one SeedSequence),
so they can run anywhere — two local threads by default, or the workers of a
Dask cluster (``dsa.liability.cluster``) — and are merged strictly in chunk
order: results depend only on (model, years, seed), bit for bit.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..assumptions import Assumptions, effective
from ..errors import ModelError
from ..model import Indemnity, Model, RiskPool
from ..settings import SimulationSettings
from .budget import SimulationBudgetError, check_budget
from .clauses import CompiledClause, apply_clause, compile_clause, indemnity_clauses, touched_parties
from .kernels import use_kernels
from .parameters import COMPONENTS, Layout, build_layout
from .simulate import Incidents, simulate_chunk
from .summary import (ChunkPart, Floors, NotExact, ScenarioAccumulator, ScenarioLosses, no_floors, spliced,
                      summarise_chunk)

# Keep every nonzero party-year with its year (for yearly_losses and exceedance curves) while
# parties × years stays small; larger models keep only what the statistics need.
KEEP_YEARS_LIMIT = 50_000_000
# Cells (incidents × slots) per chunk: the chunking (and so every chunk's seed) derives from it.
CELLS_PER_CHUNK = 2_000_000
# A party's figures in the assess --json document, in order (liability-model.md §7, negotiation.md §1).
STATS_KEYS = ("mean", "p50", "p90", "p95", "p99", "max", "p_exceed", "net_mean", "p_any", "p99_5", "p99_9", "tvar99",
              "net_p99", "net_p_any", "net_p99_5", "net_p99_9", "net_tvar99")
# Threads working on chunks at once (the target machine has two cores); results do not depend on it.
WORKERS = 2
# Chunks waiting for a worker: a long merge (the one that sets a national model's thresholds takes 0.25 s, two
# chunks' time) leaves no worker idle.
QUEUED = 1
# The chunking (and so every chunk's seed) derives from these constants, never from the machine: at least
# MIN_CHUNKS chunks when each still holds MIN_CHUNK_INCIDENTS incidents, in whole rounds of ROUND_OF chunks
# (the two workers of a two-core machine finish together).
MIN_CHUNKS = 8
MIN_CHUNK_INCIDENTS = 50_000
ROUND_OF = 2
# A scenario is summarised over only the parties its clauses touch when they are expected to bear less than
# this share of the entries (``expected_share``, ``Summariser._narrow``); the figures are the same either way.
NARROW_SHARE = 0.5
# ``load_kernels`` runs this many chunks of about this many incidents.
WARM_UP_CHUNKS, WARM_UP_INCIDENTS = 4, 300


@dataclass(frozen=True)
class SimulationConfig:
    """How many years to simulate, from which seed, and roughly how many incidents per chunk.

    Results depend on (model, years, seed) only: the chunking is derived from them.
    """

    years: int = 100_000
    seed: int = 0
    incidents_per_chunk: int = 1_000_000

    def __post_init__(self):
        if self.years < 1:
            raise ModelError("years must be at least 1")
        if self.seed < 0:
            raise ModelError("seed must be 0 or more")


def chunk_years(layout: Layout, config: SimulationConfig) -> int:
    """Years per chunk: about ``incidents_per_chunk`` incidents, and a bounded parties × years block."""
    lam = float(layout.flows.rate.sum())
    incidents = min(config.incidents_per_chunk, CELLS_PER_CHUNK // layout.slots)
    by_incidents = int(incidents / lam) if lam > 0 else config.years
    by_parties = int(20_000_000 / max(len(layout.parties.ids), 1))
    # Years within a chunk fit 16 bits, so sorting by year is a radix sort.
    most = max(1, min(config.years, by_incidents, by_parties, 65_535))
    chunks = -(-config.years // most)
    # A small model's run in a few rounds of chunks, so both workers stay busy and the merges overlap the work
    # (the ICB model's 100,000 years: 3 chunks of 380,000 incidents, assess took 0.84 s; 8 chunks, 0.69 s).
    chunks = max(chunks, min(MIN_CHUNKS, int(lam * config.years // MIN_CHUNK_INCIDENTS)))
    if chunks > 1:
        chunks = -(-chunks // ROUND_OF) * ROUND_OF
    return -(-config.years // min(chunks, config.years))


def joint_extra(layout: Layout, incidents: Incidents, weights: np.ndarray | None = None) -> np.ndarray:
    """Per party: compensation on its joint flows that others bear (the Art 82(4) worst case adds it).

    ``weights``: per incident (the expected values' yearly weights).
    """
    P = len(layout.parties.ids)
    if incidents.compiled and weights is None:
        from .kernels import kernels
        return kernels().joint_extra(incidents.inc, incidents.slot, incidents.party, incidents.compensation,
                                     incidents.flow, layout.flows.relationship, layout.base_slots, P)
    e = np.flatnonzero((layout.flows.relationship[incidents.flow[incidents.inc]] == 2)
                       & (incidents.slot < layout.base_slots))
    if e.size == 0:
        return np.zeros(P)
    inc, comp = incidents.inc[e], incidents.compensation[e]
    first = np.flatnonzero(np.r_[True, inc[1:] != inc[:-1]])
    row_total = np.add.reduceat(comp, first)
    others = np.repeat(row_total, np.diff(np.r_[first, e.size])) - comp
    if weights is not None:
        others = others * weights[inc]
    return np.bincount(incidents.party[e], weights=others, minlength=P)


@dataclass
class Assessment:
    """Simulated annual losses per scenario and party, with the statistics of liability-model.md §7."""

    model: Model
    assumptions: Assumptions
    config: SimulationConfig
    threshold_gbp: float
    scenario_ids: tuple[str, ...]
    losses: dict[str, ScenarioLosses]
    layout: Layout = field(repr=False)
    # ``assess(json_ahead=True)``: each scenario's part of ``to_json``, made while the next scenario finished.
    _json: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def partner_threshold_gbp(self) -> float:
        return float(self.assumptions["partner_threshold_gbp"])

    def _p(self, party_id: str) -> int:
        return self.model.party_position(party_id)

    def party_summary(self, scenario_id: str, party_id: str) -> dict:
        return self.losses[scenario_id].party_stats(self._p(party_id), self.threshold_gbp)

    def scenario_json(self, scenario_id: str) -> dict:
        """One scenario of the ``assess --json`` document: every party's figures computed at once, party by
        party the same floats as :meth:`party_summary` and ``partner_stats``."""
        sl = self.losses[scenario_id]
        parties = self.model.parties
        columns = sl.stats_columns()
        joint = self._joint_parties()
        if joint.any():
            columns["joint_worst_case_mean"] = columns["mean"] + sl.joint_extra / sl.years
        rows = {name: values.tolist() for name, values in columns.items()}
        out_parties = {}
        for i, party in enumerate(parties):
            stats = {name: rows[name][i] for name in STATS_KEYS}
            stats["components"] = {c: rows[c][i] for c in COMPONENTS}
            if joint[i]:
                stats["joint_worst_case_mean"] = rows["joint_worst_case_mean"][i]
            out_parties[party.id] = stats
        personal = np.array([p.has_personal_exposure for p in parties], dtype=bool)
        partners: dict = {}
        if personal.any():
            counts = np.array([p.partner_count for p in parties], dtype=np.int64)
            per_partner = {name: values.tolist() for name, values in sl.partner_columns(counts).items()}
            net_mean, net_p99 = columns["net_mean"], columns["net_p99"]
            shared = {"mean_per_partner": (net_mean / counts).tolist(), "p99_per_partner": (net_p99 / counts).tolist(),
                      "joint_and_several_p99": rows["net_p99"]}
            for i in np.flatnonzero(personal).tolist():
                partners[parties[i].id] = {"partners": int(counts[i]), **{k: v[i] for k, v in shared.items()},
                                           **{k: v[i] for k, v in per_partner.items()}}
        total = sl.total_by_year
        return {"parties": out_parties, "partners": partners,
                "total": {"mean": float(total.mean()) if total.size else 0.0,
                          "p99": float(np.percentile(total, 99)) if total.size else 0.0}}

    def _joint_parties(self) -> np.ndarray:
        """Per party: whether it is a joint controller of some flow (its entry then has the Art 82(4) figure)."""
        joint = np.zeros(len(self.model.parties), dtype=bool)
        for flow in self.model.flows:
            if flow.relationship == "joint_controllers":
                joint[[self.model.party_position(s.party) for s in flow.controller_shares]] = True
        return joint

    def to_json(self) -> dict:
        """The ``assess --json`` document of cli.md."""
        # Scenarios side by side on the two workers: their statistics are NumPy passes that release the GIL.
        made = {sid: part.result() for sid, part in self._json.items()}
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            scenarios = dict(zip(self.scenario_ids, pool.map(
                lambda sid: made[sid] if sid in made else self.scenario_json(sid), self.scenario_ids)))
        return {"years": self.config.years, "seed": self.config.seed, "threshold_gbp": self.threshold_gbp,
                "partner_threshold_gbp": self.partner_threshold_gbp, "scenarios": scenarios}

    def compare(self, scenario_id: str, against: str = "baseline") -> dict[str, dict]:
        """Per party: the scenario's change in mean and P99 against another scenario (default the baseline)."""
        out = {}
        for party in self.model.parties:
            a = self.party_summary(scenario_id, party.id)
            b = self.party_summary(against, party.id)
            out[party.id] = {"mean": a["mean"] - b["mean"], "p99": a["p99"] - b["p99"],
                             "net_mean": a["net_mean"] - b["net_mean"]}
        return out

    def exceedance(self, scenario_id: str, party_id: str | None = None, points: int = 200):
        """Loss levels and the probability that a year's loss exceeds each (the loss exceedance curve)."""
        sl = self.losses[scenario_id]
        # Large models keep only each party's worst years: the curve is then exact over their range.
        values = (sl.total_by_year if party_id is None else sl.party_values(self._p(party_id))).astype(float)
        values = np.sort(values[values > 0])
        if values.size == 0:
            return np.zeros(1), np.zeros(1)
        levels = np.unique(np.quantile(values, np.linspace(0, 1, points)))
        exceed = (values.size - np.searchsorted(values, levels, side="right")) / sl.years
        return levels, exceed

    def yearly_losses(self, scenario_id: str, party_id: str, *, net: bool = False) -> np.ndarray:
        """The party's loss in every simulated year (dense; kept only for small models)."""
        sl = self.losses[scenario_id]
        p = self._p(party_id)
        years = sl.party_years(p)
        if years is None:
            raise ModelError("per-year losses were not kept for a model this large")
        out = np.zeros(sl.years)
        out[years] = sl.party_values(p, net=net)
        return out

    def total_losses(self, scenario_id: str) -> np.ndarray:
        return self.losses[scenario_id].total_by_year


def resolve_scenarios(model: Model, scenarios: Sequence[str] | None) -> tuple[str, ...]:
    ids = [s.id for s in model.scenarios] if scenarios is None else list(scenarios)
    for sid in ids:
        model.scenario(sid)  # raises ModelError naming an unknown scenario
    return tuple(dict.fromkeys(["baseline", *ids]))


Variants = Mapping[str, Sequence[Indemnity | RiskPool]]


def compile_variants(layout: Layout, variants: Variants) -> dict[str, list[CompiledClause]]:
    """Each named clause list compiled against the layout; the baseline (no clauses) comes first."""
    out: dict[str, list[CompiledClause]] = {"baseline": []}
    for name, clauses in variants.items():
        if name == "baseline" and clauses:
            raise ModelError("the variant name 'baseline' is reserved for the assessment without clauses")
        out[name] = [compile_clause(layout, c) for c in clauses]
    return out


@dataclass
class Summariser:
    """What turns one chunk's incidents into every variant's chunk summary."""

    layout: Layout
    compiled: dict[str, list[CompiledClause]]
    keep_years: bool
    threshold: float
    partner_threshold: float
    # Local runs: each scenario's thresholds in force, kept current by ``gather`` (compiled chunks filter
    # their kept years with them in the worker). Never sent to a cluster: its chunks are filtered at merge.
    floors: dict = field(default_factory=dict, repr=False, compare=False)
    # Local runs: a narrow scenario's chunk summaries keep only the touched parties' worst years (the store then
    # holds no copy of the baseline's for the others; the finish copies them from the baseline's).
    slim: bool = False
    narrow: dict | None = field(default=None, repr=False, compare=False)  # ``_narrow``'s choice, once made
    _deciding: Any = field(default_factory=threading.Lock, repr=False, compare=False)
    # Per scenario with clauses: the parties they touch (``clauses.touched_parties``).
    touched: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        P = len(self.layout.parties.ids)
        self.touched = {sid: touched_parties(P, clauses) for sid, clauses in self.compiled.items() if clauses}

    def __call__(self, incidents: Incidents, extra_conditions=None) -> tuple[np.ndarray, dict[str, ChunkPart]]:
        dtype = np.float64 if self.keep_years else np.float32  # large models: about £0.01 at £100,000
        narrow = self._narrow(incidents)
        parts = {}
        for sid, clauses in self.compiled.items():
            if sid in narrow:
                continue
            scenario = incidents.copy() if clauses else incidents
            for cc in clauses:
                apply_clause(self.layout, cc, scenario, extra_conditions=extra_conditions)
            parts[sid] = summarise_chunk(self.layout, scenario, dtype, self.threshold, self.partner_threshold,
                                         self._floors(sid), segments=bool(narrow) and sid == "baseline")
        for sid, touched in narrow.items():
            scenario = incidents.only(touched)
            for cc in self.compiled[sid]:
                apply_clause(self.layout, cc, scenario, extra_conditions=extra_conditions)
            own = summarise_chunk(self.layout, scenario, dtype, self.threshold, self.partner_threshold,
                                  self._floors(sid), segments=True)
            parts[sid] = spliced(parts["baseline"], own, touched, slim=self.slim)
        if narrow:
            parts["baseline"].segments = None
        return joint_extra(self.layout, incidents), parts

    def _floors(self, sid: str) -> Floors | None:
        return None if self.keep_years else (self.floors.get(sid) or no_floors(len(self.layout.parties.ids)))

    def _narrow(self, incidents: Incidents) -> dict[str, np.ndarray]:
        """The scenarios summarised over only the parties their clauses touch (``summary.spliced``): on the
        compiled engine's large models, where those parties are expected to bear under NARROW_SHARE of the
        entries (a risk pool of three system partners in a national model: its summary takes a tenth of the
        time). Decided once for every chunk, from the flows (a slim summary is only merged with slim ones; a
        chunk's own entries would make the choice depend on which worker gets there first); the figures are
        the same either way."""
        if self.keep_years or not incidents.compiled or not incidents.party.size:
            return {}
        with self._deciding:
            if self.narrow is None:
                self.narrow = {sid: touched for sid, touched in self.touched.items()
                               if expected_share(self.layout, touched) < NARROW_SHARE}
            return self.narrow


def expected_share(layout: Layout, parties: np.ndarray) -> float:
    """The share of a chunk's entries (before clauses) expected to be the ``parties``' (a mask): by the flows'
    rates and the legal default's bearers (independent controllers: the stage's, the recipient at its own;
    controller to processor: the controller, and the processor too when the controller recovers its share at
    the processor's stage; joint controllers: each of them). Fines' own entries are left out (rare)."""
    f = layout.flows
    slots = f.slot_party[:, :layout.base_slots]
    used = slots >= 0
    theirs = used & parties[np.where(used, slots, 0)]
    rel = f.relationship
    at_recipient = f.stage_p[:, 2]
    recovered = np.where(rel == 1, at_recipient * f.recovery_p, 0.0)
    entries = np.where(rel == 2, used.sum(axis=1), 1.0 + recovered)
    mine = np.where(rel == 2, theirs.sum(axis=1),
                    np.where(rel == 0, (1 - at_recipient) * theirs[:, 0] + at_recipient * theirs[:, 1],
                             theirs[:, 0] + recovered * theirs[:, 1]))
    total = float(np.dot(f.rate, entries))
    return float(np.dot(f.rate, mine)) / total if total > 0 else 1.0


def gather(n_chunks: int, years: int, cy: int, summarised: Callable[..., Any], ids: Sequence[str], P: int,
           keep: bool, progress: Callable[[float], None] | None, executor,
           floors: dict | None = None, touched: dict[str, np.ndarray] | None = None,
           finished: Callable[[str, ScenarioLosses], None] | None = None) -> dict[str, ScenarioLosses]:
    """Run every chunk and merge the summaries in chunk order; without thresholds if a party outgrew them.

    ``floors``: the local summariser's ``floors``, kept current with each scenario's thresholds.
    ``touched``: per scenario, the parties its clauses touch (the others' worst years are the baseline's).
    ``finished``: told each scenario's losses as soon as they are final (a re-run tells it again).
    """
    for calibrate in (True, False):
        acc = {sid: ScenarioAccumulator(P, keep, years, calibrate) for sid in ids}
        if floors is not None:
            floors.clear()

        def merge(k: int, result: tuple) -> None:
            extra, parts = result
            for sid in ids:
                a = acc[sid]
                version = a.floors_version
                a.merge(parts[sid], k * cy)
                a.add_joint_extra(extra)
                if floors is not None and a.floors_version != version:
                    floors[sid] = a.floors()

        run_chunks(n_chunks, summarised, merge, progress, executor)
        try:
            return _finish_all(acc, keep, touched or {}, finished)
        except NotExact:
            if not calibrate:
                raise
            acc.clear()
    raise AssertionError("unreachable")


def _finish_all(acc: dict[str, ScenarioAccumulator], keep: bool, touched: dict[str, np.ndarray],
                finished: Callable[[str, ScenarioLosses], None] | None = None) -> dict[str, ScenarioLosses]:
    """Every scenario's statistics. Small models (every party-year kept) finish their scenarios on the two
    workers at once (NumPy's sorts release the GIL); large ones one after the other (the compiled engine's
    finish uses both threads itself), so that only one scenario's sorted worst years are in memory at a time,
    and a scenario's parties its clauses do not touch take the baseline's sorted worst years (the same values)."""
    if not keep or len(acc) < 2:
        out: dict[str, ScenarioLosses] = {}
        for sid, a in acc.items():
            same = None
            if sid in touched and "baseline" in out:
                same = (out["baseline"], ~touched[sid])
            out[sid] = a.finish(same)
            if finished is not None:
                finished(sid, out[sid])
        return out
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        done = {sid: pool.submit(a.finish) for sid, a in acc.items()}
        return {sid: job.result() for sid, job in done.items()}


def run_chunks(n_chunks: int, work: Callable[[int], Any], merge: Callable[[int, Any], None],
               progress: Callable[[float], None] | None = None, executor=None) -> None:
    """``work(k)`` for every chunk, ``merge(k, result)`` strictly in chunk order.

    ``executor``: None for local threads, else a ``dsa.liability.cluster.DaskExecutor``.
    """
    if executor is not None:
        executor.run(n_chunks, work, merge, progress)
        return
    # NumPy releases the GIL in its heavy loops, so two threads share the work; merging in chunk order keeps
    # results identical to a sequential run.
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        pending: deque = deque()
        next_chunk = 0

        def keep_busy() -> None:  # a chunk per worker and one waiting, beside the one being merged
            nonlocal next_chunk
            while next_chunk < n_chunks and len(pending) < WORKERS + QUEUED:
                pending.append(pool.submit(work, next_chunk))
                next_chunk += 1

        keep_busy()
        for k in range(n_chunks):
            result = pending.popleft().result()
            keep_busy()  # before merging, so no worker waits for the merge
            merge(k, result)
            del result
            if progress is not None:
                progress((k + 1) / n_chunks)


@dataclass
class AssessJob:
    """One assessment's chunks: picklable (the model travels as its document), so Dask workers can run them."""

    document: dict
    scenario_ids: tuple[str, ...]
    config: SimulationConfig
    threshold: float
    keep_years: bool
    chunk_years: int  # decided by the caller, so a worker's own settings never change the chunking
    compiled: bool = False  # the compiled kernels (the same figures, faster on large runs)
    slim: bool = False  # ``Summariser.slim`` (local runs only: the finish needs the baseline beside)
    _state: Any = field(default=None, init=False, repr=False, compare=False)

    def prepared(self):
        if self._state is None:
            model = Model.from_document(self.document)
            assumptions = effective(model)
            self.prepare(model, assumptions, build_layout(model, assumptions))
        return self._state

    def prepare(self, model: Model, assumptions: Assumptions, layout: Layout) -> None:
        """What every chunk reads, from the model already built (a local run) or from the document."""
        variants = compile_variants(layout, {s: model.scenario_clauses(s) for s in self.scenario_ids
                                             if s != "baseline"})
        n_chunks = -(-self.config.years // self.chunk_years)
        self._state = (layout, Summariser(layout, variants, self.keep_years, self.threshold,
                                          float(assumptions["partner_threshold_gbp"]), slim=self.slim),
                       self.chunk_years, np.random.SeedSequence(self.config.seed).spawn(n_chunks),
                       len(indemnity_clauses(model)))

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_state"} | {"_state": None}

    def run_chunk(self, k: int):
        layout, summarise, cy, seeds, n_conditions = self.prepared()
        years = min(cy, self.config.years - k * cy)
        return summarise(simulate_chunk(layout, np.random.default_rng(seeds[k]), years, n_conditions,
                                        compiled=self.compiled))


def assess(model: Model, *, scenarios: Sequence[str] | None = None, config: SimulationConfig = SimulationConfig(),
           threshold_gbp: float | None = None, progress: Callable[[float], None] | None = None,
           settings: SimulationSettings = SimulationSettings(), executor=None,
           layout: Layout | None = None, json_ahead: bool = False) -> Assessment:
    """Simulate ``config.years`` years once and assess the baseline and each scenario on the same incidents.

    Args:
        scenarios: scenario ids (default: every scenario of the model); the baseline is always included.
        threshold_gbp: the threshold of ``p_exceed`` (default: the model's assumption, £100,000).
        progress: called with the fraction done after each chunk of years.
        settings: the simulation budget (``SimulationBudgetError`` before simulating when over it).
        executor: where chunks run: None for local threads, or ``dsa.liability.cluster.executor(address)``
            for a Dask cluster; the figures are the same bit for bit.
        layout: the model's layout when the caller already has it (``load_kernels`` returns it).
        json_ahead: the caller will ask for :meth:`Assessment.to_json`: each scenario's part is made as soon as
            the scenario is finished, while the next one finishes (the same document).
    """
    assumptions = effective(model)
    if layout is None:
        layout = build_layout(model, assumptions)
    check_budget(model, layout, config.years, settings)
    ids = resolve_scenarios(model, scenarios)
    threshold = float(assumptions["threshold_gbp"] if threshold_gbp is None else threshold_gbp)
    keep = _keeps_every_year(model, config.years)
    compiled = use_kernels(float(layout.flows.rate.sum()) * config.years)
    assessment = Assessment(model, assumptions, config, threshold, ids, {}, layout)
    with ThreadPoolExecutor(max_workers=1) as ahead:
        def finished(sid: str, losses: ScenarioLosses) -> None:
            # A large model's scenarios finish one after the other, their sorts on both threads (GIL released):
            # each one's JSON is made meanwhile, on the way to the ``assess --json`` the command prints.
            assessment.losses[sid] = losses
            if json_ahead:
                assessment._json[sid] = ahead.submit(assessment.scenario_json, sid)

        assessment.losses = _simulate(model, assumptions, layout, ids, config, threshold, keep, compiled, progress,
                                      executor, finished)
    return assessment


def load_kernels(model: Model, *, scenarios: Sequence[str] | None = None,
                 config: SimulationConfig = SimulationConfig(),
                 settings: SimulationSettings = SimulationSettings()) -> Layout:
    """The model's layout; and when ``assess`` with these arguments will run the compiled kernels, those it will
    call loaded now, by assessing a few years the way that run will (thresholds, narrow scenarios, finish).
    Loading Numba and the kernels' cached machine code takes about half a second of one core (those built ahead
    of time, ``aot``, milliseconds), in the first chunk, while the other worker waits for it; a caller that
    has a core to spare sooner (``dsa assess``, while its child process counts the findings) calls this then,
    and passes the layout to ``assess``.
    """
    assumptions = effective(model)
    layout = build_layout(model, assumptions)
    try:
        check_budget(model, layout, config.years, settings)
    except SimulationBudgetError:  # ``assess`` will say so, without simulating
        return layout
    lam = float(layout.flows.rate.sum())
    if use_kernels(lam * config.years):
        keep = _keeps_every_year(model, config.years)  # the real run's, not the short one's
        # A few small chunks take every path of a long run: the thresholds are set, and the chunks filtered
        # before they were are filtered again when merged.
        per_chunk = math.ceil(WARM_UP_INCIDENTS / max(lam, 1e-9))
        years = min(config.years, max(WARM_UP_CHUNKS, WARM_UP_CHUNKS * per_chunk))
        _simulate(model, assumptions, layout, resolve_scenarios(model, scenarios),
                  SimulationConfig(years=years, seed=config.seed, incidents_per_chunk=WARM_UP_INCIDENTS),
                  float(assumptions["threshold_gbp"]), keep, True)
    return layout


def _keeps_every_year(model: Model, years: int) -> bool:
    return len(model.parties) * years <= KEEP_YEARS_LIMIT


def _simulate(model: Model, assumptions: Assumptions, layout: Layout, ids: tuple[str, ...],
              config: SimulationConfig, threshold: float, keep: bool, compiled: bool,
              progress: Callable[[float], None] | None = None, executor=None,
              finished: Callable[[str, ScenarioLosses], None] | None = None) -> dict[str, ScenarioLosses]:
    cy = chunk_years(layout, config)
    n_chunks = -(-config.years // cy)
    job = AssessJob(model.to_document() if executor is not None else {}, ids, config, threshold, keep, cy, compiled,
                    slim=executor is None)
    if executor is None:  # the model is already built here: no need to rebuild it from its document
        job.prepare(model, assumptions, layout)
    work = job.run_chunk if executor is None else job
    # The compiled finish copies the baseline's worst years for the parties a scenario leaves alone.
    touched = job._state[1].touched if executor is None and compiled and not keep else None
    return gather(n_chunks, config.years, cy, work, ids, len(model.parties), keep, progress, executor,
                  job._state[1].floors if executor is None else None, touched, finished)
