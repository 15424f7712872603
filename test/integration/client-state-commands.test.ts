/**
 * State commands on two real nodes, for each backend: every command that changes its
 * connection's state is refused on shared connections (call(), pipelines, multi()) with
 * ERR_STATE_COMMAND saying what to use, and nothing reaches the node; and their safe forms work:
 * watch() (commit, conflict retried then reported, abort, cross-shard refusals, a dropped
 * connection), monitor(), duplicate(), quit().
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { MonitorLine } from '../../src/client/observe/monitor.js';
import type { Arg } from '../../src/client/transport/command.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { keysApart } from '../helpers/placement.js';

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: hasRedis() },
];

const STATE_COMMANDS: readonly (readonly [string, ...Arg[]])[] = [
  ['MULTI'],
  ['EXEC'],
  ['DISCARD'],
  ['WATCH', 'k'],
  ['UNWATCH'],
  ['SELECT', 1],
  ['CLIENT', 'REPLY', 'OFF'],
  ['CLIENT', 'TRACKING', 'ON'],
  ['CLIENT', 'CACHING', 'YES'],
  ['CLIENT', 'NO-TOUCH', 'ON'],
  ['MONITOR'],
  ['RESET'],
  ['HELLO', 3],
  ['AUTH', 'pw'],
  ['QUIT'],
  ['SUBSCRIBE', 'ch'],
  ['UNSUBSCRIBE'],
  ['PSUBSCRIBE', 'p*'],
  ['PUNSUBSCRIBE'],
  ['SSUBSCRIBE', 'ch'],
  ['SUNSUBSCRIBE'],
];


async function take(it: AsyncIterator<MonitorLine>, until: (l: MonitorLine) => boolean): Promise<MonitorLine> {
  for (let i = 0; i < 1000; i++) {
    const r = await it.next();
    if (r.done === true) break;
    if (until(r.value)) return r.value;
  }
  throw new Error('monitor ended before the line');
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`state commands on 2 × ${backend.name}`, () => {
    let nodes: ServerProcess[] = [];
    let c: RingClient;
    let other: RingClient;
    const options = () => ({ shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })), commandTimeoutMs: 10_000 });
    beforeAll(async () => {
      nodes = await Promise.all([backend.start(), backend.start()]);
      c = new RingClient(options());
      other = new RingClient(options());
    });
    afterAll(async () => {
      await c?.close();
      await other?.close();
      await Promise.all(nodes.map((n) => n.stop()));
    });

    it('refuses every state command on shared connections, saying what to use, and sends nothing', async () => {
      await c.set('{st}k', 'v');
      for (const argv of STATE_COMMANDS) {
        const name = argv[0];
        const err = await c.call(...argv).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, argv.join(' ')).toMatchObject({ code: 'ERR_STATE_COMMAND' });
        expect((err as Error).message).toMatch(/use |would|give /);
        const [piped] = await c.pipeline().call(...argv).exec();
        expect(piped![0]).toMatchObject({ code: 'ERR_STATE_COMMAND' });
        await expect(c.multi().set('{st}k', 'w').call(...argv).exec()).rejects.toMatchObject({ code: 'ERR_STATE_COMMAND' });
        // The shared connection is as it was: same db, replies in step, no transaction open.
        expect(await c.get('{st}k'), `after ${name}`).toBe('v');
      }
      expect((await c.call('CLIENT', 'REPLY', 'ON').catch((e: Error) => e)) as Error).toMatchObject({ code: 'ERR_STATE_COMMAND', command: 'CLIENT REPLY' });
      const info = String(await c.callWith({ shard: c.locate('{st}k') }, 'INFO', 'commandstats'));
      expect(info).not.toMatch(/cmdstat_(multi|select|monitor|reset|subscribe|watch):/);
    });

    it('watch(): reads and commits on one connection; resolves with EXEC replies', async () => {
      await c.set('{w}n', '10');
      const r = await c.watch('{w}n', async (tx) => {
        const n = Number(await tx.get('{w}n'));
        return tx.multi().set('{w}n', String(n + 1)).get('{w}n');
      });
      expect(r).toEqual(['OK', '11']);
      expect(await c.get('{w}n')).toBe('11');
    });

    it('watch(): a conflicting write re-runs the function; every attempt conflicting is reported', async () => {
      await c.set('{w}c', '1');
      let runs = 0;
      const r = await c.watch(['{w}c', '{w}d'], async (tx) => {
        runs++;
        const v = await tx.get('{w}c');
        if (runs === 1) await other.set('{w}c', '100'); // another client changes a watched key
        return tx.multi().set('{w}c', `${v}+1`);
      });
      expect(runs).toBe(2);
      expect(r).toEqual(['OK']);
      expect(await c.get('{w}c')).toBe('100+1');
      let tries = 0;
      const failing = c.watch(
        '{w}c',
        async (tx) => {
          tries++;
          await other.incr('{w}e').then(() => other.set('{w}c', String(tries)));
          return tx.multi().set('{w}c', 'never');
        },
        { attempts: 3 },
      );
      await expect(failing).rejects.toMatchObject({ code: 'ERR_WATCH_CONFLICT', attempts: 3 });
      expect(tries).toBe(3);
      expect(await c.get('{w}c')).toBe('3');
    });

    it('watch(): returning anything but tx.multi() aborts (UNWATCH) and is the result; errors reject', async () => {
      await c.set('{w}a', 'x');
      expect(await c.watch('{w}a', async (tx) => ((await tx.get('{w}a')) === 'x' ? 'unchanged' : 'changed'))).toBe('unchanged');
      await expect(c.watch('{w}a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      // The leased connections went back clean: a later watch sees no stale WATCH.
      expect(await c.watch('{w}a', (tx) => tx.multi().set('{w}a', 'y'))).toEqual(['OK']);
      expect(c.stats().shards.every((s) => s.master.disconnects === 0)).toBe(true);
    });

    it('watch(): keys on two shards, or a scope touching another shard, are CrossShardErrors; state commands refused inside', async () => {
      const [a, b] = keysApart(c, 'ws:');
      await expect(c.watch([a, b], (tx) => tx.multi())).rejects.toMatchObject({ code: 'ERR_CROSS_SHARD' });
      await expect(c.watch(a, (tx) => tx.get(b))).rejects.toMatchObject({ code: 'ERR_CROSS_SHARD' });
      await expect(c.watch(a, (tx) => tx.multi().set(b, '1'))).rejects.toMatchObject({ code: 'ERR_CROSS_SHARD' });
      await expect(c.watch(a, (tx) => tx.call('MULTI'))).rejects.toMatchObject({ code: 'ERR_STATE_COMMAND' });
      await expect(c.watch(a, (tx) => tx.call('SET', a, NaN))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      await expect(c.watch([], (tx) => tx.multi())).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      expect(await c.exists(b)).toBe(0);
    });

    it('watch(): the connection holding WATCH dropping fails the attempt instead of committing', async () => {
      await c.set('{w}k', 'before');
      const r = c.watch('{w}k', async (tx) => {
        const id = await tx.call('CLIENT', 'ID');
        await other.callWith({ shard: tx.shard }, 'CLIENT', 'KILL', 'ID', id as number);
        // Bounded wait until the client saw the drop (a PING on the lease fails).
        for (let i = 0; i < 200 && (await tx.call('PING').then(() => true, () => false)); i++) await new Promise((res) => setTimeout(res, 10));
        return tx.multi().set('{w}k', 'after');
      });
      await expect(r).rejects.toMatchObject({ code: 'ERR_CONNECTION_CLOSED' });
      expect(await c.get('{w}k')).toBe('before');
    });

    it('monitor(): an async iterable of the commands a shard runs, on a connection of its own', async () => {
      const shard = c.locate('{m}k');
      const m = await c.monitor(shard);
      const it = m[Symbol.asyncIterator]();
      await c.set('{m}k', 'hello "world"\n');
      const line = await take(it, (l) => l.args[0]?.toUpperCase() === 'SET');
      expect(line).toMatchObject({ shard, db: 0, args: ['SET', '{m}k', 'hello "world"\n'] });
      expect(line.time).toBeGreaterThan(1e9);
      expect(line.source).toMatch(/^127\.0\.0\.1:\d+$/);
      await m.close();
      expect(await it.next()).toEqual({ done: true, value: undefined });
      expect(await c.get('{m}k')).toBe('hello "world"\n');
      // Every shard, ended by break; then by closing the client.
      const all = await c.monitor();
      const [a, b] = keysApart(c, 'mon:');
      await Promise.all([c.set(a, '1'), c.set(b, '2')]);
      const seen = new Set<string>();
      for await (const l of all) {
        if (l.args[0]?.toUpperCase() === 'SET') seen.add(l.shard);
        if (seen.size === 2) break;
      }
      expect(seen.size).toBe(2);
      await expect(c.monitor('nope')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      const d = c.duplicate();
      const last = await d.monitor();
      const ended = last.next();
      await d.close();
      expect(await ended).toEqual({ done: true, value: undefined });
    });

    it('duplicate() has its own connections and options; quit() closes gracefully', async () => {
      const d1 = c.duplicate({ db: 1 });
      try {
        await d1.set('{dup}k', 'db1');
        expect(await d1.get('{dup}k')).toBe('db1');
        expect(await c.get('{dup}k')).toBeNull();
      } finally {
        await d1.del('{dup}k');
        await d1.close();
      }
      const q = c.duplicate();
      await q.ping();
      const pending = q.set('{dup}q', 'v'); // in flight when quit() starts: answered first
      expect(await q.quit()).toBe('OK');
      expect(await pending).toBe('OK');
      await expect(q.get('{dup}q')).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
    });
  });
}
