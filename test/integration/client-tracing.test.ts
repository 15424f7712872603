/**
 * The client's TracingChannels against redis-server, as an OpenTelemetry-style instrumentation
 * subscribes to them: `ringcache:command` (every command, direct or in a batch, its context
 * carrying `result` or `error`), `ringcache:batch` (a pipeline's or a transaction's exec) and
 * `ringcache:connect` (each connect attempt, a refused one ending in `error`). And `shards()`.
 */
import dc from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { BatchMessage, CommandMessage, ConnectMessage } from '../../src/client/observe/diagnostics.js';
import { deadPort, redisSkipReason, startRedis, type ServerProcess } from '../helpers/processes.js';
import { until } from '../helpers/sentinel-checks.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

/** Records every event of a TracingChannel as `[event, context]`. */
function record<T extends object>(name: string): { events: [string, T][]; stop: () => void } {
  const events: [string, T][] = [];
  const ch = dc.tracingChannel<unknown, T>(name);
  const handlers = {
    start: (m: T) => events.push(['start', m]),
    end: (m: T) => events.push(['end', m]),
    asyncStart: (m: T) => events.push(['asyncStart', m]),
    asyncEnd: (m: T) => events.push(['asyncEnd', m]),
    error: (m: T) => events.push(['error', m]),
  };
  ch.subscribe(handlers);
  return { events, stop: () => ch.unsubscribe(handlers) };
}

describe.skipIf(skip !== null)('TracingChannels and shards()', () => {
  let node: ServerProcess;
  beforeAll(async () => {
    node = await startRedis();
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('ringcache:connect traces each connect attempt; a refused one ends in error', async () => {
    const dead = await deadPort();
    const t = record<ConnectMessage>('ringcache:connect');
    const c = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${node.port}` }, { name: 'gone', master: `127.0.0.1:${dead}` }] });
    try {
      await until('both attempts settled', () => t.events.filter(([e]) => e === 'asyncEnd').length >= 2);
      const ok = t.events.find(([e, m]) => e === 'asyncEnd' && m.address === `127.0.0.1:${node.port}`);
      expect(ok?.[1]).toMatchObject({ attempt: 0, tls: false });
      expect(ok?.[1].error).toBeUndefined();
      const refused = t.events.find(([e, m]) => e === 'error' && m.address === `127.0.0.1:${dead}`);
      expect(refused?.[1].error).toMatchObject({ code: 'ERR_CONNECTION_CLOSED' });
      expect((refused?.[1].error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
      expect(c.shards()).toEqual([
        { name: 'a', master: `127.0.0.1:${node.port}`, replicas: [], weight: 1, state: 'up', health: 'ok' },
        { name: 'gone', master: `127.0.0.1:${dead}`, replicas: [], weight: 1, state: 'down', health: 'ok' },
      ]);
    } finally {
      t.stop();
      await c.close();
    }
  });

  it('ringcache:command and ringcache:batch trace commands and exec(), with result or error', async () => {
    const c = await RingClient.connect({ shards: [{ name: 'a', master: `127.0.0.1:${node.port}` }] });
    const cmd = record<CommandMessage>('ringcache:command');
    const batch = record<BatchMessage>('ringcache:batch');
    try {
      await c.set('t:1', 'v');
      await expect(c.incr('t:1')).rejects.toMatchObject({ code: 'ERR_REPLY' });
      await c.pipeline().get('t:1').get('t:2').exec();
      await c.multi().set('t:3', 'x').get('t:3').exec();
      const ends = cmd.events.filter(([e]) => e === 'asyncEnd').map(([, m]) => [m.command, m.shard, m.result ?? null, m.error === undefined ? null : 'error']);
      expect(ends).toEqual([
        ['SET', 'a', 'OK', null],
        ['INCR', 'a', null, 'error'],
        ['GET', 'a', 'v', null],
        ['GET', 'a', null, null],
        ['SET', 'a', 'OK', null],
        ['GET', 'a', 'x', null],
      ]);
      expect(cmd.events.filter(([e]) => e === 'error').map(([, m]) => m.command)).toEqual(['INCR']);
      const done = batch.events.filter(([e]) => e === 'asyncEnd').map(([, m]) => [m.kind, m.commands]);
      expect(done).toEqual([
        ['pipeline', 2],
        ['multi', 2],
      ]);
    } finally {
      cmd.stop();
      batch.stop();
      await c.close();
    }
  });
});
