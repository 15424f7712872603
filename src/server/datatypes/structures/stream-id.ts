/**
 * Stream entry IDs (Redis streamID): `<ms>-<seq>`, both unsigned 64-bit. JS numbers are exact only
 * to 2^53, so each part is held as two uint32 halves (hi, lo); every operation is exact over the
 * whole range (the Tcl suite uses 18446744073709551615-18446744073709551615). IDs are immutable
 * values; `idKey` gives an 8-character string whose code-unit order is the numeric order (16-bit
 * chunks, big-endian: Redis's 128-bit big-endian rax key), used by the ordered maps of the PEL.
 *
 * Parsing follows streamGenericParseIDOrReply: at most 127 characters, read up to the first NUL
 * (a C string), `-`/`+` for the extremes
 * (refused in strict mode), the first '-' splits ms from seq, each part read as Redis's
 * string2ull (canonical int64 first, else strtoull: leading blanks, a sign — a negative value
 * wraps — and digits, no overflow), `<ms>-*` only where the caller accepts it.
 */

import { cString } from '../../util/c-parse.js';

const TWO32 = 4294967296;

export class StreamId {
  constructor(
    readonly msHi: number,
    readonly msLo: number,
    readonly seqHi: number,
    readonly seqLo: number,
  ) {}
}

export const ZERO_ID = new StreamId(0, 0, 0, 0);
export const MAX_ID = new StreamId(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff);

/** An ID from parts below 2^53 (a clock reading, small sequences). */
export function idFrom(ms: number, seq: number): StreamId {
  return new StreamId(Math.floor(ms / TWO32), ms >>> 0, Math.floor(seq / TWO32), seq >>> 0);
}

export function cmpId(a: StreamId, b: StreamId): number {
  if (a.msHi !== b.msHi) return a.msHi < b.msHi ? -1 : 1;
  if (a.msLo !== b.msLo) return a.msLo < b.msLo ? -1 : 1;
  if (a.seqHi !== b.seqHi) return a.seqHi < b.seqHi ? -1 : 1;
  if (a.seqLo !== b.seqLo) return a.seqLo < b.seqLo ? -1 : 1;
  return 0;
}

export function isZeroId(a: StreamId): boolean {
  return a.msHi === 0 && a.msLo === 0 && a.seqHi === 0 && a.seqLo === 0;
}

export function isMaxId(a: StreamId): boolean {
  return a.msHi === 0xffffffff && a.msLo === 0xffffffff && a.seqHi === 0xffffffff && a.seqLo === 0xffffffff;
}

/** The next ID (streamIncrID), or null when `a` is the largest one. */
export function nextId(a: StreamId): StreamId | null {
  if (a.seqLo !== 0xffffffff) return new StreamId(a.msHi, a.msLo, a.seqHi, a.seqLo + 1);
  if (a.seqHi !== 0xffffffff) return new StreamId(a.msHi, a.msLo, a.seqHi + 1, 0);
  if (a.msLo !== 0xffffffff) return new StreamId(a.msHi, a.msLo + 1, 0, 0);
  if (a.msHi !== 0xffffffff) return new StreamId(a.msHi + 1, 0, 0, 0);
  return null;
}

/** The previous ID (streamDecrID), or null when `a` is 0-0. */
export function prevId(a: StreamId): StreamId | null {
  if (a.seqLo !== 0) return new StreamId(a.msHi, a.msLo, a.seqHi, a.seqLo - 1);
  if (a.seqHi !== 0) return new StreamId(a.msHi, a.msLo, a.seqHi - 1, 0xffffffff);
  if (a.msLo !== 0) return new StreamId(a.msHi, a.msLo - 1, 0xffffffff, 0xffffffff);
  if (a.msHi !== 0) return new StreamId(a.msHi - 1, 0xffffffff, 0xffffffff, 0xffffffff);
  return null;
}

/** Decimal text of the unsigned 64-bit value hi·2^32 + lo. */
export function u64Text(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * TWO32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

export function formatId(a: StreamId): string {
  return `${u64Text(a.msHi, a.msLo)}-${u64Text(a.seqHi, a.seqLo)}`;
}

/** The 8-character ordering key (16-bit chunks, most significant first). */
export function idKey(a: StreamId): string {
  return String.fromCharCode(
    a.msHi >>> 16,
    a.msHi & 0xffff,
    a.msLo >>> 16,
    a.msLo & 0xffff,
    a.seqHi >>> 16,
    a.seqHi & 0xffff,
    a.seqLo >>> 16,
    a.seqLo & 0xffff,
  );
}

export function idFromKey(k: string): StreamId {
  const c = (i: number): number => k.charCodeAt(i);
  return new StreamId(c(0) * 65536 + c(1), c(2) * 65536 + c(3), c(4) * 65536 + c(5), c(6) * 65536 + c(7));
}

const CANONICAL_SMALL = /^(0|[1-9]\d{0,14})$/;
const CANONICAL_NEGATIVE = /^-[1-9]\d{0,18}$/;
const INT64_MIN = -(1n << 63n);
const STRTOULL = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/;
const U64_MAX = (1n << 64n) - 1n;
const U64_MOD = 1n << 64n;

/** Redis string2ull: [hi, lo], or null when the text is not an unsigned 64-bit number. */
export function parseU64(text: string): [number, number] | null {
  if (CANONICAL_SMALL.test(text)) {
    const n = Number(text);
    return [Math.floor(n / TWO32), n >>> 0];
  }
  // A canonical negative int64 is refused (string2ll succeeds, then the sign fails); anything
  // else goes to strtoull, where a leading '-' wraps around.
  if (CANONICAL_NEGATIVE.test(text) && BigInt(text) >= INT64_MIN) return null;
  const m = STRTOULL.exec(text);
  if (m === null) return null;
  let v = BigInt(m[2]!);
  if (v > U64_MAX) return null;
  if (m[1] === '-') v = (U64_MOD - v) % U64_MOD;
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}

/** Outcome of parsing an ID argument: the ID and whether its sequence was given (`<ms>-*` not). */
export interface ParsedId {
  id: StreamId;
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply without the reply: null when invalid. `missingSeq` fills an absent
 * sequence (0 for starts, UINT64_MAX for ends); `strict` refuses `-` and `+`; `allowAutoSeq`
 * accepts `<ms>-*` (XADD).
 */
export function parseStreamId(whole: string, missingSeq: 'min' | 'max', strict: boolean, allowAutoSeq = false): ParsedId | null {
  if (whole.length > 127) return null;
  // Redis copies the argument into a C buffer: the ID ends at its first NUL byte.
  const text = cString(whole);
  if (text === '-') return strict ? null : { id: ZERO_ID, seqGiven: true };
  if (text === '+') return strict ? null : { id: MAX_ID, seqGiven: true };
  const dash = text.indexOf('-');
  const ms = parseU64(dash === -1 ? text : text.slice(0, dash));
  if (ms === null) return null;
  if (dash === -1) {
    const s = missingSeq === 'min' ? 0 : 0xffffffff;
    return { id: new StreamId(ms[0], ms[1], s, s), seqGiven: true };
  }
  const seqText = text.slice(dash + 1);
  if (allowAutoSeq && seqText === '*') return { id: new StreamId(ms[0], ms[1], 0, 0), seqGiven: false };
  const seq = parseU64(seqText);
  if (seq === null) return null;
  return { id: new StreamId(ms[0], ms[1], seq[0], seq[1]), seqGiven: true };
}
