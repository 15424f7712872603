/**
 * Splitting a multi-shard command (MGET, MSET, DEL, EXISTS, TOUCH, UNLINK, or one learned from the
 * servers with `request_policy:multi_shard`) into one command per
 * shard, and putting the per-shard answers back together. Pure: no I/O, so the CPU cost of a
 * fan-out can be measured on its own (bench/fanout.mjs).
 *
 * Invariant: each part records, for every key it carries, the key's ordinal among the command's
 * keys, so reassembly writes each answer straight into its slot (no lookup table).
 */

import type { CommandSpec } from '../../commands/spec.js';
import { ReplyError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { Arg } from '../transport/command.js';
import type { ShardMap } from './shard-map.js';
import type { Shard } from './shard.js';

export interface FanOutPart {
  shard: Shard;
  /** The sub-command for this shard. */
  argv: Arg[];
  /** Ordinal (0-based, among all keys) of each key in `argv`, in order. */
  ordinals: number[];
}

/** Groups the keys at `positions` by shard; each key brings its `spec.step - 1` following values. */
export function splitByShard(shards: ShardMap, spec: CommandSpec, argv: readonly Arg[], positions: readonly number[]): FanOutPart[] {
  const step = spec.step > 0 ? spec.step : 1;
  const byShard = new Map<Shard, FanOutPart>();
  const parts: FanOutPart[] = [];
  for (let k = 0; k < positions.length; k++) {
    const i = positions[k]!;
    const shard = shards.shardFor(argv[i]!);
    let part = byShard.get(shard);
    if (part === undefined) {
      part = { shard, argv: [argv[0]!], ordinals: [] };
      byShard.set(shard, part);
      parts.push(part);
    }
    for (let j = 0; j < step; j++) part.argv.push(argv[i + j]!);
    part.ordinals.push(k);
  }
  return parts;
}

function policy(spec: CommandSpec, kind: 'request' | 'response'): string | null {
  const prefix = `${kind}_policy:`;
  for (const t of spec.tips) if (t.startsWith(prefix)) return t.slice(prefix.length);
  return null;
}

export function requestPolicy(spec: CommandSpec): string | null {
  return policy(spec, 'request');
}

/** AND / OR of 1/0 answers; of arrays (SCRIPT EXISTS: one answer per argument) element by element. */
function logical(and: boolean, replies: readonly RespValue[]): RespValue {
  const truth = (r: RespValue | undefined): boolean => r !== undefined && Number(r) !== 0;
  const first = replies[0];
  if (Array.isArray(first)) {
    return first.map((_, i) => {
      const each = replies.map((r) => truth(Array.isArray(r) ? r[i] : undefined));
      return (and ? each.every(Boolean) : each.some(Boolean)) ? 1 : 0;
    });
  }
  const each = replies.map((r) => truth(r));
  return (and ? each.every(Boolean) : each.some(Boolean)) ? 1 : 0;
}

/** Combines per-shard answers of an all-shards or multi-shard command by its response policy. */
export function aggregate(spec: CommandSpec, replies: readonly RespValue[]): RespValue {
  const p = policy(spec, 'response');
  if (p === 'agg_sum') {
    let t = 0;
    for (const r of replies) t += Number(r);
    return t;
  }
  if (p === 'agg_min') return Math.min(...replies.map(Number));
  if (p === 'agg_max') return Math.max(...replies.map(Number));
  if (p === 'agg_logical_and' || p === 'agg_logical_or') return logical(p === 'agg_logical_and', replies);
  if (p === 'all_succeeded' || p === 'one_succeeded') return replies[0] ?? null;
  if (replies.every(Array.isArray)) return (replies as RespValue[][]).flat();
  return replies[0] ?? null;
}

/**
 * Puts per-shard answers back together: a multi-shard command without a response policy (MGET,
 * or one learned from the servers) that answers an array per key, element by element into key
 * order; other commands by their response policy. The first error reply rejects the whole command.
 */
export function reassemble(spec: CommandSpec, keyCount: number, parts: readonly FanOutPart[], replies: readonly RespValue[]): RespValue {
  for (const r of replies) if (r instanceof ReplyError) throw r;
  if (parts.length === 0 || policy(spec, 'response') !== null || !replies.every(Array.isArray)) return aggregate(spec, replies);
  const out = new Array<RespValue>(keyCount).fill(null);
  for (let p = 0; p < parts.length; p++) {
    const r = replies[p];
    const ord = parts[p]!.ordinals;
    if (!Array.isArray(r)) continue;
    for (let j = 0; j < ord.length; j++) out[ord[j]!] = r[j] ?? null;
  }
  return out;
}
