/**
 * Consumer-group commands (Redis 7.0 t_stream.c): XGROUP CREATE/SETID/DESTROY/CREATECONSUMER/
 * DELCONSUMER/HELP, XACK, XPENDING (XCLAIM and XAUTOCLAIM are in stream-claim.ts).
 *
 * As in Redis, group changes do not signal the key (no WATCH or tracking effect) except the
 * stream created by MKSTREAM; persistence hears of them through signalStateChanged. XGROUP
 * DESTROY wakes the group's blocked readers (they get -NOGROUP).
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import * as R from '../dispatch/replies.js';
import { cString, isWord } from '../dispatch/args.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { ValueType } from '../keyspace/entry.js';
import { signalKeyAsReady } from '../blocked-clients.js';
import { boundArg, idArg, intArg, streamOf } from './stream-args.js';
import { bulkId } from './stream-reply.js';
import { INVALID_ENTRIES_READ, type ConsumerGroup } from './structures/stream-cgroup.js';
import { ZERO_ID, idFromKey, idKey, type StreamId } from './structures/stream-id.js';
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
  return `NOGROUP No such consumer group '${cString(group)}' for key name '${cString(key)}'`;
}

export function noKeyOrGroup(key: string, group: string): string {
  return `NOGROUP No such key '${cString(key)}' or consumer group '${cString(group)}'`;
}

/** After a consumer-group change: re-measure, tell persistence, count. */
export function groupsTouched(c: ClientContext, key: string, s: Stream, dirty: number): void {
  s.groupsChanged();
  c.server.keyspace.signalStateChanged(c.db, key);
  c.server.dirty += dirty;
}

/** What XGROUP's key subcommands share once the head is checked. */
interface GroupTarget {
  key: string;
  name: string;
  /** The stream (null only for CREATE … MKSTREAM on a missing key). */
  s: Stream | null;
  /** The group, when it exists. */
  g: ConsumerGroup | undefined;
  entriesRead: number;
}

/**
 * The head of XGROUP's key subcommands, in Redis xgroupCommand's order: the options after argv[4]
 * (MKSTREAM, ENTRIESREAD), the key's type, the key's existence (unless MKSTREAM), the group's
 * existence for SETID/CREATECONSUMER/DELCONSUMER. Null after replying an error.
 */
function groupTarget(c: ClientContext, argv: readonly string[]): GroupTarget | null {
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
      if (n === null) return null;
      if (n < 0 && n !== INVALID_ENTRIES_READ) return fail(c, 'ERR value for ENTRIESREAD must be positive or -1');
      entriesRead = n;
      i += 2;
    } else {
      return fail(c, subcommandSyntax(argv));
    }
  }
  const key = argv[2]!;
  const name = argv[3]!;
  const s = streamOf(c, c.db.lookupWrite(key));
  if (s === undefined) return null;
  const g = s?.lookupGroup(name);
  if (!mkstream) {
    if (s === null) {
      return fail(c, 'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.');
    }
    if (g === undefined && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) return fail(c, noGroupFor(name, key));
  }
  return { key, name, s, g, entriesRead };
}

function fail(c: ClientContext, text: string): null {
  c.reply.error(text);
  return null;
}

function groupCreate(c: ClientContext, argv: string[]): void {
  const t = groupTarget(c, argv);
  if (t === null) return;
  if (argv.length > 8) return c.reply.error(subcommandSyntax(argv));
  let id: StreamId | null;
  if (argv[4] === '$') id = t.s === null ? ZERO_ID : t.s.lastId;
  else id = idArg(c, argv[4]!, 'min', true);
  if (id === null) return;
  let s = t.s;
  if (s === null) {
    s = new Stream();
    c.db.add(t.key, ValueType.STREAM, s);
    c.server.keyspace.signalModified(c.db, t.key);
  }
  if (s.createGroup(t.name, id, t.entriesRead) === null) return c.reply.error('BUSYGROUP Consumer Group name already exists');
  c.reply.ok();
  groupsTouched(c, t.key, s, 1);
  notify(c, Notify.STREAM, 'xgroup-create', t.key);
}

function groupSetId(c: ClientContext, argv: string[]): void {
  const t = groupTarget(c, argv);
  if (t === null) return;
  if (argv.length !== 5 && argv.length !== 7) return c.reply.error(subcommandSyntax(argv));
  const s = t.s!;
  const g = t.g!;
  let id: StreamId | null;
  if (argv[4] === '$') id = s.lastId;
  else id = idArg(c, argv[4]!, 'min', false);
  if (id === null) return;
  g.lastId = id;
  g.entriesRead = t.entriesRead;
  c.reply.ok();
  groupsTouched(c, t.key, s, 1);
  notify(c, Notify.STREAM, 'xgroup-setid', t.key);
}

function groupDestroy(c: ClientContext, argv: string[]): void {
  const t = groupTarget(c, argv);
  if (t === null) return;
  if (t.g === undefined) return c.reply.integer(0);
  t.s!.destroyGroup(t.name);
  c.reply.integer(1);
  groupsTouched(c, t.key, t.s!, 1);
  notify(c, Notify.STREAM, 'xgroup-destroy', t.key);
  // Readers blocked on the group get -NOGROUP.
  signalKeyAsReady(c.server, c.db, t.key);
}

function groupCreateConsumer(c: ClientContext, argv: string[]): void {
  const t = groupTarget(c, argv);
  if (t === null) return;
  const created = t.g!.createConsumer(argv[4]!, c.server.keyspace.now);
  c.reply.integer(created === null ? 0 : 1);
  if (created === null) return;
  groupsTouched(c, t.key, t.s!, 1);
  notify(c, Notify.STREAM, 'xgroup-createconsumer', t.key);
}

function groupDelConsumer(c: ClientContext, argv: string[]): void {
  const t = groupTarget(c, argv);
  if (t === null) return;
  const consumer = t.g!.lookupConsumer(argv[4]!, 0, false);
  if (consumer === undefined) return c.reply.integer(0);
  const pending = consumer.pel.size;
  t.g!.deleteConsumer(consumer);
  c.reply.integer(pending);
  groupsTouched(c, t.key, t.s!, 1);
  notify(c, Notify.STREAM, 'xgroup-delconsumer', t.key);
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

export const STREAM_GROUP_HANDLERS: HandlerTable = {
  'xgroup|create': groupCreate,
  'xgroup|setid': groupSetId,
  'xgroup|destroy': groupDestroy,
  'xgroup|createconsumer': groupCreateConsumer,
  'xgroup|delconsumer': groupDelConsumer,
  'xgroup|help': (c) => c.reply.statusArray(XGROUP_HELP),
  xack,
  xpending,
};
