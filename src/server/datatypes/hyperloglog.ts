/**
 * HyperLogLog commands (Redis hyperloglog.c): PFADD, PFCOUNT (one key: cached cardinality; several
 * keys: the union's), PFMERGE. Values are Redis's own string representation (structures/hll.ts),
 * edited on a working copy and stored back as a string.
 *
 * As in Redis: PFCOUNT is read-only yet refreshes a stale cached cardinality, which counts as a
 * change (signalModified, dirty) and so is propagated; PFMERGE sends a `pfadd` event; a value that
 * is not an HLL is WRONGTYPE, a corrupted one INVALIDOBJ.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import * as R from '../dispatch/replies.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { strText, stringOf } from '../keyspace/string-value.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { HLL_DENSE, HLL_REGISTERS, HllValue, cachedCard, hllCreate, hllFromString, hllToString, invalidateCache, isHllString, patLenOf, setCachedCard, denseSet } from './structures/hll.js';
import { hllAddPat, hllCount, hllMerge, rawCount } from './structures/hll-ops.js';
import { sparseSet, sparseToDense } from './structures/hll-sparse.js';

export const INVALID_HLL = 'INVALIDOBJ Corrupted HLL object detected';
const NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';

/** isHLLObjectOrReply: the value string when `e` holds a valid HLL; null after replying. */
export function hllString(c: ClientContext, e: Entry): string | null {
  if (e.type !== ValueType.STRING) {
    c.reply.error(R.WRONGTYPE);
    return null;
  }
  const s = strText(stringOf(e));
  if (!isHllString(s)) {
    c.reply.error(NOT_HLL);
    return null;
  }
  return s;
}

export function sparseMaxBytes(c: ClientContext): number {
  return c.server.config.int('hll-sparse-max-bytes');
}

function pfadd(c: ClientContext, argv: string[]): void {
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  let h: HllValue;
  let updated = 0;
  if (e === undefined) {
    h = hllCreate();
    updated++;
  } else {
    const s = hllString(c, e);
    if (s === null) return;
    h = hllFromString(s);
  }
  const max = sparseMaxBytes(c);
  for (let j = 2; j < argv.length; j++) {
    const r = hllAddPat(h, patLenOf(argv[j]!), max);
    if (r === 1) updated++;
    else if (r === -1) {
      // Redis edits in place: registers set before the corruption was met stay set, unannounced.
      if (e !== undefined && updated > 0) {
        e.value = hllToString(h);
        c.db.remeasure(e);
      }
      return c.reply.error(INVALID_HLL);
    }
  }
  if (updated > 0) {
    invalidateCache(h);
    if (e === undefined) c.db.add(key, ValueType.STRING, hllToString(h));
    else e.value = hllToString(h);
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
    const s = hllString(c, e);
    if (s === null) return false;
    const h = hllFromString(s, 0);
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
  const s = hllString(c, e);
  if (s === null) return;
  const cached = cachedCard(s);
  if (cached >= 0) return c.reply.integer(cached);
  const h = hllFromString(s, 0);
  const card = hllCount(h);
  if (card < 0) return c.reply.error(INVALID_HLL);
  // The refreshed cache is a change of the string: signalled and propagated, as Redis does.
  setCachedCard(h, card);
  e.value = hllToString(h);
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
  // The destination, when it exists, was checked among the sources (it is argv[1]).
  const h = e === undefined ? hllCreate() : hllFromString(strText(stringOf(e)), 64);
  if (seen.dense && !sparseToDense(h)) return c.reply.error(INVALID_HLL);
  const bytes = sparseMaxBytes(c);
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const v = max[i]!;
    if (v === 0) continue;
    if (h.encoding === HLL_DENSE) denseSet(h.buf, i, v);
    else sparseSet(h, i, v, bytes);
  }
  invalidateCache(h);
  if (e === undefined) c.db.add(key, ValueType.STRING, hllToString(h));
  else e.value = hllToString(h);
  c.server.keyspace.signalModified(c.db, key);
  notify(c, Notify.STRING, 'pfadd', key);
  c.server.dirty++;
  c.reply.ok();
}

export const HYPERLOGLOG_HANDLERS: HandlerTable = { pfadd, pfcount, pfmerge };
