/**
 * Sentinel groups for the Sentinel-mode tests: our own `ringcache-server --sentinel` processes and
 * real `redis-sentinel` ones, each with its own sentinel.conf in a temp dir (both rewrite it),
 * monitoring one master `m` with short timings. `ask` runs one command on a fresh ioredis
 * connection (Sentinel's CLIENT KILL may close long-lived ones on data nodes).
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { until as poll } from './poll.js';
import { RINGCACHE_BIN, freePort, launch, type ServerProcess } from './processes.js';

export interface GroupTimings {
  downAfterMs: number;
  failoverTimeoutMs: number;
  quorum: number;
}

export const SHORT: GroupTimings = { downAfterMs: 1000, failoverTimeoutMs: 3000, quorum: 2 };

function conf(port: number, dir: string, masterPort: number, t: GroupTimings): string {
  return [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${dir}`,
    `sentinel monitor m 127.0.0.1 ${masterPort} ${t.quorum}`,
    `sentinel down-after-milliseconds m ${t.downAfterMs}`,
    `sentinel failover-timeout m ${t.failoverTimeoutMs}`,
    '',
  ].join('\n');
}

/** Starts one Sentinel: ours (`own`) or redis-sentinel. */
export async function startSentinelOf(kind: 'own' | 'redis', masterPort: number, t: GroupTimings = SHORT): Promise<ServerProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `sentinel-${kind}-`));
  const file = join(dir, 'sentinel.conf');
  writeFileSync(file, conf(port, dir, masterPort, t));
  if (kind === 'own') return launch(process.execPath, [RINGCACHE_BIN, file, '--sentinel'], port, dir, /Ready to accept connections/, {});
  return launch('redis-sentinel', [file], port, dir, /\+monitor master m /, {});
}

/** Starts our Sentinel again on its own (rewritten) config file after it exited. */
export function relaunchOwnSentinel(old: ServerProcess): Promise<ServerProcess> {
  return launch(process.execPath, [RINGCACHE_BIN, join(old.dir, 'sentinel.conf'), '--sentinel'], old.port, old.dir, /Ready to accept connections/, {});
}

/** One command on a fresh connection; null when the node does not answer. */
export async function ask(port: number, ...args: string[]): Promise<unknown> {
  const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  c.on('error', () => {});
  try {
    await c.connect();
    return await c.call(args[0]!, ...args.slice(1));
  } catch {
    return null;
  } finally {
    c.disconnect();
  }
}

export { sleep } from './poll.js';

/** Polls `fn` every 100 ms until it is true (bounded: 20 s by default). */
export function until(what: string, fn: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  return poll(what, fn, timeoutMs, 100);
}

/** The master address a Sentinel reports for `m`, as `port` (0 when unknown). */
export async function masterPortOf(sentinelPort: number): Promise<number> {
  const r = await ask(sentinelPort, 'SENTINEL', 'get-master-addr-by-name', 'm');
  return Array.isArray(r) ? Number(r[1]) : 0;
}

/** One field of INFO replication (fresh connection), '' when unreachable. */
export async function replField(port: number, name: string): Promise<string> {
  const info = await ask(port, 'INFO', 'replication');
  if (typeof info !== 'string') return '';
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  return m === null ? '' : m[1]!.trim();
}

/** Field/value flat array → object. */
export function fields(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}
