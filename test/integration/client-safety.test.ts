/**
 * The client under misuse and adverse timing (issue 15): a bad argument rejects only its own call
 * with a coded error naming the command and the argument, before anything is written (so the
 * shared connection survives); typed methods never throw synchronously; and every promise settles —
 * before the first connect, during a reconnect, on close, against a node that never answers.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { Arg } from '../../src/client/transport/command.js';
import { startFakeServer } from '../helpers/fake-resp-server.js';
import { deadPort, hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: hasRedis() },
];

/** Resolves 'pending' when `p` has not settled within `ms` (the bound every test below asserts). */
async function settles<T>(p: Promise<T>, ms = 20_000): Promise<PromiseSettledResult<T> | 'pending'> {
  let t: NodeJS.Timeout | undefined;
  const bound = new Promise<'pending'>((r) => (t = setTimeout(() => r('pending'), ms)));
  const r = await Promise.race([p.then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason })), bound]);
  clearTimeout(t);
  return r;
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`client safety on ${backend.name}`, () => {
    let node: ServerProcess;
    let c: RingClient;
    const opts = () => ({ shards: [{ name: 'a', master: `127.0.0.1:${node.port}` }], commandTimeoutMs: 10_000 });
    beforeAll(async () => {
      node = await backend.start();
      c = new RingClient(opts());
      await c.set('k', 'v');
    });
    afterAll(async () => {
      await c?.close();
      await node?.stop();
    });

    it('a bad argument fails only its own call, with a coded error naming the command and argument', async () => {
      const [a, b, d] = await Promise.allSettled([c.get('k'), c.set('x', undefined as unknown as Arg), c.get('k')]);
      expect(a).toEqual({ status: 'fulfilled', value: 'v' });
      expect(d).toEqual({ status: 'fulfilled', value: 'v' });
      expect(b.status === 'rejected' && b.reason).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', command: 'SET', argument: 2 });
      expect(b.status === 'rejected' && (b.reason as Error).message).toMatch(/^SET: argument 2 is undefined/);
      for (const bad of [NaN, Infinity, -Infinity, null, {}, ['a'], Symbol('s'), () => 1, true]) {
        await expect(c.call('SET', 'x', bad as Arg)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', argument: 2 });
      }
      await expect(c.call('')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', argument: 0 });
      expect(await c.exists('x')).toBe(0);
      expect(c.stats().shards[0]!.master.disconnects).toBe(0);
    });

    it('object-shaped results have no prototype: a field named __proto__ is data', async () => {
      await c.hset('h:proto', [['__proto__', 'p'], ['constructor', 'c'], ['toString', 't']]);
      const h = await c.hgetall('h:proto');
      expect(Object.getPrototypeOf(h)).toBeNull();
      expect(Object.keys(h).sort()).toEqual(['__proto__', 'constructor', 'toString']);
      expect(h['__proto__']).toBe('p');
      const hb = await c.hgetallBuffer('h:proto');
      expect(hb['__proto__']).toEqual(Buffer.from('p'));
      await c.xadd('s:proto', '*', [['__proto__', 'x']]);
      const [entry] = await c.xrange('s:proto');
      expect(entry!.fields!['__proto__']).toBe('x');
      expect(Object.keys(entry!.fields!)).toEqual(['__proto__']);
      const n = await c.pubsubNumsub(['__proto__']);
      expect(n['__proto__']).toBe(0);
    });

    it('sends bigints by their digits', async () => {
      await c.set('big', 2n ** 64n);
      expect(await c.get('big')).toBe('18446744073709551616');
      expect(await c.incrby('big2', 5)).toBe(5);
      expect(await c.call('INCRBY', 'big2', 10n)).toBe(15);
    });

    it('refuses an argument over proto-max-bulk-len (512 MiB by default) before writing it', async () => {
      const huge = Buffer.allocUnsafe(512 * 1024 * 1024 + 1); // never touched: no memory is committed
      const r = await Promise.allSettled([c.set('huge', huge), c.get('k')]);
      expect(r[0]!.status === 'rejected' && r[0].reason).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', command: 'SET', argument: 2 });
      expect((r[0] as PromiseRejectedResult).reason.message).toMatch(/proto-max-bulk-len/);
      expect(r[1]).toEqual({ status: 'fulfilled', value: 'v' });
    });

    it('a bad command in a pipeline fails its own slot; in multi() it refuses the transaction before anything is sent', async () => {
      const res = await c.pipeline().set('p1', '1').call('SET', 'p2', undefined as unknown as Arg).get('k').exec();
      expect(res[0]).toEqual([null, 'OK']);
      expect(res[1]![0]).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', command: 'SET', argument: 2 });
      expect(res[2]).toEqual([null, 'v']);
      await expect(c.multi().set('{t}1', '1').call('SET', '{t}2', NaN).exec()).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      expect(await c.exists('{t}1')).toBe(0);
    });

    it('no typed method throws synchronously, whatever it is given', async () => {
      // Synchronous, non-command APIs (snapshots, set-up): a bad argument to them throws at once, as it should.
      const skip = new Set(['constructor', 'close', 'quit', 'duplicate', 'monitor', 'watch', 'stats', 'metrics', 'registerMetrics', 'topology', 'locate', 'pipeline', 'multi']);
      const names = new Set<string>();
      for (let p: object | null = Object.getPrototypeOf(c) as object; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
        if (p.constructor.name === 'EventEmitter') break;
        for (const n of Object.getOwnPropertyNames(p)) if (!skip.has(n) && !n.startsWith('_')) names.add(n);
      }
      expect(names.size).toBeGreaterThan(100);
      const record = c as unknown as Record<string, (...a: unknown[]) => unknown>;
      for (const bad of [undefined, null, NaN, {}, Symbol('s'), 'str']) {
        const outcomes: Promise<string | null>[] = [];
        const uncoded = (n: string) => (e: unknown) => (e !== null && typeof e === 'object' && 'code' in e ? null : `${n}(${String(bad)}): ${String(e)}`);
        for (const n of names) {
          if (typeof record[n] !== 'function' || n === 'send' || n === 'sendNow' || n === 'shardNames' || n === 'run' || n === 'runBuffers' || n === 'build' || n === 'cursorWalk') continue;
          let r: unknown;
          expect(() => (r = record[n]!.call(c, bad, bad, bad, bad, bad)), `${n}(${String(bad)})`).not.toThrow();
          if (r instanceof Promise) outcomes.push(r.then(() => null, uncoded(n)));
          else if (r !== null && typeof r === 'object' && Symbol.asyncIterator in r) {
            const it = (r as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator]();
            outcomes.push(it.next().then(async () => (await it.return?.(), null), uncoded(n)));
          }
        }
        const all = await settles(Promise.all(outcomes));
        expect(all).not.toBe('pending');
        expect((all as PromiseFulfilledResult<(string | null)[]>).value.filter((x) => x !== null)).toEqual([]);
      }
      expect(await c.get('k')).toBe('v');
      expect(c.stats().shards[0]!.master.disconnects).toBe(0);
    });

    it('settles everything issued before the first connect, good and bad', async () => {
      const fresh = new RingClient(opts());
      try {
        const r = await settles(Promise.allSettled([fresh.set('x', undefined as unknown as Arg), fresh.get('k'), fresh.call('SET', 'y', {} as Arg), fresh.get('k')]));
        expect(r).not.toBe('pending');
        const [a, b, d, e] = (r as PromiseFulfilledResult<PromiseSettledResult<unknown>[]>).value;
        expect(a).toMatchObject({ status: 'rejected', reason: { code: 'ERR_INVALID_ARGUMENT' } });
        expect(b).toEqual({ status: 'fulfilled', value: 'v' });
        expect(d).toMatchObject({ status: 'rejected', reason: { code: 'ERR_INVALID_ARGUMENT' } });
        expect(e).toEqual({ status: 'fulfilled', value: 'v' });
      } finally {
        await fresh.close();
      }
    });

    it('settles what is issued while reconnecting and on close', async () => {
      const fresh = new RingClient({ ...opts(), reconnect: { baseDelayMs: 50, maxDelayMs: 100 } });
      try {
        expect(await fresh.get('k')).toBe('v');
        const down = new Promise<void>((r) => fresh.once('reconnecting', () => r()));
        const id = await fresh.call('CLIENT', 'ID');
        await c.call('CLIENT', 'KILL', 'ID', id as number);
        await down;
        const during = Promise.allSettled([fresh.get('k'), fresh.set('x', NaN), fresh.get('k')]);
        const r = await settles(during);
        expect(r).not.toBe('pending');
        const [a, b, d] = (r as PromiseFulfilledResult<PromiseSettledResult<unknown>[]>).value;
        expect(a).toEqual({ status: 'fulfilled', value: 'v' });
        expect(b).toMatchObject({ status: 'rejected', reason: { code: 'ERR_INVALID_ARGUMENT' } });
        expect(d).toEqual({ status: 'fulfilled', value: 'v' });
        const last = Promise.allSettled([fresh.get('k'), fresh.set('x', undefined as unknown as Arg), fresh.call('BLPOP', 'never', 0)]);
        const closing = fresh.close();
        const all = await settles(Promise.all([last, closing]));
        expect(all).not.toBe('pending');
        await expect(fresh.get('k')).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
      } finally {
        await fresh.close();
      }
    });

    it('times out commands waiting for pool capacity on a node that stopped answering', async () => {
      const frozen = await backend.start();
      const fc = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${frozen.port}` }], commandTimeoutMs: 500, pool: { maxInFlight: 1 } });
      try {
        await fc.set('k', 'v');
        frozen.signal('SIGSTOP');
        const r = await settles(Promise.allSettled([fc.get('k'), fc.get('k'), fc.get('k')]));
        expect(r).not.toBe('pending');
        for (const x of (r as PromiseFulfilledResult<PromiseSettledResult<unknown>[]>).value) expect(x).toMatchObject({ status: 'rejected', reason: { code: 'ERR_COMMAND_TIMEOUT' } });
      } finally {
        frozen.signal('SIGCONT');
        await fc.close();
        await frozen.stop();
      }
    });
  });
}

describe('every promise settles against nodes that are not there', () => {
  it('a handshake that is never answered is bounded by connectTimeoutMs even with command timeouts off', async () => {
    const silent = await startFakeServer(() => null, { silentHandshake: true });
    const c = new RingClient({ shards: [{ name: 'a', master: silent.address }], commandTimeoutMs: 0, connectTimeoutMs: 300 });
    try {
      const r = await settles(Promise.allSettled([c.get('k'), c.set('k', undefined as unknown as Arg)]));
      expect(r).not.toBe('pending');
      const [a, b] = (r as PromiseFulfilledResult<PromiseSettledResult<unknown>[]>).value;
      expect(a!.status).toBe('rejected');
      expect(b).toMatchObject({ status: 'rejected', reason: { code: 'ERR_INVALID_ARGUMENT' } });
    } finally {
      await c.close();
      await silent.close();
    }
  });

  it('an exclusive lease to a node that refuses connections fails, and close() still returns', async () => {
    const port = await deadPort();
    const c = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${port}` }], commandTimeoutMs: 1000, connectTimeoutMs: 500 });
    const r = await settles(Promise.allSettled([c.blpop(['q'], 1), c.get('k')]));
    expect(r).not.toBe('pending');
    for (const x of (r as PromiseFulfilledResult<PromiseSettledResult<unknown>[]>).value) expect(x.status).toBe('rejected');
    expect(await settles(c.close())).not.toBe('pending');
  });

  it('a server that accepts and then drops every connection settles queued commands', async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const c = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${port}` }], commandTimeoutMs: 1000, connectTimeoutMs: 500 });
    try {
      const r = await settles(Promise.allSettled([c.get('k'), c.set('k', 'v'), c.call('SET', 'k', NaN)]));
      expect(r).not.toBe('pending');
      for (const x of (r as PromiseFulfilledResult<PromiseSettledResult<unknown>[]>).value) expect(x.status).toBe('rejected');
    } finally {
      await c.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
