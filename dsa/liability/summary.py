"""Per-party yearly losses, kept only as far as the statistics of section 7 need them.

Most party-years are zero. A party's mean and components are sums; ``p_any``,
``p_exceed`` and ``p_exceed_per_partner`` are counts; the percentiles, the
maximum and TVaR99 need only the party's worst years exactly: a percentile
``q`` of ``years`` values (zeros counted) reads the value at rank
``floor(q / 100 × (years − 1))`` and the next, so only the values above that
rank are kept. Small models keep every nonzero party-year with its year (the
dashboard's yearly losses and exceedance curves); large ones keep, per party,
the values above a threshold set once a twentieth of the years is in — chosen so
that a little more than the values the statistics need stay above it — and check at the
end that every figure was read from kept values (if a party's losses outgrew
the estimate, the caller re-runs without thresholds: results are exact either way).
A dense parties × years array is never built (6,500 parties × 100,000 years
would be 5 GB).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .parameters import COMPONENTS, Layout
from .simulate import Incidents

PERCENTILES = {"p50": 50, "p90": 90, "p95": 95, "p99": 99}
# The tail figures of negotiation.md §1 (linear percentiles, zeros counted).
TAIL_PERCENTILES = {"p99_5": 99.5, "p99_9": 99.9}
# Percentiles read from the net (after insurance) losses: net_p99, the net and per-partner tails.
NET_PERCENTILES = (99, 99.5, 99.9)
# Kept values gathered at once per thread when a large model's worst years are sorted (``take_sorted_tops``).
TOPS_BLOCK = 4_000_000
# Thresholds are set once this share of the years has been merged: sooner means fewer values gathered and
# sorted before there are thresholds, later a closer estimate (a national assess: 0.5 s faster at 5 % than 10 %).
CALIBRATE_AT = 0.05
# Above the threshold, keep the values the statistics need plus CALIBRATION_MARGIN standard deviations of
# the sampled count (a party's yearly losses are counted in the sample; their spread is Poisson-like),
# plus a few: the end-of-run check then fails for a party about once in a billion.
CALIBRATION_MARGIN, CALIBRATION_EXTRA = 6.0, 16


class NotExact(Exception):
    """A party's losses outgrew the values kept for it: the caller re-runs without thresholds."""


def sparse_percentile(top_sorted: np.ndarray, years: int, q: float, nonzero: int | None = None) -> float:
    """np.percentile(..., method='linear') of ``years`` values of which ``nonzero`` are nonzero.

    ``top_sorted``: the largest values, ascending (all the nonzero ones when ``nonzero`` is None).
    """
    if years <= 0:
        return 0.0
    n = top_sorted.size if nonzero is None else nonzero
    zeros = years - n
    first_kept = years - top_sorted.size
    pos = q / 100.0 * (years - 1)
    lo, frac = int(np.floor(pos)), pos - np.floor(pos)
    hi = min(lo + 1, years - 1)

    def value(i: int) -> float:
        if i < zeros:
            return 0.0
        if i < first_kept:
            raise NotExact(f"rank {i} of {years} was not kept")
        return float(top_sorted[i - first_kept])

    if frac == 0:
        return value(lo)
    return float(value(lo) + (value(hi) - value(lo)) * frac)


def tail_count(years: int) -> int:
    """How many years TVaR99 averages: the worst 1 %, rounded up."""
    return -(-years // 100)


def sparse_tvar99(top_sorted: np.ndarray, years: int, nonzero: int | None = None) -> float:
    """Mean of the worst ceil(years / 100) years, the implicit zeros counted."""
    if years <= 0:
        return 0.0
    k = tail_count(years)
    n = top_sorted.size if nonzero is None else nonzero
    if top_sorted.size < min(k, n):
        raise NotExact("the worst years were not all kept")
    worst = top_sorted[max(top_sorted.size - k, 0):]
    return float(worst.sum() / k)


def tail_stats(top_sorted: np.ndarray, years: int, prefix: str = "", nonzero: int | None = None) -> dict:
    """``p_any``, ``p99_5``, ``p99_9`` and ``tvar99`` (keys prefixed, e.g. ``net_``)."""
    n = top_sorted.size if nonzero is None else nonzero
    out = {f"{prefix}p_any": float(n / years) if years else 0.0}
    for name, q in TAIL_PERCENTILES.items():
        out[f"{prefix}{name}"] = sparse_percentile(top_sorted, years, q, n)
    out[f"{prefix}tvar99"] = sparse_tvar99(top_sorted, years, n)
    return out


def values_needed(nonzero: np.ndarray, years: int, percentiles) -> np.ndarray:
    """Per party: how many of its largest values the percentiles and TVaR99 read, given its nonzero count."""
    need = np.minimum(nonzero, max(tail_count(years), 1))
    for q in percentiles:
        pos = q / 100.0 * (years - 1)
        lo = int(np.floor(pos))
        hi = min(lo + 1, years - 1) if pos > lo else lo
        reads = nonzero >= years - hi  # the percentile's upper rank is a nonzero value
        need = np.where(reads, np.maximum(need, np.minimum(nonzero, years - lo)), need)
    return need


@dataclass
class ChunkPart:
    """One chunk's contribution to a scenario's statistics (computed independently of other chunks)."""

    years: int
    component_sums: np.ndarray   # (P, 3)
    net_sum: np.ndarray          # (P,)
    total_by_year: np.ndarray    # (years,)
    exceed: np.ndarray           # (P,) years over the threshold
    partner_exceed: np.ndarray   # (P,) years in which one partner's share of the net is over the partner threshold
    net_nonzero: np.ndarray      # (P,) years with a net loss
    party: np.ndarray            # nonzero party-years: party-major, years ascending within a party
    year: np.ndarray
    gross: np.ndarray
    net: np.ndarray
    nonzero: np.ndarray | None = None  # (P,) nonzero party-years (the compiled kernels count them)
    # Compiled: the values the scenario's worst-years store keeps (gross, counts, nonzero net, counts), as
    # filtered with the thresholds of ``floors_version`` (0: none).
    kept: tuple | None = None
    floors_version: int = 0
    # Compiled, when asked: every (party, year) as (party, year, gross in float64), party-major; what a scenario
    # summarised over some parties only (``spliced``) needs of the others to add up each year's total.
    segments: tuple | None = None


def summarise_chunk(layout: Layout, incidents: Incidents, dtype, threshold: float,
                    partner_threshold: float, floors: "Floors | None" = None, *, segments: bool = False) -> ChunkPart:
    """Per (party, year) losses of one chunk, before and after insurance, with the chunk's sums and counts.

    ``floors`` (compiled engine, large models): the scenario's thresholds when the chunk starts. The values its
    worst-years store would drop are dropped here, in the worker, the merge only appends what is left, and the
    per-(party, year) arrays stay empty. None: every (party, year) is returned (small models keep them all).
    ``segments`` (compiled, with ``floors``): also every (party, year) as ``ChunkPart.segments``.
    """
    P = len(layout.parties.ids)
    cy = incidents.years
    if incidents.compiled:
        return _summarise_compiled(layout, incidents, dtype, threshold, partner_threshold, floors, segments)
    gross_e = incidents.gross()
    nonzero = np.flatnonzero(gross_e)  # in (incident, slot) order: incidents (and so years) ascending
    party = incidents.party[nonzero]
    fine = incidents.fines[nonzero]
    component_sums = np.empty((P, 3))
    for k, arr in enumerate((incidents.compensation[nonzero], incidents.response_costs[nonzero], fine)):
        component_sums[:, k] = np.bincount(party, weights=arr, minlength=P)
    gross = gross_e[nonzero]
    insurable = gross - fine
    year = incidents.year[incidents.inc[nonzero]]
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
    # (np.bincount gives int64 zeros for no values at all: sums are float64 either way.)
    net_sum = np.bincount(party, weights=net, minlength=P).astype(np.float64, copy=False)
    total_by_year = np.bincount(year, weights=gross, minlength=cy).astype(np.float64, copy=False)
    gross, net = gross.astype(dtype), net.astype(dtype)
    # Counts on the stored values (float32 for large models), as the statistics read them.
    share = net.astype(np.float64) / pa.partners[party]
    return ChunkPart(years=cy, component_sums=component_sums, net_sum=net_sum, total_by_year=total_by_year,
                     exceed=np.bincount(party[gross.astype(np.float64) > threshold], minlength=P),
                     partner_exceed=np.bincount(party[pa.personal[party] & (share > partner_threshold)],
                                                minlength=P),
                     net_nonzero=np.bincount(party[net != 0], minlength=P),
                     party=party, year=year, gross=gross, net=net)


@dataclass(frozen=True)
class Floors:
    """A scenario's worst-years thresholds as one calibration left them (``version`` 0: none yet)."""

    gross: np.ndarray
    net: np.ndarray
    version: int


def no_floors(parties: int) -> Floors:
    """No thresholds yet: every value is kept."""
    return Floors(np.full(parties, -np.inf), np.full(parties, -np.inf), 0)


_thread_scratch = threading.local()


def _scratch(size: int) -> np.ndarray:
    """This thread's reusable float64 room of at least ``size`` values (grown by half when short)."""
    room = getattr(_thread_scratch, "room", None)
    if room is None or room.size < size:
        room = _thread_scratch.room = np.empty(max(size + size // 2, 1 << 16))
    return room


def _summarise_compiled(layout: Layout, incidents: Incidents, dtype, threshold: float,
                        partner_threshold: float, floors: Floors | None, segments: bool = False) -> ChunkPart:
    from .kernels import kernels
    pa = layout.parties
    P = len(pa.ids)
    every_year = floors is None  # small models keep every (party, year); large ones only the kept values
    if floors is None:
        floors = no_floors(P)
    (component_sums, party, year, gross, net, net_sum, total_by_year, nonzero, exceed, partner_exceed,
     net_nonzero, kept_gross, gross_counts, kept_net, net_counts) = kernels().summarise(
        incidents.inc, incidents.party, incidents.compensation, incidents.response_costs, incidents.fines,
        incidents.year, incidents.years, P, pa.ins_excess, pa.ins_limit, pa.partners, pa.personal,
        float(threshold), float(partner_threshold), dtype == np.float32, floors.gross, floors.net,
        every_year or segments, _scratch(3 * incidents.inc.size))
    kept_segments = None
    if segments and not every_year:  # asked for beside the kept values: not the small models' every year
        kept_segments = (party, year, gross)
        party, year, gross, net = party[:0], year[:0], gross[:0], net[:0]
    return ChunkPart(years=incidents.years, component_sums=component_sums, net_sum=net_sum,
                     total_by_year=total_by_year, exceed=exceed, partner_exceed=partner_exceed,
                     net_nonzero=net_nonzero, party=party, year=year, gross=gross.astype(dtype),
                     net=net.astype(dtype), nonzero=nonzero,
                     kept=(kept_gross.astype(dtype), gross_counts, kept_net.astype(dtype), net_counts),
                     floors_version=floors.version, segments=kept_segments)


def spliced(base: ChunkPart, own: ChunkPart, parties: np.ndarray, *, slim: bool = False) -> ChunkPart:
    """A scenario's chunk summary from the baseline's and its own over only the ``parties`` its clauses read
    and write: every other party's entries are the baseline's, and so are its figures, exactly. Both summaries
    compiled, with ``segments``; the result is what summarising every entry of the scenario gives, bit for bit
    (each year's total is added up again, party by party in the same order).

    ``slim``: the worst years kept are the ``parties``' only (the others' are the baseline's, and its finish
    copies them from there: ``ScenarioAccumulator.finish``'s ``same``)."""
    from .kernels import kernels
    k = kernels()
    columns = parties[:, None]
    if slim:
        gross, gross_counts, net, net_counts = own.kept
        version = own.floors_version
    else:
        base_gross, base_gross_counts, base_net, base_net_counts = base.kept
        own_gross, own_gross_counts, own_net, own_net_counts = own.kept
        gross, gross_counts = k.spliced_kept(base_gross, base_gross_counts, own_gross, own_gross_counts, parties)
        net, net_counts = k.spliced_kept(base_net, base_net_counts, own_net, own_net_counts, parties)
        # Filtered with the same thresholds only if both were: else the merge filters them again (same kept).
        version = own.floors_version if own.floors_version == base.floors_version else -1
    return ChunkPart(years=base.years, component_sums=np.where(columns, own.component_sums, base.component_sums),
                     net_sum=np.where(parties, own.net_sum, base.net_sum),
                     total_by_year=k.spliced_totals(base.years, *base.segments, *own.segments, parties),
                     exceed=np.where(parties, own.exceed, base.exceed),
                     partner_exceed=np.where(parties, own.partner_exceed, base.partner_exceed),
                     net_nonzero=np.where(parties, own.net_nonzero, base.net_nonzero),
                     party=base.party, year=base.year, gross=base.gross, net=base.net,
                     nonzero=np.where(parties, own.nonzero, base.nonzero),
                     kept=(gross, gross_counts, net, net_counts), floors_version=version)


@dataclass
class TopValues:
    """Per party, its nonzero yearly values above a threshold (all of them until the threshold is set).

    ``companions``: arrays kept alongside the values and moved with them (small models keep each value's
    year and its net loss).
    """

    parties: int
    threshold: np.ndarray = field(init=False)
    counts: list = field(default_factory=list)       # per merged chunk: values kept per party
    values: list = field(default_factory=list)       # per merged chunk: party-major values
    companions: list = field(default_factory=list)   # per merged chunk: {name: array}
    compiled: bool = False                           # values were added by the compiled kernels
    # Compiled: the chunks' values one after another in one growing buffer (``values`` stays empty). Thousands
    # of arrays of a few hundred kilobytes, kept between short-lived ones, left the heap fragmented and never
    # given back (a national run peaked 0.7 GB higher); one buffer, grown by half, is mapped and unmapped whole.
    buffer: np.ndarray | None = None
    size: int = 0

    def __post_init__(self):
        # Until calibrated, keep every value handed in (a rounding residue can make a year's loss a hair
        # below zero; it still counts as a year with a loss, as it always has).
        self.threshold = np.full(self.parties, -np.inf)

    def add(self, party: np.ndarray, values: np.ndarray, companions: dict | None = None, *,
            skip_zero: bool = False) -> None:
        """``skip_zero``: zeros are not kept."""
        if skip_zero:
            has = values != 0
            party, values = party[has], values[has]
            companions = {k: v[has] for k, v in (companions or {}).items()}
        # Ties with the threshold stay: many years cost exactly the same (an insurance excess, a fixed
        # severity), and dropping them could leave fewer values than the statistics read.
        keep = values >= self.threshold[party]
        if not keep.all():
            party, values = party[keep], values[keep]
            companions = {k: v[keep] for k, v in (companions or {}).items()}
        self.counts.append(np.bincount(party, minlength=self.parties).astype(np.int32))
        self.values.append(values)
        self.companions.append(companions or {})

    def add_kept(self, values: np.ndarray, counts: np.ndarray, filtered: bool) -> None:
        """A compiled chunk's party-major values (zeros left out), already filtered with this store's
        thresholds when ``filtered``."""
        if not filtered:
            from .kernels import kernels
            values, counts = kernels().keep_above(values, counts, self.threshold)
        self.compiled = True
        self.counts.append(counts)
        self._append(values)

    def _append(self, values: np.ndarray, capacity: int = 0) -> None:
        end = self.size + values.size
        if self.buffer is None or end > self.buffer.size:
            grown = np.empty(max(end + end // 2, capacity, 1 << 20), values.dtype)
            if self.buffer is not None:
                grown[:self.size] = self.buffer[:self.size]
            self.buffer = grown
        self.buffer[self.size:end] = values
        self.size = end

    def _all_values(self) -> np.ndarray:
        """Every kept value, chunk after chunk (each chunk party-major)."""
        if self.buffer is not None:
            return self.buffer[:self.size]
        return np.concatenate(self.values) if self.values else np.zeros(0, np.float32)

    def party_major(self) -> tuple[np.ndarray, np.ndarray, dict]:
        """Every kept value in one party-major array (chunks in merge order within a party), with offsets."""
        if self.compiled and self.counts:
            from .kernels import kernels
            counts = np.array(self.counts, dtype=np.int64).reshape(len(self.counts), self.parties)
            return (*kernels().party_major(self._all_values(), counts), {})
        if not self.values:
            return np.zeros(self.parties + 1, dtype=np.int64), np.zeros(0), {}
        counts = np.array(self.counts, dtype=np.int64).reshape(len(self.counts), self.parties)
        per_party = counts.sum(axis=0)
        offsets = np.concatenate([[0], np.cumsum(per_party)])
        out = np.empty(int(offsets[-1]), self.values[0].dtype)
        extra = {k: np.empty(out.size, v.dtype) for k, v in self.companions[0].items()}
        before = np.cumsum(counts, axis=0) - counts  # values of the party in earlier chunks
        for c, (chunk_counts, v) in enumerate(zip(counts, self.values)):
            within = np.arange(v.size) - np.repeat(np.cumsum(chunk_counts) - chunk_counts, chunk_counts)
            dest = np.repeat(offsets[:-1] + before[c], chunk_counts) + within
            out[dest] = v
            for k, arr in self.companions[c].items():
                extra[k][dest] = arr
        return offsets, out, extra

    def kept(self) -> np.ndarray:
        """Values kept per party."""
        return np.sum(self.counts, axis=0, dtype=np.int64) if self.counts else np.zeros(self.parties, np.int64)

    def take_sorted_tops(self, need: np.ndarray, same: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``_sorted_tops`` of the party-major values, with the compiled kernels, emptying this (the caller
        drops it): a block of parties' kept values at a time is gathered from the chunks, each party's sorted
        (NumPy's vectorised sort: faster here than selecting first) and its ``need`` largest kept.

        ``same``: (offsets, sorted values, parties) of another scenario whose kept values are these parties'
        too (the baseline's, for parties a scenario's clauses leave alone): theirs are copied, not sorted again.
        """
        from .kernels import kernels
        k = kernels()
        counts = np.array(self.counts, dtype=np.int64).reshape(len(self.counts), self.parties)
        values = self._all_values()
        start, kept, offsets = k.tops_layout(counts, np.asarray(need, dtype=np.int64))
        copied = np.zeros(self.parties, dtype=bool)
        if same is not None:
            same_offsets, same_values, parties = same
            same_take = np.diff(same_offsets)
            # The same values give the same take (where they differ, never but cheap to check, sort); a slim
            # store keeps none of them (``summary.spliced``): theirs are only the other scenario's.
            copied = parties & ((same_take == np.diff(offsets)) | (kept == 0))
            offsets = np.concatenate([[0], np.cumsum(np.where(copied, same_take, np.diff(offsets)))])
        out = np.empty(int(offsets[-1]), values.dtype)
        if copied.any():
            k.copy_segments(same_values, same_offsets, out, offsets, copied)
        sort = ~copied
        kept_sorted = np.where(sort, kept, 0)
        # Blocks of parties of about TOPS_BLOCK kept values: bounded room, reused by each thread.
        ends = np.searchsorted(np.cumsum(kept_sorted),
                               np.arange(TOPS_BLOCK, int(kept_sorted.sum()) + TOPS_BLOCK, TOPS_BLOCK), side="right")
        bounds = np.unique(np.clip(np.r_[0, ends, self.parties], 0, self.parties)).tolist()

        ends_at = offsets.tolist()  # Python integers: this loop runs once per party
        to_sort = (sort & (np.diff(offsets) > 0)).tolist()

        def fill(blocks: list[tuple[int, int]]) -> None:  # the gathers and the sorts release the GIL
            for first, stop in blocks:
                block, at = k.gather_kept(values, counts, start, kept_sorted, first, stop)
                at = at.tolist()
                for p in range(first, stop):
                    if to_sort[p]:
                        mine = block[at[p - first]:at[p - first + 1]]
                        mine.sort()
                        take = ends_at[p + 1] - ends_at[p]
                        out[ends_at[p]:ends_at[p + 1]] = mine[mine.size - take:]

        blocks = list(zip(bounds[:-1], bounds[1:]))
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(fill, (blocks[0::2], blocks[1::2])))
        self.counts, self.values, self.companions, self.buffer, self.size = [], [], [], None, 0
        return offsets, out

    def calibrate(self, need: np.ndarray, fraction: float) -> None:
        """Set each party's threshold so that a little more than ``need`` values stay above it over the whole
        run, extrapolating from the ``fraction`` of the years merged so far."""
        offsets, values, _ = self.party_major()
        seen = np.diff(offsets)
        expected = need * fraction
        rank = np.ceil(expected + CALIBRATION_MARGIN * np.sqrt(expected)).astype(np.int64) + CALIBRATION_EXTRA
        if self.compiled:
            from .kernels import kernels
            kept, counts = kernels().calibrated(offsets, values, rank, self.threshold)
            del offsets, values
            # Room for about what the rest of the run will keep, so the buffer rarely grows again.
            self.counts, self.buffer, self.size = [counts], None, 0
            self._append(kept, capacity=int(kept.size / max(fraction, 1e-9) * 1.1))
            return
        for p in np.flatnonzero(seen > rank):
            v = values[offsets[p]:offsets[p + 1]]
            self.threshold[p] = float(np.partition(v, v.size - rank[p])[v.size - rank[p]])
        keep = values >= np.repeat(self.threshold, seen)
        party = np.repeat(np.arange(self.parties), seen)[keep]
        self.counts = [np.bincount(party, minlength=self.parties).astype(np.int32)]
        self.values = [values[keep]]
        self.companions = [{}]


def _sorted_tops(offsets: np.ndarray, values: np.ndarray, need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per party, its ``need`` largest kept values ascending (in their own type), party-major, with offsets.

    Only these ranks are ever read, so the rest is neither sorted nor kept.
    """
    kept = np.diff(offsets)
    take = np.minimum(kept, need)
    out_offsets = np.concatenate([[0], np.cumsum(take)])
    out = np.empty(int(out_offsets[-1]), values.dtype)
    for p in np.flatnonzero(take):
        v = values[offsets[p]:offsets[p + 1]]
        k = int(take[p])
        if 2 * k < v.size:  # a few of many: select them, then sort only those
            top = np.partition(v, v.size - k)[v.size - k:]
            top.sort()
        else:
            top = np.sort(v)[v.size - k:]
        out[out_offsets[p]:out_offsets[p + 1]] = top
    return out_offsets, out


@dataclass
class ScenarioAccumulator:
    """Everything a scenario's statistics need, gathered chunk by chunk (merged in chunk order)."""

    parties: int
    keep_years: bool
    total_years: int
    calibrate: bool = True
    years: int = 0
    component_sums: np.ndarray = field(init=False)   # (P, 3)
    net_sum: np.ndarray = field(init=False)
    joint_extra: np.ndarray = field(init=False)      # compensation of joint flows borne by others
    exceed: np.ndarray = field(init=False)
    partner_exceed: np.ndarray = field(init=False)
    nonzero: np.ndarray = field(init=False)
    net_nonzero: np.ndarray = field(init=False)
    total_by_year: list = field(default_factory=list)
    gross: TopValues = field(init=False)
    net: TopValues = field(init=False)
    calibrated: bool = False
    floors_version: int = 0  # how many times the thresholds were set (once, at calibration)

    def __post_init__(self):
        P = self.parties
        self.component_sums = np.zeros((P, 3))
        self.net_sum, self.joint_extra = np.zeros(P), np.zeros(P)
        self.exceed, self.partner_exceed = np.zeros(P, np.int64), np.zeros(P, np.int64)
        self.nonzero, self.net_nonzero = np.zeros(P, np.int64), np.zeros(P, np.int64)
        self.gross, self.net = TopValues(P), TopValues(P)

    def merge(self, part: ChunkPart, year_offset: int) -> None:
        """Add one chunk's summary; merging chunks in order keeps every sum bit-for-bit reproducible."""
        self.component_sums += part.component_sums
        self.net_sum += part.net_sum
        self.exceed += part.exceed
        self.partner_exceed += part.partner_exceed
        self.nonzero += part.nonzero if part.nonzero is not None else np.bincount(part.party, minlength=self.parties)
        self.net_nonzero += part.net_nonzero
        self.total_by_year.append(part.total_by_year)
        if self.keep_years:  # small models: every nonzero party-year with its year and its net loss
            self.gross.add(part.party, part.gross, {"year": part.year + year_offset, "net": part.net})
        elif part.kept is not None:
            gross, gross_counts, net, net_counts = part.kept
            filtered = part.floors_version == self.floors_version  # with the thresholds in force
            self.gross.add_kept(gross, gross_counts, filtered)
            self.net.add_kept(net, net_counts, filtered)
        else:
            self.gross.add(part.party, part.gross)
            self.net.add(part.party, part.net, skip_zero=True)
        self.years += part.years
        if (self.calibrate and not self.keep_years and not self.calibrated
                and self.years >= CALIBRATE_AT * self.total_years):
            self._calibrate()

    def _calibrate(self) -> None:
        Y, fraction = self.total_years, self.years / self.total_years

        def estimate(n: np.ndarray) -> np.ndarray:  # generous: the thresholds only size memory
            return np.minimum(np.ceil(n / fraction * 1.2) + 50, Y).astype(np.int64)

        self.gross.calibrate(values_needed(estimate(self.nonzero), Y, GROSS_PERCENTILES), fraction)
        self.net.calibrate(values_needed(estimate(self.net_nonzero), Y, NET_PERCENTILES), fraction)
        self.calibrated = True
        self.floors_version += 1

    def floors(self) -> Floors:
        """The thresholds in force, for workers to filter their chunks with (see ``summarise_chunk``)."""
        return Floors(self.gross.threshold.copy(), self.net.threshold.copy(), self.floors_version)

    def add_joint_extra(self, values: np.ndarray) -> None:
        self.joint_extra += values

    def finish(self, same: "tuple[ScenarioLosses, np.ndarray] | None" = None) -> "ScenarioLosses":
        """``same``: (the baseline's losses, the parties whose entries this scenario left as the baseline's):
        those parties' worst years are copied from the baseline's on the compiled engine, not sorted again."""
        if not self.keep_years and self.gross.compiled:
            return self._finish_compiled(same)
        offsets, gross, extra = self.gross.party_major()
        self.gross = TopValues(self.parties)
        if self.keep_years:
            net_offsets, net, years = offsets, extra.get("net", np.zeros(0)), extra.get("year")
        else:
            net_offsets, net, _ = self.net.party_major()
            years = None
        self.net = TopValues(self.parties)
        losses = ScenarioLosses(
            years=self.years, component_sums=self.component_sums, net_sum=self.net_sum,
            joint_extra=self.joint_extra,
            total_by_year=np.concatenate(self.total_by_year) if self.total_by_year else np.zeros(0),
            nonzero=self.nonzero, net_nonzero=self.net_nonzero, exceed=self.exceed,
            partner_exceed=self.partner_exceed, party_offsets=offsets, gross=gross, year=years,
            net_offsets=net_offsets, net=net)
        losses.check_exact()
        Y = self.years
        losses.top_offsets, losses.top = _sorted_tops(offsets, gross,
                                                      values_needed(self.nonzero, Y, GROSS_PERCENTILES))
        # Small models keep zero net years beside the gross ones: those sort first and are never read.
        losses.net_top_offsets, losses.net_top = _sorted_tops(
            net_offsets, net, values_needed(self.net_nonzero, Y, NET_PERCENTILES))
        if not self.keep_years:  # large models: the worst years are all that is kept, and all that is read
            losses.party_offsets, losses.gross = losses.top_offsets, losses.top
            losses.net_offsets, losses.net = losses.net_top_offsets, losses.net_top
        return losses

    def _finish_compiled(self, same: "tuple[ScenarioLosses, np.ndarray] | None" = None) -> "ScenarioLosses":
        """``finish`` for large models with the compiled kernels: the same figures, and only the worst years
        the statistics read are ever gathered into one array."""
        Y = self.years
        need = values_needed(self.nonzero, Y, GROSS_PERCENTILES)
        net_need = values_needed(self.net_nonzero, Y, NET_PERCENTILES)
        # The parties whose worst years are the baseline's were checked with the baseline's (finished first).
        own = np.ones(self.parties, dtype=bool) if same is None else ~same[1]
        if np.any((self.gross.kept() < need) & own):
            raise NotExact("a party's gross losses outgrew the values kept for it")
        if np.any((self.net.kept() < net_need) & own):
            raise NotExact("a party's net losses outgrew the values kept for it")
        gross_same = net_same = None
        if same is not None:
            base, untouched = same
            gross_same = (base.top_offsets, base.top, untouched)
            net_same = (base.net_top_offsets, base.net_top, untouched)
        top_offsets, top = self.gross.take_sorted_tops(need, gross_same)
        net_offsets, net = self.net.take_sorted_tops(net_need, net_same)
        self.gross, self.net = TopValues(self.parties), TopValues(self.parties)
        return ScenarioLosses(
            years=Y, component_sums=self.component_sums, net_sum=self.net_sum, joint_extra=self.joint_extra,
            total_by_year=np.concatenate(self.total_by_year) if self.total_by_year else np.zeros(0),
            nonzero=self.nonzero, net_nonzero=self.net_nonzero, exceed=self.exceed,
            partner_exceed=self.partner_exceed, party_offsets=top_offsets, gross=top, year=None,
            net_offsets=net_offsets, net=net, top_offsets=top_offsets, top=top, net_top_offsets=net_offsets,
            net_top=net)


GROSS_PERCENTILES = (*PERCENTILES.values(), *TAIL_PERCENTILES.values())


@dataclass
class ScenarioLosses:
    years: int
    component_sums: np.ndarray
    net_sum: np.ndarray
    joint_extra: np.ndarray
    total_by_year: np.ndarray
    nonzero: np.ndarray          # years with a loss, per party
    net_nonzero: np.ndarray      # years with a net loss, per party
    exceed: np.ndarray           # years over the threshold, per party
    partner_exceed: np.ndarray   # years in which one partner's share is over the partner threshold
    party_offsets: np.ndarray
    gross: np.ndarray            # party-major kept yearly losses before insurance (all nonzero on small models)
    year: np.ndarray | None      # their years (small models)
    net_offsets: np.ndarray
    net: np.ndarray              # after insurance: beside ``gross`` on small models, else the kept nonzero ones
    # Per party, the largest values the statistics read, ascending, and their offsets.
    top_offsets: np.ndarray = field(default=None, repr=False)
    top: np.ndarray = field(default=None, repr=False)
    net_top_offsets: np.ndarray = field(default=None, repr=False)
    net_top: np.ndarray = field(default=None, repr=False)

    def check_exact(self) -> None:
        """Raise NotExact unless every figure's ranks were kept (always so when nothing was dropped)."""
        Y = self.years
        kept = np.diff(self.party_offsets)
        if np.any(kept < values_needed(self.nonzero, Y, GROSS_PERCENTILES)):
            raise NotExact("a party's gross losses outgrew the values kept for it")
        kept_net = np.diff(self.net_offsets) if self.year is None else self.net_nonzero
        if np.any(kept_net < values_needed(self.net_nonzero, Y, NET_PERCENTILES)):
            raise NotExact("a party's net losses outgrew the values kept for it")

    def party_values(self, p: int, *, net: bool = False) -> np.ndarray:
        """The party's kept yearly losses (on small models: every nonzero one, in year order)."""
        if net:
            return self.net[self.net_offsets[p]:self.net_offsets[p + 1]]
        return self.gross[self.party_offsets[p]:self.party_offsets[p + 1]]

    def party_years(self, p: int) -> np.ndarray | None:
        if self.year is None:
            return None
        return self.year[self.party_offsets[p]:self.party_offsets[p + 1]]

    def sorted_values(self, p: int) -> np.ndarray:
        """The party's largest yearly losses (as many as the statistics read), ascending."""
        return self.top[self.top_offsets[p]:self.top_offsets[p + 1]].astype(np.float64)

    def party_stats(self, p: int, threshold: float | None = None) -> dict:
        """Section 7's statistics and the tail figures (``threshold``: the one the losses were counted with)."""
        Y = self.years
        values = self.sorted_values(p)
        n = int(self.nonzero[p])
        out = {"mean": float(self.component_sums[p].sum() / Y)}
        for name, q in PERCENTILES.items():
            out[name] = sparse_percentile(values, Y, q, n)
        out["max"] = float(values[-1]) if values.size else 0.0
        out["p_exceed"] = float(self.exceed[p] / Y)
        out["net_mean"] = float(self.net_sum[p] / Y)
        out.update(tail_stats(values, Y, nonzero=n))
        net = self.sorted_net(p)
        n_net = int(self.net_nonzero[p])
        out["net_p99"] = sparse_percentile(net, Y, 99, n_net)
        out.update(tail_stats(net, Y, "net_", nonzero=n_net))
        out["components"] = {"compensation": float(self.component_sums[p, 0] / Y),
                             "response_costs": float(self.component_sums[p, 1] / Y),
                             "fines": float(self.component_sums[p, 2] / Y)}
        return out

    def sorted_net(self, p: int) -> np.ndarray:
        """The party's largest nonzero net yearly losses (as many as the statistics read), ascending."""
        return self.net_top[self.net_top_offsets[p]:self.net_top_offsets[p + 1]].astype(np.float64)

    def net_percentile(self, p: int, q: float) -> float:
        return sparse_percentile(self.sorted_net(p), self.years, q, int(self.net_nonzero[p]))

    def partner_stats(self, p: int, partners: int) -> dict:
        """Tail figures of one partner's share (net ÷ partners) and ``p_exceed_per_partner``."""
        Y = self.years
        share = self.sorted_net(p) / partners
        tail = tail_stats(share, Y, nonzero=int(self.net_nonzero[p]))
        return {"p_any": tail["p_any"], "p99_5_per_partner": tail["p99_5"], "p99_9_per_partner": tail["p99_9"],
                "tvar99_per_partner": tail["tvar99"], "p_exceed_per_partner": float(self.partner_exceed[p] / Y)}

    def stats_columns(self) -> dict[str, np.ndarray]:
        """:meth:`party_stats` for every party at once: one array per figure, the same floats bit for bit."""
        Y = self.years
        top, offsets, size = self.top, self.top_offsets, np.diff(self.top_offsets)
        out = {"mean": self.component_sums.sum(axis=1) / Y}  # a row's sum, as component_sums[p].sum() is
        for name, q in PERCENTILES.items():
            out[name] = segment_percentile(top, offsets, self.nonzero, Y, q)
        last = top[np.where(size > 0, offsets[1:] - 1, 0)] if top.size else np.zeros(size.size)
        out["max"] = np.where(size > 0, last.astype(np.float64), 0.0)
        out["p_exceed"] = self.exceed / Y
        out["net_mean"] = self.net_sum / Y
        out.update(segment_tail_stats(top, offsets, self.nonzero, Y))
        out["net_p99"] = segment_percentile(self.net_top, self.net_top_offsets, self.net_nonzero, Y, 99)
        out.update(segment_tail_stats(self.net_top, self.net_top_offsets, self.net_nonzero, Y, "net_"))
        for k, component in enumerate(COMPONENTS):
            out[component] = self.component_sums[:, k] / Y
        return out

    def partner_columns(self, partners: np.ndarray) -> dict[str, np.ndarray]:
        """:meth:`partner_stats` for every party at once (``partners``: each party's partner count)."""
        Y = self.years
        tail = segment_tail_stats(self.net_top, self.net_top_offsets, self.net_nonzero, Y, divisor=partners)
        return {"p_any": tail["p_any"], "p99_5_per_partner": tail["p99_5"], "p99_9_per_partner": tail["p99_9"],
                "tvar99_per_partner": tail["tvar99"], "p_exceed_per_partner": self.partner_exceed / Y}


# Values gathered at once when summing each party's worst years (bounds the temporary arrays).
SEGMENT_BLOCK = 4_000_000


def _gathered(values: np.ndarray, at: np.ndarray, rows: np.ndarray, divisor: np.ndarray | None) -> np.ndarray:
    """``values[at]`` in float64 (only what is read is converted), divided by the divisor of each row's party."""
    got = values[at].astype(np.float64)
    if divisor is None:
        return got
    return got / (divisor[rows] if got.ndim == 1 else divisor[rows][:, None])


def segment_percentile(values: np.ndarray, offsets: np.ndarray, nonzero: np.ndarray, years: int, q: float,
                       divisor: np.ndarray | None = None) -> np.ndarray:
    """:func:`sparse_percentile` of every party: ``values[offsets[p]:offsets[p + 1]]`` are party p's largest
    values, ascending, ``nonzero[p]`` its nonzero count (``divisor``: each party's values are divided by
    ``divisor[p]`` first). NotExact if any party's rank was not kept."""
    P = offsets.size - 1
    if years <= 0:
        return np.zeros(P)
    size = np.diff(offsets)
    zeros = years - nonzero
    first_kept = years - size
    pos = q / 100.0 * (years - 1)
    lo, frac = int(np.floor(pos)), pos - np.floor(pos)
    hi = min(lo + 1, years - 1)
    every = np.arange(P)

    def value(i: int) -> np.ndarray:
        zero = i < zeros
        if np.any(~zero & (i < first_kept)):
            raise NotExact(f"rank {i} of {years} was not kept")
        if not values.size:
            return np.zeros(P)
        return np.where(zero, 0.0, _gathered(values, np.where(zero, 0, offsets[:-1] + (i - first_kept)), every,
                                             divisor))

    if frac == 0:
        return value(lo)
    low = value(lo)
    return low + (value(hi) - low) * frac


def segment_tvar99(values: np.ndarray, offsets: np.ndarray, nonzero: np.ndarray, years: int,
                   divisor: np.ndarray | None = None) -> np.ndarray:
    """:func:`sparse_tvar99` of every party (arguments as :func:`segment_percentile`'s)."""
    P = offsets.size - 1
    if years <= 0:
        return np.zeros(P)
    k = tail_count(years)
    size = np.diff(offsets)
    if np.any(size < np.minimum(k, nonzero)):
        raise NotExact("the worst years were not all kept")
    length = np.minimum(size, k)
    start = offsets[1:] - length
    sums = np.zeros(P)
    # Rows of one length summed along the row are summed as each party's slice is on its own (NumPy's
    # pairwise summation over the same values), so the figures are those of sparse_tvar99 bit for bit.
    for n in np.unique(length[length > 0]).tolist():
        rows = np.flatnonzero(length == n)
        step = max(1, SEGMENT_BLOCK // n)
        windows = np.lib.stride_tricks.sliding_window_view(values, n)  # row i: values[i:i + n], copied only when read
        for b in range(0, rows.size, step):
            block = rows[b:b + step]
            got = windows[start[block]].astype(np.float64)
            if divisor is not None:
                got /= divisor[block][:, None]
            sums[block] = got.sum(axis=1)
    return sums / k


def segment_tail_stats(values: np.ndarray, offsets: np.ndarray, nonzero: np.ndarray, years: int,
                       prefix: str = "", divisor: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """:func:`tail_stats` of every party (arguments as :func:`segment_percentile`'s)."""
    out = {f"{prefix}p_any": nonzero / years if years else np.zeros(offsets.size - 1)}
    for name, q in TAIL_PERCENTILES.items():
        out[f"{prefix}{name}"] = segment_percentile(values, offsets, nonzero, years, q, divisor)
    out[f"{prefix}tvar99"] = segment_tvar99(values, offsets, nonzero, years, divisor)
    return out
