/**
 * Unknown option names: every key of an options object (and of its nested objects) must be one the
 * schema lists, or `checkOptionNames` throws InvalidOptionError naming it by its path
 * (`pool.maxExclusiv`) and the closest valid name (`pool.maxExclusive`), so a typo fails at
 * construction instead of being ignored. Values are not checked here (options.ts does).
 *
 * Closest name: a known ioredis / node-redis / generic-pool spelling maps to ours (`connectTimeout`
 * → `connectTimeoutMs`, `pool.max` → `pool.size`); otherwise the valid name at the smallest edit distance
 * (Levenshtein, case-insensitive), if it is close enough to be a typo rather than another word.
 * Pure; imports only errors.
 */

import { InvalidOptionError } from '../errors.js';

/**
 * What a key holds: 'open' (a value, or an object whose keys are not ours to check: TLS options),
 * named keys, or an array of objects.
 */
export type OptionShape = 'open' | { readonly [key: string]: OptionShape } | { readonly each: OptionShape };

/** Names other clients (ioredis, node-redis, generic-pool) use for our options, by path. */
const FOREIGN: Readonly<Record<string, string>> = {
  'pool.max': 'size',
  'pool.min': 'size',
  connectTimeout: 'connectTimeoutMs',
  commandTimeout: 'commandTimeoutMs',
  socketTimeout: 'commandTimeoutMs',
  connectionName: 'clientName',
  name: 'clientName',
  keepAlive: 'keepAliveMs',
  enableOfflineQueue: 'offlineQueueMax',
  maxRetriesPerRequest: 'retryOnDisconnect',
  retry_strategy: 'retryStrategy',
  scaleReads: 'readFrom',
  sentinelTLS: 'sentinelTls',
  enableTLSForSentinelMode: 'sentinelTls',
  host: 'shards',
  port: 'shards',
  url: 'shards',
  database: 'db',
};

/** Levenshtein distance (two rows: O(|b|) memory). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The valid name closest to `given`, or null when none is close enough. */
export function closestName(given: string, valid: readonly string[], path: string): string | null {
  const alias = FOREIGN[path === '' ? given : `${path}.${given}`];
  if (alias !== undefined && valid.includes(alias)) return alias;
  const g = given.toLowerCase();
  let best: string | null = null;
  let bestD = Infinity;
  for (const v of valid) {
    const d = distance(g, v.toLowerCase());
    if (d < bestD) {
      best = v;
      bestD = d;
    }
  }
  if (best === null) return null;
  const l = best.toLowerCase();
  const prefix = g.length >= 4 && (l.startsWith(g) || g.startsWith(l));
  return bestD <= Math.max(2, Math.floor(given.length / 3)) || prefix ? best : null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Buffer.isBuffer(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Throws InvalidOptionError for the first key of `value` (at `path`) that `shape` does not list. */
export function checkOptionNames(value: unknown, shape: OptionShape, path = ''): void {
  if (shape === 'open') return;
  if ('each' in shape && Object.keys(shape).length === 1) {
    if (Array.isArray(value)) value.forEach((item, i) => checkOptionNames(item, shape.each as OptionShape, `${path}[${i}]`));
    return;
  }
  if (!isPlainObject(value)) return;
  const fields = shape as { readonly [key: string]: OptionShape };
  const valid = Object.keys(fields);
  for (const key of Object.keys(value)) {
    const full = path === '' ? key : `${path}.${key}`;
    const inner = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (inner === undefined) {
      const near = closestName(key, valid, path.replace(/\[\d+\]/g, ''));
      throw new InvalidOptionError(full, near === null ? null : path === '' ? near : `${path}.${near}`, valid);
    }
    if (value[key] !== undefined) checkOptionNames(value[key], inner, full);
  }
}
