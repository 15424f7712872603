/**
 * INCRBYFLOAT/HINCRBYFLOAT arithmetic exactly as Redis does it on x86-64: both operands are read
 * with strtold into an 80-bit long double (64-bit significand), added in long double, and printed
 * with "%.17Lf" with trailing zeros trimmed (ld2string LD_STR_HUMAN).
 *
 * A long double is emulated as m * 2^e with a BigInt significand of at most 64 bits; every step
 * rounds half to even like the x87 unit, so results match Redis byte for byte, including its
 * artefacts (200 + 0.1 → 200.10000000000000001) and its range (1e400 is finite).
 */

const DEC_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const SIG_BITS = 64;
/** Largest binary exponent of a long double (values at or above 2^16384 overflow). */
const MAX_EXP2 = 16384;
const MAX_DEC_EXP = 5000;

interface LD {
  neg: boolean;
  m: bigint;
  e: number;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Rounds n / 2^shift to the nearest integer, ties to even. */
function shiftRound(n: bigint, shift: number): bigint {
  if (shift <= 0) return n << BigInt(-shift);
  const s = BigInt(shift);
  const q = n >> s;
  const rem = n - (q << s);
  const half = 1n << (s - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Normalises an exact value num * 2^e (num ≥ 0) to 64 significant bits. */
function normalize(neg: boolean, num: bigint, e: number): LD {
  const len = bitLength(num);
  if (len <= SIG_BITS) return { neg, m: num, e };
  let m = shiftRound(num, len - SIG_BITS);
  let exp = e + (len - SIG_BITS);
  if (bitLength(m) > SIG_BITS) {
    m >>= 1n;
    exp++;
  }
  return { neg, m, e: exp };
}

const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^[+-]?inf(inity)?$/i;

/** A hex float is binary: exact as mantissa × 2^exp, rounded once to 64 bits. */
function parseHex(r: RegExpExecArray): LD | null {
  const int = r[2] ?? '';
  const frac = r[3] ?? '';
  if (int.length + frac.length === 0) return null;
  const m = BigInt(`0x${int}${frac}`);
  const e = (r[4] === undefined ? 0 : Number(r[4])) - 4 * frac.length;
  if (Math.abs(e) > MAX_EXP2 * 2) return null;
  return normalize(r[1] === '-', m, e);
}

/** strtold of a decimal or hex text, or null when it is not a finite number read exactly here. */
function parse(text: string): LD | null {
  const hex = HEX_RE.exec(text);
  if (hex !== null) return parseHex(hex);
  const r = DEC_RE.exec(text);
  if (r === null || (r[2] === '' && (r[3] ?? '') === '')) return null;
  const neg = r[1] === '-';
  const frac = r[3] ?? '';
  const dexp = (r[4] === undefined ? 0 : Number(r[4])) - frac.length;
  const digits = BigInt((r[2] || '0') + frac);
  if (digits === 0n) return { neg, m: 0n, e: 0 };
  if (Math.abs(dexp) > MAX_DEC_EXP) return null;
  if (dexp >= 0) return normalize(neg, digits * 10n ** BigInt(dexp), 0);
  // value = digits / 10^-dexp: scale so the quotient has at least 66 bits, then round once.
  const den = 10n ** BigInt(-dexp);
  const k = SIG_BITS + 2 + Math.max(0, bitLength(den) - bitLength(digits));
  const num = digits << BigInt(k);
  const q = num / den;
  const sticky = num % den === 0n ? 0n : 1n;
  // Append a sticky bit so the final rounding sees "above half" when the division was inexact.
  return normalize(neg, (q << 1n) | sticky, -k - 1);
}

function add(a: LD, b: LD): LD {
  const e = Math.min(a.e, b.e);
  const x = a.m << BigInt(a.e - e);
  const y = b.m << BigInt(b.e - e);
  const sum = (a.neg ? -x : x) + (b.neg ? -y : y);
  return normalize(sum < 0n, sum < 0n ? -sum : sum, e);
}

/** printf("%.17Lf") with trailing zeros (and a bare '.') trimmed, and "-0" as "0". */
function format(v: LD): string {
  let text: string;
  if (v.e >= 0) {
    text = (v.m << BigInt(v.e)).toString();
  } else {
    const scaled = shiftRound(v.m * 10n ** 17n, -v.e);
    const s = scaled.toString().padStart(18, '0');
    const int = s.slice(0, s.length - 17);
    const frac = s.slice(s.length - 17).replace(/0+$/, '');
    text = frac === '' ? int : `${int}.${frac}`;
  }
  return v.neg && text !== '0' ? `-${text}` : text;
}

/**
 * a + b as Redis's INCRBYFLOAT computes and prints it. Returns null when either operand is not a
 * valid number, and 'overflow' when the sum is not finite in long double (an infinite operand
 * included). Callers validate operands first (args.ts parseLongDouble: Redis's string2ld).
 */
export function incrByFloat(a: string, b: string): string | null | 'overflow' {
  if (INF_RE.test(a) || INF_RE.test(b)) return 'overflow';
  const x = parse(a);
  const y = parse(b);
  if (x === null || y === null) return null;
  const sum = add(x, y);
  if (sum.m !== 0n && bitLength(sum.m) + sum.e > MAX_EXP2) return 'overflow';
  return format(sum);
}

/** True when `text` is a number strtold reads completely (Redis string2ld), NaN excluded. */
export function isLongDouble(text: string): boolean {
  return parse(text) !== null;
}
