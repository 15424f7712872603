/**
 * Sends one command through the router: resolves it in the command table, finds its keys, and
 * either sends it to the one shard that owns them, fans it out per shard and reassembles the
 * answer (MGET, MSET, DEL, EXISTS, TOUCH, UNLINK: the table's `request_policy:multi_shard`), sends
 * it to every shard (`request_policy:all_shards`: DBSIZE, KEYS, FLUSHALL…), or refuses it with a
 * CrossShardError naming the shards when its keys cannot be split (SINTER, RENAME, MSETNX…).
 *
 * Special routes: blocking commands go to an exclusive connection (blocking.ts); PUBLISH goes to
 * the channel's shard (channels are placed on the ring like keys); SUBSCRIBE and friends are
 * refused here (they need RingClient.subscribe, which owns the subscriber connections).
 */

import type { CommandSpec } from '../../commands/spec.js';
import { Flag } from '../../commands/flags.js';
import { CrossShardError, InvalidArgumentError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { runBlocking } from './blocking-lease.js';
import { Command, type Arg } from '../transport/command.js';
import { traceCommand, tracingCommands } from '../observe/diagnostics.js';
import { reassemble, requestPolicy, splitByShard } from './fan-out.js';
import type { ReadFrom } from '../options.js';
import { directKeyIndex, keysOf, resolveSpec } from './command-keys.js';
import type { Router } from './shard-map.js';
import type { Shard } from './shard.js';

export interface CallOptions {
  /** Bulk replies as Buffers. */
  buffers?: boolean;
  /** Override the client's read policy for this call. */
  readFrom?: ReadFrom;
  /** Send to this shard (by name) whatever the keys say: SCAN, RANDOMKEY, INFO of one node. */
  shard?: string;
  /** false: this call neither records its write nor honours recent writes (client `readYourWrites`). */
  readYourWrites?: boolean;
}

const NO_OPTIONS: CallOptions = Object.freeze({});

/**
 * Sends to one shard's pool (master or replica per the read policy). `keyAt`: the argument index
 * of the command's only key when the caller knows it (the direct route), else -1.
 */
export function sendToShard(router: Router, shard: Shard, spec: CommandSpec | null, argv: readonly Arg[], opts: CallOptions, keyAt = -1): Promise<RespValue> {
  const cmd = new Command(argv, opts.buffers === true, spec !== null && (spec.flags & Flag.READONLY) !== 0);
  // read-your-writes hook (read-your-writes.ts): null unless configured, so no cost otherwise.
  const ryw = router.readYourWrites;
  const pool = router.poolFor(shard, spec, opts.readFrom);
  if (ryw !== null && spec !== null && opts.readYourWrites !== false) ryw.send(shard, pool, spec, argv, keyAt, cmd);
  else pool.send(cmd);
  return cmd.promise;
}

/** The owning shard of a direct-route command (see directKeyIndex), or null. */
export function directShard(router: Router, spec: CommandSpec, argv: readonly Arg[]): Shard | null {
  const at = directKeyIndex(spec, argv);
  return at < 0 ? null : router.shardFor(argv[at]!);
}

/**
 * The direct route: the local cache first (a hit, returned as the value itself, or a shared load
 * of a hot key), then the shard.
 */
function direct(router: Router, spec: CommandSpec, argv: readonly Arg[], at: number, opts: CallOptions): RespValue | Promise<RespValue> {
  const cache = router.cache;
  if (cache !== null) {
    if (spec.cacheable) {
      const hit = cache.read(spec, argv, at, opts.buffers === true);
      if (hit !== undefined) return hit;
    } else if ((spec.flags & Flag.WRITE) !== 0 && cache.writtenKey(spec, argv, at)) {
      const write = sendToShard(router, router.shardFor(argv[at]!), spec, argv, opts, at);
      cache.settled([String(argv[at]!)], write);
      return write;
    }
  }
  return sendToShard(router, router.shardFor(argv[at]!), spec, argv, opts, at);
}

function toEveryShard(router: Router, spec: CommandSpec, argv: readonly Arg[], opts: CallOptions): Promise<RespValue> {
  return Promise.all(router.onRing().map((s) => sendToShard(router, s, spec, argv, opts))).then((r) => reassemble(spec, 0, [], r));
}

function fanOut(router: Router, spec: CommandSpec, argv: readonly Arg[], positions: readonly number[], opts: CallOptions): Promise<RespValue> {
  const parts = splitByShard(router, spec, argv, positions);
  return Promise.all(parts.map((p) => sendToShard(router, p.shard, spec, p.argv, opts))).then((r) => reassemble(spec, positions.length, parts, r));
}

function namedShard(router: Router, name: string): Shard {
  const s = router.shard(name);
  if (s === undefined) throw new InvalidArgumentError(`no shard named '${name}'`);
  return s;
}

const SUBSCRIBE_FAMILY = new Set(['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe']);

function route(router: Router, spec: CommandSpec, argv: readonly Arg[], opts: CallOptions): RespValue | Promise<RespValue> {
  if (opts.shard !== undefined) return sendToShard(router, namedShard(router, opts.shard), spec, argv, opts);
  if ((spec.flags & Flag.PUBSUB) !== 0) {
    if (SUBSCRIBE_FAMILY.has(spec.name)) throw new InvalidArgumentError(`${spec.name.toUpperCase()} needs a dedicated connection: use client.${spec.name}()`);
    if (spec.name === 'publish' && argv.length > 1) return sendToShard(router, router.shardFor(argv[1]!), spec, argv, opts);
  }
  const positions = keysOf(spec, argv) ?? [];
  const cache = router.cache;
  if (cache !== null) {
    if (spec.cacheable && positions.length === 1) {
      const hit = cache.read(spec, argv, positions[0]!, opts.buffers === true);
      if (hit !== undefined) return hit;
    } else {
      const held = cache.written(spec, argv, positions);
      if (held !== null) {
        const write = routeByKeys(router, spec, argv, positions, opts);
        cache.settled(held, write);
        return write;
      }
    }
  }
  return routeByKeys(router, spec, argv, positions, opts);
}

function routeByKeys(router: Router, spec: CommandSpec, argv: readonly Arg[], positions: readonly number[], opts: CallOptions): Promise<RespValue> {
  if (positions.length === 0) {
    const req = requestPolicy(spec);
    if (req === 'all_shards' || req === 'all_nodes') return toEveryShard(router, spec, argv, opts);
    return sendToShard(router, router.onRing()[0]!, spec, argv, opts);
  }
  let shard: Shard;
  if (positions.length === 1) shard = router.shardFor(argv[positions[0]!]!);
  else {
    const groups = router.group(positions, argv);
    if (groups.size > 1) {
      if (requestPolicy(spec) === 'multi_shard' && spec.name !== 'msetnx') return fanOut(router, spec, argv, positions, opts);
      throw new CrossShardError(spec.name.toUpperCase(), [...groups.keys()].map((s) => s.name).sort());
    }
    shard = groups.keys().next().value!;
  }
  if ((spec.flags & Flag.BLOCKING) !== 0) {
    if (opts.readYourWrites !== false) router.readYourWrites?.record(shard, spec, argv, positions);
    return runBlocking(shard, spec, argv, opts.buffers === true);
  }
  return sendToShard(router, shard, spec, argv, opts);
}

function firstKeyShard(router: Router, spec: CommandSpec, argv: readonly Arg[], opts: CallOptions): string | null {
  if (opts.shard !== undefined) return opts.shard;
  const at = spec.name === 'publish' ? 1 : (keysOf(spec, argv) ?? [])[0];
  return at === undefined || argv[at] === undefined ? null : router.shardFor(argv[at]).name;
}

/** Runs a command anywhere it must go; the promise rejects with a coded error or a ReplyError. */
export function execute(router: Router, argv: readonly Arg[], opts: CallOptions = NO_OPTIONS): Promise<RespValue> {
  const r = executeNow(router, argv, opts);
  return r instanceof Promise ? r : Promise.resolve(r);
}

/**
 * `execute`, except that a local-cache hit is the value itself (the typed methods decode it
 * without another promise and microtask hop).
 */
export function executeNow(router: Router, argv: readonly Arg[], opts: CallOptions = NO_OPTIONS): RespValue | Promise<RespValue> {
  try {
    const spec = resolveSpec(argv);
    if (tracingCommands()) return traceCommand(argv, firstKeyShard(router, spec, argv, opts), () => Promise.resolve(route(router, spec, argv, opts)));
    if (opts.shard === undefined) {
      const at = directKeyIndex(spec, argv);
      if (at >= 0) return direct(router, spec, argv, at, opts);
    }
    return route(router, spec, argv, opts);
  } catch (err) {
    return Promise.reject(err);
  }
}

