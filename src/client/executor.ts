/**
 * Sends one command through the router: resolves it in the command table, finds its keys, and
 * either sends it to the one shard that owns them, fans it out per shard and reassembles the
 * answer (MGET, MSET, DEL, EXISTS, TOUCH, UNLINK: the table's `request_policy:multi_shard`), sends
 * it to every shard (`request_policy:all_shards`: DBSIZE, KEYS, FLUSHALL…), or refuses it with a
 * CrossShardError naming the shards when its keys cannot be split (SINTER, RENAME, MSETNX…).
 */

import { lookupCommand, lookupSubcommand } from '../commands/registry.js';
import type { CommandSpec } from '../commands/spec.js';
import { Flag } from '../commands/flags.js';
import { CrossShardError, ReplyError, UnknownCommandError } from '../errors.js';
import type { RespValue } from '../protocol/resp-types.js';
import { Command, type Arg } from './command.js';
import type { ReadFrom } from './options.js';
import type { Router, Shard } from './router.js';

export interface CallOptions {
  /** Bulk replies as Buffers. */
  buffers?: boolean;
  /** Override the client's read policy for this call. */
  readFrom?: ReadFrom;
}

function resolveSpec(argv: readonly Arg[]): CommandSpec {
  const name = String(argv[0]);
  const top = lookupCommand(name);
  if (top === undefined) throw new UnknownCommandError(name);
  if (top.subcommands !== null && argv.length > 1) return lookupSubcommand(top, String(argv[1])) ?? top;
  return top;
}

function sendTo(router: Router, shard: Shard, spec: CommandSpec, argv: readonly Arg[], opts: CallOptions): Promise<RespValue> {
  const cmd = new Command(argv, opts.buffers === true, (spec.flags & Flag.READONLY) !== 0);
  router.poolFor(shard, spec, opts.readFrom).send(cmd);
  return cmd.promise;
}

function policy(spec: CommandSpec, kind: 'request' | 'response'): string | null {
  const prefix = `${kind}_policy:`;
  for (const t of spec.tips) if (t.startsWith(prefix)) return t.slice(prefix.length);
  return null;
}

/** Combines per-shard answers of an all-shards or multi-shard command. */
function aggregate(spec: CommandSpec, replies: RespValue[]): RespValue {
  const p = policy(spec, 'response');
  if (p === 'agg_sum') return replies.reduce<number>((t, r) => t + Number(r), 0);
  if (p === 'agg_min') return Math.min(...replies.map(Number));
  if (p === 'all_succeeded' || p === 'one_succeeded') return replies[0] ?? null;
  if (replies.every(Array.isArray)) return (replies as RespValue[][]).flat();
  return replies[0] ?? null;
}

/** Splits a multi-shard command per shard and puts the answers back in argument order. */
async function fanOut(router: Router, spec: CommandSpec, argv: readonly Arg[], positions: readonly number[], opts: CallOptions): Promise<RespValue> {
  const groups = router.group(positions, argv);
  const step = spec.step > 0 ? spec.step : 1;
  const parts = [...groups].map(([shard, idx]) => {
    const sub: Arg[] = [argv[0]!];
    for (const i of idx) for (let j = 0; j < step; j++) sub.push(argv[i + j]!);
    return { idx, reply: sendTo(router, shard, spec, sub, opts) };
  });
  const replies = await Promise.all(parts.map((p) => p.reply));
  const err = replies.find((r): r is ReplyError => r instanceof ReplyError);
  if (err !== undefined) throw err;
  if (spec.name === 'mget') {
    const out: RespValue[] = new Array<RespValue>(positions.length).fill(null);
    const slot = new Map(positions.map((p, i) => [p, i]));
    parts.forEach((p, k) => {
      const r = replies[k] as RespValue[];
      p.idx.forEach((argIndex, j) => (out[slot.get(argIndex)!] = r[j] ?? null));
    });
    return out;
  }
  return aggregate(spec, replies);
}

/** Runs a command anywhere it must go; the promise rejects with a coded error or a ReplyError. */
export function execute(router: Router, argv: readonly Arg[], opts: CallOptions = {}): Promise<RespValue> {
  let spec: CommandSpec;
  try {
    spec = resolveSpec(argv);
  } catch (err) {
    return Promise.reject(err);
  }
  const positions = router.keysOf(spec, argv) ?? [];
  if (router.cache !== null) {
    if (spec.cacheable && positions.length === 1) {
      const hit = router.cache.read(spec, argv, positions[0]!, opts.buffers === true);
      if (hit !== undefined) return Promise.resolve(hit);
    } else {
      router.cache.written(spec, argv, positions);
    }
  }
  if (positions.length === 0) {
    const req = policy(spec, 'request');
    if (req === 'all_shards' || req === 'all_nodes') {
      return Promise.all(router.all().map((s) => sendTo(router, s, spec, argv, opts))).then((r) => {
        const err = r.find((x): x is ReplyError => x instanceof ReplyError);
        if (err !== undefined) throw err;
        return aggregate(spec, r);
      });
    }
    return sendTo(router, router.all()[0]!, spec, argv, opts);
  }
  if (positions.length === 1) return sendTo(router, router.shardFor(argv[positions[0]!]!), spec, argv, opts);
  const groups = router.group(positions, argv);
  if (groups.size === 1) return sendTo(router, groups.keys().next().value as Shard, spec, argv, opts);
  if (policy(spec, 'request') === 'multi_shard' && spec.name !== 'msetnx') return fanOut(router, spec, argv, positions, opts);
  return Promise.reject(new CrossShardError(spec.name.toUpperCase(), [...groups.keys()].map((s) => s.name).sort()));
}
