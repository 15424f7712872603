/**
 * Correctly rounded sin, cos and asin for the geo distance (haversine) and search boxes.
 *
 * Why: Redis computes them with glibc's libm, whose results are correctly rounded for all but
 * ~0.1% of arguments; V8's Math.sin/cos/asin (fdlibm) differ from glibc in the last bit for 3–9%
 * of arguments, which shows in STOREDIST scores. Rounding the exact value brings the two within
 * glibc's own ~0.1%.
 *
 * How: double-double arithmetic (~106 bits). sin/cos reduce the argument by a three-part π/2
 * (Cody–Waite), then sum Taylor series to r^27 (|r| ≤ π/4) and round once. asin refines V8's
 * asin (≤ 1 ulp off) with one Newton step on sin computed in double-double. Arguments beyond
 * 2^20·π/2 fall back to Math.sin/cos (the geo code never makes them: larger radii stop using the
 * box bounds).
 */

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter
const PIO2_1 = 1.57079632673412561417e0; // first 33 bits of π/2
const PIO2_2 = 6.07710050630396597660e-11; // next 33 bits
const PIO2_3 = 2.02226624871116645580e-21; // next 33 bits
const INV_PIO2 = 6.36619772367581382433e-1;
const REDUCE_LIMIT = 1.647e6; // 2^20 · π/2: k·PIO2_n stay exact

/** The result of the last double-double operation (single-threaded scratch, no allocation). */
let rh = 0;
let rl = 0;

function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const bb = s - ah;
  const e = ah - (s - bb) + (bh - bb) + al + bl;
  rh = s + e;
  rl = e - (rh - s);
}

function ddMul(ah: number, al: number, bh: number, bl: number): void {
  const p = ah * bh;
  const e = twoProdErr(ah, bh, p) + (ah * bl + al * bh);
  rh = p + e;
  rl = e - (rh - p);
}

/** a / n for a small integer n, in double-double. */
function ddDivInt(ah: number, al: number, n: number): void {
  const q1 = ah / n;
  const p = q1 * n;
  const e = twoProdErr(q1, n, p);
  const rem = ah - p - e + al;
  const q2 = rem / n;
  rh = q1 + q2;
  rl = q2 - (rh - q1);
}

/** ±1/k! for the series terms: SIN_C[i] for k = 2i+1, COS_C[i] for k = 2i (alternating signs). */
const SIN_H = new Float64Array(14);
const SIN_L = new Float64Array(14);
const COS_H = new Float64Array(14);
const COS_L = new Float64Array(14);
{
  let h = 1;
  let l = 0;
  for (let k = 1; k <= 27; k++) {
    ddDivInt(h, l, k);
    h = rh;
    l = rl;
    const sign = Math.floor(k / 2) % 2 === 0 ? 1 : -1;
    if (k % 2 === 1) {
      SIN_H[(k - 1) / 2] = sign * h;
      SIN_L[(k - 1) / 2] = sign * l;
    } else {
      COS_H[k / 2] = sign * h;
      COS_L[k / 2] = sign * l;
    }
  }
  COS_H[0] = 1;
  COS_L[0] = 0;
}

/** Σ c_i · z^i by Horner in double-double (z = r²); result in rh, rl. */
function series(ch: Float64Array, cl: Float64Array, n: number, zh: number, zl: number): void {
  let h = ch[n - 1]!;
  let l = cl[n - 1]!;
  for (let i = n - 2; i >= 0; i--) {
    ddMul(h, l, zh, zl);
    ddAdd(rh, rl, ch[i]!, cl[i]!);
    h = rh;
    l = rl;
  }
}

/** sin (odd) or cos (even) of the reduced r = rh + rl; result in rh, rl. */
function kernel(odd: boolean, r0: number, r1: number): void {
  ddMul(r0, r1, r0, r1);
  const zh = rh;
  const zl = rl;
  if (odd) {
    series(SIN_H, SIN_L, 14, zh, zl);
    ddMul(rh, rl, r0, r1);
  } else {
    series(COS_H, COS_L, 14, zh, zl);
  }
}

/** sin (which = 0) or cos (which = 1) of x in double-double; false when x is out of range. */
function sinCosDD(x: number, which: 0 | 1): boolean {
  if (!(Math.abs(x) < REDUCE_LIMIT)) return false;
  const k = Math.round(x * INV_PIO2);
  ddAdd(x, 0, -k * PIO2_1, 0);
  ddAdd(rh, rl, -k * PIO2_2, 0);
  ddAdd(rh, rl, -k * PIO2_3, 0);
  const q = (((k + which) % 4) + 4) % 4;
  kernel(q % 2 === 0, rh, rl);
  if (q >= 2) {
    rh = -rh;
    rl = -rl;
  }
  return true;
}

/** Correctly rounded sin(x). */
export function crSin(x: number): number {
  if (x === 0) return x;
  return sinCosDD(x, 0) ? rh + rl : Math.sin(x);
}

/** Correctly rounded cos(x). */
export function crCos(x: number): number {
  return sinCosDD(x, 1) ? rh + rl : Math.cos(x);
}

/** Correctly rounded asin(x) for |x| ≤ 1. */
export function crAsin(x: number): number {
  const y0 = Math.asin(x);
  if (x === 0 || !Number.isFinite(y0) || Math.abs(x) === 1) return y0;
  sinCosDD(y0, 1);
  const ch = rh;
  const cl = rl;
  sinCosDD(y0, 0);
  ddAdd(rh, rl, -x, 0);
  // Newton: y = y0 − (sin y0 − x) / cos y0; the correction is tiny, so one division suffices.
  const delta = (rh + rl) / (ch + cl);
  return y0 - delta;
}
