/**
 * Master–replica replication between real ringcache-server processes: full sync of a large
 * dataset while the master keeps writing (REPL_TEST_KEYS, 200k by default; set it to 1000000 for
 * the 1M), partial resync after a dropped link (INFO sync_full / sync_partial_ok), the
 * replica equal to the master (DBSIZE, DEBUG DIGEST and a full dump) after a random load with
 * TTLs, evictions and every type, READONLY, WAIT, promotion with partial resync of the other
 * replica (PSYNC2 replid2), and the role surviving a restart through CONFIG REWRITE.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startRingcache, type ServerProcess } from '../helpers/processes.js';
import { connect, dumpDataset, sleep, waitFor } from './persistence-helpers.js';

const KEYS = Number(process.env.REPL_TEST_KEYS ?? 200_000);
const procs: ServerProcess[] = [];
const conns: Redis[] = [];
const dirs: string[] = [];

async function start(args: Record<string, string | number> = {}, dir?: string, configFile?: string): Promise<ServerProcess> {
  const p = await startRingcache({
    args: { 'enable-debug-command': 'yes', ...args },
    ...(dir !== undefined ? { dir, keepDir: true } : {}),
    ...(configFile !== undefined ? { configFile } : {}),
  });
  procs.push(p);
  return p;
}

async function client(p: ServerProcess): Promise<Redis> {
  const r = await connect(p.port);
  conns.push(r);
  return r;
}

async function field(r: Redis, section: string, name: string): Promise<string> {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(await r.info(section));
  return m === null ? '' : m[1]!.trim();
}

async function linkUp(r: Redis): Promise<void> {
  await waitFor(async () => (await field(r, 'replication', 'master_link_status')) === 'up', 60_000, 50);
}

/** Waits until the replica has applied everything the master has written so far. */
async function caughtUp(master: Redis, replica: Redis): Promise<void> {
  // Every replica that acknowledged counts (two may have, as in Redis).
  expect(Number(await master.call('WAIT', '1', '10000'))).toBeGreaterThanOrEqual(1);
  const target = await field(master, 'replication', 'master_repl_offset');
  await waitFor(async () => (await field(replica, 'replication', 'slave_repl_offset')) === target, 10_000);
}

afterAll(async () => {
  for (const c of conns) c.disconnect();
  for (const p of procs) await p.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('replication', () => {
  it(`full sync of ${KEYS} keys while the master takes writes`, async () => {
    const m = await start();
    const r = await start();
    const mc = await client(m);
    for (let i = 0; i < KEYS; i += 1000) {
      const args: string[] = [];
      for (let j = i; j < Math.min(KEYS, i + 1000); j++) args.push(`key:${j}`, `value:${j}`);
      await mc.call('MSET', ...args);
    }
    const rc = await client(r);
    await rc.call('REPLICAOF', '127.0.0.1', String(m.port));
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        const p = mc.pipeline();
        for (let j = 0; j < 50; j++) p.set(`key:${(writes * 7919 + j) % KEYS}`, `new:${writes}`).incr('counter');
        await p.exec();
        writes++;
      }
    })();
    await linkUp(rc);
    writing = false;
    await writer;
    await caughtUp(mc, rc);
    expect(await rc.dbsize()).toBe(await mc.dbsize());
    expect(await rc.call('DEBUG', 'DIGEST')).toBe(await mc.call('DEBUG', 'DIGEST'));
    expect(await rc.get('counter')).toBe(await mc.get('counter'));
    expect(Number(await field(mc, 'stats', 'sync_full'))).toBe(1);
  }, 80_000);

  it('replica equals the master after a random load with TTLs, evictions and every type; READONLY; WAIT', async () => {
    const m = await start({ 'maxmemory-policy': 'allkeys-lru' });
    const r = await start();
    const mc = await client(m);
    const rc = await client(r);
    const used = Number(await field(mc, 'memory', 'used_memory'));
    await mc.config('SET', 'maxmemory', String(used + 6 * 1024 * 1024));
    await rc.call('REPLICAOF', '127.0.0.1', String(m.port));
    await linkUp(rc);
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let round = 0; round < 40; round++) {
      const p = mc.pipeline();
      for (let i = 0; i < 250; i++) {
        const k = `k${rnd(2000)}`;
        switch (rnd(12)) {
          case 0: p.set(`s:${k}`, 'x'.repeat(rnd(2000)), 'EX', 100 + rnd(100)); break;
          case 1: p.set(`s:${k}`, String(rnd(1000)), 'PX', 1 + rnd(300)); break;
          case 2: p.incrby(`n:${k}`, rnd(10)); break;
          case 3: p.rpush(`l:${k}`, String(rnd(100)), String(rnd(100))); break;
          case 4: p.lpop(`l:${k}`); break;
          case 5: p.hset(`h:${k}`, `f${rnd(20)}`, String(rnd(100))); break;
          case 6: p.sadd(`t:${k}`, `m${rnd(50)}`); break;
          case 7: p.srem(`t:${k}`, `m${rnd(50)}`); break;
          case 8: p.zadd(`z:${k}`, rnd(100), `m${rnd(30)}`); break;
          case 9: p.expire(`h:${k}`, 100 + rnd(50)); break;
          case 10: p.del(`s:${k}`); break;
          default: p.set(`big:${k}`, 'y'.repeat(10_000 + rnd(20_000)));
        }
      }
      await p.exec();
    }
    // Replica output buffers are not counted for eviction (as in Redis), so how much of the load
    // counts depends on how fast the replica drains its stream: top up until the master evicted.
    for (let extra = 0; extra < 80 && Number(await field(mc, 'stats', 'evicted_keys')) === 0; extra++) {
      const p = mc.pipeline();
      for (let i = 0; i < 50; i++) p.set(`big:extra${extra}:${i}`, 'y'.repeat(20_000));
      await p.exec();
    }
    await mc.select(3);
    await mc.set('in-db-3', 'yes');
    await mc.select(0);
    await sleep(400); // let the short PX keys expire on the master (it propagates their DEL)
    await caughtUp(mc, rc);
    expect(Number(await field(mc, 'stats', 'evicted_keys'))).toBeGreaterThan(0);
    const [md, rd] = [await dumpDataset(mc), await dumpDataset(rc)];
    expect(Object.keys(rd).length).toBe(Object.keys(md).length);
    expect(rd).toEqual(md);
    expect(await rc.call('DEBUG', 'DIGEST')).toBe(await mc.call('DEBUG', 'DIGEST'));
    await expect(rc.set('x', '1')).rejects.toThrow("READONLY You can't write against a read only replica.");
    expect(await mc.call('WAIT', '1', '5000')).toBe(1);
    expect(await mc.call('WAIT', '2', '200')).toBe(1);
    await expect(rc.call('WAIT', '1', '10')).rejects.toThrow(/WAIT cannot be used with replica instances/);
  }, 60_000);

  it('partial resync after a dropped link, after promotion (replid2), and the role survives a restart', async () => {
    const m = await start();
    const a = await start();
    const dir = mkdtempSync(join(tmpdir(), 'ringcache-repl-'));
    dirs.push(dir);
    const conf = join(dir, 'b.conf');
    writeFileSync(conf, '# replica b\n');
    const b = await start({}, dir, conf);
    const mc = await client(m);
    const ac = await client(a);
    const bc = await client(b);
    for (const c of [ac, bc]) await c.call('REPLICAOF', '127.0.0.1', String(m.port));
    await linkUp(ac);
    await linkUp(bc);
    for (let i = 0; i < 500; i++) await mc.set(`a${i}`, String(i));
    await caughtUp(mc, ac);
    // Drop the replica links: they come back with PSYNC and continue from the backlog.
    expect(Number(await mc.call('CLIENT', 'KILL', 'TYPE', 'replica'))).toBe(2);
    await mc.set('during', 'drop');
    await sleep(100);
    await linkUp(ac);
    await linkUp(bc);
    await caughtUp(mc, bc);
    expect(await field(mc, 'stats', 'sync_full')).toBe('2');
    expect(await field(mc, 'stats', 'sync_partial_ok')).toBe('2');
    expect(await bc.get('during')).toBe('drop');
    // CLIENT KILL TYPE normal must not touch replica links.
    await mc.call('CLIENT', 'KILL', 'TYPE', 'normal');
    expect(await field(mc, 'replication', 'connected_slaves')).toBe('2');
    // Promote a, repoint b: b resumes from a's backlog under the old id.
    await caughtUp(mc, ac);
    await caughtUp(mc, bc);
    await ac.call('REPLICAOF', 'NO', 'ONE');
    expect(await field(ac, 'replication', 'role')).toBe('master');
    await ac.set('after-promotion', '1');
    await bc.call('REPLICAOF', '127.0.0.1', String(a.port));
    await linkUp(bc);
    expect(await field(ac, 'stats', 'sync_partial_ok')).toBe('1');
    expect(await field(ac, 'stats', 'sync_full')).toBe('0');
    await caughtUp(ac, bc);
    expect(await bc.get('after-promotion')).toBe('1');
    expect(await bc.dbsize()).toBe(await ac.dbsize());
    // Restart b without any replicaof argument: CONFIG REWRITE wrote its role into its config
    // file, so it comes back as a replica of a (as Sentinel persists roles).
    expect(await bc.call('CONFIG', 'REWRITE')).toBe('OK');
    bc.disconnect();
    await b.stop();
    const b2 = await start({}, dir, conf);
    const b2c = await client(b2);
    expect(await field(b2c, 'replication', 'role')).toBe('slave');
    expect(await field(b2c, 'replication', 'master_port')).toBe(String(a.port));
    await linkUp(b2c);
    expect(await b2c.get('after-promotion')).toBe('1');
  }, 60_000);
});
