/**
 * One socket to one node: handshake, auto-pipelining, FIFO reply matching, timeouts, reconnects.
 *
 * - Auto-pipelining: every command sent in one tick is encoded into one batch and leaves in one
 *   corked write on the next tick (process.nextTick with a static function: no closure per command).
 * - Replies resolve in FIFO order; RESP3 push frames go to `onPush` and never consume a command.
 *   Replies take RESP2's shape on either protocol (the parser's `resp2Shape`: maps as flat arrays,
 *   doubles as strings, booleans as 1/0; the few commands RESP3 nests differently are re-nested by
 *   protocol/reply-nesting.ts), so nothing above depends on the protocol negotiated.
 * - Handshake on every (re)connect: HELLO 3 [AUTH] [SETNAME], falling back to RESP2 AUTH /
 *   CLIENT SETNAME when the server has no HELLO (or refuses protocol 3); then SELECT.
 * - Timeouts are on by default and swept by one timer per connection, not one per command. A
 *   timed-out command stays in the FIFO so its late reply is consumed and dropped.
 * - While disconnected, commands wait in a bounded offline queue (full → OfflineQueueFullError).
 *   When a connection dies, unwritten commands and retryable ones (read-only/idempotent, once) are
 *   re-queued; the rest reject with a ConnectionClosedError. No promise waits forever.
 * - Reconnect uses capped exponential backoff with jitter, or the application's `retryStrategy`
 *   (attempt, error) → ms | null; null stops reconnecting for good: queued commands, and every
 *   later one, reject with ReconnectStoppedError and 'stopped' is emitted. `probeCapMs` (set while
 *   the node is known down) caps any delay, so a node that answers again is found within it.
 *   A socket that closes before its handshake completed (refused, connect timeout, TLS failure,
 *   refused handshake) also emits 'unreachable' with the socket's own error as `cause`, so the
 *   shard's health (topology/shard-health.ts) can fail commands fast instead of letting them wait.
 * - TLS (`tls` options) through node:tls, see dial.ts.
 * - Subscriber mode (`pubsub = true`, set by the pub/sub hub on a dedicated connection): RESP2
 *   subscription frames (message, pmessage, subscribe confirmations…) arrive as ordinary replies
 *   but belong to no command, so they go to `onPush` like RESP3 push frames; (un)subscribe
 *   commands are written with `sendUntracked` and never enter the reply FIFO.
 */

import { EventEmitter } from 'node:events';
import type net from 'node:net';
import type tls from 'node:tls';
import {
  ClientClosedError,
  CommandTimeoutError,
  ConnectionClosedError,
  ConnectTimeoutError,
  InvalidArgumentError,
  OfflineQueueFullError,
  ReconnectStoppedError,
  ReplyError,
  type RingcacheError,
} from '../../errors.js';
import { CommandEncoder } from '../../protocol/command-encoder.js';
import { resp2Nesting } from '../../protocol/reply-nesting.js';
import { ReplyParser } from '../../protocol/reply-parser.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { Command, type Arg } from './command.js';
import { traceConnect, type AttemptTrace } from '../observe/diagnostics.js';
import { dial } from './dial.js';
import { Fifo } from './fifo.js';
import type { NodeMetrics } from './node-metrics.js';

/**
 * Decides the pause before reconnect attempt `attempt` (1 = the first after a drop or a failed
 * connect); `error` is why the last socket ended. null (or anything but a finite number ≥ 0)
 * stops reconnecting.
 */
export type RetryStrategy = (attempt: number, error: Error) => number | null;

export interface ConnectionOptions {
  host: string;
  port: number;
  /** How events and errors name the node (the topology's address id); default `host:port`. */
  address?: string;
  /** TLS options (node:tls), or null for plain TCP. */
  tls: tls.ConnectionOptions | null;
  /** Replaces the exponential backoff when set. */
  retryStrategy: RetryStrategy | null;
  connectTimeoutMs: number;
  /** 0 disables command timeouts. */
  commandTimeoutMs: number;
  /** TCP keepalive initial delay; 0 disables. */
  keepAliveMs: number;
  username?: string | undefined;
  password?: string | undefined;
  db: number;
  clientName?: string | undefined;
  /** Preferred protocol; 3 falls back to 2 when the server cannot speak it. */
  protocol: 2 | 3;
  offlineQueueMax: number;
  reconnectBaseDelayMs: number;
  reconnectMaxDelayMs: number;
  /** Re-send read-only/idempotent commands once after the connection died mid-flight. */
  retryOnDisconnect: boolean;
}

export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closed';

function flushWrites(conn: Connection): void {
  conn.flushWrites();
}

const PUBSUB_KINDS = new Set(['message', 'pmessage', 'smessage', 'subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe']);

function isPubSubFrame(v: RespValue): v is RespValue[] {
  if (!Array.isArray(v) || v.length < 3) return false;
  const kind = v[0];
  return (typeof kind === 'string' || Buffer.isBuffer(kind)) && PUBSUB_KINDS.has(kind.toString());
}

function isFallbackError(v: RespValue): boolean {
  return v instanceof ReplyError && (v.prefix === 'NOPROTO' || /unknown command/i.test(v.message));
}

/**
 * Events: 'ready', 'disconnect' (err), 'unreachable' (err: a connect attempt failed),
 * 'reconnecting' ({ attempt, delayMs }), 'error' (err: handshake/auth/protocol failures),
 * 'stopped' (ReconnectStoppedError: retryStrategy gave up), 'push' (frame), 'close' (after close()).
 */
export class Connection extends EventEmitter {
  state: ConnectionState = 'idle';
  /** Protocol negotiated on the current connection. */
  proto: 2 | 3 = 2;
  readonly address: string;
  /** Frames received out of band (RESP3 push: invalidations, pub/sub). */
  onPush: ((frame: RespValue[]) => void) | null = null;
  /** Called after each reply (the pool releases commands waiting for capacity). */
  onReplied: (() => void) | null = null;
  /** Subscriber mode: RESP2 subscription frames go to onPush (see the header). */
  pubsub = false;
  /**
   * Receives replies that answer no command (MONITOR's lines, on a connection leased for it);
   * while null such a reply is a protocol error that drops the connection.
   */
  onUnsolicited: ((v: RespValue) => void) | null = null;
  /** Frames that answer no command carry bulk strings as Buffers (see `framesAsBuffers`). */
  private rawFrames = false;
  /** Set by its pool: commands enqueued here are counted there (node-metrics.ts). */
  metrics: NodeMetrics | null = null;
  /** Counters for stats(): command timeouts, error replies, dropped connections. */
  readonly counters = { timeouts: 0, errorReplies: 0, disconnects: 0 };
  /** The most a reconnect may wait (set while the node is known down: re-probe it often). */
  probeCapMs = Infinity;
  /** Set once retryStrategy stopped reconnecting: every command rejects with it. */
  stopped: ReconnectStoppedError | null = null;

  private socket: net.Socket | null = null;
  private readonly parser: ReplyParser;
  private readonly encoder = new CommandEncoder();
  private readonly inflight = new Fifo<Command>(64);
  private readonly offline = new Fifo<Command>(16);
  private writeScheduled = false;
  private sweeper: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  /** Why the current socket failed (its 'error' event, a connect timeout), the cause of 'unreachable'. */
  private socketError: Error | null = null;
  /** When the pending reconnect fires (Date.now() ms), for `hurry`. */
  private reconnectAt = 0;
  private closeWaiters: (() => void)[] = [];
  /** The current connect attempt in the `ringcache:connect` TracingChannel, while subscribed. */
  private trace: AttemptTrace | null = null;

  constructor(readonly options: ConnectionOptions) {
    super();
    this.address = options.address ?? `${options.host}:${options.port}`;
    this.parser = new ReplyParser(
      {
        onReply: (v) => this.onReply(v),
        onPush: (v) => this.onPushFrame(v),
        onError: (e) => this.onProtocolError(e),
      },
      { resp2Shape: true },
    );
  }

  /**
   * For the pub/sub hub's subscriber connection: bulk strings of frames that answer no command
   * (messages) arrive as Buffers, so each subscription decodes them its own way (Buffer mode).
   */
  framesAsBuffers(): void {
    this.rawFrames = true;
    if (this.inflight.length === 0) this.parser.returnBuffers = true;
  }

  /** Commands sent and not yet answered (the pool balances on it). */
  get inFlight(): number {
    return this.inflight.length;
  }

  get queued(): number {
    return this.offline.length;
  }

  /** Starts connecting (also done lazily by the first send). */
  connect(): void {
    if (this.state === 'idle') this.open();
  }

  /** Sends one command; the returned promise settles exactly once. */
  send(args: readonly Arg[], returnBuffers = false, retryable = false): Promise<RespValue> {
    const cmd = new Command(args, returnBuffers, retryable);
    this.enqueue(cmd);
    return cmd.promise;
  }

  /** Queues a prepared command (the pool and pipelines use it). */
  enqueue(cmd: Command): void {
    if (cmd.metrics === null && this.metrics !== null) this.metrics.track(cmd);
    if (this.state === 'closed') {
      cmd.reject(this.stopped ?? new ClientClosedError());
      return;
    }
    const timeout = this.options.commandTimeoutMs;
    if (cmd.deadline === 0 && timeout > 0) cmd.deadline = Date.now() + timeout;
    if (this.state !== 'ready') {
      if (this.offline.length >= this.options.offlineQueueMax) {
        cmd.reject(new OfflineQueueFullError(this.options.offlineQueueMax));
        return;
      }
      this.offline.push(cmd);
      if (this.state === 'idle') this.open();
      return;
    }
    this.write(cmd);
  }

  private write(cmd: Command): void {
    cmd.attempts++;
    try {
      this.encoder.push(cmd.args); // atomic: a refused command leaves no byte behind
    } catch (err) {
      cmd.reject(err instanceof Error ? err : new InvalidArgumentError(String(err)));
      return;
    }
    this.inflight.push(cmd);
    if (this.inflight.length === 1) this.parser.returnBuffers = cmd.returnBuffers;
    if (!this.writeScheduled) {
      this.writeScheduled = true;
      process.nextTick(flushWrites, this);
    }
  }

  /** Writes the batch encoded this tick in one corked write. */
  flushWrites(): void {
    this.writeScheduled = false;
    const socket = this.socket;
    if (socket === null || socket.destroyed) return;
    const chunks = this.encoder.flush();
    if (chunks.length === 1) socket.write(chunks[0]!);
    else if (chunks.length > 1) {
      socket.cork();
      for (const c of chunks) socket.write(c);
      socket.uncork();
    }
    // Everything in flight has now been handed to the socket.
    const n = this.inflight.length;
    for (let i = n - 1; i >= 0; i--) {
      const cmd = this.inflight.at(i)!;
      if (cmd.written) break;
      cmd.written = true;
    }
  }

  /** Writes a command whose answer arrives out of band (subscriber mode); false when not ready. */
  sendUntracked(args: readonly Arg[]): boolean {
    if (this.state !== 'ready') return false;
    this.encoder.push(args);
    if (!this.writeScheduled) {
      this.writeScheduled = true;
      process.nextTick(flushWrites, this);
    }
    return true;
  }

  private onReply(v: RespValue): void {
    if (this.pubsub && (isPubSubFrame(v) || this.inflight.length === 0)) {
      if (v instanceof ReplyError) this.emit('error', v);
      else if (Array.isArray(v)) this.onPushFrame(v);
      return;
    }
    const cmd = this.inflight.shift();
    const next = this.inflight.peek();
    this.parser.returnBuffers = next !== undefined ? next.returnBuffers : this.rawFrames;
    if (cmd === undefined) {
      if (this.onUnsolicited !== null) return this.onUnsolicited(v);
      this.onProtocolError(new ConnectionClosedError(`unexpected reply from ${this.address}`));
      return;
    }
    if (v instanceof ReplyError) {
      this.counters.errorReplies++;
      // The node is not the writable master we think (demoted, or loading after a restart).
      if (v.prefix === 'READONLY' || v.prefix === 'LOADING') this.emit('stale', v);
      cmd.reject(v);
    } else cmd.resolve(this.proto === 3 && Array.isArray(v) ? resp2Nesting(cmd.args, v) : v);
    if (this.inflight.length === 0 && this.closeWaiters.length > 0) this.resolveCloseWaiters();
    if (this.onReplied !== null) this.onReplied();
  }

  private onPushFrame(frame: RespValue[]): void {
    if (this.onPush !== null) this.onPush(frame);
    else this.emit('push', frame);
  }

  private onProtocolError(err: RingcacheError): void {
    this.emit('error', err);
    this.socket?.destroy();
  }

  private open(): void {
    this.state = this.attempts === 0 ? 'connecting' : 'reconnecting';
    const o = this.options;
    this.socketError = null;
    this.trace = traceConnect(this.address, this.attempts, o.tls !== null);
    let socket: net.Socket;
    let connected: 'connect' | 'secureConnect';
    try {
      ({ socket, connected } = dial(o));
    } catch (err) {
      // Bad TLS options (an unreadable key…) throw synchronously: an attempt that failed.
      this.failAttempt(err instanceof Error ? err : new ConnectionClosedError(String(err)));
      return;
    }
    this.socket = socket;
    this.parser.reset();
    if (o.connectTimeoutMs > 0) {
      this.connectTimer = setTimeout(() => {
        const e = new ConnectTimeoutError(this.address, o.connectTimeoutMs);
        this.socketError = e;
        this.emit('error', e);
        socket.destroy();
      }, o.connectTimeoutMs);
    }
    socket.on(connected, () => {
      // Handshake commands time out like any command; with command timeouts off, the connect
      // timeout goes on to bound the handshake, so no command waits for it forever.
      if (o.commandTimeoutMs > 0) this.clearConnectTimer();
      if (o.keepAliveMs > 0) socket.setKeepAlive(true, o.keepAliveMs);
      void this.handshake(socket);
    });
    socket.on('data', (chunk: Buffer) => this.parser.feed(chunk));
    socket.on('error', (e: Error) => {
      // 'close' follows and handles it; the cause is kept for the 'unreachable' event.
      this.socketError ??= e;
    });
    socket.on('close', () => this.onSocketClose(socket));
    this.startSweeper();
  }

  /** HELLO 3 with RESP2 fallback, AUTH, SETNAME, SELECT; then releases the offline queue. */
  private async handshake(socket: net.Socket): Promise<void> {
    const o = this.options;
    // Handshake commands go straight to the socket ahead of the offline queue.
    const direct = (args: Arg[]): Promise<RespValue> => {
      const cmd = new Command(args, false, false);
      if (o.commandTimeoutMs > 0) cmd.deadline = Date.now() + Math.max(o.commandTimeoutMs, o.connectTimeoutMs);
      this.write(cmd);
      return cmd.promise.then(
        (v) => v,
        (e: unknown) => (e instanceof ReplyError ? e : Promise.reject(e)),
      );
    };
    try {
      let proto: 2 | 3 = 2;
      const hello: Arg[] = ['HELLO', o.protocol];
      if (o.password !== undefined) hello.push('AUTH', o.username ?? 'default', o.password);
      if (o.clientName !== undefined) hello.push('SETNAME', o.clientName);
      const r = await direct(hello);
      if (r instanceof ReplyError) {
        if (!isFallbackError(r)) throw r;
        if (o.password !== undefined) {
          const a = await direct(o.username !== undefined ? ['AUTH', o.username, o.password] : ['AUTH', o.password]);
          if (a instanceof ReplyError) throw a;
        }
        if (o.clientName !== undefined) await direct(['CLIENT', 'SETNAME', o.clientName]);
      } else {
        proto = o.protocol;
      }
      if (o.db !== 0) {
        const s = await direct(['SELECT', o.db]);
        if (s instanceof ReplyError) throw s;
      }
      if (this.socket !== socket || socket.destroyed) return;
      this.clearConnectTimer();
      this.proto = proto;
      this.state = 'ready';
      this.attempts = 0;
      this.trace?.ok();
      this.trace = null;
      this.emit('ready');
      for (let cmd = this.offline.shift(); cmd !== undefined; cmd = this.offline.shift()) {
        if (!cmd.settled) this.write(cmd);
      }
    } catch (err) {
      if (this.socket !== socket) return;
      // A refused handshake (wrong password…) fails what is waiting now, then retries later.
      const e = err instanceof ReplyError ? err : new ConnectionClosedError(`handshake with ${this.address} failed`, false, { cause: err });
      this.socketError = e;
      this.emit('error', e);
      for (const cmd of this.offline.drain()) cmd.reject(e);
      socket.destroy();
    }
  }

  private onSocketClose(socket: net.Socket): void {
    if (this.socket !== socket) return;
    const connected = this.state === 'ready';
    this.socket = null;
    this.clearConnectTimer();
    this.writeScheduled = false;
    this.encoder.flush();
    // The socket's own error (ECONNRESET…), when it had one, is the cause of what this rejects.
    const why = this.socketError === null ? undefined : { cause: this.socketError };
    const err = new ConnectionClosedError(`connection to ${this.address} closed`, false, why);
    // Oldest first, so retried commands keep their order ahead of newer queued ones.
    const retry: Command[] = [];
    for (const cmd of this.inflight.drain()) {
      if (cmd.settled) continue;
      const safe = !cmd.written || (this.options.retryOnDisconnect && cmd.retryable && cmd.attempts < 2);
      if (safe && this.state !== 'closed') retry.push(cmd);
      else cmd.reject(new ConnectionClosedError(err.message, cmd.retryable, why));
    }
    for (let i = retry.length - 1; i >= 0; i--) this.offline.unshift(retry[i]!);
    this.resolveCloseWaiters();
    if (this.state === 'closed') {
      for (const cmd of this.offline.drain()) cmd.reject(new ClientClosedError());
      this.stopSweeper();
      this.emit('close');
      return;
    }
    this.state = 'reconnecting';
    this.counters.disconnects++;
    this.emit('disconnect', err);
    if (connected) {
      this.scheduleReconnect(this.socketError ?? err);
      return;
    }
    this.failAttempt(this.socketError);
  }

  /** A connect attempt failed (no ready connection came of it): 'unreachable', then retry. */
  private failAttempt(cause: Error | null): void {
    this.state = 'reconnecting';
    const why = cause === null ? 'closed during the handshake' : cause.message;
    const err = new ConnectionClosedError(`cannot connect to ${this.address}: ${why}`, true, cause === null ? undefined : { cause });
    this.trace?.fail(err);
    this.trace = null;
    this.emit('unreachable', err);
    this.scheduleReconnect(err);
  }

  /** The pause before the next attempt: retryStrategy's answer, or capped exponential backoff with jitter. */
  private nextDelay(attempt: number, err: Error): number | string {
    const o = this.options;
    if (o.retryStrategy !== null) {
      let ms: unknown;
      try {
        ms = o.retryStrategy(attempt, err);
      } catch (e) {
        return `retryStrategy threw: ${e instanceof Error ? e.message : String(e)}`;
      }
      if (ms === null) return 'retryStrategy returned null';
      return typeof ms === 'number' && ms >= 0 && Number.isFinite(ms) ? ms : `retryStrategy returned ${String(ms)}, not a delay in ms`;
    }
    const exp = Math.min(o.reconnectMaxDelayMs, o.reconnectBaseDelayMs * 2 ** Math.min(attempt - 1, 20));
    return exp / 2 + (Math.random() * exp) / 2;
  }

  private scheduleReconnect(err: Error): void {
    if (this.state === 'closed') return;
    const next = this.nextDelay(this.attempts + 1, err);
    this.attempts++;
    if (typeof next === 'string') {
      this.stop(next, err);
      return;
    }
    const delay = Math.min(next, this.probeCapMs);
    this.emit('reconnecting', { attempt: this.attempts, delayMs: Math.round(delay) });
    this.armReconnect(delay);
  }

  private armReconnect(delay: number): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectAt = Date.now() + delay;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.state !== 'closed') this.open();
    }, delay);
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  /** Caps the pause of a pending reconnect (and of later ones) at `capMs`; Infinity lifts the cap. */
  capReconnect(capMs: number): void {
    this.probeCapMs = capMs;
    if (this.reconnectTimer === null) return;
    const left = this.reconnectAt - Date.now();
    if (left > capMs) this.armReconnect(capMs);
  }

  /** retryStrategy gave up: no more attempts; queued and later commands reject with the reason. */
  private stop(reason: string, cause: Error): void {
    const e = new ReconnectStoppedError(this.address, this.attempts - 1, reason, { cause });
    this.stopped = e;
    this.state = 'closed';
    this.stopSweeper();
    for (const cmd of this.offline.drain()) cmd.reject(e);
    this.emit('stopped', e);
  }

  private startSweeper(): void {
    const t = this.options.commandTimeoutMs;
    if (t <= 0 || this.sweeper !== null) return;
    const every = Math.max(10, Math.min(100, Math.floor(t / 10)));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  private stopSweeper(): void {
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Times out expired commands: in flight (kept for FIFO matching) and queued (removed). */
  private sweep(): void {
    const now = Date.now();
    const ms = this.options.commandTimeoutMs;
    for (let i = 0; i < this.inflight.length; i++) {
      const cmd = this.inflight.at(i)!;
      if (cmd.deadline === 0 || cmd.deadline > now) break;
      if (!cmd.settled) {
        this.counters.timeouts++;
        cmd.reject(new CommandTimeoutError(cmd.name, cmd.timeoutMs || ms));
      }
    }
    for (let cmd = this.offline.peek(); cmd !== undefined && (cmd.settled || (cmd.deadline !== 0 && cmd.deadline <= now)); cmd = this.offline.peek()) {
      this.offline.shift();
      cmd.reject(new CommandTimeoutError(cmd.name, cmd.timeoutMs || ms));
    }
  }

  private resolveCloseWaiters(): void {
    const w = this.closeWaiters;
    this.closeWaiters = [];
    for (const fn of w) fn();
  }

  /** Settles every command waiting in the offline queue with `settle` (the node is known unreachable). */
  refuseQueued(settle: (cmd: Command) => void): void {
    for (const cmd of this.offline.drain()) settle(cmd);
  }

  /**
   * This connection's node left the topology: hands back the commands never written (the offline
   * queue, to be sent elsewhere) and closes. With `err` (a replaced master) the commands in flight
   * reject with it and the socket is destroyed now; with null (a replica dropped from the read
   * set) they get their replies first.
   */
  retire(err: Error | null): Command[] {
    const unsent = this.offline.drain();
    if (err === null) {
      void this.close(false);
      return unsent;
    }
    for (const cmd of this.inflight.drain()) cmd.reject(err);
    void this.close(true);
    return unsent;
  }

  /**
   * Closes the connection. Graceful by default: queued commands are rejected, commands in flight
   * get their replies (bounded by the command timeout), then the socket ends. `force` destroys now.
   */
  async close(force = false): Promise<void> {
    if (this.state === 'closed') return;
    const wasOpen = this.socket !== null;
    this.state = 'closed';
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    for (const cmd of this.offline.drain()) cmd.reject(new ClientClosedError());
    this.trace?.fail(new ClientClosedError());
    this.trace = null;
    const socket = this.socket;
    if (socket === null || !wasOpen) {
      this.stopSweeper();
      this.emit('close');
      return;
    }
    if (!force && this.inflight.length > 0) {
      const limit = this.options.commandTimeoutMs > 0 ? this.options.commandTimeoutMs : 5000;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, limit);
        this.closeWaiters.push(() => (clearTimeout(t), resolve()));
      });
    }
    await new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve();
      socket.once('close', () => resolve());
      if (force) socket.destroy();
      else socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    });
  }
}
