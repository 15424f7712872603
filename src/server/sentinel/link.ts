/**
 * Sentinel's outgoing links (Redis instanceLink): per master or replica a command connection and
 * a pub/sub connection subscribed to `__sentinel__:hello`; per other Sentinel a command
 * connection only. Commands are RESP2 arrays, pipelined; each reply goes to the callback of the
 * oldest command in flight (FIFO), errors included, as a value.
 *
 * Invariants: a link reconnects at most once per ping period; `close()` destroys both sockets and
 * no callback runs after it; a socket error or close marks the link disconnected and drops the
 * callbacks of its commands in flight (their replies can never come).
 */

import net from 'node:net';
import { encodeCommand } from '../../protocol/command-encoder.js';
import { ReplyParser } from '../../protocol/reply-parser.js';
import type { RespValue } from '../../protocol/resp-types.js';

export type ReplyCallback = (reply: RespValue) => void;

/** How the link authenticates and names itself on connect. */
export interface LinkSetup {
  host: string;
  port: number;
  /** AUTH arguments (`[pass]` or `[user, pass]`), or null. */
  auth: readonly string[] | null;
  /** The first 8 characters of our runid (`CLIENT SETNAME sentinel-<id8>-cmd`). */
  id8: string;
  /** Command renames of the monitored master (sentinel rename-command). */
  command(name: string): string;
  /** Pub/sub link messages (`message` frames of the hello channel). */
  onMessage: ((payload: string) => void) | null;
  /** A connection came up (to send the first PING at once). */
  onConnected(): void;
}

const CONNECT_TIMEOUT_MS = 1000;

/** One TCP connection with a FIFO of reply callbacks. */
class Conn {
  readonly socket: net.Socket;
  readonly parser: ReplyParser;
  readonly callbacks: (ReplyCallback | null)[] = [];
  connected = false;
  closed = false;
  readonly createdAt = Date.now();

  constructor(setup: LinkSetup, onDown: (c: Conn) => void, onReply: (c: Conn, v: RespValue) => void, onUp: (c: Conn) => void) {
    this.parser = new ReplyParser({
      onReply: (v) => onReply(this, v),
      onPush: (v) => onReply(this, v),
      onError: () => this.socket.destroy(),
    });
    this.socket = net.connect({ host: setup.host, port: setup.port });
    this.socket.setNoDelay(true);
    this.socket.setTimeout(CONNECT_TIMEOUT_MS);
    this.socket.on('timeout', () => {
      if (!this.connected) this.socket.destroy();
    });
    this.socket.on('connect', () => {
      this.connected = true;
      this.socket.setTimeout(0);
      onUp(this);
    });
    this.socket.on('data', (d: Buffer) => this.parser.feed(d));
    this.socket.on('error', () => {
      /* handled by close */
    });
    this.socket.on('close', () => {
      if (this.closed) return;
      this.closed = true;
      this.callbacks.length = 0;
      onDown(this);
    });
  }

  send(args: readonly string[], cb: ReplyCallback | null): void {
    this.callbacks.push(cb);
    this.socket.write(encodeCommand(args));
  }

  destroy(): void {
    this.closed = true;
    this.callbacks.length = 0;
    this.socket.destroy();
  }
}

export class InstanceLink {
  private cc: Conn | null = null;
  private pc: Conn | null = null;
  pendingCommands = 0;
  /**
   * When the first unanswered PING was sent (0 = none pending). Starts at creation, as Redis: an
   * instance we can never reach goes SDOWN after down-after.
   */
  actPingTime = Date.now();
  lastPingTime = 0;
  lastPongTime = Date.now();
  /** Last time the instance answered PING with an acceptable reply (or we connected). */
  lastAvailTime = Date.now();
  lastReconnTime = 0;
  ccConnTime = 0;
  pcConnTime = 0;
  pcLastActivity = 0;
  private closedForGood = false;

  constructor(
    private readonly setup: LinkSetup,
    private readonly withPubsub: boolean,
  ) {}

  /** True unless both needed connections are up. */
  get disconnected(): boolean {
    return this.cc === null || !this.cc.connected || (this.withPubsub && (this.pc === null || !this.pc.connected));
  }

  get cmdAge(): number {
    return this.cc === null ? 0 : Date.now() - this.ccConnTime;
  }

  /** Creates whatever connection is missing (Redis sentinelReconnectInstance). */
  reconnect(pingPeriod: number): void {
    if (this.closedForGood) return;
    const now = Date.now();
    if (this.cc !== null && (!this.withPubsub || this.pc !== null)) return;
    if (now - this.lastReconnTime < pingPeriod) return;
    this.lastReconnTime = now;
    if (this.cc === null) {
      this.pendingCommands = 0;
      this.cc = new Conn(this.setup, (c) => this.lost(c), (c, v) => this.reply(c, v), (c) => this.up(c, 'cmd'));
      this.ccConnTime = now;
    }
    if (this.withPubsub && this.pc === null) {
      this.pc = new Conn(this.setup, (c) => this.lost(c), (_c, v) => this.message(v), (c) => this.up(c, 'pubsub'));
      this.pcConnTime = now;
      this.pcLastActivity = now;
    }
  }

  private up(c: Conn, kind: 'cmd' | 'pubsub'): void {
    const s = this.setup;
    if (s.auth !== null) c.send([s.command('AUTH'), ...s.auth], null);
    c.send([s.command('CLIENT'), 'SETNAME', `sentinel-${s.id8}-${kind}`], null);
    if (kind === 'pubsub') c.send([s.command('SUBSCRIBE'), '__sentinel__:hello'], null);
    if (kind === 'cmd' || !this.disconnected) s.onConnected();
  }

  private lost(c: Conn): void {
    if (c === this.cc) {
      this.cc = null;
      this.pendingCommands = 0;
    }
    if (c === this.pc) this.pc = null;
  }

  /** Closes one connection so that it is re-created (link hygiene). */
  dropCmd(): void {
    if (this.cc === null) return;
    this.cc.destroy();
    this.cc = null;
    this.pendingCommands = 0;
  }

  dropPubsub(): void {
    if (this.pc === null) return;
    this.pc.destroy();
    this.pc = null;
  }

  private reply(c: Conn, v: RespValue): void {
    const cb = c.callbacks.shift();
    if (this.pendingCommands > 0) this.pendingCommands--;
    if (cb !== undefined && cb !== null) cb(v);
  }

  private message(v: RespValue): void {
    this.pcLastActivity = Date.now();
    if (!Array.isArray(v) || v.length !== 3 || v[0] !== 'message') return;
    const payload = v[2];
    if (typeof payload === 'string') this.setup.onMessage?.(payload);
  }

  /** Sends one command on the command connection; false when it is not connected. */
  send(args: readonly string[], cb: ReplyCallback | null): boolean {
    if (this.cc === null || !this.cc.connected) return false;
    this.cc.send(args, cb);
    this.pendingCommands++;
    return true;
  }

  /** The local address of the command connection (our IP as the instance sees us). */
  localAddress(): string | null {
    const a = this.cc?.socket.localAddress;
    if (a === undefined) return null;
    return a.startsWith('::ffff:') ? a.slice(7) : a;
  }

  close(): void {
    this.closedForGood = true;
    this.cc?.destroy();
    this.pc?.destroy();
    this.cc = null;
    this.pc = null;
  }
}
