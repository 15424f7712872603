/**
 * Shard health without a network: onShardDown validation, and fail fast driven by connection
 * events (an unreachable master's pool refuses commands with ShardDownError, and rejects those
 * already waiting; its first ready connection lifts the refusal), one event per state change.
 */
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { assemble } from '../../../../src/client/assemble.js';
import { Command } from '../../../../src/client/transport/command.js';
import { type RingClientOptions } from '../../../../src/client/options.js';
import { resolveOptions } from '../../../../src/client/resolve-options.js';
import type { ShardHealthEvent, ShardHealthInfo } from '../../../../src/client/topology/shard-health.js';
import { ConnectionClosedError, ShardDownError } from '../../../../src/errors.js';

const shards = [
  { name: 'a', master: '127.0.0.1:7001' },
  { name: 'b', master: '127.0.0.1:7002' },
];

describe('onShardDown options', () => {
  it("defaults to 'fail-fast' (no ejection)", () => {
    expect(resolveOptions({ shards }).eject).toBeNull();
    expect(resolveOptions({ shards, onShardDown: 'fail-fast' }).eject).toBeNull();
  });

  it('eject defaults: 3 failed checks, 1 s apart, restored after as many answers', () => {
    expect(resolveOptions({ shards, onShardDown: { eject: {} } }).eject).toEqual({ afterFailedChecks: 3, checkIntervalMs: 1000, restoreAfterChecks: 3 });
    expect(resolveOptions({ shards, onShardDown: { eject: { afterFailedChecks: 2, restoreAfterChecks: 1, checkIntervalMs: 100 } } }).eject).toEqual({
      afterFailedChecks: 2,
      checkIntervalMs: 100,
      restoreAfterChecks: 1,
    });
  });

  it('refuses bad values and ejection in Sentinel mode', () => {
    const bad = (o: Partial<RingClientOptions>): (() => unknown) => () => resolveOptions({ shards, ...o });
    expect(bad({ onShardDown: { eject: { afterFailedChecks: 0 } } })).toThrow(/afterFailedChecks must be at least 1/);
    expect(bad({ onShardDown: 'eject' as unknown as RingClientOptions['onShardDown'] })).toThrow(/onShardDown must be/);
    expect(() => resolveOptions({ sentinels: ['127.0.0.1:26379'], masters: ['a'], onShardDown: { eject: {} } })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringMatching(/static shards list/) }),
    );
  });
});

describe('fail fast on an unreachable master', () => {
  it('refuses commands with ShardDownError while no connection is ready, then lifts', async () => {
    const parts = assemble(resolveOptions({ shards }), new EventEmitter());
    const { health } = parts;
    const events: [ShardHealthEvent, ShardHealthInfo][] = [];
    health.onEvent = (e, info) => events.push([e, info]);
    const a = parts.shards.shard('a')!;
    const b = parts.shards.shard('b')!;
    const cause = new ConnectionClosedError('cannot connect to 127.0.0.1:7001: connect ECONNREFUSED', true);

    health.observe(a.master, 'unreachable', cause);
    health.observe(a.master, 'unreachable', cause); // a second failed attempt is no new event
    expect(events.map(([e, i]) => `${e}:${i.shard}`)).toEqual(['shard-down:a']);
    expect(health.state(a)).toBe('down');
    expect(health.state(b)).toBe('up');
    expect(b.master.refusal).toBeNull();

    const cmd = new Command(['GET', 'k'], false, true);
    a.master.send(cmd);
    const err: unknown = await cmd.promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShardDownError);
    expect(err).toMatchObject({ code: 'ERR_SHARD_DOWN', shard: 'a' });
    expect((err as Error).message).toMatch(/127\.0\.0\.1:7001 is unreachable .*ECONNREFUSED/);

    health.observe(a.master, 'ready', undefined);
    expect(events.map(([e]) => e)).toEqual(['shard-down', 'shard-up']);
    expect(a.master.refusal).toBeNull();
    expect(health.state(a)).toBe('up');
    await parts.close();
  });
});
