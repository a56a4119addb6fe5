"""The compiled loops themselves (imported only when ``kernels.use_kernels`` chooses them: Numba's import
costs about 0.3 s). Each does what its NumPy reference does, in the same order; see ``kernels``."""

from __future__ import annotations

import numpy as np
from numba import njit

# Machine code is cached beside this file between runs; the loops release the GIL for the worker threads.
jit = njit(cache=True, nogil=True)


@jit
def block_sum(a, lo, n):
    """NumPy's pairwise_sum of at most 128 values (numpy/_core/src/umath/loops_utils.h.src)."""
    if n < 8:
        res = -0.0
        for i in range(n):
            res += a[lo + i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    stop = n - n % 8
    while i < stop:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res

@jit
def pairwise(a, lo, n):
    """NumPy's pairwise_sum of a[lo:lo + n]: halves (a multiple of 8 on the left) until blocks of 128.

    Its recursion is unrolled onto a stack (Numba does not cache recursive functions).
    """
    if n <= 128:
        return block_sum(a, lo, n)
    depth = 64
    f_lo = np.empty(depth, np.int64)
    f_n = np.empty(depth, np.int64)
    f_stage = np.empty(depth, np.int64)
    f_left = np.empty(depth)
    top = 0
    f_lo[0], f_n[0], f_stage[0] = lo, n, 0
    result = 0.0
    while top >= 0:
        lo_, n_ = f_lo[top], f_n[top]
        n2 = n_ // 2
        n2 -= n2 % 8
        if n_ <= 128:
            result = block_sum(a, lo_, n_)
            top -= 1
        elif f_stage[top] == 0:  # sum the left half first
            f_stage[top] = 1
            top += 1
            f_lo[top], f_n[top], f_stage[top] = lo_, n2, 0
        elif f_stage[top] == 1:  # then the right half
            f_left[top] = result
            f_stage[top] = 2
            top += 1
            f_lo[top], f_n[top], f_stage[top] = lo_ + n2, n_ - n2, 0
        else:
            result = f_left[top] + result
            top -= 1
    return result

@jit
def reduceat_segment(a, start, stop):
    """np.add.reduceat's value for the segment a[start:stop] (stop > start)."""
    if stop - start == 1:
        return a[start]
    return a[start] + pairwise(a, start + 1, stop - start - 1)

@jit
def by_year(year, flow, years):
    """Incidents in year order, flow order kept within a year (a stable counting sort, as the reference's)."""
    start = np.zeros(years + 1, np.int64)
    for y in year:
        start[y + 1] += 1
    for y in range(years):
        start[y + 1] += start[y]
    out_year = np.empty_like(year)
    out_flow = np.empty_like(flow)
    for i in range(year.size):
        at = start[year[i]]
        out_year[at], out_flow[at] = year[i], flow[i]
        start[year[i]] = at + 1
    return out_year, out_flow


@jit
def new_entries(m):
    """Room for ``m`` entries: incident, slot, party, compensation, response costs, fines (``simulate.Incidents``'
    dtypes)."""
    return (np.empty(m, np.int32), np.empty(m, np.int16), np.empty(m, np.int32), np.empty(m), np.empty(m),
            np.empty(m))


@jit
def allocate(flow, rel, stage, fine_slot, fine, compensation, response, u_recovery, of_flow, recovery_p, fault_share,
             slot_party, bearer_share, sb):
    """``simulate._allocate``'s entries: (incident, slot) order, each amount at its bearer; a controller
    recovers the processor's fault share where ``u_recovery`` falls under ``recovery_p``. ``recovery_p``,
    ``fault_share`` and ``bearer_share`` are per flow class (``parameters.FlowClasses``; ``of_flow``)."""
    n = flow.size
    recovered = np.empty(n, np.bool_)
    for i in range(n):
        # Booleans combined with & and |, not and/or: branches on random draws are mispredicted half the time.
        recovered[i] = (rel[i] == 1) & (stage[i] == 2) & (u_recovery[i] < recovery_p[of_flow[flow[i]]])
    m = 0
    for i in range(n):
        if rel[i] == 2:
            for s in range(sb):
                if slot_party[flow[i], s] >= 0:
                    m += 1
        else:
            bearer = np.int64((rel[i] == 0) & (stage[i] == 2))
            m += 1 + np.int64(recovered[i] | ((fine[i] != 0) & (fine_slot[i] != bearer)))
    inc, slot, party, comp, resp, fines = new_entries(m)
    k = 0
    for i in range(n):
        f = flow[i]
        c = of_flow[f]
        if rel[i] == 2:
            for s in range(sb):
                if slot_party[f, s] >= 0:
                    share = bearer_share[c, s]
                    inc[k], slot[k], party[k] = i, s, slot_party[f, s]
                    comp[k] = compensation[i] * share
                    resp[k] = response[i] * share
                    fines[k] = fine[i] if fine_slot[i] == s else 0.0
                    k += 1
            continue
        bearer = np.int64((rel[i] == 0) & (stage[i] == 2))
        moved_comp = 0.0
        moved_resp = 0.0
        first_comp = compensation[i]
        first_resp = response[i]
        if recovered[i]:
            moved_comp = compensation[i] * fault_share[c]
            moved_resp = response[i] * fault_share[c]
            first_comp -= moved_comp
            first_resp -= moved_resp
        inc[k], slot[k], party[k] = i, bearer, slot_party[f, bearer]
        comp[k], resp[k] = first_comp, first_resp
        fines[k] = fine[i] if fine_slot[i] == bearer else 0.0
        k += 1
        if recovered[i] | ((fine[i] != 0) & (fine_slot[i] != bearer)):
            inc[k], slot[k], party[k] = i, 1, slot_party[f, 1]
            comp[k], resp[k] = moved_comp, moved_resp
            fines[k] = fine[i] if fine_slot[i] == 1 else 0.0
            k += 1
    return inc, slot, party, comp, resp, fines

@jit
def slot_order(row_slots, q, order):
    """Row ``q``'s columns in slot order (an insertion sort: a row has a few parties). The row is read in
    place: a view of it per row costs more than the sort."""
    for c in range(order.size):
        order[c] = c
        d = c
        while d > 0 and row_slots[q, order[d - 1]] > row_slots[q, order[d]]:
            order[d - 1], order[d] = order[d], order[d - 1]
            d -= 1

@jit
def add_entries(inc, slot, party, comp, resp, fines, slots, rows, row_slots, row_party, add_comp, add_resp,
                add_fines):
    """``Incidents.add_to`` for k parties at once: amounts added at (row, slot), new entries merged in
    (incident, slot) order.

    ``rows`` ascending; ``row_slots``, ``row_party`` and the amounts are (rows, k), the k slots of a row
    distinct (one per party); the amounts a clause does not move are zeros.
    """
    m = inc.size
    r, width = row_slots.shape
    order = np.empty(width, np.int64)
    miss = 0
    j = 0
    for q in range(r):  # the same walk as below, counting the entries to create
        slot_order(row_slots, q, order)
        for c in order:
            want = np.int64(rows[q]) * slots + row_slots[q, c]
            while j < m and np.int64(inc[j]) * slots + slot[j] < want:
                j += 1
            if j < m and np.int64(inc[j]) * slots + slot[j] == want:
                j += 1
            else:
                miss += 1
    n_inc, n_slot, n_party, n_comp, n_resp, n_fines = new_entries(m + miss)
    j = 0
    k = 0
    for q in range(r):
        slot_order(row_slots, q, order)
        for c in order:
            want = np.int64(rows[q]) * slots + row_slots[q, c]
            while j < m and np.int64(inc[j]) * slots + slot[j] < want:
                n_inc[k], n_slot[k], n_party[k] = inc[j], slot[j], party[j]
                n_comp[k], n_resp[k], n_fines[k] = comp[j], resp[j], fines[j]
                j += 1
                k += 1
            if j < m and np.int64(inc[j]) * slots + slot[j] == want:
                n_inc[k], n_slot[k], n_party[k] = inc[j], slot[j], party[j]
                n_comp[k] = comp[j] + add_comp[q, c]
                n_resp[k] = resp[j] + add_resp[q, c]
                n_fines[k] = fines[j] + add_fines[q, c]
                j += 1
            else:
                n_inc[k], n_slot[k], n_party[k] = rows[q], row_slots[q, c], row_party[q, c]
                n_comp[k], n_resp[k], n_fines[k] = add_comp[q, c], add_resp[q, c], add_fines[q, c]
            k += 1
    while j < m:
        n_inc[k], n_slot[k], n_party[k] = inc[j], slot[j], party[j]
        n_comp[k], n_resp[k], n_fines[k] = comp[j], resp[j], fines[j]
        j += 1
        k += 1
    return n_inc, n_slot, n_party, n_comp, n_resp, n_fines

@jit
def summarise(inc, party, comp, resp, fines, year_of_incident, years, parties, ins_excess, ins_limit,
              partners, personal, threshold, partner_threshold, single, gross_floor, net_floor, every_year,
              scratch):
    """``summary.summarise_chunk``: per (party, year) gross and net, party-major, years ascending.

    ``single``: the stored values are float32 (counts are taken on them, as the statistics read them).
    Also the values ``summary.TopValues.add`` would keep: gross ones at or above the party's ``gross_floor``,
    nonzero net ones at or above its ``net_floor`` (stored values, party-major), with counts per party.
    Every (party, year) with its year only when ``every_year`` (the large models' store reads just the kept
    values). ``scratch``: room the sort may reuse (an array of at least 3 × entries float64), so each chunk does
    not touch fresh memory.
    """
    m = inc.size
    component_sums = np.zeros((parties, 3))
    per_party = np.zeros(parties + 1, np.int64)
    nz = 0
    for e in range(m):
        g = (comp[e] + resp[e]) + fines[e]
        if g != 0:
            p = party[e]
            component_sums[p, 0] += comp[e]
            component_sums[p, 1] += resp[e]
            component_sums[p, 2] += fines[e]
            per_party[p + 1] += 1
            nz += 1
    for p in range(parties):
        per_party[p + 1] += per_party[p]
    # A stable counting sort by party: years stay ascending within a party (entries are in year order).
    fill = per_party[:parties].copy()
    # One record per entry (gross, insurable, year): each of the sort's scattered writes touches one place.
    record = scratch[:3 * nz].reshape((nz, 3))
    for e in range(m):  # (a second look at each entry is cheaper than keeping the nonzero ones' indexes)
        g = (comp[e] + resp[e]) + fines[e]
        if g == 0:
            continue
        p = party[e]
        at = fill[p]
        record[at, 0] = g
        record[at, 1] = g - fines[e]
        record[at, 2] = year_of_incident[inc[e]]
        fill[p] = at + 1
    # Outputs sized for one (party, year) per entry, the most there can be, and cut to size at the end:
    # counting the (party, year)s here cost a third of the whole summary.
    segments = nz
    every = segments if every_year else 0
    out_party = np.empty(every, np.int32)
    out_year = np.empty(every, np.int32)
    out_gross = np.empty(every)
    out_net = np.empty(every)
    net_sum = np.zeros(parties)
    nonzero = np.zeros(parties, np.int64)
    total_by_year = np.zeros(years)
    exceed = np.zeros(parties, np.int64)
    partner_exceed = np.zeros(parties, np.int64)
    net_nonzero = np.zeros(parties, np.int64)
    kept_gross = np.empty(segments)
    kept_net = np.empty(segments)
    gross_counts = np.zeros(parties, np.int32)
    net_counts = np.zeros(parties, np.int32)
    kg = 0
    kn = 0
    gross_s, insurable_s, year_s = record[:, 0], record[:, 1], record[:, 2]
    k = 0
    for p in range(parties):
        start = per_party[p]
        end = per_party[p + 1]
        while start < end:
            stop = start + 1
            while stop < end and year_s[stop] == year_s[start]:
                stop += 1
            if stop - start == 1:  # most (party, year)s have one entry
                g, ins = gross_s[start], insurable_s[start]
            else:
                g = reduceat_segment(gross_s, start, stop)
                ins = reduceat_segment(insurable_s, start, stop)
            net = g - min(max(ins - ins_excess[p], 0.0), ins_limit[p])
            net_sum[p] += net
            nonzero[p] += 1
            y = np.int64(year_s[start])
            total_by_year[y] += g
            if every_year:
                out_party[k], out_year[k], out_gross[k], out_net[k] = p, y, g, net
            stored_g, stored_net = (np.float64(np.float32(g)), np.float64(np.float32(net))) if single \
                else (g, net)
            if stored_g > threshold:
                exceed[p] += 1
            if personal[p] and stored_net / partners[p] > partner_threshold:
                partner_exceed[p] += 1
            if stored_net != 0:
                net_nonzero[p] += 1
            if stored_g >= gross_floor[p]:
                kept_gross[kg] = stored_g
                gross_counts[p] += 1
                kg += 1
            if stored_net != 0 and stored_net >= net_floor[p]:
                kept_net[kn] = stored_net
                net_counts[p] += 1
                kn += 1
            k += 1
            start = stop
    # The outputs' first values only: views, not copies (the rest of their room was never touched).
    return (component_sums, out_party[:k], out_year[:k], out_gross[:k], out_net[:k], net_sum, total_by_year, nonzero,
            exceed, partner_exceed, net_nonzero, kept_gross[:kg], gross_counts, kept_net[:kn], net_counts)

@jit
def keep_above(values, counts, threshold):
    """``summary.TopValues.add``'s filter on party-major ``values`` (``counts`` per party; zeros already left
    out): the values at or above their party's threshold, in order, and how many each party kept."""
    kept_counts = np.zeros(counts.size, np.int32)
    kept = np.empty_like(values)
    i = 0
    k = 0
    for p in range(counts.size):
        for _ in range(counts[p]):
            if values[i] >= threshold[p]:
                kept[k] = values[i]
                kept_counts[p] += 1
                k += 1
            i += 1
    return kept[:k].copy(), kept_counts


@jit
def party_major(values, counts):
    """``summary.TopValues.party_major``: chunks' party-major values (``values`` concatenated, ``counts``
    chunks × parties) in one party-major array, chunks in merge order within a party; with offsets."""
    chunks, parties = counts.shape
    offsets = np.zeros(parties + 1, np.int64)
    for c in range(chunks):
        for p in range(parties):
            offsets[p + 1] += counts[c, p]
    for p in range(parties):
        offsets[p + 1] += offsets[p]
    out = np.empty(offsets[parties], values.dtype)
    cursor = offsets[:parties].copy()
    src = 0
    for c in range(chunks):
        for p in range(parties):
            at = cursor[p]
            for i in range(counts[c, p]):
                out[at + i] = values[src + i]
            cursor[p] = at + counts[c, p]
            src += counts[c, p]
    return offsets, out


@jit
def calibrated(offsets, values, rank, threshold):
    """``summary.TopValues.calibrate``: each party's threshold (its ``rank``-th largest value, where it has
    more), set in place, and the values at or above it with each party's count."""
    parties = offsets.size - 1
    for p in range(parties):
        seen = offsets[p + 1] - offsets[p]
        if seen > rank[p]:
            v = values[offsets[p]:offsets[p + 1]]
            threshold[p] = np.float64(np.partition(v, seen - rank[p])[seen - rank[p]])
    counts = np.zeros(parties, np.int32)
    kept = np.empty_like(values)
    k = 0
    for p in range(parties):
        for i in range(offsets[p], offsets[p + 1]):
            if values[i] >= threshold[p]:
                kept[k] = values[i]
                counts[p] += 1
                k += 1
    return kept[:k].copy(), counts


@jit
def tops_layout(counts, need):
    """Where ``gather_kept`` reads and ``TopValues.take_sorted_tops`` writes: each (chunk, party) block's start
    in the chunks' concatenated party-major values (``counts`` chunks × parties), each party's kept count, and
    the output offsets of its ``need`` largest values."""
    chunks, parties = counts.shape
    start = np.empty((chunks, parties), np.int64)
    kept = np.zeros(parties, np.int64)
    at = 0
    for c in range(chunks):
        for p in range(parties):
            start[c, p] = at
            at += counts[c, p]
            kept[p] += counts[c, p]
    offsets = np.zeros(parties + 1, np.int64)
    for p in range(parties):
        offsets[p + 1] = offsets[p] + min(kept[p], need[p])
    return start, kept, offsets


@jit
def gather_kept(values, counts, start, kept, first, stop):
    """Parties ``first`` to ``stop``: each one's kept values from the chunks (``counts`` chunks × parties,
    ``start`` where each block is in ``values``), party-major, with each party's offset in the result. A party
    whose ``kept`` is 0 is passed over (the caller has its values already)."""
    chunks = counts.shape[0]
    at = np.zeros(stop - first + 1, np.int64)
    for p in range(first, stop):
        at[p - first + 1] = at[p - first] + kept[p]
    out = np.empty(at[stop - first], values.dtype)
    for p in range(first, stop):
        if kept[p] == 0:
            continue
        k = at[p - first]
        for c in range(chunks):
            n = counts[c, p]
            s = start[c, p]
            for i in range(n):
                out[k + i] = values[s + i]
            k += n
    return out, at


@jit
def stages(flow, u_stage, of_flow, stage_cum, harm):
    """Each incident's stage (0 source, 1 transit, 2 recipient) and the incidents that can harm anyone
    (``stage_cum`` and ``harm`` per flow class)."""
    n = flow.size
    stage = np.empty(n, np.int8)
    harmful = np.empty(n, np.int64)
    h = 0
    for i in range(n):
        c = of_flow[flow[i]]
        stage[i] = (1 if u_stage[i] >= stage_cum[c, 0] else 0) + (1 if u_stage[i] >= stage_cum[c, 1] else 0)
        if harm[c] > 0:
            harmful[h] = i
            h += 1
    return stage, harmful[:h].copy()


@jit
def incident_losses(flow, stage, harmful, fraction, award, u_bearer, records, of_flow, harm, response_fixed,
                    response_per_record, claim_rate, special_mult, relationship, fault_share, bearer_share,
                    slot_party, is_public, fine_p_public, fine_p_other, sb):
    """``simulate.simulate_chunk`` between its draws: response costs and compensation, the relationship,
    who would be fined (section 4), and each harmful incident's chance of a fine; in the same arithmetic.
    ``records`` and ``slot_party`` are per flow, the other parameters per flow class (``of_flow``)."""
    n = flow.size
    parties = is_public.size
    affected = np.zeros(n)
    for j in range(harmful.size):
        i = harmful[j]
        affected[i] = records[flow[i]] * fraction[j]
    response = np.empty(n)
    compensation = np.zeros(n)
    rel = np.empty(n, np.int8)
    fine_slot = np.empty(n, np.int32)
    fined_party = np.empty(n, np.int32)
    for i in range(n):
        f = flow[i]
        c = of_flow[f]
        response[i] = response_fixed[c] + response_per_record[c] * affected[i] * harm[c]
        rel[i] = relationship[c]
        if rel[i] == 1:
            fine_slot[i] = np.int32((stage[i] == 2) & (u_bearer[i] < fault_share[c]))  # & not and: no branch
        elif rel[i] == 2:
            below = 0
            cum = 0.0
            for s in range(sb):
                cum += bearer_share[c, s]
                if u_bearer[i] >= cum:
                    below += 1
            fine_slot[i] = min(below, sb - 1)
        else:
            fine_slot[i] = np.int32(stage[i] == 2)
        fined_party[i] = slot_party[f, fine_slot[i]]
    p_fine = np.empty(harmful.size)
    for j in range(harmful.size):
        i = harmful[j]
        c = of_flow[flow[i]]
        compensation[i] = affected[i] * harm[c] * claim_rate[c] * award[j] * special_mult[c]
        fp = fined_party[i]
        if fp < 0:  # an unused slot: NumPy's index -1 reads the last party
            fp += parties
        p_fine[j] = fine_p_public[c] if is_public[fp] else fine_p_other[c]
    return response, compensation, rel, fine_slot, fined_party, p_fine


@jit
def indemnify(inc, party, flow_of_incident, compensation, response_costs, fines, covers, beneficiary, in_scope,
              condition_u, condition_p, share, excess, cap_per_incident, slot):
    """``clauses.apply_indemnity`` without an annual cap, on a compiled chunk: covered amounts move off the
    beneficiaries' entries (in place); returns the incidents concerned and what each moves, per component
    (0 compensation, 1 response costs, 2 fines; ``covers`` in the clause's order), for ``add_to``."""
    m = inc.size
    width = condition_u.shape[1]
    k = covers.size
    moved = np.empty((3, m))
    rows = np.empty(m, np.int64)
    amounts = np.empty((3, 8))
    count = 0
    e = 0
    while e < m:
        row = inc[e]
        n_sel = 0
        scoped = in_scope[flow_of_incident[row]]
        while e < m and inc[e] == row:
            p = party[e]
            if scoped and beneficiary[p]:
                L = 0.0
                for c in range(k):
                    cv = covers[c]
                    v = compensation[e] if cv == 0 else (response_costs[e] if cv == 1 else fines[e])
                    L = v if c == 0 else L + v
                holds = 1.0 if condition_u[row, min(slot[e], width - 1)] < condition_p[p] else 0.0
                t = share * max(L - excess, 0.0)
                t = min(t, cap_per_incident)
                t = t * holds if L > 0 else 0.0
                ratio = t / L if L > 0 else 0.0
                if n_sel == amounts.shape[1]:
                    grown = np.empty((3, 2 * n_sel))
                    grown[:, :n_sel] = amounts
                    amounts = grown
                for c in range(k):
                    cv = covers[c]
                    if cv == 0:
                        amount = compensation[e] * ratio
                        compensation[e] -= amount
                    elif cv == 1:
                        amount = response_costs[e] * ratio
                        response_costs[e] -= amount
                    else:
                        amount = fines[e] * ratio
                        fines[e] -= amount
                    amounts[c, n_sel] = amount
                n_sel += 1
            e += 1
        if n_sel:
            rows[count] = row
            for c in range(3):
                moved[c, count] = 0.0
            if n_sel == 1:  # most incidents: one beneficiary, its amounts as they are (no view of ``amounts``)
                for c in range(k):
                    moved[covers[c], count] = amounts[c, 0]
            else:
                for c in range(k):
                    moved[covers[c], count] = reduceat_segment(amounts[c], 0, n_sel)
            count += 1
    return rows[:count].copy(), moved[:, :count].copy()


@jit
def pool(inc, party, flow_of_incident, compensation, response_costs, fines, covers, member, in_scope):
    """``clauses.apply_risk_pool``'s totals on a compiled chunk: per in-scope incident, the covered amounts of
    its members' entries summed in entry order from zero (as ``np.bincount`` sums them) and taken off those
    entries (in place); the incidents whose totals are not all zero, with their totals per component (0
    compensation, 1 response costs, 2 fines; ``covers`` in the clause's order)."""
    m = inc.size
    k = covers.size
    rows = np.empty(m, np.int64)
    totals = np.empty((3, m))
    count = 0
    e = 0
    while e < m:
        row = inc[e]
        scoped = in_scope[flow_of_incident[row]]
        s0 = 0.0
        s1 = 0.0
        s2 = 0.0
        while e < m and inc[e] == row:
            if scoped and member[party[e]]:
                for c in range(k):
                    cv = covers[c]
                    if cv == 0:
                        s0 += compensation[e]
                        compensation[e] = 0.0
                    elif cv == 1:
                        s1 += response_costs[e]
                        response_costs[e] = 0.0
                    else:
                        s2 += fines[e]
                        fines[e] = 0.0
            e += 1
        some = False
        for c in range(k):
            cv = covers[c]
            if (s0 if cv == 0 else (s1 if cv == 1 else s2)) != 0:
                some = True
        if some:
            rows[count] = row
            totals[0, count], totals[1, count], totals[2, count] = s0, s1, s2
            count += 1
    return rows[:count].copy(), totals[:, :count].copy()


@jit
def joint_extra(inc, slot, party, compensation, flow_of_incident, relationship, base_slots, parties):
    """``assessment.joint_extra`` on a compiled chunk: per party, the compensation of its joint flows' incidents
    that the other controllers bear (an incident's total as ``np.add.reduceat`` sums it, less its own), added
    in entry order."""
    out = np.zeros(parties)
    m = inc.size
    e = 0
    while e < m:
        row = inc[e]
        stop = e
        while stop < m and inc[stop] == row:
            stop += 1
        if relationship[flow_of_incident[row]] == 2:
            end = e  # the incident's bearer entries come first: entries are in slot order
            while end < stop and slot[end] < base_slots:
                end += 1
            if end > e:
                total = reduceat_segment(compensation, e, end)
                for j in range(e, end):
                    out[party[j]] += total - compensation[j]
        e = stop
    return out


@jit
def spliced_kept(base_values, base_counts, own_values, own_counts, parties):
    """``summary.spliced``'s kept values: party by party, the scenario's own where ``parties`` says, else the
    baseline's (both party-major, ``counts`` per party)."""
    out = np.empty(base_values.size + own_values.size, base_values.dtype)
    counts = np.empty_like(base_counts)
    i = 0
    j = 0
    k = 0
    for p in range(parties.size):
        if parties[p]:
            n = own_counts[p]
            out[k:k + n] = own_values[j:j + n]
        else:
            n = base_counts[p]
            out[k:k + n] = base_values[i:i + n]
        counts[p] = n
        k += n
        i += base_counts[p]
        j += own_counts[p]
    return out[:k].copy(), counts


@jit
def spliced_totals(years, base_party, base_year, base_gross, own_party, own_year, own_gross, parties):
    """``summary.spliced``'s total per year: each (party, year)'s gross added in ``summarise``'s order (party
    by party, years ascending), the scenario's own for ``parties``, else the baseline's."""
    total = np.zeros(years)
    i = 0
    j = 0
    for p in range(parties.size):
        while i < base_party.size and base_party[i] == p:
            if not parties[p]:
                total[base_year[i]] += base_gross[i]
            i += 1
        while j < own_party.size and own_party[j] == p:
            total[own_year[j]] += own_gross[j]
            j += 1
    return total


@jit
def only(inc, slot, party, comp, resp, fines, parties):
    """``simulate.Incidents.only``: the entries of the ``parties`` (a mask), in order. One pass, into room for
    every entry (the rest of which is never touched, so never given memory)."""
    m = inc.size
    o_inc, o_slot, o_party, o_comp, o_resp, o_fines = new_entries(m)
    k = 0
    for e in range(m):
        p = party[e]
        if parties[p]:
            o_inc[k], o_slot[k], o_party[k] = inc[e], slot[e], p
            o_comp[k], o_resp[k], o_fines[k] = comp[e], resp[e], fines[e]
            k += 1
    return o_inc[:k], o_slot[:k], o_party[:k], o_comp[:k], o_resp[:k], o_fines[:k]


@jit
def copy_segments(source, source_offsets, out, offsets, parties):
    """Each of the ``parties``' segments of ``source`` into its place in ``out`` (the same lengths)."""
    for p in range(parties.size):
        if parties[p]:
            n = offsets[p + 1] - offsets[p]
            out[offsets[p]:offsets[p] + n] = source[source_offsets[p]:source_offsets[p] + n]
