/**
 * The collector against scripted fake nodes and a fake Sentinel: figures from INFO, ops/s from
 * total_commands_processed deltas minus the poller's own commands, hot keys or n/a, a silent node
 * shown down without holding up the others (64 nodes, 8 silent), replicas found through their
 * master, shards and a failover learned from a Sentinel, and the dashboard's HTTP side (page,
 * /api/state, the /events stream).
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Collector } from '../../../../src/fleet/dashboard/collector.js';
import { openDashboard } from '../../../../src/fleet/dashboard/index.js';
import { fromNodeList } from '../../../../src/fleet/dashboard/targets.js';
import { resp, sentinelRecord, startFakeServer, type FakeServer } from '../../../helpers/fake-resp-server.js';
import { fakeInfo as info, fakeNode as makeFakeNode, silentNode as makeSilentNode, type FakeNode } from '../../../helpers/fake-nodes.js';

const servers: FakeServer[] = [];
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const fakeNode = (n: FakeNode): Promise<FakeServer> => makeFakeNode(n, servers);
const silentNode = (): Promise<FakeServer> => makeSilentNode(servers);

describe('Collector', () => {
  it('polls INFO and hot keys; ops/s from deltas; a silent node is down; hot keys n/a on real Redis', async () => {
    const a: FakeNode = { role: 'master', total: 1000, hot: [['hot', 50], ['warm', 4]] };
    const b: FakeNode = { role: 'master', total: 0, hot: null };
    const [sa, sb, dead] = [await fakeNode(a), await fakeNode(b), await silentNode()];
    const c = new Collector(fromNodeList(`s1=${sa.address},s2=${sb.address},s3=${dead.address}`), { timeoutMs: 300 });
    closers.push(() => c.stop());
    let snap = await c.tick();
    const view = (addr: string) => snap.nodes.find((n) => n.addr === addr)!;
    expect(view(sa.address)).toMatchObject({ shard: 's1', up: true, role: 'master', ops: 7, memory: 2048, keys: 5, hitRate: 0.75, clients: 3, hotKeys: [['hot', 50], ['warm', 4]] });
    expect(view(sb.address)).toMatchObject({ shard: 's2', up: true, hotKeys: null });
    expect(view(dead.address)).toMatchObject({ shard: 's3', up: false });
    expect(view(dead.address).error).toContain('did not answer');
    a.total += 2 + 500; // the poller's INFO + HOTKEYS, and 500 others
    await new Promise((r) => setTimeout(r, 200));
    snap = await c.tick();
    expect(view(sa.address).ops).toBeGreaterThan(0);
    expect(view(sa.address).ops).toBeLessThanOrEqual(500 / 0.2);
    // Real Redis has no RINGCACHE.HOTKEYS: asked once, then no more.
    expect(sb.log.filter((l) => l.startsWith('RINGCACHE.HOTKEYS'))).toHaveLength(1);
    expect(view(sb.address).hotKeys).toBeNull();
    expect(c.ringView().ring.shards.map((s) => s.name)).toEqual(['s1', 's2', 's3']);
  });

  it('finds replicas through their master, names unnamed shards by address, computes lag, sees a promotion', async () => {
    const replica: FakeNode = { role: 'slave', total: 0, hot: [] };
    const rs = await fakeNode(replica);
    const m: FakeNode = { role: 'master', total: 0, hot: [], replicas: [rs.port], lag: 2 };
    const ms = await fakeNode(m);
    replica.master = ms.port;
    const c = new Collector(fromNodeList(ms.address), { timeoutMs: 300 });
    closers.push(() => c.stop());
    await c.tick();
    const snap = await c.tick();
    expect(snap.nodes.map((n) => [n.addr, n.shard, n.role])).toEqual([
      [ms.address, ms.address, 'master'],
      [rs.address, ms.address, 'replica'],
    ]);
    expect(snap.nodes[1]!.lagBytes).toBe(20);
    expect(snap.nodes[1]!.lagSeconds).toBe(2);
    expect(c.ringView().ring.shards.map((s) => s.name)).toEqual([ms.address]);
    replica.role = 'master';
    delete replica.master;
    await c.tick();
    expect(c.timeline.since(0).map((e) => [e.kind, e.node])).toContainEqual(['failover', rs.address]);
  });

  it('stays bounded with 64 nodes, 8 of them silent', async () => {
    const live = await Promise.all(Array.from({ length: 56 }, () => fakeNode({ role: 'master', total: 0, hot: [] })));
    const dead = await Promise.all(Array.from({ length: 8 }, () => silentNode()));
    const list = [...live, ...dead].map((s, i) => `n${i}=${s.address}`).join(',');
    const c = new Collector(fromNodeList(list), { timeoutMs: 500 });
    closers.push(() => c.stop());
    const began = Date.now();
    const snap = await c.tick();
    // Concurrent polls: one round costs about one timeout, not 8 of them.
    expect(Date.now() - began).toBeLessThan(8 * 500);
    expect(snap.nodes).toHaveLength(64);
    expect(snap.nodes.filter((n) => n.up)).toHaveLength(56);
    expect(c.ringView().ring.shards).toHaveLength(64);
  });

  it('authenticates each new connection when given credentials; a refusal shows the node down with the reason', async () => {
    const authed = new Set<number>();
    const s = await startFakeServer((argv, conn) => {
      const name = argv[0]!.toUpperCase();
      if (name === 'AUTH') {
        if (argv.length === 3 && argv[1] === 'ops' && argv[2] === 'secret') {
          authed.add(conn.id);
          return resp.ok;
        }
        return resp.err('WRONGPASS invalid username-password pair or user is disabled.');
      }
      if (!authed.has(conn.id)) return resp.err('NOAUTH Authentication required.');
      return name === 'INFO' ? info({ role: 'master', total: 0, hot: [] }) : resp.value([]);
    });
    servers.push(s);
    const good = new Collector({ ...fromNodeList(`a=${s.address}`), auth: ['ops', 'secret'] }, { timeoutMs: 300 });
    const bad = new Collector({ ...fromNodeList(`a=${s.address}`), auth: ['ops', 'nope'] }, { timeoutMs: 300 });
    closers.push(() => good.stop(), () => bad.stop());
    expect((await good.tick()).nodes[0]).toMatchObject({ up: true, role: 'master' });
    const refused = (await bad.tick()).nodes[0]!;
    expect(refused.up).toBe(false);
    expect(refused.error).toContain('WRONGPASS');
  });

  it('learns shards from a Sentinel, records its +switch-master, shows it down when it goes', async () => {
    const master = await fakeNode({ role: 'master', total: 0, hot: [] });
    const replica = await fakeNode({ role: 'slave', total: 0, hot: [], master: master.port });
    const sentinel = await startFakeServer((argv) => {
      const sub = (argv[1] ?? '').toUpperCase();
      if (sub === 'MASTERS') return resp.arr([sentinelRecord({ name: 'cache', ip: '127.0.0.1', port: String(master.port) }), sentinelRecord({ name: 'other', ip: '127.0.0.1', port: '1' })]);
      if (sub === 'REPLICAS') return resp.arr([sentinelRecord({ name: replica.address, ip: '127.0.0.1', port: String(replica.port) })]);
      return resp.err('ERR unexpected');
    });
    servers.push(sentinel);
    const mute = await silentNode(); // a Sentinel that never answers costs one timeout, not more
    const c = new Collector({ nodes: [], shards: [{ name: 'cache' }], sentinels: [mute.address, sentinel.address], masterNames: ['cache'], vnodes: 150 }, { timeoutMs: 300 });
    closers.push(() => c.stop());
    const began = Date.now();
    await c.tick();
    expect(Date.now() - began).toBeLessThan(3 * 300);
    const snap = await c.tick();
    expect(snap.nodes.map((n) => [n.addr, n.shard, n.role])).toEqual([
      [master.address, 'cache', 'master'],
      [replica.address, 'cache', 'replica'],
    ]);
    expect(snap.sentinels).toEqual([{ addr: mute.address, up: false }, { addr: sentinel.address, up: true }]);
    expect(sentinel.publish('+switch-master', `cache 127.0.0.1 ${master.port} 127.0.0.1 ${replica.port}`)).toBe(1);
    const end = Date.now() + 5000;
    while (c.timeline.lastSeq === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(c.timeline.since(0)[0]).toMatchObject({ kind: 'failover', shard: 'cache', node: replica.address });
    servers.splice(servers.indexOf(sentinel), 1);
    await sentinel.close();
    expect((await c.tick()).sentinels).toEqual([{ addr: mute.address, up: false }, { addr: sentinel.address, up: false }]);
    expect((await c.tick()).nodes.filter((n) => n.up)).toHaveLength(2);
  });
});

function get(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

/** The first `n` SSE events of /events, as [event, parsed data]. */
function events(url: string, n: number): Promise<[string, unknown][]> {
  return new Promise((resolve, reject) => {
    const out: [string, unknown][] = [];
    const req = http.get(url, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (ev !== undefined && data !== undefined) out.push([ev, JSON.parse(data)]);
          if (out.length >= n) {
            req.destroy();
            resolve(out);
            return;
          }
        }
      });
    });
    req.on('error', (e) => (out.length >= n ? undefined : reject(e)));
  });
}

describe('dashboard HTTP', () => {
  it('serves the page, /api/state and a live /events stream', async () => {
    const node = await fakeNode({ role: 'master', total: 0, hot: [['k', 1]] });
    const d = await openDashboard(fromNodeList(`s1=${node.address}`), { port: 0, intervalMs: 200 });
    closers.push(() => d.close());
    expect(d.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(d.url);
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('id="nodes-body"');
    expect((await get(`${d.url}app.js`)).type).toContain('javascript');
    expect((await get(`${d.url}style.css`)).status).toBe(200);
    expect((await get(`${d.url}nope`)).status).toBe(404);
    const stream = await events(`${d.url}events`, 4);
    expect(stream[0]).toEqual(['hello', { boot: expect.any(String) }]);
    expect(stream[1]![0]).toBe('ring');
    expect(stream[1]![1]).toMatchObject({ version: 1, vnodes: 150, shards: [{ name: 's1', share: 1 }] });
    expect(stream.slice(2).map(([e]) => e)).toEqual(['nodes', 'nodes']);
    const last = stream[3]![1] as { nodes: { addr: string; up: boolean }[] };
    expect(last.nodes).toEqual([expect.objectContaining({ addr: node.address, up: true })]);
    const state = JSON.parse((await get(`${d.url}api/state`)).body) as { nodes: unknown[]; timeline: unknown[] };
    expect(state.nodes).toHaveLength(1);
    expect(state.timeline).toEqual([]);
    await expect(openDashboard(fromNodeList(`s1=${node.address}`), { port: d.port })).rejects.toMatchObject({ code: 'ERR_FLEET', message: expect.stringContaining('EADDRINUSE') });
  });
});
