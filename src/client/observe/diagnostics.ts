/**
 * diagnostics_channel publications. Each publication is guarded by `hasSubscribers`, so with no
 * subscriber a command pays four property reads and nothing else.
 *
 * TracingChannels (as ioredis and node-redis publish them, so OpenTelemetry-style instrumentations
 * can hook in): `tracing:<name>:start|end|asyncStart|asyncEnd|error`, the context object carrying
 * `result` or `error` at the end:
 *
 * - `ringcache:command`  CommandMessage: every command (direct, each of a pipeline, each of multi())
 * - `ringcache:batch`    BatchMessage: a pipeline's or a transaction's exec()
 * - `ringcache:connect`  ConnectMessage: one connect attempt, handshake included
 *
 * Plain channels:
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

/** `ringcache:connection`: a connection's lifecycle event ('ready' is a finished handshake). */
export interface ConnectionMessage {
  /**
   * What happened: 'ready' (handshake done), 'disconnect', 'reconnecting', 'error', 'stale' (no answer in
   * time), 'unreachable', or 'stopped' (reconnecting gave up).
   */
  event: 'ready' | 'disconnect' | 'reconnecting' | 'error' | 'stale' | 'unreachable' | 'stopped';
  /** The node's shard, or null if it left the topology. */
  shard: string | null;
  /** The node's `host:port`. */
  address: string;
  /** The error behind 'error', 'disconnect', 'unreachable' or 'stopped', when there is one. */
  error?: Error;
}

/** `ringcache:pubsub:drop`: a slow subscriber's buffer overflowed. */
export interface PubSubDropMessage {
  /** Messages dropped so far by this subscription. */
  dropped: number;
  /** The subscription's overflow policy. */
  policy: 'error' | 'drop-oldest' | 'drop-newest';
  /** The channel of the message that did not fit. */
  channel: string;
}

/** `ringcache:cache:hit`: a hot key's read answered from the local cache. */
export interface CacheHitMessage {
  /** The Redis key read from the local cache. */
  key: string;
}

/** `ringcache:cache:miss`: a hot key's read that loads from the server. */
export interface CacheMissMessage {
  /** The Redis key being loaded. */
  key: string;
  /** It shares a load already in flight. */
  joined: boolean;
}

/** `ringcache:cache:invalidate`. */
export interface CacheInvalidateMessage {
  /** The Redis key, or null for a flush. */
  key: string | null;
  /** Why: 'write' (this client wrote the key), 'push' (the server's invalidation message), 'flush' (a shard's or every entry dropped). */
  source: 'write' | 'push' | 'flush';
  /** The flushed shard (null: every shard, or not a flush). */
  shard: string | null;
}

/** `ringcache:command:*` and the `ringcache:command` TracingChannel's context. */
export interface CommandMessage {
  /** The command's name as sent (e.g. 'GET'). */
  command: string;
  /** The whole argv, the name included (keys already prefixed by `keyPrefix`). */
  args: readonly Arg[];
  /** The owning shard of the first key, or null for keyless/all-shards commands. */
  shard: string | null;
  /** performance.now() at start. */
  startTime: number;
  /** Milliseconds from start to reply or error (set at the end). */
  duration?: number;
  /** The reply, on `ringcache:command:end`. */
  reply?: RespValue;
  /** The error, on `ringcache:command:error` and the TracingChannel's error event. */
  error?: unknown;
  /** The reply, set by the TracingChannel at its end. */
  result?: RespValue;
}

/** The `ringcache:batch` TracingChannel's context: one exec(). */
export interface BatchMessage {
  /** 'pipeline' for pipeline().exec(), 'multi' for a transaction's exec(). */
  kind: 'pipeline' | 'multi';
  /** Commands in the batch. */
  commands: number;
  /** exec()'s answer, set by the TracingChannel at its end. */
  result?: unknown;
  /** exec()'s rejection, set by the TracingChannel on error. */
  error?: unknown;
}

/** The `ringcache:connect` TracingChannel's context: one connect attempt (TCP or TLS, then the handshake). */
export interface ConnectMessage {
  /** `host:port` (plus `/db`). */
  address: string;
  /** 0 for the first connect, then the reconnect attempt's number. */
  attempt: number;
  /** Whether the connection uses TLS. */
  tls: boolean;
  /** Set by the TracingChannel when the attempt succeeded (undefined: the attempt has no value). */
  result?: unknown;
  /** Why the attempt failed, set by the TracingChannel. */
  error?: unknown;
}

export const commandTracing = dc.tracingChannel<unknown, CommandMessage>('ringcache:command');
export const batchTracing = dc.tracingChannel<unknown, BatchMessage>('ringcache:batch');
export const connectTracing = dc.tracingChannel<unknown, ConnectMessage>('ringcache:connect');

export function tracingCommands(): boolean {
  return commandStart.hasSubscribers || commandEnd.hasSubscribers || commandError.hasSubscribers || commandTracing.hasSubscribers;
}

/** `run()` inside the `ringcache:batch` TracingChannel when it has subscribers. */
export function traceBatch<T>(kind: 'pipeline' | 'multi', commands: number, run: () => Promise<T>): Promise<T> {
  return batchTracing.hasSubscribers ? batchTracing.tracePromise(run, { kind, commands }) : run();
}

/** Publishes start now, and end or error when `run()`'s promise settles (also as the `ringcache:command` TracingChannel); returns a promise settling like it. */
export function traceCommand(argv: readonly Arg[], shard: string | null, run: () => Promise<RespValue>): Promise<RespValue> {
  const msg: CommandMessage = { command: String(argv[0]), args: argv, shard, startTime: performance.now() };
  return commandTracing.hasSubscribers ? commandTracing.tracePromise(() => published(msg, run), msg) : published(msg, run);
}

/** The plain ringcache:command:* channels around `run()`. */
function published(msg: CommandMessage, run: () => Promise<RespValue>): Promise<RespValue> {
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

/** One connect attempt inside the `ringcache:connect` TracingChannel: settle it once. */
export interface AttemptTrace {
  ok(): void;
  fail(err: Error): void;
}

/** Starts tracing a connect attempt, or null when `ringcache:connect` has no subscribers. */
export function traceConnect(address: string, attempt: number, tls: boolean): AttemptTrace | null {
  if (!connectTracing.hasSubscribers) return null;
  let trace: AttemptTrace | null = null;
  const settled = new Promise<void>((resolve, reject) => (trace = { ok: () => resolve(), fail: reject }));
  connectTracing.tracePromise(() => settled, { address, attempt, tls }).catch(() => undefined);
  return trace;
}
