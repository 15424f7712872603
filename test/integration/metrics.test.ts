/**
 * The node's Prometheus endpoint on a real ringcache-server: `metrics-port` / `metrics-bind`
 * from the command line and CONFIG GET/SET (open, move, close, a port in use refused and undone),
 * /metrics parsed (never snapshotted) and seen to move with commands, with redis-benchmark load,
 * replication and hot keys; 404/405 elsewhere; a start with the port in use fails.
 */

import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../helpers/harness-error.js';
import { RawClient } from '../helpers/raw-client.js';
import { until } from '../helpers/poll.js';
import { failedStart, freePort, startRingcache, type ServerProcess } from '../helpers/processes.js';

/** One sample: metric name, its labels, its value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition (the subset prom-client writes). */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new HarnessError(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch));
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const hit = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return hit?.value;
}

async function scrape(port: number): Promise<Sample[]> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

async function refused(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/metrics`);
    return false;
  } catch {
    return true;
  }
}

let srv: ServerProcess;
let metricsPort: number;
const clients: RawClient[] = [];

async function client(port = srv.port): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  metricsPort = await freePort();
  srv = await startRingcache({ args: { 'metrics-port': metricsPort } });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await srv?.stop();
});

describe('metrics endpoint', () => {
  it('serves every documented metric at /metrics, 404 elsewhere, 405 for other methods', async () => {
    const c = await client();
    await c.call('SET', 'k', 'v');
    const names = new Set((await scrape(metricsPort)).map((s) => s.name));
    for (const name of [
      'ringcache_commands_total',
      'ringcache_connected_clients',
      'ringcache_used_memory_bytes',
      'ringcache_keys',
      'ringcache_expired_keys_total',
      'ringcache_evicted_keys_total',
      'ringcache_keyspace_hits_total',
      'ringcache_keyspace_misses_total',
      'ringcache_replication_role',
      'ringcache_connected_replicas',
      'ringcache_replication_offset_bytes',
      'ringcache_rdb_last_save_timestamp_seconds',
      'ringcache_rdb_bgsave_in_progress',
      'ringcache_aof_enabled',
      'ringcache_aof_last_write_ok',
      'ringcache_pubsub_channels',
      'ringcache_pubsub_patterns',
    ]) {
      expect(names, name).toContain(name);
    }
    expect((await fetch(`http://127.0.0.1:${metricsPort}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metricsx`)).status).toBe(404);
    const post = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('counters move with commands, read from the same counters as INFO', async () => {
    const c = await client();
    const before = await scrape(metricsPort);
    const getsBefore = value(before, 'ringcache_commands_total', { cmd: 'get' }) ?? 0;
    const hitsBefore = value(before, 'ringcache_keyspace_hits_total')!;
    const missesBefore = value(before, 'ringcache_keyspace_misses_total')!;
    await c.call('SET', 'counted', 'x');
    for (let i = 0; i < 300; i++) c.send(['GET', i % 3 === 0 ? 'absent' : 'counted']);
    for (let i = 0; i < 300; i++) await c.next();
    await c.call('SUBSCRIBE', 'news');
    const after = await scrape(metricsPort);
    expect(value(after, 'ringcache_commands_total', { cmd: 'get' })).toBe(getsBefore + 300);
    expect(value(after, 'ringcache_keyspace_hits_total')).toBe(hitsBefore + 200);
    expect(value(after, 'ringcache_keyspace_misses_total')).toBe(missesBefore + 100);
    expect(value(after, 'ringcache_pubsub_channels')).toBe(1);
    expect(value(after, 'ringcache_replication_role', { role: 'master' })).toBe(1);
    const info = await (await client()).call('INFO', 'keyspace');
    const keys = Number(/db0:keys=(\d+)/.exec(info)?.[1]);
    expect(value(after, 'ringcache_keys', { db: '0' })).toBe(keys);
    expect(value(after, 'ringcache_connected_clients')).toBeGreaterThanOrEqual(2);
  });

  it('the duration histogram fills from a sample of the calls', async () => {
    const c = await client();
    for (let round = 0; round < 16; round++) {
      for (let i = 0; i < 1000; i++) c.send(['INCR', 'sampled']);
      for (let i = 0; i < 1000; i++) await c.next();
    }
    const samples = await scrape(metricsPort);
    const count = value(samples, 'ringcache_command_duration_seconds_count', { cmd: 'incr' })!;
    // 16,000 calls, one in 64 on average (250): far from 0 and from 16,000.
    expect(count).toBeGreaterThan(100);
    expect(count).toBeLessThan(1000);
    const inf = value(samples, 'ringcache_command_duration_seconds_bucket', { cmd: 'incr', le: '+Inf' });
    expect(inf).toBe(count);
    expect(value(samples, 'ringcache_command_duration_seconds_sum', { cmd: 'incr' })).toBeGreaterThan(0);
    // CONFIG RESETSTAT empties it, as it does commandstats.
    expect(await c.call('CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    expect(value(await scrape(metricsPort), 'ringcache_command_duration_seconds_count', { cmd: 'incr' })).toBeUndefined();
  });

  it('shows the hot keys', async () => {
    const c = await client();
    await c.call('SET', 'very-hot', '1');
    for (let i = 0; i < 3000; i++) c.send(['GET', 'very-hot']);
    for (let i = 0; i < 3000; i++) await c.next();
    const samples = await scrape(metricsPort);
    expect(value(samples, 'ringcache_hot_key_accesses', { key: 'very-hot' })).toBeGreaterThan(1000);
    expect(samples.filter((s) => s.name === 'ringcache_hot_key_accesses').length).toBeLessThanOrEqual(32);
  });

  it('commands_total rises under redis-benchmark load', async () => {
    const before = value(await scrape(metricsPort), 'ringcache_commands_total', { cmd: 'set' }) ?? 0;
    const bench = spawn('redis-benchmark', ['-h', '127.0.0.1', '-p', String(srv.port), '-t', 'set', '-n', '60000', '-c', '4', '-P', '4', '-r', '1000', '-q'], {
      stdio: 'ignore',
    });
    const done = new Promise<number | null>((r) => bench.once('exit', r));
    try {
      const seen: number[] = [];
      await until(
        'commands_total{cmd="set"} rising twice during the run',
        async () => {
          seen.push(value(await scrape(metricsPort), 'ringcache_commands_total', { cmd: 'set' }) ?? 0);
          const rises = seen.filter((v, i) => i > 0 && v > seen[i - 1]!).length;
          return rises >= 2 || seen.at(-1)! >= before + 60000;
        },
        60_000,
        50,
      );
      expect(await done).toBe(0);
    } finally {
      bench.kill('SIGKILL');
    }
    expect(value(await scrape(metricsPort), 'ringcache_commands_total', { cmd: 'set' })).toBe(before + 60000);
  }, 90_000);
});

describe('metrics-port and metrics-bind configuration', () => {
  it('CONFIG GET shows them; CONFIG SET moves the endpoint, closes it with 0 and refuses a port in use', async () => {
    const c = await client();
    expect(await c.call('CONFIG', 'GET', 'metrics-*')).toContain('metrics-bind');
    expect(await c.call('CONFIG', 'GET', 'metrics-port')).toBe(`*2\r\n$12\r\nmetrics-port\r\n$${String(metricsPort).length}\r\n${metricsPort}\r\n`);
    expect(await c.call('CONFIG', 'GET', 'metrics-bind')).toBe('*2\r\n$12\r\nmetrics-bind\r\n$9\r\n127.0.0.1\r\n');
    const moved = await freePort();
    expect(await c.call('CONFIG', 'SET', 'metrics-port', String(moved))).toBe('+OK\r\n');
    expect(value(await scrape(moved), 'ringcache_connected_clients')).toBeGreaterThan(0);
    expect(await refused(metricsPort)).toBe(true);

    // A port someone else holds: refused with Redis's text, nothing changes.
    const blocker: Server = createServer();
    const busy = await freePort();
    await new Promise<void>((r) => blocker.listen(busy, '127.0.0.1', r));
    try {
      expect(await c.call('CONFIG', 'SET', 'metrics-port', String(busy))).toBe(
        "-ERR CONFIG SET failed (possibly related to argument 'metrics-port') - Unable to listen on this port\r\n",
      );
      expect(await c.call('CONFIG', 'GET', 'metrics-port')).toContain(`${moved}\r\n`);
      expect(value(await scrape(moved), 'ringcache_connected_clients')).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }

    expect(await c.call('CONFIG', 'SET', 'metrics-port', '0')).toBe('+OK\r\n');
    expect(await refused(moved)).toBe(true);
    expect(await c.call('CONFIG', 'SET', 'metrics-port', String(metricsPort), 'metrics-bind', '127.0.0.1')).toBe('+OK\r\n');
    expect(value(await scrape(metricsPort), 'ringcache_connected_clients')).toBeGreaterThan(0);
    expect(await c.call('CONFIG', 'SET', 'metrics-port', '65536')).toMatch(/^-ERR CONFIG SET failed \(possibly related to argument 'metrics-port'\) - argument must be between 0 and 65535 inclusive/);
  });

  it('a start with the metrics port in use fails with a clear message', async () => {
    const blocker: Server = createServer();
    const busy = await freePort();
    await new Promise<void>((r) => blocker.listen(busy, '127.0.0.1', r));
    try {
      const { code, out } = await failedStart(['--metrics-port', String(busy)]);
      expect(code).toBe(1);
      expect(out).toContain(`metrics-port ${busy}: Unable to listen on this port`);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it('a replica reports its link, its master the replica; the endpoint is off by default', async () => {
    const replica = await startRingcache({ args: { replicaof: `127.0.0.1 ${srv.port}`, 'metrics-port': await freePort() } });
    try {
      const rc = await client(replica.port);
      const port = Number(/\$\d+\r\n(\d+)\r\n$/.exec(await rc.call('CONFIG', 'GET', 'metrics-port'))![1]);
      await until('the replica is linked', async () => value(await scrape(port), 'ringcache_master_link_up', { master: `127.0.0.1:${srv.port}` }) === 1);
      const r = await scrape(port);
      expect(value(r, 'ringcache_replication_role', { role: 'replica' })).toBe(1);
      expect(value(r, 'ringcache_master_last_io_seconds')).toBeGreaterThanOrEqual(0);
      await until('the master sees its replica', async () => value(await scrape(metricsPort), 'ringcache_connected_replicas') === 1);
      const m = await scrape(metricsPort);
      expect(m.some((s) => s.name === 'ringcache_replica_lag_seconds')).toBe(true);
      expect(m.some((s) => s.name === 'ringcache_replica_lag_bytes')).toBe(true);
    } finally {
      await replica.stop();
    }
    const plain = await startRingcache();
    try {
      expect(await (await client(plain.port)).call('CONFIG', 'GET', 'metrics-port')).toBe('*2\r\n$12\r\nmetrics-port\r\n$1\r\n0\r\n');
    } finally {
      await plain.stop();
    }
  }, 60_000);
});
