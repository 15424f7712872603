/**
 * Shared by the persistence integration tests: a no-retry ioredis connection, a canonical dump
 * of the dataset read through commands (every type, absolute expiry times), INFO field access,
 * and a writer that keeps issuing acknowledged writes until stopped (crash tests).
 */
import { Redis } from 'ioredis';

export async function connect(port: number): Promise<Redis> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  r.on('error', () => {});
  await r.connect();
  return r;
}

/** db:key → type and value, with PEXPIRETIME (absolute, so a restart does not change it). */
export async function dumpDataset(r: Redis, dbs = 4): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (let db = 0; db < dbs; db++) {
    await r.select(db);
    const keys = (await r.keys('*')).sort();
    for (const k of keys) {
      const type = await r.type(k);
      let v: unknown;
      // Bytes as latin1: binary values (bitmaps, HyperLogLogs) compare exactly.
      if (type === 'string') v = (await r.getBuffer(k))?.toString('latin1');
      else if (type === 'list') v = await r.lrange(k, 0, -1);
      else if (type === 'hash') v = Object.entries(await r.hgetall(k)).sort();
      else if (type === 'set') v = (await r.smembers(k)).sort();
      else if (type === 'zset') v = await r.call('ZRANGE', k, '0', '-1', 'WITHSCORES');
      else continue;
      out[`${db}:${k}`] = `${type}:${JSON.stringify(v)}@${String(await r.call('PEXPIRETIME', k))}`;
    }
  }
  await r.select(0);
  return out;
}

export async function info(r: Redis, field: string): Promise<string> {
  const text = await r.info('persistence');
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(text);
  return m === null ? '' : m[1]!.trim();
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000, everyMs = 20): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((res) => setTimeout(res, everyMs));
  }
  throw new RangeError(`condition not met within ${timeoutMs} ms`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}

/**
 * Writers issuing acknowledged writes (INCR of its own counter, then SET of a per-write key) until
 * stopped or the connection dies. `acked[i]` is the highest counter value writer i saw confirmed.
 */
export class AckedWriters {
  readonly acked: number[];
  private running = true;
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly clients: Redis[],
    private readonly prefix: string,
  ) {
    this.acked = clients.map(() => 0);
  }

  start(): void {
    this.clients.forEach((c, i) => this.loops.push(this.loop(c, i)));
  }

  private async loop(c: Redis, i: number): Promise<void> {
    while (this.running) {
      try {
        const n = await c.incr(`${this.prefix}:ctr:${i}`);
        await c.set(`${this.prefix}:w:${i}:${n}`, String(n));
        this.acked[i] = n;
      } catch {
        return;
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Acknowledged writes missing from a restarted server (0 when durable). */
  async losses(r: Redis): Promise<number> {
    let lost = 0;
    for (let i = 0; i < this.acked.length; i++) {
      const ctr = Number((await r.get(`${this.prefix}:ctr:${i}`)) ?? 0);
      if (ctr < this.acked[i]!) lost += this.acked[i]! - ctr;
      if (this.acked[i]! > 0 && (await r.get(`${this.prefix}:w:${i}:${this.acked[i]}`)) === null) lost++;
    }
    return lost;
  }
}
