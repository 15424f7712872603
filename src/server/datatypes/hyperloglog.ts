/**
 * HyperLogLog commands (Redis hyperloglog.c): PFADD, PFCOUNT (one key: cached cardinality; several
 * keys: the union's), PFMERGE. Values are Redis's own string representation (structures/hll.ts).
 * A dense value (12,304 bytes) is kept as a ByteString (keyspace/string-value.ts) and edited in
 * place, so PFADD and a PFCOUNT that refreshes the cache touch a few bytes rather than copying the
 * value twice; a sparse one is small and is edited on a working copy stored back as a string.
 *
 * As in Redis: PFCOUNT is read-only yet refreshes a stale cached cardinality, which counts as a
 * change (signalModified, dirty) and so is propagated; PFMERGE sends a `pfadd` event; a value that
 * is not an HLL is WRONGTYPE, a corrupted one INVALIDOBJ.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import * as R from '../dispatch/replies.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { BYTES_MIN, ByteString, strText, stringOf, type StringValue } from '../keyspace/string-value.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { HLL_DENSE, HLL_REGISTERS, HllValue, cachedCard, hllCreate, hllFromString, hllToString, invalidateCache, isHllString, patLenOf, setCachedCard, denseSet } from './structures/hll.js';
import { hllAddPat, hllCount, hllMerge, rawCount } from './structures/hll-ops.js';
import { sparseSet, sparseToDense } from './structures/hll-sparse.js';

export const INVALID_HLL = 'INVALIDOBJ Corrupted HLL object detected';
const NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';

/** isHLLObjectOrReply: the value when `e` holds a valid HLL; null after replying. */
function hllValue(c: ClientContext, e: Entry): StringValue | null {
  if (e.type !== ValueType.STRING) {
    c.reply.error(R.WRONGTYPE);
    return null;
  }
  const v = stringOf(e);
  if (!isHllString(v)) {
    c.reply.error(NOT_HLL);
    return null;
  }
  return v;
}

/** hllValue as a latin1 string (PFDEBUG). */
export function hllString(c: ClientContext, e: Entry): string | null {
  const v = hllValue(c, e);
  return v === null ? null : strText(v);
}

/**
 * The HLL to work on: a dense ByteString's own bytes (edits land in the value; a dense value
 * never changes length or buffer), else a working copy with `spare` bytes of room.
 */
function working(v: StringValue, spare: number): HllValue {
  if (typeof v !== 'string' && v.buf[4] === HLL_DENSE) return new HllValue(v.buf, v.len);
  return copyOf(v, spare);
}

/** A working copy of the value with `spare` bytes of room (and the zero byte after it). */
function copyOf(v: StringValue, spare: number): HllValue {
  if (typeof v === 'string') return hllFromString(v, spare);
  const buf = Buffer.alloc(v.len + spare + 1);
  v.buf.copy(buf, 0, 0, v.len);
  return new HllValue(buf, v.len);
}

/** The value to store for an edited working copy: its buffer itself once it is big (dense), else a string. */
function stored(h: HllValue): StringValue {
  return h.len >= BYTES_MIN ? ByteString.adopt(h.buf, h.len) : hllToString(h);
}

/** Stores `h` as e's value unless it is the value's own bytes. */
function storeBack(e: Entry, v: StringValue, h: HllValue): void {
  if (typeof v !== 'string' && h.buf === v.buf) return;
  e.value = stored(h);
}

export function sparseMaxBytes(c: ClientContext): number {
  return c.server.config.int('hll-sparse-max-bytes');
}

function pfadd(c: ClientContext, argv: string[]): void {
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  let h: HllValue;
  let v: StringValue = '';
  let updated = 0;
  if (e === undefined) {
    h = hllCreate();
    updated++;
  } else {
    const value = hllValue(c, e);
    if (value === null) return;
    v = value;
    h = working(v, 8);
  }
  const max = sparseMaxBytes(c);
  for (let j = 2; j < argv.length; j++) {
    const r = hllAddPat(h, patLenOf(argv[j]!), max);
    if (r === 1) updated++;
    else if (r === -1) {
      // Redis edits in place: registers set before the corruption was met stay set, unannounced.
      if (e !== undefined && updated > 0) {
        storeBack(e, v, h);
        c.db.remeasure(e);
      }
      return c.reply.error(INVALID_HLL);
    }
  }
  if (updated > 0) {
    invalidateCache(h);
    if (e === undefined) c.db.add(key, ValueType.STRING, stored(h));
    else storeBack(e, v, h);
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.STRING, 'pfadd', key);
    c.server.dirty += updated;
  }
  c.reply.integer(updated > 0 ? 1 : 0);
}

/** Merges the HLLs at argv[from..] into `max`; false after replying an error. Sets `dense` when one was dense. */
function mergeKeys(c: ClientContext, argv: string[], from: number, max: Uint8Array, seen: { dense: boolean }): boolean {
  for (let j = from; j < argv.length; j++) {
    const e = c.db.lookupRead(argv[j]!);
    if (e === undefined) continue;
    const v = hllValue(c, e);
    if (v === null) return false;
    const h = working(v, 0); // read only
    if (h.encoding === HLL_DENSE) seen.dense = true;
    if (!hllMerge(max, h)) {
      c.reply.error(INVALID_HLL);
      return false;
    }
  }
  return true;
}

function pfcount(c: ClientContext, argv: string[]): void {
  if (argv.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS);
    if (!mergeKeys(c, argv, 1, max, { dense: false })) return;
    return c.reply.integer(rawCount(max));
  }
  const key = argv[1]!;
  const e = c.db.lookupRead(key);
  if (e === undefined) return c.reply.integer(0);
  const v = hllValue(c, e);
  if (v === null) return;
  const cached = cachedCard(v);
  if (cached >= 0) return c.reply.integer(cached);
  const h = working(v, 0);
  const card = hllCount(h);
  if (card < 0) return c.reply.error(INVALID_HLL);
  // The refreshed cache is a change of the string: signalled and propagated, as Redis does.
  setCachedCard(h, card);
  storeBack(e, v, h);
  c.server.keyspace.signalModified(c.db, key);
  c.server.dirty++;
  c.reply.integer(card);
}

function pfmerge(c: ClientContext, argv: string[]): void {
  const max = new Uint8Array(HLL_REGISTERS);
  const seen = { dense: false };
  if (!mergeKeys(c, argv, 1, max, seen)) return;
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  // The destination, when it exists, was checked among the sources (it is argv[1]). A working
  // copy, not the value's own bytes: sparseToDense may replace the buffer.
  const h = e === undefined ? hllCreate() : copyOf(stringOf(e), 64);
  if (seen.dense && !sparseToDense(h)) return c.reply.error(INVALID_HLL);
  const bytes = sparseMaxBytes(c);
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const v = max[i]!;
    if (v === 0) continue;
    if (h.encoding === HLL_DENSE) denseSet(h.buf, i, v);
    else sparseSet(h, i, v, bytes);
  }
  invalidateCache(h);
  if (e === undefined) c.db.add(key, ValueType.STRING, stored(h));
  else e.value = stored(h);
  c.server.keyspace.signalModified(c.db, key);
  notify(c, Notify.STRING, 'pfadd', key);
  c.server.dirty++;
  c.reply.ok();
}

export const HYPERLOGLOG_HANDLERS: HandlerTable = { pfadd, pfcount, pfmerge };
