/**
 * `ringcache_command_duration_seconds{cmd}`: the histogram of a random sample of the calls' run
 * times, kept in typed arrays so that recording a sampled call allocates nothing (prom-client's own
 * Histogram builds label objects and a hash string per observation), and exposed to the prom-client
 * Registry as a collector that follows prom-client's metric contract (`name`, `help`, `type`,
 * `get()`, `reset()`), read at scrape time.
 *
 * Invariants: one Float64Array per command that was sampled at least once, indexed by the
 * command's id: BOUNDS_US.length + 1 bucket counts (the last is +Inf), then the sum of µs; a call
 * counts in the first bucket whose bound it does not exceed (Prometheus's `le`).
 */

import { commandIdCount, type CommandSpec } from '../../commands/spec.js';

/** 1 µs … 1 s in 1-2.5-5 steps: commands take microseconds, slow ones milliseconds. */
const BOUNDS_US = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000];
const BUCKETS = BOUNDS_US.length + 1;
const SUM = BUCKETS;

/** One sample as prom-client's Registry reads it. */
interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

/** What prom-client's Registry reads from a metric (its MetricObjectWithValues). */
export interface CollectedMetric {
  name: string;
  help: string;
  type: 'histogram';
  values: Sample[];
  aggregator: 'sum';
}

export class DurationHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly counts: (Float64Array | null)[] = new Array<Float64Array | null>(commandIdCount()).fill(null);
  private readonly names: string[] = new Array<string>(commandIdCount()).fill('');

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** Records one sampled call of `spec` that took `usec` µs. */
  observe(spec: CommandSpec, usec: number): void {
    let h = this.counts[spec.id] ?? null;
    if (h === null) {
      h = this.counts[spec.id] = new Float64Array(BUCKETS + 1);
      this.names[spec.id] = spec.fullName;
    }
    let b = 0;
    while (b < BOUNDS_US.length && usec > BOUNDS_US[b]!) b++;
    h[b]!++;
    h[SUM]! += usec;
  }

  /** The exposition samples: cumulative `_bucket{le}`, `_sum` (seconds) and `_count` per command. */
  get(): Promise<CollectedMetric> {
    const values: Sample[] = [];
    this.counts.forEach((h, id) => {
      if (h === null) return;
      const cmd = this.names[id]!;
      let cumulative = 0;
      for (let b = 0; b < BUCKETS; b++) {
        cumulative += h[b]!;
        values.push({ metricName: `${this.name}_bucket`, value: cumulative, labels: { le: b < BOUNDS_US.length ? BOUNDS_US[b]! / 1e6 : '+Inf', cmd } });
      }
      values.push({ metricName: `${this.name}_sum`, value: h[SUM]! / 1e6, labels: { cmd } });
      values.push({ metricName: `${this.name}_count`, value: cumulative, labels: { cmd } });
    });
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  reset(): void {
    this.counts.fill(null);
  }
}
