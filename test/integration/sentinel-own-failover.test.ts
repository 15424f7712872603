/**
 * Our own Sentinel mode (`ringcache-server --sentinel`), three of them, no redis-sentinel:
 * - they discover the replicas (master INFO) and each other (hello), and answer the SENTINEL
 *   commands with redis-sentinel's reply shapes; ROLE, INFO sentinel, HELLO 3, PUBLISH and
 *   unknown commands behave as in redis-sentinel;
 * - SIGKILL of a ringcache-server master: SDOWN → ODOWN → election → a replica is promoted, the
 *   other follows it, every Sentinel reports the new address, +switch-master is published, writes
 *   acknowledged with WAIT 1 before the kill are on the new master, RingClient's Sentinel mode
 *   follows (and ioredis's Sentinel client), each Sentinel's config file records epochs, known
 *   replicas and Sentinels, and a restarted Sentinel comes back with them;
 * - the same with a real redis-server master and replica.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { ask, fields, masterPortOf, relaunchOwnSentinel, replField, sleep, startSentinelOf, until } from '../helpers/own-sentinel.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const procs: ServerProcess[] = [];
const closers: (() => Promise<unknown> | void)[] = [];

afterAll(async () => {
  for (const c of closers) await c();
  await Promise.all(procs.map((p) => p.stop(2000)));
});

type Start = (args?: Record<string, string | number>) => Promise<ServerProcess>;

async function dataNodes(start: Start): Promise<{ master: ServerProcess; replicas: ServerProcess[] }> {
  const master = await start({});
  procs.push(master);
  const replicas = await Promise.all([1, 2].map(() => start({ replicaof: `127.0.0.1 ${master.port}` })));
  procs.push(...replicas);
  for (const r of replicas) await until('replica in sync', async () => (await replField(r.port, 'master_link_status')) === 'up');
  return { master, replicas };
}

async function sentinels(masterPort: number): Promise<ServerProcess[]> {
  const list = await Promise.all([0, 1, 2].map(() => startSentinelOf('own', masterPort)));
  procs.push(...list);
  for (const s of list) {
    await until('discovery', async () => {
      const m = fields(await ask(s.port, 'SENTINEL', 'master', 'm'));
      return m['num-slaves'] === '2' && m['num-other-sentinels'] === '2';
    });
  }
  return list;
}

/** Kills the master and waits until every Sentinel and the data nodes agree on a replica. */
async function failover(master: ServerProcess, replicas: ServerProcess[], group: ServerProcess[]): Promise<ServerProcess> {
  await master.kill();
  const ports = replicas.map((r) => r.port);
  await until('every Sentinel reports a replica as master', async () => {
    const seen = await Promise.all(group.map((s) => masterPortOf(s.port)));
    return seen.every((p) => p === seen[0] && ports.includes(p));
  });
  const newPort = await masterPortOf(group[0]!.port);
  const winner = replicas.find((r) => r.port === newPort)!;
  await until('promoted replica is master', async () => (await replField(winner.port, 'role')) === 'master');
  for (const r of replicas) {
    if (r === winner) continue;
    await until('other replica follows', async () => (await replField(r.port, 'master_port')) === String(newPort) && (await replField(r.port, 'master_link_status')) === 'up');
  }
  return winner;
}

describe('own Sentinels fail over a ringcache-server master', () => {
  it('discovers, answers like redis-sentinel, fails over, persists its state; RingClient follows', async () => {
    const { master, replicas } = await dataNodes((args) => startRingcache({ args: args ?? {} }));
    const group = await sentinels(master.port);
    const s0 = group[0]!.port;

    expect(String(await ask(s0, 'SENTINEL', 'myid'))).toMatch(/^[0-9a-f]{40}$/);
    expect(await ask(s0, 'ROLE')).toEqual(['sentinel', ['m']]);
    expect(await ask(s0, 'SENTINEL', 'get-master-addr-by-name', 'm')).toEqual(['127.0.0.1', String(master.port)]);
    expect(await ask(s0, 'SENTINEL', 'get-master-addr-by-name', 'nope')).toBeNull();
    // A Sentinel counts another as usable once its link to it is up, which may follow discovery
    // by a moment (redis-sentinel alike): wait for it rather than read it once.
    await until('ckquorum sees 3 usable Sentinels', async () => (await ask(s0, 'SENTINEL', 'ckquorum', 'm')) === 'OK 3 usable Sentinels. Quorum and failover authorization can be reached');
    const info = String(await ask(s0, 'INFO'));
    expect(info).toContain('# Sentinel');
    expect(info).toContain(`master0:name=m,status=ok,address=127.0.0.1:${master.port},slaves=2,sentinels=3`);
    expect(info).not.toContain('# Keyspace');
    const m = fields(await ask(s0, 'SENTINEL', 'master', 'm'));
    expect(m.flags).toBe('master');
    expect(m.quorum).toBe('2');
    // A replica's link status is what its own INFO said: known after the Sentinel's first INFO to it.
    await until("the replicas' links seen up", async () => {
      const reps = (await ask(s0, 'SENTINEL', 'replicas', 'm')) as unknown[];
      return reps.length === 2 && reps.every((r) => fields(r)['master-link-status'] === 'ok');
    });
    const raw = new Redis({ port: s0, host: '127.0.0.1' });
    closers.push(() => raw.disconnect());
    await expect(raw.call('PUBLISH', 'x', 'y')).rejects.toThrow('Only HELLO messages are accepted by Sentinel instances.');
    await expect(raw.call('GET', 'foo')).rejects.toThrow(/unknown command 'GET'/);
    await expect(raw.call('SENTINEL', 'is-master-down-by-addr', 'x')).rejects.toThrow(
      "wrong number of arguments for 'sentinel|is-master-down-by-addr' command",
    );
    expect(await raw.call('HELLO', '3')).toContain('sentinel');

    // Events of every Sentinel: an observer may learn the new master from a hello before it
    // reaches ODOWN itself, but the leader always publishes +odown before it starts.
    const events: string[] = [];
    for (const s of group) {
      const sub = new Redis({ port: s.port, host: '127.0.0.1' });
      closers.push(() => sub.disconnect());
      sub.on('pmessage', (_p: string, ch: string, msg: string) => events.push(`${ch} ${msg}`));
      await sub.psubscribe('*');
    }

    const client = new RingClient({ sentinels: group.map((s) => `127.0.0.1:${s.port}`), masters: ['m'], commandTimeoutMs: 1000 });
    closers.push(() => client.close());
    await client.set('before', '1');
    const io = new Redis({ sentinels: group.map((s) => ({ host: '127.0.0.1', port: s.port })), name: 'm', sentinelRetryStrategy: () => 100 });
    io.on('error', () => {});
    closers.push(() => io.disconnect());
    await io.set('io:before', '1');
    const w = new Redis({ port: master.port, host: '127.0.0.1' });
    for (let i = 0; i < 20; i++) {
      await w.set(`acked:${i}`, String(i));
      expect(await w.call('WAIT', '1', '1000')).toBeGreaterThanOrEqual(1);
    }
    w.disconnect();

    const winner = await failover(master, replicas, group);
    expect(await ask(winner.port, 'GET', 'acked:19')).toBe('19');
    expect(await ask(winner.port, 'DBSIZE')).toBeGreaterThanOrEqual(21);
    await until('+switch-master published', async () => events.some((e) => e.startsWith(`+switch-master m 127.0.0.1 ${master.port} 127.0.0.1 ${winner.port}`)));
    expect(events.some((e) => e.startsWith('+odown master m'))).toBe(true);
    await until('RingClient writes to the new master', async () => {
      try {
        await client.set('after', '2');
        return (await ask(winner.port, 'GET', 'after')) === '2';
      } catch {
        return false;
      }
    });
    expect(await client.get('before')).toBe('1');
    // ioredis's Sentinel client follows too (it re-asks the Sentinels when its connection drops).
    await until('ioredis writes to the new master', async () => {
      try {
        await io.set('io:after', '2');
        return (await ask(winner.port, 'GET', 'io:after')) === '2';
      } catch {
        return false;
      }
    });

    for (const s of group) {
      // The leader rewrites the monitor line at +switch-master, after the last replica's INFO
      // shows it reconfigured (up to an INFO period after the Sentinels already answer the new address).
      const file = join(s.dir, 'sentinel.conf');
      await until('config file rewritten', async () => readFileSync(file, 'latin1').includes(`sentinel monitor m 127.0.0.1 ${winner.port} 2`));
      const text = readFileSync(file, 'latin1');
      expect(text).toMatch(/^sentinel myid [0-9a-f]{40}$/m);
      expect(text).toContain(`sentinel monitor m 127.0.0.1 ${winner.port} 2`);
      expect(text).toMatch(/^sentinel current-epoch [1-9]/m);
      expect(text).toMatch(/^sentinel config-epoch m [1-9]/m);
      expect(text).toContain(`sentinel known-replica m 127.0.0.1 ${master.port}`);
      expect(text.match(/^sentinel known-sentinel m /gm)?.length).toBe(2);
    }

    // Restarted on its rewritten file, a Sentinel keeps its id, epochs and the new master.
    const last = group[2]!;
    const id = await ask(last.port, 'SENTINEL', 'myid');
    last.signal('SIGTERM');
    await last.exited;
    const again = await relaunchOwnSentinel(last);
    procs.push(again);
    expect(await ask(again.port, 'SENTINEL', 'myid')).toBe(id);
    expect(await masterPortOf(again.port)).toBe(winner.port);
    expect(Number(fields(await ask(again.port, 'SENTINEL', 'master', 'm'))['config-epoch'])).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasRedis())('own Sentinels fail over a redis-server master', () => {
  it('promotes a redis-server replica and reconfigures the other', async () => {
    const { master, replicas } = await dataNodes((args) => startRedis({ args: { 'repl-diskless-sync-delay': 0, ...(args ?? {}) } }));
    const group = await sentinels(master.port);
    await sleep(100);
    const winner = await failover(master, replicas, group);
    expect(await replField(winner.port, 'role')).toBe('master');
  });
});
