/**
 * C library number and keyword parsing as Redis 7.0 uses it (util.c string2ll/string2d/string2ld,
 * strtod, strtoul, strcasecmp), over latin1 strings (one char per byte). A leaf: no imports, so
 * config, handlers and tests share one implementation. Redis reads some arguments as binary-safe
 * sds strings and others as C strings (ending at the first NUL byte); each parser says which.
 *
 * - integers as string2ll: optional '-', digits, no leading zeros, no '+', no spaces, within
 *   int64, the whole argument (a NUL inside fails);
 * - doubles as string2d: C strtod over the whole argument, no leading space, `inf`/`infinity` any
 *   case, hex floats, NaN refused, overflow and underflow to 0 refused;
 * - long doubles as string2ld: strtold with the 80-bit range;
 * - score bounds as zslParseRange: plain strtod up to the C string's end, so '' and ' 1' are 0
 *   and 1, overflow is ±inf, only NaN is refused; an optional '(' first;
 * - SCAN cursors as strtoul up to the C string's end;
 * - keywords as strcasecmp: case-insensitive, and the argument ends at its first NUL.
 */

const INT_RE = /^-?(0|[1-9]\d{0,18})$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export { INT64_MIN, INT64_MAX };

/** int64 as bigint, or null when `s` is not a canonical 64-bit integer (string2ll). */
export function parseInt64(s: string): bigint | null {
  if (!INT_RE.test(s) || s === '-0') return null;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? null : n;
}

/**
 * A canonical integer (string2ll) as a JS number, or null. Integers beyond 2^53 but within int64
 * are returned rounded (fine for counts, indexes and offsets, which are clamped by sizes anyway);
 * callers that must tell LONG_MIN from -LONG_MAX use parseInt64 or rangeOrReply.
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

/** The argument as C code sees it: up to its first NUL byte. */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/** Case-insensitive keyword comparison as strcasecmp(arg, lower): the argument ends at a NUL. */
export function isWord(arg: string, lower: string): boolean {
  if (arg.length === lower.length) return arg.toLowerCase() === lower;
  return arg.length > lower.length && arg.charCodeAt(lower.length) === 0 && arg.slice(0, lower.length).toLowerCase() === lower;
}

/** The argument lower-cased as strcasecmp compares it (up to its first NUL). */
export function keyword(arg: string): string {
  return cString(arg).toLowerCase();
}

/** Result of C strtod/strtold over a string: the value, where parsing stopped, range errors. */
export interface StrtodResult {
  value: number;
  /** Index of the first character not consumed (0 when nothing was converted). */
  end: number;
  /** errno ERANGE: the exact value overflows, or underflows to zero. */
  overflow: boolean;
  underflow: boolean;
}

const HEX_DIGIT = /[0-9a-fA-F]/;

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** Decimal exponent range of an 80-bit long double: above ~1.19e4932 overflows, below ~1.8e-4951 is 0. */
const LD_MAX_LOG10 = 4932.0754;
const LD_MIN_LOG10 = -4950.44;

/** log10 of a decimal mantissa (digits, dot allowed) times 10^exp; -Infinity for zero. */
function decimalLog10(mantissa: string, exp: number): number {
  const digits = mantissa.replace('.', '');
  const first = digits.search(/[1-9]/);
  if (first === -1) return -Infinity;
  const dot = mantissa.indexOf('.');
  const intDigits = dot === -1 ? mantissa.length : dot;
  const lead = Number(`0.${digits.slice(first, first + 17)}`);
  return Math.log10(lead) + (intDigits - first) + exp;
}

/**
 * C strtod (glibc, C locale) over `s` from `from`, treating `s` as ending at its first NUL:
 * leading whitespace, sign, decimal or hex float, `inf`/`infinity`, `nan`/`nan(chars)`.
 * With `longDouble`, range errors follow strtold's 80-bit range (the value stays a double).
 */
export function strtod(s: string, from = 0, longDouble = false): StrtodResult {
  const none: StrtodResult = { value: 0, end: from, overflow: false, underflow: false };
  let i = from;
  const n = s.length;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const rest = s.slice(i, i + 8).toLowerCase();
  if (rest.startsWith('inf')) {
    const end = i + (rest.startsWith('infinity') ? 8 : 3);
    return { value: neg ? -Infinity : Infinity, end, overflow: false, underflow: false };
  }
  if (rest.startsWith('nan')) {
    let end = i + 3;
    const m = /^\([0-9A-Za-z_]*\)/.exec(s.slice(end));
    if (m !== null) end += m[0].length;
    return { value: NaN, end, overflow: false, underflow: false };
  }
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X')) {
    const hex = /^([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?/.exec(s.slice(i + 2))!;
    const int = hex[1] ?? '';
    const frac = hex[2] ?? '';
    if (int.length + frac.length > 0 && (HEX_DIGIT.test(int) || HEX_DIGIT.test(frac))) {
      let end = i + 2 + hex[0].length;
      let exp = 0;
      const p = /^[pP]([+-]?\d+)/.exec(s.slice(end));
      if (p !== null) {
        exp = Number(p[1]);
        end += p[0].length;
      }
      return finishHex(neg, int + frac, exp - 4 * frac.length, end, longDouble);
    }
  }
  const dec = /^(\d*)(?:\.(\d*))?/.exec(s.slice(i))!;
  const int = dec[1] ?? '';
  const frac = dec[2] ?? '';
  if (int.length + frac.length === 0) return none;
  let end = i + dec[0].length;
  let exp = 0;
  const e = /^[eE]([+-]?\d+)/.exec(s.slice(end));
  if (e !== null) {
    exp = Number(e[1]);
    end += e[0].length;
  }
  const text = s.slice(i, end);
  let value = Number(text);
  const log10 = decimalLog10(frac.length > 0 ? `${int}.${frac}` : int, Number.isFinite(exp) ? exp : Math.sign(exp) * 1e6);
  let overflow = false;
  let underflow = false;
  if (longDouble) {
    overflow = log10 > LD_MAX_LOG10;
    underflow = log10 !== -Infinity && log10 < LD_MIN_LOG10;
    if (overflow) value = Infinity;
    if (underflow) value = 0;
  } else {
    overflow = value === Infinity;
    underflow = value === 0 && log10 !== -Infinity;
  }
  return { value: neg ? -value : value, end, overflow, underflow };
}

/** v * 2^e without intermediate overflow or underflow of the power itself. */
function scale2(v: number, e: number): number {
  while (e > 1000) {
    v *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    v *= 2 ** -1000;
    e += 1000;
  }
  return v * 2 ** e;
}

function finishHex(neg: boolean, digits: string, exp2: number, end: number, longDouble: boolean): StrtodResult {
  let mant = BigInt(`0x${digits}`);
  if (mant === 0n) return { value: neg ? -0 : 0, end, overflow: false, underflow: false };
  const bits = mant.toString(2).length;
  const log2 = bits - 1 + exp2;
  if (bits > 64) {
    // Keep 64 bits and a sticky bit, so the conversion to a double rounds once, correctly.
    const shift = BigInt(bits - 64);
    const sticky = mant & ((1n << shift) - 1n) ? 1n : 0n;
    mant = (mant >> shift) | sticky;
    exp2 += bits - 64;
  }
  let value = scale2(Number(mant), exp2);
  let overflow: boolean;
  let underflow: boolean;
  if (longDouble) {
    overflow = log2 >= 16384;
    underflow = log2 < -16446;
  } else {
    overflow = value === Infinity;
    underflow = value === 0;
  }
  if (overflow) value = Infinity;
  return { value: neg ? -value : value, end, overflow, underflow };
}

/** string2d: the whole argument is a double (inf allowed; NaN, overflow, underflow to 0, leading space refused). */
export function parseDouble(s: string): number | null {
  if (s.length === 0 || isSpace(s.charCodeAt(0))) return null;
  const r = strtod(s);
  if (r.end !== s.length || r.overflow || (r.underflow && r.value === 0) || Number.isNaN(r.value)) return null;
  return r.value;
}

/**
 * string2ld: the whole argument (under 5 KiB) is a long double. The value comes back as a double
 * (±Infinity beyond the double range, which a long double still holds).
 */
export function parseLongDouble(s: string): number | null {
  if (s.length === 0 || s.length >= 5 * 1024 || isSpace(s.charCodeAt(0))) return null;
  const r = strtod(s, 0, true);
  if (r.end !== s.length || r.overflow || r.underflow || Number.isNaN(r.value)) return null;
  return r.value;
}

/** A zset score bound (zslParseRange): `(` makes it exclusive; null only when not a number up to the C string's end, or NaN. */
export function parseScoreBound(s: string): { value: number; exclusive: boolean } | null {
  const exclusive = s.charCodeAt(0) === 40;
  const c = cString(s);
  const r = strtod(c, exclusive ? 1 : 0);
  if (r.end !== c.length || Number.isNaN(r.value)) return null;
  return { value: r.value, exclusive };
}

/** A SCAN cursor as strtoul reads it (parseScanCursorOrReply); null when invalid. Values past 2^53 are rounded. */
export function parseScanCursor(s: string): number | null {
  if (s.length > 0 && isSpace(s.charCodeAt(0))) return null;
  const c = cString(s);
  const m = /^([+-]?)(\d*)$/.exec(c);
  if (m === null) return null;
  if (m[2] === '') return m[1] === '' ? 0 : null;
  const v = BigInt(m[2]!);
  if (v > 2n ** 64n - 1n) return null;
  return Number(m[1] === '-' && v !== 0n ? 2n ** 64n - v : v);
}
