/**
 * What the client tells about itself, for each backend: diagnostics_channel publications per
 * command, connection events, per-shard stats, an unlistened 'error' that must not crash, and
 * close() ending a blocked BLPOP 0 instead of waiting forever.
 */
import dc from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { CommandMessage } from '../../src/client/observe/diagnostics.js';
import type { ConnectionEventInfo } from '../../src/client/observe/events.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: hasRedis() },
];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`observability on ${backend.name}`, () => {
    let nodes: ServerProcess[] = [];
    beforeAll(async () => {
      nodes = await Promise.all([0, 1].map(() => backend.start()));
    });
    afterAll(async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    });

    it('publishes command start/end/error on diagnostics_channel, only while subscribed', async () => {
      const c = new RingClient({ shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })) });
      const seen: { kind: string; msg: CommandMessage }[] = [];
      const on = (kind: string) => (m: unknown) => seen.push({ kind, msg: m as CommandMessage });
      const handlers = { start: on('start'), end: on('end'), error: on('error') };
      try {
        await c.set('before', '1');
        expect(seen).toHaveLength(0);
        for (const k of ['start', 'end', 'error'] as const) dc.subscribe(`ringcache:command:${k}`, handlers[k]);
        await c.set('obs', 'v');
        await expect(c.incr('obs')).rejects.toMatchObject({ code: 'ERR_REPLY' });
        await c.mget(['obs', 'before']);
        expect(seen.map((s) => `${s.kind}:${s.msg.command}`)).toEqual(['start:SET', 'end:SET', 'start:INCR', 'error:INCR', 'start:MGET', 'end:MGET']);
        expect(seen[1]!.msg.shard).toBe(c.locate('obs'));
        expect(seen[1]!.msg.reply).toBe('OK');
        expect(seen[1]!.msg.duration).toBeGreaterThanOrEqual(0);
        expect(seen[5]!.msg.reply).toEqual(['v', '1']);
      } finally {
        for (const k of ['start', 'end', 'error'] as const) dc.unsubscribe(`ringcache:command:${k}`, handlers[k]);
        await c.close();
      }
    });

    it('every route publishes command diagnostics: a direct call, a pipeline of two, a multi() of two', async () => {
      const c = new RingClient({ shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })) });
      const started: CommandMessage[] = [];
      const ended: CommandMessage[] = [];
      const onStart = (m: unknown): void => void started.push(m as CommandMessage);
      const onEnd = (m: unknown): void => void ended.push(m as CommandMessage);
      dc.subscribe('ringcache:command:start', onStart);
      dc.subscribe('ringcache:command:end', onEnd);
      try {
        await c.get('{d}a');
        expect(started).toHaveLength(1);
        const piped = await c.pipeline().set('{d}a', '1').get('{d}b').exec();
        expect(piped).toEqual([[null, 'OK'], [null, null]]);
        expect(started).toHaveLength(3);
        const done = await c.multi().set('{d}a', '2').incr('{d}n').exec();
        expect(done).toEqual(['OK', 1]);
        expect(started).toHaveLength(5);
        expect(started.map((m) => m.command)).toEqual(['GET', 'SET', 'GET', 'SET', 'INCR']);
        expect(new Set(started.map((m) => m.shard))).toEqual(new Set([c.locate('{d}a')]));
        // A transaction's commands end with their element of EXEC's reply.
        expect(ended.slice(-2).map((m) => m.reply)).toEqual(['OK', 1]);
      } finally {
        dc.unsubscribe('ringcache:command:start', onStart);
        dc.unsubscribe('ringcache:command:end', onEnd);
        await c.close();
      }
    });

    it('emits connection events and reports per-shard stats', async () => {
      const node = await backend.start();
      const c = new RingClient({ shards: [{ name: 'solo', master: `127.0.0.1:${node.port}` }], commandTimeoutMs: 500, reconnect: { maxDelayMs: 100 } });
      const events: string[] = [];
      const infos: ConnectionEventInfo[] = [];
      for (const e of ['connect', 'disconnect', 'reconnecting'] as const) c.on(e, (info: ConnectionEventInfo) => (events.push(e), infos.push(info)));
      try {
        await c.set('k', 'v');
        expect(events).toEqual(['connect']);
        expect(infos[0]).toMatchObject({ shard: 'solo', address: `127.0.0.1:${node.port}` });
        const s = c.stats().shards[0]!;
        expect(s.name).toBe('solo');
        expect(s.master).toMatchObject({ connections: 1, ready: 1, inFlight: 0, queued: 0, waiting: 0, states: { ready: 1 }, timeouts: 0, disconnects: 0 });
        // A command no server knows is sent as it is, for the server's own error.
        await expect(c.call('NOSUCH')).rejects.toMatchObject({ code: 'ERR_REPLY' });
        await expect(c.incr('k')).rejects.toMatchObject({ code: 'ERR_REPLY' });
        expect(c.stats().shards[0]!.master.errorReplies).toBe(2);
        const down = new Promise((r) => c.once('reconnecting', r));
        await node.stop();
        await down;
        expect(events.slice(0, 3)).toEqual(['connect', 'disconnect', 'reconnecting']);
        const after = c.stats().shards[0]!.master;
        expect(after.disconnects).toBe(1);
        expect(after.ready).toBe(0);
      } finally {
        await c.close();
        await node.stop();
      }
    });

    it('does not throw an unlistened error event, and delivers it when listened to', async () => {
      const node = await backend.start({ args: { requirepass: 'secret' } });
      const quiet = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${node.port}` }], commandTimeoutMs: 1000 });
      const loud = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${node.port}` }], commandTimeoutMs: 1000 });
      // Listen at once: the client connects its masters at construction, and a shard's first
      // failure is announced once.
      const errors: Error[] = [];
      loud.on('error', (e: Error) => errors.push(e));
      try {
        expect(isNoAuth(await quiet.get('k').then(() => null, (e: unknown) => e))).toBe(true);
        // The handshake's NOAUTH reaches the caller: as the reply error itself, or (when the failed
        // handshake marked the shard down first, which a loaded machine makes likely) as the cause
        // of the ShardDownError.
        const err: unknown = await loud.get('k').then(() => null, (e: unknown) => e);
        expect(isNoAuth(err)).toBe(true);
        expect(errors.length).toBeGreaterThan(0);
        // The 'error' event carries the NOAUTH too (itself, or as the cause of the shard going down).
        expect(errors.some(isNoAuth)).toBe(true);
      } finally {
        await quiet.close();
        await loud.close();
        await node.stop();
      }
    });

    it('close() ends a blocked BLPOP 0 with a coded error instead of waiting forever', async () => {
      const c = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${nodes[0]!.port}` }] });
      const blocked = c.blpop(['never-filled'], 0);
      blocked.catch(() => undefined); // awaited below
      // Bounded wait for the lease (a fixed sleep flakes on a loaded machine).
      for (let i = 0; i < 500 && c.stats().shards[0]!.master.exclusive.borrowed === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(c.stats().shards[0]!.master.exclusive.borrowed).toBe(1);
      await c.close();
      await expect(blocked).rejects.toMatchObject({ code: 'ERR_CONNECTION_CLOSED' });
    });
  });
}

/** A NOAUTH reply error, directly or as the cause of a ShardDownError. */
function isNoAuth(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const coded = e as Error & { code?: string; prefix?: string };
  if (coded.code === 'ERR_REPLY') return coded.prefix === 'NOAUTH';
  return coded.code === 'ERR_SHARD_DOWN' && isNoAuth(e.cause);
}
