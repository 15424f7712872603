/**
 * One socket to one node: handshake, auto-pipelining, FIFO reply matching, timeouts, reconnects.
 *
 * - Auto-pipelining: every command sent in one tick is encoded into one batch and leaves in one
 *   corked write on the next tick (process.nextTick with a static function: no closure per command).
 * - Replies resolve in FIFO order; RESP3 push frames go to `onPush` and never consume a command.
 *   Replies take RESP2's shape on either protocol (the parser's `resp2Shape`: maps as flat arrays,
 *   doubles as strings, booleans as 1/0; the few commands RESP3 nests differently are re-nested by
 *   protocol/reply-nesting.ts), so nothing above depends on the protocol negotiated.
 * - Handshake on every (re)connect (handshake.ts). Timeouts are on by default and swept by one
 *   timer per connection (timeouts.ts); a timed-out command stays in the FIFO so its late reply is
 *   consumed and dropped.
 * - While disconnected, commands wait in a bounded offline queue (full → OfflineQueueFullError).
 *   When a connection dies, unwritten commands and retryable ones (read-only/idempotent, once) are
 *   re-queued; the rest reject with a ConnectionClosedError. No promise waits forever.
 * - Reconnect pauses as reconnect-delay.ts says (backoff, or `retryStrategy`); a strategy that
 *   gives up stops reconnecting for good: queued commands, and every later one, reject with
 *   ReconnectStoppedError and 'stopped' is emitted. `probeCapMs` (set while the node is known
 *   down) caps any delay, so a node that answers again is found within it.
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
import {
  ClientClosedError,
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
import { dial, endSocket } from './dial.js';
import { Fifo } from './fifo.js';
import type { ConnectionOptions } from './connection-options.js';
import { handshake } from './handshake.js';
import { isPubSubFrame } from './pubsub-frames.js';
import type { NodeMetrics } from './node-metrics.js';
import { reconnectDelay } from './reconnect-delay.js';
import { expireInFlight, expireQueued, Sweeper } from './timeouts.js';

export type { ConnectionOptions } from './connection-options.js';
export type { RetryStrategy } from './reconnect-delay.js';

/** A connection's state: 'idle' (not opened yet), 'connecting' (TCP/TLS and handshake), 'ready', 'reconnecting' (waiting out its backoff), 'closed'. */
export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closed';

function flushWrites(conn: Connection): void {
  conn.flushWrites();
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
  private readonly sweeper = new Sweeper(() => this.sweep());
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
      void this.greet(socket);
    });
    socket.on('data', (chunk: Buffer) => this.parser.feed(chunk));
    socket.on('error', (e: Error) => {
      // 'close' follows and handles it; the cause is kept for the 'unreachable' event.
      this.socketError ??= e;
    });
    socket.on('close', () => this.onSocketClose(socket));
    this.sweeper.start(this.options.commandTimeoutMs);
  }

  /** The handshake (handshake.ts), then releases the offline queue. */
  private async greet(socket: net.Socket): Promise<void> {
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
      const proto = await handshake(direct, o);
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
      this.sweeper.stop();
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

  private scheduleReconnect(err: Error): void {
    if (this.state === 'closed') return;
    const next = reconnectDelay(this.options, this.attempts + 1, err);
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
    this.sweeper.stop();
    for (const cmd of this.offline.drain()) cmd.reject(e);
    this.emit('stopped', e);
  }

  /** Times out expired commands: in flight (kept for FIFO matching) and queued (removed). */
  private sweep(): void {
    const now = Date.now();
    const ms = this.options.commandTimeoutMs;
    this.counters.timeouts += expireInFlight(this.inflight, now, ms);
    expireQueued(this.offline, now, ms);
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
      this.sweeper.stop();
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
    await endSocket(socket, force);
  }
}
