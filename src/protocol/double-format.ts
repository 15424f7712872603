/**
 * Double formatting exactly as Redis 7.0 prints doubles on the wire.
 *
 * - `formatDouble`: printf("%.17g") — what addReplyDouble and d2string use for scores
 *   (so 1.1 prints as 1.1000000000000001, as real Redis 7.0 does), with inf/-inf/nan spelled out.
 * - `formatHumanDouble`: the fixed-point, trailing-zero-trimmed form of INCRBYFLOAT/HINCRBYFLOAT
 *   (ld2string LD_STR_HUMAN). Redis computes those in long double; we use the shortest
 *   round-trip double, which agrees for the values people actually add.
 */

function stripFraction(s: string): string {
  if (s.indexOf('.') === -1) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  if (Number.isInteger(d) && Math.abs(d) < 1e17) return String(d);
  const exp = d.toExponential(16);
  const e = exp.indexOf('e');
  const power = Number(exp.slice(e + 1));
  if (power < -4 || power >= 17) {
    const mant = stripFraction(exp.slice(0, e));
    const abs = Math.abs(power);
    return `${mant}e${power < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  return stripFraction(d.toFixed(16 - power));
}

export function formatHumanDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Object.is(d, -0)) return '0';
  const s = String(d);
  if (s.indexOf('e') === -1) return s;
  // Large or tiny magnitudes: Redis prints them in full fixed notation, never with an exponent.
  if (Math.abs(d) >= 1) return BigInt(Math.round(d)).toString();
  return stripFraction(d.toFixed(Math.min(100, 17 + Math.ceil(-Math.log10(Math.abs(d))))));
}
