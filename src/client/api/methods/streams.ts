/**
 * Typed stream commands: entries as `{ id, fields }`, reads as `{ key, entries }[]`, consumer
 * groups, pending entries, claims and XINFO as objects (stream-decode.ts), on RESP2 and RESP3.
 *
 * Routing: every stream command names its key(s), so it goes to the key's shard. XREAD and
 * XREADGROUP over several streams need them on one shard ({hash tags}), else CrossShardError
 * (the command is never split: one read answers for all its streams at once). With `block`, the
 * read runs on a connection leased from the shard's pool for the wait (routing/blocking-lease.ts),
 * so other commands never queue behind it; without, it shares the pool's connections.
 */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import * as S from '../stream-decode.js';
import {
  trimArgs,
  xaddArgs,
  xclaimArgs,
  xreadArgs,
  type StreamFields,
  type StreamOffsets,
  type StreamTrim,
  type XAddOptions,
  type XClaimOptions,
  type XReadGroupOptions,
  type XReadOptions,
} from '../args/streams.js';
import { SortDumpCommands } from './sort-dump.js';

/** XRANGE / XREVRANGE (and XAUTOCLAIM) options. */
export interface XRangeOptions {
  /** At most this many entries (COUNT). */
  count?: number;
}

/** XGROUP CREATE's options (MKSTREAM, ENTRIESREAD). */
export interface XGroupCreateOptions {
  /** Create an empty stream when the key is missing. */
  mkstream?: boolean;
  /** The group's entries-read counter to start from (ENTRIESREAD), for an accurate lag. */
  entriesRead?: number;
}

/** XPENDING's extended-form filters (IDLE, consumer). */
export interface XPendingRangeOptions {
  /** Only entries idle for at least this many ms. */
  idle?: number;
  /** Only this consumer's entries. */
  consumer?: Arg;
}

export abstract class StreamCommands extends SortDumpCommands {
  /** XADD: appends an entry; `id` '*' (generated), 'ms-*' or explicit. Resolves with its ID (null with `nomkstream` on a missing key). */
  xadd(key: Arg, id: string, fields: StreamFields, options?: XAddOptions): Promise<string | null> {
    return this.build(() => xaddArgs(key, id, fields, options), D.strOrNull);
  }

  /** XLEN: the number of entries in the stream; 0 when the key does not exist. */
  xlen(key: Arg): Promise<number> {
    return this.run(['XLEN', key], D.int);
  }

  /** XRANGE: entries from `start` to `end` (inclusive; '(' excludes; '-' and '+' are the ends). */
  xrange(key: Arg, start = '-', end = '+', options?: XRangeOptions): Promise<S.StreamEntry[]> {
    return this.build(() => rangeArgs('XRANGE', key, start, end, options), S.entries);
  }

  /** XRANGE backwards: from `end` down to `start`. */
  xrevrange(key: Arg, end = '+', start = '-', options?: XRangeOptions): Promise<S.StreamEntry[]> {
    return this.build(() => rangeArgs('XREVRANGE', key, end, start, options), S.entries);
  }

  /** XDEL: deletes entries; resolves with how many existed. */
  xdel(key: Arg, ids: readonly string[]): Promise<number> {
    return this.build(() => ['XDEL', key, ...ids], D.int);
  }

  /** XTRIM: trims the stream; resolves with the number of entries removed. */
  xtrim(key: Arg, trim: StreamTrim): Promise<number> {
    return this.build(() => ['XTRIM', key, ...trimArgs(trim)], D.int);
  }

  /** XREAD: entries after each stream's ID ('$': only new ones); null when none (or BLOCK timed out). */
  xread(streams: StreamOffsets, options?: XReadOptions): Promise<S.StreamRead[] | null> {
    return this.build(() => xreadArgs(null, streams, options), S.reads);
  }

  /** XREADGROUP: a consumer-group read (ID '>': entries never delivered to the group; another ID: this consumer's pending history); resolves like xread. */
  xreadgroup(group: Arg, consumer: Arg, streams: StreamOffsets, options?: XReadGroupOptions): Promise<S.StreamRead[] | null> {
    return this.build(() => xreadArgs([group, consumer], streams, options), S.reads);
  }

  /** XACK: acknowledges entries; resolves with how many were pending. */
  xack(key: Arg, group: Arg, ids: readonly string[]): Promise<number> {
    return this.build(() => ['XACK', key, group, ...ids], D.int);
  }

  /** XGROUP CREATE: creates a group reading after `id` ('$': only new entries, '0': everything). */
  xgroupCreate(key: Arg, group: Arg, id: string, options: XGroupCreateOptions = {}): Promise<void> {
    return this.build(() => {
      const argv: Arg[] = ['XGROUP', 'CREATE', key, group, id];
      if (options.mkstream === true) argv.push('MKSTREAM');
      if (options.entriesRead !== undefined) argv.push('ENTRIESREAD', options.entriesRead);
      return argv;
    }, ignore);
  }

  /**
   * XGROUP SETID: moves the group's last-delivered ID to `id` ('$': the stream's last entry), optionally
   * setting its entries-read counter.
   */
  xgroupSetId(key: Arg, group: Arg, id: string, entriesRead?: number): Promise<void> {
    const argv: Arg[] = ['XGROUP', 'SETID', key, group, id];
    if (entriesRead !== undefined) argv.push('ENTRIESREAD', entriesRead);
    return this.run(argv, ignore);
  }

  /** XGROUP DESTROY: destroys a group; false when it did not exist. */
  xgroupDestroy(key: Arg, group: Arg): Promise<boolean> {
    return this.run(['XGROUP', 'DESTROY', key, group], D.bool);
  }

  /** XGROUP CREATECONSUMER: creates a consumer; false when it existed. */
  xgroupCreateConsumer(key: Arg, group: Arg, consumer: Arg): Promise<boolean> {
    return this.run(['XGROUP', 'CREATECONSUMER', key, group, consumer], D.bool);
  }

  /** XGROUP DELCONSUMER: deletes a consumer; resolves with the number of entries it had pending (now dropped). */
  xgroupDelConsumer(key: Arg, group: Arg, consumer: Arg): Promise<number> {
    return this.run(['XGROUP', 'DELCONSUMER', key, group, consumer], D.int);
  }

  /** XPENDING: the group's pending entries in summary: count, ID range, per-consumer counts. */
  xpending(key: Arg, group: Arg): Promise<S.PendingSummary> {
    return this.run(['XPENDING', key, group], S.pendingSummary);
  }

  /** XPENDING (extended form): pending entries between two IDs, at most `count`, with owner, idle time and deliveries. */
  xpendingRange(key: Arg, group: Arg, start: string, end: string, count: number, options: XPendingRangeOptions = {}): Promise<S.PendingEntry[]> {
    return this.build(() => {
      const argv: Arg[] = ['XPENDING', key, group];
      if (options.idle !== undefined) argv.push('IDLE', options.idle);
      argv.push(start, end, count);
      if (options.consumer !== undefined) argv.push(options.consumer);
      return argv;
    }, S.pendingEntries);
  }

  /** XCLAIM: takes pending entries idle for at least `minIdleMs` over to `consumer`; resolves with them. */
  xclaim(key: Arg, group: Arg, consumer: Arg, minIdleMs: number, ids: readonly string[], options: XClaimOptions = {}): Promise<S.StreamEntry[]> {
    return this.build(() => xclaimArgs(key, group, consumer, minIdleMs, ids, options, false), S.entries);
  }

  /** XCLAIM … JUSTID: xclaim, resolving with the claimed IDs only (JUSTID: delivery counts unchanged). */
  xclaimJustId(key: Arg, group: Arg, consumer: Arg, minIdleMs: number, ids: readonly string[], options: XClaimOptions = {}): Promise<string[]> {
    return this.build(() => xclaimArgs(key, group, consumer, minIdleMs, ids, options, true), S.ids);
  }

  /**
   * XAUTOCLAIM: scans the group's PEL from `start` and claims entries idle for at least `minIdleMs` (at most
   * `count`, default 100); pass `next` back as `start` until it is '0-0'.
   */
  xautoclaim(key: Arg, group: Arg, consumer: Arg, minIdleMs: number, start: string, options: XRangeOptions = {}): Promise<S.AutoClaimResult<S.StreamEntry>> {
    return this.build(() => autoclaimArgs(key, group, consumer, minIdleMs, start, options, false), S.autoclaimEntries);
  }

  /** XAUTOCLAIM … JUSTID: xautoclaim resolving with the claimed IDs only (JUSTID: delivery counts unchanged); pass `next` back as `start` until it is '0-0'. */
  xautoclaimJustId(key: Arg, group: Arg, consumer: Arg, minIdleMs: number, start: string, options: XRangeOptions = {}): Promise<S.AutoClaimResult<string>> {
    return this.build(() => autoclaimArgs(key, group, consumer, minIdleMs, start, options, true), S.autoclaimIds);
  }

  /** XINFO STREAM: the stream's length, ID counters, radix-tree size, group count, and first and last entries. */
  xinfoStream(key: Arg): Promise<S.StreamInfo> {
    return this.run(['XINFO', 'STREAM', key], S.streamInfo);
  }

  /** XINFO STREAM FULL: entries (at most `count`, default 10; 0: all), groups, PELs, consumers. */
  xinfoStreamFull(key: Arg, count?: number): Promise<S.StreamInfoFull> {
    return this.run(count === undefined ? ['XINFO', 'STREAM', key, 'FULL'] : ['XINFO', 'STREAM', key, 'FULL', 'COUNT', count], S.streamInfoFull);
  }

  /** XINFO GROUPS: each consumer group's name, consumers, pending count, last-delivered ID, entries read and lag. */
  xinfoGroups(key: Arg): Promise<S.GroupInfo[]> {
    return this.run(['XINFO', 'GROUPS', key], S.groupInfos);
  }

  /** XINFO CONSUMERS: each consumer of the group with its pending count and idle time. */
  xinfoConsumers(key: Arg, group: Arg): Promise<S.ConsumerInfo[]> {
    return this.run(['XINFO', 'CONSUMERS', key, group], S.consumerInfos);
  }
}

const ignore: D.Decoder<void> = () => undefined;

function rangeArgs(cmd: string, key: Arg, a: string, b: string, o?: XRangeOptions): Arg[] {
  return o?.count === undefined ? [cmd, key, a, b] : [cmd, key, a, b, 'COUNT', o.count];
}

function autoclaimArgs(key: Arg, group: Arg, consumer: Arg, minIdleMs: number, start: string, o: XRangeOptions, justId: boolean): Arg[] {
  const argv: Arg[] = ['XAUTOCLAIM', key, group, consumer, minIdleMs, start];
  if (o.count !== undefined) argv.push('COUNT', o.count);
  if (justId) argv.push('JUSTID');
  return argv;
}
