/**
 * The main thread's side of MIGRATE's I/O: a synchronous `exchange` that blocks the event loop,
 * as Redis's MIGRATE blocks its server, while migrate-worker.ts talks to the target. The worker
 * answers on a MessagePort and raises a shared flag; the main thread waits on the flag
 * (Atomics.wait) and takes the answer with receiveMessageOnPort, so nothing else runs meanwhile.
 *
 * It also keeps Redis's connection cache bookkeeping (migrateCachedSocket): per `host:port`, the
 * database last selected and the last use; at most 64 connections, each closed after 10 idle
 * seconds (`closeIdle`, from the cron). The worker is started on first use and never keeps the
 * process alive.
 */

import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ExchangeRequest, ExchangeResult } from './migrate-worker.js';

const CACHE_ITEMS = 64;
const CACHE_TTL_MS = 10_000;
/** Slack on top of the I/O timeouts before the worker is presumed stuck and replaced. */
const WAIT_SLACK_MS = 2000;

export interface CachedTarget {
  /** The database selected on that connection, or -1 (forces SELECT). */
  lastDbid: number;
  lastUse: number;
}

export class MigrateLink {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private readonly flag = new SharedArrayBuffer(4);
  private readonly signal = new Int32Array(this.flag);
  readonly cache = new Map<string, CachedTarget>();

  private start(): Worker {
    if (this.worker !== null) return this.worker;
    const { port1, port2 } = new MessageChannel();
    const w = new Worker(new URL('./migrate-worker.js', import.meta.url), {
      workerData: { flag: this.flag, replies: port2 },
      transferList: [port2],
    });
    w.unref();
    w.on('error', () => this.reset());
    this.worker = w;
    this.port = port1;
    return w;
  }

  private reset(): void {
    void this.worker?.terminate();
    this.port?.close();
    this.worker = null;
    this.port = null;
    this.cache.clear();
  }

  /** Posts a request and waits for its answer; null when the worker did not answer in time. */
  private call(req: ExchangeRequest | { op: 'close'; name: string }, waitMs: number): ExchangeResult | null | undefined {
    const w = this.start();
    Atomics.store(this.signal, 0, 0);
    w.postMessage(req);
    if (Atomics.wait(this.signal, 0, 0, waitMs) === 'timed-out') {
      this.reset();
      return undefined;
    }
    return receiveMessageOnPort(this.port!)?.message as ExchangeResult | null | undefined;
  }

  /** The cached entry for a target (created, evicting one at random when full), stamped as used now. */
  target(name: string, now: number): CachedTarget {
    let t = this.cache.get(name);
    if (t === undefined) {
      if (this.cache.size >= CACHE_ITEMS) {
        const names = [...this.cache.keys()];
        this.close(names[Math.floor(Math.random() * names.length)]!);
      }
      t = { lastDbid: -1, lastUse: now };
      this.cache.set(name, t);
    }
    t.lastUse = now;
    return t;
  }

  /** Writes `bytes` to the target and reads `lines` reply lines, blocking until done or failed. */
  exchange(name: string, host: string, port: number, timeout: number, bytes: Uint8Array, lines: number): ExchangeResult {
    const waitMs = timeout * (3 + lines + Math.ceil(bytes.length / 65536)) + WAIT_SLACK_MS;
    const r = this.call({ op: 'exchange', name, host, port, timeout, bytes, lines }, waitMs);
    if (r === undefined || r === null) return { lines: [], failed: 'read', timedOut: true };
    if (r.failed === 'connect') this.cache.delete(name);
    return r;
  }

  /** migrateCloseSocket. */
  close(name: string): void {
    if (!this.cache.delete(name) || this.worker === null) return;
    this.call({ op: 'close', name }, WAIT_SLACK_MS);
  }

  /** migrateCloseTimedoutSockets: connections unused for more than 10 s. */
  closeIdle(now: number): void {
    for (const [name, t] of this.cache) if (now - t.lastUse > CACHE_TTL_MS) this.close(name);
  }

  shutdown(): void {
    this.reset();
  }
}
