/**
 * Writing stream entries into replies, straight from the packed nodes (no per-entry strings),
 * and Redis's streamReplyWithRange with its consumer-group side effects:
 *
 * - a group read moves the group's last delivered ID and read counter, creates or reassigns a
 *   pending entry per delivered entry (unless NOACK), and propagates each as the idempotent
 *   `XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID last`, or, with
 *   NOACK, one `XGROUP SETID key group last ENTRIESREAD n` (streamPropagateXCLAIM/GroupID);
 * - a history read (an explicit ID in XREADGROUP) serves only the consumer's own PEL, an entry
 *   deleted since as `[id, nil]`, and bumps the delivery counters without propagating.
 */

import type { ReplyWriter } from '../../protocol/reply-writer.js';
import type { ClientContext } from '../dispatch/context.js';
import { LpElement, elementText } from './structures/listpack.js';
import type { Consumer, ConsumerGroup, Nack } from './structures/stream-cgroup.js';
import { formatId, idFromKey, idKey, u64Text, type StreamId } from './structures/stream-id.js';
import type { StreamIterator } from './structures/stream-iterator.js';
import type { Stream } from './structures/stream-value.js';

const TWO32 = 4294967296;
/** Scratch for ID and integer text (single-threaded). */
const TEXT = Buffer.allocUnsafe(64);
const FIELD = new LpElement();
const VALUE = new LpElement();

/** Writes the decimal digits of a small non-negative integer (< 2^31) at `p`. */
function putSmall(p: number, v: number): number {
  let d = 1;
  for (let t = v; t >= 10; t = (t / 10) | 0) d++;
  let q = p + d - 1;
  do {
    const t = (v / 10) | 0;
    TEXT[q--] = 48 + v - t * 10;
    v = t;
  } while (v > 0);
  return p + d;
}

/** Writes the decimal digits of a non-negative safe integer at `p`. */
function putDigits(p: number, v: number): number {
  if (v < 2147483648) return putSmall(p, v);
  const hi = Math.floor(v / 1e9);
  p = putDigits(p, hi);
  let lo = v - hi * 1e9;
  for (let q = p + 8; q >= p; q--) {
    const t = (lo / 10) | 0;
    TEXT[q] = 48 + lo - t * 10;
    lo = t;
  }
  return p + 9;
}

/** The digits of the last ms part written: consecutive entries mostly share it. */
let cachedMsHi = -1;
let cachedMsLo = -1;
const CACHED_MS = Buffer.allocUnsafe(24);
let cachedMsLen = 0;

function putU64(p: number, hi: number, lo: number): number {
  if (hi < 0x200000) return putDigits(p, hi * TWO32 + lo);
  return p + TEXT.write(u64Text(hi, lo), p, 'latin1');
}

/** The ms part at offset 0 of TEXT, from the cache when it repeats. */
function putMs(hi: number, lo: number): number {
  // A few bytes: a loop beats Buffer#copy's argument checks by far.
  if (hi === cachedMsHi && lo === cachedMsLo) {
    for (let i = 0; i < cachedMsLen; i++) TEXT[i] = CACHED_MS[i]!;
    return cachedMsLen;
  }
  const n = putU64(0, hi, lo);
  for (let i = 0; i < n; i++) CACHED_MS[i] = TEXT[i]!;
  cachedMsHi = hi;
  cachedMsLo = lo;
  cachedMsLen = n;
  return n;
}

/** An ID given as halves, as a bulk string. */
export function bulkIdHalves(reply: ReplyWriter, msHi: number, msLo: number, seqHi: number, seqLo: number): void {
  let p = putMs(msHi, msLo);
  TEXT[p++] = 45;
  p = seqHi === 0 && seqLo < 2147483648 ? putSmall(p, seqLo) : putU64(p, seqHi, seqLo);
  reply.bulkBytes(TEXT, 0, p);
}

export function bulkId(reply: ReplyWriter, id: StreamId): void {
  bulkIdHalves(reply, id.msHi, id.msLo, id.seqHi, id.seqLo);
}

/** A decoded listpack element of `buf` as a bulk string. */
export function bulkElement(reply: ReplyWriter, buf: Buffer, el: LpElement): void {
  if (!el.isInt) return reply.bulkBytes(buf, el.start, el.len);
  if (el.big) return reply.bulk(elementText(buf, el));
  let p = 0;
  let v = el.int;
  if (v < 0) {
    TEXT[p++] = 45;
    v = -v;
  }
  p = putDigits(p, v);
  reply.bulkBytes(TEXT, 0, p);
}

/** The iterator's current entry as `[id, [field, value, …]]`. */
export function writeEntry(reply: ReplyWriter, it: StreamIterator): void {
  reply.array(2);
  bulkIdHalves(reply, it.msHi, it.msLo, it.seqHi, it.seqLo);
  const n = it.numFields;
  reply.array(2 * n);
  const buf = it.node!.buf;
  for (let i = 0; i < n; i++) {
    it.field(FIELD);
    bulkElement(reply, buf, FIELD);
    it.value(VALUE);
    bulkElement(reply, buf, VALUE);
  }
}

/** Writes the live entry `id` as `[id, fields]`; false (nothing written) when it does not exist. */
export function writeOne(reply: ReplyWriter, s: Stream, id: StreamId): boolean {
  const it = s.iterate(id, id, false);
  if (!it.next()) return false;
  writeEntry(reply, it);
  return true;
}

/** A consumer-group read in progress (XREADGROUP): where it delivers and what it propagates. */
export interface GroupRead {
  readonly key: string;
  readonly group: ConsumerGroup;
  readonly consumer: Consumer;
  readonly noack: boolean;
  /** Commands to propagate instead of the XREADGROUP (appended to). */
  readonly propagate: string[][];
}

/** streamPropagateXCLAIM: the XCLAIM that recreates `nack` for entry `idText` on a replica. */
export function xclaimCommand(key: string, group: ConsumerGroup, idText: string, nack: Nack): string[] {
  return [
    'XCLAIM', key, group.name, nack.consumer!.name, '0', idText,
    'TIME', String(nack.deliveryTime), 'RETRYCOUNT', String(nack.deliveryCount),
    'FORCE', 'JUSTID', 'LASTID', formatId(group.lastId),
  ];
}

/** streamPropagateGroupID: XGROUP SETID with the group's last ID and read counter. */
export function setIdCommand(key: string, group: ConsumerGroup): string[] {
  return ['XGROUP', 'SETID', key, group.name, formatId(group.lastId), 'ENTRIESREAD', String(group.entriesRead)];
}

/**
 * streamReplyWithRange: entries of [start, end] (end null: to the last), at most `count` (0: no
 * limit), reversed with `rev`; with `read`, a consumer-group delivery. `raw` writes the entries
 * without the enclosing array. Returns how many entries were written.
 */
export function replyRange(c: ClientContext, s: Stream, start: StreamId, end: StreamId | null, count: number, rev: boolean, read: GroupRead | null = null, raw = false): number {
  const reply = c.reply;
  const mark = reply.mark();
  const now = c.server.keyspace.now;
  let n = 0;
  let propagateLastId = false;
  const it = s.iterate(start, end, rev);
  while (it.next()) {
    let id: StreamId | null = null;
    if (read !== null) {
      id = it.id();
      const g = read.group;
      if (cmpGreater(id, g.lastId)) {
        s.advanceGroup(g, id);
        if (read.noack) propagateLastId = true;
      }
    }
    writeEntry(reply, it);
    if (read !== null && !read.noack) {
      const key = idKey(id!);
      const nack = read.group.deliver(key, read.consumer, now);
      read.propagate.push(xclaimCommand(read.key, read.group, formatId(id!), nack));
    }
    n++;
    if (count !== 0 && n === count) break;
  }
  if (read !== null && propagateLastId) read.propagate.push(setIdCommand(read.key, read.group));
  if (read !== null) s.groupsChanged();
  if (!raw) reply.insertArray(mark, n);
  return n;
}

function cmpGreater(a: StreamId, b: StreamId): boolean {
  if (a.msHi !== b.msHi) return a.msHi > b.msHi;
  if (a.msLo !== b.msLo) return a.msLo > b.msLo;
  if (a.seqHi !== b.seqHi) return a.seqHi > b.seqHi;
  return a.seqLo > b.seqLo;
}

/**
 * streamReplyWithRangeFromConsumerPEL: the consumer's pending entries from `start` (at most
 * `count`, 0: all), each as its entry or `[id, nil]` when deleted; delivered ones count a delivery.
 */
export function replyHistory(c: ClientContext, s: Stream, start: StreamId, count: number, consumer: Consumer): number {
  const reply = c.reply;
  const mark = reply.mark();
  const now = c.server.keyspace.now;
  let n = 0;
  for (const [key, nack] of consumer.pel.from(idKey(start))) {
    if (count !== 0 && n >= count) break;
    const id = idFromKey(key);
    if (writeOne(reply, s, id)) {
      nack.deliveryTime = now;
      nack.deliveryCount++;
    } else {
      reply.array(2);
      bulkId(reply, id);
      reply.nullArray();
    }
    n++;
  }
  reply.insertArray(mark, n);
  return n;
}
