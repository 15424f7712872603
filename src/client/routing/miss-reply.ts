/**
 * `onShardDown: 'miss'`: what a read-only command answers when its shard is down — the reply the
 * server gives when the key does not exist (GET → null, EXISTS → 0, TTL → -2, TYPE → 'none',
 * LRANGE → [], MGET → one null per key, SCAN → cursor '0' and no keys, DBSIZE → 0 …), so a
 * cache treats the shard's keys as misses and fan-out sums and merges partial results.
 *
 * Commands not listed that are read-only answer null. Anything else (writes, admin commands)
 * gets no miss: `missReply` returns undefined and the caller rejects or drops it.
 * Pure: no I/O, no state.
 */

import { Flag } from '../../commands/flags.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { Arg } from '../transport/command.js';
import { resolveSpec } from './command-keys.js';

type Miss = (argv: readonly Arg[]) => RespValue;

const nil: Miss = () => null;
const zero: Miss = () => 0;
const noKey: Miss = () => -2;
const empty: Miss = () => [];
const emptyText: Miss = () => '';
const scanDone: Miss = () => ['0', []];
/** One element per key or member after the first `skip` arguments (MGET: 1, HMGET: 2). */
const each = (skip: number, v: RespValue): Miss => (argv) => new Array<RespValue>(Math.max(0, argv.length - skip)).fill(v);
/** With a count argument (SRANDMEMBER k n, HRANDFIELD k n …) an empty list, without it null. */
const nilOrEmpty = (withCount: number): Miss => (argv) => (argv.length > withCount ? [] : null);
/** LPOS: null, or [] with COUNT. */
const lpos: Miss = (argv) => (argv.some((a) => String(a).toUpperCase() === 'COUNT') ? [] : null);
/** BITPOS of a missing key: 0 when looking for a clear bit, -1 for a set bit. */
const bitpos: Miss = (argv) => (String(argv[2]) === '0' ? 0 : -1);

const MISSES: Readonly<Record<string, Miss>> = {
  get: nil, getrange: emptyText, substr: emptyText, strlen: zero, mget: each(1, null), getbit: zero, bitcount: zero, bitpos,
  exists: zero, touch: zero, type: () => 'none', ttl: noKey, pttl: noKey, expiretime: noKey, pexpiretime: noKey,
  dump: nil, randomkey: nil, keys: empty, scan: scanDone, dbsize: zero, sort_ro: empty,
  lrange: empty, llen: zero, lindex: nil, lpos,
  hget: nil, hmget: each(2, null), hgetall: empty, hkeys: empty, hvals: empty, hlen: zero, hexists: zero, hstrlen: zero,
  hrandfield: nilOrEmpty(2), hscan: scanDone,
  smembers: empty, scard: zero, sismember: zero, smismember: each(2, 0), srandmember: nilOrEmpty(2), sscan: scanDone,
  sinter: empty, sunion: empty, sdiff: empty, sintercard: zero,
  zrange: empty, zrangebyscore: empty, zrangebylex: empty, zrevrange: empty, zrevrangebyscore: empty, zrevrangebylex: empty,
  zcard: zero, zscore: nil, zmscore: each(2, null), zrank: nil, zrevrank: nil, zcount: zero, zlexcount: zero,
  zrandmember: nilOrEmpty(2), zscan: scanDone, zdiff: empty, zinter: empty, zunion: empty, zintercard: zero,
  pfcount: zero, geopos: each(2, null), geohash: each(2, null), geodist: nil, geosearch: empty, georadius_ro: empty, georadiusbymember_ro: empty,
  xrange: empty, xrevrange: empty, xlen: zero,
};

/** The miss a read-only command answers on a down shard; undefined for any other command. */
export function missReply(argv: readonly Arg[]): RespValue | undefined {
  let name: string;
  try {
    const spec = resolveSpec(argv);
    if ((spec.flags & Flag.READONLY) === 0) return undefined;
    name = spec.fullName;
  } catch {
    return undefined;
  }
  const miss = MISSES[name];
  return miss === undefined ? null : miss(argv);
}

/** Whether the command writes (`writes: 'drop'` drops only these). */
export function isWrite(argv: readonly Arg[]): boolean {
  try {
    return (resolveSpec(argv).flags & Flag.WRITE) !== 0;
  } catch {
    return false;
  }
}
