/**
 * Restart round trips of real ringcache-server processes: every data type and TTL comes back
 * identical after a SIGKILL with AOF on (commands whose effect is random or relative to the clock
 * are written in a deterministic form), after a BGREWRITEAOF, from a snapshot (SAVE, BGSAVE,
 * SHUTDOWN with save rules), and after turning AOF on at run time.
 */
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startRingcache, type ServerProcess } from '../helpers/processes.js';
import { connect, dumpDataset, info, sleep, waitFor } from './persistence-helpers.js';

const dirs: string[] = [];
const procs: ServerProcess[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ringcache-persist-'));
  dirs.push(d);
  return d;
}

async function start(dir: string, args: Record<string, string | number> = {}): Promise<ServerProcess> {
  const p = await startRingcache({ dir, args: { save: '', ...args } });
  procs.push(p);
  return p;
}

afterAll(async () => {
  for (const p of procs) await p.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every type, TTLs, and each command that must be rewritten to replay deterministically. */
async function workload(r: Redis): Promise<void> {
  await r.set('s:plain', 'v');
  await r.set('s:ex', 'v', 'EX', 1000);
  await r.set('s:px', 'v', 'PX', 500_000);
  await r.set('s:keep', 'v', 'EX', 1000);
  await r.set('s:keep', 'w', 'KEEPTTL');
  await r.setex('s:setex', 1000, 'v');
  await r.psetex('s:psetex', 900_000, 'v');
  await r.set('s:getex', 'v');
  await r.getex('s:getex', 'EX', 777);
  await r.set('s:expire', 'v');
  await r.expire('s:expire', 5000);
  await r.set('s:pexpire', 'v');
  await r.pexpire('s:pexpire', 5_000_000);
  await r.set('s:persist', 'v', 'EX', 100);
  await r.persist('s:persist');
  await r.set('s:short', 'v', 'PX', 30);
  await r.set('s:float', '10.5');
  await r.incrbyfloat('s:float', 0.1);
  await r.incr('s:int');
  await r.append('s:append', 'ab');
  await r.setrange('s:append', 5, 'z');
  // Bitmaps and HyperLogLogs are strings; PFCOUNT's cache refresh is propagated too.
  await r.setbit('b:bits', 1000, 1);
  await r.call('BITFIELD', 'b:bits', 'SET', 'i8', '#3', '-7', 'INCRBY', 'u4', '0', '9');
  await r.call('BITOP', 'NOT', 'b:not', 'b:bits');
  await r.pfadd('hll:a', 'a', 'b', 'c');
  await r.pfadd('hll:b', ...Array.from({ length: 2000 }, (_, i) => `e${i}`));
  await r.pfcount('hll:a');
  await r.pfmerge('hll:m', 'hll:a', 'hll:b');
  await r.call('PFDEBUG', 'TODENSE', 'hll:a');
  await r.rpush('l:list', 'a', 'b', 'c', 'd', 'e');
  await r.lpush('l:list', 'z');
  await r.lpop('l:list');
  await r.lmove('l:list', 'l:other', 'LEFT', 'RIGHT');
  await r.linsert('l:list', 'BEFORE', 'c', 'bb');
  await r.hset('h:hash', 'f1', 'v1', 'f2', 'v2', 'n', '1');
  await r.hincrbyfloat('h:hash', 'n', 2.25);
  await r.hdel('h:hash', 'f2');
  await r.sadd('set:a', '1', '2', '3', '4', '5', '6');
  await r.spop('set:a');
  await r.spop('set:a', 2);
  await r.sadd('set:b', 'x', 'y');
  await r.sunionstore('set:u', 'set:a', 'set:b');
  await r.zadd('z:z', 1, 'a', 2, 'b', 3, 'c', 4, 'd');
  await r.zincrby('z:z', 1.5, 'a');
  await r.zpopmin('z:z');
  await r.zadd('z:inf', '+inf', 'top', '-inf', 'bottom');
  await r.call('ZMPOP', '1', 'z:z', 'MAX');
  await r.rename('s:plain', 's:renamed');
  await r.copy('s:renamed', 's:copy');
  await r.select(1);
  await r.set('db1:gone', 'v');
  await r.flushdb();
  await r.select(2);
  await r.set('db2:key', 'v', 'EX', 2000);
  await r.rpush('db2:list', '1');
  await r.move('db2:list', 3);
  await r.select(0);
  // Blocking pops served at once and after blocking (propagated as LPOP/LMOVE).
  await r.rpush('l:block', 'x');
  await r.blpop('l:block', 1);
  await r.swapdb(1, 2);
  await sleep(80); // s:short expires (lazily or actively): its DEL is written too
  await r.get('s:short');
}

describe('restart round trips', () => {
  it('AOF (always): SIGKILL, restart, identical dataset', async () => {
    const dir = tempDir();
    let srv = await start(dir, { appendonly: 'yes', appendfsync: 'always' });
    let r = await connect(srv.port);
    await workload(r);
    // A pop served after blocking is written as the pop it performed.
    const blocked = await connect(srv.port);
    const pop = blocked.brpop('l:wait', 5);
    await waitFor(async () => /blocked_clients:1/.test(await r.info('clients')));
    await r.rpush('l:wait', 'a', 'b');
    expect(await pop).toEqual(['l:wait', 'b']);
    blocked.disconnect();
    const before = await dumpDataset(r);
    r.disconnect();
    await srv.kill();
    srv = await start(dir, { appendonly: 'yes' });
    r = await connect(srv.port);
    expect(await dumpDataset(r)).toEqual(before);
    expect(before['0:s:short']).toBeUndefined();
    expect(before['3:db2:list']).toBeDefined();
    r.disconnect();
    await srv.stop();
  });

  it('AOF after BGREWRITEAOF, with writes during the rewrite', async () => {
    const dir = tempDir();
    let srv = await start(dir, { appendonly: 'yes', appendfsync: 'everysec', 'rdb-key-save-delay': 200 });
    let r = await connect(srv.port);
    await workload(r);
    await r.pipeline(Array.from({ length: 1000 }, (_, i) => ['set', `bulk:${i}`, String(i)])).exec();
    expect(await r.bgrewriteaof()).toBe('Background append only file rewriting started');
    await expect(r.bgrewriteaof()).rejects.toThrow(/already in progress/);
    for (let i = 0; i < 200; i++) await r.set(`bulk:${(i * 7) % 400}`, `new${i}`);
    await r.hset('h:hash', 'during', 'rewrite');
    await waitFor(async () => (await info(r, 'aof_rewrite_in_progress')) === '0');
    expect(await info(r, 'aof_last_bgrewrite_status')).toBe('ok');
    await r.set('after', 'rewrite');
    const before = await dumpDataset(r);
    r.disconnect();
    await srv.kill();
    srv = await start(dir, { appendonly: 'yes' });
    r = await connect(srv.port);
    expect(await dumpDataset(r)).toEqual(before);
    r.disconnect();
    await srv.stop();
    expect(readdirSync(dir).filter((f) => f.startsWith('temp-'))).toEqual([]);
  });

  it('snapshots: SAVE, BGSAVE and SHUTDOWN with save rules', async () => {
    const dir = tempDir();
    let srv = await start(dir);
    let r = await connect(srv.port);
    await workload(r);
    expect(await r.save()).toBe('OK');
    const lastsave = await r.lastsave();
    expect(lastsave).toBeGreaterThan(0);
    expect(await info(r, 'rdb_changes_since_last_save')).toBe('0');
    let before = await dumpDataset(r);
    r.disconnect();
    await srv.kill();
    srv = await start(dir);
    r = await connect(srv.port);
    expect(await dumpDataset(r)).toEqual(before);

    await r.set('more', 'data');
    expect(await r.bgsave()).toBe('Background saving started');
    await waitFor(async () => (await info(r, 'rdb_bgsave_in_progress')) === '0');
    expect(await info(r, 'rdb_last_bgsave_status')).toBe('ok');
    before = await dumpDataset(r);
    r.disconnect();
    await srv.kill();
    srv = await start(dir, { save: '3600 1' });
    r = await connect(srv.port);
    expect(await dumpDataset(r)).toEqual(before);

    // SIGTERM saves because a save rule is configured.
    await r.set('on', 'sigterm');
    before = await dumpDataset(r);
    r.disconnect();
    await srv.stop();
    srv = await start(dir);
    r = await connect(srv.port);
    expect(await dumpDataset(r)).toEqual(before);
    r.disconnect();
    await srv.stop();
  });

  it('CONFIG SET appendonly yes at run time writes the dataset and then every write', async () => {
    const dir = tempDir();
    let srv = await start(dir);
    let r = await connect(srv.port);
    await workload(r);
    expect(await r.config('SET', 'appendonly', 'yes')).toBe('OK');
    await waitFor(async () => (await info(r, 'aof_rewrite_in_progress')) === '0' && (await info(r, 'aof_enabled')) === '1');
    await r.set('after', 'enable');
    const before = await dumpDataset(r);
    r.disconnect();
    await srv.kill();
    srv = await start(dir, { appendonly: 'yes' });
    r = await connect(srv.port);
    expect(await dumpDataset(r)).toEqual(before);
    r.disconnect();
    await srv.stop();
  });

  it('SIGTERM while the first AOF is being written finishes it before exiting', async () => {
    const dir = tempDir();
    let srv = await start(dir, { 'rdb-key-save-delay': 2000 });
    let r = await connect(srv.port);
    await workload(r);
    // ~1 s of rewrite at 2 ms per key.
    await r.pipeline(Array.from({ length: 500 }, (_, i) => ['set', `bulk:${i}`, String(i)])).exec();
    const before = await dumpDataset(r);
    expect(await r.config('SET', 'appendonly', 'yes')).toBe('OK');
    expect(await info(r, 'aof_rewrite_in_progress')).toBe('1');
    await r.set('during', 'first rewrite');
    before['0:during'] = 'string:"first rewrite"@-1';
    r.disconnect();
    await srv.stop();
    expect(srv.output()).toMatch(/Writing the initial AOF before exiting/);
    srv = await start(dir, { appendonly: 'yes' });
    r = await connect(srv.port);
    expect(await dumpDataset(r)).toEqual(before);
    r.disconnect();
    await srv.stop();
  });
});
