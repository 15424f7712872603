/**
 * C's strtod as SORT uses it (`strtod(s, &end)` then "end must be the terminating NUL, no ERANGE,
 * no NaN"), on glibc: the text ends at its first NUL byte; leading white space is skipped; the
 * number is decimal (optional exponent), hexadecimal (`0x…`, optional `p` exponent), `inf` /
 * `infinity` (NaN is refused) in any letter case. An empty text converts nothing and reads as 0. ERANGE
 * is an overflow to infinity, or a non-zero number that comes out subnormal or zero.
 */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?\d+)?$/;
const INF = /^[+-]?inf(inity)?$/i;
const SPACE = /^[\t\n\v\f\r ]+/;
const MIN_NORMAL = 2.2250738585072014e-308;

function hexValue(sign: string, digits: string, exp: string | undefined): number {
  const dot = digits.indexOf('.');
  const frac = dot === -1 ? 0 : digits.length - dot - 1;
  const mant = BigInt(`0x${dot === -1 ? digits : digits.slice(0, dot) + digits.slice(dot + 1) || '0'}`);
  const e = (exp === undefined ? 0 : Number(exp.slice(1))) - 4 * frac;
  const v = Number(mant) * 2 ** e;
  return sign === '-' ? -v : v;
}

/** The value SORT reads from `text`, or null when Redis reports "can't be converted into double". */
export function strtodStrict(text: string): number | null {
  const nul = text.indexOf('\0');
  let s = nul === -1 ? text : text.slice(0, nul);
  if (s === '') return 0;
  s = s.replace(SPACE, '');
  if (DECIMAL.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return null;
    // A decimal subnormal is always inexact: glibc reports ERANGE, as for an underflow to 0.
    if (Math.abs(v) < MIN_NORMAL && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return null;
    return v;
  }
  const m = HEX.exec(s);
  if (m !== null) {
    const v = hexValue(m[1]!, m[2]!, m[3]);
    return Number.isFinite(v) ? v : null;
  }
  if (INF.test(s)) return s.charCodeAt(0) === 45 ? -Infinity : Infinity;
  return null;
}
