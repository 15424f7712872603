import { describe, expect, it } from 'vitest';
import { CommandTimeoutError, ReplyError } from '../../../../src/errors.js';
import { LATENCY_BOUNDS, NodeMetrics, SAMPLE_EVERY, type Tracked } from '../../../../src/client/transport/node-metrics.js';

const cmd = (): Tracked => ({ metrics: null, sentAt: 0 });

describe('NodeMetrics', () => {
  it('tags each command once and times one in SAMPLE_EVERY', () => {
    const m = new NodeMetrics();
    const cmds = Array.from({ length: SAMPLE_EVERY * 4 }, cmd);
    for (const c of cmds) m.track(c);
    expect(cmds.every((c) => c.metrics === m)).toBe(true);
    expect(cmds.filter((c) => c.sentAt !== 0)).toHaveLength(4);
    const other = new NodeMetrics();
    other.track(cmds[0]!);
    expect(cmds[0]!.metrics).toBe(m); // a command taken before keeps its first pool's counters
  });

  it('counts settled commands and errors by code or reply prefix', () => {
    const m = new NodeMetrics();
    const cs = Array.from({ length: 4 }, cmd);
    for (const c of cs) m.track(c);
    m.settled(cs[0]!, null);
    m.settled(cs[1]!, new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'));
    m.settled(cs[2]!, new CommandTimeoutError('GET', 10));
    m.settled(cs[3]!, new Error('plain'));
    expect(m.commands).toBe(4);
    expect(m.errorCounts()).toEqual({ 'ERR_REPLY:WRONGTYPE': 1, ERR_COMMAND_TIMEOUT: 1, ERR_UNCODED: 1 });
  });

  it('puts a latency into the first bucket whose bound is not below it', () => {
    const m = new NodeMetrics();
    m.observe(0.0001); // exactly the first bound
    m.observe(0.0003);
    m.observe(100); // above the last bound
    const h = m.latency();
    expect(h.counts[0]).toBe(1);
    expect(h.counts[2]).toBe(1);
    expect(h.counts[LATENCY_BOUNDS.length]).toBe(1);
    expect(h.count).toBe(3);
    expect(h.sum).toBeCloseTo(100.0004, 6);
  });
});
