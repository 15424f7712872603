/** The sampled duration histogram (src/server/metrics/duration-histogram.ts) as prom-client's Registry exposes it. */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { lookupCommand } from '../../../../src/commands/registry.js';
import { DurationHistogram } from '../../../../src/server/metrics/duration-histogram.js';

describe('DurationHistogram', () => {
  it('counts each call in the first bucket it does not exceed; cumulative buckets, sum in seconds, count', async () => {
    const h = new DurationHistogram('t_duration_seconds', 'test');
    const get = lookupCommand('get')!;
    for (const us of [0.5, 1, 1.5, 3, 3, 2_000_000]) h.observe(get, us);
    h.observe(lookupCommand('set')!, 10);
    const m = await h.get();
    const of = (metric: string, cmd: string, le?: string | number): number | undefined =>
      m.values.find((v) => v.metricName === metric && v.labels.cmd === cmd && (le === undefined || v.labels.le === le))?.value;
    expect(of('t_duration_seconds_bucket', 'get', 0.000001)).toBe(2); // 0.5 and 1 µs (le is inclusive)
    expect(of('t_duration_seconds_bucket', 'get', 0.0000025)).toBe(3);
    expect(of('t_duration_seconds_bucket', 'get', 0.000005)).toBe(5);
    expect(of('t_duration_seconds_bucket', 'get', 1)).toBe(5);
    expect(of('t_duration_seconds_bucket', 'get', '+Inf')).toBe(6);
    expect(of('t_duration_seconds_count', 'get')).toBe(6);
    expect(of('t_duration_seconds_sum', 'get')).toBeCloseTo(2.000009, 9);
    expect(of('t_duration_seconds_count', 'set')).toBe(1);
    h.reset();
    expect((await h.get()).values).toEqual([]);
  });

  it('is exposed by a prom-client Registry as a histogram', async () => {
    const registry = new Registry();
    const h = new DurationHistogram('t2_seconds', 'help text');
    registry.registerMetric(h as unknown as Parameters<Registry['registerMetric']>[0]);
    h.observe(lookupCommand('get')!, 42);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE t2_seconds histogram');
    expect(text).toContain('t2_seconds_bucket{le="0.00005",cmd="get"} 1');
    expect(text).toContain('t2_seconds_bucket{le="+Inf",cmd="get"} 1');
    expect(text).toContain('t2_seconds_count{cmd="get"} 1');
  });
});
