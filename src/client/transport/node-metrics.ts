/**
 * Counters and a sampled latency histogram for one node's pool (`RingClient.metrics()`): every
 * command the pool takes is tagged with its NodeMetrics (`track`) and counted when it settles, on
 * whatever path it settles (a reply, a timeout, a refusal while the shard is down, a dropped
 * connection), so the counts need no bookkeeping anywhere else.
 *
 * Latency is sampled: one command in SAMPLE_EVERY is stamped with `performance.now()` when the pool
 * takes it and observed when it settles (the time a caller waits, queueing included), so the clock
 * costs nothing on the other commands. Memory is fixed: the buckets, a few numbers, and one map
 * entry per error code seen.
 */

import { ReplyError, RingcacheError } from '../../errors.js';

/** What `track` tags: a command (transport/command.ts). */
export interface Tracked {
  metrics: NodeMetrics | null;
  /** performance.now() when taken, for a sampled command; else 0. */
  sentAt: number;
}

/** One command in this many is timed. */
export const SAMPLE_EVERY = 64;

/** Upper bounds of the latency buckets, in seconds (Prometheus' convention): 100 µs … 10 s. */
export const LATENCY_BOUNDS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A latency histogram: how many sampled commands took at most each bound. */
export interface LatencyHistogram {
  /** Upper bounds in seconds, ascending (LATENCY_BOUNDS). */
  bounds: readonly number[];
  /** Sampled commands per bucket, NOT cumulative: `counts[i]` took more than `bounds[i-1]` and at most `bounds[i]`; the last entry is above the last bound. */
  counts: number[];
  /** Sampled commands. */
  count: number;
  /** Their summed latency, in seconds. */
  sum: number;
  /** One command in this many was sampled. */
  sampleEvery: number;
}

/** The key errors are counted under: a coded error's code; a server error reply's prefix as `ERR_REPLY:<PREFIX>`. */
export function errorKey(e: Error): string {
  if (e instanceof ReplyError) return `ERR_REPLY:${e.prefix}`;
  return e instanceof RingcacheError ? e.code : 'ERR_UNCODED';
}

export class NodeMetrics {
  /** Commands settled (a reply, or an error of any kind). */
  commands = 0;
  /** Reconnect attempts of the pool's connections. */
  reconnects = 0;
  private readonly errors = new Map<string, number>();
  private readonly buckets = new Float64Array(LATENCY_BOUNDS.length + 1);
  private sampled = 0;
  private sumSeconds = 0;
  private tick = 0;

  /** Tags a command the pool took: it is counted when it settles; one in SAMPLE_EVERY is timed. */
  track(cmd: Tracked): void {
    if (cmd.metrics !== null) return; // taken before (a parked pool's command, a retry)
    cmd.metrics = this;
    if (++this.tick === SAMPLE_EVERY) {
      this.tick = 0;
      cmd.sentAt = performance.now();
    }
  }

  /** Called once by the command when it settles (`error` null on a reply). */
  settled(cmd: Tracked, error: Error | null): void {
    this.commands++;
    if (error !== null) {
      const k = errorKey(error);
      this.errors.set(k, (this.errors.get(k) ?? 0) + 1);
    }
    if (cmd.sentAt !== 0) this.observe((performance.now() - cmd.sentAt) / 1000);
  }

  /** One latency observation, in seconds. */
  observe(seconds: number): void {
    let i = 0;
    while (i < LATENCY_BOUNDS.length && seconds > LATENCY_BOUNDS[i]!) i++;
    this.buckets[i]!++;
    this.sampled++;
    this.sumSeconds += seconds;
  }

  /** Errors by key (see `errorKey`), as a plain object. */
  errorCounts(): Record<string, number> {
    const out: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const [k, n] of this.errors) out[k] = n;
    return out;
  }

  /** A copy of the latency histogram. */
  latency(): LatencyHistogram {
    return { bounds: LATENCY_BOUNDS, counts: Array.from(this.buckets), count: this.sampled, sum: this.sumSeconds, sampleEvery: SAMPLE_EVERY };
  }
}
