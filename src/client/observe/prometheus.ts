/**
 * `RingClient.registerMetrics(registry)`: the client's metrics (observe/metrics.ts) as Prometheus
 * metrics in a `prom-client` Registry the application already has. Each metric is a collector
 * read at scrape time from `RingClient.metrics()` — no second bookkeeping, nothing on the command
 * path. The collectors follow prom-client's metric contract (`name`, `help`, `type`, `get()`,
 * `reset()`), so this module does not import prom-client: it works with the application's copy,
 * whatever its version (14 or 15), and importing the client never loads prom-client.
 *
 * Metrics (prefix `ringcache_client_` unless `prefix` is given), labelled by shard:
 * commands_total, errors_total{code}, timeouts_total, reconnects_total,
 * command_duration_seconds (histogram, sampled: one command in 64), and, with a local cache,
 * local_cache_hits_total, local_cache_misses_total, local_cache_invalidations_total and
 * hot_key_reads_per_second{key}.
 */

import { InvalidArgumentError } from '../../errors.js';
import type { ClientMetrics } from './metrics.js';

/** Label names to values of one sample. */
export type PromLabels = Record<string, string | number>;

/** One sample as prom-client's Registry reads it. */
export interface PromSample {
  /** The sample's value. */
  value: number;
  /** Its labels (shard, code, key…, plus RegisterMetricsOptions.labels). */
  labels: PromLabels;
  /** A histogram's series name (`…_bucket`, `…_sum`, `…_count`); absent for counters and gauges. */
  metricName?: string;
}

/** What a collector's `get()` resolves with (prom-client's MetricObjectWithValues). */
export interface PromMetricObject {
  /** The metric's full name, prefix included. */
  name: string;
  /** Its HELP text. */
  help: string;
  /** Its Prometheus type. */
  type: 'counter' | 'gauge' | 'histogram';
  /** Its samples now. */
  values: PromSample[];
  /** How prom-client's cluster mode combines workers' samples: summed. */
  aggregator: 'sum';
}

/** A metric as prom-client's Registry uses it. */
export interface PromCollector {
  /** The metric's full name, prefix included. */
  readonly name: string;
  /** Its HELP text. */
  readonly help: string;
  /** Its Prometheus type. */
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** How prom-client's cluster mode combines workers' samples: summed. */
  readonly aggregator: 'sum';
  /** Reads the samples from `client.metrics()` now (at scrape time). */
  get(): Promise<PromMetricObject>;
  /** Does nothing: the counters belong to the client, which a registry reset does not clear. */
  reset(): void;
}

/** What any prom-client metric has (its Counter, Gauge … and our collectors). */
export interface PromMetricLike {
  /** The metric's current samples. */
  get(): Promise<unknown>;
  /** Clears the metric (prom-client's `registry.resetMetrics()` calls it). */
  reset(): void;
}

/** The part of a prom-client `Registry` this uses (its registerMetric takes a PromCollector as it takes any metric). */
export interface PromRegistry {
  /** Adds a metric to the registry (throws when the name is taken). */
  registerMetric(metric: PromMetricLike): void;
  /** Removes the metric of that name. */
  removeSingleMetric(name: string): void;
}

/** Options of `registerMetrics`. */
export interface RegisterMetricsOptions {
  /** Prepended to every metric name. Default 'ringcache_client_'; give each client its own when several share a registry. */
  prefix?: string;
  /** Labels added to every sample (e.g. { app: 'checkout' }). Default none. */
  labels?: PromLabels;
}

type Read = (m: ClientMetrics) => PromSample[];

/** Registers the collectors; returns a function that removes them again. */
export function registerMetrics(registry: PromRegistry, source: () => ClientMetrics, options: RegisterMetricsOptions = {}): () => void {
  if (registry === null || typeof registry !== 'object' || typeof registry.registerMetric !== 'function') {
    throw new InvalidArgumentError('registerMetrics: registry must be a prom-client Registry (it has registerMetric())');
  }
  const prefix = options.prefix ?? 'ringcache_client_';
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) throw new InvalidArgumentError(`registerMetrics: prefix '${prefix}' is not a valid Prometheus metric name start`);
  const extra = options.labels ?? {};
  const names: string[] = [];
  const add = (name: string, help: string, type: PromCollector['type'], read: Read): void => {
    const full = prefix + name;
    const get = (): Promise<PromMetricObject> => {
      const values = read(source());
      for (const v of values) v.labels = { ...v.labels, ...extra };
      return Promise.resolve({ name: full, help, type, values, aggregator: 'sum' });
    };
    const collector: PromCollector = { name: full, help, type, aggregator: 'sum', get, reset: () => undefined };
    registry.registerMetric(collector);
    names.push(full);
  };
  const perShard = (pick: (s: ClientMetrics['shards'][number]) => number): Read => (m) => m.shards.map((s) => ({ value: pick(s), labels: { shard: s.shard } }));
  add('commands_total', 'Commands settled by the shard (replies and errors).', 'counter', perShard((s) => s.commands));
  add('errors_total', 'Commands that failed, by error code (server error replies as ERR_REPLY:<PREFIX>).', 'counter', (m) =>
    m.shards.flatMap((s) => Object.entries(s.errors).map(([code, n]) => ({ value: n, labels: { shard: s.shard, code } }))),
  );
  add('timeouts_total', 'Commands that timed out.', 'counter', perShard((s) => s.timeouts));
  add('reconnects_total', 'Reconnect attempts of the shard connections.', 'counter', perShard((s) => s.reconnects));
  add('command_duration_seconds', 'Command latency as callers saw it, sampled (one command in 64).', 'histogram', (m) => m.shards.flatMap((s) => histogramSamples(prefix + 'command_duration_seconds', s.shard, s.latency)));
  add('local_cache_hits_total', 'Reads answered from the local cache.', 'counter', (m) => (m.localCache === null ? [] : [{ value: m.localCache.hits, labels: {} }]));
  add('local_cache_misses_total', 'Hot-key reads that had to load.', 'counter', (m) => (m.localCache === null ? [] : [{ value: m.localCache.misses, labels: {} }]));
  add('local_cache_invalidations_total', 'Local cache entries dropped because their key changed.', 'counter', (m) =>
    m.localCache === null ? [] : [{ value: m.localCache.invalidations, labels: {} }],
  );
  add('hot_key_reads_per_second', 'Estimated reads per second of the keys the client calls hot now.', 'gauge', (m) =>
    m.localCache === null ? [] : m.localCache.hotKeys.map((h) => ({ value: h.rate, labels: { key: h.key } })),
  );
  return () => {
    for (const n of names) registry.removeSingleMetric(n);
  };
}

/** A histogram's samples as Prometheus writes them: cumulative `_bucket{le}`, `_sum`, `_count`. */
function histogramSamples(name: string, shard: string, h: ClientMetrics['shards'][number]['latency']): PromSample[] {
  const out: PromSample[] = [];
  let cumulative = 0;
  for (let i = 0; i < h.counts.length; i++) {
    cumulative += h.counts[i]!;
    out.push({ metricName: `${name}_bucket`, value: cumulative, labels: { shard, le: i < h.bounds.length ? h.bounds[i]! : '+Inf' } });
  }
  out.push({ metricName: `${name}_sum`, value: h.sum, labels: { shard } });
  out.push({ metricName: `${name}_count`, value: h.count, labels: { shard } });
  return out;
}
