"""Per-party yearly losses kept sparse, and the statistics of section 7.

Most party-years are zero, so a party's losses are kept as its nonzero yearly
values only, with exact float64 sums for the means; percentiles count the
implicit zeros. Large models store the values as float32 (about £0.01 at
£100,000) and drop their years; small ones keep float64 values and years. A dense parties × years array
is never built (6,500 parties × 100,000 years would be 5 GB).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .parameters import Layout
from .simulate import Chunk

PERCENTILES = {"p50": 50, "p90": 90, "p95": 95, "p99": 99}
# The tail figures of negotiation.md §1 (linear percentiles, zeros counted).
TAIL_PERCENTILES = {"p99_5": 99.5, "p99_9": 99.9}


def sparse_percentile(nonzero_sorted: np.ndarray, years: int, q: float) -> float:
    """np.percentile(..., method='linear') of ``years`` values: the given nonzeros plus zeros."""
    if years <= 0:
        return 0.0
    zeros = years - nonzero_sorted.size
    pos = q / 100.0 * (years - 1)
    lo, frac = int(np.floor(pos)), pos - np.floor(pos)
    hi = min(lo + 1, years - 1)

    def value(i: int) -> float:
        return 0.0 if i < zeros else float(nonzero_sorted[i - zeros])

    return float(value(lo) + (value(hi) - value(lo)) * frac)


def tail_count(years: int) -> int:
    """How many years TVaR99 averages: the worst 1 %, rounded up."""
    return -(-years // 100)


def sparse_tvar99(nonzero_sorted: np.ndarray, years: int) -> float:
    """Mean of the worst ceil(years / 100) years, the implicit zeros counted."""
    if years <= 0:
        return 0.0
    k = tail_count(years)
    worst = nonzero_sorted[max(nonzero_sorted.size - k, 0):]
    return float(worst.sum() / k)


def tail_stats(nonzero_sorted: np.ndarray, years: int, prefix: str = "") -> dict:
    """``p_any``, ``p99_5``, ``p99_9`` and ``tvar99`` (keys prefixed, e.g. ``net_``)."""
    out = {f"{prefix}p_any": float(nonzero_sorted.size / years) if years else 0.0}
    for name, q in TAIL_PERCENTILES.items():
        out[f"{prefix}{name}"] = sparse_percentile(nonzero_sorted, years, q)
    out[f"{prefix}tvar99"] = sparse_tvar99(nonzero_sorted, years)
    return out


@dataclass
class ChunkPart:
    """One chunk's contribution to a scenario's statistics (computed independently of other chunks)."""

    years: int
    component_sums: np.ndarray   # (P, 3)
    net_sum: np.ndarray          # (P,)
    total_by_year: np.ndarray    # (years,)
    counts: np.ndarray           # nonzero years per party
    gross: np.ndarray            # party-major, years ascending within a party
    net: np.ndarray
    year: np.ndarray | None      # year within the chunk (kept only for small models)


def summarise_chunk(layout: Layout, chunk: Chunk, P: int, keep_years: bool,
                    slots: np.ndarray | None = None) -> ChunkPart:
    """Per (party, year) losses of one chunk: sparse, party-major, before and after insurance.

    ``slots``: the only columns that can hold money (the bearers' and those of the scenario's clause
    parties); the others are empty by construction, and skipping them saves most of the work.
    """
    cy = chunk.years
    arrays = (chunk.slot_party, chunk.compensation, chunk.response_costs, chunk.fines)
    if slots is not None and slots.size < chunk.slot_party.shape[1]:
        # np.take along the slot axis gives C-ordered copies, so the ravel below copies nothing more.
        arrays = tuple(np.take(a, slots, axis=1) for a in arrays)
    S = arrays[0].shape[1]
    # Flat arrays and 1-D takes: most of the (incident, slot) cells are empty, and 2-D fancy indexing
    # costs twice as much as taking from a flat array.
    sp, comp, resp, fine = (a.ravel() for a in arrays)
    gross_cell = comp + resp
    gross_cell += fine
    cells = np.flatnonzero(gross_cell)  # ascending: incidents (and so years) in order
    cells = cells[sp[cells] >= 0]
    party = sp[cells]
    fine_c = fine[cells]
    component_sums = np.empty((P, 3))
    for k, arr in enumerate((comp[cells], resp[cells], fine_c)):
        component_sums[:, k] = np.bincount(party, weights=arr, minlength=P)
    gross = gross_cell[cells]
    insurable = gross - fine_c
    year = chunk.year[cells // S]
    # A stable sort by party keeps years ascending within each party: (party, year) order in O(n)
    # (NumPy radix-sorts 16-bit keys).
    key = party.astype(np.uint16) if P < 65_536 else party
    order = np.argsort(key, kind="stable")
    party, year, gross, insurable = party[order], year[order], gross[order], insurable[order]
    starts = np.flatnonzero(np.r_[True, (party[1:] != party[:-1]) | (year[1:] != year[:-1])]) \
        if party.size else np.zeros(0, dtype=np.int64)
    party, year = party[starts], year[starts]
    gross = np.add.reduceat(gross, starts) if starts.size else gross
    insurable = np.add.reduceat(insurable, starts) if starts.size else insurable
    pa = layout.parties
    net = gross - np.minimum(np.maximum(insurable - pa.ins_excess[party], 0.0), pa.ins_limit[party])
    dtype = np.float64 if keep_years else np.float32
    return ChunkPart(years=cy, component_sums=component_sums, net_sum=np.bincount(party, weights=net, minlength=P),
                     total_by_year=np.bincount(year, weights=gross, minlength=cy),
                     counts=np.bincount(party, minlength=P), gross=gross.astype(dtype), net=net.astype(dtype),
                     year=year.astype(np.int32) if keep_years else None)


@dataclass
class ScenarioAccumulator:
    """Everything a scenario's statistics need, gathered chunk by chunk."""

    parties: int
    keep_years: bool
    years: int = 0
    component_sums: np.ndarray = field(init=False)   # (P, 3)
    net_sum: np.ndarray = field(init=False)
    joint_extra: np.ndarray = field(init=False)      # compensation of joint flows borne by others
    total_by_year: list = field(default_factory=list)
    gross_parts: list = field(default_factory=list)  # per chunk: (counts per party, values, net values, years)

    def __post_init__(self):
        self.component_sums = np.zeros((self.parties, 3))
        self.net_sum = np.zeros(self.parties)
        self.joint_extra = np.zeros(self.parties)

    def merge(self, part: "ChunkPart", year_offset: int) -> None:
        """Add one chunk's summary; merging chunks in order keeps every sum bit-for-bit reproducible."""
        self.component_sums += part.component_sums
        self.net_sum += part.net_sum
        self.total_by_year.append(part.total_by_year)
        self.gross_parts.append((part.counts, part.gross, part.net,
                                 part.year + year_offset if part.year is not None else None))
        self.years += part.years

    def add_joint_extra(self, values: np.ndarray) -> None:
        self.joint_extra += values

    def finish(self) -> "ScenarioLosses":
        P = self.parties
        counts = np.array([c for c, *_ in self.gross_parts], dtype=np.int64).reshape(len(self.gross_parts), P)
        per_party = counts.sum(axis=0)
        offsets = np.concatenate([[0], np.cumsum(per_party)])
        total = int(offsets[-1])
        dtype = np.float64 if self.keep_years else np.float32
        gross, net = np.empty(total, dtype), np.empty(total, dtype)
        years = np.empty(total, np.int32) if self.keep_years else None
        # Values are stored chunk by chunk, each chunk party-sorted: move each block to its party's place.
        before = np.cumsum(counts, axis=0) - counts  # values of the party in earlier chunks
        for c, (chunk_counts, g, n, y) in enumerate(self.gross_parts):
            block_start = offsets[:-1] + before[c]
            within = np.arange(g.size) - np.repeat(np.cumsum(chunk_counts) - chunk_counts, chunk_counts)
            dest = np.repeat(block_start, chunk_counts) + within
            gross[dest], net[dest] = g, n
            if years is not None:
                years[dest] = y
        self.gross_parts = []
        return ScenarioLosses(
            years=self.years, component_sums=self.component_sums, net_sum=self.net_sum,
            joint_extra=self.joint_extra,
            total_by_year=np.concatenate(self.total_by_year) if self.total_by_year else np.zeros(0),
            party_offsets=offsets, gross=gross, net=net, year=years)


@dataclass
class ScenarioLosses:
    years: int
    component_sums: np.ndarray
    net_sum: np.ndarray
    joint_extra: np.ndarray
    total_by_year: np.ndarray
    party_offsets: np.ndarray
    gross: np.ndarray   # party-major nonzero yearly losses (before insurance)
    net: np.ndarray     # the same years, after insurance
    year: np.ndarray | None

    def party_values(self, p: int, *, net: bool = False) -> np.ndarray:
        lo, hi = self.party_offsets[p], self.party_offsets[p + 1]
        return (self.net if net else self.gross)[lo:hi]

    def party_years(self, p: int) -> np.ndarray | None:
        if self.year is None:
            return None
        return self.year[self.party_offsets[p]:self.party_offsets[p + 1]]

    def party_stats(self, p: int, threshold: float) -> dict:
        Y = self.years
        values = np.sort(self.party_values(p).astype(np.float64))
        mean = float(self.component_sums[p].sum() / Y)
        out = {"mean": mean}
        for name, q in PERCENTILES.items():
            out[name] = sparse_percentile(values, Y, q)
        out["max"] = float(values[-1]) if values.size else 0.0
        out["p_exceed"] = float(np.count_nonzero(values > threshold) / Y)
        out["net_mean"] = float(self.net_sum[p] / Y)
        out.update(tail_stats(values, Y))
        net = self.sorted_net(p)
        out["net_p99"] = sparse_percentile(net, Y, 99)
        out.update(tail_stats(net, Y, "net_"))
        out["components"] = {"compensation": float(self.component_sums[p, 0] / Y),
                             "response_costs": float(self.component_sums[p, 1] / Y),
                             "fines": float(self.component_sums[p, 2] / Y)}
        return out

    def sorted_net(self, p: int) -> np.ndarray:
        """The party's nonzero net yearly losses, ascending (zeros implicit)."""
        net = np.sort(self.party_values(p, net=True).astype(np.float64))
        return net[net != 0]

    def net_percentile(self, p: int, q: float) -> float:
        return sparse_percentile(self.sorted_net(p), self.years, q)

    def partner_stats(self, p: int, partners: int, threshold: float) -> dict:
        """Tail figures of one partner's share (net ÷ partners) and ``p_exceed_per_partner``."""
        Y = self.years
        share = self.sorted_net(p) / partners
        tail = tail_stats(share, Y)
        return {"p_any": tail["p_any"], "p99_5_per_partner": tail["p99_5"], "p99_9_per_partner": tail["p99_9"],
                "tvar99_per_partner": tail["tvar99"],
                "p_exceed_per_partner": float(np.count_nonzero(share > threshold) / Y)}
