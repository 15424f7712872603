/**
 * The few Redis 7 replies that RESP3 nests differently from RESP2, given back RESP2's nesting.
 * The reply parser's `resp2Shape` already gives RESP3-only types their RESP2 form (maps as flat
 * arrays, doubles as text); what it cannot know is the command, and these commands build a
 * different array structure per protocol (Redis 7.0 t_zset.c, t_hash.c, t_stream.c, blocked.c):
 * - ZRANGE family, ZUNION/ZINTER/ZDIFF, ZRANDMEMBER … WITHSCORES, ZPOPMIN/ZPOPMAX with a count,
 *   HRANDFIELD … WITHVALUES: RESP3 gives [[member, score], …], RESP2 the flat [member, score, …];
 * - XREAD / XREADGROUP: RESP3 gives a map {stream: entries} (flattened by `resp2Shape` into
 *   [stream, entries, …]), RESP2 an array of [stream, entries] pairs.
 *
 * `resp2Nesting` is idempotent and safe on a RESP2 reply (a RESP2 reply of these commands never has
 * an array where RESP3's has a string, and vice versa), so callers may apply it without knowing
 * the protocol. Cost for every other reply: one character test on the command name; nothing is
 * allocated unless the reply is reshaped.
 */

import type { CommandArg as Arg } from './command-encoder.js';
import type { RespValue } from './resp-types.js';

const FLATTEN = 1;
const PAIR = 2;

const RULES = new Map<string, number>([
  ['ZRANGE', FLATTEN],
  ['ZRANGEBYSCORE', FLATTEN],
  ['ZREVRANGE', FLATTEN],
  ['ZREVRANGEBYSCORE', FLATTEN],
  ['ZUNION', FLATTEN],
  ['ZINTER', FLATTEN],
  ['ZDIFF', FLATTEN],
  ['ZRANDMEMBER', FLATTEN],
  ['ZPOPMIN', FLATTEN],
  ['ZPOPMAX', FLATTEN],
  ['HRANDFIELD', FLATTEN],
  ['XREAD', PAIR],
  ['XREADGROUP', PAIR],
]);

/** Which rule applies to a command name (0: none), without allocating for names that cannot match. */
function ruleOf(name: Arg | undefined): number {
  if (name === undefined || typeof name === 'number' || typeof name === 'bigint') return 0;
  const c = typeof name === 'string' ? name.charCodeAt(0) : name[0]!;
  // z Z h H x X: the only first letters of RULES' names.
  if (c !== 122 && c !== 90 && c !== 104 && c !== 72 && c !== 120 && c !== 88) return 0;
  const text = typeof name === 'string' ? name : name.toString('latin1');
  return RULES.get(text.toUpperCase()) ?? 0;
}

/** `reply` as RESP2 nests it for the command `argv` (see the header); the same value when it already is. */
export function resp2Nesting(argv: readonly Arg[], reply: RespValue): RespValue {
  if (!Array.isArray(reply) || reply.length === 0) return reply;
  const rule = ruleOf(argv[0]);
  if (rule === FLATTEN) {
    // RESP3's form starts with a [member, score] pair (of scalars): anything else is left alone,
    // which keeps the function idempotent.
    const first = reply[0];
    if (!Array.isArray(first) || first.length === 0 || Array.isArray(first[0])) return reply;
    const flat: RespValue[] = [];
    for (const item of reply) {
      if (Array.isArray(item)) for (const x of item) flat.push(x);
      else flat.push(item);
    }
    return flat;
  }
  if (rule === PAIR) {
    if (Array.isArray(reply[0])) return reply;
    const pairs: RespValue[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([reply[i]!, reply[i + 1]!]);
    return pairs;
  }
  return reply;
}
