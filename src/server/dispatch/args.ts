/**
 * Argument parsing with Redis's exact acceptance rules, shared by every handler:
 * - integers as string2ll: optional '-', digits, no leading zeros or '+', within int64;
 * - floats as strtod/strtold: decimal or exponent notation, `inf`/`+inf`/`-inf`, never NaN,
 *   no surrounding spaces.
 */

const INT_RE = /^-?(0|[1-9]\d{0,18})$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INF_RE = /^[+-]?inf(inity)?$/i;

export { INT64_MIN, INT64_MAX };

/** int64 as bigint, or null when `s` is not a canonical 64-bit integer. */
export function parseInt64(s: string): bigint | null {
  if (!INT_RE.test(s) || s === '-0') return null;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? null : n;
}

/**
 * A canonical integer as a JS number, or null. Integers beyond 2^53 but within int64 are
 * returned rounded (fine for counts, indexes and offsets, which are clamped by sizes anyway).
 */
export function parseInteger(s: string): number | null {
  if (!INT_RE.test(s) || s === '-0') return null;
  const n = Number(s);
  // 2^63 itself rounds to a double below 9.3e18, so check exactly anywhere near the int64 limits.
  if (Math.abs(n) >= 9.2e18) {
    const b = BigInt(s);
    if (b < INT64_MIN || b > INT64_MAX) return null;
  }
  return n;
}

/** A double as strtod reads it (inf allowed, NaN refused), or null. */
export function parseDouble(s: string): number | null {
  if (FLOAT_RE.test(s)) {
    const d = Number(s);
    return Number.isNaN(d) ? null : d;
  }
  if (INF_RE.test(s)) return s.charCodeAt(0) === 45 ? -Infinity : Infinity;
  return null;
}

/** Case-insensitive ASCII comparison of an argument with a lower-case keyword. */
export function isWord(arg: string, lower: string): boolean {
  return arg.length === lower.length && arg.toLowerCase() === lower;
}
