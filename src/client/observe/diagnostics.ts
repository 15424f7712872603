/**
 * diagnostics_channel publications. Each publication is guarded by `hasSubscribers`, so with no
 * subscriber a command pays three property reads and nothing else.
 *
 * - `ringcache:command:start`  { command, args, shard, startTime }
 * - `ringcache:command:end`    the same object, plus { reply, duration } (ms)
 * - `ringcache:command:error`  the same object, plus { error, duration }
 * - `ringcache:connection`     { event: 'ready' | 'reconnecting' | 'disconnect' | 'error' | 'stale' | 'unreachable' | 'stopped', address, shard, error? }
 * - `ringcache:pubsub:drop`    { dropped, policy, channel } when a slow subscriber's buffer overflows
 * - `ringcache:cache:hit`      { key } a hot-key read answered from the local cache
 * - `ringcache:cache:miss`     { key, joined } a hot-key read that loads (joined: shares a load in flight)
 * - `ringcache:cache:invalidate` { key, source, shard } source 'write' (this client), 'push' (the
 *   server), or 'flush' (key null: a shard's or every entry, shard null for every shard)
 */

import dc from 'node:diagnostics_channel';
import type { RespValue } from '../../protocol/resp-types.js';
import type { Arg } from '../transport/command.js';

export const commandStart = dc.channel('ringcache:command:start');
export const commandEnd = dc.channel('ringcache:command:end');
export const commandError = dc.channel('ringcache:command:error');
export const connectionChannel = dc.channel('ringcache:connection');
export const pubsubDropChannel = dc.channel('ringcache:pubsub:drop');
export const cacheHitChannel = dc.channel('ringcache:cache:hit');
export const cacheMissChannel = dc.channel('ringcache:cache:miss');
export const cacheInvalidateChannel = dc.channel('ringcache:cache:invalidate');

export interface CacheInvalidateMessage {
  /** The Redis key, or null for a flush. */
  key: string | null;
  source: 'write' | 'push' | 'flush';
  /** The flushed shard (null: every shard, or not a flush). */
  shard: string | null;
}

export interface CommandMessage {
  command: string;
  args: readonly Arg[];
  /** The owning shard of the first key, or null for keyless/all-shards commands. */
  shard: string | null;
  /** performance.now() at start. */
  startTime: number;
  duration?: number;
  reply?: RespValue;
  error?: unknown;
}

export function tracingCommands(): boolean {
  return commandStart.hasSubscribers || commandEnd.hasSubscribers || commandError.hasSubscribers;
}

/** Publishes start now, and end or error when `p` settles; returns a promise settling like `p`. */
export function traceCommand(argv: readonly Arg[], shard: string | null, run: () => Promise<RespValue>): Promise<RespValue> {
  const msg: CommandMessage = { command: String(argv[0]), args: argv, shard, startTime: performance.now() };
  if (commandStart.hasSubscribers) commandStart.publish(msg);
  let p: Promise<RespValue>;
  try {
    p = run();
  } catch (err) {
    p = Promise.reject(err);
  }
  return p.then(
    (reply) => {
      msg.duration = performance.now() - msg.startTime;
      msg.reply = reply;
      if (commandEnd.hasSubscribers) commandEnd.publish(msg);
      return reply;
    },
    (error: unknown) => {
      msg.duration = performance.now() - msg.startTime;
      msg.error = error;
      if (commandError.hasSubscribers) commandError.publish(msg);
      throw error;
    },
  );
}
