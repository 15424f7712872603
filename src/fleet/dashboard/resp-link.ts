/**
 * One persistent RESP2 connection the dashboard keeps to a node or a Sentinel: `send` pipelines a
 * batch of commands in one write and resolves with their replies in order (an error reply is a
 * ReplyError value, not a rejection), or rejects when the whole batch is not answered within its
 * timeout. `subscribe` turns the link into a subscriber that hands every message to a callback.
 *
 * With credentials, every new connection first sends AUTH (its reply consumed here; a refusal fails
 * the batch with the server's error).
 *
 * Invariants: at most one batch in flight (the poller never overlaps polls of one node); a timeout,
 * a socket error or a close destroys the socket and fails what is in flight, and the next `send`
 * connects again — a dead node never blocks anything for longer than one timeout. `close` is final.
 */

import net from 'node:net';
import { FleetError, ReplyError } from '../../errors.js';
import { encodeCommand } from '../../protocol/command-encoder.js';
import { ReplyParser } from '../../protocol/reply-parser.js';
import type { RespValue } from '../../protocol/resp-types.js';

export interface Address {
  host: string;
  port: number;
}

/** "host:port" (IPv6 hosts without brackets: the last colon splits). */
export function parseAddress(text: string): Address {
  const i = text.lastIndexOf(':');
  const port = Number(text.slice(i + 1));
  const host = text.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  if (i <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw new FleetError(`'${text}' is not host:port`);
  return { host, port };
}

interface Pending {
  want: number;
  got: RespValue[];
  resolve(v: RespValue[]): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class RespLink {
  private socket: net.Socket | null = null;
  private pending: Pending | null = null;
  private onMessage: ((msg: RespValue[]) => void) | null = null;
  private closed = false;
  private authPending = false;

  /** `auth`: AUTH's arguments ([password] or [user, password]), or null. */
  constructor(
    readonly addr: Address,
    private readonly auth: readonly string[] | null = null,
  ) {}

  /** Sends the commands in one write; their replies, in order. */
  send(commands: readonly (readonly string[])[], timeoutMs: number): Promise<RespValue[]> {
    if (this.closed) return Promise.reject(new FleetError('link closed'));
    if (this.pending !== null) return Promise.reject(new FleetError('a batch is already in flight'));
    const socket = this.connect();
    return new Promise<RespValue[]>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new FleetError(`${this.addr.host}:${this.addr.port} did not answer within ${timeoutMs} ms`)), timeoutMs);
      this.pending = { want: commands.length, got: [], resolve, reject, timer };
      for (const c of commands) socket.write(encodeCommand(c));
    });
  }

  /** Subscribes (SUBSCRIBE, on its own link) and delivers every later message array. */
  async subscribe(channels: readonly string[], timeoutMs: number, onMessage: (msg: RespValue[]) => void): Promise<void> {
    this.onMessage = null;
    const socket = this.connect();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new FleetError(`${this.addr.host}:${this.addr.port}: SUBSCRIBE timed out`)), timeoutMs);
      this.pending = { want: channels.length, got: [], resolve: () => resolve(), reject, timer };
      socket.write(encodeCommand(['SUBSCRIBE', ...channels]));
    });
    this.onMessage = onMessage;
  }

  /** True while a socket is open (or opening). */
  get connected(): boolean {
    return this.socket !== null;
  }

  close(): void {
    this.closed = true;
    this.fail(new FleetError('link closed'));
  }

  private connect(): net.Socket {
    if (this.socket !== null) return this.socket;
    const socket = net.connect({ host: this.addr.host, port: this.addr.port });
    socket.setNoDelay(true);
    const parser = new ReplyParser({ onReply: (v) => this.reply(v), onPush: (v) => this.onMessage?.(v), onError: (e) => this.fail(e) });
    socket.on('data', (d: Buffer) => parser.feed(d));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new FleetError('connection closed')));
    this.socket = socket;
    if (this.auth !== null) {
      this.authPending = true;
      socket.write(encodeCommand(['AUTH', ...this.auth]));
    }
    return socket;
  }

  private reply(v: RespValue): void {
    if (this.authPending) {
      this.authPending = false;
      if (v instanceof ReplyError) this.fail(v);
      return;
    }
    const p = this.pending;
    if (p === null) {
      if (this.onMessage !== null && Array.isArray(v)) this.onMessage(v);
      return;
    }
    p.got.push(v);
    if (p.got.length < p.want) return;
    clearTimeout(p.timer);
    this.pending = null;
    p.resolve(p.got);
  }

  private fail(err: Error): void {
    const s = this.socket;
    this.socket = null;
    this.onMessage = null;
    this.authPending = false;
    if (s !== null) {
      s.removeAllListeners();
      s.on('error', () => {});
      s.destroy();
    }
    const p = this.pending;
    this.pending = null;
    if (p !== null) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }
}
