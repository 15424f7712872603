/**
 * Stream commands on the entries (Redis 7.0 t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL,
 * XTRIM, XSETID. Consumer groups are in stream-groups.ts, XREAD/XREADGROUP in stream-read.ts,
 * XINFO in stream-info.ts.
 *
 * Invariants: a change to the entries signals the key (WATCH, tracking, blocked readers) and adds
 * to `server.dirty`; XSETID changes only counters and, as in Redis, does not signal (persistence
 * still hears of it through signalStateChanged). Propagation is deterministic: XADD's generated ID
 * replaces `*`/`<ms>-*`, and a `~` trim is propagated as `=` with the resulting length (MAXLEN) or
 * first ID (MINID), so replicas and the AOF trim exactly as this node did.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import * as R from '../dispatch/replies.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { ValueType } from '../keyspace/entry.js';
import { boundArg, idArg, intArg, parseAddTrim, streamOf } from './stream-args.js';
import { replyRange } from './stream-reply.js';
import { Stream } from './structures/stream-value.js';
import { StreamId, ZERO_ID, cmpId, formatId, isMaxId, isZeroId, nextId, type ParsedId } from './structures/stream-id.js';
import { isWord } from '../dispatch/args.js';

const TWO32 = 4294967296;
/** Redis STREAM_LISTPACK_MAX_SIZE: one entry's strings may not exceed it. */
const ELEMENTS_MAX = 1 << 30;

/**
 * The new entry's ID (streamAppendItem's rules): null when it cannot follow the last one, 'seq'
 * when `<ms>-*` would overflow the sequence (Redis fails there without setting errno, so its
 * reply falls through to the "too large" text).
 */
function newEntryId(s: Stream, given: ParsedId | null): StreamId | null | 'seq' {
  const last = s.lastId;
  let id: StreamId;
  if (given === null) {
    // streamNextID: the clock when it is ahead of the last ID's ms, else the last ID + 1.
    const ms = Date.now();
    const hi = Math.floor(ms / TWO32);
    const lo = ms >>> 0;
    return hi > last.msHi || (hi === last.msHi && lo > last.msLo) ? new StreamId(hi, lo, 0, 0) : nextId(last);
  } else if (given.seqGiven) {
    id = given.id;
  } else if (given.id.msHi === last.msHi && given.id.msLo === last.msLo) {
    if (last.seqHi === 0xffffffff && last.seqLo === 0xffffffff) return 'seq';
    id = nextId(last)!;
  } else {
    id = given.id;
  }
  return cmpId(id, last) > 0 ? id : null;
}

function xadd(c: ClientContext, argv: string[]): void {
  const a = parseAddTrim(c, argv, true);
  if (a === null) return;
  const fieldPos = a.idIndex + 1;
  const rest = argv.length - fieldPos;
  if (rest < 2 || rest % 2 === 1) return c.reply.error(R.WRONG_ARGS('xadd'));
  if (a.id !== null && a.id.seqGiven && isZeroId(a.id.id)) return c.reply.error('ERR The ID specified in XADD must be greater than 0-0');
  const key = argv[1]!;
  let e = c.db.lookupWrite(key);
  let s = streamOf(c, e);
  if (s === undefined) return;
  if (s === null) {
    if (a.noMkStream) return c.reply.nullBulk();
    s = new Stream();
    e = c.db.add(key, ValueType.STREAM, s);
  }
  if (isMaxId(s.lastId)) return c.reply.error('ERR The stream has exhausted the last possible ID, unable to add more items');
  const id = newEntryId(s, a.id);
  if (id === null) return c.reply.error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  let bytes = 0;
  for (let i = fieldPos; i < argv.length; i++) bytes += argv[i]!.length;
  if (id === 'seq' || bytes > ELEMENTS_MAX) return c.reply.error('ERR Elements are too large to be stored');
  const cfg = c.server.config;
  s.append(id, argv, fieldPos, rest / 2, bytes, cfg.int('stream-node-max-bytes'), cfg.int('stream-node-max-entries'));
  const idText = formatId(id);
  c.reply.bulk(idText);
  c.server.keyspace.signalModified(c.db, key);
  notify(c, Notify.STREAM, 'xadd', key);
  c.server.dirty++;
  let out: string[] | null = null;
  // The deterministic form is only built when something will read it (AOF, replicas).
  const propagating = c.server.sinks.length > 0;
  if (a.trim !== null) {
    if (s.trim(a.trim) > 0) notify(c, Notify.STREAM, 'xtrim', key);
    if (a.trim.approx && propagating) out = rewriteTrim(argv, s, a.trim.strategy, a.trimArgIndex);
    c.db.remeasure(e!);
  }
  if (propagating && (a.id === null || !a.id.seqGiven)) {
    out ??= argv.slice();
    out[a.idIndex] = idText;
  }
  if (out !== null) c.propagateAs = [out];
}

/** streamRewriteApproxSpecifier + streamRewriteTrimArgument: `~ n` becomes `= <what was kept>`. */
function rewriteTrim(argv: readonly string[], s: Stream, strategy: 'maxlen' | 'minid', index: number): string[] {
  const out = argv.slice();
  out[index - 1] = '=';
  out[index] = strategy === 'maxlen' ? String(s.length) : formatId(s.edgeId(true, false));
  return out;
}

function xlen(c: ClientContext, argv: string[]): void {
  const s = streamOf(c, c.db.lookupRead(argv[1]!));
  if (s === undefined) return;
  c.reply.integer(s === null ? 0 : s.length);
}

function xrangeGeneric(c: ClientContext, argv: string[], rev: boolean): void {
  const start = boundArg(c, rev ? argv[3]! : argv[2]!, true);
  if (start === null) return;
  const end = boundArg(c, rev ? argv[2]! : argv[3]!, false);
  if (end === null) return;
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (isWord(argv[j]!, 'count') && j + 1 < argv.length) {
      const n = intArg(c, argv[++j]!);
      if (n === null) return;
      count = n < 0 ? 0 : n;
    } else {
      return c.reply.error(R.SYNTAX);
    }
  }
  const s = streamOf(c, c.db.lookupRead(argv[1]!));
  if (s === undefined) return;
  if (s === null) return c.reply.array(0);
  if (count === 0) return c.reply.nullArray();
  replyRange(c, s, start, end, count === -1 ? 0 : count, rev);
}

function xdel(c: ClientContext, argv: string[]): void {
  const key = argv[1]!;
  const s = streamOf(c, c.db.lookupWrite(key));
  if (s === undefined) return;
  if (s === null) return c.reply.integer(0);
  const ids: StreamId[] = [];
  for (let j = 2; j < argv.length; j++) {
    const id = idArg(c, argv[j]!, 'min', true);
    if (id === null) return;
    ids.push(id);
  }
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (!s.deleteEntry(id)) continue;
    if (cmpId(id, s.firstId) === 0) firstEntry = true;
    if (cmpId(id, s.maxDeletedId) > 0) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted > 0) {
    if (s.length === 0) s.firstId = ZERO_ID;
    else if (firstEntry) s.firstId = s.edgeId(true, true);
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.STREAM, 'xdel', key);
    c.server.dirty += deleted;
  }
  c.reply.integer(deleted);
}

function xtrim(c: ClientContext, argv: string[]): void {
  const a = parseAddTrim(c, argv, false);
  if (a === null) return;
  const key = argv[1]!;
  const s = streamOf(c, c.db.lookupWrite(key));
  if (s === undefined) return;
  if (s === null) return c.reply.integer(0);
  const trim = a.trim!;
  const deleted = s.trim(trim);
  if (deleted > 0) {
    notify(c, Notify.STREAM, 'xtrim', key);
    if (trim.approx) c.propagateAs = [rewriteTrim(argv, s, trim.strategy, a.trimArgIndex)];
    c.server.keyspace.signalModified(c.db, key);
    c.server.dirty += deleted;
  }
  c.reply.integer(deleted);
}

function xsetid(c: ClientContext, argv: string[]): void {
  const id = idArg(c, argv[2]!, 'min', true);
  if (id === null) return;
  let entriesAdded = -1;
  let maxDeleted: StreamId = ZERO_ID;
  for (let i = 3; i < argv.length; i += 2) {
    const more = argv.length - 1 - i;
    if (isWord(argv[i]!, 'entriesadded') && more > 0) {
      const n = intArg(c, argv[i + 1]!);
      if (n === null) return;
      if (n < 0) return c.reply.error('ERR entries_added must be positive');
      entriesAdded = n;
    } else if (isWord(argv[i]!, 'maxdeletedid') && more > 0) {
      const m = idArg(c, argv[i + 1]!, 'min', true);
      if (m === null) return;
      if (cmpId(id, m) < 0) return c.reply.error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      maxDeleted = m;
    } else {
      return c.reply.error(R.SYNTAX);
    }
  }
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  if (e === undefined) return c.reply.error(R.NO_SUCH_KEY);
  const s = streamOf(c, e);
  if (s === undefined || s === null) return;
  if (s.length > 0) {
    if (cmpId(id, s.lastValidId()) < 0) return c.reply.error('ERR The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1 && s.length > entriesAdded) return c.reply.error('ERR The entries_added specified in XSETID is smaller than the target stream length');
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (!isZeroId(maxDeleted)) s.maxDeletedId = maxDeleted;
  c.reply.ok();
  c.server.dirty++;
  notify(c, Notify.STREAM, 'xsetid', key);
  c.server.keyspace.signalStateChanged(c.db, key);
}

export const STREAM_HANDLERS: HandlerTable = {
  xadd,
  xlen,
  xrange: (c, argv) => xrangeGeneric(c, argv, false),
  xrevrange: (c, argv) => xrangeGeneric(c, argv, true),
  xdel,
  xtrim,
  xsetid,
};
