/**
 * `client.monitor(shard?)`: the commands a node runs, as MONITOR streams them, on connections of
 * their own (one exclusive connection leased per shard: MONITOR turns a connection into a stream
 * of lines that answer no command, so it can never be a shared one). An async iterable of parsed
 * lines; without a shard, every shard on the ring is monitored and each line names its shard.
 *
 * Invariants: lines wait in a bounded buffer (`maxBuffered`, default 10 000); when the reader
 * falls behind, the oldest are dropped and counted in `dropped`, never the connection's memory.
 * MONITOR's state lives and dies with its connection: when one drops, the monitor ends with a
 * ConnectionClosedError (no silent reconnect without MONITOR); `close()`, `break` in `for await`,
 * or closing the client end it normally. Its connections are destroyed, never reused.
 */

import { ConnectionClosedError, ReplyError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { Shard } from '../routing/shard.js';
import type { Connection } from '../transport/connection.js';
import { Fifo } from '../transport/fifo.js';

/** One command a node ran, as MONITOR reported it. */
export interface MonitorLine {
  /** The shard whose node ran the command. */
  shard: string;
  /** Unix time in seconds (microsecond precision) when the node ran it. */
  time: number;
  /** The database it ran in. */
  db: number;
  /** Who sent it: `ip:port`, `unix:path` or `lua`. */
  source: string;
  /** The command and its arguments. */
  args: string[];
  /** The line as the node sent it. */
  raw: string;
}

/** Options of `client.monitor()`. */
export interface MonitorOptions {
  /** Lines kept for a slow reader before the oldest are dropped. Default 10 000. */
  maxBuffered?: number;
}

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, a: 7, b: 8, '"': 34, '\\': 92 };

/** The quoted arguments of a MONITOR line (Redis escapes them as sdscatrepr does). */
function parseArgs(s: string, from: number): string[] {
  const args: string[] = [];
  let i = from;
  while (i < s.length) {
    while (s[i] === ' ') i++;
    if (s[i] !== '"') break;
    const bytes: number[] = [];
    for (i++; i < s.length && s[i] !== '"'; i++) {
      const ch = s[i]!;
      if (ch !== '\\') {
        for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
        continue;
      }
      const e = s[++i] ?? '';
      if (e === 'x') {
        bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(ESCAPES[e] ?? e.charCodeAt(0));
    }
    i++;
    args.push(Buffer.from(bytes).toString('utf8'));
  }
  return args;
}

/** One MONITOR line (`1700000000.123456 [0 127.0.0.1:5000] "SET" "k" "v"`), or null when it is not one. */
export function parseMonitorLine(shard: string, raw: string): MonitorLine | null {
  const open = raw.indexOf(' [');
  const close = raw.indexOf('] ', open);
  if (open < 0 || close < 0) return null;
  const who = raw.slice(open + 2, close);
  const space = who.indexOf(' ');
  return { shard, time: Number(raw.slice(0, open)), db: Number(who.slice(0, space)), source: who.slice(space + 1), args: parseArgs(raw, close + 2), raw };
}

interface Waiter {
  resolve: (r: IteratorResult<MonitorLine>) => void;
  reject: (e: Error) => void;
}

/**
 * `client.monitor(shard?)`: the commands the nodes run, as an async iterable of MonitorLine, each
 * on an exclusive connection; ends with a ConnectionClosedError when a connection drops.
 */
export class Monitor implements AsyncIterable<MonitorLine> {
  /** Lines dropped because the reader fell behind. */
  dropped = 0;
  private readonly buffer = new Fifo<MonitorLine>(64);
  private readonly leases: { shard: Shard; conn: Connection }[] = [];
  private waiter: Waiter | null = null;
  private ended = false;
  private failure: Error | null = null;

  private constructor(private readonly maxBuffered: number) {}

  /** @internal Leases a connection per shard and sends MONITOR on each; rejects (closing them) when one fails. */
  static async open(shards: readonly Shard[], options: MonitorOptions = {}): Promise<Monitor> {
    const m = new Monitor(Math.max(1, options.maxBuffered ?? 10_000));
    try {
      for (const shard of shards) await m.start(shard);
    } catch (err) {
      await m.close();
      throw err;
    }
    return m;
  }

  /** Iterates the lines (`for await`); leaving the loop closes the monitor. */
  [Symbol.asyncIterator](): AsyncIterator<MonitorLine> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  /** The next line; done once closed (after the buffered lines), rejects when a connection dropped. */
  next(): Promise<IteratorResult<MonitorLine>> {
    const line = this.buffer.shift();
    if (line !== undefined) return Promise.resolve({ done: false, value: line });
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Stops monitoring: the connections are destroyed; a waiting `next()` is done. */
  async close(): Promise<void> {
    this.finish(null);
  }

  private async start(shard: Shard): Promise<void> {
    const conn = await shard.master.acquire('monitor()', false);
    this.leases.push({ shard, conn });
    conn.onUnsolicited = (v) => this.deliver(shard.name, v);
    conn.once('disconnect', () => this.finish(new ConnectionClosedError(`monitor: the connection to shard '${shard.name}' (${conn.address}) closed`)));
    conn.once('close', () => this.finish(null));
    await conn.send(['MONITOR']);
    if (this.ended) throw this.failure ?? new ConnectionClosedError(`monitor: closed while starting on shard '${shard.name}'`);
  }

  private deliver(shard: string, v: RespValue): void {
    if (this.ended) return;
    if (v instanceof ReplyError || typeof v !== 'string') return;
    const line = parseMonitorLine(shard, v);
    if (line === null) return;
    const w = this.waiter;
    if (w !== null) {
      this.waiter = null;
      w.resolve({ done: false, value: line });
      return;
    }
    if (this.buffer.length >= this.maxBuffered) {
      this.buffer.shift();
      this.dropped++;
    }
    this.buffer.push(line);
  }

  private finish(err: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = err;
    for (const { shard, conn } of this.leases.splice(0)) {
      conn.onUnsolicited = null;
      shard.master.discard(conn);
    }
    const w = this.waiter;
    this.waiter = null;
    if (w === null) return;
    if (err !== null) w.reject(err);
    else w.resolve({ done: true, value: undefined });
  }
}
