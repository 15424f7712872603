/**
 * Redis's partial quicksort (pqsort.c): Bentley & McIlroy's "Engineering a Sort Function" that
 * only recurses into partitions overlapping the ranks [lrange, rrange], so those ranks end up
 * sorted and the rest is left partitioned. SORT … LIMIT and GEOSEARCH … COUNT use it in Redis;
 * it is not stable, so elements the comparator calls equal come out in the order this exact
 * algorithm leaves them — reproduced step for step (pivot choice, swaps) for identical results.
 */

type Cmp<T> = (a: T, b: T) => number;

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

function vecswap<T>(a: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

function med3<T>(a: T[], i: number, j: number, k: number, cmp: Cmp<T>): number {
  return cmp(a[i]!, a[j]!) < 0
    ? cmp(a[j]!, a[k]!) < 0
      ? j
      : cmp(a[i]!, a[k]!) < 0
        ? k
        : i
    : cmp(a[j]!, a[k]!) > 0
      ? j
      : cmp(a[i]!, a[k]!) < 0
        ? i
        : k;
}

/** True when the ranks [l, r] lie wholly before or wholly after the partition [lo, lo + n). */
function outside(lo: number, n: number, l: number, r: number): boolean {
  return (l < lo && r < lo) || (l >= lo + n && r >= lo + n);
}

/** Sorts a[lo, lo + n) enough that ranks l..r hold their sorted elements. */
function partialSort<T>(a: T[], lo: number, n: number, cmp: Cmp<T>, l: number, r: number): void {
  for (;;) {
    if (n < 7) {
      for (let pm = lo + 1; pm < lo + n; pm++) {
        for (let pl = pm; pl > lo && cmp(a[pl - 1]!, a[pl]!) > 0; pl--) swap(a, pl, pl - 1);
      }
      return;
    }
    let pm = lo + Math.floor(n / 2);
    if (n > 7) {
      let pl = lo;
      let pn = lo + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(a, pm - d, pm, pm + d, cmp);
        pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(a, pl, pm, pn, cmp);
    }
    swap(a, lo, pm);
    let pa = lo + 1;
    let pb = pa;
    let pc = lo + n - 1;
    let pd = pc;
    for (;;) {
      let c: number;
      while (pb <= pc && (c = cmp(a[pb]!, a[lo]!)) <= 0) {
        if (c === 0) swap(a, pa++, pb);
        pb++;
      }
      while (pb <= pc && (c = cmp(a[pc]!, a[lo]!)) >= 0) {
        if (c === 0) swap(a, pc, pd--);
        pc--;
      }
      if (pb > pc) break;
      swap(a, pb++, pc--);
    }
    const pn = lo + n;
    let s = Math.min(pa - lo, pb - pa);
    vecswap(a, lo, pb - s, s);
    s = Math.min(pd - pc, pn - pd - 1);
    vecswap(a, pb, pn - s, s);
    if ((s = pb - pa) > 1 && !outside(lo, s, l, r)) partialSort(a, lo, s, cmp, l, r);
    if ((s = pd - pc) > 1) {
      const next = pn - s;
      if (outside(next, s, l, r)) return;
      lo = next;
      n = s;
      continue;
    }
    return;
  }
}

/** Redis pqsort(a, n, cmp, lrange, rrange): ranks lrange..rrange of `a` end up sorted. */
export function pqsort<T>(a: T[], cmp: Cmp<T>, lrange: number, rrange: number): void {
  partialSort(a, 0, a.length, cmp, lrange, rrange);
}
