/**
 * Blocking commands (BLPOP, BRPOP, BLMOVE, BLMPOP, BRPOPLPUSH, BZPOPMIN, BZPOPMAX, BZMPOP, and
 * XREAD/XREADGROUP with BLOCK): each runs on an exclusive connection leased from the owning
 * shard's master pool, because a blocked command would stall everything queued behind it on a
 * shared, multiplexed connection. XREAD/XREADGROUP without BLOCK are ordinary commands.
 *
 * Timeout semantics: the server answers null when the command's own timeout passes; the client
 * waits that long plus `commandTimeoutMs` before giving up with CommandTimeoutError. A timeout of
 * 0 ("block until served") has no client deadline. A connection whose command timed out or died
 * is destroyed, not returned: the server may still serve the abandoned pop into it.
 *
 * Leases are bounded by `pool.maxExclusive` per node; a blocking command that finds them all lent
 * out fails at once with PoolExhaustedError (`limit`, `option`), it does not wait for one.
 */

import type { CommandSpec } from '../../commands/spec.js';
import { InvalidArgumentError, ReplyError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { Command, type Arg } from '../transport/command.js';
import type { Shard } from './shard.js';

/**
 * The wait in seconds, or null when this call does not block: XREAD/XREADGROUP block only with a
 * BLOCK option (milliseconds, before STREAMS); the B* pops take their timeout first (B*MPOP) or
 * last, in seconds.
 */
export function blockingTimeout(spec: CommandSpec, argv: readonly Arg[]): number | null {
  if (spec.name === 'xread' || spec.name === 'xreadgroup') return streamBlock(spec, argv);
  const at = spec.name === 'blmpop' || spec.name === 'bzmpop' ? 1 : argv.length - 1;
  return seconds(spec, argv[at], 1);
}

function seconds(spec: CommandSpec, raw: Arg | undefined, scale: number): number {
  const t = typeof raw === 'number' ? raw : Number(raw === undefined ? NaN : String(raw));
  if (!Number.isFinite(t) || t < 0) throw new InvalidArgumentError(`${spec.name}: timeout must be a non-negative number of ${scale === 1 ? 'seconds' : 'milliseconds'}`);
  return t * scale;
}

function streamBlock(spec: CommandSpec, argv: readonly Arg[]): number | null {
  for (let i = 1; i + 1 < argv.length; i++) {
    const word = String(argv[i]).toLowerCase();
    if (word === 'streams') return null;
    if (word === 'block') return seconds(spec, argv[i + 1], 0.001);
  }
  return null;
}

/** Runs a blocking command (`timeoutSeconds` from blockingTimeout) on a connection of its own. */
export async function runBlocking(shard: Shard, argv: readonly Arg[], timeoutSeconds: number, buffers: boolean): Promise<RespValue> {
  const pool = shard.master;
  // All maxExclusive leases lent out: fail now (PoolExhaustedError naming the limit and its
  // option) rather than queue behind pops that may block for their whole timeout.
  const conn = await pool.acquire(`a blocking ${String(argv[0]).toUpperCase()}`, false);
  const cmd = new Command(argv, buffers, false);
  const grace = conn.options.commandTimeoutMs;
  if (timeoutSeconds === 0 || grace === 0) cmd.deadline = Infinity;
  else {
    cmd.timeoutMs = Math.ceil(timeoutSeconds * 1000) + grace;
    cmd.deadline = Date.now() + cmd.timeoutMs;
  }
  conn.enqueue(cmd);
  try {
    const v = await cmd.promise;
    pool.giveBack(conn);
    return v;
  } catch (err) {
    if (err instanceof ReplyError) pool.giveBack(conn);
    else pool.discard(conn);
    throw err;
  }
}
