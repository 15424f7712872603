/**
 * Scripting against real ringcache-server processes: a script running past busy-reply-threshold
 * makes other clients get -BUSY while the node keeps answering, SCRIPT KILL and FUNCTION KILL
 * recover it, a script that wrote is UNKILLABLE and SHUTDOWN NOSAVE stops the node under it; the
 * effects of scripts (not the scripts) reach a replica and the AOF, so they survive a restart;
 * function libraries travel by FUNCTION LOAD and in snapshots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { startRingcache, type ServerProcess } from '../helpers/processes.js';
import { connect, waitFor } from './persistence-helpers.js';

const procs: ServerProcess[] = [];
const conns: Redis[] = [];
const raws: RawClient[] = [];
const dirs: string[] = [];

async function start(args: Record<string, string | number> = {}, dir?: string): Promise<ServerProcess> {
  const p = await startRingcache({ args: { 'enable-debug-command': 'yes', ...args }, ...(dir !== undefined ? { dir, keepDir: true } : {}) });
  procs.push(p);
  return p;
}

async function client(p: ServerProcess): Promise<Redis> {
  const r = await connect(p.port);
  conns.push(r);
  return r;
}

async function raw(p: ServerProcess): Promise<RawClient> {
  const r = await RawClient.connect(p.port);
  raws.push(r);
  return r;
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ringcache-scripting-'));
  dirs.push(d);
  return d;
}

async function busy(c: RawClient): Promise<void> {
  await waitFor(async () => (await c.call('PING')).startsWith('-BUSY'), 20_000, 20);
}

const LIBRARY = `#!lua name=lib
redis.register_function('incr_twice', function(keys, args)
  redis.call('INCR', keys[1])
  return redis.call('INCR', keys[1])
end)
redis.register_function{function_name='spin', callback=function() while true do end end, flags={'no-writes'}}`;

afterAll(async () => {
  for (const c of conns) c.disconnect();
  for (const r of raws) r.close();
  await Promise.all(procs.map((p) => p.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a busy script', () => {
  it('makes PING answer BUSY until SCRIPT KILL stops it; the node then answers again', async () => {
    const node = await start({ 'busy-reply-threshold': 100 });
    const runner = await raw(node);
    const other = await raw(node);
    runner.send(['EVAL', 'local i = 0 while true do i = i + 1 end', '0']);
    await busy(other);
    expect(await other.call('PING')).toBe('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
    expect(await other.call('FUNCTION', 'KILL')).toMatch(/^-BUSY .*SCRIPT KILL/);
    expect(await other.call('SCRIPT', 'KILL')).toBe('+OK\r\n');
    expect((await runner.next(20_000)).toString('latin1')).toMatch(/^-ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\./);
    expect(await other.call('PING')).toBe('+PONG\r\n');
    expect(await runner.call('PING')).toBe('+PONG\r\n');
    expect(await other.call('SCRIPT', 'KILL')).toBe('-NOTBUSY No scripts in execution right now.\r\n');
  });

  it('runs the caller\'s pipelined commands after the script, and FUNCTION KILL stops a function', async () => {
    const node = await start({ 'busy-reply-threshold': 50 });
    const admin = await raw(node);
    expect(await admin.call('FUNCTION', 'LOAD', LIBRARY)).toBe('$3\r\nlib\r\n');
    const runner = await raw(node);
    runner.send(['FCALL', 'spin', '0']);
    runner.send(['PING']);
    await busy(admin);
    expect(await admin.call('FUNCTION', 'STATS')).toMatch(/running_script.*\r\n\$4\r\nname\r\n\$4\r\nspin\r\n/s);
    expect(await admin.call('FUNCTION', 'KILL')).toBe('+OK\r\n');
    expect((await runner.next(20_000)).toString('latin1')).toMatch(/killed by user/);
    expect((await runner.next(5000)).toString('latin1')).toBe('+PONG\r\n');
  });

  it('is UNKILLABLE once it wrote, and SHUTDOWN NOSAVE stops the node under it', async () => {
    const node = await start({ 'busy-reply-threshold': 50 });
    const runner = await raw(node);
    const other = await raw(node);
    runner.send(['EVAL', "redis.call('SET', KEYS[1], 'y') while true do end", '1', 'x']);
    await busy(other);
    expect(await other.call('SCRIPT', 'KILL')).toMatch(/^-UNKILLABLE Sorry the script already executed write commands/);
    expect(await other.call('SHUTDOWN')).toMatch(/^-BUSY /);
    other.send(['SHUTDOWN', 'NOSAVE']);
    await node.waitFor(/ready to exit|bye bye/i, 20_000);
  });
});

describe('script effects', () => {
  it('reach a replica as the commands they ran (the replica never runs a script)', async () => {
    const master = await start();
    const replica = await start();
    const m = await client(master);
    const r = await client(replica);
    await r.call('REPLICAOF', '127.0.0.1', String(master.port));
    await waitFor(async () => /master_link_status:up/.test(await r.info('replication')), 30_000, 50);
    // Non-deterministic on purpose: only effects replication keeps the replica equal.
    await m.call('EVAL', "for i = 1, 5 do redis.call('RPUSH', KEYS[1], math.random()) end redis.call('SET', KEYS[2], redis.call('TIME')[2])", '2', 'list', 'str');
    await m.call('FUNCTION', 'LOAD', LIBRARY);
    expect(await m.call('FCALL', 'incr_twice', '1', 'counter')).toBe(2);
    await m.call('EVAL', "redis.call('SET', 'a', '1') redis.set_repl(redis.REPL_NONE) redis.call('SET', 'b', '2') redis.set_repl(redis.REPL_ALL) redis.call('SET', 'c', '3')", '0');
    await waitFor(async () => (await r.call('GET', 'c')) === '3', 10_000);
    expect(await r.call('LRANGE', 'list', '0', '-1')).toEqual(await m.call('LRANGE', 'list', '0', '-1'));
    expect(await r.call('GET', 'str')).toBe(await m.call('GET', 'str'));
    expect(await r.call('GET', 'counter')).toBe('2');
    expect(await r.call('GET', 'b')).toBeNull();
    expect(JSON.stringify(await r.call('FUNCTION', 'LIST'))).toContain('incr_twice');
    expect(await r.info('memory')).toMatch(/number_of_cached_scripts:0\r\n/);
    await expect(r.call('FCALL', 'incr_twice', '1', 'counter')).rejects.toThrow(/^READONLY/);
  }, 60_000);

  it('survive an AOF restart, function libraries included; the script cache does not', async () => {
    const dir = tempDir();
    const first = await start({ appendonly: 'yes', appendfsync: 'always' }, dir);
    const a = await client(first);
    await a.call('EVAL', "redis.call('HSET', KEYS[1], 'f', ARGV[1]) redis.call('INCRBY', KEYS[2], 5)", '2', 'h', 'n', 'v1');
    await a.call('FUNCTION', 'LOAD', LIBRARY);
    await a.call('FCALL', 'incr_twice', '1', 'n');
    const sha = String(await a.call('SCRIPT', 'LOAD', 'return 1'));
    await first.stop();
    const second = await start({ appendonly: 'yes' }, dir);
    const b = await client(second);
    expect(await b.call('HGET', 'h', 'f')).toBe('v1');
    expect(await b.call('GET', 'n')).toBe('7');
    expect(await b.call('FCALL', 'incr_twice', '1', 'n')).toBe(9);
    expect(await b.call('SCRIPT', 'EXISTS', sha)).toEqual([0]);
  }, 60_000);

  it('function libraries are in snapshots (SAVE, restart)', async () => {
    const dir = tempDir();
    const first = await start({}, dir);
    const a = await client(first);
    await a.call('FUNCTION', 'LOAD', LIBRARY);
    await a.call('SAVE');
    await first.stop();
    const second = await start({}, dir);
    const b = await client(second);
    expect(await b.call('FCALL', 'incr_twice', '1', 'k')).toBe(2);
    expect(JSON.stringify(await b.call('FUNCTION', 'LIST'))).toContain('incr_twice');
  }, 60_000);
});
