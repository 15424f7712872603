/**
 * Shutdown like Redis 7.0: SIGTERM with thousands of connected clients of every kind (subscribers,
 * blocked, in MULTI, replicas, our master link) exits within a second; SHUTDOWN's flags and error
 * texts (checked against redis-server); waiting for lagging replicas, SHUTDOWN ABORT, the
 * shutdown-timeout; a failed final save keeps the node running unless FORCE.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeReplica } from '../helpers/swarm.mjs';
import { until } from '../helpers/poll.js';
import { RawClient } from '../helpers/raw-client.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const started: ServerProcess[] = [];
const swarms: ChildProcess[] = [];

afterEach(async () => {
  for (const c of swarms.splice(0)) c.kill('SIGKILL');
  for (const p of started.splice(0)) await p.stop();
});

async function start(args: Record<string, string | number> = {}): Promise<ServerProcess> {
  const p = await startRingcache({ args });
  started.push(p);
  return p;
}

const SWARM = fileURLToPath(new URL('../helpers/swarm.mjs', import.meta.url));

/** Connects the given clients from a child process; resolves once they are all set up. */
async function swarm(port: number, kinds: Record<string, number>): Promise<{ closed: Promise<string> }> {
  const child = spawn(process.execPath, [SWARM, String(port), ...Object.entries(kinds).map(([k, v]) => `${k}=${v}`)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  swarms.push(child);
  let out = '';
  const closed = new Promise<string>((res) => child.once('exit', () => res(out)));
  await new Promise<void>((res, rej) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) res();
    });
    void closed.then(() => rej(new Error(`swarm exited before it was ready: ${out}`)));
  });
  return { closed };
}

async function info(port: number, section: string): Promise<string> {
  const c = await RawClient.connect(port);
  const r = await c.call('INFO', section);
  c.close();
  return r;
}


async function timedSigterm(p: ServerProcess): Promise<{ ms: number; code: number | null }> {
  const t0 = performance.now();
  p.signal('SIGTERM');
  const code = await p.exited;
  return { ms: performance.now() - t0, code };
}

const N = 1000;

/**
 * The exit-time budget: 1 s, as the issue asks, on a machine with a core per runnable process;
 * scaled by the load average on a saturated shared machine (logged with the figure), where the
 * OS, not the node, sets the pace.
 */
function exitBudgetMs(): number {
  const ratio = os.loadavg()[0]! / os.cpus().length;
  return ratio <= 1 ? 1000 : Math.min(4000, 1000 * ratio);
}

describe('shutdown with many clients', () => {
  it('SIGTERM closes 1,000 subscribers, blocked, MULTI and replica clients and exits within 1 s', async () => {
    const master = await start();
    // Writable, so BLPOP may block on it (a read-only replica refuses BLPOP as a write).
    const replica = await start({ replicaof: `127.0.0.1 ${master.port}`, 'replica-read-only': 'no' });
    await until('replica link up', async () => /master_link_status:up/.test(await info(replica.port, 'replication')), 20_000);

    // The replica's own clients: it is the node with a master link.
    const onReplica = await swarm(replica.port, { subscribe: N, blpop: N, multi: N });
    await until('replica: 1000 blocked clients', async () => /blocked_clients:1000\r\n/.test(await info(replica.port, 'clients')), 20_000);
    const r = await timedSigterm(replica);
    console.info(`SIGTERM of a replica with ${N} subscribers, ${N} blocked, ${N} MULTI clients and its master link: exit in ${r.ms.toFixed(0)} ms (load ${os.loadavg()[0]!.toFixed(2)})`);
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(exitBudgetMs());
    expect(await onReplica.closed).toMatch(`closed ${3 * N}`);

    const onMaster = await swarm(master.port, { subscribe: N, blpop: N, multi: N, replica: N });
    await until('master: 1000 blocked clients', async () => /blocked_clients:1000\r\n/.test(await info(master.port, 'clients')), 20_000);
    // Writes after the syncs: the replicas must acknowledge them before the master may exit.
    const w = await RawClient.connect(master.port);
    for (let i = 0; i < 10; i++) expect(await w.call('SET', `key${i}`, 'v')).toBe('+OK\r\n');
    const m = await timedSigterm(master);
    console.info(`SIGTERM of a master with ${N} subscribers, ${N} blocked, ${N} MULTI clients and ${N} replicas: exit in ${m.ms.toFixed(0)} ms (load ${os.loadavg()[0]!.toFixed(2)})`);
    expect(m.code).toBe(0);
    expect(m.ms).toBeLessThan(exitBudgetMs());
    expect(await onMaster.closed).toMatch(`closed ${4 * N}`);
    expect(master.output()).toMatch(/1000 of 1000 replicas are in sync when shutting down/);
    expect(master.output()).toMatch(/ready to exit, bye bye/);
  }, 120_000);
});

describe('SHUTDOWN', () => {
  it('answers malformed forms with Redis 7.0 texts', async () => {
    const errors = ['SHUTDOWN SAVE NOSAVE', 'SHUTDOWN ABORT', 'SHUTDOWN ABORT NOW', 'SHUTDOWN NOW BOGUS', 'SHUTDOWN DEFAULT'];
    const ours = await start();
    const servers: ServerProcess[] = [ours];
    if (hasRedis()) {
      const redis = await startRedis();
      started.push(redis);
      servers.push(redis);
    }
    const replies: string[][] = [];
    for (const s of servers) {
      const c = await RawClient.connect(s.port);
      const got: string[] = [];
      for (const e of errors) got.push(await c.call(...e.split(' ')));
      c.send(['MULTI']);
      got.push((await c.next()).toString());
      got.push(await c.call('SHUTDOWN'));
      c.close();
      replies.push(got);
    }
    expect(replies[0]).toEqual([
      '-ERR syntax error\r\n',
      '-ERR No shutdown in progress.\r\n',
      '-ERR syntax error\r\n',
      '-ERR syntax error\r\n',
      '-ERR syntax error\r\n',
      '+OK\r\n',
      '-ERR Command not allowed inside a transaction\r\n',
    ]);
    if (replies.length === 2) expect(replies[0]).toEqual(replies[1]);
  });

  it('waits for a lagging replica with writes paused; ABORT resumes; NOW exits at once', async () => {
    const node = await start();
    const lagging = await FakeReplica.connect(node.port, { ack: false });
    await lagging.synced;
    const a = await RawClient.connect(node.port);
    const b = await RawClient.connect(node.port);
    expect(await b.call('SET', 'x', '1')).toBe('+OK\r\n');
    a.send(['SHUTDOWN']);
    await node.waitFor(/Waiting for replicas before shutting down/);
    b.send(['SET', 'x', '2']);
    await expect(b.next(300)).rejects.toThrow(/no reply/);
    // The SET waits behind the pause; a reader on another connection is served.
    const c = await RawClient.connect(node.port);
    expect(await c.call('GET', 'x')).toBe('$1\r\n1\r\n');
    expect(await c.call('SHUTDOWN', 'ABORT')).toBe('+OK\r\n');
    expect((await a.next()).toString()).toBe('-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
    expect((await b.next()).toString()).toBe('+OK\r\n');
    expect(await c.call('GET', 'x')).toBe('$1\r\n2\r\n');
    const t0 = performance.now();
    c.send(['SHUTDOWN', 'NOW']);
    expect(await node.exited).toBe(0);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(node.output()).toMatch(/Shutdown manually aborted/);
    lagging.close();
    for (const x of [a, b, c]) x.close();
  });

  it('gives up waiting after shutdown-timeout and logs the lagging replica', async () => {
    const node = await start({ 'shutdown-timeout': 1 });
    const lagging = await FakeReplica.connect(node.port, { ack: false });
    await lagging.synced;
    const c = await RawClient.connect(node.port);
    expect(await c.call('SET', 'k', 'v')).toBe('+OK\r\n');
    const t0 = performance.now();
    node.signal('SIGTERM');
    expect(await node.exited).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(900);
    expect(node.output()).toMatch(/Lagging replica 127\.0\.0\.1:1 reported offset \d+ behind master/);
    expect(node.output()).toMatch(/0 of 1 replicas are in sync when shutting down/);
    lagging.close();
    c.close();
  });

  it('keeps running when the final save fails, unless FORCE', async () => {
    const node = await start();
    const c = await RawClient.connect(node.port);
    expect(await c.call('SET', 'k', 'v')).toBe('+OK\r\n');
    rmSync(node.dir, { recursive: true, force: true });
    expect(await c.call('SHUTDOWN', 'SAVE')).toBe('-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
    expect(await c.call('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(node.output()).toMatch(/Error trying to save the DB, can't exit/);
    c.send(['SHUTDOWN', 'SAVE', 'FORCE']);
    expect(await node.exited).toBe(0);
    expect(node.output()).toMatch(/Error trying to save the DB\. Exit anyway/);
  });

  it('shutdown-on-sigterm applies its flags; a signal while loading does not save', async () => {
    const node = await start({ 'shutdown-on-sigterm': 'nosave now force' });
    const c = await RawClient.connect(node.port);
    expect(await c.call('CONFIG', 'GET', 'shutdown-on-sigterm')).toBe('*2\r\n$19\r\nshutdown-on-sigterm\r\n$16\r\nnosave now force\r\n');
    expect(await c.call('CONFIG', 'SET', 'shutdown-on-sigint', 'save nosave')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously\r\n",
    );
    expect(await c.call('CONFIG', 'SET', 'save', '1 1')).toBe('+OK\r\n');
    expect(await c.call('SET', 'k', 'v')).toBe('+OK\r\n');
    const { code } = await timedSigterm(node);
    expect(code).toBe(0);
    expect(node.output()).not.toMatch(/Saving the final RDB snapshot/);
    c.close();
  });
});
