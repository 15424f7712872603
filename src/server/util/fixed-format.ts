/**
 * Fixed-point printing of doubles exactly as Redis's C code prints them on x86-64 glibc:
 *
 * - `printfFixed(d, n)`: printf("%.nf") — the exact binary value rounded to n decimals, ties to
 *   even (glibc rounds the exact value; JavaScript's toFixed rounds ties away from zero, so ties are
 *   redone exactly with BigInt).
 * - `humanLongDouble(d)`: ld2string(LD_STR_HUMAN) of a double widened to long double (the widening
 *   is exact): "%.17Lf" with trailing zeros and a trailing dot removed, "-0" printed as "0" (GEOPOS
 *   and WITHCOORD coordinates).
 * - `fixedPoint(d, n)`: fixedpoint_d2string — llrint(d × 10^n) (ties to even) printed with n
 *   decimals (GEODIST and WITHDIST distances, n = 4).
 */

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17];
const SCRATCH = new DataView(new ArrayBuffer(8));

/** The exact value of |d| × 10^n rounded to an integer, ties to even. */
function scaledExact(d: number, n: number): bigint {
  SCRATCH.setFloat64(0, Math.abs(d));
  const bits = SCRATCH.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  let e = -1074;
  if (expBits !== 0) {
    m |= 1n << 52n;
    e = expBits - 1075;
  }
  const scale = 10n ** BigInt(n);
  if (e >= 0) return (m << BigInt(e)) * scale;
  const num = m * scale;
  const den = 1n << BigInt(-e);
  let q = num / den;
  const twice = (num - q * den) * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  return q;
}

/** True when |d| lies exactly halfway between two n-decimal numbers (its binary expansion ends at 2^-(n+1)). */
function isTie(d: number, n: number): boolean {
  const a = Math.abs(d);
  const frac = a - Math.floor(a);
  const t = frac * 2 ** (n + 1);
  return Number.isInteger(t) && t % 2 === 1;
}

/** printf("%.nf", d) for a finite d (n ≤ 20). */
export function printfFixed(d: number, n: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  const neg = d < 0 || Object.is(d, -0);
  if (Math.abs(d) < 1e21 && !isTie(d, n)) {
    const s = Math.abs(d).toFixed(n);
    return neg ? `-${s}` : s;
  }
  const digits = scaledExact(d, n).toString().padStart(n + 1, '0');
  const body = n === 0 ? digits : `${digits.slice(0, digits.length - n)}.${digits.slice(digits.length - n)}`;
  return neg ? `-${body}` : body;
}

/** ld2string(d, LD_STR_HUMAN) for a double. */
export function humanLongDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  let s = printfFixed(d, 17);
  if (s.indexOf('.') !== -1) {
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48) end--;
    if (s.charCodeAt(end - 1) === 46) end--;
    s = s.slice(0, end);
  }
  return s === '-0' ? '0' : s;
}

/** llrint: round to the nearest integer, ties to even. */
function rintEven(v: number): number {
  const f = Math.floor(v);
  const diff = v - f;
  if (diff > 0.5 || (diff === 0.5 && f % 2 !== 0)) return f + 1;
  return f;
}

/** fixedpoint_d2string(d, n) (1 ≤ n ≤ 17). */
export function fixedPoint(d: number, n: number): string {
  if (d === 0) return `0.${'0'.repeat(n)}`;
  const v = rintEven(d * POW10[n]!);
  const neg = v < 0;
  const abs = Math.abs(v);
  const digits = (abs < 1e21 ? String(abs) : BigInt(abs).toString()).padStart(n + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, digits.length - n)}.${digits.slice(digits.length - n)}`;
}
