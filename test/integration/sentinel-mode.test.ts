/**
 * Sentinel mode with a scripted Sentinel (exact control of what it answers, no events) in front
 * of real ringcache-server nodes:
 * - `new RingClient({ sentinels, masters })` returns at once; commands, pipelines, transactions and
 *   subscriptions issued before discovery wait and then run;
 * - with no reachable Sentinel they reject with ERR_SENTINEL after connectTimeoutMs; connect()
 *   rejects likewise; close() settles whatever still waits;
 * - a READONLY reply re-resolves the master at once: the node is demoted behind Sentinel's back
 *   (REPLICAOF) and the Sentinel's answer changed without any event, with the periodic re-check
 *   ten minutes away, so only the READONLY reply can make the client switch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { TopologyDiff } from '../../src/client/topology/diff.js';
import { ReplyError } from '../../src/errors.js';
import { resp, startFakeServer, type FakeServer } from '../helpers/fake-resp-server.js';
import { freePort, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { RawClient } from '../helpers/raw-client.js';
import { sleep, until } from '../helpers/poll.js';



async function raw(port: number, ...args: string[]): Promise<string> {
  const r = await RawClient.connect(port);
  try {
    return await r.call(...args);
  } finally {
    r.close();
  }
}

/** A Sentinel that knows master 's1' at `view.port` (or nothing while `view.port` is 0). */
async function scriptedSentinel(view: { port: number }): Promise<FakeServer> {
  return startFakeServer((argv) => {
    if (argv[0]!.toUpperCase() !== 'SENTINEL') return resp.err('ERR unknown command');
    if (argv[1] === 'get-master-addr-by-name') return argv[2] === 's1' && view.port !== 0 ? resp.strings(['127.0.0.1', String(view.port)]) : resp.nil;
    if (argv[1] === 'replicas' || argv[1] === 'sentinels') return resp.arr([]);
    return resp.err('ERR unknown subcommand');
  });
}

const addrQueries = (s: FakeServer): number => s.log.filter((l) => l.startsWith('SENTINEL get-master-addr-by-name')).length;

describe('Sentinel mode (scripted Sentinel, ringcache-server nodes)', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    [a, b] = await Promise.all([startRingcache(), startRingcache()]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('with no reachable Sentinel, commands reject with ERR_SENTINEL after connectTimeoutMs; close() settles the rest', async () => {
    const port = await freePort();
    const c = new RingClient({ sentinels: [`127.0.0.1:${port}`], masters: ['s1'], connectTimeoutMs: 300, sentinelTimeoutMs: 100 });
    const t0 = performance.now();
    await expect(c.get('k')).rejects.toMatchObject({ code: 'ERR_SENTINEL', message: expect.stringContaining('no Sentinel reachable') });
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(250);
    const late = [c.get('k2'), c.pipeline().get('k3').exec(), c.subscribe('ch')];
    await c.close();
    for (const p of late) await expect(p).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
    await expect(RingClient.connect({ sentinels: [`127.0.0.1:${port}`], masters: ['s1'], connectTimeoutMs: 200, sentinelTimeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_SENTINEL' });
  });

  it('the constructor returns at once; commands, pipelines, MULTI and subscriptions issued before discovery wait, then run', async () => {
    const view = { port: 0 };
    const sentinel = await scriptedSentinel(view);
    const c = new RingClient({ sentinels: [sentinel.address], masters: ['s1'], connectTimeoutMs: 5000 });
    try {
      const topo: TopologyDiff[] = [];
      c.on('topology', (d: TopologyDiff) => topo.push(d));
      const set = c.set('early', '1');
      const pipe = c.pipeline().set('p', '2').get('p').exec();
      const tx = c.multi().incr('n').incr('n').exec();
      const sub = c.subscribe('early-ch');
      // The Sentinel does not know the master yet: discovery retries while the commands wait.
      await until('two discovery attempts', () => addrQueries(sentinel) >= 2);
      expect(c.topology().shards.size).toBe(0);
      view.port = a.port;
      expect(await set).toBe('OK');
      expect(await pipe).toEqual([[null, 'OK'], [null, '2']]);
      expect(await tx).toEqual([1, 2]);
      const s = await sub;
      const got: string[] = [];
      s.on('message', (_ch: string, m: string) => got.push(m));
      await c.publish('early-ch', 'hello');
      await until('message delivered', () => got.includes('hello'));
      await s.close();
      expect(c.topology().shards.get('s1')?.master).toBe(`127.0.0.1:${a.port}`);
      expect(topo[0]?.changes).toMatchObject([{ shard: 's1', kind: 'added' }]);
      expect(await raw(a.port, 'GET', 'early')).toBe('$1\r\n1\r\n');
    } finally {
      await c.close();
      await sentinel.close();
    }
  });

  it('a READONLY reply from the master re-resolves it through Sentinel at once', async () => {
    const view = { port: a.port };
    const sentinel = await scriptedSentinel(view);
    const c = new RingClient({ sentinels: [sentinel.address], masters: ['s1'], sentinelRecheckMs: 600_000, commandTimeoutMs: 2000 });
    try {
      const moves: TopologyDiff[] = [];
      c.on('topology', (d: TopologyDiff) => {
        if (d.changes.some((x) => x.master !== undefined)) moves.push(d);
      });
      expect(await c.set('ro', 'before')).toBe('OK');
      await until('subscribed', () => sentinel.log.some((l) => l.startsWith('SUBSCRIBE')));
      const q0 = addrQueries(sentinel);
      await sleep(100);
      expect(addrQueries(sentinel)).toBe(q0);
      // Behind Sentinel's back: a becomes a replica of b, and the Sentinel now names b (no event).
      expect(await raw(a.port, 'REPLICAOF', '127.0.0.1', String(b.port))).toBe('+OK\r\n');
      view.port = b.port;
      let readonly = 0;
      const other: string[] = [];
      let tReadonly = 0;
      let tOk = 0;
      for (let i = 0; i < 500 && tOk === 0; i++) {
        try {
          await c.set('ro', `after${i}`);
          if (readonly > 0) tOk = performance.now();
        } catch (err) {
          if (err instanceof ReplyError && err.prefix === 'READONLY') {
            readonly++;
            if (tReadonly === 0) tReadonly = performance.now();
          } else other.push(err instanceof ReplyError ? `${err.prefix}: ${err.message}` : ((err as { code?: string }).code ?? String(err)));
        }
        await sleep(5);
      }
      console.log(`[sentinel READONLY] first READONLY → first write on the new master: ${Math.round(tOk - tReadonly)} ms; ${readonly} READONLY replies, other errors: ${other.join(', ') || 'none'}; periodic re-check is 600 s away`);
      expect(readonly).toBeGreaterThan(0);
      expect(tOk).toBeGreaterThan(0);
      expect(addrQueries(sentinel)).toBeGreaterThan(q0);
      expect(moves.at(-1)?.changes[0]?.master).toEqual({ from: `127.0.0.1:${a.port}`, to: `127.0.0.1:${b.port}` });
      expect(await raw(b.port, 'GET', 'ro')).toMatch(/^\$\d+\r\nafter\d+\r\n$/);
    } finally {
      await c.close();
      await sentinel.close();
      await raw(a.port, 'REPLICAOF', 'NO', 'ONE');
    }
  });
});
