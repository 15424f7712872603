/**
 * The client's lifecycle against real redis-server: `status` ('connecting' → 'ready' → 'degraded'
 * while a shard is down → 'closing' → 'closed'), one 'ready' when every master connected once (not
 * per connection: 'connect' is), 'end' after close(), 'error' on a shard's first failed connect
 * (its cause the OS error), RingClient.connect() resolving only once every master answered or
 * rejecting within connectTimeoutMs naming the dead shards, and a retryStrategy that returns null
 * failing the shard's queued commands with ERR_RECONNECT_STOPPED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { ErrorEventInfo } from '../../src/client/observe/events.js';
import { ReconnectStoppedError, ShardDownError } from '../../src/errors.js';
import { startFakeServer, resp } from '../helpers/fake-resp-server.js';
import { deadPort, redisSkipReason, startRedis, type ServerProcess } from '../helpers/processes.js';
import { keyOn, raw, until } from '../helpers/sentinel-checks.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

describe.skipIf(skip !== null)('client lifecycle on redis-server', () => {
  let nodes: ServerProcess[] = [];
  beforeAll(async () => {
    nodes = await Promise.all([startRedis(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  });
  const live = (): { name: string; master: string }[] => nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` }));

  it("status goes connecting → ready → closing → closed; one 'ready' (a reconnect is a 'connect'), one 'end'", async () => {
    const c = new RingClient({ shards: live(), reconnect: { maxDelayMs: 50 } });
    const seen: string[] = [];
    c.on('ready', () => seen.push('ready'));
    c.on('connect', (info) => seen.push(`connect ${info.shard ?? '?'}`));
    c.on('end', () => seen.push('end'));
    expect(c.status).toBe('connecting');
    await until('ready', () => c.status === 'ready');
    expect(seen.filter((e) => e === 'ready')).toHaveLength(1);
    expect(seen.filter((e) => e.startsWith('connect')).sort()).toEqual(['connect s0', 'connect s1']);
    // The nodes drop every client connection: they reconnect, and 'ready' is not emitted again.
    await Promise.all(nodes.map((n) => raw(n.port, 'CLIENT', 'KILL', 'TYPE', 'normal')));
    await until('both reconnected', () => seen.filter((e) => e.startsWith('connect')).length === 4);
    expect(await c.set('k', 'v')).toBe('OK');
    expect(seen.filter((e) => e === 'ready')).toHaveLength(1);
    expect(c.status).toBe('ready');
    const closing = c.close();
    expect(c.status).toBe('closing');
    expect(c.close()).toBe(closing); // close() twice is the same close
    await closing;
    expect(c.status).toBe('closed');
    expect(seen.filter((e) => e === 'end')).toHaveLength(1);
    expect(seen.at(-1)).toBe('end');
  });

  it('RingClient.connect() resolves once every master answered', async () => {
    const c = await RingClient.connect({ shards: live() });
    try {
      expect(c.status).toBe('ready');
      expect(c.stats().shards.map((s) => s.master.ready)).toEqual([1, 1]);
    } finally {
      await c.close();
    }
  });

  it('RingClient.connect() rejects within connectTimeoutMs naming the dead shard, its cause the OS error, and closes the client', async () => {
    const dead = await deadPort();
    const shards = [...live(), { name: 'gone', master: `127.0.0.1:${dead}` }];
    const started = Date.now();
    const err = (await RingClient.connect({ shards, connectTimeoutMs: 1500 }).catch((e: unknown) => e)) as Error & { code: string; shards: string[]; cause?: { code?: string } };
    const took = Date.now() - started;
    expect(err).toMatchObject({ code: 'ERR_CONNECT_TIMEOUT', shards: ['gone'] });
    expect(err.message).toContain("'gone'");
    expect(err.cause).toBeInstanceOf(ShardDownError);
    expect((err.cause as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(10_000);
  });

  it("a dead shard: 'error' once with ShardDownError (cause ECONNREFUSED), status 'degraded', the others serve", async () => {
    const dead = await deadPort();
    const c = new RingClient({ shards: [...live(), { name: 'gone', master: `127.0.0.1:${dead}` }], reconnect: { maxDelayMs: 20 } });
    const errors: [Error, ErrorEventInfo][] = [];
    c.on('error', (e, info) => errors.push([e, info]));
    try {
      await until("the dead shard's error", () => errors.length > 0);
      const [e, info] = errors[0]!;
      expect(e).toBeInstanceOf(ShardDownError);
      expect(e).toMatchObject({ code: 'ERR_SHARD_DOWN', shard: 'gone' });
      expect((e.cause as { code?: string }).code).toBe('ECONNREFUSED');
      expect(info).toEqual({ shard: 'gone', address: `127.0.0.1:${dead}` });
      await until('the live shards connected', () => c.stats().shards.filter((s) => s.master.ready === 1).length === 2);
      expect(c.status).toBe('degraded');
      expect(await c.set(keyOn(c, 's0', 'k'), 'v')).toBe('OK');
      await expect(c.get(keyOn(c, 'gone', 'k'))).rejects.toMatchObject({ code: 'ERR_SHARD_DOWN' });
      // Many reconnect attempts later (every ≤ 20 ms), still one 'error': it is per state change.
      const attempts = c.stats().shards.find((s) => s.name === 'gone')!.master.disconnects;
      await until('more reconnect attempts', () => c.stats().shards.find((s) => s.name === 'gone')!.master.disconnects >= attempts + 5);
      expect(errors).toHaveLength(1);
    } finally {
      await c.close();
    }
  });
});

describe('retryStrategy', () => {
  it("null stops reconnecting: the shard's queued commands and later ones fail with ERR_RECONNECT_STOPPED", async () => {
    // A node that accepts GET but never answers it, so the GET is in flight when the node goes away.
    const fake = await startFakeServer((argv) => (argv[0]!.toUpperCase() === 'GET' ? null : resp.ok));
    const calls: number[] = [];
    const c = new RingClient({
      shards: [{ name: 'a', master: fake.address }],
      commandTimeoutMs: 60_000,
      retryStrategy: (attempt) => (calls.push(attempt), null),
    });
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e));
    try {
      const pending = c.get('k');
      await until('the GET reached the node', () => fake.log.some((l) => l.startsWith('GET')));
      await fake.close();
      // The GET (read-only: re-queued when its connection dropped) is failed by the stop.
      const err = (await pending.catch((e: unknown) => e)) as ReconnectStoppedError;
      expect(err).toBeInstanceOf(ReconnectStoppedError);
      expect(err).toMatchObject({ code: 'ERR_RECONNECT_STOPPED', address: fake.address, attempts: 0, reason: 'retryStrategy returned null' });
      expect(calls).toEqual([1]);
      await expect(c.set('k', 'v')).rejects.toMatchObject({ code: 'ERR_RECONNECT_STOPPED', shard: 'a' });
      expect(errors.some((e) => e instanceof ReconnectStoppedError)).toBe(true);
      expect(c.status).toBe('degraded');
    } finally {
      await c.close();
    }
  });

  it('gets each attempt number and error; a delay retries, then null stops', async () => {
    const fake = await startFakeServer(() => resp.ok);
    const seen: [number, string][] = [];
    const c = new RingClient({
      shards: [{ name: 'a', master: fake.address }],
      retryStrategy: (attempt, error) => (seen.push([attempt, error.constructor.name]), attempt < 3 ? 10 : null),
    });
    const stopped = new Promise<Error>((resolve) => c.on('error', (e) => e instanceof ReconnectStoppedError && resolve(e)));
    try {
      expect(await c.set('k', 'v')).toBe('OK');
      await fake.close();
      expect(await stopped).toMatchObject({ code: 'ERR_RECONNECT_STOPPED', attempts: 2 });
      expect(seen.map(([a]) => a)).toEqual([1, 2, 3]);
      await expect(c.get('k')).rejects.toMatchObject({ code: 'ERR_RECONNECT_STOPPED' });
    } finally {
      await c.close();
    }
  });
});
