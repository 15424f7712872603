/**
 * XINFO STREAM [FULL [COUNT n]] / GROUPS / CONSUMERS / HELP (Redis 7.0 xinfoCommand), field for
 * field and in Redis's order. `radix-tree-keys` is the number of nodes; `radix-tree-nodes` is the
 * node count of the compressed radix tree Redis would build over the nodes' 16-byte master IDs
 * (computed on demand: the node index here is an array, see structures/stream-value.ts).
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { cString, isWord } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { intArg, streamOf } from './stream-args.js';
import { subcommandSyntax } from './stream-groups.js';
import { bulkId, replyRange } from './stream-reply.js';
import { INVALID_ENTRIES_READ, type ConsumerGroup } from './structures/stream-cgroup.js';
import { MAX_ID, ZERO_ID, idFromKey, type StreamId } from './structures/stream-id.js';
import type { Stream } from './structures/stream-value.js';

const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

/** The stream at argv[2] for XINFO, or null after replying (no such key / WRONGTYPE). */
function infoStream(c: ClientContext, key: string): Stream | null {
  const e = c.db.lookupRead(key);
  if (e === undefined) {
    c.reply.error(R.NO_SUCH_KEY);
    return null;
  }
  return streamOf(c, e) ?? null;
}

function masterBytes(id: StreamId): number[] {
  const out: number[] = [];
  for (const half of [id.msHi, id.msLo, id.seqHi, id.seqLo]) out.push(half >>> 24, (half >>> 16) & 0xff, (half >>> 8) & 0xff, half & 0xff);
  return out;
}

/** Nodes of Redis's rax over these sorted 16-byte keys (compressed runs, branch nodes, leaves). */
export function raxNodeCount(keys: readonly number[][]): number {
  if (keys.length === 0) return 1;
  const segment = (lo: number, hi: number, d: number): number => {
    if (d === 16) return 1;
    let l = 0;
    while (d + l < 16 && keys[lo]![d + l] === keys[hi - 1]![d + l]) l++;
    return l > 0 ? 1 + branch(lo, hi, d + l) : branch(lo, hi, d);
  };
  const branch = (lo: number, hi: number, d: number): number => {
    if (d === 16) return 1;
    let n = 1;
    for (let i = lo; i < hi; ) {
      let j = i + 1;
      while (j < hi && keys[j]![d] === keys[i]![d]) j++;
      n += segment(i, j, d + 1);
      i = j;
    }
    return n;
  };
  return segment(0, keys.length, 0);
}

function entriesReadOrNull(c: ClientContext, g: ConsumerGroup): void {
  if (g.entriesRead !== INVALID_ENTRIES_READ) c.reply.integer(g.entriesRead);
  else c.reply.nullBulk();
}

function lagOrNull(c: ClientContext, s: Stream, g: ConsumerGroup): void {
  const lag = s.groupLag(g);
  if (lag === null) c.reply.nullBulk();
  else c.reply.integer(lag);
}

function xinfoStream(c: ClientContext, argv: string[]): void {
  const s = infoStream(c, argv[2]!);
  if (s === null) return;
  const opts = argv.length - 3;
  const full = opts > 0;
  let count = 10;
  if (full) {
    if ((opts !== 1 && opts !== 3) || !isWord(argv[3]!, 'full') || (opts === 3 && !isWord(argv[4]!, 'count'))) {
      return c.reply.error(subcommandSyntax(argv));
    }
    if (opts === 3) {
      const n = intArg(c, argv[5]!);
      if (n === null) return;
      count = n < 0 ? 10 : n;
    }
  }
  const r = c.reply;
  r.map(full ? 9 : 10);
  r.bulk('length');
  r.integer(s.length);
  r.bulk('radix-tree-keys');
  r.integer(s.nodes.length);
  r.bulk('radix-tree-nodes');
  r.integer(raxNodeCount(s.nodes.map((n) => masterBytes(n.master))));
  r.bulk('last-generated-id');
  bulkId(r, s.lastId);
  r.bulk('max-deleted-entry-id');
  bulkId(r, s.maxDeletedId);
  r.bulk('entries-added');
  r.integer(s.entriesAdded);
  r.bulk('recorded-first-entry-id');
  bulkId(r, s.firstId);
  if (!full) {
    r.bulk('groups');
    r.integer(s.groups?.size ?? 0);
    r.bulk('first-entry');
    if (replyRange(c, s, ZERO_ID, MAX_ID, 1, false, null, true) === 0) r.nullBulk();
    r.bulk('last-entry');
    if (replyRange(c, s, ZERO_ID, MAX_ID, 1, true, null, true) === 0) r.nullBulk();
    return;
  }
  r.bulk('entries');
  replyRange(c, s, ZERO_ID, null, count, false);
  r.bulk('groups');
  r.array(s.groups?.size ?? 0);
  for (const g of s.groups?.values() ?? []) fullGroup(c, s, g, count);
}

function fullGroup(c: ClientContext, s: Stream, g: ConsumerGroup, count: number): void {
  const r = c.reply;
  r.map(7);
  r.bulk('name');
  r.bulk(g.name);
  r.bulk('last-delivered-id');
  bulkId(r, g.lastId);
  r.bulk('entries-read');
  entriesReadOrNull(c, g);
  r.bulk('lag');
  lagOrNull(c, s, g);
  r.bulk('pel-count');
  r.integer(g.pel.size);
  r.bulk('pending');
  let mark = r.mark();
  let n = 0;
  for (const [k, nack] of g.pel.entries()) {
    if (count !== 0 && n >= count) break;
    r.array(4);
    bulkId(r, idFromKey(k));
    r.bulk(nack.consumer!.name);
    r.integer(nack.deliveryTime);
    r.integer(nack.deliveryCount);
    n++;
  }
  r.insertArray(mark, n);
  r.bulk('consumers');
  r.array(g.consumers.size);
  for (const consumer of g.consumers.values()) {
    r.map(4);
    r.bulk('name');
    r.bulk(consumer.name);
    r.bulk('seen-time');
    r.integer(consumer.seenTime);
    r.bulk('pel-count');
    r.integer(consumer.pel.size);
    r.bulk('pending');
    mark = r.mark();
    n = 0;
    for (const [k, nack] of consumer.pel.entries()) {
      if (count !== 0 && n >= count) break;
      r.array(3);
      bulkId(r, idFromKey(k));
      r.integer(nack.deliveryTime);
      r.integer(nack.deliveryCount);
      n++;
    }
    r.insertArray(mark, n);
  }
}

function xinfoGroups(c: ClientContext, argv: string[]): void {
  const s = infoStream(c, argv[2]!);
  if (s === null) return;
  const r = c.reply;
  r.array(s.groups?.size ?? 0);
  for (const g of s.groups?.values() ?? []) {
    r.map(6);
    r.bulk('name');
    r.bulk(g.name);
    r.bulk('consumers');
    r.integer(g.consumers.size);
    r.bulk('pending');
    r.integer(g.pel.size);
    r.bulk('last-delivered-id');
    bulkId(r, g.lastId);
    r.bulk('entries-read');
    entriesReadOrNull(c, g);
    r.bulk('lag');
    lagOrNull(c, s, g);
  }
}

function xinfoConsumers(c: ClientContext, argv: string[]): void {
  const s = infoStream(c, argv[2]!);
  if (s === null) return;
  const g = s.lookupGroup(argv[3]!);
  if (g === undefined) return c.reply.error(`NOGROUP No such consumer group '${cString(argv[3]!)}' for key name '${cString(argv[2]!)}'`);
  const r = c.reply;
  const now = c.server.keyspace.now;
  r.array(g.consumers.size);
  for (const consumer of g.consumers.values()) {
    r.map(3);
    r.bulk('name');
    r.bulk(consumer.name);
    r.bulk('pending');
    r.integer(consumer.pel.size);
    r.bulk('idle');
    r.integer(Math.max(0, now - consumer.seenTime));
  }
}

export const STREAM_INFO_HANDLERS: HandlerTable = {
  'xinfo|stream': xinfoStream,
  'xinfo|groups': xinfoGroups,
  'xinfo|consumers': xinfoConsumers,
  'xinfo|help': (c) => c.reply.statusArray(XINFO_HELP),
};
