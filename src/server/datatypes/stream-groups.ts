/**
 * Consumer-group commands (Redis 7.0 t_stream.c): XGROUP CREATE/SETID/DESTROY/CREATECONSUMER/
 * DELCONSUMER/HELP, XACK, XPENDING, XCLAIM, XAUTOCLAIM.
 *
 * As in Redis, group changes do not signal the key (no WATCH or tracking effect) except the
 * stream created by MKSTREAM; persistence hears of them through signalStateChanged. XGROUP
 * DESTROY wakes the group's blocked readers (they get -NOGROUP). XCLAIM and XAUTOCLAIM are
 * propagated as one idempotent XCLAIM per changed pending entry (plus an XGROUP SETID when only
 * LASTID moved the group), never as sent.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import * as R from '../dispatch/replies.js';
import { isWord, parseInteger } from '../dispatch/args.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { ValueType } from '../keyspace/entry.js';
import { signalKeyAsReady } from '../blocked-clients.js';
import { boundArg, idArg, intArg, streamOf } from './stream-args.js';
import { bulkId, setIdCommand, writeOne, xclaimCommand } from './stream-reply.js';
import { INVALID_ENTRIES_READ, Nack, type ConsumerGroup } from './structures/stream-cgroup.js';
import { ZERO_ID, cmpId, formatId, idFromKey, idKey, parseStreamId, type StreamId } from './structures/stream-id.js';
import { Stream } from './structures/stream-value.js';

const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

export function subcommandSyntax(argv: readonly string[]): string {
  return `ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`;
}

function noGroupFor(group: string, key: string): string {
  return `NOGROUP No such consumer group '${group}' for key name '${key}'`;
}

function noKeyOrGroup(key: string, group: string): string {
  return `NOGROUP No such key '${key}' or consumer group '${group}'`;
}

/** After a consumer-group change: re-measure, tell persistence, count. */
function groupsTouched(c: ClientContext, key: string, s: Stream, dirty: number): void {
  s.groupsChanged();
  c.server.keyspace.signalStateChanged(c.db, key);
  c.server.dirty += dirty;
}

/** The shared head of XGROUP's key subcommands: options, key, group (Redis xgroupCommand). */
function xgroup(c: ClientContext, argv: string[]): void {
  const sub = argv[1]!.toLowerCase();
  const create = sub === 'create';
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  for (let i = 5; i < argv.length; ) {
    if (create && isWord(argv[i]!, 'mkstream')) {
      mkstream = true;
      i++;
    } else if ((create || sub === 'setid') && isWord(argv[i]!, 'entriesread') && i + 1 < argv.length) {
      const n = intArg(c, argv[i + 1]!);
      if (n === null) return;
      if (n < 0 && n !== INVALID_ENTRIES_READ) return c.reply.error('ERR value for ENTRIESREAD must be positive or -1');
      entriesRead = n;
      i += 2;
    } else {
      return c.reply.error(subcommandSyntax(argv));
    }
  }
  const key = argv[2]!;
  const groupName = argv[3]!;
  const e = c.db.lookupWrite(key);
  let s = streamOf(c, e);
  if (s === undefined) return;
  let g: ConsumerGroup | undefined;
  if (!mkstream) {
    if (s === null) {
      return c.reply.error(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
    }
    g = s.lookupGroup(groupName);
    if (g === undefined && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) return c.reply.error(noGroupFor(groupName, key));
  }
  switch (sub) {
    case 'create':
      if (argv.length > 8) return c.reply.error(subcommandSyntax(argv));
      return groupCreate(c, key, s, argv[4]!, groupName, entriesRead);
    case 'setid':
      if (argv.length !== 5 && argv.length !== 7) return c.reply.error(subcommandSyntax(argv));
      return groupSetId(c, key, s!, g!, argv[4]!, entriesRead);
    case 'destroy':
      if (g === undefined) return c.reply.integer(0);
      s!.destroyGroup(groupName);
      c.reply.integer(1);
      groupsTouched(c, key, s!, 1);
      notify(c, Notify.STREAM, 'xgroup-destroy', key);
      signalKeyAsReady(c.server, c.db, key);
      return;
    case 'createconsumer': {
      const created = g!.createConsumer(argv[4]!, c.server.keyspace.now);
      c.reply.integer(created === null ? 0 : 1);
      if (created !== null) {
        groupsTouched(c, key, s!, 1);
        notify(c, Notify.STREAM, 'xgroup-createconsumer', key);
      }
      return;
    }
    default: {
      const consumer = g!.lookupConsumer(argv[4]!, 0, false);
      if (consumer === undefined) return c.reply.integer(0);
      const pending = consumer.pel.size;
      g!.deleteConsumer(consumer);
      c.reply.integer(pending);
      groupsTouched(c, key, s!, 1);
      notify(c, Notify.STREAM, 'xgroup-delconsumer', key);
    }
  }

  function groupCreate(cl: ClientContext, k: string, st: Stream | null, idText: string, name: string, read: number): void {
    let id: StreamId | null;
    if (idText === '$') id = st === null ? ZERO_ID : st.lastId;
    else id = idArg(cl, idText, 'min', true);
    if (id === null) return;
    if (st === null) {
      st = s = new Stream();
      cl.db.add(k, ValueType.STREAM, st);
      cl.server.keyspace.signalModified(cl.db, k);
    }
    if (st.createGroup(name, id, read) === null) return cl.reply.error('BUSYGROUP Consumer Group name already exists');
    cl.reply.ok();
    groupsTouched(cl, k, st, 1);
    notify(cl, Notify.STREAM, 'xgroup-create', k);
  }
}

function groupSetId(c: ClientContext, key: string, s: Stream, g: ConsumerGroup, idText: string, entriesRead: number): void {
  let id: StreamId | null;
  if (idText === '$') id = s.lastId;
  else id = idArg(c, idText, 'min', false);
  if (id === null) return;
  g.lastId = id;
  g.entriesRead = entriesRead;
  c.reply.ok();
  groupsTouched(c, key, s, 1);
  notify(c, Notify.STREAM, 'xgroup-setid', key);
}

function xack(c: ClientContext, argv: string[]): void {
  const key = argv[1]!;
  const s = streamOf(c, c.db.lookupRead(key));
  if (s === undefined) return;
  const g = s?.lookupGroup(argv[2]!);
  if (s === null || g === undefined) return c.reply.integer(0);
  const keys: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const id = idArg(c, argv[j]!, 'min', true);
    if (id === null) return;
    keys.push(idKey(id));
  }
  let acked = 0;
  for (const k of keys) if (g.ack(k)) acked++;
  c.reply.integer(acked);
  if (acked > 0) groupsTouched(c, key, s, acked);
}

function xpending(c: ClientContext, argv: string[]): void {
  const argc = argv.length;
  if (argc !== 3 && (argc < 6 || argc > 9)) return c.reply.error(R.SYNTAX);
  let minIdle = 0;
  let start: StreamId | null = null;
  let end: StreamId | null = null;
  let count = 0;
  let consumerName: string | null = null;
  if (argc >= 6) {
    let i = 3;
    if (isWord(argv[3]!, 'idle')) {
      const n = intArg(c, argv[4]!);
      if (n === null) return;
      minIdle = n;
      if (argc < 8) return c.reply.error(R.SYNTAX);
      i += 2;
    }
    const n = intArg(c, argv[i + 2]!);
    if (n === null) return;
    count = n < 0 ? 0 : n;
    start = boundArg(c, argv[i]!, true);
    if (start === null) return;
    end = boundArg(c, argv[i + 1]!, false);
    if (end === null) return;
    if (i + 3 < argc) consumerName = argv[i + 3]!;
  }
  const key = argv[1]!;
  const s = streamOf(c, c.db.lookupRead(key));
  if (s === undefined) return;
  const g = s?.lookupGroup(argv[2]!);
  if (s === null || g === undefined) return c.reply.error(noKeyOrGroup(key, argv[2]!));
  if (start === null) return pendingSummary(c, g);
  let pel = g.pel;
  if (consumerName !== null) {
    const consumer = g.lookupConsumer(consumerName, 0, false);
    if (consumer === undefined) return c.reply.array(0);
    pel = consumer.pel;
  }
  const now = c.server.keyspace.now;
  const endKey = idKey(end!);
  const mark = c.reply.mark();
  let n = 0;
  if (count > 0) {
    for (const [k, nack] of pel.from(idKey(start))) {
      if (k > endKey) break;
      if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
      c.reply.array(4);
      bulkId(c.reply, idFromKey(k));
      c.reply.bulk(nack.consumer!.name);
      c.reply.integer(Math.max(0, now - nack.deliveryTime));
      c.reply.integer(nack.deliveryCount);
      if (++n === count) break;
    }
  }
  c.reply.insertArray(mark, n);
}

function pendingSummary(c: ClientContext, g: ConsumerGroup): void {
  const r = c.reply;
  r.array(4);
  r.integer(g.pel.size);
  if (g.pel.size === 0) {
    r.nullBulk();
    r.nullBulk();
    r.nullArray();
    return;
  }
  bulkId(r, idFromKey(g.pel.firstKey()!));
  bulkId(r, idFromKey(g.pel.lastKey()!));
  const mark = r.mark();
  let n = 0;
  for (const consumer of g.consumers.values()) {
    if (consumer.pel.size === 0) continue;
    r.array(2);
    r.bulk(consumer.name);
    r.bulk(String(consumer.pel.size));
    n++;
  }
  r.insertArray(mark, n);
}

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

function xclaim(c: ClientContext, argv: string[]): void {
  const key = argv[1]!;
  const s = streamOf(c, c.db.lookupRead(key));
  if (s === undefined) return;
  const g = s?.lookupGroup(argv[2]!);
  if (s === null || g === undefined) return c.reply.error(noKeyOrGroup(key, argv[2]!));
  const minIdleArg = intArg(c, argv[4]!, 'ERR Invalid min-idle-time argument for XCLAIM');
  if (minIdleArg === null) return;
  const minIdle = Math.max(0, minIdleArg);
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
  const out: string[][] = [];
  const name = argv[3]!;
  const reply = c.reply;
  const mark = reply.mark();
  let n = 0;
  let dirty = 0;
  let consumer = null;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const k = idKey(id);
    let nack = g.pel.get(k);
    if (!s.has(id)) {
      if (nack !== undefined) {
        out.push(xclaimCommand(key, g, argv[5 + i]!, nack));
        propagateLastId = false;
        dirty++;
        g.ack(k);
      }
      continue;
    }
    if (o.force && nack === undefined) {
      nack = new Nack(now, 1, null);
      g.pel.set(k, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    if (consumer === null) consumer = g.lookupConsumer(name, now) ?? createConsumer(c, g, name, key, now);
    nack.deliveryTime = deliveryTime;
    if (o.retryCount >= 0) nack.deliveryCount = o.retryCount;
    else if (!o.justId) nack.deliveryCount++;
    g.assign(k, nack, consumer);
    if (o.justId) bulkId(reply, id);
    else writeOne(reply, s, id);
    n++;
    out.push(xclaimCommand(key, g, argv[5 + i]!, nack));
    propagateLastId = false;
    dirty++;
  }
  if (propagateLastId) {
    out.push(setIdCommand(key, g));
    dirty++;
  }
  reply.insertArray(mark, n);
  c.propagateAs = out;
  if (dirty > 0 || consumer !== null) groupsTouched(c, key, s, dirty);
}

/** streamCreateConsumer from a claim: counts a change and notifies. */
function createConsumer(c: ClientContext, g: ConsumerGroup, name: string, key: string, now: number): NonNullable<ReturnType<ConsumerGroup['createConsumer']>> {
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
  const now = c.server.keyspace.now;
  const name = argv[3]!;
  const out: string[][] = [];
  const claimed: StreamId[] = [];
  const deleted: StreamId[] = [];
  let consumer = null;
  let attempts = count * 10;
  let dirty = 0;
  // `k` is the next pending entry to look at; where the scan stops it is the reply's cursor.
  let k = g.pel.ceiling(idKey(start));
  while (attempts-- > 0 && count > 0 && k !== undefined) {
    const nack = g.pel.get(k)!;
    const id = idFromKey(k);
    const after = g.pel.ceiling(k + '\u0000');
    if (!s.has(id)) {
      out.push(xclaimCommand(key, g, formatId(id), nack));
      dirty++;
      g.ack(k);
      deleted.push(id);
      count--;
    } else if (minIdle === 0 || now - nack.deliveryTime >= minIdle) {
      if (consumer === null) consumer = g.lookupConsumer(name, now) ?? createConsumer(c, g, name, key, now);
      nack.deliveryTime = now;
      if (!justId) nack.deliveryCount++;
      g.assign(k, nack, consumer);
      claimed.push(id);
      count--;
      out.push(xclaimCommand(key, g, formatId(id), nack));
      dirty++;
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
  c.propagateAs = out;
  if (dirty > 0 || consumer !== null) groupsTouched(c, key, s, dirty);
}

export const STREAM_GROUP_HANDLERS: HandlerTable = {
  'xgroup|create': xgroup,
  'xgroup|setid': xgroup,
  'xgroup|destroy': xgroup,
  'xgroup|createconsumer': xgroup,
  'xgroup|delconsumer': xgroup,
  'xgroup|help': (c) => c.reply.statusArray(XGROUP_HELP),
  xack,
  xpending,
  xclaim,
  xautoclaim,
};
