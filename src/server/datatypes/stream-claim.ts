/**
 * XCLAIM and XAUTOCLAIM (Redis 7.0 t_stream.c): ownership of pending entries moves to a consumer
 * (created on first claim), an entry deleted from the stream meanwhile leaves the PEL. Both are
 * propagated as one idempotent XCLAIM per changed pending entry (plus an XGROUP SETID when only
 * XCLAIM's LASTID moved the group), never as sent, so replicas and the AOF rebuild the same PEL.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import * as R from '../dispatch/replies.js';
import { isWord, parseInteger } from '../dispatch/args.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { boundArg, idArg, intArg, streamOf } from './stream-args.js';
import { groupsTouched, noKeyOrGroup } from './stream-groups.js';
import { bulkId, setIdCommand, writeOne, xclaimCommand } from './stream-reply.js';
import { Nack, type Consumer, type ConsumerGroup } from './structures/stream-cgroup.js';
import { ZERO_ID, cmpId, formatId, idFromKey, idKey, parseStreamId, type StreamId } from './structures/stream-id.js';
import type { Stream } from './structures/stream-value.js';

interface ClaimOptions {
  force: boolean;
  justId: boolean;
  /** Delivery time to set (ms), or -1: now. */
  deliveryTime: number;
  retryCount: number;
  lastId: StreamId;
}

/** XCLAIM's trailing options (from `j`); null after replying an error. */
function claimOptions(c: ClientContext, argv: readonly string[], j: number, now: number): ClaimOptions | null {
  const o: ClaimOptions = { force: false, justId: false, deliveryTime: -1, retryCount: -1, lastId: ZERO_ID };
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (isWord(opt, 'force')) {
      o.force = true;
    } else if (isWord(opt, 'justid')) {
      o.justId = true;
    } else if (isWord(opt, 'idle') && more > 0) {
      const n = intArg(c, argv[++j]!, 'ERR Invalid IDLE option argument for XCLAIM');
      if (n === null) return null;
      o.deliveryTime = now - n;
    } else if (isWord(opt, 'time') && more > 0) {
      const n = intArg(c, argv[++j]!, 'ERR Invalid TIME option argument for XCLAIM');
      if (n === null) return null;
      o.deliveryTime = n;
    } else if (isWord(opt, 'retrycount') && more > 0) {
      const n = intArg(c, argv[++j]!, 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
      if (n === null) return null;
      o.retryCount = n;
    } else if (isWord(opt, 'lastid') && more > 0) {
      const id = idArg(c, argv[++j]!, 'min', true);
      if (id === null) return null;
      o.lastId = id;
    } else {
      c.reply.error(`ERR Unrecognized XCLAIM option '${opt}'`);
      return null;
    }
  }
  return o;
}

/** A claim in progress: what it changed, and what to propagate for it. */
class ClaimRun {
  consumer: Consumer | null = null;
  readonly out: string[][] = [];
  dirty = 0;

  constructor(
    readonly c: ClientContext,
    readonly key: string,
    readonly g: ConsumerGroup,
    readonly name: string,
    readonly now: number,
  ) {}

  /** A pending entry whose stream entry is gone: it leaves the PEL (propagated as the XCLAIM that does it). */
  dropDeleted(k: string, idText: string, nack: Nack): void {
    this.out.push(xclaimCommand(this.key, this.g, idText, nack));
    this.dirty++;
    this.g.ack(k);
  }

  /** Gives `nack` to the claiming consumer (created on the first claim) with its new delivery time. */
  take(k: string, idText: string, nack: Nack, deliveryTime: number): void {
    this.consumer ??= this.g.lookupConsumer(this.name, this.now) ?? createConsumer(this.c, this.g, this.name, this.key, this.now);
    nack.deliveryTime = deliveryTime;
    this.g.assign(k, nack, this.consumer);
    this.out.push(xclaimCommand(this.key, this.g, idText, nack));
    this.dirty++;
  }

  finish(s: Stream): void {
    this.c.propagateAs = this.out;
    if (this.dirty > 0 || this.consumer !== null) groupsTouched(this.c, this.key, s, this.dirty);
  }
}

function xclaim(c: ClientContext, argv: string[]): void {
  const key = argv[1]!;
  const s = streamOf(c, c.db.lookupRead(key));
  if (s === undefined) return;
  const g = s?.lookupGroup(argv[2]!);
  if (s === null || g === undefined) return c.reply.error(noKeyOrGroup(key, argv[2]!));
  const minIdleArg = intArg(c, argv[4]!, 'ERR Invalid min-idle-time argument for XCLAIM');
  if (minIdleArg === null) return;
  const minIdle = Math.max(0, minIdleArg);
  // IDs until the first argument that is not one; options follow.
  const ids: StreamId[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const p = parseStreamId(argv[j]!, 'min', true);
    if (p === null) break;
    ids.push(p.id);
  }
  const now = c.server.keyspace.now;
  const o = claimOptions(c, argv, j, now);
  if (o === null) return;
  let propagateLastId = false;
  if (cmpId(o.lastId, g.lastId) > 0) {
    g.lastId = o.lastId;
    propagateLastId = true;
  }
  const deliveryTime = o.deliveryTime === -1 || o.deliveryTime < 0 || o.deliveryTime > now ? now : o.deliveryTime;
  const run = new ClaimRun(c, key, g, argv[3]!, now);
  const mark = c.reply.mark();
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const k = idKey(id);
    let nack = g.pel.get(k);
    if (!s.has(id)) {
      if (nack !== undefined) {
        run.dropDeleted(k, argv[5 + i]!, nack);
        propagateLastId = false;
      }
      continue;
    }
    if (o.force && nack === undefined) {
      nack = new Nack(now, 1, null);
      g.pel.set(k, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    if (o.retryCount >= 0) nack.deliveryCount = o.retryCount;
    else if (!o.justId) nack.deliveryCount++;
    run.take(k, argv[5 + i]!, nack, deliveryTime);
    propagateLastId = false;
    if (o.justId) bulkId(c.reply, id);
    else writeOne(c.reply, s, id);
    n++;
  }
  if (propagateLastId) {
    run.out.push(setIdCommand(key, g));
    run.dirty++;
  }
  c.reply.insertArray(mark, n);
  run.finish(s);
}

/** streamCreateConsumer from a claim: counts a change and notifies. */
function createConsumer(c: ClientContext, g: ConsumerGroup, name: string, key: string, now: number): Consumer {
  const created = g.createConsumer(name, now)!;
  c.server.dirty++;
  notify(c, Notify.STREAM, 'xgroup-createconsumer', key);
  return created;
}

const AUTOCLAIM_MAX_COUNT = Math.floor(Number.MAX_SAFE_INTEGER / 16);

function xautoclaim(c: ClientContext, argv: string[]): void {
  const minIdleArg = intArg(c, argv[4]!, 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (minIdleArg === null) return;
  const minIdle = Math.max(0, minIdleArg);
  const start = boundArg(c, argv[5]!, true);
  if (start === null) return;
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    if (isWord(argv[j]!, 'count') && j + 1 < argv.length) {
      const n = parseInteger(argv[j + 1]!);
      if (n === null || n < 1 || n > AUTOCLAIM_MAX_COUNT) return c.reply.error('ERR COUNT must be > 0');
      count = n;
      j++;
    } else if (isWord(argv[j]!, 'justid')) {
      justId = true;
    } else {
      return c.reply.error(R.SYNTAX);
    }
  }
  const key = argv[1]!;
  const s = streamOf(c, c.db.lookupRead(key));
  if (s === undefined) return;
  const g = s?.lookupGroup(argv[2]!);
  if (s === null || g === undefined) return c.reply.error(noKeyOrGroup(key, argv[2]!));
  const run = new ClaimRun(c, key, g, argv[3]!, c.server.keyspace.now);
  const claimed: StreamId[] = [];
  const deleted: StreamId[] = [];
  let attempts = count * 10;
  // `k` is the next pending entry to look at; where the scan stops it is the reply's cursor.
  let k = g.pel.ceiling(idKey(start));
  while (attempts-- > 0 && count > 0 && k !== undefined) {
    const nack = g.pel.get(k)!;
    const id = idFromKey(k);
    const after = g.pel.ceiling(k + '\u0000');
    if (!s.has(id)) {
      run.dropDeleted(k, formatId(id), nack);
      deleted.push(id);
      count--;
    } else if (minIdle === 0 || run.now - nack.deliveryTime >= minIdle) {
      if (!justId) nack.deliveryCount++;
      run.take(k, formatId(id), nack, run.now);
      claimed.push(id);
      count--;
    }
    k = after;
  }
  const reply = c.reply;
  reply.array(3);
  bulkId(reply, k === undefined ? ZERO_ID : idFromKey(k));
  reply.array(claimed.length);
  for (const id of claimed) {
    if (justId) bulkId(reply, id);
    else writeOne(reply, s, id);
  }
  reply.array(deleted.length);
  for (const id of deleted) bulkId(reply, id);
  run.finish(s);
}

export const STREAM_CLAIM_HANDLERS: HandlerTable = {
  xclaim,
  xautoclaim,
};
