/**
 * Reply decoders: turn a parsed reply (RespValue) into the JS type a typed method promises, so a
 * method returns the same shape on RESP2 and RESP3, on redis-server and ringcache-server.
 *
 * Replies reach the decoders in RESP2's shape on either protocol (the connection's parser maps
 * RESP3 types, protocol/reply-nesting.ts re-nests); the decoders still accept the RESP3 forms
 * below, so they hold for any RespValue. What differs between the protocols:
 * - maps (HGETALL, …): a RESP3 Map or a RESP2 flat [k, v, k, v] array → a plain object;
 * - doubles (ZSCORE, ZINCRBY, scores in ranges): a RESP3 double or a RESP2 bulk string → number
 *   (`inf`/`-inf` → ±Infinity);
 * - scored members (ZRANGE … WITHSCORES, ZPOPMIN, ZRANDMEMBER): RESP3 nests [member, score] pairs,
 *   RESP2 (and RESP3 ZPOPMIN without count) is flat → `{ member, score }[]` either way;
 * - field/value pairs (HRANDFIELD … WITHVALUES): nested or flat → `[field, value][]`.
 *
 * Decoders are module-level constants (no closure per call). `*Buf` decoders expect the command to
 * have been sent in buffer mode, so bulk strings arrive as Buffers.
 */

import type { RespValue } from '../../protocol/resp-types.js';

export type Decoder<T> = (v: RespValue) => T;

/** A sorted-set member with its score. */
export interface ScoredMember<M = string> {
  /** The member (a Buffer in the *Buffer methods). */
  member: M;
  /** Its score (±Infinity for `inf`/`-inf`). */
  score: number;
}

/** What BZPOPMIN / BZPOPMAX popped: the key it came from, the member and its score. */
export interface KeyedScoredMember extends ScoredMember {
  /** The key the member was popped from. */
  key: string;
}

/** LCS … IDX's answer: the matching ranges and the LCS's length. */
export interface LcsIdxResult {
  /** The matches, from the end of the strings backwards (as Redis lists them). */
  matches: LcsMatch[];
  /** The length of the longest common subsequence. */
  len: number;
}

/** One page of a SCAN-family cursor walk. */
export interface ScanPage<T> {
  /** '0' when the walk is complete. */
  cursor: string;
  /** This page's items (may be empty while the cursor is not '0'). */
  items: T[];
}

export function text(v: RespValue): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (v === null) return '';
  return String(v);
}

export function bytes(v: RespValue): Buffer {
  if (Buffer.isBuffer(v)) return v;
  return Buffer.from(text(v), 'utf8');
}

export const str: Decoder<string> = text;
export const buf: Decoder<Buffer> = bytes;
export const strOrNull: Decoder<string | null> = (v) => (v === null ? null : text(v));
export const bufOrNull: Decoder<Buffer | null> = (v) => (v === null ? null : bytes(v));

export const int: Decoder<number> = (v) => (typeof v === 'number' ? v : Number(typeof v === 'bigint' ? v : text(v)));
export const intOrNull: Decoder<number | null> = (v) => (v === null ? null : int(v));
/** Integer replies that mean yes/no (1/0), and RESP3 booleans. */
export const bool: Decoder<boolean> = (v) => v === true || v === 1 || v === '1';

/** A double from a RESP3 double or a RESP2 bulk string. */
export const double: Decoder<number> = (v) => {
  if (typeof v === 'number') return v;
  const t = text(v);
  if (t === 'inf' || t === '+inf') return Infinity;
  if (t === '-inf') return -Infinity;
  return Number(t);
};
export const doubleOrNull: Decoder<number | null> = (v) => (v === null ? null : double(v));

/** 'OK' (and other status replies) as a string. */
export const status: Decoder<'OK'> = () => 'OK';

function list<T>(item: Decoder<T>): Decoder<T[]> {
  return (v) => (Array.isArray(v) ? v.map(item) : []);
}
function listOrNull<T>(item: Decoder<T>): Decoder<T[] | null> {
  return (v) => (Array.isArray(v) ? v.map(item) : null);
}

export const strList = list(str);
export const bufList = list(buf);
export const strOrNullList = list(strOrNull);
export const bufOrNullList = list(bufOrNull);
export const boolList = list(bool);
export const intList = list(int);
export const doubleOrNullList = list(doubleOrNull);
export const strListOrNull = listOrNull(str);
export const bufListOrNull = listOrNull(buf);

/** Flattens a Map or a flat/nested pair array into [k, v] tuples. */
function entries(v: RespValue): [RespValue, RespValue][] {
  const out: [RespValue, RespValue][] = [];
  if (v instanceof Map) for (const [k, x] of v) out.push([k, x]);
  else if (Array.isArray(v)) {
    if (v.length > 0 && Array.isArray(v[0])) for (const p of v as RespValue[][]) out.push([p[0] ?? null, p[1] ?? null]);
    else for (let i = 0; i + 1 < v.length; i += 2) out.push([v[i]!, v[i + 1]!]);
  }
  return out;
}

/** A map-shaped reply as an object without a prototype, so any field name (`__proto__`…) is kept as data. */
function record<T>(value: Decoder<T>): Decoder<Record<string, T>> {
  return (v) => {
    const out = Object.create(null) as Record<string, T>;
    for (const [k, x] of entries(v)) out[text(k)] = value(x);
    return out;
  };
}

function pairs<T>(value: Decoder<T>): Decoder<[string, T][]> {
  return (v) => entries(v).map(([k, x]) => [text(k), value(x)]);
}

function scored<M>(member: Decoder<M>): Decoder<ScoredMember<M>[]> {
  return (v) => entries(v).map(([m, s]) => ({ member: member(m), score: double(s) }));
}

export const strRecord = record(str);
export const bufRecord = record(buf);
export const strPairs = pairs(str);
export const scoredList = scored(str);
export const scoredBufList = scored(buf);

/** ZPOPMIN/ZPOPMAX without count: [member, score] or empty. */
export const scoredOne: Decoder<ScoredMember | null> = (v) => scoredList(v)[0] ?? null;

function scanPage<T>(items: Decoder<T[]>): Decoder<ScanPage<T>> {
  return (v) => {
    const a = Array.isArray(v) ? v : [];
    return { cursor: text(a[0] ?? '0'), items: items(a[1] ?? []) };
  };
}

export const keyPage = scanPage(strList);
export const hashPage = scanPage(strPairs);
export const memberPage = scanPage(strList);
export const scoredPage = scanPage(scoredList);

/** BZPOPMIN/BZPOPMAX: [key, member, score] or null. */
export const keyedScored: Decoder<KeyedScoredMember | null> = (v) =>
  Array.isArray(v) && v.length >= 3 ? { key: text(v[0]!), member: text(v[1]!), score: double(v[2]!) } : null;

/** Integers kept exact: a number when it is safe, else a bigint (BITFIELD's 64-bit fields); null stays null. */
export const exactIntOrNull: Decoder<number | bigint | null> = (v) => {
  if (v === null || typeof v === 'number' || typeof v === 'bigint') return v;
  const n = BigInt(text(v));
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
};
export const exactIntOrNullList = list(exactIntOrNull);

/** One LCS IDX match: inclusive byte ranges in the first and the second value, and its length when asked. */
export interface LcsMatch {
  /** The match's [start, end] byte range in the first value. */
  a: [number, number];
  /** The match's [start, end] byte range in the second value. */
  b: [number, number];
  /** The match's length (with `withMatchLen`). */
  len?: number;
}

function range(v: RespValue | undefined): [number, number] {
  return Array.isArray(v) ? [int(v[0] ?? 0), int(v[1] ?? 0)] : [0, 0];
}

/** LCS … IDX: `{ matches, len }` from a RESP3 map or a RESP2 flat array. */
export const lcsIdx: Decoder<LcsIdxResult> = (v) => {
  const out: LcsIdxResult = { matches: [], len: 0 };
  for (const [k, x] of entries(v)) {
    if (text(k) === 'len') out.len = int(x);
    else if (Array.isArray(x)) {
      for (const m of x) {
        if (!Array.isArray(m)) continue;
        const match: LcsMatch = { a: range(m[0]), b: range(m[1]) };
        if (m.length > 2) match.len = int(m[2]!);
        out.matches.push(match);
      }
    }
  }
  return out;
};
