/**
 * Argument parsing for handlers: Redis's object.c `…OrReply` helpers (getLongLongFromObjectOrReply,
 * getRangeLongFromObjectOrReply, getPositiveLongFromObjectOrReply, getIntFromObjectOrReply,
 * getDoubleFromObjectOrReply, getTimeoutFromObjectOrReply) and database indexes, each writing
 * Redis's exact error text and returning null on failure. The parsing itself follows Redis's C
 * rules exactly and lives in util/c-parse.ts (re-exported here for handlers).
 */

import type { Db } from '../keyspace/db.js';
import { INT64_MAX, parseDouble, parseInt64, parseInteger, parseLongDouble } from '../util/c-parse.js';
import type { ClientContext } from './context.js';

export * from '../util/c-parse.js';

/** getLongLongFromObjectOrReply: an int64 (as a number, rounded past 2^53), or null after replying. */
export function longOrReply(c: ClientContext, s: string, msg?: string): number | null {
  const n = parseInteger(s);
  if (n === null) c.reply.error(`ERR ${msg ?? 'value is not an integer or out of range'}`);
  return n;
}

/**
 * getRangeLongFromObjectOrReply: an int64 within [min, max] (bigint bounds are exact), or null
 * after replying Redis's "value is out of range, value must between min and max" (or `msg`).
 */
export function rangeOrReply(c: ClientContext, s: string, min: bigint, max: bigint, msg?: string): number | null {
  const n = parseInt64(s);
  if (n === null) {
    c.reply.error(`ERR ${msg ?? 'value is not an integer or out of range'}`);
    return null;
  }
  if (n < min || n > max) {
    c.reply.error(`ERR ${msg ?? `value is out of range, value must between ${min} and ${max}`}`);
    return null;
  }
  return Number(n);
}

/** getPositiveLongFromObjectOrReply: an int64 ≥ 0. */
export function positiveOrReply(c: ClientContext, s: string, msg = 'value is out of range, must be positive'): number | null {
  return rangeOrReply(c, s, 0n, INT64_MAX, msg);
}

/** getIntFromObjectOrReply: a C int. */
export function intOrReply(c: ClientContext, s: string, msg?: string): number | null {
  return rangeOrReply(c, s, -2147483648n, 2147483647n, msg);
}

/** getDoubleFromObjectOrReply. */
export function doubleOrReply(c: ClientContext, s: string, msg = 'value is not a valid float'): number | null {
  const d = parseDouble(s);
  if (d === null) c.reply.error(`ERR ${msg}`);
  return d;
}

/**
 * getTimeoutFromObjectOrReply: a blocking timeout in ms (0 = forever): seconds as a long double
 * rounded up to a millisecond, or milliseconds as an integer; null after replying.
 */
export function timeoutOrReply(c: ClientContext, s: string, seconds: boolean): number | null {
  let ms: number;
  if (seconds) {
    const t = parseLongDouble(s);
    if (t === null) {
      c.reply.error('ERR timeout is not a float or out of range');
      return null;
    }
    const scaled = Math.ceil(t * 1000);
    // A C cast of a value outside long long gives LLONG_MIN on x86-64: negative.
    ms = scaled >= 2 ** 63 || scaled < -(2 ** 63) || Number.isNaN(scaled) ? -1 : scaled;
  } else {
    const n = parseInteger(s);
    if (n === null) {
      c.reply.error('ERR timeout is not an integer or out of range');
      return null;
    }
    ms = n;
  }
  if (ms < 0) {
    c.reply.error('ERR timeout is negative');
    return null;
  }
  return ms;
}

/** A database index as SELECT/MOVE/COPY read it (getIntFromObjectOrReply, then the range); null after replying. */
export function dbOrReply(c: ClientContext, s: string): Db | null {
  const n = intOrReply(c, s);
  if (n === null) return null;
  const db = c.server.keyspace.dbs[n];
  if (db === undefined) {
    c.reply.error('ERR DB index is out of range');
    return null;
  }
  return db;
}
