/**
 * The latency monitor (Redis latency.c): per event class (`command`, `fast-command`,
 * `expire-cycle`, `eviction-cycle`, …) a ring of the last 160 samples at one-second resolution
 * (a second keeps its worst sample) and the all-time maximum, fed only with samples of at least
 * `latency-monitor-threshold` ms (0: off).
 */

/** Samples kept per event (Redis LATENCY_TS_LEN). */
const TS_LEN = 160;

export interface LatencySample {
  /** Unix time (s); 0 for an unused slot. */
  time: number;
  /** Milliseconds. */
  latency: number;
}

export class LatencySeries {
  readonly samples: LatencySample[] = Array.from({ length: TS_LEN }, () => ({ time: 0, latency: 0 }));
  idx = 0;
  max = 0;

  add(ms: number, now: number): void {
    if (ms > this.max) this.max = ms;
    const prev = this.samples[(this.idx + TS_LEN - 1) % TS_LEN]!;
    if (prev.time === now) {
      if (ms > prev.latency) prev.latency = ms;
      return;
    }
    const s = this.samples[this.idx]!;
    s.time = now;
    s.latency = ms;
    this.idx = (this.idx + 1) % TS_LEN;
  }

  /** Used samples, oldest first. */
  history(): LatencySample[] {
    const out: LatencySample[] = [];
    for (let j = 0; j < TS_LEN; j++) {
      const s = this.samples[(this.idx + j) % TS_LEN]!;
      if (s.time !== 0) out.push(s);
    }
    return out;
  }

  latest(): LatencySample {
    return this.samples[(this.idx + TS_LEN - 1) % TS_LEN]!;
  }
}

export class LatencyMonitor {
  readonly events = new Map<string, LatencySeries>();
  /** `latency-monitor-threshold` in ms; 0 = off. */
  thresholdMs = 0;

  /** Redis latencyAddSampleIfNeeded. */
  addIfNeeded(event: string, ms: number): void {
    if (this.thresholdMs === 0 || ms < this.thresholdMs) return;
    let ts = this.events.get(event);
    if (ts === undefined) this.events.set(event, (ts = new LatencySeries()));
    ts.add(Math.floor(ms), Math.floor(Date.now() / 1000));
  }

  /** Resets one event (case-insensitive) or all; returns how many were reset. */
  reset(event: string | null): number {
    let n = 0;
    for (const name of [...this.events.keys()]) {
      if (event === null || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        n++;
      }
    }
    return n;
  }
}
