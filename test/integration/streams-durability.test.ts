/**
 * Streams with consumer groups survive what real processes go through, the pending entries lists
 * (owner, delivery count, delivery time) intact:
 * - an AOF restart after SIGKILL (XREADGROUP/XCLAIM/XAUTOCLAIM replayed from their propagated
 *   XCLAIM / XGROUP SETID / CREATECONSUMER forms), and after BGREWRITEAOF (snapshot preamble);
 * - a snapshot restart (SAVE);
 * - a failover: a replica promoted with REPLICAOF NO ONE has the master's PEL and goes on
 *   delivering after the group's last delivered ID.
 *
 * Compared through XINFO STREAM FULL. A consumer's seen-time is when the consumer was last active
 * on this node, which a replay does not reproduce (nor does Redis), so it is masked outside
 * snapshots; so are entries-read/lag after a command replay, which Redis's propagation (XCLAIM
 * LASTID) does not carry either.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startRingcache, type ServerProcess } from '../helpers/processes.js';
import { connect, waitFor } from './persistence-helpers.js';

const dirs: string[] = [];
const procs: ServerProcess[] = [];
const conns: Redis[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ringcache-streams-'));
  dirs.push(d);
  return d;
}

async function start(args: Record<string, string | number>, dir?: string): Promise<ServerProcess> {
  // Small nodes, so the streams span several (the layout is part of what is compared).
  const p = await startRingcache({ args: { save: '', 'enable-debug-command': 'yes', 'stream-node-max-entries': 5, ...args }, ...(dir !== undefined ? { dir, keepDir: true } : {}) });
  procs.push(p);
  return p;
}

async function client(p: ServerProcess): Promise<Redis> {
  const r = await connect(p.port);
  conns.push(r);
  return r;
}

afterAll(async () => {
  for (const c of conns) c.disconnect();
  for (const p of procs) await p.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Entries, groups and PELs through every command that changes them. */
async function workload(r: Redis): Promise<void> {
  for (let i = 1; i <= 40; i++) await r.xadd('orders', `${1000 + i}-0`, 'order', String(i), 'amount', String(i * 10));
  await r.xgroup('CREATE', 'orders', 'workers', '0');
  await r.xgroup('CREATE', 'orders', 'audit', '$', 'ENTRIESREAD', '40');
  await r.call('XREADGROUP', 'GROUP', 'workers', 'w1', 'COUNT', '10', 'STREAMS', 'orders', '>');
  await r.call('XREADGROUP', 'GROUP', 'workers', 'w2', 'COUNT', '10', 'STREAMS', 'orders', '>');
  await r.call('XREADGROUP', 'GROUP', 'workers', 'w3', 'NOACK', 'COUNT', '5', 'STREAMS', 'orders', '>');
  await r.xack('orders', 'workers', '1001-0', '1002-0', '1015-0');
  await r.call('XCLAIM', 'orders', 'workers', 'w2', '0', '1003-0', '1004-0', 'RETRYCOUNT', '5');
  await r.call('XAUTOCLAIM', 'orders', 'workers', 'w4', '0', '1011-0', 'COUNT', '3');
  await r.xdel('orders', '1012-0', '1030-0');
  await r.call('XGROUP', 'CREATECONSUMER', 'orders', 'audit', 'idle-one');
  await r.xadd('orders', 'MAXLEN', '~', '38', '*', 'order', 'late', 'amount', '1');
  await r.call('XGROUP', 'CREATE', 'empty', 'g', '$', 'MKSTREAM');
  await r.call('XSETID', 'empty', '5-5', 'ENTRIESADDED', '7', 'MAXDELETEDID', '3-0');
}

type Tree = string | number | null | Tree[];

/** XINFO STREAM FULL of a key as a tree, with the named fields masked at any depth. */
async function state(r: Redis, key: string, masked: readonly string[]): Promise<Tree> {
  const mask = (t: Tree): Tree => {
    if (!Array.isArray(t)) return t;
    const out = t.map(mask);
    for (let i = 0; i + 1 < out.length; i++) if (typeof out[i] === 'string' && masked.includes(out[i] as string)) out[i + 1] = 'masked';
    return out;
  };
  return mask((await r.call('XINFO', 'STREAM', key, 'FULL', 'COUNT', '0')) as Tree);
}

async function bothStates(r: Redis, masked: readonly string[]): Promise<Tree[]> {
  return [await state(r, 'orders', masked), await state(r, 'empty', masked)];
}

describe('streams: durability', () => {
  it('AOF restart after SIGKILL keeps entries, groups and PELs; so does a restart after BGREWRITEAOF', async () => {
    const dir = tempDir();
    let p = await start({ appendonly: 'yes', appendfsync: 'always' }, dir);
    let r = await client(p);
    await workload(r);
    const replayMask = ['seen-time', 'entries-read', 'lag'];
    const before = await bothStates(r, replayMask);
    expect(JSON.stringify(before)).toContain('w4');
    await p.kill();
    p = await start({ appendonly: 'yes', appendfsync: 'always' }, dir);
    r = await client(p);
    expect(await bothStates(r, replayMask)).toEqual(before);

    await r.call('BGREWRITEAOF');
    await waitFor(async () => /aof_rewrite_in_progress:0/.test(await r.info('persistence')) && /aof_rewrites:1/.test(await r.info('persistence')));
    const rewritten = await bothStates(r, []);
    await p.kill();
    p = await start({ appendonly: 'yes', appendfsync: 'always' }, dir);
    r = await client(p);
    expect(await bothStates(r, [])).toEqual(rewritten);
    expect(await bothStates(r, replayMask)).toEqual(before);
  });

  it('a snapshot restart keeps everything, consumer seen-times included', async () => {
    const dir = tempDir();
    let p = await start({}, dir);
    let r = await client(p);
    await workload(r);
    const before = await bothStates(r, []);
    expect(await r.call('SAVE')).toBe('OK');
    await p.kill();
    p = await start({}, dir);
    r = await client(p);
    expect(await bothStates(r, [])).toEqual(before);
  });

  it('a promoted replica keeps the PEL and continues the group', async () => {
    const master = await start({});
    const replicaProc = await start({ replicaof: `127.0.0.1 ${master.port}` });
    const m = await client(master);
    const rep = await client(replicaProc);
    await waitFor(async () => /master_link_status:up/.test(await rep.info('replication')), 30_000, 50);
    await workload(m);
    expect(Number(await m.call('WAIT', '1', '10000'))).toBe(1);
    const offset = /master_repl_offset:(\d+)/.exec(await m.info('replication'))![1];
    await waitFor(async () => new RegExp(`slave_repl_offset:${offset}\\b`).test(await rep.info('replication')), 10_000);
    const mask = ['seen-time', 'entries-read', 'lag'];
    const onMaster = await bothStates(m, mask);
    expect(await bothStates(rep, mask)).toEqual(onMaster);
    expect(await rep.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(await rep.call('XPENDING', 'orders', 'workers')).toEqual(await m.call('XPENDING', 'orders', 'workers'));
    // The group goes on after its last delivered ID: the next entry is 1026-0.
    const next = await rep.call('XREADGROUP', 'GROUP', 'workers', 'w5', 'COUNT', '1', 'STREAMS', 'orders', '>');
    expect(JSON.stringify(next).match(/"\d+-\d+"/)?.[0]).toBe('"1026-0"');
    const claimed = (await rep.call('XAUTOCLAIM', 'orders', 'workers', 'w5', '0', '0', 'COUNT', '100', 'JUSTID')) as [string, string[], string[]];
    expect(claimed[1]).toContain('1003-0');
  });
});
